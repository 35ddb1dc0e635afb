// Shared by the TAIG tests (float32 unit tests and float64 gradient checks): random tangent bases and small
// piecewise-linear and smooth convolutional models built directly from the ops.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "explain/attribution.h"

namespace mxai_taig_test {

using mxai::Generator;
using mxai::Tensor;
using mxai::real;

// (N,D,k): a different random orthonormal basis per example, by Gram-Schmidt (twice, for accuracy) in double on
// Gaussian columns.
inline Tensor random_orthonormal_basis(int64_t n, int64_t d, int64_t k, uint64_t seed) {
  Generator gen(seed);
  const Tensor g = mxai::randn({n, d, k}, gen);
  Tensor out = Tensor::empty({n, d, k});
  for (int64_t i = 0; i < n; ++i) {
    std::vector<std::vector<double>> cols(static_cast<size_t>(k), std::vector<double>(static_cast<size_t>(d)));
    for (int64_t j = 0; j < k; ++j) {
      std::vector<double>& c = cols[static_cast<size_t>(j)];
      for (int64_t p = 0; p < d; ++p) c[static_cast<size_t>(p)] = g.data()[(i * d + p) * k + j];
      for (int pass = 0; pass < 2; ++pass)
        for (int64_t q = 0; q < j; ++q) {
          const std::vector<double>& b = cols[static_cast<size_t>(q)];
          double dot = 0;
          for (int64_t p = 0; p < d; ++p) dot += b[static_cast<size_t>(p)] * c[static_cast<size_t>(p)];
          for (int64_t p = 0; p < d; ++p) c[static_cast<size_t>(p)] -= dot * b[static_cast<size_t>(p)];
        }
      double norm = 0;
      for (double v : c) norm += v * v;
      norm = std::sqrt(norm);
      for (double& v : c) v /= norm;
      for (int64_t p = 0; p < d; ++p) out.data()[(i * d + p) * k + j] = static_cast<real>(c[static_cast<size_t>(p)]);
    }
  }
  return out;
}

// (N,1,6,6) -> (N,K): conv 3x3 (4 channels) -> act -> max-pool 2 -> flatten 16 -> linear 8 -> act -> linear K.
// act = ReLU gives a piecewise-linear logit (Hessian zero almost everywhere); softplus a smooth one.
struct SmallConvNet {
  Tensor c, cb, w1, b1, w2, b2;
  bool smooth;
  SmallConvNet(int64_t classes, uint64_t seed, bool smooth_) : smooth(smooth_) {
    Generator gen(seed);
    c = mxai::randn({4, 1, 3, 3}, gen) * real(0.6);
    cb = mxai::randn({4}, gen) * real(0.1);
    w1 = mxai::randn({8, 16}, gen) * real(0.4);
    b1 = mxai::randn({8}, gen) * real(0.1);
    w2 = mxai::randn({classes, 8}, gen) * real(0.5);
    b2 = mxai::randn({classes}, gen) * real(0.1);
    // Like nn parameters: the gradient's graph then reaches the weights, so the double backward really runs.
    for (Tensor* t : {&c, &cb, &w1, &b1, &w2, &b2}) t->requires_grad_();
  }
  mxai::explain::Model model() const {
    const SmallConvNet m = *this;
    return [m](const Tensor& x) {
      const auto act = [&m](const Tensor& t) { return m.smooth ? mxai::softplus(t, real(3)) : mxai::relu(t); };
      Tensor h = mxai::max_pool2d(act(mxai::conv2d(x, m.c, m.cb)), 2);  // (N,4,2,2)
      h = act(mxai::linear(mxai::flatten(h), m.w1, m.b1));
      return mxai::linear(h, m.w2, m.b2);
    };
  }
};

}  // namespace mxai_taig_test
