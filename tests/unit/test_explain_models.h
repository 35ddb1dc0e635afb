// Small models and decoders built directly from the ops, shared by the explain and tangent-space tests (float32
// unit tests and float64 gradient checks alike): the explanation core must not depend on nn.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "explain/attribution.h"

namespace mxai_test {

using mxai::Generator;
using mxai::Shape;
using mxai::Tensor;
using mxai::real;

// logits = flatten(x) W^T + b: the gradient of logit c is exactly W[c], and IG is exactly W[c] ⊙ (x - b).
struct LinearModel {
  Tensor weight, bias;  // (K,D), (K)
  LinearModel(int64_t features, int64_t classes, uint64_t seed) {
    Generator gen(seed);
    weight = mxai::randn({classes, features}, gen);
    bias = mxai::randn({classes}, gen);
  }
  mxai::explain::Model model() const {
    const Tensor w = weight, b = bias;
    return [w, b](const Tensor& x) { return mxai::linear(mxai::flatten(x), w, b); };
  }
};

// A smooth two-hidden-layer softplus network: every path integral is of an analytic function, so the quadrature
// error falls fast with n_steps. `scale` sharpens the softplus kinks, making the integrand harder to integrate.
struct SoftplusMlp {
  Tensor w1, b1, w2, b2, w3, b3;
  real scale;
  SoftplusMlp(int64_t features, int64_t hidden, int64_t classes, uint64_t seed, real scale_ = 1) : scale(scale_) {
    Generator gen(seed);
    const auto init = [&gen](int64_t out, int64_t in) {
      return mxai::randn({out, in}, gen) * static_cast<real>(1.0 / std::sqrt(static_cast<double>(in)));
    };
    w1 = init(hidden, features);
    b1 = mxai::randn({hidden}, gen) * real(0.1);
    w2 = init(hidden, hidden);
    b2 = mxai::randn({hidden}, gen) * real(0.1);
    w3 = init(classes, hidden);
    b3 = mxai::randn({classes}, gen) * real(0.1);
  }
  mxai::explain::Model model() const {
    const SoftplusMlp m = *this;
    return [m](const Tensor& x) {
      Tensor h = mxai::softplus(mxai::linear(mxai::flatten(x), m.w1, m.b1) * m.scale) / m.scale;
      h = mxai::softplus(mxai::linear(h, m.w2, m.b2) * m.scale) / m.scale;
      return mxai::linear(h, m.w3, m.b3);
    };
  }
};

// z (N,k) -> A z + b as (N,d): its tangent space is col(A) at every z.
struct LinearDecoder {
  Tensor a, b;  // (d,k), (d)
  mxai::explain::Model decoder() const {
    const Tensor at = mxai::transpose(a, 0, 1).clone(), bias = b;
    return [at, bias](const Tensor& z) { return mxai::matmul(z, at) + bias; };
  }
};

// A small smooth nonlinear decoder, z (N,k) -> (N,1,6,6), through a transposed convolution.
struct SmallConvDecoder {
  Tensor w1, b1, w2, b2;
  SmallConvDecoder(int64_t latent, uint64_t seed) {
    Generator gen(seed);
    w1 = mxai::randn({2 * 3 * 3, latent}, gen) * real(0.7);
    b1 = mxai::randn({2 * 3 * 3}, gen) * real(0.1);
    w2 = mxai::randn({2, 1, 4, 4}, gen) * real(0.5);
    b2 = mxai::randn({1}, gen) * real(0.1);
  }
  mxai::explain::Model decoder() const {
    const SmallConvDecoder m = *this;
    return [m](const Tensor& z) {
      const Tensor h = mxai::reshape(mxai::tanh(mxai::linear(z, m.w1, m.b1)), {z.size(0), 2, 3, 3});
      return mxai::sigmoid(mxai::conv_transpose2d(h, m.w2, m.b2, {2, 1, 1}));  // (N,1,6,6)
    };
  }
};

// The decoder of the Burgess VAE (YannDubs/disentangling-vae) for 32x32 images, latent 10, with random weights
// drawn like PyTorch's default init (uniform within 1/sqrt(fan_in)):
// Linear(10,256) ReLU, Linear(256,256) ReLU, Linear(256,512) ReLU, reshape (32,4,4),
// ConvTranspose2d(32,32,4,2,1) ReLU, ConvTranspose2d(32,32,4,2,1) ReLU, ConvTranspose2d(32,1,4,2,1) Sigmoid.
struct BurgessDecoder {
  Tensor w1, b1, w2, b2, w3, b3, c1, d1, c2, d2, c3, d3;
  explicit BurgessDecoder(uint64_t seed) {
    Generator gen(seed);
    const auto init = [&gen](const Shape& shape, int64_t fan_in) {
      const real bound = static_cast<real>(1.0 / std::sqrt(static_cast<double>(fan_in)));
      return mxai::rand(shape, gen, -bound, bound);
    };
    w1 = init({256, 10}, 10), b1 = init({256}, 10);
    w2 = init({256, 256}, 256), b2 = init({256}, 256);
    w3 = init({512, 256}, 256), b3 = init({512}, 256);
    c1 = init({32, 32, 4, 4}, 32 * 16), d1 = init({32}, 32 * 16);
    c2 = init({32, 32, 4, 4}, 32 * 16), d2 = init({32}, 32 * 16);
    c3 = init({32, 1, 4, 4}, 16), d3 = init({1}, 16);
  }
  mxai::explain::Model decoder() const {
    const BurgessDecoder m = *this;
    return [m](const Tensor& z) {
      Tensor h = mxai::relu(mxai::linear(z, m.w1, m.b1));
      h = mxai::relu(mxai::linear(h, m.w2, m.b2));
      h = mxai::relu(mxai::linear(h, m.w3, m.b3));
      h = mxai::reshape(h, {z.size(0), 32, 4, 4});
      h = mxai::relu(mxai::conv_transpose2d(h, m.c1, m.d1, {2, 1, 1}));
      h = mxai::relu(mxai::conv_transpose2d(h, m.c2, m.d2, {2, 1, 1}));
      return mxai::sigmoid(mxai::conv_transpose2d(h, m.c3, m.d3, {2, 1, 1}));  // (N,1,32,32)
    };
  }
};

// A batch of values in [lo, hi).
inline Tensor uniform_batch(const Shape& shape, uint64_t seed, real lo = 0, real hi = 1) {
  Generator gen(seed);
  return mxai::rand(shape, gen, lo, hi);
}

}  // namespace mxai_test
