// Pooling. Max pooling is a gather at each window's argmax and average pooling is linear; each is paired with its
// adjoint (a scatter to the argmax, a spread over the window), each the other's backward.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

#include "autodiff/backward_rule.h"
#include "autodiff/graph.h"
#include "autodiff/ops.h"

namespace mxai {

namespace {

struct PoolGeometry {
  int64_t N, C, H, W, OH, OW, kernel, stride, padding;
};

PoolGeometry pool_geometry(const char* op, const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
  if (x.dim() != 4) throw Error(std::string(op) + ": expected input (N,C,H,W), got " + shape_str(x.shape()));
  if (stride == 0) stride = kernel;
  if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel)
    throw Error(std::string(op) + ": invalid kernel " + std::to_string(kernel) + ", stride " + std::to_string(stride) +
                ", padding " + std::to_string(padding) + " (padding must be at most half the kernel)");
  PoolGeometry g{x.size(0), x.size(1), x.size(2), x.size(3), 0, 0, kernel, stride, padding};
  g.OH = (g.H + 2 * padding - kernel) / stride + 1;
  g.OW = (g.W + 2 * padding - kernel) / stride + 1;
  if (g.OH < 1 || g.OW < 1)
    throw Error(std::string(op) + ": input " + shape_str(x.shape()) + " is smaller than the kernel " +
                std::to_string(kernel));
  return g;
}

// Calls f(i, j) for every in-bounds input pixel (i, j) of output (oi, oj)'s window.
template <class F>
void for_each_window_pixel(const PoolGeometry& g, int64_t oi, int64_t oj, F f) {
  for (int64_t ki = 0; ki < g.kernel; ++ki) {
    const int64_t i = oi * g.stride - g.padding + ki;
    if (i < 0 || i >= g.H) continue;
    for (int64_t kj = 0; kj < g.kernel; ++kj) {
      const int64_t j = oj * g.stride - g.padding + kj;
      if (j >= 0 && j < g.W) f(i, j);
    }
  }
}

// Average pooling: calls f(plane, oi, oj) for every output of every (n, c) plane, the planes in parallel when
// the windows are many. A window only touches its own plane, so the planes need no synchronisation.
template <class F>
void for_each_avg_pool_output(const PoolGeometry& g, F f) {
#pragma omp parallel for if (g.N * g.C > 1 && g.N * g.C * g.OH * g.OW * g.kernel * g.kernel > (1 << 15))
  for (int64_t plane = 0; plane < g.N * g.C; ++plane)
    for (int64_t oi = 0; oi < g.OH; ++oi)
      for (int64_t oj = 0; oj < g.OW; ++oj) f(plane, oi, oj);
}

// 1 / kernel^2: every window divides by its full size, the padding included.
real avg_pool_weight(const PoolGeometry& g) { return real(1) / static_cast<real>(g.kernel * g.kernel); }

Tensor avg_pool_adjoint(const Tensor& gy, const PoolGeometry& g);

Tensor avg_pool_forward(const Tensor& x, const PoolGeometry& g) {
  Tensor y = Tensor::empty({g.N, g.C, g.OH, g.OW});
  const real* px = x.data();
  real* py = y.data();
  const real scale = avg_pool_weight(g);
  for_each_avg_pool_output(g, [&](int64_t plane, int64_t oi, int64_t oj) {
    real acc = 0;
    for_each_window_pixel(g, oi, oj, [&](int64_t i, int64_t j) { acc += px[(plane * g.H + i) * g.W + j]; });
    py[(plane * g.OH + oi) * g.OW + oj] = acc * scale;
  });
  return record("avg_pool2d", {x}, y, [g](const BackwardArgs& c) {
    return std::vector<Tensor>{avg_pool_adjoint(c.gout, g)};
  });
}

Tensor avg_pool_adjoint(const Tensor& gy, const PoolGeometry& g) {
  Tensor gx = Tensor::zeros({g.N, g.C, g.H, g.W});
  const real* pg = gy.data();
  real* px = gx.data();
  const real scale = avg_pool_weight(g);
  for_each_avg_pool_output(g, [&](int64_t plane, int64_t oi, int64_t oj) {
    const real v = pg[(plane * g.OH + oi) * g.OW + oj] * scale;
    for_each_window_pixel(g, oi, oj, [&](int64_t i, int64_t j) { px[(plane * g.H + i) * g.W + j] += v; });
  });
  return record("avg_pool2d_adjoint", {gy}, gx, [g](const BackwardArgs& c) {
    return std::vector<Tensor>{avg_pool_forward(c.gout, g)};
  });
}

// Max pooling records, for every output, the offset of its window's argmax inside its (n, c) plane. A window
// only reads its own plane, so each kernel below runs over planes in parallel, and the backward needs neither
// atomics nor a zero fill of the whole input gradient (each plane is zeroed just before its scatter, in cache).
using PlaneIndex = std::shared_ptr<const std::vector<int32_t>>;

bool parallel_planes(const PoolGeometry& g) {
  return g.N * g.C > 1 && g.N * g.C * g.OH * g.OW * g.kernel * g.kernel > (1 << 17);
}

// The window argmax rule: the first maximum wins, and a NaN propagates (the last NaN of the window wins).
inline bool takes_max(real v, real best) { return v > best || v != v; }

// One plane of max_pool2d: y[o] = the maximum of o's window, at[o] = its offset in the plane.
void max_pool_plane(const PoolGeometry& g, const real* x, real* y, int32_t* at) {
  if (g.kernel == 2 && g.stride == 2 && g.padding == 0) {
    // The usual max_pool2d(2): disjoint 2x2 windows inside the image, no bounds tests, branch-free selects.
    for (int64_t oi = 0; oi < g.OH; ++oi) {
      const real* r0 = x + 2 * oi * g.W;
      const real* r1 = r0 + g.W;
      const int32_t row = static_cast<int32_t>(2 * oi * g.W), next = static_cast<int32_t>(g.W);
      real* yrow = y + oi * g.OW;
      int32_t* arow = at + oi * g.OW;
      for (int64_t oj = 0; oj < g.OW; ++oj) {
        const int64_t j = 2 * oj;
        const int32_t j32 = static_cast<int32_t>(j);
        real best = r0[j];
        int32_t where = row + j32;
        if (takes_max(r0[j + 1], best)) best = r0[j + 1], where = row + j32 + 1;
        if (takes_max(r1[j], best)) best = r1[j], where = row + next + j32;
        if (takes_max(r1[j + 1], best)) best = r1[j + 1], where = row + next + j32 + 1;
        yrow[oj] = best;
        arow[oj] = where;
      }
    }
    return;
  }
  for (int64_t oi = 0; oi < g.OH; ++oi)
    for (int64_t oj = 0; oj < g.OW; ++oj) {
      int64_t where = -1;
      real best = 0;
      for_each_window_pixel(g, oi, oj, [&](int64_t i, int64_t j) {
        const int64_t k = i * g.W + j;
        if (where < 0 || takes_max(x[k], best)) where = k, best = x[k];
      });
      y[oi * g.OW + oj] = best;
      at[oi * g.OW + oj] = static_cast<int32_t>(where);
    }
}

Tensor max_pool_scatter(const Tensor& gy, const PlaneIndex& index, const PoolGeometry& g);

// y[o] = x[o's recorded argmax]: max_pool2d's selection applied to another tensor (the backward's backward).
Tensor max_pool_gather(const Tensor& x, const PlaneIndex& index, const PoolGeometry& g) {
  Tensor y = Tensor::empty({g.N, g.C, g.OH, g.OW});
  const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
  const real* px = x.data();
  real* py = y.data();
  const int32_t* idx = index->data();
#pragma omp parallel for if (parallel_planes(g))
  for (int64_t plane = 0; plane < g.N * g.C; ++plane)
    for (int64_t o = plane * out_plane; o < (plane + 1) * out_plane; ++o) py[o] = px[plane * in_plane + idx[o]];
  return record("max_pool2d_gather", {x}, y, [index, g](const BackwardArgs& c) {
    return std::vector<Tensor>{max_pool_scatter(c.gout, index, g)};
  });
}

// max_pool2d's backward, the adjoint of the gather: each output gradient added at its window's argmax, zero
// elsewhere (overlapping windows may share an argmax, hence the +=).
Tensor max_pool_scatter(const Tensor& gy, const PlaneIndex& index, const PoolGeometry& g) {
  Tensor gx = Tensor::empty({g.N, g.C, g.H, g.W});
  const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
  const real* pg = gy.data();
  real* px = gx.data();
  const int32_t* idx = index->data();
#pragma omp parallel for if (parallel_planes(g))
  for (int64_t plane = 0; plane < g.N * g.C; ++plane) {
    real* dst = px + plane * in_plane;
    std::fill_n(dst, in_plane, real(0));
    for (int64_t o = plane * out_plane; o < (plane + 1) * out_plane; ++o) dst[idx[o]] += pg[o];
  }
  return record("max_pool2d_backward", {gy}, gx, [index, g](const BackwardArgs& c) {
    return std::vector<Tensor>{max_pool_gather(c.gout, index, g)};
  });
}

// DeepLift's rescale rule for max pooling (Captum's maxpool rule; backward_rule.h), for a batch of N inputs followed
// by their N references. Each window splits its output difference y_x - y_r at m = max(y_x, y_r): g (m - y_r) is
// credited to the input's argmax and g (y_x - m) to the reference's argmax (at the same place of the input's plane),
// each divided there by the input difference x - r (the plain gradient where |x - r| < 1e-10). Times x - r, the
// credits sum to g (y_x - y_r) per window, which keeps DeepLift complete through the pool. Only the input rows get
// a gradient. Linear in g and built from differentiable ops; the credits and 1/(x - r) are constants.
std::vector<Tensor> max_pool_rescale_backward(const BackwardArgs& c, const PlaneIndex& index, const PoolGeometry& g) {
  if (g.N % 2 != 0)
    throw Error("max_pool2d: DeepLift's rescale rule needs a batch of inputs followed by as many references, got " +
                std::to_string(g.N) + " rows");
  const int64_t n = g.N / 2, in_plane = g.H * g.W, out_plane = g.OH * g.OW;
  const int64_t in_half = n * g.C * in_plane, out_half = n * g.C * out_plane;
  const Shape half_in{n, g.C, g.H, g.W}, half_out{n, g.C, g.OH, g.OW};
  auto at_input = std::make_shared<std::vector<int64_t>>(out_half);
  auto at_reference = std::make_shared<std::vector<int64_t>>(out_half);
  Tensor to_input = Tensor::empty(half_out), to_reference = Tensor::empty(half_out);
  const real* y = c.out.data();
  const int32_t* idx = index->data();
  for (int64_t o = 0; o < out_half; ++o) {
    const int64_t plane_start = (o / out_plane) * in_plane;
    (*at_input)[o] = plane_start + idx[o];
    (*at_reference)[o] = plane_start + idx[out_half + o];
    const real m = std::max(y[o], y[out_half + o]);
    to_input.data()[o] = m - y[out_half + o];
    to_reference.data()[o] = y[o] - m;
  }
  Tensor inverse_difference = Tensor::empty(half_in), fallback = Tensor::empty(half_in);
  const real* x = c.inputs[0].data();
  for (int64_t i = 0; i < in_half; ++i) {
    const double difference = static_cast<double>(x[i]) - x[in_half + i];
    const bool tiny = std::abs(difference) < 1e-10;
    inverse_difference.data()[i] = tiny ? real(0) : static_cast<real>(1 / difference);
    fallback.data()[i] = tiny ? real(1) : real(0);
  }
  const Tensor gy = narrow(c.gout, 0, 0, n);
  const Tensor credits = add(scatter_add_flat(mul(gy, to_input), at_input, half_in),
                             scatter_add_flat(mul(gy, to_reference), at_reference, half_in));
  const Tensor gradient = scatter_add_flat(gy, at_input, half_in);
  const Tensor gx = add(mul(credits, inverse_difference), mul(gradient, fallback));
  return {concat({gx, Tensor::zeros(half_in)}, 0)};
}

}  // namespace

