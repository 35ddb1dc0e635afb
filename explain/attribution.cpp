#include "explain/attribution.h"

namespace mxai::explain {

GradientAttribution::GradientAttribution(Model model) : model_(std::move(model)) {
  if (!model_) throw Error("attribution method: the model function is empty");
}

}  // namespace mxai::explain
