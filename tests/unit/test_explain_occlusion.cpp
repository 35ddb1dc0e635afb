// Occlusion against its closed form on a linear model.
#include <catch2/catch.hpp>

#include <algorithm>

#include "autodiff/ops.h"
#include "explain/occlusion.h"
#include "unit/test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

// For F = w . x + b and baseline 0, occluding window S drops F by sum_{q in S} w_q x_q; a pixel's attribution is
// the mean of those drops over the windows that cover it. Windows start at 0, s, 2s, ... while the previous one
// has not reached the far edge, and are cut at the border.
Tensor linear_occlusion(const mxai_test::LinearModel& m, const Tensor& x, int64_t target, const OcclusionSettings& s) {
  const int64_t c = x.size(1), h = x.size(2), w = x.size(3), features = c * h * w;
  Tensor out = Tensor::zeros(x.shape());
  for (int64_t n = 0; n < x.size(0); ++n) {
    std::vector<double> total(features, 0.0), count(features, 0.0);
    for (int64_t top = 0; top - s.stride_h + s.window_h < h; top += s.stride_h)
      for (int64_t left = 0; left - s.stride_w + s.window_w < w; left += s.stride_w) {
        double drop = 0;
        for (int64_t k = 0; k < c; ++k)
          for (int64_t i = top; i < std::min(top + s.window_h, h); ++i)
            for (int64_t j = left; j < std::min(left + s.window_w, w); ++j) {
              const int64_t f = (k * h + i) * w + j;
              drop += m.weight.at({target, f}) * x.data()[n * features + f];
            }
        for (int64_t k = 0; k < c; ++k)
          for (int64_t i = top; i < std::min(top + s.window_h, h); ++i)
            for (int64_t j = left; j < std::min(left + s.window_w, w); ++j) {
              total[(k * h + i) * w + j] += drop;
              count[(k * h + i) * w + j] += 1;
            }
      }
    for (int64_t f = 0; f < features; ++f)
      out.data()[n * features + f] = static_cast<real>(total[f] / count[f]);
  }
  return out;
}

}  // namespace

TEST_CASE("occlusion of a linear model equals its closed form", "[explain][occlusion]") {
  const mxai_test::LinearModel m(2 * 5 * 5, 3, 1);
  const Tensor x = mxai_test::uniform_batch({3, 2, 5, 5}, 2);
  for (const OcclusionSettings& s : {OcclusionSettings{1, 1, 1, 1, 0, 0}, OcclusionSettings{2, 3, 1, 1, 0, 7},
                                     OcclusionSettings{2, 2, 2, 2, 0, 0}}) {
    const Tensor attributions = occlusion(m.model(), x, {1}, s);
    const Tensor expected = linear_occlusion(m, x, 1, s);
    for (int64_t i = 0; i < x.numel(); ++i) CHECK(attributions.data()[i] == Approx(expected.data()[i]).margin(1e-4));
  }
  // One-pixel windows (through both channels) credit each entry with its pixel's gradient times input, summed over
  // the channels.
  const Tensor single = occlusion(m.model(), x, {2}, OcclusionSettings{1, 1, 1, 1, 0, 0});
  for (int64_t i = 0; i < x.numel(); ++i) {
    const int64_t example = i / 50, pixel = i % 25;
    double expected = 0;
    for (int64_t c = 0; c < 2; ++c) expected += m.weight.at({2, c * 25 + pixel}) * x.data()[example * 50 + c * 25 + pixel];
    CHECK(single.data()[i] == Approx(expected).margin(1e-4));
  }
}

TEST_CASE("occlusion cuts the last window at the border and honours the baseline", "[explain][occlusion]") {
  const mxai_test::LinearModel m(25, 2, 3);
  const Tensor x = mxai_test::uniform_batch({1, 1, 5, 5}, 4);
  // Windows 2x2 at stride 2 start at 0, 2 and 4 on each axis: the corner pixel (4, 4) lies only under the last
  // window, cut to that one pixel, so its attribution is its own w x.
  const Tensor a = occlusion(m.model(), x, {0}, OcclusionSettings{2, 2, 2, 2, 0, 0});
  CHECK(a.at({0, 0, 4, 4}) == Approx(m.weight.at({0, 24}) * x.data()[24]).margin(1e-5));
  // Baseline v: the drop of a one-pixel window is w (x - v).
  const Tensor shifted = occlusion(m.model(), x, {0}, OcclusionSettings{1, 1, 1, 1, real(0.5), 0});
  for (int64_t i = 0; i < 25; ++i)
    CHECK(shifted.data()[i] == Approx(m.weight.at({0, i}) * (x.data()[i] - 0.5)).margin(1e-5));
}

TEST_CASE("occlusion rejects a window larger than the image", "[explain][occlusion]") {
  const mxai_test::LinearModel m(16, 2, 5);
  CHECK_THROWS_AS(occlusion(m.model(), Tensor::ones({1, 1, 4, 4}), {0}, OcclusionSettings{5, 1, 1, 1, 0, 0}), Error);
}
