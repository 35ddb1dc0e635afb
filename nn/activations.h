// Elementwise activation layers, as torch.nn.ReLU, LeakyReLU, ELU, Softplus, Sigmoid and Tanh. They have no
// parameters; every forward maps (N,...) to (N,...) of the same shape.
#pragma once

#include "nn/module.h"

namespace mxai::nn {

class ReLU : public Module {
 public:
  Tensor forward(const Tensor& x) override;  // (N,...) -> (N,...)
  std::string type_name() const override { return "ReLU"; }
};

class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(real negative_slope = real(0.01)) : negative_slope(negative_slope) {}
  Tensor forward(const Tensor& x) override;  // (N,...) -> (N,...)
  std::string type_name() const override { return "LeakyReLU"; }
  const real negative_slope;
};

class ELU : public Module {
 public:
  explicit ELU(real alpha = real(1)) : alpha(alpha) {}
  Tensor forward(const Tensor& x) override;  // (N,...) -> (N,...)
  std::string type_name() const override { return "ELU"; }
  const real alpha;
};

// log(1 + exp(beta x)) / beta: a smooth ReLU whose second derivative is nonzero (beta = 10 in the smooth LeNet).
class Softplus : public Module {
 public:
  explicit Softplus(real beta = real(1)) : beta(beta) {}
  Tensor forward(const Tensor& x) override;  // (N,...) -> (N,...)
  std::string type_name() const override { return "Softplus"; }
  const real beta;
};

class Sigmoid : public Module {
 public:
  Tensor forward(const Tensor& x) override;  // (N,...) -> (N,...)
  std::string type_name() const override { return "Sigmoid"; }
};

class Tanh : public Module {
 public:
  Tensor forward(const Tensor& x) override;  // (N,...) -> (N,...)
  std::string type_name() const override { return "Tanh"; }
};

}  // namespace mxai::nn
