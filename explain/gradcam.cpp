#include "explain/gradcam.h"

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/resize.h"
#include "explain/guided_backprop.h"
#include "explain/target.h"

namespace mxai::explain {

namespace {

void check_image_batch(const Tensor& input, const char* method) {
  if (input.dim() != 4) throw Error(std::string(method) + ": expected images (N,C,H,W), got " + shape_str(input.shape()));
}

// map (N,1,h,w) -> (N,C,H,W) of the input's shape.
Tensor upsample_to_input(const Tensor& map, const Tensor& input) {
  const Tensor upsampled = upsample_bilinear2d(map, input.size(2), input.size(3));
  return expand(upsampled, input.shape()).clone();
}

}  // namespace

Model compose(const LayerSplit& split) {
  return [split](const Tensor& x) { return split.head(split.layer(x)); };
}

Tensor layer_gradcam(const LayerSplit& split, const Tensor& input, const Targets& target,
                     const GradCamSettings& settings) {
  check_image_batch(input, "gradcam");
  const Targets targets = resolve_targets(compose(split), input, target);
  Tensor activation;
  {
    NoGradGuard no_grad;
    activation = split.layer(input.detach());
  }
  if (activation.dim() != 4)
    throw Error("gradcam: the layer's output must be (N,K,h,w), got " + shape_str(activation.shape()));
  // The layer's output is the variable: the gradient of the target logit with respect to A, through the head only.
  const Tensor gradient = target_gradient(split.head, activation, targets);
  NoGradGuard no_grad;
  const Tensor channel_weights = mean(gradient, {2, 3}, /*keepdim=*/true);  // (N,K,1,1)
  const Tensor map = sum(mul(channel_weights, activation), {1}, /*keepdim=*/true);
  return settings.relu_attributions ? relu(map) : map;
}

Tensor gradcam(const LayerSplit& split, const Tensor& input, const Targets& target, const GradCamSettings& settings) {
  const Tensor map = layer_gradcam(split, input, target, settings);
  NoGradGuard no_grad;
  return upsample_to_input(map, input);
}

Tensor guided_gradcam(const LayerSplit& split, const Tensor& input, const Targets& target) {
  check_image_batch(input, "guided gradcam");
  const Model model = compose(split);
  const Targets targets = resolve_targets(model, input, target);
  const Tensor map = layer_gradcam(split, input, targets, GradCamSettings{true});
  const Tensor guided = guided_backprop(model, input, targets);
  NoGradGuard no_grad;
  return mul(guided, upsample_bilinear2d(map, input.size(2), input.size(3)));
}

}  // namespace mxai::explain
