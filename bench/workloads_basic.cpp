// Bare kernels: a 2048^3 GEMM and the LeNet conv2 layer, in GFLOPS.
#include <memory>
#include <vector>

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

namespace {

// One rep: the gradients of the chosen inputs of the conv for a fixed output gradient, off a retained graph (as
// torch.autograd.grad(y, inputs, gy, retain_graph=True)). Only the chosen inputs require a gradient, so only their
// kernels run; each of the input and the weight gradient costs as many FLOP as the forward.
Workload conv2d_backward_of(bool input, bool weight) {
  auto c = make_conv_case();
  std::vector<Tensor> wrt;
  if (input) wrt.push_back(c->x.requires_grad_());
  if (weight) {
    wrt.push_back(c->w.requires_grad_());
    wrt.push_back(c->b.requires_grad_());
  }
  auto y = std::make_shared<Tensor>(conv2d(c->x, c->w, c->b));
  Generator gen(1);
  auto gy = std::make_shared<Tensor>(randn(y->shape(), gen));
  const int per_rep = 2;
  return {[=] {
            for (int i = 0; i < per_rep; ++i) grad({*y}, wrt, {*gy}, /*create_graph=*/false, /*retain_graph=*/true);
          },
          per_rep * (int(input) + int(weight)) * ConvCase::forward_gflop(), "GFLOPS", {}};
}

}  // namespace

Workload setup_conv2d_backward() { return conv2d_backward_of(true, true); }
Workload setup_conv2d_backward_input() { return conv2d_backward_of(true, false); }
Workload setup_conv2d_backward_weight() { return conv2d_backward_of(false, true); }

}  // namespace mxai::bench
