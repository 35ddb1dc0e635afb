// Base-points for Integrated Gradients.
#include <catch2/catch.hpp>

#include <cmath>

#include "explain/baselines.h"
#include "test_explain_models.h"

using namespace mxai;
using namespace mxai::explain;
using mxai_test::uniform_batch;

TEST_CASE("zero, constant, maximum-distance and user baselines", "[explain][baselines]") {
  const Tensor x = uniform_batch({2, 3, 4, 4}, 1);
  CHECK(zero_baseline(x).shape() == x.shape());
  for (real v : zero_baseline(x).to_vector()) CHECK(v == 0);
  for (real v : constant_baseline(x, 0.25f).to_vector()) CHECK(v == 0.25f);

  const Tensor far = max_distance_baseline(x, 0, 1);
  for (int64_t j = 0; j < x.numel(); ++j) CHECK(far.data()[j] == (x.data()[j] < 0.5f ? 1.0f : 0.0f));
  // Farthest point of the box: its distance is at least that of any corner-free alternative, e.g. 1 - x.
  double d_far = 0, d_flip = 0;
  for (int64_t j = 0; j < x.numel(); ++j) {
    d_far += std::pow(far.data()[j] - x.data()[j], 2);
    d_flip += std::pow(1 - 2 * x.data()[j], 2);
  }
  CHECK(d_far >= d_flip);
  const Tensor far_sym = max_distance_baseline(x * 2.0f - 1.0f, -1, 1);
  for (int64_t j = 0; j < x.numel(); ++j) CHECK(far_sym.data()[j] == (x.data()[j] < 0.5f ? 1.0f : -1.0f));

  const Tensor one = uniform_batch({3, 4, 4}, 2);
  const Tensor shared = tensor_baseline(x, one);
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t f = 0; f < 48; ++f) CHECK(shared.data()[i * 48 + f] == one.data()[f]);
  CHECK(tensor_baseline(x, x).to_vector() == x.to_vector());
  CHECK(mean_baseline(x, reshape(one, {1, 3, 4, 4})).to_vector() == shared.to_vector());
  CHECK_THROWS_AS(tensor_baseline(x, Tensor::zeros({3, 4})), Error);
  CHECK_THROWS_AS(mean_baseline(Tensor::zeros({2, 5}), Tensor::zeros({5})), Error);
}

TEST_CASE("uniform and Gaussian-noise baselines are seeded and stay in range", "[explain][baselines]") {
  const Tensor x = uniform_batch({4, 1, 8, 8}, 3);
  Generator a(7), b(7), c(8);
  const Tensor u1 = uniform_baseline(x, -1, 2, a), u2 = uniform_baseline(x, -1, 2, b), u3 = uniform_baseline(x, -1, 2, c);
  CHECK(u1.to_vector() == u2.to_vector());
  CHECK(u1.to_vector() != u3.to_vector());
  double mean = 0;
  for (real v : u1.to_vector()) {
    CHECK(v >= -1);
    CHECK(v < 2);
    mean += v / u1.numel();
  }
  CHECK(mean == Approx(0.5).margin(0.15));

  Generator g1(9), g2(9);
  const Tensor n1 = gaussian_noise_baseline(x, 0.3f, 0, 1, g1), n2 = gaussian_noise_baseline(x, 0.3f, 0, 1, g2);
  CHECK(n1.to_vector() == n2.to_vector());
  int changed = 0, clipped = 0;
  for (int64_t j = 0; j < x.numel(); ++j) {
    CHECK(n1.data()[j] >= 0);
    CHECK(n1.data()[j] <= 1);
    changed += n1.data()[j] != x.data()[j];
    clipped += n1.data()[j] == 0 || n1.data()[j] == 1;
  }
  CHECK(changed > x.numel() * 0.9);
  CHECK(clipped > 0);
  Generator g3(9);
  CHECK(gaussian_noise_baseline(x, 0, 0, 1, g3).to_vector() == x.to_vector());

  SECTION("the factories continue one stream per seed") {
    const BaselineFn f1 = baselines::uniform(0, 1, 5), f2 = baselines::uniform(0, 1, 5);
    const Tensor first = f1(x), second = f1(x);
    CHECK(first.to_vector() != second.to_vector());
    CHECK(f2(x).to_vector() == first.to_vector());
    CHECK(f2(x).to_vector() == second.to_vector());
    Generator direct(5);
    CHECK(uniform_baseline(x, 0, 1, direct).to_vector() == first.to_vector());
    const BaselineFn noise = baselines::gaussian_noise(0.1f, 0, 1, 4);
    Generator direct_noise(4);
    CHECK(noise(x).to_vector() == gaussian_noise_baseline(x, 0.1f, 0, 1, direct_noise).to_vector());
    CHECK(baselines::zero()(x).to_vector() == zero_baseline(x).to_vector());
    CHECK(baselines::constant(0.5f)(x).to_vector() == constant_baseline(x, 0.5f).to_vector());
    CHECK(baselines::max_distance(0, 1)(x).to_vector() == max_distance_baseline(x, 0, 1).to_vector());
    CHECK(baselines::tensor(x)(x).to_vector() == x.to_vector());
  }
}

