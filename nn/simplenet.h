// SimpleNetV1 (Hasanpour et al. 2016), the labelling network of Bordt et al.'s MNIST32 (spec 2.2): thirteen
// convolutions, each followed by BatchNorm2d(eps 1e-5, momentum 0.05) and ReLU, in five groups that end in
// MaxPool2 and Dropout2d(0.1); then a global max pool, Dropout(0.1) and Linear(256 -> K). Conv weights are
// Xavier-uniform with the ReLU gain, as in the reference. Channels (full width):
//   3x3: C->64, 64->128, 128->128, 128->128 | 128->128, 128->128, 128->256 | 256->256, 256->256 | 256->512 |
//   1x1: 512->2048, 2048->256 | 3x3: 256->256, global max pool.
// `width_divisor` divides every channel count (at least 1 channel): tests run the same structure at toy widths.
#pragma once

#include <memory>

#include "autodiff/random.h"
#include "nn/dropout.h"
#include "nn/linear.h"
#include "nn/module.h"
#include "nn/sequential.h"

namespace mxai::nn {

class SimpleNetV1 : public Module {
 public:
  // Images must be square with a side of at least 32 (five halvings before the global pool).
  SimpleNetV1(int64_t in_channels, int64_t height, int64_t width, int64_t num_classes, Generator& init,
              int64_t width_divisor = 1);

  // (N,C,H,W) -> logits (N,K)
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "SimpleNetV1"; }

  std::shared_ptr<Sequential> features;
  std::shared_ptr<Dropout> dropout;
  std::shared_ptr<Linear> classifier;
};

}  // namespace mxai::nn
