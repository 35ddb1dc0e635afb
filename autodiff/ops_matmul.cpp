// Matrix products through Eigen GEMM. Backward: dA = G B^T, dB = A^T G, themselves products. The 2-D products
// carry their transposes as flags into the GEMM instead of copying a transposed matrix (the double backward of
// TAIG would otherwise copy the 12544 x 128 weight of LeNet's first linear layer on every step).
#include "autodiff/graph.h"
#include "autodiff/kernels.h"
#include "autodiff/ops.h"

namespace mxai {

namespace {

[[noreturn]] void shape_error(const char* op, const Tensor& a, const Tensor& b, const std::string& why) {
  throw Error(std::string(op) + ": shapes " + shape_str(a.shape()) + " and " + shape_str(b.shape()) +
              " are incompatible (" + why + ")");
}

}  // namespace

// The derivatives are products of the same kind: for C = op(A) op(B) with output gradient G,
//   dA = G op(B)^T,  stored transposed (A^T = op(B) G^T) when trans_a;
//   dB = op(A)^T G,  stored transposed (B^T = G^T op(A)) when trans_b.
Tensor matmul(const Tensor& a, const Tensor& b, bool trans_a, bool trans_b) {
  if (a.dim() != 2 || b.dim() != 2) shape_error("matmul", a, b, "transposed products take 2-D operands");
  const int64_t M = trans_a ? a.size(1) : a.size(0), K = trans_a ? a.size(0) : a.size(1);
  const int64_t N = trans_b ? b.size(0) : b.size(1), Kb = trans_b ? b.size(1) : b.size(0);
  if (K != Kb)
    shape_error("matmul", a, b,
                "inner dimensions " + std::to_string(K) + " != " + std::to_string(Kb) + " with trans_a " +
                    (trans_a ? "on" : "off") + ", trans_b " + (trans_b ? "on" : "off"));
  Tensor y = Tensor::empty({M, N});
  kernels::gemm(trans_a, trans_b, M, N, K, a.data(), b.data(), y.data());
  return record("matmul", {a, b}, y, [trans_a, trans_b](const BackwardArgs& c) {
    const Tensor &A = c.inputs[0], &B = c.inputs[1], &G = c.gout;
    Tensor da, db;
    if (c.needs[0]) da = trans_a ? matmul(B, G, trans_b, true) : matmul(G, B, false, !trans_b);
    if (c.needs[1]) db = trans_b ? matmul(G, A, true, trans_a) : matmul(A, G, !trans_a, false);
    return std::vector<Tensor>{da, db};
  });
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  const int64_t ra = a.dim(), rb = b.dim();
  if (ra < 2 || ra > 3 || rb < 2 || rb > 3 || (ra == 2 && rb == 3))
    shape_error("matmul", a, b, "supported: (M,K)@(K,N), (B,M,K)@(B,K,N), (B,M,K)@(K,N)");
  const int64_t M = a.size(-2), K = a.size(-1), N = b.size(-1);
  if (b.size(-2) != K)
    shape_error("matmul", a, b, "inner dimensions " + std::to_string(K) + " != " + std::to_string(b.size(-2)));

  if (ra == 3 && rb == 2) {  // fold the batch into the rows: one large GEMM
    const int64_t B = a.size(0);
    return reshape(matmul(reshape(a, {B * M, K}), b), {B, M, N});
  }
  if (ra == 2) return matmul(a, b, false, false);
  const int64_t B = a.size(0);
  if (b.size(0) != B) shape_error("matmul", a, b, "batch sizes differ");
  Tensor y = Tensor::empty({B, M, N});
  const real *pa = a.data(), *pb = b.data();
  real* py = y.data();
#pragma omp parallel for if (B > 1)
  for (int64_t i = 0; i < B; ++i) kernels::gemm(false, false, M, N, K, pa + i * M * K, pb + i * K * N, py + i * M * N);
  return record("bmm", {a, b}, y, [](const BackwardArgs& c) {
    return std::vector<Tensor>{c.needs[0] ? matmul(c.gout, transpose(c.inputs[1], 1, 2)) : Tensor(),
                               c.needs[1] ? matmul(transpose(c.inputs[0], 1, 2), c.gout) : Tensor()};
  });
}

Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b) {
  if (x.dim() != 2 || w.dim() != 2 || x.size(1) != w.size(1))
    throw Error("linear: input " + shape_str(x.shape()) + " and weight " + shape_str(w.shape()) +
                " are incompatible (expected (N,I) and (O,I))");
  const int64_t N = x.size(0), I = x.size(1), O = w.size(0);
  if (b.defined() && b.shape() != Shape{O})
    throw Error("linear: bias of shape " + shape_str(b.shape()) + " for weight " + shape_str(w.shape()));
  Tensor y = Tensor::empty({N, O});
  real* py = y.data();
  if (b.defined())
    for (int64_t n = 0; n < N; ++n) std::copy_n(b.data(), O, py + n * O);
  kernels::gemm(false, true, N, O, I, x.data(), w.data(), py, b.defined() ? real(1) : real(0));
  std::vector<Tensor> inputs{x, w};
  if (b.defined()) inputs.push_back(b);
  return record("linear", inputs, y, [](const BackwardArgs& c) {
    std::vector<Tensor> grads{c.needs[0] ? matmul(c.gout, c.inputs[1], false, false) : Tensor(),
                              c.needs[1] ? matmul(c.gout, c.inputs[0], true, false) : Tensor()};
    if (c.inputs.size() == 3) grads.push_back(c.needs[2] ? sum(c.gout, {0}) : Tensor());
    return grads;
  });
}

}  // namespace mxai
