// PyTorch as an optional test oracle: whether Debian's /usr/bin/python3 can import torch (tests skip with a warning
// when it cannot, since PyTorch is only a verification tool), and reading back what a script printed.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace mxai_test {

inline bool torch_available() { return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0; }

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace mxai_test
