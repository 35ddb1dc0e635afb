// Gradient checks (float64) of the reductions: sum, mean, max along an axis, logsumexp, log_softmax, softmax.
// Each is run over several axes (positive, negative, with and without keepdim), since the backward has to undo
// exactly the reduction's shape change.
#include "gradcheck/gradcheck_ops_common.h"

using namespace mxai;
using namespace mxai::testing;

namespace {
using Inputs = std::vector<Tensor>;

struct AxesCase {
  std::vector<int64_t> axes;
  bool keepdim;
};

const std::vector<AxesCase>& axes_cases() {
  static const std::vector<AxesCase> cases = {
      {{0}, false}, {{1}, true}, {{-1}, false}, {{0, 2}, false}, {{0, 2}, true}, {{0, 1, 2}, false}, {{2, 0}, true}};
  return cases;
}

std::string describe(const AxesCase& c) {
  std::string s = "axes";
  for (int64_t a : c.axes) s += " " + std::to_string(a);
  return s + (c.keepdim ? " keepdim" : "");
}

}  // namespace

TEST_CASE("gradcheck sum", "[gradcheck][reduce]") {
  const Tensor x = normal({2, 3, 4}, 1);
  check_op("sum all", [](const Inputs& in) { return sum(in[0]); }, {x});
  check_op("curved(sum all)", [](const Inputs& in) { return curved(sum(in[0])); }, {x});
  for (const AxesCase& c : axes_cases()) {
    check_op("sum " + describe(c), [c](const Inputs& in) { return sum(in[0], c.axes, c.keepdim); }, {x});
    check_op("curved(sum " + describe(c) + ")",
             [c](const Inputs& in) { return curved(sum(in[0], c.axes, c.keepdim)); }, {x});
  }
}

TEST_CASE("gradcheck mean", "[gradcheck][reduce]") {
  const Tensor x = normal({2, 3, 4}, 2);
  check_op("mean all", [](const Inputs& in) { return mean(in[0]); }, {x});
  check_op("curved(mean all)", [](const Inputs& in) { return curved(mean(in[0])); }, {x});
  for (const AxesCase& c : axes_cases()) {
    check_op("mean " + describe(c), [c](const Inputs& in) { return mean(in[0], c.axes, c.keepdim); }, {x});
    check_op("curved(mean " + describe(c) + ")",
             [c](const Inputs& in) { return curved(mean(in[0], c.axes, c.keepdim)); }, {x});
  }
}

TEST_CASE("gradcheck max along an axis", "[gradcheck][reduce]") {
  const Tensor x = distinct({2, 3, 4}, 3), y = normal({2, 3, 4}, 4);
  for (int64_t axis : {0, 1, 2, -1}) {
    for (bool keepdim : {false, true}) {
      const std::string label = "max axis " + std::to_string(axis) + (keepdim ? " keepdim" : "");
      check_op(label, [=](const Inputs& in) { return max(in[0], axis, keepdim); }, {x});
      check_op("curved(" + label + ")", [=](const Inputs& in) { return curved(max(in[0], axis, keepdim)); }, {x});
    }
  }
  // A second input that only scales: the winner is fixed by x, and the product puts curvature in x*y.
  check_op("max(x + 0.01 * tanh(y)) * sum(y)",
           [](const Inputs& in) { return max(in[0] + 0.01 * tanh(in[1]), 1) * sum(in[1], {1}); }, {x, y});
}

TEST_CASE("gradcheck logsumexp", "[gradcheck][reduce]") {
  const Tensor x = normal({2, 3, 4}, 5), y = normal({2, 3, 4}, 6);
  for (int64_t axis : {0, 1, -1}) {
    for (bool keepdim : {false, true}) {
      const std::string label = "logsumexp axis " + std::to_string(axis) + (keepdim ? " keepdim" : "");
      check_op(label, [=](const Inputs& in) { return logsumexp(in[0], axis, keepdim); }, {x});
      check_op(label + " of x * y", [=](const Inputs& in) { return logsumexp(in[0] * in[1], axis, keepdim); },
               {x, y});
    }
  }
  // exp(40) would lose all precision of a naive sum in the perturbation; the max shift must keep it exact.
  check_op("logsumexp of large values", [](const Inputs& in) { return logsumexp(in[0] * 3.0 + 40.0, 2); }, {x});
}

TEST_CASE("gradcheck log_softmax", "[gradcheck][reduce]") {
  const Tensor x = normal({2, 3, 4}, 7), y = normal({2, 3, 4}, 8);
  for (int64_t axis : {0, 1, 2, -1}) {
    const std::string label = "log_softmax axis " + std::to_string(axis);
    check_op(label, [=](const Inputs& in) { return log_softmax(in[0], axis); }, {x});
    check_op(label + " of x * y", [=](const Inputs& in) { return log_softmax(in[0] * in[1], axis); }, {x, y});
  }
}

TEST_CASE("gradcheck softmax", "[gradcheck][reduce]") {
  const Tensor x = normal({2, 3, 4}, 9), y = normal({2, 3, 4}, 10);
  for (int64_t axis : {0, 1, 2, -1}) {
    const std::string label = "softmax axis " + std::to_string(axis);
    check_op(label, [=](const Inputs& in) { return softmax(in[0], axis); }, {x});
    check_op(label + " of x * y, times y", [=](const Inputs& in) { return softmax(in[0] * in[1], axis) * in[1]; },
             {x, y});
  }
}
