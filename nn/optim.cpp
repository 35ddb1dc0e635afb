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

namespace {

struct AdamFactors {
  real beta1, beta2, eps, l2, shrink, step_size, bias_correction2_sqrt;
};

// One Adam update of a parameter's n entries, in one pass, in parallel for the large parameters (fc weights).
// AMSGrad is a template flag so that neither loop has a branch in it and both vectorise.
template <bool kAmsgrad>
void adam_update(int64_t n, real* p, const real* g, real* m, real* v, real* vmax, const AdamFactors& f) {
  // Local copies: the parallel loop then sees constants, not loads that might alias the arrays it writes.
  const real beta1 = f.beta1, beta2 = f.beta2, eps = f.eps, l2 = f.l2, shrink = f.shrink, step_size = f.step_size;
  const real bias_correction2_sqrt = f.bias_correction2_sqrt;
#pragma omp parallel for if (n > (1 << 16))
  for (int64_t k = 0; k < n; ++k) {
    const real pk = p[k] * shrink;
    const real gk = l2 != 0 ? g[k] + l2 * pk : g[k];  // l2 = 0 for AdamW and for Adam without weight decay
    m[k] = m[k] * beta1 + (1 - beta1) * gk;
    v[k] = v[k] * beta2 + (1 - beta2) * gk * gk;
    real second = v[k];
    if constexpr (kAmsgrad) second = vmax[k] = std::max(vmax[k], v[k]);
    const real denom = std::sqrt(second) / bias_correction2_sqrt + eps;
    p[k] = pk - step_size * (m[k] / denom);
  }
}

}  // namespace

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
    // AdamW shrinks the parameter before the update (by exactly 1 otherwise); Adam adds wd p to the gradient.
    const AdamFactors f{beta1, beta2, eps, decoupled_ ? real(0) : wd,
                        decoupled_ && wd != 0 ? static_cast<real>(1 - lr_ * options.weight_decay) : real(1),
                        step_size, bias_correction2_sqrt};
    if (options.amsgrad) adam_update<true>(n, p, gp, m, v, s.max_exp_avg_sq.data(), f);
    else adam_update<false>(n, p, gp, m, v, nullptr, f);
  }
}

AdamW::AdamW(std::vector<Tensor> params, AdamOptions o) : Adam(std::move(params), o, true) {}

}  // namespace mxai::nn
