// The convolutional autoencoder in float64: its decoder Jacobian (the tangent space of the real-data manifold
// estimate) against central finite differences, and the gradients its training uses.
#include <catch2/catch.hpp>

#include <cmath>

#include "autodiff/gradcheck.h"
#include "autodiff/ops.h"
#include "nn/losses.h"
#include "vae/conv_autoencoder.h"
#include "vae/tangent_space.h"

using namespace mxai;
using namespace mxai::vae;

namespace {

std::shared_ptr<ConvAutoencoder> tiny_autoencoder(uint64_t seed) {
  AutoencoderShape s;
  s.image_size = 8;
  s.latent_dim = 3;
  s.width = 2;
  s.hidden = 8;
  Generator init(seed);
  auto ae = std::make_shared<ConvAutoencoder>(s, init);
  ae->eval();
  return ae;
}

}  // namespace

TEST_CASE("autoencoder decoder Jacobian matches central differences", "[gradcheck][autoencoder][tangent]") {
  const auto ae = tiny_autoencoder(5);
  Generator gen(6);
  const int64_t n = 4, k = 3, d = 64;
  const Tensor z = randn({n, k}, gen);
  const Tensor jacobian = decoder_jacobian([&](const Tensor& zz) { return ae->decode(zz); }, z);
  REQUIRE(jacobian.shape() == Shape{n, d, k});
  const double h = 1e-6;
  double worst = 0;
  for (int64_t j = 0; j < k; ++j) {
    Tensor plus = z.clone(), minus = z.clone();
    for (int64_t p = 0; p < n; ++p) {
      plus.data()[p * k + j] += h;
      minus.data()[p * k + j] -= h;
    }
    const Tensor up = ae->decode(plus), down = ae->decode(minus);
    for (int64_t p = 0; p < n; ++p)
      for (int64_t i = 0; i < d; ++i) {
        const double numeric = (up.data()[p * d + i] - down.data()[p * d + i]) / (2 * h);
        worst = std::max(worst, std::abs(numeric - jacobian.data()[(p * d + i) * k + j]));
      }
  }
  INFO("max |analytic - numeric| " << worst);
  CHECK(worst < 1e-8);
}

TEST_CASE("autoencoder reconstruction losses: gradients w.r.t. the input", "[gradcheck][autoencoder]") {
  const auto ae = tiny_autoencoder(7);
  Generator gen(8);
  const Tensor x = rand({2, 1, 8, 8}, gen);
  const TensorFunction mse = [&](const std::vector<Tensor>& in) { return nn::mse_loss(ae->forward(in[0]), in[0]); };
  const GradcheckReport r = check_gradient(mse, {x});
  INFO(r.detail);
  CHECK(r.ok);
  const TensorFunction encode = [&](const std::vector<Tensor>& in) { return ae->encode(in[0]); };
  const GradcheckReport e = check_gradient(encode, {x});
  INFO(e.detail);
  CHECK(e.ok);
}
