// The dynamic graph and the reverse-mode engine.
//
// Every differentiable op computes its result, then calls `record` with its inputs and a backward closure.
// The closure maps the gradient of the result to the gradients of the inputs, using ordinary (differentiable)
// ops, so that running it with graph recording on yields a graph of the gradient itself: that is what makes
// grad-of-grad (create_graph) work. See docs/autodiff.md.
//
// Usage (compiled and run by the test header_examples:usage):
// ```cpp
// #include "autodiff/ops.h"
// using namespace mxai;
// Tensor x = Tensor::scalar(2).requires_grad_();
// Tensor dy = grad({pow(x, 3)}, {x}, {}, /*create_graph=*/true)[0];  // 3 x^2 = 12, itself differentiable
// Tensor d2y = grad({dy}, {x})[0];                                     // 6 x = 12
// assert(std::abs(dy.item() - 12) < 1e-5 && std::abs(d2y.item() - 12) < 1e-5);
// ```
#pragma once

#include <functional>
#include <vector>

#include "autodiff/tensor.h"

namespace mxai {

// What a backward closure sees.
struct BackwardArgs {
  const std::vector<Tensor>& inputs;
  const Tensor& out;              // the op's result (carries the graph when create_graph is on)
  const Tensor& gout;             // d(loss)/d(out)
  const std::vector<bool>& needs; // needs[i]: the engine wants the gradient of inputs[i]
};
// Returns one gradient per input; an undefined Tensor means "no gradient" (zero).
using BackwardFn = std::function<std::vector<Tensor>(const BackwardArgs&)>;

struct Node {
  const char* name;
  std::vector<Tensor> inputs;
  BackwardFn backward;
  bool freed = false;  // set once a backward pass without retain_graph has used it
};

// Graph recording is on by default; a NoGradGuard turns it off in its scope (per thread).
bool grad_mode_enabled();
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};
// Sets grad mode to a given value in its scope (the engine uses it for create_graph).
class GradModeGuard {
 public:
  explicit GradModeGuard(bool enabled);
  ~GradModeGuard();
  GradModeGuard(const GradModeGuard&) = delete;
  GradModeGuard& operator=(const GradModeGuard&) = delete;

 private:
  bool previous_;
};

// Attaches a graph node to `out` when recording is on and any input requires grad; returns `out`.
Tensor record(const char* name, std::vector<Tensor> inputs, Tensor out, BackwardFn backward);

// d(sum_i <outputs[i], grad_outputs[i]>)/d(inputs[j]) for each j, without touching any .grad.
// grad_outputs may be empty when every output is a scalar (ones are used). An input the outputs do not
// depend on gets zeros. With create_graph the results carry a graph and can be differentiated again;
// retain_graph defaults to create_graph, as in PyTorch.
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {}, bool create_graph = false);
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, bool create_graph, bool retain_graph);

// Forward-mode directional derivative (d f(x) / dx) v, by the double-backward trick:
// with u a dummy cotangent, g(u) = J^T u is linear in u, and d<g(u), v>/du = J v.
// Returns {f(x), J v}. Does not require f to be written in forward mode.
std::pair<Tensor, Tensor> jvp(const std::function<Tensor(const Tensor&)>& f, const Tensor& x,
                              const Tensor& v);

}  // namespace mxai
