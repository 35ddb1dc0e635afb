// ROAR on a generated data set (MNIST32): the rankings of experiments/roar.h computed from a trained classifier on
// the generated splits, with the tangent spaces of the training points taken from the generator's decoder (the
// splits store them for the test points only). What `mxai roar` and the ROAR section of `mxai reproduce` run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "experiments/manifold_stages.h"
#include "experiments/roar.h"

namespace mxai::experiments {

struct RoarGeneratedOptions {
  std::vector<std::string> keys = roar_method_keys();
  int64_t n_train = 0, n_test = 0;  // the first points of each split (0: all)
  std::string gradcam_layer = "conv2";
  MethodSettings methods;
  RoarSettings roar;
};

// explainer: the trained classifier whose attributions rank the pixels (eval mode); train, test: generated splits
// with codes; decoder: the generator's. Rankings: options.keys, random, and the per-pixel tangent mass.
RoarResults roar_on_generated(const std::shared_ptr<nn::Module>& explainer, const ManifoldSplit& train,
                              const ManifoldSplit& test, const vae::Decoder& decoder,
                              const RoarGeneratedOptions& options);

}  // namespace mxai::experiments
