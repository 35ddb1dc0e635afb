// Finite-difference checks of the nn losses (float64 build), first and second order, with respect to every
// differentiable argument, for each reduction.
#include <catch2/catch.hpp>

#include "autodiff/gradcheck.h"
#include "autodiff/ops.h"
#include "nn/losses.h"

using namespace mxai;
using namespace mxai::nn;

namespace {

void require_ok(const GradcheckReport& r) {
  INFO(r.detail);
  CHECK(r.ok);
}

const Reduction kReductions[] = {Reduction::Mean, Reduction::Sum, Reduction::None};

}  // namespace

TEST_CASE("nn gradcheck: cross_entropy", "[gradcheck][nn][loss]") {
  Generator gen(21);
  const std::vector<int64_t> labels{2, 0, 1};
  for (Reduction r : kReductions)
    require_ok(check_all([&](const std::vector<Tensor>& in) { return cross_entropy(in[0], labels, r); },
                         {randn({3, 4}, gen)}));
}

TEST_CASE("nn gradcheck: binary_cross_entropy_with_logits", "[gradcheck][nn][loss]") {
  Generator gen(22);
  for (Reduction r : kReductions)
    require_ok(check_all(
        [&](const std::vector<Tensor>& in) { return binary_cross_entropy_with_logits(in[0], in[1], r); },
        {randn({2, 3}, gen) * 2.0, rand({2, 3}, gen)}));
}

TEST_CASE("nn gradcheck: binary_cross_entropy on probabilities", "[gradcheck][nn][loss]") {
  Generator gen(23);
  for (Reduction r : kReductions)
    require_ok(check_all([&](const std::vector<Tensor>& in) { return binary_cross_entropy(in[0], in[1], r); },
                         {rand({2, 3}, gen, 0.1, 0.9), rand({2, 3}, gen)}));
}

TEST_CASE("nn gradcheck: mse_loss and l1_loss", "[gradcheck][nn][loss]") {
  Generator gen(24);
  for (Reduction r : kReductions) {
    require_ok(check_all([&](const std::vector<Tensor>& in) { return mse_loss(tanh(in[0]), in[1], r); },
                         {randn({2, 3}, gen), randn({2, 3}, gen)}));
    require_ok(check_all([&](const std::vector<Tensor>& in) { return l1_loss(tanh(in[0]), in[1], r); },
                         {randn({2, 3}, gen), randn({2, 3}, gen)}));
  }
}

TEST_CASE("nn gradcheck: gaussian_kl", "[gradcheck][nn][loss]") {
  Generator gen(25);
  for (Reduction r : kReductions)
    require_ok(check_all([&](const std::vector<Tensor>& in) { return gaussian_kl(in[0], in[1], r); },
                         {randn({3, 2}, gen), randn({3, 2}, gen) * 0.5}));
  require_ok(check_all([&](const std::vector<Tensor>& in) { return gaussian_kl(in[0], in[1]); },
                       {randn({2, 2, 2}, gen), randn({2, 2, 2}, gen) * 0.5}));
}
