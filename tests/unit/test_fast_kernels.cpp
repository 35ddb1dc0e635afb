// The fast elementwise, pooling, dropout and optimizer kernels against simple references: the vectorisable exp and
// log1p against libm in double, softplus against its textbook formula, max_pool2d's 2x2 fast path against direct
// loops (ties, NaN, odd sizes, the parallel path), counter-based dropout masks (statistics, thread-count
// independence, backward = the same mask), and Adam's fused update on a large parameter against a plain loop.
#include <catch2/catch.hpp>
#include <omp.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "autodiff/fast_math.h"
#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "autodiff/simd.h"
#include "nn/optim.h"

using namespace mxai;

namespace {

// |got - want| in units of the float spacing at want (the smallest subnormal below FLT_MIN).
double ulps(float got, double want) {
  if (std::isinf(want) || std::fabs(want) > FLT_MAX) return std::isinf(got) && (got > 0) == (want > 0) ? 0 : 1e30;
  const float w = static_cast<float>(want);
  const double spacing = std::fabs(want) < FLT_MIN ? std::numeric_limits<float>::denorm_min()
                                                   : std::nextafter(std::fabs(w), INFINITY) - std::fabs(w);
  return std::fabs(static_cast<double>(got) - want) / spacing;
}

}  // namespace

TEST_CASE("fast::exp_f32 is within 2 ulp of exp everywhere, with underflow, overflow and NaN", "[fast][kernels]") {
  double worst = 0;
  float worst_at = 0;
  // Every 997th float of [-110, 95]: the subnormal range, the whole normal range and past the overflow threshold.
  for (uint32_t bits = 0; bits < 0xff800000u; bits += 997) {
    float x;
    std::memcpy(&x, &bits, sizeof x);
    for (const float v : {x, -x}) {
      if (!(v > -110.0f && v < 95.0f)) continue;
      const double e = ulps(fast::exp_f32(v), std::exp(static_cast<double>(v)));
      if (e > worst) worst = e, worst_at = v;
    }
  }
  INFO("worst " << worst << " ulp at x = " << worst_at);
  CHECK(worst <= 2);
  CHECK(fast::exp_f32(0.0f) == 1.0f);
  CHECK(fast::exp_f32(-200.0f) == 0.0f);
  CHECK(fast::exp_f32(-std::numeric_limits<float>::infinity()) == 0.0f);
  CHECK(std::isinf(fast::exp_f32(89.0f)));
  CHECK(std::isinf(fast::exp_f32(std::numeric_limits<float>::infinity())));
  CHECK(std::isnan(fast::exp_f32(std::numeric_limits<float>::quiet_NaN())));
  CHECK(fast::exp_f32(-100.0f) > 0.0f);  // subnormal, not flushed to zero
}

TEST_CASE("fast::log1p_unit_f32 is within 2 ulp of log1p on [0, 1], tiny arguments included", "[fast][kernels]") {
  double worst = 0;
  float worst_at = 0;
  for (uint32_t bits = 0;; bits += 331) {
    float e;
    std::memcpy(&e, &bits, sizeof e);
    if (e > 1.0f) break;
    const double err = ulps(fast::log1p_unit_f32(e), std::log1p(static_cast<double>(e)));
    if (err > worst) worst = err, worst_at = e;
  }
  INFO("worst " << worst << " ulp at e = " << worst_at);
  CHECK(worst <= 2);
  CHECK(fast::log1p_unit_f32(0.0f) == 0.0f);
  CHECK(fast::log1p_unit_f32(1.0f) == Approx(std::log(2.0)).epsilon(1e-7));
}

TEST_CASE("softplus and its cached sigmoid agree with the textbook formulas over a wide range, at every SIMD level",
          "[fast][softplus]") {
  // The softplus loop is a per-ISA kernel (autodiff/isa/elementwise_block.inc): each level this CPU has is checked.
  const kernels::SimdLevel best = kernels::best_simd_level();
  for (const kernels::SimdLevel level :
       {kernels::SimdLevel::portable, kernels::SimdLevel::avx2, kernels::SimdLevel::avx512}) {
    if (level > best) continue;
    kernels::set_simd_level(level);
    INFO("SIMD level " << kernels::simd_level_name(level));
    const int64_t n = 100001;  // above the parallel threshold, and not a multiple of any vector width
    Tensor x = Tensor::empty({n});
    for (int64_t i = 0; i < n; ++i) x.data()[i] = static_cast<real>(-30.0 + 60.0 * static_cast<double>(i) / (n - 1));
    x.requires_grad_();
    const real beta = 10;
    const Tensor y = softplus(x, beta);
    const Tensor s = grad({y}, {x}, {Tensor::ones({n})})[0];  // d softplus / dx = sigmoid(beta x)
    int64_t bad = 0;
    for (int64_t i = 0; i < n; ++i) {
      // beta x rounded as the op rounds it (its rounding, not the kernel's, dominates the error for large |beta x|).
      const double bv = static_cast<real>(beta * x.data()[i]);
      const double want = (std::max(bv, 0.0) + std::log1p(std::exp(-std::fabs(bv)))) / beta;
      const double want_s = 1 / (1 + std::exp(-bv));
      bad += y.data()[i] != Approx(want).epsilon(4e-7).margin(1e-37);
      bad += s.data()[i] != Approx(want_s).epsilon(4e-7).margin(1e-37);
    }
    CHECK(bad == 0);
  }
  kernels::set_simd_level(best);
}

