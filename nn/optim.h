// Optimizers over a list of parameters, with torch.optim's exact update rules (single-tensor code path). Each
// step updates the parameters in place, so every handle to them (the module's members) sees the new values.
// Parameters whose .grad is undefined are skipped, as PyTorch skips p.grad is None.
#pragma once

#include <vector>

#include "autodiff/tensor.h"

namespace mxai::nn {

class Optimizer {
 public:
  Optimizer(std::vector<Tensor> params, double lr);
  virtual ~Optimizer() = default;

  virtual void step() = 0;
  void zero_grad();  // drops every parameter's .grad

  double lr() const { return lr_; }
  void set_lr(double lr) { lr_ = lr; }
  const std::vector<Tensor>& params() const { return params_; }

 protected:
  // The parameter's gradient, checked against its shape; undefined when the parameter has none.
  Tensor grad_of(size_t index) const;

  std::vector<Tensor> params_;
  double lr_;
};

struct SGDOptions {
  double lr = 0.01;
  double momentum = 0;
  double dampening = 0;
  double weight_decay = 0;  // L2 term added to the gradient
  bool nesterov = false;
};

// g = grad + wd p; buf = g on the first step, else momentum buf + (1 - dampening) g;
// update = nesterov ? g + momentum buf : buf (g itself without momentum); p -= lr update.
class SGD : public Optimizer {
 public:
  SGD(std::vector<Tensor> params, SGDOptions options = {});
  void step() override;
  const SGDOptions options;

 private:
  std::vector<Tensor> momentum_buffers_;  // undefined until a parameter's first step
};

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0;  // Adam: L2 term added to the gradient; AdamW: decoupled decay
  bool amsgrad = false;
};

// Adam: g = grad + wd p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2 (amsgrad: v_max = max(v_max, v));
// p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, AdamOptions options = {});
  void step() override;
  const AdamOptions options;

 protected:
  Adam(std::vector<Tensor> params, AdamOptions options, bool decoupled_weight_decay);

 private:
  bool decoupled_;
  struct State {
    int64_t step = 0;
    Tensor exp_avg, exp_avg_sq, max_exp_avg_sq;
  };
  std::vector<State> state_;
};

// AdamW: p *= 1 - lr wd first, then the Adam step without the L2 term. PyTorch's default weight_decay is 0.01.
class AdamW : public Adam {
 public:
  AdamW(std::vector<Tensor> params, AdamOptions options = default_options());
  static AdamOptions default_options() {
    AdamOptions o;
    o.weight_decay = 1e-2;
    return o;
  }
};

}  // namespace mxai::nn
