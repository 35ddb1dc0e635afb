// Guards against code generation that silently computes wrong values on the build machine (see MXAI_NATIVE in
// CMakeLists.txt: GCC 12.2's AVX-512 code got this exact conversion wrong on an AMD EPYC Zen 5).
#include <catch2/catch.hpp>

#include <vector>

namespace {
__attribute__((noinline)) std::vector<float> to_float(const std::vector<double>& v) {
  return std::vector<float>(v.begin(), v.end());
}
}  // namespace

TEST_CASE("the compiler converts short double vectors to float correctly", "[toolchain]") {
  CHECK(to_float({1, 1, 0, 0}) == std::vector<float>{1, 1, 0, 0});
  CHECK(to_float({0, 2, 0, 3, 0}) == std::vector<float>{0, 2, 0, 3, 0});
  std::vector<double> ramp(37);
  for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i % 3);
  const std::vector<float> f = to_float(ramp);
  for (size_t i = 0; i < ramp.size(); ++i) CHECK(f[i] == static_cast<float>(ramp[i]));
}