namespace {

// max_pool2d by direct loops: values and the gradient of sum(w * max_pool2d(x)) (first maximum wins, NaN wins).
void max_pool_reference(const std::vector<real>& x, const std::vector<real>& w, int64_t planes, int64_t H, int64_t W,
                        int64_t k, std::vector<real>& y, std::vector<real>& gx) {
  const int64_t OH = (H - k) / k + 1, OW = (W - k) / k + 1;
  y.assign(planes * OH * OW, 0);
  gx.assign(planes * H * W, 0);
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t oi = 0; oi < OH; ++oi)
      for (int64_t oj = 0; oj < OW; ++oj) {
        int64_t best = -1;
        for (int64_t ki = 0; ki < k; ++ki)
          for (int64_t kj = 0; kj < k; ++kj) {
            const int64_t at = (p * H + oi * k + ki) * W + oj * k + kj;
            if (best < 0 || x[at] > x[best] || std::isnan(x[at])) best = at;
          }
        const int64_t o = (p * OH + oi) * OW + oj;
        y[o] = x[best];
        gx[best] += w[o];
      }
}

bool same(real a, real b) { return a == b || (std::isnan(a) && std::isnan(b)); }

}  // namespace

TEST_CASE("max_pool2d's 2x2 path and the general path match direct loops, ties and NaN included", "[fast][pool]") {
  Generator gen(5);
  // (N, C, H, W): odd sizes leave a last row / column outside every window; the big one takes the parallel path.
  for (const Shape& shape : {Shape{1, 1, 4, 4}, Shape{2, 3, 5, 7}, Shape{4, 64, 33, 35}}) {
    for (const int64_t k : {2, 3}) {
      INFO("shape " << shape_str(shape) << " kernel " << k);
      const int64_t planes = shape[0] * shape[1], H = shape[2], W = shape[3];
      std::vector<real> x(planes * H * W);
      // Few distinct values, so windows often hold tied maxima; a few NaNs.
      for (real& v : x) v = static_cast<real>(gen.below(5));
      for (int i = 0; i < 5; ++i) x[gen.below(x.size())] = std::numeric_limits<real>::quiet_NaN();
      const int64_t OH = (H - k) / k + 1, OW = (W - k) / k + 1;
      std::vector<real> w(planes * OH * OW);
      for (real& v : w) v = static_cast<real>(gen.normal());
      std::vector<real> want_y, want_gx;
      max_pool_reference(x, w, planes, H, W, k, want_y, want_gx);

      Tensor xt = Tensor::from(shape, x).requires_grad_();
      const Tensor y = max_pool2d(xt, k);
      const Tensor gx = grad({y}, {xt}, {Tensor::from(y.shape(), w)})[0];
      REQUIRE(y.numel() == static_cast<int64_t>(want_y.size()));
      int64_t bad_y = 0, bad_g = 0;
      for (int64_t i = 0; i < y.numel(); ++i) bad_y += !same(y.data()[i], want_y[i]);
      for (int64_t i = 0; i < gx.numel(); ++i) bad_g += std::abs(gx.data()[i] - want_gx[i]) > 1e-6;
      CHECK(bad_y == 0);
      CHECK(bad_g == 0);
    }
  }
}