TEST_CASE("Gaussian blur: separable normalised kernel, reflect or zero padding", "[explain][baselines]") {
  SECTION("a constant image stays constant with reflect padding, darkens at the edges with zeros") {
    const Tensor x = Tensor::full({1, 2, 6, 7}, 0.8f);
    for (real v : gaussian_blur_baseline(x, 1.5f).to_vector()) CHECK(v == Approx(0.8f).epsilon(1e-6));
    const Tensor dark = gaussian_blur_baseline(x, 1.5f, BlurPadding::Zero);
    CHECK(dark.at({0, 0, 0, 0}) < 0.8f * 0.6f);
    CHECK(dark.at({0, 1, 3, 3}) < 0.8f);
    CHECK(dark.at({0, 1, 3, 3}) > dark.at({0, 1, 0, 3}));
  }
  SECTION("an impulse far from the edges spreads into the outer product of the 1-D Gaussian") {
    Tensor x = Tensor::zeros({1, 1, 21, 21});
    x.at({0, 0, 10, 10}) = 1;
    const real sigma = 1.2f;
    const Tensor blurred = gaussian_blur_baseline(x, sigma, BlurPadding::Zero);
    const int radius = static_cast<int>(4 * sigma + 0.5);
    double norm = 0;
    for (int o = -radius; o <= radius; ++o) norm += std::exp(-0.5 * o * o / (sigma * sigma));
    double total = 0;
    for (int r = 0; r < 21; ++r)
      for (int c = 0; c < 21; ++c) {
        const int dr = r - 10, dc = c - 10;
        const double expected = std::abs(dr) > radius || std::abs(dc) > radius
                                    ? 0.0
                                    : std::exp(-0.5 * (dr * dr + dc * dc) / (sigma * sigma)) / (norm * norm);
        CHECK(blurred.at({0, 0, r, c}) == Approx(expected).margin(1e-7));
        total += blurred.at({0, 0, r, c});
      }
    CHECK(total == Approx(1.0).epsilon(1e-5));
  }
  SECTION("reflect padding mirrors about the edge, repeating the edge pixel") {
    // A 1-pixel-wide impulse at the left edge: with scipy's reflect, the tap at offset -1 lands on the pixel
    // itself, so the edge keeps w0 + w1 of it.
    Tensor x = Tensor::zeros({1, 1, 1, 9});
    x.at({0, 0, 0, 0}) = 1;
    const real sigma = 0.8f;
    const Tensor blurred = gaussian_blur_baseline(x, sigma);
    const int radius = static_cast<int>(4 * sigma + 0.5);
    std::vector<double> w(radius + 1);
    double norm = 0;
    for (int o = -radius; o <= radius; ++o) norm += std::exp(-0.5 * o * o / (sigma * sigma));
    for (int o = 0; o <= radius; ++o) w[o] = std::exp(-0.5 * o * o / (sigma * sigma)) / norm;
    // Rows have height 1: the vertical pass reflects every tap back onto the row, a no-op after normalisation.
    CHECK(blurred.at({0, 0, 0, 0}) == Approx(w[0] + w[1]).epsilon(1e-5));
    CHECK(blurred.at({0, 0, 0, 1}) == Approx(w[1] + w[2]).epsilon(1e-5));
    double total = 0;
    for (real v : blurred.to_vector()) total += v;
    CHECK(total == Approx(1.0).epsilon(1e-5));  // reflection loses no mass
  }
  SECTION("sigma 0 copies; blur smooths an image; bad shapes throw") {
    const Tensor x = uniform_batch({2, 1, 8, 8}, 6);
    CHECK(gaussian_blur_baseline(x, 0).to_vector() == x.to_vector());
    const Tensor blurred = baselines::gaussian_blur(2)(x);
    double var_x = 0, var_b = 0;
    for (int64_t j = 1; j < x.numel(); ++j) {
      var_x += std::pow(x.data()[j] - x.data()[j - 1], 2);
      var_b += std::pow(blurred.data()[j] - blurred.data()[j - 1], 2);
    }
    CHECK(var_b < 0.1 * var_x);
    CHECK_THROWS_AS(gaussian_blur_baseline(Tensor::zeros({2, 8}), 1), Error);
    CHECK_THROWS_AS(gaussian_blur_baseline(x, -1), Error);
  }
}
