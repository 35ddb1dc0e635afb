// Grad-CAM (Selvaraju et al.; Captum's LayerGradCam) and Guided Grad-CAM (Captum's GuidedGradCam).
//
// The model is given cut at the explained layer, logits = head(layer(input)): a std::function model has no
// layers to hook, and the cut lets the caller pick any layer (the manifold paper explains the last convolution's
// output before its activation; nn::LeNet::conv_output / from_conv_output give that cut for LeNet).
#pragma once

#include "explain/attribution.h"

namespace mxai::explain {

struct LayerSplit {
  Model layer;  // input (N,C,H,W) -> the layer's activation A (N,K,h,w)
  Model head;   // A (N,K,h,w) -> logits (N,classes)
};

// The whole model, head(layer(x)).
Model compose(const LayerSplit& split);

struct GradCamSettings {
  // Captum's default: the map keeps its sign. Guided Grad-CAM uses true.
  bool relu_attributions = false;
};

// input (N,C,H,W) -> the layer map (N,1,h,w): sum_k mean_{h,w}(dF/dA_k) * A_k, F the target logit.
Tensor layer_gradcam(const LayerSplit& split, const Tensor& input, const Targets& target = {},
                     const GradCamSettings& settings = {});

// input (N,C,H,W) -> (N,C,H,W): the layer map upsampled bilinearly (align_corners=False) to H x W, as Captum's
// LayerAttribution.interpolate(mode="bilinear"), and repeated over the C channels so that it has the input's
// shape like every other attribution (for C = 1 it is exactly the upsampled map).
Tensor gradcam(const LayerSplit& split, const Tensor& input, const Targets& target = {},
               const GradCamSettings& settings = {});

// input (N,C,H,W) -> (N,C,H,W): guided backprop times the upsampled non-negative Grad-CAM map (Captum's
// GuidedGradCam, whose relu_attributions is fixed to true). Captum upsamples with "nearest" by default; this
// upsamples bilinearly, as Selvaraju et al. and the other Grad-CAM here.
Tensor guided_gradcam(const LayerSplit& split, const Tensor& input, const Targets& target = {});

}  // namespace mxai::explain
