// Misuse must fail with an mxai::Error whose message names the offending shapes or range, never with a crash
// or a silently wrong result.
#include <catch2/catch.hpp>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

using namespace mxai;
using Catch::Matchers::Contains;

namespace {

// The message of the mxai::Error that `f` throws; fails the test if it throws nothing or something else.
template <class F>
std::string error_message(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (...) {
    FAIL("threw something other than mxai::Error");
  }
  FAIL("did not throw");
  return {};
}

}  // namespace

TEST_CASE("errors: matmul with mismatched inner dimensions names both shapes", "[engine][errors]") {
  const std::string m = error_message([] { matmul(Tensor::zeros({2, 3}), Tensor::zeros({4, 5})); });
  CHECK_THAT(m, Contains("(2,3)") && Contains("(4,5)"));
  CHECK_THAT(error_message([] { matmul(Tensor::zeros({2, 3, 4}), Tensor::zeros({3, 4, 2})); }),
             Contains("(2,3,4)") && Contains("(3,4,2)"));
  CHECK_THAT(error_message([] { matmul(Tensor::zeros({3}), Tensor::zeros({3, 2})); }), Contains("(3)"));
  CHECK_THAT(error_message([] { linear(Tensor::zeros({2, 3}), Tensor::zeros({4, 5})); }),
             Contains("(2,3)") && Contains("(4,5)"));
}

TEST_CASE("errors: shapes that cannot broadcast name both shapes", "[engine][errors]") {
  const Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({4, 5});
  using Binary = Tensor (*)(const Tensor&, const Tensor&);
  for (Binary op : {Binary(mxai::add), Binary(mxai::sub), Binary(mxai::mul), Binary(mxai::div)}) {
    const std::string m = error_message([&] { op(a, b); });
    CHECK_THAT(m, Contains("(2,3)") && Contains("(4,5)"));
  }
  CHECK_THAT(error_message([] { broadcast_shapes({2, 3}, {3, 2}); }), Contains("(2,3)") && Contains("(3,2)"));
  CHECK_THAT(error_message([] { expand(Tensor::zeros({2, 3}), {4, 3}); }), Contains("(2,3)") && Contains("(4,3)"));
  CHECK_THAT(error_message([] { sum_to(Tensor::zeros({2, 3}), {4}); }), Contains("(2,3)") && Contains("(4)"));
}

TEST_CASE("errors: reshape to a different number of values", "[engine][errors]") {
  const Tensor x = Tensor::zeros({2, 3});
  CHECK_THAT(error_message([&] { reshape(x, {4, 2}); }), Contains("(2,3)") && Contains("(4,2)"));
  CHECK_THAT(error_message([&] { reshape(x, {4, -1}); }), Contains("(2,3)"));
  CHECK_THAT(error_message([&] { reshape(x, {-1, -1}); }), Contains("-1"));
  CHECK_NOTHROW(reshape(x, {3, -1}));
}

TEST_CASE("errors: narrow out of range", "[engine][errors]") {
  const Tensor x = Tensor::zeros({2, 5});
  CHECK_THAT(error_message([&] { narrow(x, 1, 3, 3); }), Contains("(2,5)") && Contains("[3, 6)"));
  CHECK_THAT(error_message([&] { narrow(x, 1, -1, 2); }), Contains("(2,5)"));
  CHECK_THAT(error_message([&] { narrow(x, 2, 0, 1); }), Contains("axis 2"));
  CHECK_NOTHROW(narrow(x, 1, 5, 0));
}

TEST_CASE("errors: other shape misuse", "[engine][errors]") {
  CHECK_THAT(error_message([] { concat({Tensor::zeros({2, 3}), Tensor::zeros({3, 3})}, 1); }),
             Contains("(2,3)") && Contains("(3,3)"));
  CHECK_THAT(error_message([] { permute(Tensor::zeros({2, 3}), {0, 0}); }), Contains("(2,3)"));
  CHECK_THAT(error_message([] { sum(Tensor::zeros({2, 3}), {2}); }), Contains("(2,3)"));
  CHECK_THAT(error_message([] { max(Tensor::zeros({2, 3}), -3); }), Contains("(2,3)"));
  CHECK_THAT(error_message([] { Tensor::from({2, 2}, {1, 2, 3}); }), Contains("(2,2)"));
  CHECK_THAT(error_message([] { Tensor::zeros({2}).item(); }), Contains("(2)"));
  CHECK_THROWS_AS(clamp(Tensor::zeros({1}), 1, 0), Error);
  CHECK_THROWS_AS(mean(Tensor::zeros({0})), Error);
  Generator gen(1);
  CHECK_THROWS_AS(dropout(Tensor::zeros({1}), 1, true, gen), Error);
}

TEST_CASE("errors: flat indices out of range are rejected, not read or written", "[engine][errors]") {
  const Tensor x = Tensor::zeros({2, 3});
  const auto index = [](std::vector<int64_t> v) { return std::make_shared<const std::vector<int64_t>>(std::move(v)); };
  CHECK_THAT(error_message([&] { gather_flat(x, index({0, 6}), {2}); }), Contains("6") && Contains("(2,3)"));
  CHECK_THAT(error_message([&] { gather_flat(x, index({-1}), {1}); }), Contains("-1"));
  CHECK_THAT(error_message([&] { scatter_add_flat(Tensor::zeros({2}), index({1, 9}), {2, 3}); }),
             Contains("9") && Contains("(2,3)"));
  CHECK_THROWS_AS(gather_flat(x, index({0, 1}), {3}), Error);  // count does not match the output shape
}
