#include "explain/occlusion.h"

#include <algorithm>
#include <string>
#include <vector>

#include "autodiff/ops.h"
#include "explain/target.h"

namespace mxai::explain {

namespace {

struct Window {
  int64_t top, left;
};

// Captum's positions: from 0 in steps of the stride until the window reaches the far edge, 1 + ceil((H - window) /
// stride) per axis; the last window of an axis may stick out and is cut at the border.
std::vector<Window> window_positions(int64_t height, int64_t width, const OcclusionSettings& s) {
  if (s.window_h < 1 || s.window_w < 1 || s.stride_h < 1 || s.stride_w < 1 || s.window_h > height ||
      s.window_w > width)
    throw Error("occlusion: window " + std::to_string(s.window_h) + "x" + std::to_string(s.window_w) + ", stride " +
                std::to_string(s.stride_h) + "x" + std::to_string(s.stride_w) + " for images of " +
                std::to_string(height) + "x" + std::to_string(width));
  const auto count = [](int64_t size, int64_t window, int64_t stride) {
    return 1 + (size - window + stride - 1) / stride;
  };
  std::vector<Window> windows;
  for (int64_t a = 0; a < count(height, s.window_h, s.stride_h); ++a)
    for (int64_t b = 0; b < count(width, s.window_w, s.stride_w); ++b) windows.push_back({a * s.stride_h, b * s.stride_w});
  return windows;
}

// Calls f(index within one example) for every entry under the window (cut at the border), in every channel.
template <class F>
void for_each_covered(const Window& w, const OcclusionSettings& s, int64_t channels, int64_t height, int64_t width,
                      F f) {
  const int64_t bottom = std::min(w.top + s.window_h, height), right = std::min(w.left + s.window_w, width);
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t i = w.top; i < bottom; ++i)
      for (int64_t j = w.left; j < right; ++j) f((c * height + i) * width + j);
}

}  // namespace

Tensor occlusion(const Model& model, const Tensor& input, const Targets& target, const OcclusionSettings& settings) {
  if (input.dim() != 4) throw Error("occlusion: expected images (N,C,H,W), got " + shape_str(input.shape()));
  if (settings.internal_batch_size < 0) throw Error("occlusion: internal_batch_size must be >= 0");
  const int64_t n = input.size(0), channels = input.size(1), height = input.size(2), width = input.size(3);
  const int64_t features = channels * height * width;
  const std::vector<Window> windows = window_positions(height, width, settings);
  const Targets targets = resolve_targets(model, input, target);
  const std::vector<double> clean = target_logit_values(model, input, targets, std::max<int64_t>(n, 1));

  // Row r of the virtual (windows * N) batch is example r % N under window r / N.
  const int64_t total = static_cast<int64_t>(windows.size()) * n;
  const int64_t chunk = settings.internal_batch_size > 0 ? settings.internal_batch_size : std::max<int64_t>(total, 1);
  std::vector<double> drop_sum(static_cast<size_t>(n * features), 0.0), cover(static_cast<size_t>(features), 0.0);
  for (const Window& w : windows)
    for_each_covered(w, settings, channels, height, width, [&](int64_t f) { cover[static_cast<size_t>(f)] += 1; });
  for (int64_t start = 0; start < total; start += chunk) {
    const int64_t rows = std::min(chunk, total - start);
    Tensor occluded = Tensor::empty({rows, channels, height, width});
    Targets row_targets(static_cast<size_t>(rows));
    for (int64_t j = 0; j < rows; ++j) {
      const int64_t r = start + j, example = r % n;
      real* dst = occluded.data() + j * features;
      std::copy(input.data() + example * features, input.data() + (example + 1) * features, dst);
      for_each_covered(windows[static_cast<size_t>(r / n)], settings, channels, height, width,
                       [&](int64_t f) { dst[f] = settings.baseline; });
      row_targets[static_cast<size_t>(j)] = targets[static_cast<size_t>(example)];
    }
    const std::vector<double> logits = target_logit_values(model, occluded, row_targets, rows);
    for (int64_t j = 0; j < rows; ++j) {
      const int64_t r = start + j, example = r % n;
      const double drop = clean[static_cast<size_t>(example)] - logits[static_cast<size_t>(j)];
      double* acc = drop_sum.data() + example * features;
      for_each_covered(windows[static_cast<size_t>(r / n)], settings, channels, height, width,
                       [&](int64_t f) { acc[f] += drop; });
    }
  }

  Tensor attributions = Tensor::empty(input.shape());  // every entry lies under at least one window
  for (int64_t idx = 0; idx < n * features; ++idx)
    attributions.data()[idx] = static_cast<real>(drop_sum[static_cast<size_t>(idx)] / cover[static_cast<size_t>(idx % features)]);
  return attributions;
}

}  // namespace mxai::explain
