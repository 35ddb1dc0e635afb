// torch.nn.Linear: y = x W^T + b.
#pragma once

#include "autodiff/random.h"
#include "nn/module.h"

namespace mxai::nn {

class Linear : public Module {
 public:
  // Initialised as PyTorch does (see init.h) from `init`.
  Linear(int64_t in_features, int64_t out_features, Generator& init, bool bias = true);

  // (N,in_features) -> (N,out_features); more leading axes (...,in_features) are kept.
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Linear"; }
  void reset_parameters(Generator& init);

  const int64_t in_features, out_features;
  Tensor weight;  // (out_features, in_features)
  Tensor bias;    // (out_features), or undefined
};

}  // namespace mxai::nn
