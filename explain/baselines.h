// Base-points (baselines) for Integrated Gradients. Every one maps a batch x (N,C,H,W) (or (N,D) where no image
// structure is needed) to base-points of the same shape; BaselineFn is that common signature, and the factories in
// `baselines::` bind the parameters. Definitions follow Sturmfels, Lundberg & Lee, "Visualizing the Impact of
// Feature Attribution Baselines" (Distill 2020), as the TAIG spec (section 5) reconstructs them; [lo, hi] is the
// valid input range, [0, 1] for images in pixel units.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "autodiff/random.h"
#include "autodiff/tensor.h"

namespace mxai::explain {

// x (N,C,H,W) -> base-points (N,C,H,W).
using BaselineFn = std::function<Tensor(const Tensor& x)>;

// x (N,...) -> zeros (N,...): black in pixel space.
Tensor zero_baseline(const Tensor& x);
// x (N,...) -> c everywhere.
Tensor constant_baseline(const Tensor& x, real c);
// x (N,...) -> U[lo, hi) noise, one independent draw per entry.
Tensor uniform_baseline(const Tensor& x, real lo, real hi, Generator& gen);
// x (N,...) -> the point of the box [lo, hi]^d farthest from x (in l1 and l2 alike): hi where x < (lo + hi)/2,
// else lo.
Tensor max_distance_baseline(const Tensor& x, real lo, real hi);
// x (N,...) -> clip(x + sigma * N(0, 1), lo, hi), one draw per entry.
Tensor gaussian_noise_baseline(const Tensor& x, real sigma, real lo, real hi, Generator& gen);

enum class BlurPadding {
  // Mirror about the edge, repeating the edge pixel (scipy.ndimage's default "reflect": d c b a | a b c d | d c b a),
  // so a constant image stays constant.
  Reflect,
  // Zeros outside the image: the edges darken, as in a zero-padded convolution.
  Zero,
};
// x (N,C,H,W) -> each channel blurred by a separable, normalised Gaussian of standard deviation sigma pixels,
// truncated at radius floor(4 sigma + 0.5) (scipy.ndimage.gaussian_filter's truncate=4). sigma = 0: a copy of x.
Tensor gaussian_blur_baseline(const Tensor& x, real sigma, BlurPadding padding = BlurPadding::Reflect);
// x (N,C,H,W) -> the training mean, given as (C,H,W) or (1,C,H,W), repeated for every example.
Tensor mean_baseline(const Tensor& x, const Tensor& training_mean);
// x (N,...) -> a user tensor: the same shape as x (copied), or one example's shape (repeated).
Tensor tensor_baseline(const Tensor& x, const Tensor& baseline);

namespace baselines {
BaselineFn zero();
BaselineFn constant(real c);
// The noisy factories own a Generator seeded with `seed`: successive calls continue the stream, so two factories
// with the same seed produce the same sequence of base-points.
BaselineFn uniform(real lo, real hi, uint64_t seed);
BaselineFn max_distance(real lo, real hi);
BaselineFn gaussian_noise(real sigma, real lo, real hi, uint64_t seed);
BaselineFn gaussian_blur(real sigma, BlurPadding padding = BlurPadding::Reflect);
BaselineFn training_mean(Tensor mean);
BaselineFn tensor(Tensor baseline);
}  // namespace baselines

}  // namespace mxai::explain
