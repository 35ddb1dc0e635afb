// Latent IG: exact for a linear decoder and a linear model, complete along the decoded curve otherwise.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/ops.h"
#include "explain/latent_ig.h"
#include "explain/target.h"
#include "unit/test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

TEST_CASE("latent IG of a linear model through a linear decoder is w ⊙ A (z1 - z0)", "[explain][latent_ig]") {
  Generator gen(1);
  const mxai_test::LinearDecoder decoder{randn({6, 2}, gen), randn({6}, gen)};
  const mxai_test::LinearModel m(6, 3, 2);
  const Tensor z1 = randn({2, 2}, gen), z0 = randn({2}, gen);
  const LatentIgResult r = latent_integrated_gradients(m.model(), decoder.decoder(), z1, z0, {2});
  REQUIRE(r.attributions.shape() == Shape{2, 6});
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t d = 0; d < 6; ++d) {
      double velocity = 0;
      for (int64_t k = 0; k < 2; ++k) velocity += decoder.a.at({d, k}) * (z1.at({i, k}) - z0.data()[k]);
      CHECK(r.attributions.at({i, d}) == Approx(m.weight.at({2, d}) * velocity).margin(1e-5));
    }
  for (int64_t i = 0; i < 2; ++i) CHECK(std::abs(r.delta.data()[i]) < 1e-4);
}

TEST_CASE("latent IG is complete along the decoded curve, its gap shrinking with n_steps", "[explain][latent_ig]") {
  const mxai_test::SmallConvDecoder decoder(3, 4);
  const mxai_test::SoftplusMlp mlp(36, 16, 4, 5, 3);
  Generator gen(6);
  const Tensor z1 = randn({3, 3}, gen) * real(1.5);
  double previous = 1e9;
  for (int n_steps : {2, 4, 16}) {
    LatentIgSettings settings;
    settings.n_steps = n_steps;
    settings.method = Quadrature::RiemannTrapezoid;
    const LatentIgResult r = latent_integrated_gradients(mlp.model(), decoder.decoder(), z1, Tensor(), {}, settings);
    double gap = 0;
    for (int64_t i = 0; i < 3; ++i) gap = std::max(gap, std::abs(double(r.delta.data()[i])));
    INFO("n_steps " << n_steps << ": largest gap " << gap);
    CHECK(gap < previous);
    previous = gap;
  }
  CHECK(previous < 1e-2);
  // The default Gauss-Legendre rule with 50 points closes the gap to float32 rounding.
  const LatentIgResult r = latent_integrated_gradients(mlp.model(), decoder.decoder(), z1);
  const Model model = mlp.model();
  const Tensor ends = decoder.decoder()(concat({z1, Tensor::zeros({3, 3})}, 0));
  const Targets targets = resolve_targets(model, narrow(ends, 0, 0, 3), {});
  const std::vector<double> f = target_logit_values(model, ends, tile_targets(targets, 2), 6);
  for (int64_t i = 0; i < 3; ++i) {
    double total = 0;
    for (int64_t p = 0; p < 36; ++p) total += r.attributions.data()[i * 36 + p];
    CHECK(total == Approx(f[i] - f[3 + i]).margin(1e-4));
  }
}

TEST_CASE("latent IG does not depend on the internal batch size", "[explain][latent_ig]") {
  const mxai_test::SmallConvDecoder decoder(2, 7);
  const mxai_test::SoftplusMlp mlp(36, 8, 3, 8);
  Generator gen(9);
  const Tensor z1 = randn({2, 2}, gen);
  LatentIgSettings chunked;
  chunked.n_steps = 10;
  chunked.internal_batch_size = 3;
  LatentIgSettings whole = chunked;
  whole.internal_batch_size = 0;
  const LatentIgResult a = latent_integrated_gradients(mlp.model(), decoder.decoder(), z1, Tensor(), {1}, chunked);
  const LatentIgResult b = latent_integrated_gradients(mlp.model(), decoder.decoder(), z1, Tensor(), {1}, whole);
  for (int64_t i = 0; i < a.attributions.numel(); ++i)
    CHECK(a.attributions.data()[i] == Approx(b.attributions.data()[i]).margin(1e-6));
}
