// Classifier architectures selectable by name, so tools and config files can say "lenet" or "resnet".
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/module.h"

namespace mxai::nn {

// "lenet", "lenet-softplus" (LeNet with Softplus(beta=10)), "vgg" (small VGG with BatchNorm), "resnet" (small
// ResNet), "simplenet" (SimpleNetV1 with BatchNorm, the reference's labeler; square images of at least 32x32).
// Weights and dropout streams come from `seed`. The model maps (N,in_channels,height,width) to logits
// (N,num_classes) and starts in training mode. An unknown name throws an Error listing the known ones.
std::shared_ptr<Module> make_classifier(const std::string& name, int64_t in_channels, int64_t height, int64_t width,
                                        int64_t num_classes, uint64_t seed);
std::vector<std::string> classifier_names();

}  // namespace mxai::nn
