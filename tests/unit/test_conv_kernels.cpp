// The fast convolution ops against the direct-loop references in kernels_conv.cpp: stride-1 convolutions (and their
// input gradients) take the register-tiled direct kernel of kernels_conv_direct.cpp, the others im2col + GEMM.
#include <catch2/catch.hpp>

#include <omp.h>

#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/kernels.h"
#include "autodiff/ops.h"

using namespace mxai;

namespace {

double max_abs_diff(const Tensor& a, const std::vector<real>& b) {
  REQUIRE(static_cast<size_t>(a.numel()) == b.size());
  double m = 0;
  for (int64_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(static_cast<double>(a.data()[i]) - b[i]));
  return m;
}

struct Case {
  int64_t N, C, H, W, O, K, stride, padding, dilation;
};

}  // namespace

TEST_CASE("conv2d, its input adjoint and its weight adjoint equal the direct loops", "[conv]") {
  const Case cases[] = {{2, 3, 9, 7, 4, 3, 1, 0, 1}, {3, 2, 8, 8, 5, 4, 2, 1, 1}, {1, 1, 32, 32, 32, 4, 2, 1, 1},
                        {2, 4, 7, 9, 3, 3, 2, 2, 2}, {4, 8, 5, 5, 6, 1, 1, 0, 1}, {2, 2, 6, 6, 3, 2, 3, 1, 1},
                        // Direct kernel: several channel groups with a partial last one, many panels, one image
                        // (panels split between threads), padding up to dilation * (K - 1), dilation, K = 5,
                        // and padding beyond dilation * (K - 1) (back to im2col for the input gradient).
                        {5, 5, 20, 23, 13, 3, 1, 1, 1}, {1, 4, 30, 30, 9, 3, 1, 0, 1}, {2, 3, 11, 12, 8, 5, 1, 2, 1},
                        {2, 3, 15, 15, 10, 3, 1, 2, 2}, {3, 2, 9, 9, 3, 3, 1, 3, 1}, {2, 1, 4, 4, 1, 4, 1, 0, 1},
                        // Weight-gradient tiles of 1, 2 and 4 vectors of channels; an even kernel.
                        {2, 3, 10, 10, 40, 3, 1, 1, 1}, {2, 3, 8, 9, 20, 2, 1, 1, 1},
                        // LeNet's first layer: its input gradient has one channel (the narrow tile).
                        {3, 1, 32, 32, 32, 3, 1, 0, 1}};
  const kernels::SimdLevel best = kernels::best_simd_level();
  // Every tile-kernel variant this CPU can run, each on every case.
  for (const kernels::SimdLevel level : {kernels::SimdLevel::portable, kernels::SimdLevel::avx2, best})
    for (const Case& t : cases) {
      if (level > best) continue;
      kernels::set_simd_level(level);
      INFO("SIMD level " << static_cast<int>(level) << " N=" << t.N << " C=" << t.C << " H=" << t.H << " W=" << t.W
                         << " O=" << t.O << " K=" << t.K << " stride=" << t.stride << " padding=" << t.padding
                         << " dilation=" << t.dilation);
      Generator gen(7);
      const Tensor x = randn({t.N, t.C, t.H, t.W}, gen), w = randn({t.O, t.C, t.K, t.K}, gen);
      const Conv2dParams p{t.stride, t.padding, t.dilation};
      const Tensor y = conv2d(x, w, Tensor(), p);
      kernels::ConvGeometry g{t.N, t.C, t.H, t.W, t.O, t.K, t.K, y.size(2), y.size(3), t.stride, t.padding, t.dilation};

      std::vector<real> ref(y.numel());
      kernels::conv2d_naive(g, x.data(), w.data(), ref.data());
      CHECK(max_abs_diff(y, ref) < 1e-4);

      const Tensor gy = randn(y.shape(), gen);
      const Tensor gw = conv2d_weight(x, gy, w.shape(), p);
      std::vector<real> ref_gw(w.numel());
      kernels::conv2d_weight_naive(g, x.data(), gy.data(), ref_gw.data());
      CHECK(max_abs_diff(gw, ref_gw) < 1e-3);

      Tensor xr = x.clone().requires_grad_();
      const Tensor gx = grad({conv2d(xr, w, Tensor(), p)}, {xr}, {gy})[0];
      std::vector<real> ref_gx(x.numel());
      kernels::conv2d_input_naive(g, gy.data(), w.data(), ref_gx.data());
      CHECK(max_abs_diff(gx, ref_gx) < 1e-4);

      // All three gradients of a biased convolution at once (the fused pass where it applies).
      Tensor wr = w.clone().requires_grad_(), br = randn({t.O}, gen).requires_grad_();
      const std::vector<Tensor> all = grad({conv2d(xr, wr, br, p)}, {xr, wr, br}, {gy});
      CHECK(max_abs_diff(all[0], ref_gx) < 1e-4);
      CHECK(max_abs_diff(all[1], ref_gw) < 1e-3);
      const std::vector<real> ref_gb = sum(gy, {0, 2, 3}).to_vector();
      CHECK(max_abs_diff(all[2], ref_gb) < 1e-3);
    }
  kernels::set_simd_level(best);
}

