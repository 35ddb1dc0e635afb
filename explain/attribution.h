// The common vocabulary of the attribution methods: a model is a plain function from a batch to logits, and an
// attribution method maps a batch and its target classes to one attribution per input entry.
//
// Every method explains the LOGIT (pre-softmax) of one class per example, as the reference code does. The model is
// evaluated exactly as given: putting it in eval mode (no dropout, frozen batch-norm statistics) is the caller's
// job, and the methods assume examples do not interact inside the model (true in eval mode), which is what lets
// them batch the rows of several examples, path points or noise samples together.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "autodiff/tensor.h"

namespace mxai::explain {

// input (N,C,H,W) or (N,D) -> logits (N,K).
using Model = std::function<Tensor(const Tensor&)>;

// One class index per example. Empty: the predicted class (argmax of the logits at the input). A single entry
// is used for every example.
using Targets = std::vector<int64_t>;

// input (N,...), targets -> attributions (N,...). What NoiseTunnel wraps.
using AttributionFn = std::function<Tensor(const Tensor& input, const Targets& target)>;

class GradientAttribution {
 public:
  explicit GradientAttribution(Model model);
  virtual ~GradientAttribution() = default;

  // input (N,C,H,W) or (N,D) -> attributions of the same shape, with the method's default settings.
  virtual Tensor attribute(const Tensor& input, const Targets& target = {}) const = 0;

  const Model& model() const { return model_; }

 protected:
  Model model_;
};

}  // namespace mxai::explain
