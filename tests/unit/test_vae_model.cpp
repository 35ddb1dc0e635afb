// The Burgess VAE (reference shapes, names and parameter counts) and its beta-VAE / beta-TCVAE losses.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/optim.h"
#include "vae/burgess_vae.h"
#include "vae/vae_losses.h"

using namespace mxai;
using namespace mxai::vae;

namespace {

bool has_name(const nn::Module& m, const std::string& name) {
  for (const auto& [n, t] : m.named_parameters())
    if (n == name) return true;
  return false;
}

// Pixels pushed towards 0 and 1 like binarised MNIST, but with structure (a per-image random half-plane) the
// VAE can learn within a few steps.
Tensor binaryish_images(int64_t n, int64_t side, Generator& gen) {
  Tensor x = Tensor::empty({n, 1, side, side});
  real* p = x.data();
  for (int64_t i = 0; i < n; ++i) {
    const double a = gen.uniform() * 2 - 1, b = gen.uniform() * 2 - 1, c = gen.uniform() - 0.5;
    for (int64_t r = 0; r < side; ++r)
      for (int64_t col = 0; col < side; ++col) {
        const double s = a * (r - side / 2.0) + b * (col - side / 2.0) + c * side;
        *p++ = static_cast<real>(s > 0 ? 0.95 : 0.05);
      }
  }
  return x;
}

}  // namespace

TEST_CASE("BurgessVAE 1x32x32: shapes, reference names, 235,636 + 233,537 parameters", "[vae][model]") {
  Generator init(1234);
  BurgessVAE vae(1, 32, init);
  CHECK(vae.encoder->num_parameters() == 235636);
  CHECK(vae.decoder->num_parameters() == 233537);
  CHECK(vae.num_parameters() == 235636 + 233537);
  for (const char* name : {"encoder.conv1.weight", "encoder.conv3.bias", "encoder.lin2.weight",
                           "encoder.mu_logvar_gen.weight", "decoder.lin1.weight", "decoder.lin3.bias",
                           "decoder.convT1.weight", "decoder.convT3.bias"})
    CHECK(has_name(vae, name));
  CHECK_FALSE(has_name(vae, "encoder.conv_64.weight"));

  Generator gen(2);
  const Tensor x = rand({3, 1, 32, 32}, gen);
  const auto [mu, logvar] = vae.encode(x);
  CHECK(mu.shape() == Shape{3, 10});
  CHECK(logvar.shape() == Shape{3, 10});
  CHECK(vae.decode_logits(mu).shape() == Shape{3, 1, 32, 32});
  CHECK(vae.forward(x).shape() == Shape{3, 1, 32, 32});
}

TEST_CASE("BurgessVAE 3x64x64 adds conv_64 / convT_64; other sizes throw", "[vae][model]") {
  Generator init(1);
  BurgessVAE vae(3, 64, init, 4);
  CHECK(has_name(vae, "encoder.conv_64.weight"));
  CHECK(has_name(vae, "decoder.convT_64.bias"));
  Generator gen(2);
  const Tensor x = rand({2, 3, 64, 64}, gen);
  const auto [mu, logvar] = vae.encode(x);
  CHECK(mu.shape() == Shape{2, 4});
  CHECK(vae.decode(mu).shape() == Shape{2, 3, 64, 64});
  CHECK_THROWS_AS(BurgessVAE(1, 28, init), Error);
  CHECK_THROWS_AS(vae.encode(rand({1, 3, 32, 32}, gen)), Error);
}

TEST_CASE("encode de-interleaves mu (even) and logvar (odd) as the reference's view(-1,k,2)", "[vae][model]") {
  Generator init(3);
  BurgessVAE vae(1, 32, init, 5);
  Generator gen(4);
  const Tensor x = rand({2, 1, 32, 32}, gen);
  const Tensor raw = vae.encoder->forward(x);
  REQUIRE(raw.shape() == Shape{2, 10});
  const auto [mu, logvar] = vae.encode(x);
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t j = 0; j < 5; ++j) {
      CHECK(mu.at({n, j}) == raw.at({n, 2 * j}));
      CHECK(logvar.at({n, j}) == raw.at({n, 2 * j + 1}));
    }
}

TEST_CASE("reparameterize: eval returns mu; training samples mu + exp(logvar/2) eps", "[vae][model]") {
  Generator gen(5);
  const Tensor mu = randn({4, 3}, gen), logvar = randn({4, 3}, gen);
  Generator g1(7);
  const Tensor z_eval = BurgessVAE::reparameterize(mu, logvar, g1, false);
  CHECK(z_eval.to_vector() == mu.to_vector());
  Generator g2(7), g3(7);
  const Tensor z = BurgessVAE::reparameterize(mu, logvar, g2, true);
  const Tensor eps = randn({4, 3}, g3);
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 3; ++j)
      CHECK(z.at({i, j}) == Approx(mu.at({i, j}) + std::exp(0.5 * logvar.at({i, j})) * eps.at({i, j})));

  // In eval mode the whole forward is deterministic and decodes the posterior mean.
  Generator init(8);
  BurgessVAE vae(1, 32, init);
  vae.eval();
  const Tensor x = rand({2, 1, 32, 32}, gen);
  const Tensor r1 = vae.forward(x), r2 = vae.forward(x);
  CHECK(r1.to_vector() == r2.to_vector());
  CHECK(r1.to_vector() == vae.decode(vae.encode(x).first).to_vector());
}

