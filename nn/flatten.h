// torch.nn.Flatten: merges the axes from start_dim on (default: everything but the batch axis).
#pragma once

#include "nn/module.h"

namespace mxai::nn {

class Flatten : public Module {
 public:
  explicit Flatten(int64_t start_dim = 1) : start_dim(start_dim) {}
  // (N,C,H,W) -> (N,C*H*W) with start_dim 1.
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Flatten"; }
  const int64_t start_dim;
};

}  // namespace mxai::nn
