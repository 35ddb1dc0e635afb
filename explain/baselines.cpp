#include "explain/baselines.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace mxai::explain {

namespace {

void check_batch(const Tensor& x, const char* what) {
  if (!x.defined() || x.dim() < 2) throw Error(std::string(what) + ": expected a batch (N,...), got " +
                                               (x.defined() ? shape_str(x.shape()) : std::string("undefined")));
}

void check_range(real lo, real hi, const char* what) {
  if (!(lo <= hi)) throw Error(std::string(what) + ": need lo <= hi, got [" + std::to_string(lo) + ", " +
                               std::to_string(hi) + "]");
}

// The normalised 1-D Gaussian taps for offsets -radius..radius.
std::vector<double> gaussian_taps(double sigma) {
  const int64_t radius = static_cast<int64_t>(4.0 * sigma + 0.5);
  std::vector<double> taps(static_cast<size_t>(2 * radius + 1));
  double total = 0;
  for (int64_t o = -radius; o <= radius; ++o) {
    const double v = std::exp(-0.5 * (o * o) / (sigma * sigma));
    taps[static_cast<size_t>(o + radius)] = v;
    total += v;
  }
  for (double& v : taps) v /= total;
  return taps;
}

// scipy's "reflect" for any out-of-range index, including radii wider than the axis.
int64_t reflect_index(int64_t i, int64_t length) {
  const int64_t period = 2 * length;
  i %= period;
  if (i < 0) i += period;
  return i < length ? i : period - 1 - i;
}

// One 1-D pass over `count` lines of `length` samples spaced `stride` apart, starting at line_start(l).
template <typename LineStart>
void blur_lines(const std::vector<double>& taps, BlurPadding padding, int64_t count, int64_t length, int64_t stride,
                LineStart line_start, const std::vector<double>& src, std::vector<double>& dst) {
  const int64_t radius = static_cast<int64_t>(taps.size() / 2);
  for (int64_t l = 0; l < count; ++l) {
    const int64_t base = line_start(l);
    for (int64_t i = 0; i < length; ++i) {
      double acc = 0;
      for (int64_t o = -radius; o <= radius; ++o) {
        int64_t j = i + o;
        if (j < 0 || j >= length) {
          if (padding == BlurPadding::Zero) continue;
          j = reflect_index(j, length);
        }
        acc += taps[static_cast<size_t>(o + radius)] * src[static_cast<size_t>(base + j * stride)];
      }
      dst[static_cast<size_t>(base + i * stride)] = acc;
    }
  }
}

}  // namespace

Tensor zero_baseline(const Tensor& x) {
  check_batch(x, "zero baseline");
  return Tensor::zeros(x.shape());
}

Tensor constant_baseline(const Tensor& x, real c) {
  check_batch(x, "constant baseline");
  return Tensor::full(x.shape(), c);
}

Tensor uniform_baseline(const Tensor& x, real lo, real hi, Generator& gen) {
  check_batch(x, "uniform baseline");
  check_range(lo, hi, "uniform baseline");
  return rand(x.shape(), gen, lo, hi);
}

Tensor max_distance_baseline(const Tensor& x, real lo, real hi) {
  check_batch(x, "maximum-distance baseline");
  check_range(lo, hi, "maximum-distance baseline");
  Tensor b = Tensor::empty(x.shape());
  const real midpoint = (lo + hi) / 2;
  const real* px = x.data();
  real* pb = b.data();
  for (int64_t i = 0; i < x.numel(); ++i) pb[i] = px[i] < midpoint ? hi : lo;
  return b;
}

Tensor gaussian_noise_baseline(const Tensor& x, real sigma, real lo, real hi, Generator& gen) {
  check_batch(x, "Gaussian-noise baseline");
  check_range(lo, hi, "Gaussian-noise baseline");
  if (sigma < 0) throw Error("Gaussian-noise baseline: sigma must be >= 0, got " + std::to_string(sigma));
  Tensor b = Tensor::empty(x.shape());
  const real* px = x.data();
  real* pb = b.data();
  for (int64_t i = 0; i < x.numel(); ++i)
    pb[i] = std::clamp(static_cast<real>(px[i] + sigma * gen.normal()), lo, hi);
  return b;
}