TEST_CASE("max_pool2d breaks ties as PyTorch does: the first maximum in window scan order takes the gradient",
          "[fast][pool]") {
  // Every window below holds a tie. The expected input gradients of sum(y) are PyTorch 1.13's for the same input:
  // F.max_pool2d(x, 2) (the 2x2 path) and F.max_pool2d(x, 3, 2, 1) (the general path, padded, where the two
  // lower windows share their first maximum (2,1)).
  const Tensor x = Tensor::from({1, 1, 4, 4}, {1, 1, 2, 2,  //
                                               1, 1, 2, 2,  //
                                               0, 3, 3, 0,  //
                                               3, 0, 3, 3})
                       .requires_grad_();
  const std::vector<real> want_2x2 = {1, 0, 1, 0,  //
                                      0, 0, 0, 0,  //
                                      0, 1, 1, 0,  //
                                      0, 0, 0, 0};
  const std::vector<real> want_3x3 = {1, 0, 1, 0,  //
                                      0, 0, 0, 0,  //
                                      0, 2, 0, 0,  //
                                      0, 0, 0, 0};
  const Tensor g2 = grad({sum(max_pool2d(x, 2))}, {x})[0];
  const Tensor g3 = grad({sum(max_pool2d(x, 3, 2, 1))}, {x})[0];
  for (int64_t i = 0; i < 16; ++i) {
    INFO("pixel " << i);
    CHECK(g2.data()[i] == want_2x2[i]);
    CHECK(g3.data()[i] == want_3x3[i]);
  }
}

TEST_CASE("dropout masks are reproducible, independent of the thread count, and reused by the backward",
          "[fast][dropout]") {
  const int64_t n = 1 << 20;
  Tensor x = Tensor::ones({n}).requires_grad_();
  const real p = real(0.25);
  const auto run = [&](int threads) {
    const int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    Generator gen(123);
    const Tensor y = dropout(x, p, /*training=*/true, gen);
    omp_set_num_threads(saved);
    return y;
  };
  const Tensor y1 = run(1), y2 = run(2);
  CHECK(y1.to_vector() == y2.to_vector());

  int64_t dropped = 0, scaled = 0;
  for (int64_t i = 0; i < n; ++i) {
    dropped += y1.data()[i] == 0;
    scaled += y1.data()[i] == real(1) / (1 - p);
  }
  CHECK(dropped + scaled == n);
  // Binomial(n, p): standard deviation sqrt(n p (1-p)) ~ 443; allow 5 of them.
  CHECK(std::abs(static_cast<double>(dropped) - p * n) < 5 * std::sqrt(n * p * (1 - p)));
  // Chunks get different masks (the first two 2^14-entry chunks are not copies of each other).
  const std::vector<real> v = y1.to_vector();
  CHECK(!std::equal(v.begin(), v.begin() + (1 << 14), v.begin() + (1 << 14)));

  // The backward applies the same mask: d sum(w * y) / dx = w * mask.
  Generator gen(123);
  const Tensor w = rand({n}, gen);
  Generator again(123);
  const Tensor y = dropout(x, p, true, again);
  const Tensor g = grad({y}, {x}, {w})[0];
  int64_t mismatched = 0;
  for (int64_t i = 0; i < n; ++i) mismatched += g.data()[i] != w.data()[i] * y1.data()[i];
  CHECK(mismatched == 0);
}

TEST_CASE("Adam's fused update on a large parameter (the parallel path) matches a plain loop", "[fast][optim]") {
  const int64_t n = 100000;
  Generator gen(9);
  for (const bool amsgrad : {false, true}) {
    for (const double wd : {0.0, 0.1}) {
      INFO("amsgrad " << amsgrad << " weight_decay " << wd);
      Tensor param = randn({n}, gen).requires_grad_();
      std::vector<real> p = param.to_vector(), m(n, 0), v(n, 0), vmax(n, 0);
      nn::AdamOptions o;
      o.lr = 1e-2;
      o.weight_decay = wd;
      o.amsgrad = amsgrad;
      nn::Adam adam({param}, o);
      for (int step = 1; step <= 3; ++step) {
        const Tensor g = randn({n}, gen);
        param.set_grad(g);
        adam.step();
        const double bc1 = 1 - std::pow(o.beta1, step), bc2 = 1 - std::pow(o.beta2, step);
        const real step_size = static_cast<real>(o.lr / bc1), bc2_sqrt = static_cast<real>(std::sqrt(bc2));
        const real b1 = static_cast<real>(o.beta1), b2 = static_cast<real>(o.beta2);
        for (int64_t k = 0; k < n; ++k) {
          const real gk = g.data()[k] + static_cast<real>(wd) * p[k];
          m[k] = m[k] * b1 + (1 - b1) * gk;
          v[k] = v[k] * b2 + (1 - b2) * gk * gk;
          vmax[k] = std::max(vmax[k], v[k]);
          const real second = amsgrad ? vmax[k] : v[k];
          p[k] -= step_size * (m[k] / (std::sqrt(second) / bc2_sqrt + static_cast<real>(o.eps)));
        }
      }
      int64_t bad = 0;
      for (int64_t k = 0; k < n; ++k) bad += param.data()[k] != Approx(p[k]).epsilon(1e-6).margin(1e-7);
      CHECK(bad == 0);
    }
  }
}
