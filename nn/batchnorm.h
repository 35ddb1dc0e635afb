// torch.nn.BatchNorm2d. In training mode it normalises with the batch's per-channel mean and biased variance, and
// the output is differentiated through those statistics; it also updates the running estimates
// running = (1 - momentum) running + momentum batch_stat, using the unbiased variance as PyTorch does. In eval
// mode it normalises with the running estimates, an affine map of the input.
#pragma once

#include "nn/module.h"

namespace mxai::nn {

struct BatchNorm2dOptions {
  double eps = 1e-5;
  double momentum = 0.1;
  bool affine = true;               // learnable weight (init 1) and bias (init 0)
  bool track_running_stats = true;  // false: batch statistics in both modes, no buffers
};

class BatchNorm2d : public Module {
 public:
  explicit BatchNorm2d(int64_t num_features, BatchNorm2dOptions options = {});

  // (N,C,H,W) -> (N,C,H,W). Training mode needs more than one value per channel (N*H*W > 1).
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "BatchNorm2d"; }
  void reset_running_stats();

  const int64_t num_features;
  const BatchNorm2dOptions options;
  Tensor weight, bias;                 // (C) each, when affine
  Tensor running_mean, running_var;    // (C) each, when tracking
  Tensor num_batches_tracked;          // (), an integer count stored as I64
};

}  // namespace mxai::nn