TEST_CASE("decode maps any z into [0,1]", "[vae][model]") {
  Generator init(9), gen(10);
  BurgessVAE vae(1, 32, init);
  const Tensor img = vae.decode(randn({8, 10}, gen) * real(5));
  for (real v : img.to_vector()) {
    CHECK(v >= 0);
    CHECK(v <= 1);
  }
}

TEST_CASE("beta-VAE loss: parts match their definitions", "[vae][loss]") {
  Generator gen(11);
  const Tensor logits = randn({2, 1, 4, 4}, gen), x = rand({2, 1, 4, 4}, gen);
  const Tensor mu = randn({2, 3}, gen), logvar = randn({2, 3}, gen) * real(0.3);
  const BetaVAELoss l = beta_vae_loss(logits, x, mu, logvar, 4.0);
  double bce = 0, kl = 0;
  const auto lv = logits.to_vector(), xv = x.to_vector();
  for (size_t i = 0; i < lv.size(); ++i) bce += std::log1p(std::exp(lv[i])) - lv[i] * xv[i];
  const auto m = mu.to_vector(), s = logvar.to_vector();
  for (size_t i = 0; i < m.size(); ++i) kl += 0.5 * (-1 - s[i] + m[i] * m[i] + std::exp(s[i]));
  CHECK(l.reconstruction.item() == Approx(bce / 2).epsilon(1e-5));
  CHECK(l.kl.item() == Approx(kl / 2).epsilon(1e-5));
  CHECK(l.total.item() == Approx(bce / 2 + 4 * kl / 2).epsilon(1e-5));
}

TEST_CASE("importance weights follow the reference's strided fill", "[vae][loss]") {
  const Tensor w = log_importance_weight_matrix(4, 100);
  const double n = 100, m = 3, strat = (n - m) / (n * m);
  for (int64_t i = 0; i < 4; ++i) {
    CHECK(std::exp(w.at({i, 0})) == Approx(i == 2 ? strat : 1 / n));  // W[M-1,0] overrides column 0
    CHECK(std::exp(w.at({i, 1})) == Approx(strat));
    CHECK(std::exp(w.at({i, 2})) == Approx(1 / m));
    CHECK(std::exp(w.at({i, 3})) == Approx(1 / m));
  }
  CHECK_THROWS_AS(log_importance_weight_matrix(1, 100), Error);
}

TEST_CASE("beta-TCVAE: finite parts, total is the weighted sum, decomposition adds up to the KL", "[vae][loss]") {
  Generator init(12), gen(13);
  BurgessVAE vae(1, 32, init);
  const Tensor x = binaryish_images(16, 32, gen);
  const auto out = vae.forward_full(x, gen);
  TCVAEOptions o;
  o.alpha = 1.5;
  o.beta = 6;
  o.gamma = 0.7;
  o.anneal = 0.5;
  const TCVAELoss l = beta_tcvae_loss(out.logits, x, out.mu, out.logvar, out.z, o);
  for (const Tensor* t : {&l.total, &l.reconstruction, &l.mutual_information, &l.total_correlation,
                          &l.dimensionwise_kl})
    CHECK(std::isfinite(t->item()));
  const double expect = l.reconstruction.item() + 1.5 * l.mutual_information.item() +
                        6 * l.total_correlation.item() + 0.5 * 0.7 * l.dimensionwise_kl.item();
  CHECK(l.total.item() == Approx(expect).epsilon(1e-5));
  // MI + TC + dimKL telescopes to mean(log q(z|x) - log p(z)), the sampled KL estimate.
  const TCVAEDensities d = tcvae_log_densities(out.z, out.mu, out.logvar, o.n_data);
  const double kl_sample = mean(d.log_q_zCx - d.log_pz).item();
  CHECK(l.mutual_information.item() + l.total_correlation.item() + l.dimensionwise_kl.item() ==
        Approx(kl_sample).epsilon(1e-4));
  l.total.backward();
  CHECK(vae.encoder->conv1->weight.grad().defined());
}

TEST_CASE("a few Adam steps on 64 binary-ish images lower the beta-VAE loss", "[vae][train]") {
  Generator init(1234), gen(1), data_gen(2);
  BurgessVAE vae(1, 32, init);
  const Tensor x = binaryish_images(64, 32, data_gen);
  nn::AdamOptions ao;
  ao.lr = 1e-3;
  nn::Adam opt(vae.parameters(), ao);
  double first = 0, last = 0;
  for (int step = 0; step < 25; ++step) {
    const auto out = vae.forward_full(x, gen);
    const BetaVAELoss l = beta_vae_loss(out.logits, x, out.mu, out.logvar, 1.0);
    if (step == 0) first = l.total.item();
    last = l.total.item();
    vae.zero_grad();
    l.total.backward();
    opt.step();
  }
  INFO("first " << first << " last " << last);
  CHECK(std::isfinite(last));
  CHECK(last < 0.9 * first);
}
