// VAE training loop and the test-ELBO estimate.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/losses.h"
#include "vae/vae_training.h"

using namespace mxai;
using namespace mxai::vae;

namespace {

// (n,1,side,side) half-planes: images a small VAE can learn in a few steps.
Tensor half_planes(int64_t n, int64_t side, uint64_t seed) {
  Generator gen(seed);
  Tensor x = Tensor::empty({n, 1, side, side});
  real* p = x.data();
  for (int64_t i = 0; i < n; ++i) {
    const double a = gen.uniform() * 2 - 1, b = gen.uniform() * 2 - 1;
    for (int64_t r = 0; r < side; ++r)
      for (int64_t c = 0; c < side; ++c) *p++ = static_cast<real>(a * (r - side / 2.0) + b * (c - side / 2.0) > 0 ? 0.9 : 0.1);
  }
  return x;
}

std::vector<real> all_parameters(const nn::Module& m) {
  std::vector<real> v;
  for (const Tensor& t : m.parameters()) {
    const std::vector<real> part = t.to_vector();
    v.insert(v.end(), part.begin(), part.end());
  }
  return v;
}

// Largest |a_i - b_i| (a scalar, so a failure prints one number instead of 470,000 parameters).
double max_difference(const std::vector<real>& a, const std::vector<real>& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a[i]) - double(b[i])));
  return worst;
}

}  // namespace

TEST_CASE("train_vae: both objectives lower the loss; the same seed gives the same model", "[vae][train]") {
  const Tensor x = half_planes(32, 32, 1);
  for (VaeObjective objective : {VaeObjective::BetaTCVAE, VaeObjective::BetaVAE}) {
    VaeTrainOptions o;
    o.epochs = 4;
    o.batch_size = 8;
    o.lr = 1e-3;
    o.objective = objective;
    o.anneal_steps = 8;
    o.seed = 5;
    std::vector<VaeEpochStats> epochs;
    int64_t steps_seen = 0;
    o.on_epoch = [&](const VaeEpochStats& s) { epochs.push_back(s); };
    o.on_step = [&](int64_t, int64_t steps, double) { CHECK(steps == 4); ++steps_seen; };
    const auto a = train_vae(x, 3, o);
    REQUIRE(epochs.size() == 4);
    CHECK(steps_seen == 16);
    CHECK(epochs.back().epoch == 4);
    CHECK(epochs.back().reconstruction < epochs.front().reconstruction);
    CHECK(!a->is_training());
    if (objective == VaeObjective::BetaTCVAE) {
      CHECK(epochs.front().anneal == Approx(3.0 / 8));  // the weight of the epoch's last step (step 3, 0-based)
      CHECK(epochs.back().anneal == 1.0);
    }
    if (objective == VaeObjective::BetaVAE) continue;  // determinism is the same loop: checked once
    o.on_epoch = nullptr;
    o.on_step = nullptr;
    const auto b = train_vae(x, 3, o);
    CHECK(max_difference(all_parameters(*a), all_parameters(*b)) == 0);
    o.seed = 6;
    CHECK(max_difference(all_parameters(*train_vae(x, 3, o)), all_parameters(*a)) > 1e-3);
  }
}

TEST_CASE("train_vae rejects batches the beta-TCVAE estimator cannot use", "[vae][train]") {
  VaeTrainOptions o;
  o.batch_size = 1;
  CHECK_THROWS_AS(train_vae(half_planes(8, 32, 1), 2, o), Error);
  o.batch_size = 16;
  CHECK_THROWS_AS(train_vae(half_planes(8, 32, 1), 2, o), Error);  // not one full batch
  CHECK_THROWS_AS(train_vae(Tensor::zeros({16, 1, 32, 30}), 2, o), Error);
}

TEST_CASE("vae_elbo: closed-form KL, sampled reconstruction, elbo = -(recon + kl)", "[vae][elbo]") {
  Generator init(3);
  BurgessVAE vae(1, 32, init, 4);
  vae.train();  // vae_elbo must not depend on (or change) the mode
  const Tensor x = half_planes(300, 32, 2);  // more than one 256-image batch
  Generator g1(7), g2(7), g3(8);
  const ElboEstimate a = vae_elbo(vae, x, g1), b = vae_elbo(vae, x, g2), c = vae_elbo(vae, x, g3, 4);
  CHECK(vae.is_training());
  CHECK(a.elbo == -(a.reconstruction + a.kl));
  CHECK(a.elbo == b.elbo);                   // the same draws give the same estimate
  CHECK(a.reconstruction != c.reconstruction);  // different draws differ, slightly
  CHECK(c.reconstruction == Approx(a.reconstruction).epsilon(0.02));
  CHECK(c.kl == Approx(a.kl).epsilon(1e-6));
  CHECK(c.samples == 4);
  NoGradGuard no_grad;
  const auto [mu, logvar] = vae.encode(x);
  CHECK(a.kl == Approx(nn::gaussian_kl(mu, logvar).item()).epsilon(1e-5));
  // The sampled reconstruction term is not the one at z = mu (which would not give a bound).
  const double at_mu = nn::binary_cross_entropy_with_logits(vae.decode_logits(mu), x, nn::Reduction::Sum).item() / 300;
  CHECK(a.reconstruction != Approx(at_mu).epsilon(1e-6));
  CHECK(std::isfinite(a.elbo));
  CHECK(a.elbo < 0);
}
