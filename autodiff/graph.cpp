#include "autodiff/graph.h"

#include <unordered_map>
#include <unordered_set>

#include "autodiff/ops.h"

namespace mxai {

namespace {
thread_local bool g_grad_mode = true;
}

bool grad_mode_enabled() { return g_grad_mode; }
NoGradGuard::NoGradGuard() : previous_(g_grad_mode) { g_grad_mode = false; }
NoGradGuard::~NoGradGuard() { g_grad_mode = previous_; }
GradModeGuard::GradModeGuard(bool enabled) : previous_(g_grad_mode) { g_grad_mode = enabled; }
GradModeGuard::~GradModeGuard() { g_grad_mode = previous_; }

namespace {

// Destroying a node the naive way destroys its inputs, whose nodes destroy their inputs, and so on: one set of
// stack frames per link, which overflows on a chain of a few hundred thousand ops (a long IG path, an unrolled
// loop). Instead, inputs that are about to die with this node hand their own node's inputs to a local work list,
// so every node is destroyed with an empty input list and the recursion is at most two levels deep.
void delete_node(Node* node) {
  std::vector<Tensor> pending = std::move(node->inputs);
  node->backward = nullptr;  // closures may hold tensors too; release them before the node itself
  delete node;
  while (!pending.empty()) {
    Tensor t = std::move(pending.back());
    pending.pop_back();
    const std::shared_ptr<TensorImpl>& impl = t.impl_ptr();
    // use_count 1: this handle is the last owner of the tensor, and the tensor the last owner of its node.
    if (impl && impl.use_count() == 1 && impl->grad_fn && impl->grad_fn.use_count() == 1) {
      std::vector<Tensor>& inner = impl->grad_fn->inputs;
      for (Tensor& in : inner) pending.push_back(std::move(in));
      inner.clear();
    }
  }
}

}  // namespace

Tensor record(const char* name, std::vector<Tensor> inputs, Tensor out, BackwardFn backward) {
  if (!g_grad_mode) return out;
  bool any = false;
  for (const Tensor& t : inputs) any = any || t.requires_grad();
  if (!any) return out;
  std::shared_ptr<Node> node(new Node{}, delete_node);
  node->name = name;
  node->inputs = std::move(inputs);
  node->backward = std::move(backward);
  out.impl()->grad_fn = std::move(node);
  out.impl()->requires_grad = true;
  return out;
}

namespace {

// Tensors reachable from `roots` through grad-requiring edges, every tensor after all of its inputs.
// Iterative depth-first search: deep graphs (long IG paths, many layers) cannot overflow the stack.
std::vector<Tensor> topological_order(const std::vector<Tensor>& roots) {
  std::vector<Tensor> order;
  std::unordered_set<const TensorImpl*> seen;
  std::vector<std::pair<Tensor, size_t>> stack;  // (tensor, index of the next input to visit)
  for (const Tensor& root : roots) {
    if (!root.requires_grad() || !seen.insert(root.impl()).second) continue;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      const Tensor top = stack.back().first;
      const std::shared_ptr<Node>& node = top.grad_fn();
      size_t& next = stack.back().second;
      if (node && next < node->inputs.size()) {
        const Tensor child = node->inputs[next++];
        if (child.requires_grad() && seen.insert(child.impl()).second) stack.emplace_back(child, 0);
      } else {
        order.push_back(top);
        stack.pop_back();
      }
    }
  }
  return order;
}

void accumulate(std::unordered_map<const TensorImpl*, Tensor>& grads, const Tensor& t, const Tensor& g) {
  auto [it, inserted] = grads.try_emplace(t.impl(), g);
  if (!inserted) it->second = add(it->second, g);
}

// Runs the backward pass. With `targets` empty, every leaf that requires grad receives its gradient in
// .grad (Tensor::backward); otherwise only the targets' gradients are computed and returned (grad()).
std::unordered_map<const TensorImpl*, Tensor> run_backward(const std::vector<Tensor>& roots,
                                                           const std::vector<Tensor>& root_grads,
                                                           const std::vector<Tensor>& targets,
                                                           bool create_graph, bool retain_graph) {
  const std::vector<Tensor> order = topological_order(roots);

  // A tensor is worth differentiating if a target is at or below it.
  std::unordered_set<const TensorImpl*> target_set;
  for (const Tensor& t : targets) target_set.insert(t.impl());
  std::unordered_set<const TensorImpl*> needed;
  for (const Tensor& t : order) {
    bool need = targets.empty() || target_set.count(t.impl());
    if (!need && t.grad_fn())
      for (const Tensor& in : t.grad_fn()->inputs) need = need || needed.count(in.impl());
    if (need) needed.insert(t.impl());
  }

  std::unordered_map<const TensorImpl*, Tensor> grads;
  for (size_t i = 0; i < roots.size(); ++i)
    if (roots[i].requires_grad()) accumulate(grads, roots[i], root_grads[i]);

  GradModeGuard mode(create_graph);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const Tensor& t = *it;
    const std::shared_ptr<Node>& node = t.grad_fn();
    auto found = grads.find(t.impl());
    if (found == grads.end()) continue;
    const Tensor g = found->second;

    if (!node) {  // a leaf
      if (targets.empty()) {
        // g may share storage with the caller's grad_output or another leaf's gradient (add passes its incoming
        // gradient through unchanged), so a first .grad is a copy: an in-place update of one leaf's .grad (an
        // optimizer, gradient clipping) must not leak into another's.
        Tensor old = t.grad();
        Tensor stored = old.defined() ? add(old, g) : create_graph ? g : g.clone();
        t.impl()->grad = stored.impl_ptr();
      }
      continue;
    }
    if (node->freed)
      throw Error(std::string("backward through the graph a second time: node '") + node->name +
                  "' was freed by an earlier backward; pass retain_graph=true to the first one");

    std::vector<bool> needs(node->inputs.size());
    bool any = false;
    for (size_t i = 0; i < needs.size(); ++i) {
      needs[i] = node->inputs[i].requires_grad() && needed.count(node->inputs[i].impl());
      any = any || needs[i];
    }
    if (any) {
      std::vector<Tensor> in_grads = node->backward(BackwardArgs{node->inputs, t, g, needs});
      for (size_t i = 0; i < needs.size(); ++i) {
        if (!needs[i] || i >= in_grads.size() || !in_grads[i].defined()) continue;
        if (in_grads[i].shape() != node->inputs[i].shape())
          throw Error(std::string("internal error: backward of '") + node->name + "' returned a gradient of shape " +
                      shape_str(in_grads[i].shape()) + " for an input of shape " +
                      shape_str(node->inputs[i].shape()));
        accumulate(grads, node->inputs[i], in_grads[i]);
      }
    }
    if (!target_set.count(t.impl())) grads.erase(t.impl());  // no longer needed: free it early
  }

