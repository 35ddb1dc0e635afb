#include "nn/optim.h"

#include <algorithm>
#include <cmath>

#include "autodiff/graph.h"

namespace mxai::nn {

Optimizer::Optimizer(std::vector<Tensor> params, double lr) : params_(std::move(params)), lr_(lr) {
  if (!(lr >= 0)) throw Error("optimizer: learning rate must be >= 0, got " + std::to_string(lr));
  for (size_t i = 0; i < params_.size(); ++i)
    if (!params_[i].defined() || !params_[i].is_leaf())
      throw Error("optimizer: parameter " + std::to_string(i) + " is not a defined leaf tensor");
}

void Optimizer::zero_grad() {
  for (Tensor& p : params_) p.zero_grad();
}

Tensor Optimizer::grad_of(size_t index) const {
  const Tensor g = params_[index].grad();
  if (g.defined() && g.shape() != params_[index].shape())
    throw Error("optimizer: gradient of shape " + shape_str(g.shape()) + " for parameter " + std::to_string(index) +
                " of shape " + shape_str(params_[index].shape()));
  return g;
}

SGD::SGD(std::vector<Tensor> params, SGDOptions o) : Optimizer(std::move(params), o.lr), options(o) {
  if (o.momentum < 0 || o.weight_decay < 0)
    throw Error("SGD: momentum and weight_decay must be >= 0");
  if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
    throw Error("SGD: Nesterov momentum requires a momentum and zero dampening");
  momentum_buffers_.resize(params_.size());
}

void SGD::step() {
  NoGradGuard no_grad;
  const real lr = static_cast<real>(lr_), wd = static_cast<real>(options.weight_decay);
  const real momentum = static_cast<real>(options.momentum), dampening = static_cast<real>(options.dampening);
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor g = grad_of(i);
    if (!g.defined()) continue;
    real* p = params_[i].data();
    const real* gp = g.data();
    const int64_t n = params_[i].numel();
    std::vector<real> d(gp, gp + n);
    if (wd != 0)
      for (int64_t k = 0; k < n; ++k) d[k] += wd * p[k];
    if (momentum != 0) {
      Tensor& buffer = momentum_buffers_[i];
      if (!buffer.defined()) {
        buffer = Tensor::from(params_[i].shape(), d);
      } else {
        real* b = buffer.data();
        for (int64_t k = 0; k < n; ++k) b[k] = b[k] * momentum + (1 - dampening) * d[k];
      }
      const real* b = buffer.data();
      for (int64_t k = 0; k < n; ++k) d[k] = options.nesterov ? d[k] + momentum * b[k] : b[k];
    }
    for (int64_t k = 0; k < n; ++k) p[k] -= lr * d[k];
  }
}

Adam::Adam(std::vector<Tensor> params, AdamOptions o) : Adam(std::move(params), o, false) {}

Adam::Adam(std::vector<Tensor> params, AdamOptions o, bool decoupled)
    : Optimizer(std::move(params), o.lr), options(o), decoupled_(decoupled) {
  if (!(o.beta1 >= 0 && o.beta1 < 1 && o.beta2 >= 0 && o.beta2 < 1))
    throw Error("Adam: betas must be in [0, 1), got " + std::to_string(o.beta1) + ", " + std::to_string(o.beta2));
  if (!(o.eps >= 0) || !(o.weight_decay >= 0)) throw Error("Adam: eps and weight_decay must be >= 0");
  state_.resize(params_.size());
}

void Adam::step() {
  NoGradGuard no_grad;
  const real beta1 = static_cast<real>(options.beta1), beta2 = static_cast<real>(options.beta2);
  const real eps = static_cast<real>(options.eps), wd = static_cast<real>(options.weight_decay);
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor g = grad_of(i);
    if (!g.defined()) continue;
    State& s = state_[i];
    if (s.step == 0) {
      s.exp_avg = Tensor::zeros(params_[i].shape());
      s.exp_avg_sq = Tensor::zeros(params_[i].shape());
      if (options.amsgrad) s.max_exp_avg_sq = Tensor::zeros(params_[i].shape());
    }
    ++s.step;
    real* p = params_[i].data();
    const real* gp = g.data();
    real* m = s.exp_avg.data();
    real* v = s.exp_avg_sq.data();
    const int64_t n = params_[i].numel();
    // As in torch.optim, the scalar factors are computed in double and the tensors updated in `real`.
    const double bias_correction1 = 1 - std::pow(options.beta1, static_cast<double>(s.step));
    const double bias_correction2 = 1 - std::pow(options.beta2, static_cast<double>(s.step));
    const real step_size = static_cast<real>(lr_ / bias_correction1);
    const real bias_correction2_sqrt = static_cast<real>(std::sqrt(bias_correction2));
    if (decoupled_ && wd != 0) {
      const real shrink = static_cast<real>(1 - lr_ * options.weight_decay);
      for (int64_t k = 0; k < n; ++k) p[k] *= shrink;
    }
    for (int64_t k = 0; k < n; ++k) {
      const real gk = (!decoupled_ && wd != 0) ? gp[k] + wd * p[k] : gp[k];
      m[k] = m[k] * beta1 + (1 - beta1) * gk;
      v[k] = v[k] * beta2 + (1 - beta2) * gk * gk;
      real second = v[k];
      if (options.amsgrad) {
        real& vmax = s.max_exp_avg_sq.data()[k];
        vmax = std::max(vmax, v[k]);
        second = vmax;
      }
      const real denom = std::sqrt(second) / bias_correction2_sqrt + eps;
      p[k] -= step_size * (m[k] / denom);
    }
  }
}

AdamW::AdamW(std::vector<Tensor> params, AdamOptions o) : Adam(std::move(params), o, true) {}

}  // namespace mxai::nn
