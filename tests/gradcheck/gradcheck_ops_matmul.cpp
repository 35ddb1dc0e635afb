// Gradient checks (float64) of matmul (2-D, batched, and (B,M,K)@(K,N) which folds the batch into the rows),
// linear with and without bias, and dropout. Products are bilinear, so their Hessian already has cross terms
// between the two arguments; tanh on top adds curvature in each argument.
#include "gradcheck/gradcheck_ops_common.h"

using namespace mxai;
using namespace mxai::testing;

namespace {
using Inputs = std::vector<Tensor>;
}

TEST_CASE("gradcheck matmul 2-D", "[gradcheck][matmul]") {
  const Tensor a = normal({3, 4}, 1), b = normal({4, 2}, 2);
  check_op("matmul (3,4)@(4,2)", [](const Inputs& in) { return matmul(in[0], in[1]); }, {a, b});
  check_op("tanh(matmul)", [](const Inputs& in) { return tanh(matmul(in[0], in[1])); }, {a, b});
  check_op("matmul (1,5)@(5,1)", [](const Inputs& in) { return matmul(in[0], in[1]); },
           {normal({1, 5}, 3), normal({5, 1}, 4)});
  // a @ a^T uses one input on both sides: the two backward contributions must add up.
  check_op("a @ a^T", [](const Inputs& in) { return matmul(in[0], transpose(in[0], 0, 1)); }, {a});
}

TEST_CASE("gradcheck matmul with transpose flags, every combination", "[gradcheck][matmul]") {
  Generator gen(31);
  for (const bool ta : {false, true})
    for (const bool tb : {false, true}) {
      const Tensor a = ta ? randn({4, 3}, gen) : randn({3, 4}, gen), b = tb ? randn({2, 4}, gen) : randn({4, 2}, gen);
      const std::string name = std::string("matmul trans_a ") + (ta ? "on" : "off") + " trans_b " + (tb ? "on" : "off");
      // Equal to the product of explicitly transposed operands...
      const Tensor expected = matmul(ta ? transpose(a, 0, 1) : a, tb ? transpose(b, 0, 1) : b);
      const std::vector<real> got = matmul(a, b, ta, tb).to_vector(), want = expected.to_vector();
      REQUIRE(got.size() == want.size());
      for (size_t i = 0; i < got.size(); ++i) CHECK(std::abs(got[i] - want[i]) < 1e-12);
      // ...and differentiable: the backward of a transposed product is a product with other flags, so the
      // second-order checks differentiate those as well.
      check_op(name, [ta, tb](const Inputs& in) { return tanh(matmul(in[0], in[1], ta, tb)); }, {a, b});
      check_op(name + " cubed", [ta, tb](const Inputs& in) {
        const Tensor y = matmul(in[0], in[1], ta, tb);
        return y * y * y;
      }, {a, b});
    }
}

TEST_CASE("gradcheck matmul batched", "[gradcheck][matmul]") {
  const Tensor a = normal({2, 3, 4}, 5), b = normal({2, 4, 2}, 6);
  check_op("matmul (2,3,4)@(2,4,2)", [](const Inputs& in) { return matmul(in[0], in[1]); }, {a, b});
  check_op("tanh(batched matmul)", [](const Inputs& in) { return tanh(matmul(in[0], in[1])); }, {a, b});
}

TEST_CASE("gradcheck matmul (B,M,K)@(K,N)", "[gradcheck][matmul]") {
  const Tensor a = normal({2, 3, 4}, 7), b = normal({4, 5}, 8);
  check_op("matmul (2,3,4)@(4,5)", [](const Inputs& in) { return matmul(in[0], in[1]); }, {a, b});
  check_op("tanh(matmul (2,3,4)@(4,5))", [](const Inputs& in) { return tanh(matmul(in[0], in[1])); }, {a, b});
}

TEST_CASE("gradcheck linear", "[gradcheck][matmul]") {
  const Tensor x = normal({3, 4}, 9), w = normal({2, 4}, 10), b = normal({2}, 11);
  check_op("linear with bias", [](const Inputs& in) { return linear(in[0], in[1], in[2]); }, {x, w, b});
  check_op("linear without bias", [](const Inputs& in) { return linear(in[0], in[1]); }, {x, w});
  check_op("tanh(linear with bias)", [](const Inputs& in) { return tanh(linear(in[0], in[1], in[2])); }, {x, w, b});
  check_op("tanh(linear without bias)", [](const Inputs& in) { return tanh(linear(in[0], in[1])); }, {x, w});
  // A two-layer perceptron: the second layer's backward feeds the first's, and the bias enters through a sigmoid.
  const Tensor w2 = normal({3, 2}, 12), b2 = normal({3}, 13);
  check_op("two-layer MLP",
           [](const Inputs& in) { return linear(sigmoid(linear(in[0], in[1], in[2])), in[3], in[4]); },
           {x, w, b, w2, b2});
}

TEST_CASE("gradcheck dropout", "[gradcheck][dropout]") {
  const Tensor x = normal({3, 4}, 14);
  for (real p : {real(0.3), real(0.5)}) {
    // The generator lives inside the function so every evaluation draws the same mask.
    const auto f = [p](const Inputs& in) {
      Generator gen(42);
      return dropout(in[0], p, /*training=*/true, gen);
    };
    // Guard against a vacuous check: the mask must drop some entries and scale the others.
    const Tensor y = f({x});
    int dropped = 0, scaled = 0;
    for (int64_t i = 0; i < y.numel(); ++i) {
      if (y.data()[i] == 0) ++dropped;
      else if (std::abs(y.data()[i] - x.data()[i] / (1 - p)) < 1e-12) ++scaled;
    }
    CHECK(dropped > 0);
    CHECK(dropped + scaled == y.numel());

    const std::string label = "dropout p " + std::to_string(p);
    check_op(label, f, {x});
    check_op("curved(" + label + ")", [f](const Inputs& in) { return curved(f(in)); }, {x});
  }
  const auto eval_mode = [](const Inputs& in) {
    Generator gen(42);
    return dropout(in[0], 0.5, /*training=*/false, gen);
  };
  // Rows 5.. of a batch (a data-parallel rank's share): the mask is the batch's, still its own backward.
  const auto batch_rows = [](const Inputs& in) {
    Generator gen(42);
    return dropout(in[0], 0.5, /*training=*/true, gen, /*first_row=*/5);
  };
  check_op("dropout of rows 5.. of a batch", batch_rows, {x});
  check_op("curved(dropout of rows 5.. of a batch)", [batch_rows](const Inputs& in) { return curved(batch_rows(in)); },
           {x});
  check_op("dropout in eval mode", eval_mode, {x});
  check_op("curved(dropout in eval mode)", [eval_mode](const Inputs& in) { return curved(eval_mode(in)); }, {x});
}
