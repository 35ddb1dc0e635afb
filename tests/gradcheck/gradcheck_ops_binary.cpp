// Gradient checks (float64) of the broadcasting binary ops add, sub, mul, div and their scalar operator forms.
// Broadcasting is where binary backwards go wrong (a missing sum_to, a sum over the wrong axis), so every op is
// run over the same list of shape pairs.
#include "gradcheck/gradcheck_ops_common.h"

using namespace mxai;
using namespace mxai::testing;

namespace {

struct ShapePair {
  const char* name;
  Shape a, b;
};

const std::vector<ShapePair>& shape_pairs() {
  static const std::vector<ShapePair> pairs = {
      {"same shape (2,3)", {2, 3}, {2, 3}},
      {"scalar () with (2,3)", {}, {2, 3}},
      {"(2,3) with scalar ()", {2, 3}, {}},
      {"(N,C,H,W) with (1,C,1,1)", {2, 3, 2, 2}, {1, 3, 1, 1}},
      {"(3,1) with (1,4)", {3, 1}, {1, 4}},
      {"rank extension (4) with (2,3,4)", {4}, {2, 3, 4}},
      {"(2,1,3) with (4,1)", {2, 1, 3}, {4, 1}},
  };
  return pairs;
}

using Binary = Tensor (*)(const Tensor&, const Tensor&);

// Runs `op` plain and composed with tanh (whose curvature makes the double backward go through the op's own
// backward, including its sum_to under broadcasting) on every shape pair.
void check_binary(const char* op_name, Binary op, bool denominator_b) {
  uint64_t seed = 100;
  for (const ShapePair& p : shape_pairs()) {
    const Tensor a = normal(p.a, ++seed);
    const Tensor b = denominator_b ? signed_magnitudes(p.b, 0.5, 1.5, ++seed) : normal(p.b, ++seed);
    const std::string label = std::string(op_name) + " " + p.name;
    check_op(label, [op](const std::vector<Tensor>& in) { return op(in[0], in[1]); }, {a, b});
    check_op(label + " under tanh", [op](const std::vector<Tensor>& in) { return tanh(op(in[0], in[1])); }, {a, b});
  }
}

}  // namespace

TEST_CASE("gradcheck add with broadcasting", "[gradcheck][binary]") { check_binary("add", add, false); }
TEST_CASE("gradcheck sub with broadcasting", "[gradcheck][binary]") { check_binary("sub", sub, false); }
TEST_CASE("gradcheck mul with broadcasting", "[gradcheck][binary]") { check_binary("mul", mul, false); }
TEST_CASE("gradcheck div with broadcasting", "[gradcheck][binary]") { check_binary("div", div, true); }

TEST_CASE("gradcheck div composed with curvature in both arguments", "[gradcheck][binary]") {
  // d2(a/b)/db2 = 2a/b^3 and the cross term -1/b^2 both enter; exp adds curvature on top.
  const Tensor a = normal({3, 1}, 1), b = signed_magnitudes({1, 4}, 0.5, 1.5, 2);
  check_op("exp(a / b)", [](const std::vector<Tensor>& in) { return exp(in[0] / in[1]); }, {a, b});
  check_op("a / (b * b + 1) * a", [](const std::vector<Tensor>& in) { return in[0] / (in[1] * in[1] + 1.0) * in[0]; },
           {a, b});
}

TEST_CASE("gradcheck the same tensor on both sides of a binary op", "[gradcheck][binary]") {
  // x*x and x/x route two gradients into one input; x/x has derivative 0, so its analytic terms must cancel.
  const Tensor x = signed_magnitudes({2, 3}, 0.5, 1.5, 3);
  check_op("x * x", [](const std::vector<Tensor>& in) { return in[0] * in[0]; }, {x});
  check_op("x / x * tanh(x)", [](const std::vector<Tensor>& in) { return in[0] / in[0] * tanh(in[0]); }, {x});
  check_op("x - x + x", [](const std::vector<Tensor>& in) { return in[0] - in[0] + in[0]; }, {x});
}

TEST_CASE("gradcheck scalar operator forms", "[gradcheck][binary]") {
  const Tensor x = signed_magnitudes({2, 3}, 0.5, 1.5, 4);
  check_op("x + 2.5", [](const std::vector<Tensor>& in) { return curved(in[0] + 2.5); }, {x});
  check_op("x - 2.5", [](const std::vector<Tensor>& in) { return curved(in[0] - 2.5); }, {x});
  check_op("2.5 - x", [](const std::vector<Tensor>& in) { return curved(2.5 - in[0]); }, {x});
  check_op("x * -1.5", [](const std::vector<Tensor>& in) { return curved(in[0] * -1.5); }, {x});
  check_op("-1.5 * x", [](const std::vector<Tensor>& in) { return curved(-1.5 * in[0]); }, {x});
  check_op("x / 4", [](const std::vector<Tensor>& in) { return curved(in[0] / 4.0); }, {x});
  check_op("3 / x", [](const std::vector<Tensor>& in) { return 3.0 / in[0]; }, {x});
  check_op("-x", [](const std::vector<Tensor>& in) { return curved(-in[0]); }, {x});
}
