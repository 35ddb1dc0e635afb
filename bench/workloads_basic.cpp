// Bare kernels: a 2048^3 GEMM and the LeNet conv2 layer, in GFLOPS.
#include <memory>

#include "autodiff/graph.h"
#include "autodiff/kernels.h"
#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "bench/workloads.h"

namespace mxai::bench {

Workload setup_sgemm_2048() {
  const int64_t n = 2048, per_rep = 10;
  Generator gen(0);
  auto a = std::make_shared<Tensor>(randn({n, n}, gen));
  auto b = std::make_shared<Tensor>(randn({n, n}, gen));
  auto c = std::make_shared<Tensor>(Tensor::empty({n, n}));  // preallocated, as torch.mm(..., out=c)
  return {[=] {
            for (int64_t i = 0; i < per_rep; ++i) kernels::gemm(false, false, n, n, n, a->data(), b->data(), c->data());
          },
          2.0 * n * n * n * per_rep / 1e9, "GFLOPS", {}};
}

namespace {

// LeNet's conv2 on a training batch: x (128,32,30,30), w (64,32,3,3), b (64) -> y (128,64,28,28).
struct ConvCase {
  Tensor x, w, b;
  static constexpr int64_t N = 128, C = 32, H = 30, O = 64, K = 3, OH = 28;
  static double forward_gflop() { return 2.0 * N * O * OH * OH * C * K * K / 1e9; }
};

std::shared_ptr<ConvCase> make_conv_case() {
  Generator gen(0);
  auto c = std::make_shared<ConvCase>();
  c->x = rand({ConvCase::N, ConvCase::C, ConvCase::H, ConvCase::H}, gen);
  c->w = rand({ConvCase::O, ConvCase::C, ConvCase::K, ConvCase::K}, gen, -0.06f, 0.06f);
  c->b = rand({ConvCase::O}, gen, -0.06f, 0.06f);
  return c;
}

}  // namespace

Workload setup_conv2d_forward() {
  auto c = make_conv_case();
  const int per_rep = 4;
  return {[=] {
            NoGradGuard no_grad;
            for (int i = 0; i < per_rep; ++i) conv2d(c->x, c->w, c->b);
          },
          per_rep * ConvCase::forward_gflop(), "GFLOPS", {}};
}

// One rep: the gradients of the input, the weight and the bias for a fixed output gradient, off a retained graph
// (as torch.autograd.grad(y, (x, w, b), gy, retain_graph=True)); FLOP = 2 x the forward (input + weight grad).
Workload setup_conv2d_backward() {
  auto c = make_conv_case();
  c->x.requires_grad_();
  c->w.requires_grad_();
  c->b.requires_grad_();
  auto y = std::make_shared<Tensor>(conv2d(c->x, c->w, c->b));
  Generator gen(1);
  auto gy = std::make_shared<Tensor>(randn(y->shape(), gen));
  const int per_rep = 2;
  return {[=] {
            for (int i = 0; i < per_rep; ++i)
              grad({*y}, {c->x, c->w, c->b}, {*gy}, /*create_graph=*/false, /*retain_graph=*/true);
          },
          per_rep * 2 * ConvCase::forward_gflop(), "GFLOPS", {}};
}

}  // namespace mxai::bench
