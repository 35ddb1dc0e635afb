// Elementwise ops. Forward kernels are plain loops (OpenMP for large tensors); each backward multiplies the
// incoming gradient by the local derivative, written with differentiable ops so it can be differentiated again.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "autodiff/isa/kernels.h"
#include "autodiff/simd.h"
#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/backward_rule.h"

namespace mxai {

namespace {

constexpr int64_t kParallelThreshold = 1 << 15;

template <class F>
Tensor map(const Tensor& x, F f) {
  Tensor y = Tensor::empty(x.shape());
  const real* px = x.data();
  real* py = y.data();
  const int64_t n = x.numel();
#pragma omp parallel for if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) py[i] = f(px[i]);
  return y;
}

// Output strides of `in` inside a broadcast of shape `out` (0 on broadcast axes).
std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out) {
  std::vector<int64_t> strides(out.size(), 0);
  int64_t stride = 1;
  for (int64_t i = static_cast<int64_t>(in.size()) - 1, o = static_cast<int64_t>(out.size()) - 1; i >= 0; --i, --o) {
    strides[o] = in[i] == 1 ? 0 : stride;
    stride *= in[i];
  }
  return strides;
}

template <class F>
Tensor zip(const Tensor& a, const Tensor& b, F f) {
  const Shape out = broadcast_shapes(a.shape(), b.shape());
  Tensor y = Tensor::empty(out);
  const real* pa = a.data();
  const real* pb = b.data();
  real* py = y.data();
  const int64_t n = y.numel();
  if (a.shape() == b.shape()) {
#pragma omp parallel for if (n > kParallelThreshold)
    for (int64_t i = 0; i < n; ++i) py[i] = f(pa[i], pb[i]);
  } else if (b.numel() == 1 && a.numel() == n) {
    const real vb = pb[0];
#pragma omp parallel for if (n > kParallelThreshold)
    for (int64_t i = 0; i < n; ++i) py[i] = f(pa[i], vb);
  } else if (a.numel() == 1 && b.numel() == n) {
    const real va = pa[0];
#pragma omp parallel for if (n > kParallelThreshold)
    for (int64_t i = 0; i < n; ++i) py[i] = f(va, pb[i]);
  } else if (n > 0) {
    // General case: walk the output in rows of its last axis with an odometer over the leading axes.
    const std::vector<int64_t> sa = broadcast_strides(a.shape(), out), sb = broadcast_strides(b.shape(), out);
    const int64_t d = static_cast<int64_t>(out.size());
    const int64_t inner = out[d - 1], ia = sa[d - 1], ib = sb[d - 1];
    std::vector<int64_t> counter(d, 0);
    int64_t offset_a = 0, offset_b = 0;
    for (int64_t row = 0; row < n / inner; ++row) {
      real* dst = py + row * inner;
      for (int64_t j = 0; j < inner; ++j) dst[j] = f(pa[offset_a + j * ia], pb[offset_b + j * ib]);
      for (int64_t axis = d - 2; axis >= 0; --axis) {  // advance the odometer
        offset_a += sa[axis];
        offset_b += sb[axis];
        if (++counter[axis] < out[axis]) break;
        offset_a -= sa[axis] * out[axis];
        offset_b -= sb[axis] * out[axis];
        counter[axis] = 0;
      }
    }
  }
  return y;
}

Tensor scalar_like(real s) { return Tensor::scalar(s); }

}  // namespace

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  const size_t d = std::max(a.size(), b.size());
  Shape out(d);
  for (size_t i = 0; i < d; ++i) {
    const int64_t da = i < d - a.size() ? 1 : a[i - (d - a.size())];
    const int64_t db = i < d - b.size() ? 1 : b[i - (d - b.size())];
    if (da != db && da != 1 && db != 1)
      throw Error("shapes " + shape_str(a) + " and " + shape_str(b) + " cannot be broadcast together");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

// ---- binary ----

Tensor add(const Tensor& a, const Tensor& b) {
  return record("add", {a, b}, zip(a, b, [](real x, real y) { return x + y; }), [](const BackwardArgs& c) {
    return std::vector<Tensor>{c.needs[0] ? sum_to(c.gout, c.inputs[0].shape()) : Tensor(),
                               c.needs[1] ? sum_to(c.gout, c.inputs[1].shape()) : Tensor()};
  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  return record("sub", {a, b}, zip(a, b, [](real x, real y) { return x - y; }), [](const BackwardArgs& c) {
    return std::vector<Tensor>{c.needs[0] ? sum_to(c.gout, c.inputs[0].shape()) : Tensor(),
                               c.needs[1] ? sum_to(neg(c.gout), c.inputs[1].shape()) : Tensor()};
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  return record("mul", {a, b}, zip(a, b, [](real x, real y) { return x * y; }), [](const BackwardArgs& c) {
    const Tensor &a = c.inputs[0], &b = c.inputs[1];
    return std::vector<Tensor>{c.needs[0] ? sum_to(mul(c.gout, b), a.shape()) : Tensor(),
                               c.needs[1] ? sum_to(mul(c.gout, a), b.shape()) : Tensor()};
  });
}

Tensor div(const Tensor& a, const Tensor& b) {
  return record("div", {a, b}, zip(a, b, [](real x, real y) { return x / y; }), [](const BackwardArgs& c) {
    const Tensor &a = c.inputs[0], &b = c.inputs[1];
    // d(a/b)/db = -(a/b)/b = -out/b
    return std::vector<Tensor>{c.needs[0] ? sum_to(div(c.gout, b), a.shape()) : Tensor(),
                               c.needs[1] ? sum_to(neg(mul(c.gout, div(c.out, b))), b.shape()) : Tensor()};
  });
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator+(const Tensor& a, real s) { return add(a, scalar_like(s)); }
Tensor operator-(const Tensor& a, real s) { return sub(a, scalar_like(s)); }
Tensor operator*(const Tensor& a, real s) { return mul(a, scalar_like(s)); }
Tensor operator/(const Tensor& a, real s) { return div(a, scalar_like(s)); }
Tensor operator+(real s, const Tensor& a) { return add(scalar_like(s), a); }
Tensor operator-(real s, const Tensor& a) { return sub(scalar_like(s), a); }
Tensor operator*(real s, const Tensor& a) { return mul(scalar_like(s), a); }
Tensor operator/(real s, const Tensor& a) { return div(scalar_like(s), a); }
Tensor operator-(const Tensor& a) { return neg(a); }

// ---- unary ----

Tensor neg(const Tensor& x) {
  return record("neg", {x}, map(x, [](real v) { return -v; }),
                [](const BackwardArgs& c) { return std::vector<Tensor>{neg(c.gout)}; });
}

Tensor exp(const Tensor& x) {
  return record("exp", {x}, map(x, [](real v) { return std::exp(v); }),
                [](const BackwardArgs& c) { return std::vector<Tensor>{mul(c.gout, c.out)}; });
}

Tensor log(const Tensor& x) {
  return record("log", {x}, map(x, [](real v) { return std::log(v); }),
                [](const BackwardArgs& c) { return std::vector<Tensor>{div(c.gout, c.inputs[0])}; });
}

Tensor sqrt(const Tensor& x) {
  return record("sqrt", {x}, map(x, [](real v) { return std::sqrt(v); }), [](const BackwardArgs& c) {
    return std::vector<Tensor>{div(c.gout, c.out * real(2))};
  });
}

Tensor pow(const Tensor& x, real p) {
  return record("pow", {x}, map(x, [p](real v) { return std::pow(v, p); }), [p](const BackwardArgs& c) {
    return std::vector<Tensor>{mul(c.gout, pow(c.inputs[0], p - 1) * p)};
  });
}

Tensor abs(const Tensor& x) {
  return record("abs", {x}, map(x, [](real v) { return std::abs(v); }), [](const BackwardArgs& c) {
    const Tensor sign = map(c.inputs[0], [](real v) { return real((v > 0) - (v < 0)); });
    return std::vector<Tensor>{mul(c.gout, sign)};
  });
}

Tensor clamp(const Tensor& x, real lo, real hi) {
  if (lo > hi) throw Error("clamp: lo " + std::to_string(lo) + " > hi " + std::to_string(hi));
  return record("clamp", {x}, map(x, [lo, hi](real v) { return std::min(std::max(v, lo), hi); }),
                [lo, hi](const BackwardArgs& c) {
                  const Tensor inside = map(c.inputs[0], [lo, hi](real v) { return real(v >= lo && v <= hi); });
                  return std::vector<Tensor>{mul(c.gout, inside)};
                });
}

namespace {

// relu's backward, g (..) * (x > 0) with x of g's shape, in one pass instead of a mask and a product. It is linear
// in g with the same mask, so its derivative in g is itself; in x it is zero wherever it exists.
Tensor relu_backward(const Tensor& g, const Tensor& x) {
  Tensor y = Tensor::empty(g.shape());
  const real *pg = g.data(), *px = x.data();
  real* py = y.data();
  const int64_t n = g.numel();
#pragma omp parallel for if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) {
    // g is read whether or not it is used: a load under the condition vectorises only with masked loads (AVX2),
    // and the portable build ran this loop as scalar code with a branch per element (16% of a LeNet step).
    const real gi = pg[i];
    py[i] = px[i] > 0 ? gi : real(0);
  }
  return record("relu_backward", {g, x}, y, [](const BackwardArgs& c) {
    return std::vector<Tensor>{c.needs[0] ? relu_backward(c.gout, c.inputs[1]) : Tensor(), Tensor()};
  });
}

}  // namespace

Tensor relu(const Tensor& x) {
  Tensor y = map(x, [](real v) { return v > 0 ? v : real(0); });
  // An explanation method may have swapped the backward rule (backward_rule.h); the rule in force now is the one this
  // node keeps.
  if (const BackwardRule rule = backward_rule(); rule != BackwardRule::Gradient)
    return record("relu", {x}, y, relu_rule_backward(rule));
  return record("relu", {x}, y, [](const BackwardArgs& c) {
    return std::vector<Tensor>{relu_backward(c.gout, c.inputs[0])};
  });
}

Tensor leaky_relu(const Tensor& x, real slope) {
  return record("leaky_relu", {x}, map(x, [slope](real v) { return v > 0 ? v : slope * v; }),
                [slope](const BackwardArgs& c) {
                  const Tensor d = map(c.inputs[0], [slope](real v) { return v > 0 ? real(1) : slope; });
                  return std::vector<Tensor>{mul(c.gout, d)};
                });
}

Tensor elu(const Tensor& x, real alpha) {
  return record("elu", {x}, map(x, [alpha](real v) { return v > 0 ? v : alpha * std::expm1(v); }),
                [alpha](const BackwardArgs& c) {
                  // elu'(x) = 1 for x > 0, else alpha*exp(x) = out + alpha (kept differentiable through out).
                  const Tensor positive = map(c.inputs[0], [](real v) { return real(v > 0); });
                  const Tensor d = positive + (real(1) - positive) * (c.out + alpha);
                  return std::vector<Tensor>{mul(c.gout, d)};
                });
}

namespace {

// softplus's derivative and its derivative, each one fused pass. s = sigmoid(beta x) is computed once by the
// forward and shared as a constant; every use of it as a function of x is differentiated explicitly below.

// beta s(1-s) (1-2s) beta, the derivative of beta s(1-s), written with differentiable ops of x for third and
// higher orders.
Tensor softplus_d3(const Tensor& x, real beta) {
  const Tensor s = sigmoid(x * beta);
  return s * (real(1) - s) * (real(1) - real(2) * s) * (beta * beta);
}

// d/dx of softplus_backward(g, x) = gg * g * beta s (1-s), one pass. Its backward is linear in gg and g with
// the same factor; in x it takes the next derivative.
Tensor softplus_backward2(const Tensor& gg, const Tensor& g, const Tensor& x, const Tensor& s, real beta) {
  Tensor y = Tensor::empty(x.shape());
  const real *pgg = gg.data(), *pg = g.data(), *ps = s.data();
  real* py = y.data();
  const int64_t n = x.numel();
#pragma omp parallel for if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) py[i] = pgg[i] * pg[i] * (beta * ps[i] * (real(1) - ps[i]));
  return record("softplus_backward2", {gg, g, x}, y, [s, beta](const BackwardArgs& c) {
    const Tensor &gg = c.inputs[0], &g = c.inputs[1], &x = c.inputs[2];
    return std::vector<Tensor>{c.needs[0] ? softplus_backward2(c.gout, g, x, s, beta) : Tensor(),
                               c.needs[1] ? softplus_backward2(c.gout, gg, x, s, beta) : Tensor(),
                               c.needs[2] ? c.gout * gg * g * softplus_d3(x, beta) : Tensor()};
  });
}

// softplus's backward, g * sigmoid(beta x) with x of g's shape, in one pass. Linear in g with the same factor,
// so its derivative in g is itself; in x it is softplus_backward2.
Tensor softplus_backward(const Tensor& g, const Tensor& x, const Tensor& s, real beta) {
  Tensor y = Tensor::empty(x.shape());
  const real *pg = g.data(), *ps = s.data();
  real* py = y.data();
  const int64_t n = x.numel();
#pragma omp parallel for if (n > kParallelThreshold)
  for (int64_t i = 0; i < n; ++i) py[i] = pg[i] * ps[i];
  return record("softplus_backward", {g, x}, y, [s, beta](const BackwardArgs& c) {
    const Tensor &g = c.inputs[0], &x = c.inputs[1];
    return std::vector<Tensor>{c.needs[0] ? softplus_backward(c.gout, x, s, beta) : Tensor(),
                               c.needs[1] ? softplus_backward2(c.gout, g, x, s, beta) : Tensor()};
  });
}

}  // namespace

Tensor softplus(const Tensor& x, real beta) {
  // One exp per entry gives both softplus(x) and s = sigmoid(beta x), which the backward reuses. The loop is
  // arithmetic-bound, so it is one of the per-ISA kernels (autodiff/isa/elementwise_block.inc): the float build's
  // exp and log1p are fast:: ones (within 2 ulp) that vectorise, with AVX2 or AVX-512 where the CPU has them.
  Tensor y = Tensor::empty(x.shape()), s = Tensor::empty(x.shape());
  const real* px = x.data();
  real *py = y.data(), *ps = s.data();
  const int64_t n = x.numel();
  const auto block = kernels::simd_level() == kernels::SimdLevel::avx512 ? kernels::avx512::softplus_block
                     : kernels::simd_level() == kernels::SimdLevel::avx2 ? kernels::avx2::softplus_block
                                                                         : kernels::portable::softplus_block;
  constexpr int64_t kChunk = 4096;
#pragma omp parallel for if (n > kParallelThreshold)
  for (int64_t start = 0; start < n; start += kChunk)
    block(px + start, beta, py + start, ps + start, std::min(kChunk, n - start));
  return record("softplus", {x}, y, [s, beta](const BackwardArgs& c) {
    return std::vector<Tensor>{softplus_backward(c.gout, c.inputs[0], s, beta)};
  });
}

Tensor sigmoid(const Tensor& x) {
  const auto f = [](real v) {
    return v >= 0 ? real(1) / (real(1) + std::exp(-v)) : std::exp(v) / (real(1) + std::exp(v));
  };
  return record("sigmoid", {x}, map(x, f), [](const BackwardArgs& c) {
    return std::vector<Tensor>{mul(c.gout, c.out * (real(1) - c.out))};
  });
}

Tensor tanh(const Tensor& x) {
  return record("tanh", {x}, map(x, [](real v) { return std::tanh(v); }), [](const BackwardArgs& c) {
    return std::vector<Tensor>{mul(c.gout, real(1) - c.out * c.out)};
  });
}

namespace {

// Dropout masks are counter-based: whether entry i is kept is a hash of (key, i), with the key one draw from the
// caller's Generator. So a mask depends only on the seed and on how many masks the generator has drawn (not on
// the thread count), it is drawn in parallel, and the backward recomputes it instead of storing it. Entries go
// in chunks of a fixed size, each keyed by splitmix64 of (key, chunk index); inside a chunk the hash is 32-bit
// integer arithmetic, which vectorises.
constexpr int64_t kDropoutChunk = 1 << 14;

// splitmix64's output function: the chunk's 64-bit key from (key, chunk index).
uint64_t dropout_chunk_key(uint64_t key, uint64_t chunk) {
  uint64_t z = key + (chunk + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// lowbias32 (C. Wellons' hash prospector): a bijection of 32-bit words with near-ideal avalanche.
inline uint32_t mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

struct DropoutMask {
  uint64_t key;
  uint32_t drop_below;  // an entry is dropped iff its hash is below this: probability drop_below / 2^32 = p
  real keep_scale;      // 1 / (1 - p)
  int64_t first_entry;  // x's entry 0 is this entry of the whole mask (a data-parallel rank's rows of a batch)
};

// x times the mask: 0 where dropped, keep_scale elsewhere. Linear and diagonal in x, so it is its own backward.
Tensor apply_dropout_mask(const Tensor& x, const DropoutMask& mask) {
  Tensor y = Tensor::empty(x.shape());
  const real* px = x.data();
  real* py = y.data();
  const int64_t n = x.numel(), first = mask.first_entry, end = first + n;
  const int64_t first_chunk = first / kDropoutChunk, chunks = (end + kDropoutChunk - 1) / kDropoutChunk;
  const uint32_t drop_below = mask.drop_below;  // locals, not loads through `mask` that might alias y
  const real keep_scale = mask.keep_scale;
#pragma omp parallel for if (n > kParallelThreshold)
  for (int64_t c = first_chunk; c < chunks; ++c) {
    const uint64_t ck = dropout_chunk_key(mask.key, static_cast<uint64_t>(c));
    const uint32_t k0 = static_cast<uint32_t>(ck), k1 = static_cast<uint32_t>(ck >> 32);
    // The part of chunk c that x holds: mask entries [lo, hi), at x's entries [lo - first, hi - first).
    const int64_t lo = std::max(c * kDropoutChunk, first), hi = std::min((c + 1) * kDropoutChunk, end);
    const int64_t offset_in_chunk = lo - c * kDropoutChunk, len = hi - lo;
    const real* src = px + (lo - first);
    real* dst = py + (lo - first);
    for (int64_t j = 0; j < len; ++j) {
      const uint32_t h = mix32(mix32(static_cast<uint32_t>(j + offset_in_chunk) ^ k0) + k1);
      dst[j] = src[j] * (h < drop_below ? real(0) : keep_scale);  // a product, as x * mask: NaN stays
    }
  }
  return record("dropout", {x}, y, [mask](const BackwardArgs& c) {
    return std::vector<Tensor>{apply_dropout_mask(c.gout, mask)};
  });
}

}  // namespace

Tensor dropout(const Tensor& x, real p, bool training, Generator& gen, int64_t first_row) {
  if (p < 0 || p >= 1) throw Error("dropout: probability must be in [0, 1), got " + std::to_string(p));
  if (first_row < 0) throw Error("dropout: first_row must be >= 0, got " + std::to_string(first_row));
  if (!training || p == 0) return x;
  // p < 1, so p 2^32 < 2^32; computed in double, the drop probability is p to within 2^-32.
  const auto drop_below = static_cast<uint32_t>(static_cast<double>(p) * 4294967296.0);
  const int64_t row_entries = x.dim() > 0 && x.size(0) > 0 ? x.numel() / x.size(0) : 0;
  return apply_dropout_mask(x, DropoutMask{gen.next_u64(), drop_below, real(1) / (real(1) - p),
                                           first_row * row_entries});
}

}  // namespace mxai
