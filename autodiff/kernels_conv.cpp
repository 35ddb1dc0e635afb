#include <algorithm>

#include "autodiff/kernels.h"

namespace mxai::kernels {

real* scratch(int slot, int64_t n) {
  thread_local Storage buffers[3];
  Storage& b = buffers[slot];
  if (static_cast<int64_t>(b.size()) < n) b.resize(static_cast<size_t>(n));
  return b.data();
}

void im2col(const ConvGeometry& g, const real* image, real* cols) {
  const int64_t pixels = g.pixels();
  for (int64_t c = 0; c < g.C; ++c)
    for (int64_t ki = 0; ki < g.KH; ++ki)
      for (int64_t kj = 0; kj < g.KW; ++kj) {
        real* row = cols + ((c * g.KH + ki) * g.KW + kj) * pixels;
        const real* plane = image + c * g.H * g.W;
        for (int64_t oi = 0; oi < g.OH; ++oi) {
          const int64_t i = oi * g.stride - g.padding + ki * g.dilation;
          real* out = row + oi * g.OW;
          if (i < 0 || i >= g.H) {
            std::fill_n(out, g.OW, real(0));
            continue;
          }
          const real* in = plane + i * g.W;
          const int64_t j0 = kj * g.dilation - g.padding;
          if (g.stride == 1 && j0 >= 0 && j0 + g.OW <= g.W) {  // the common interior case: one contiguous copy
            std::copy_n(in + j0, g.OW, out);
            continue;
          }
          for (int64_t oj = 0; oj < g.OW; ++oj) {
            const int64_t j = j0 + oj * g.stride;
            out[oj] = (j >= 0 && j < g.W) ? in[j] : real(0);
          }
        }
      }
}

void col2im(const ConvGeometry& g, const real* cols, real* image) {
  std::fill_n(image, g.C * g.H * g.W, real(0));
  const int64_t pixels = g.pixels();
  for (int64_t c = 0; c < g.C; ++c)
    for (int64_t ki = 0; ki < g.KH; ++ki)
      for (int64_t kj = 0; kj < g.KW; ++kj) {
        const real* row = cols + ((c * g.KH + ki) * g.KW + kj) * pixels;
        real* plane = image + c * g.H * g.W;
        for (int64_t oi = 0; oi < g.OH; ++oi) {
          const int64_t i = oi * g.stride - g.padding + ki * g.dilation;
          if (i < 0 || i >= g.H) continue;
          real* out = plane + i * g.W;
          const real* in = row + oi * g.OW;
          const int64_t j0 = kj * g.dilation - g.padding;
          if (g.stride == 1 && j0 >= 0 && j0 + g.OW <= g.W) {  // interior row: no bounds tests, vectorisable
            for (int64_t oj = 0; oj < g.OW; ++oj) out[j0 + oj] += in[oj];
            continue;
          }
          for (int64_t oj = 0; oj < g.OW; ++oj) {
            const int64_t j = j0 + oj * g.stride;
            if (j >= 0 && j < g.W) out[j] += in[oj];
          }
        }
      }
}

// The three references share one loop nest: visit every (n, o, c, ki, kj, oi, oj) that couples an input pixel
// with an output pixel through a weight, and hand the three flat indices to `f`.
template <class F>
static void for_each_tap(const ConvGeometry& g, F f) {
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t o = 0; o < g.O; ++o)
      for (int64_t c = 0; c < g.C; ++c)
        for (int64_t ki = 0; ki < g.KH; ++ki)
          for (int64_t kj = 0; kj < g.KW; ++kj)
            for (int64_t oi = 0; oi < g.OH; ++oi)
              for (int64_t oj = 0; oj < g.OW; ++oj) {
                const int64_t i = oi * g.stride - g.padding + ki * g.dilation;
                const int64_t j = oj * g.stride - g.padding + kj * g.dilation;
                if (i < 0 || i >= g.H || j < 0 || j >= g.W) continue;
                f(((n * g.C + c) * g.H + i) * g.W + j, ((o * g.C + c) * g.KH + ki) * g.KW + kj,
                  ((n * g.O + o) * g.OH + oi) * g.OW + oj);
              }
}

void conv2d_naive(const ConvGeometry& g, const real* x, const real* w, real* y) {
  std::fill_n(y, g.N * g.O * g.OH * g.OW, real(0));
  for_each_tap(g, [&](int64_t xi, int64_t wi, int64_t yi) { y[yi] += x[xi] * w[wi]; });
}

void conv2d_input_naive(const ConvGeometry& g, const real* gy, const real* w, real* gx) {
  std::fill_n(gx, g.N * g.C * g.H * g.W, real(0));
  for_each_tap(g, [&](int64_t xi, int64_t wi, int64_t yi) { gx[xi] += gy[yi] * w[wi]; });
}

void conv2d_weight_naive(const ConvGeometry& g, const real* x, const real* gy, real* gw) {
  std::fill_n(gw, g.O * g.C * g.KH * g.KW, real(0));
  for_each_tap(g, [&](int64_t xi, int64_t wi, int64_t yi) { gw[wi] += x[xi] * gy[yi]; });
}

}  // namespace mxai::kernels
