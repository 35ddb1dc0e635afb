// Pooling. Max pooling is a gather at each window's argmax (so its derivatives come from gather/scatter-add);
// average pooling is linear, paired with its adjoint, each the other's backward.
#include <limits>
#include <memory>

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

// Calls f(plane, oi, oj, i, j) for every in-bounds input pixel (i, j) of every output window.
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

Tensor avg_pool_adjoint(const Tensor& gy, const PoolGeometry& g);

Tensor avg_pool_forward(const Tensor& x, const PoolGeometry& g) {
  Tensor y = Tensor::empty({g.N, g.C, g.OH, g.OW});
  const real* px = x.data();
  real* py = y.data();
  const real scale = real(1) / static_cast<real>(g.kernel * g.kernel);
#pragma omp parallel for if (g.N * g.C > 1 && g.N * g.C * g.OH * g.OW * g.kernel * g.kernel > (1 << 15))
  for (int64_t plane = 0; plane < g.N * g.C; ++plane)
    for (int64_t oi = 0; oi < g.OH; ++oi)
      for (int64_t oj = 0; oj < g.OW; ++oj) {
        real acc = 0;
        for_each_window_pixel(g, oi, oj, [&](int64_t i, int64_t j) { acc += px[(plane * g.H + i) * g.W + j]; });
        py[(plane * g.OH + oi) * g.OW + oj] = acc * scale;
      }
  return record("avg_pool2d", {x}, y, [g](const BackwardArgs& c) {
    return std::vector<Tensor>{avg_pool_adjoint(c.gout, g)};
  });
}

Tensor avg_pool_adjoint(const Tensor& gy, const PoolGeometry& g) {
  Tensor gx = Tensor::zeros({g.N, g.C, g.H, g.W});
  const real* pg = gy.data();
  real* px = gx.data();
  const real scale = real(1) / static_cast<real>(g.kernel * g.kernel);
#pragma omp parallel for if (g.N * g.C > 1 && g.N * g.C * g.OH * g.OW * g.kernel * g.kernel > (1 << 15))
  for (int64_t plane = 0; plane < g.N * g.C; ++plane)
    for (int64_t oi = 0; oi < g.OH; ++oi)
      for (int64_t oj = 0; oj < g.OW; ++oj) {
        const real v = pg[(plane * g.OH + oi) * g.OW + oj] * scale;
        for_each_window_pixel(g, oi, oj, [&](int64_t i, int64_t j) { px[(plane * g.H + i) * g.W + j] += v; });
      }
  return record("avg_pool2d_adjoint", {gy}, gx, [g](const BackwardArgs& c) {
    return std::vector<Tensor>{avg_pool_forward(c.gout, g)};
  });
}

}  // namespace

Tensor max_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
  const PoolGeometry g = pool_geometry("max_pool2d", x, kernel, stride, padding);
  auto index = std::make_shared<std::vector<int64_t>>(g.N * g.C * g.OH * g.OW);
  const real* px = x.data();
  int64_t* idx = index->data();
  // Non-overlapping windows without padding (the usual max_pool2d(2)) lie inside the image: no bounds tests.
  const bool tiled = g.padding == 0 && g.stride == g.kernel;
#pragma omp parallel for if (g.N * g.C > 1 && g.N * g.C * g.OH * g.OW * g.kernel * g.kernel > (1 << 17))
  for (int64_t plane = 0; plane < g.N * g.C; ++plane)
    for (int64_t oi = 0; oi < g.OH; ++oi)
      for (int64_t oj = 0; oj < g.OW; ++oj) {
        int64_t best = -1;
        real best_value = -std::numeric_limits<real>::infinity();
        const auto visit = [&](int64_t at) {
          if (best < 0 || px[at] > best_value || px[at] != px[at]) {  // first maximum wins; NaN propagates
            best = at;
            best_value = px[at];
          }
        };
        if (tiled) {
          const int64_t corner = (plane * g.H + oi * g.kernel) * g.W + oj * g.kernel;
          for (int64_t ki = 0; ki < g.kernel; ++ki)
            for (int64_t kj = 0; kj < g.kernel; ++kj) visit(corner + ki * g.W + kj);
        } else {
          for_each_window_pixel(g, oi, oj, [&](int64_t i, int64_t j) { visit((plane * g.H + i) * g.W + j); });
        }
        idx[(plane * g.OH + oi) * g.OW + oj] = best;
      }
  return gather_flat(x, index, {g.N, g.C, g.OH, g.OW});
}

Tensor avg_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
  return avg_pool_forward(x, pool_geometry("avg_pool2d", x, kernel, stride, padding));
}

}  // namespace mxai