Tensor max_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
  const PoolGeometry g = pool_geometry("max_pool2d", x, kernel, stride, padding);
  if (g.H * g.W > std::numeric_limits<int32_t>::max())
    throw Error("max_pool2d: input planes of " + std::to_string(g.H * g.W) + " pixels are too large");
  Tensor y = Tensor::empty({g.N, g.C, g.OH, g.OW});
  auto index = std::make_shared<std::vector<int32_t>>(g.N * g.C * g.OH * g.OW);
  const int64_t in_plane = g.H * g.W, out_plane = g.OH * g.OW;
  const real* px = x.data();
  real* py = y.data();
  int32_t* idx = index->data();
#pragma omp parallel for if (parallel_planes(g))
  for (int64_t plane = 0; plane < g.N * g.C; ++plane)
    max_pool_plane(g, px + plane * in_plane, py + plane * out_plane, idx + plane * out_plane);
  if (backward_rule() == BackwardRule::DeepLiftRescale)
    return record("max_pool2d", {x}, y, [index = PlaneIndex(index), g](const BackwardArgs& c) {
      return max_pool_rescale_backward(c, index, g);
    });
  return record("max_pool2d", {x}, y, [index = PlaneIndex(index), g](const BackwardArgs& c) {
    return std::vector<Tensor>{max_pool_scatter(c.gout, index, g)};
  });
}

Tensor avg_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
  return avg_pool_forward(x, pool_geometry("avg_pool2d", x, kernel, stride, padding));
}

}  // namespace mxai
