// Lesson 2: derivatives of derivatives.
//
// Because every backward closure is written with ordinary differentiable ops, a backward pass can itself be
// recorded (create_graph): the gradient is then a tensor with a graph, and differentiating it again gives second
// derivatives. We use that for a Hessian-vector product and for a forward-mode directional derivative (JVP).
// TAIG (lesson 6) needs exactly this: its objective contains a gradient, and the ascent differentiates it.
//
// Read along: autodiff/graph.h (grad, jvp), docs/autodiff.md ("Freeing, retain_graph, create_graph").
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

using namespace mxai;

void print(const char* label, const Tensor& t) {
  std::printf("%-34s", label);
  for (real value : t.to_vector()) std::printf(" %9.4f", value);
  std::printf("\n");
}

double max_abs_difference(const Tensor& a, const Tensor& b) {
  double m = 0;
  for (int64_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(double(a.data()[i]) - double(b.data()[i])));
  return m;
}

int main() {
  // f(x) = sum(x^3) / 3 + (sum x)^2 / 2 on x in R^3.
  //   gradient  g(x) = x^2 + (sum x) 1
  //   Hessian   H(x) = diag(2x) + 1 1^T,  so  H v = 2 x * v + (sum v) 1
  const Tensor x = Tensor::from({3}, {1, 2, -1}).requires_grad_();
  const Tensor v = Tensor::from({3}, {1, 0, 2});
  const auto f = [](const Tensor& x) {
    const Tensor s = sum(x);
    return sum(pow(x, 3)) / real(3) + s * s / real(2);
  };

  // grad(outputs, inputs, grad_outputs, create_graph): with create_graph the returned gradient keeps a graph back
  // to x, so it can be differentiated again. (backward() would put a graph-less result into x.grad instead.)
  const Tensor g = grad({f(x)}, {x}, {}, /*create_graph=*/true)[0];
  const Tensor g_by_hand = Tensor::from({3}, {1 + 2, 4 + 2, 1 + 2});
  print("g = df/dx:", g);
  print("  by hand x^2 + sum(x):", g_by_hand);

  // Hessian-vector product: H v = d<g(x), v>/dx. One more backward through g's graph: the cost is a small
  // multiple of one gradient, and the d x d Hessian is never formed.
  const Tensor hv = grad({sum(g * v)}, {x})[0];
  const Tensor hv_by_hand = Tensor::from({3}, {2 * 1 * 1 + 3, 2 * 2 * 0 + 3, 2 * -1 * 2 + 3});
  print("H v (double backward):", hv);
  print("  by hand 2 x v + sum(v):", hv_by_hand);

  // Jacobian-vector product of a vector function F(x) = x * sum(x) (R^3 -> R^3):
  //   J = diag(sum x) + x 1^T,  so  J v = (sum x) v + x (sum v).
  // Reverse mode gives u^T J cheaply, not J v. graph.h's jvp uses the double-backward trick: h(u) = J^T u is
  // linear in a dummy u, so d<h(u), v>/du = J v; two backward passes, no forward-mode code in any op.
  const auto F = [](const Tensor& x) { return x * sum(x); };
  const auto [Fx, jv] = jvp(F, x.detach(), v);
  print("F(x) = x * sum(x):", Fx);
  print("J v (jvp):", jv);
  print("  by hand sum(x) v + x sum(v):", Tensor::from({3}, {2 * 1 + 1 * 3, 2 * 0 + 2 * 3, 2 * 2 - 1 * 3}));

  // The same J v by central differences, (F(x + h v) - F(x - h v)) / 2h, as an independent check.
  const real h = real(1e-2);
  const Tensor jv_fd = (F(x.detach() + h * v) - F(x.detach() - h * v)) / (2 * h);
  print("  central differences:", jv_fd);

  const double error = std::max({max_abs_difference(g, g_by_hand), max_abs_difference(hv, hv_by_hand),
                                 max_abs_difference(jv, jv_fd)});
  const bool ok = error < 1e-3;
  std::printf("\n%s: largest difference from the hand-derived values %.2g\n", ok ? "OK" : "FAILED", error);
  return ok ? 0 : 1;
}
