// Gradient checks (float64) of the elementwise unary ops. Piecewise ops get inputs moved away from their kinks.
// Ops with a non-trivial second derivative are also composed with a second input or another nonlinearity, so the
// Hessian-vector product has cross terms and chain-rule terms, not only the diagonal u * f''(x) * v.
#include "autodiff/graph.h"
#include "gradcheck/gradcheck_ops_common.h"

using namespace mxai;
using namespace mxai::testing;

namespace {
using Inputs = std::vector<Tensor>;
}

TEST_CASE("gradcheck neg", "[gradcheck][unary]") {
  const Tensor x = normal({2, 3}, 1);
  check_op("neg", [](const Inputs& in) { return neg(in[0]); }, {x});
  check_op("curved(neg)", [](const Inputs& in) { return curved(neg(in[0])); }, {x});
}

TEST_CASE("gradcheck exp", "[gradcheck][unary]") {
  const Tensor x = normal({2, 3}, 2), y = normal({2, 3}, 3);
  check_op("exp", [](const Inputs& in) { return exp(in[0]); }, {x});
  check_op("exp(tanh(x) * y)", [](const Inputs& in) { return exp(tanh(in[0]) * in[1]); }, {x, y});
}

TEST_CASE("gradcheck log", "[gradcheck][unary]") {
  const Tensor x = uniform({2, 3}, 0.5, 2, 4), y = uniform({2, 3}, 0.5, 2, 5);
  check_op("log", [](const Inputs& in) { return log(in[0]); }, {x});
  check_op("log(x * y + x * x)", [](const Inputs& in) { return log(in[0] * in[1] + in[0] * in[0]); }, {x, y});
}

TEST_CASE("gradcheck sqrt", "[gradcheck][unary]") {
  const Tensor x = uniform({2, 3}, 0.5, 2, 6), y = signed_magnitudes({2, 3}, 0.5, 1.5, 7);
  check_op("sqrt", [](const Inputs& in) { return sqrt(in[0]); }, {x});
  check_op("sqrt(x^2 + y^2)", [](const Inputs& in) { return sqrt(in[0] * in[0] + in[1] * in[1]); }, {x, y});
}

TEST_CASE("gradcheck pow", "[gradcheck][unary]") {
  const Tensor positive = uniform({2, 3}, 0.5, 2, 8), any_sign = signed_magnitudes({2, 3}, 0.3, 1.5, 9);
  const Tensor y = normal({2, 3}, 10);
  for (real p : {real(2), real(3), real(0.5), real(-1.5), real(2.7), real(1), real(0)}) {
    const std::string label = "pow(x, " + std::to_string(p) + ")";
    check_op(label + " positive base", [p](const Inputs& in) { return pow(in[0], p); }, {positive});
    check_op(label + " composed", [p](const Inputs& in) { return pow(in[0] * sigmoid(in[1]), p) * in[1]; },
             {positive, y});
  }
  for (real p : {real(2), real(3), real(-1)})  // integer exponents are defined for negative bases
    check_op("pow(x, " + std::to_string(p) + ") signed base", [p](const Inputs& in) { return pow(in[0], p); },
             {any_sign});
}

TEST_CASE("gradcheck abs", "[gradcheck][unary]") {
  const Tensor x = away_from(normal({2, 3}, 11), 0);
  check_op("abs", [](const Inputs& in) { return abs(in[0]); }, {x});
  // x|x| has second derivative 2 sign(x): the double backward must carry the gradient through abs's backward.
  check_op("x * abs(x)", [](const Inputs& in) { return in[0] * abs(in[0]); }, {x});
}

TEST_CASE("gradcheck clamp", "[gradcheck][unary]") {
  const real lo = -0.5, hi = 0.7;
  // Spread values so that some sit below, some inside and some above [lo, hi], none near either bound.
  const Tensor x = away_from(away_from(normal({3, 4}, 12), lo), hi);
  check_op("clamp", [=](const Inputs& in) { return clamp(in[0], lo, hi); }, {x});
  check_op("curved(clamp)", [=](const Inputs& in) { return curved(clamp(in[0], lo, hi)); }, {x});
  check_op("x * clamp(x)", [=](const Inputs& in) { return in[0] * clamp(in[0], lo, hi); }, {x});
}