TEST_CASE("the direct convolution gives bitwise the same result on 1 and on 2 threads", "[conv]") {
  Generator gen(11);
  for (int64_t N : {1, 6}) {
    const Tensor x = randn({N, 6, 17, 19}, gen), w = randn({11, 6, 3, 3}, gen), b = randn({11}, gen);
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    const std::vector<real> one = conv2d(x, w, b, {1, 1, 1}).to_vector();
    omp_set_num_threads(2);
    const std::vector<real> two = conv2d(x, w, b, {1, 1, 1}).to_vector();
    omp_set_num_threads(threads);
    CHECK(one == two);
  }
}

TEST_CASE("conv_transpose2d is the input adjoint of conv2d, with PyTorch's output size", "[conv]") {
  Generator gen(3);
  // The VAE decoder's layer: ConvTranspose2d(32, 1, 4, stride 2, padding 1) maps 16x16 to 32x32.
  const Tensor x = randn({2, 32, 16, 16}, gen), w = randn({32, 1, 4, 4}, gen), b = randn({1}, gen);
  const Tensor y = conv_transpose2d(x, w, b, {2, 1, 1});
  REQUIRE(y.shape() == Shape{2, 1, 32, 32});
  kernels::ConvGeometry g{2, 1, 32, 32, 32, 4, 4, 16, 16, 2, 1, 1};
  std::vector<real> ref(y.numel());
  kernels::conv2d_input_naive(g, x.data(), w.data(), ref.data());
  for (real& v : ref) v += b.data()[0];
  CHECK(max_abs_diff(y, ref) < 1e-4);

  // output_padding adds one row and column: (5-1)*2 - 0 + 2 + 1 + 1 = 12.
  CHECK(conv_transpose2d(randn({1, 2, 5, 5}, gen), randn({2, 3, 3, 3}, gen), Tensor(), {2, 0, 1}, 1).shape() ==
        Shape{1, 3, 12, 12});
}

TEST_CASE("pooling matches hand-computed values", "[conv]") {
  const Tensor x = Tensor::from({1, 1, 4, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  CHECK(max_pool2d(x, 2).to_vector() == std::vector<real>{6, 8, 14, 16});
  CHECK(avg_pool2d(x, 2).to_vector() == std::vector<real>{3.5, 5.5, 11.5, 13.5});
  // Padding counts as zeros in the average (count_include_pad) and as -inf in the maximum.
  const Tensor a = avg_pool2d(x, 3, 3, 1);
  REQUIRE(a.shape() == Shape{1, 1, 2, 2});
  CHECK(a.data()[0] == Approx((1 + 2 + 5 + 6) / 9.0));
  CHECK(max_pool2d(x, 3, 3, 1).to_vector() == std::vector<real>{6, 8, 14, 16});
}

TEST_CASE("convolution shape errors name both shapes", "[conv]") {
  Generator gen(1);
  const Tensor x = randn({2, 3, 8, 8}, gen);
  try {
    conv2d(x, randn({4, 1, 3, 3}, gen));
    FAIL("no exception");
  } catch (const Error& e) {
    const std::string m = e.what();
    CHECK_THAT(m, Catch::Contains("(2,3,8,8)") && Catch::Contains("(4,1,3,3)"));
  }
  CHECK_THROWS_WITH(conv2d(x, randn({4, 3, 9, 9}, gen)), Catch::Contains("too small"));
  CHECK_THROWS_WITH(conv_transpose2d(x, randn({4, 3, 3, 3}, gen)), Catch::Contains("(2,3,8,8)"));
  CHECK_THROWS_WITH(conv2d(x, randn({4, 3, 3, 3}, gen), randn({5}, gen)), Catch::Contains("bias"));
  CHECK_THROWS_WITH(max_pool2d(randn({2, 3}, gen), 2), Catch::Contains("(2,3)"));
}
