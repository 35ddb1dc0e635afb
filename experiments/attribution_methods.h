// The attribution methods of the two papers by name, with their settings in one place, so `mxai explain`,
// `mxai taig` and `mxai reproduce` compute exactly the same thing for the same key.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "autodiff/tensor.h"
#include "explain/attribution.h"
#include "explain/gradcam.h"
#include "explain/latent_ig.h"
#include "explain/quadrature.h"
#include "nn/module.h"

namespace mxai::experiments {

struct MethodSettings {
  int ig_steps = 50;                                                // Captum's default
  explain::Quadrature ig_rule = explain::Quadrature::GaussLegendre;  // Captum's default
  int smoothgrad_samples = 25;     // Bordt et al. (MNIST) and TAIG
  double smoothgrad_stdev = 0.02;  // absolute, on [0,1] pixels
  double gaussian_sigma = 0.1;     // the Gaussian base-point clip(x + sigma N(0,1), 0, 1)
  int64_t rows_per_batch = 512;    // path points / noisy copies evaluated per forward-backward
  uint64_t seed = 0;               // noise of SmoothGrad, GradientSHAP and the uniform / Gaussian base-points
  // GradientSHAP as in Bordt et al.'s real-data code: baselines drawn from 20 images of N(0, I) noise; Captum's
  // 5 samples and no input noise.
  int shap_baselines = 20;
  int shap_samples = 5;
  double shap_stdev = 0;
  // Occlusion: Captum has no default window; 4x4 with stride 2 suits 28-32 pixel digits.
  int64_t occlusion_window = 4;
  int64_t occlusion_stride = 2;
  // Latent IG: IG's path points and rule, along the decoded latent segment from the zero code.
  int latent_ig_steps = 50;
  // x's row 0 is this point of the whole job's points: an MPI rank explaining its share (a multiple of
  // kPointsPerStream) draws the same noise as one process explaining all of them.
  int64_t first_point = 0;
};

// Points share one random stream per block of this many, keyed by the seed and the block's first point.
constexpr int64_t kPointsPerStream = 64;

// What some methods need beyond the model's logits. Absent parts make those methods throw an Error naming the key.
struct MethodContext {
  // gradcam, guided_gradcam: the model cut at the explained layer (layer_split below).
  std::optional<explain::LayerSplit> split;
  // latent_ig: a decoder g (latent (N,k) -> image) whose image the points lie on, and each point's code (N,k):
  // the generator's decoder and the drawn codes (generated data), or the autoencoder's decoder and Enc(x) (real data).
  explain::Decoder decoder;
  Tensor latents;
};

// The Grad-CAM layers `model` can be cut at, in the order of the network ("conv1", "conv2" for LeNet; empty when
// it has none).
std::vector<std::string> gradcam_layers(const nn::Module& model);
// model cut at `layer` -> the split Grad-CAM explains (eval mode is the caller's job). Throws an Error naming the
// model's type and the layers it allows when it cannot be cut there.
explain::LayerSplit layer_split(const std::shared_ptr<nn::Module>& model, const std::string& layer);

// Keys, as in results.json:
//   gradient                   d logit / dx (signed)
//   input_x_gradient           x ⊙ gradient
//   integrated_gradients       IG with the zero base-point (the standard, multiplied definition)
//   integrated_gradients_path  the path-averaged gradient without the (x - 0) factor (Bordt et al.'s MNIST code)
//   smoothgrad                 mean gradient over noisy copies
//   ig_zero, ig_uniform, ig_max_distance, ig_gaussian   IG with TAIG's standard base-points
//   gradcam, guided_backprop, guided_gradcam, gradient_shap, deeplift, occlusion, latent_ig   (docs/methods.md)
const std::vector<std::string>& attribution_method_keys();
// The methods Bordt et al. score on both data sets, in report order: gradient, input_x_gradient,
// integrated_gradients, integrated_gradients_path, smoothgrad.
const std::vector<std::string>& manifold_method_keys();
// IG with TAIG's standard base-points, in report order: ig_zero, ig_uniform, ig_max_distance, ig_gaussian.
const std::vector<std::string>& taig_baseline_keys();
// The gradient methods TAIG is compared with: gradient, smoothgrad, input_x_gradient.
const std::vector<std::string>& taig_reference_keys();
// The methods beyond the two papers' own, in report order: gradcam, guided_backprop, guided_gradcam,
// gradient_shap, deeplift, occlusion, latent_ig.
const std::vector<std::string>& further_method_keys();
// The methods Bordt et al.'s ROAR notebook ranks pixels with, cheapest first: gradient, input_x_gradient,
// integrated_gradients_path, smoothgrad.
const std::vector<std::string>& roar_method_keys();
// True when `key` can run with `context` (gradcam and guided_gradcam need a split, latent_ig a decoder and codes).
bool method_applies(const std::string& key, const MethodContext& context);
// True for the keys computed from the one IG path integral from the zero base-point (its average gradient gbar
// and (x - 0) ⊙ gbar): integrated_gradients, integrated_gradients_path, ig_zero.
bool uses_zero_base_point_path(const std::string& key);
// A readable name for a key ("Integrated Gradients (zero base-point)").
std::string attribution_method_label(const std::string& key);
// Throws Error naming the known keys.
void check_attribution_method(const std::string& key);

// model: eval-mode logits; x (N,C,H,W) in [0,1]; targets: one class per example (resolved) -> for each requested
// key, attributions (N,C,H,W). Methods that share work share it (IG and its path variant use one path integral;
// ig_zero is integrated_gradients). context.latents, when given, has one row per example of x.
std::map<std::string, Tensor> attribute_methods(const std::vector<std::string>& keys, const explain::Model& model,
                                                const Tensor& x, const explain::Targets& targets,
                                                const MethodSettings& settings, const MethodContext& context = {});

}  // namespace mxai::experiments