  if (!retain_graph) {
    for (const Tensor& t : order) {
      if (const std::shared_ptr<Node>& node = t.grad_fn()) {
        node->freed = true;
        node->backward = nullptr;
        node->inputs.clear();
      }
    }
  }
  return grads;
}

std::vector<Tensor> seed_gradients(const std::vector<Tensor>& outputs, const std::vector<Tensor>& grad_outputs) {
  if (!grad_outputs.empty() && grad_outputs.size() != outputs.size())
    throw Error("grad: " + std::to_string(outputs.size()) + " outputs but " + std::to_string(grad_outputs.size()) +
                " grad_outputs");
  std::vector<Tensor> seeds;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (grad_outputs.empty() || !grad_outputs[i].defined()) {
      if (outputs[i].numel() != 1)
        throw Error("grad can be implicitly created only for scalar outputs; output of shape " +
                    shape_str(outputs[i].shape()) + " needs an explicit grad_output");
      seeds.push_back(Tensor::ones(outputs[i].shape()));
    } else {
      if (grad_outputs[i].shape() != outputs[i].shape())
        throw Error("grad: grad_output of shape " + shape_str(grad_outputs[i].shape()) + " for output of shape " +
                    shape_str(outputs[i].shape()));
      seeds.push_back(grad_outputs[i]);
    }
  }
  return seeds;
}

}  // namespace

void Tensor::backward(const Tensor& grad_output, bool retain_graph, bool create_graph) const {
  if (!requires_grad()) throw Error("backward() on a tensor that does not require grad");
  run_backward({*this}, seed_gradients({*this}, {grad_output}), {}, create_graph, retain_graph || create_graph);
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, bool create_graph) {
  return grad(outputs, inputs, grad_outputs, create_graph, create_graph);
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, bool create_graph, bool retain_graph) {
  for (const Tensor& in : inputs)
    if (!in.requires_grad()) throw Error("grad: an input of shape " + shape_str(in.shape()) + " does not require grad");
  auto grads = run_backward(outputs, seed_gradients(outputs, grad_outputs), inputs, create_graph, retain_graph);
  std::vector<Tensor> result;
  for (const Tensor& in : inputs) {
    auto it = grads.find(in.impl());
    result.push_back(it != grads.end() ? it->second : Tensor::zeros(in.shape()));
  }
  return result;
}

std::pair<Tensor, Tensor> jvp(const std::function<Tensor(const Tensor&)>& f, const Tensor& x, const Tensor& v) {
  if (v.shape() != x.shape())
    throw Error("jvp: direction of shape " + shape_str(v.shape()) + " for input of shape " + shape_str(x.shape()));
  GradModeGuard on(true);
  Tensor xr = x.detach().requires_grad_();
  Tensor y = f(xr);
  if (!y.requires_grad()) return {y, Tensor::zeros(y.shape())};
  Tensor u = Tensor::zeros(y.shape()).requires_grad_();
  Tensor jt_u = grad({y}, {xr}, {u}, /*create_graph=*/true)[0];  // J^T u, linear in u
  if (!jt_u.requires_grad()) return {y.detach(), Tensor::zeros(y.shape())};
  Tensor jv = grad({jt_u}, {u}, {v})[0];
  return {y.detach(), jv};
}

}  // namespace mxai
