// PyTorch as an optional test oracle: whether Debian's /usr/bin/python3 can import torch (tests skip with a warning
// when it cannot, since PyTorch is only a verification tool), and reading back what a script printed.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "autodiff/tensor.h"

namespace mxai_test {

inline bool torch_available() { return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0; }

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// max |a - b| over two tensors of one shape, in double: how far mxai's result is from PyTorch's.
inline double max_abs_difference(const mxai::Tensor& a, const mxai::Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  double m = 0;
  for (int64_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(double(a.data()[i]) - double(b.data()[i])));
  return m;
}

}  // namespace mxai_test