TEST_CASE("gradcheck relu", "[gradcheck][unary]") {
  const Tensor x = away_from(normal({2, 3}, 13), 0);
  check_op("relu", [](const Inputs& in) { return relu(in[0]); }, {x});
  check_op("relu(x) * relu(x)", [](const Inputs& in) { return relu(in[0]) * relu(in[0]); }, {x});
}

TEST_CASE("gradcheck leaky_relu", "[gradcheck][unary]") {
  const Tensor x = away_from(normal({2, 3}, 14), 0);
  for (real slope : {real(0.01), real(0.2), real(1.5)}) {
    const std::string label = "leaky_relu slope " + std::to_string(slope);
    check_op(label, [slope](const Inputs& in) { return leaky_relu(in[0], slope); }, {x});
    check_op(label + " curved", [slope](const Inputs& in) { return curved(leaky_relu(in[0], slope)); }, {x});
  }
  check_op("leaky_relu default slope", [](const Inputs& in) { return leaky_relu(in[0]); }, {x});
}

TEST_CASE("gradcheck elu", "[gradcheck][unary]") {
  const Tensor x = away_from(normal({2, 3}, 15), 0), scale = uniform({2, 3}, 0.5, 1.5, 16);
  for (real alpha : {real(1), real(0.5), real(2)}) {
    const std::string label = "elu alpha " + std::to_string(alpha);
    check_op(label, [alpha](const Inputs& in) { return elu(in[0], alpha); }, {x});
    // x away from 0 and scale > 0.5 keep x * scale away from 0 too.
    check_op(label + " of x * scale, times tanh(scale)",
             [alpha](const Inputs& in) { return elu(in[0] * in[1], alpha) * tanh(in[1]); }, {x, scale});
  }
}

TEST_CASE("gradcheck softplus", "[gradcheck][unary]") {
  const Tensor x = normal({2, 3}, 17), y = normal({2, 3}, 18);
  for (real beta : {real(1), real(0.5), real(2), real(10)}) {
    const std::string label = "softplus beta " + std::to_string(beta);
    check_op(label, [beta](const Inputs& in) { return softplus(in[0], beta); }, {x});
    check_op(label + " of x * y", [beta](const Inputs& in) { return softplus(in[0] * in[1], beta); }, {x, y});
  }
  // Large |beta x| takes the overflow-safe branch of the forward.
  check_op("softplus large inputs", [](const Inputs& in) { return softplus(in[0] * 30.0, 1); }, {x});
  // Third order: every check on the (create_graph) gradient of softplus, itself a function of x and y.
  // The finite differences evaluate it with recording off and plain inputs, so it turns recording on itself.
  check_op("softplus gradient", [](const Inputs& in) {
    GradModeGuard recording(true);
    const Tensor x0 = in[0].requires_grad() ? in[0] : in[0].detach().requires_grad_();
    const Tensor z = softplus(x0 * in[1], 10);
    return grad({sum(z * z)}, {x0}, {}, /*create_graph=*/true)[0];
  }, {x, y});
}

TEST_CASE("gradcheck sigmoid", "[gradcheck][unary]") {
  const Tensor x = normal({2, 3}, 19), y = normal({2, 3}, 20);
  check_op("sigmoid", [](const Inputs& in) { return sigmoid(in[0]); }, {x});
  check_op("sigmoid(x * y) * x", [](const Inputs& in) { return sigmoid(in[0] * in[1]) * in[0]; }, {x, y});
  check_op("sigmoid of large inputs", [](const Inputs& in) { return sigmoid(in[0] * 8.0); }, {x});
}

TEST_CASE("gradcheck tanh", "[gradcheck][unary]") {
  const Tensor x = normal({2, 3}, 21), y = normal({2, 3}, 22);
  check_op("tanh", [](const Inputs& in) { return tanh(in[0]); }, {x});
  check_op("tanh(x * y) * y", [](const Inputs& in) { return tanh(in[0] * in[1]) * in[1]; }, {x, y});
  check_op("tanh(tanh(x))", [](const Inputs& in) { return tanh(tanh(in[0])); }, {x});
}