Tensor gaussian_blur_baseline(const Tensor& x, real sigma, BlurPadding padding) {
  if (!x.defined() || x.dim() != 4)
    throw Error("Gaussian-blur baseline: expected images (N,C,H,W), got " +
                (x.defined() ? shape_str(x.shape()) : std::string("undefined")));
  if (sigma < 0) throw Error("Gaussian-blur baseline: sigma must be >= 0, got " + std::to_string(sigma));
  if (sigma == 0) return x.clone();
  const int64_t planes = x.size(0) * x.size(1), H = x.size(2), W = x.size(3);
  const std::vector<double> taps = gaussian_taps(sigma);
  std::vector<double> image(x.data(), x.data() + x.numel()), rows_done(image.size()), done(image.size());
  // Along W: one line per (plane, row); along H: one line per (plane, column).
  blur_lines(taps, padding, planes * H, W, 1, [W](int64_t l) { return l * W; }, image, rows_done);
  blur_lines(taps, padding, planes * W, H, W, [H, W](int64_t l) { return (l / W) * H * W + l % W; }, rows_done, done);
  Tensor b = Tensor::empty(x.shape());
  std::transform(done.begin(), done.end(), b.data(), [](double v) { return static_cast<real>(v); });
  return b;
}

Tensor mean_baseline(const Tensor& x, const Tensor& training_mean) {
  if (!x.defined() || x.dim() != 4)
    throw Error("training-mean baseline: expected images (N,C,H,W), got " +
                (x.defined() ? shape_str(x.shape()) : std::string("undefined")));
  return tensor_baseline(x, training_mean);
}

Tensor tensor_baseline(const Tensor& x, const Tensor& baseline) {
  check_batch(x, "tensor baseline");
  if (!baseline.defined()) throw Error("tensor baseline: the baseline tensor is undefined");
  if (baseline.shape() == x.shape()) return baseline.clone();
  const Shape example(x.shape().begin() + 1, x.shape().end());
  Shape single = example;
  single.insert(single.begin(), 1);
  if (baseline.shape() != example && baseline.shape() != single)
    throw Error("baseline of shape " + shape_str(baseline.shape()) + " for input " + shape_str(x.shape()) +
                " (give the input's shape, " + shape_str(example) + " or " + shape_str(single) + ")");
  Tensor b = Tensor::empty(x.shape());
  const int64_t n = x.size(0), features = baseline.numel();
  for (int64_t i = 0; i < n; ++i) std::copy(baseline.data(), baseline.data() + features, b.data() + i * features);
  return b;
}

namespace baselines {

BaselineFn zero() { return [](const Tensor& x) { return zero_baseline(x); }; }
BaselineFn constant(real c) {
  return [c](const Tensor& x) { return constant_baseline(x, c); };
}
BaselineFn uniform(real lo, real hi, uint64_t seed) {
  auto gen = std::make_shared<Generator>(seed);
  return [lo, hi, gen](const Tensor& x) { return uniform_baseline(x, lo, hi, *gen); };
}
BaselineFn max_distance(real lo, real hi) {
  return [lo, hi](const Tensor& x) { return max_distance_baseline(x, lo, hi); };
}
BaselineFn gaussian_noise(real sigma, real lo, real hi, uint64_t seed) {
  auto gen = std::make_shared<Generator>(seed);
  return [sigma, lo, hi, gen](const Tensor& x) { return gaussian_noise_baseline(x, sigma, lo, hi, *gen); };
}
BaselineFn gaussian_blur(real sigma, BlurPadding padding) {
  return [sigma, padding](const Tensor& x) { return gaussian_blur_baseline(x, sigma, padding); };
}
BaselineFn training_mean(Tensor mean) {
  return [mean](const Tensor& x) { return mean_baseline(x, mean); };
}
BaselineFn tensor(Tensor baseline) {
  return [baseline](const Tensor& x) { return tensor_baseline(x, baseline); };
}

}  // namespace baselines

}  // namespace mxai::explain
