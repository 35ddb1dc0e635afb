// Negative controls: ops with deliberately wrong derivatives, built with record() like the real ones. Each check
// must reject the fault it is meant to see, or the passing checks in the other files would prove nothing. They
// also pin down what each check covers: check_second_order compares the backward's own derivative with finite
// differences of the backward, so it cannot see a wrong first derivative, only one that is not differentiable.
#include "gradcheck/gradcheck_ops_common.h"

#include "autodiff/graph.h"

using namespace mxai;
using namespace mxai::testing;
using Catch::Matchers::Contains;

namespace {

using Inputs = std::vector<Tensor>;

Tensor square_value(const Tensor& x) {
  NoGradGuard no_graph;  // the forward value only; the node comes from record() below
  return x * x;
}

// x^2 whose backward is off by `factor` (1.01 = a one-percent error in a derivative formula).
Tensor square_scaled_derivative(const Tensor& x, real factor) {
  return record("square_scaled_derivative", {x}, square_value(x), [factor](const BackwardArgs& c) {
    return std::vector<Tensor>{c.gout * c.inputs[0] * (2 * factor)};
  });
}

// x^2 with the right first derivative computed from a detached input: correct gradients, but the gradient carries
// no graph through x, so every second derivative comes out zero.
Tensor square_detached_backward(const Tensor& x) {
  return record("square_detached_backward", {x}, square_value(x), [](const BackwardArgs& c) {
    return std::vector<Tensor>{c.gout * c.inputs[0].detach() * 2.0};
  });
}

// x^2 whose backward forgets to write the last gradient entry (an off-by-one in a kernel loop).
Tensor square_unwritten_entry(const Tensor& x) {
  return record("square_unwritten_entry", {x}, square_value(x), [](const BackwardArgs& c) {
    Tensor g = Tensor::empty(c.inputs[0].shape());
    for (int64_t i = 0; i + 1 < g.numel(); ++i) g.data()[i] = 2 * c.inputs[0].data()[i] * c.gout.data()[i];
    return std::vector<Tensor>{g};
  });
}

const Tensor& input() {
  static const Tensor x = normal({2, 3}, 1);
  return x;
}

}  // namespace

TEST_CASE("negative control: a 1% error in a first derivative", "[gradcheck][controls]") {
  const auto f = [](const Inputs& in) { return square_scaled_derivative(in[0], 1.01); };
  const GradcheckReport gradient = check_gradient(f, {input()}), jacobian = check_jacobian(f, {input()});
  CHECK_FALSE(gradient.ok);
  CHECK_THAT(gradient.detail, Contains("gradient: input 0"));
  CHECK_FALSE(jacobian.ok);
  CHECK_THAT(jacobian.detail, Contains("jacobian row"));
  // The wrong backward is still consistent with itself, which is all these two look at.
  CHECK(check_second_order(f, {input()}).ok);
  CHECK(check_accumulation(f, {input()}).ok);
  // And the same op with factor 1 passes everything: the fault, not the harness, is what fails above.
  check_op("square with the right derivative", [](const Inputs& in) { return square_scaled_derivative(in[0], 1); },
           {input()});
}

TEST_CASE("negative control: a backward that is not differentiable", "[gradcheck][controls]") {
  const auto f = [](const Inputs& in) { return square_detached_backward(in[0]); };
  CHECK(check_gradient(f, {input()}).ok);
  CHECK(check_jacobian(f, {input()}).ok);
  const GradcheckReport second = check_second_order(f, {input()});
  CHECK_FALSE(second.ok);
  CHECK_THAT(second.detail, Contains("hessian-vector product"));
  CHECK_THAT(second.detail, Contains("analytic 0"));
}

TEST_CASE("negative control: an unwritten gradient entry is caught by the NaN prefill", "[gradcheck][controls]") {
  const auto f = [](const Inputs& in) { return square_unwritten_entry(in[0]); };
  const GradcheckReport gradient = check_gradient(f, {input()});
  CHECK_FALSE(gradient.ok);
  CHECK_THAT(gradient.detail, Contains("entry 5"));
  CHECK_THAT(gradient.detail, Contains("nan"));
  CHECK_FALSE(debug_nan_fill());  // the checks restore the previous setting
}

TEST_CASE("negative control: the tolerance is not loose enough to hide a small error", "[gradcheck][controls]") {
  // 1e-4 relative is the size of a float32 rounding slip; the float64 checks must still see it.
  const auto f = [](const Inputs& in) { return square_scaled_derivative(in[0], 1 + 1e-4); };
  CHECK_FALSE(check_gradient(f, {input()}).ok);
}
