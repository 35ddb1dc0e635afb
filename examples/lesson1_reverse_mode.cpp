// Lesson 1: tensors and reverse-mode automatic differentiation.
//
// We compute f(x, y) = x * y + tanh(x) from two scalar tensors, look at the graph the engine records while it
// computes, let one backward pass produce df/dx and df/dy, and check both against finite differences.
// Then the same on a vector, where the gradient has the input's shape.
//
// Read along: autodiff/tensor.h (the Tensor handle), autodiff/ops.h (the differentiable ops), autodiff/graph.h
// (the engine) and docs/autodiff.md (how backward walks the graph).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

using namespace mxai;

// The recorded graph below `t`, one line per tensor. A tensor computed by an op carries a Node (grad_fn) naming
// the op and holding its inputs; a leaf has none.
void print_graph(const Tensor& t, int depth = 0) {
  const std::string indent(2 * static_cast<size_t>(depth), ' ');
  if (t.is_leaf()) {
    std::printf("%s%s = %g\n", indent.c_str(), t.requires_grad() ? "leaf" : "constant", t.item());
    return;
  }
  std::printf("%s%s -> %g\n", indent.c_str(), t.grad_fn()->name, t.item());
  for (const Tensor& input : t.grad_fn()->inputs) print_graph(input, depth + 1);
}

// f on plain numbers, through the same ops but with no graph: what the finite differences evaluate.
double f_value(double x, double y) {
  NoGradGuard no_graph;  // recording off in this scope: the ops just compute
  const Tensor tx = Tensor::scalar(static_cast<real>(x)), ty = Tensor::scalar(static_cast<real>(y));
  return (tx * ty + tanh(tx)).item();
}

int main() {
  // Leaves: tensors we want derivatives for. requires_grad_() asks the engine to record every op that uses them.
  Tensor x = Tensor::scalar(0.5).requires_grad_();
  Tensor y = Tensor::scalar(-2.0).requires_grad_();

  // The forward pass runs eagerly: each op computes its value now and records a node with a backward closure.
  Tensor f = x * y + tanh(x);
  std::printf("f(0.5, -2) = %.6f\nthe graph, from the output down to the leaves:\n", f.item());
  print_graph(f);
  // x appears twice: two nodes use it, so backward adds the gradients of both paths (the multivariate chain rule).

  // The backward pass: starting from df/df = 1, every node maps the gradient of its output to the gradients of
  // its inputs (the chain rule), in reverse topological order; the leaves accumulate theirs in .grad.
  f.backward();
  const double dfdx = x.grad().item(), dfdy = y.grad().item();

  // By hand: df/dx = y + 1 - tanh(x)^2, df/dy = x.
  const double t = std::tanh(0.5);
  std::printf("\nbackward:  df/dx = %.6f  (by hand %.6f)   df/dy = %.6f  (by hand %.6f)\n", dfdx, -2 + 1 - t * t,
              dfdy, 0.5);

  // Central differences (f(x+h) - f(x-h)) / 2h: error O(h^2) from the Taylor series, plus float32 rounding of
  // about 1e-7 / h; h = 1e-2 balances the two at roughly 1e-5.
  const double h = 1e-2;
  const double fd_x = (f_value(0.5 + h, -2) - f_value(0.5 - h, -2)) / (2 * h);
  const double fd_y = (f_value(0.5, -2 + h) - f_value(0.5, -2 - h)) / (2 * h);
  std::printf("finite differences (h = %g):  df/dx = %.6f   df/dy = %.6f\n", h, fd_x, fd_y);

  // A vector: L(v) = sum(v * v) has gradient 2 v, a tensor of v's shape (3).
  Tensor v = Tensor::from({3}, {1, -2, 3}).requires_grad_();
  Tensor loss = sum(v * v);
  loss.backward();
  const std::vector<real> dv = v.grad().to_vector();
  std::printf("\nL(v) = sum(v * v) = %g at v = (1, -2, 3)\n", loss.item());
  std::printf("dL/dv = (%g, %g, %g)  (by hand 2 v = (2, -4, 6))\n", dv[0], dv[1], dv[2]);

  // The lesson fails (exit 1) if the engine disagrees with the finite differences.
  const double tolerance = 1e-3;
  const bool ok = std::abs(dfdx - fd_x) < tolerance && std::abs(dfdy - fd_y) < tolerance &&
                  dv == std::vector<real>({2, -4, 6});
  std::printf("\n%s: backward agrees with finite differences to %g\n", ok ? "OK" : "FAILED", tolerance);
  return ok ? 0 : 1;
}
