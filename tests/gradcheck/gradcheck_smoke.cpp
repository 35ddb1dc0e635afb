#include <catch2/catch.hpp>

#include "autodiff/gradcheck.h"
#include "autodiff/ops.h"

using namespace mxai;

TEST_CASE("gradcheck smoke: tanh of a matmul", "[gradcheck]") {
  Generator gen(3);
  const auto f = [](const std::vector<Tensor>& in) { return tanh(matmul(in[0], in[1])); };
  const GradcheckReport r = check_all(f, {randn({2, 3}, gen), randn({3, 2}, gen)});
  INFO(r.detail);
  CHECK(r.ok);
}
