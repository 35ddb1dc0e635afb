#include "experiments/attribution_methods.h"

#include <algorithm>

#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "explain/baselines.h"
#include "explain/deeplift.h"
#include "explain/gradient_shap.h"
#include "explain/guided_backprop.h"
#include "explain/input_x_gradient.h"
#include "explain/integrated_gradients.h"
#include "explain/noise_tunnel.h"
#include "explain/occlusion.h"
#include "explain/saliency.h"
#include "explain/target.h"
#include "nn/lenet.h"

namespace mxai::experiments {

namespace {

const std::map<std::string, std::string>& labels() {
  static const std::map<std::string, std::string> table = {
      {"gradient", "Gradient"},
      {"input_x_gradient", "Input x Gradient"},
      {"integrated_gradients", "Integrated Gradients (zero base-point)"},
      {"integrated_gradients_path", "IG without the (x - 0) factor (path-averaged gradient)"},
      {"smoothgrad", "SmoothGrad"},
      {"ig_zero", "IG, zero base-point"},
      {"ig_uniform", "IG, uniform base-point"},
      {"ig_max_distance", "IG, maximum-distance base-point"},
      {"ig_gaussian", "IG, Gaussian base-point"},
      {"gradcam", "Grad-CAM"},
      {"guided_backprop", "Guided Backprop"},
      {"guided_gradcam", "Guided Grad-CAM"},
      {"gradient_shap", "GradientSHAP"},
      {"deeplift", "DeepLift"},
      {"occlusion", "Occlusion"},
      {"latent_ig", "Latent IG (decoded latent path)"},
  };
  return table;
}

// Points are explained in chunks so memory stays bounded; every chunk's noise comes from its own generator,
// derived from the seed and the chunk's first index, so results do not depend on how a caller batches calls
// beyond that.
constexpr int64_t kPointsPerChunk = kPointsPerStream;

uint64_t chunk_seed(uint64_t seed, uint64_t salt, int64_t first) {
  return seed * 0x9E3779B97F4A7C15ull + salt * 0xBF58476D1CE4E5B9ull + static_cast<uint64_t>(first) + 1;
}

}  // namespace

const std::vector<std::string>& manifold_method_keys() {
  static const std::vector<std::string> keys = {"gradient", "input_x_gradient", "integrated_gradients",
                                                "integrated_gradients_path", "smoothgrad"};
  return keys;
}

const std::vector<std::string>& taig_baseline_keys() {
  static const std::vector<std::string> keys = {"ig_zero", "ig_uniform", "ig_max_distance", "ig_gaussian"};
  return keys;
}

const std::vector<std::string>& taig_reference_keys() {
  static const std::vector<std::string> keys = {"gradient", "smoothgrad", "input_x_gradient"};
  return keys;
}

const std::vector<std::string>& further_method_keys() {
  static const std::vector<std::string> keys = {"gradcam",  "guided_backprop", "guided_gradcam", "gradient_shap",
                                                "deeplift", "occlusion",       "latent_ig"};
  return keys;
}

const std::vector<std::string>& roar_method_keys() {
  static const std::vector<std::string> keys = {"gradient", "input_x_gradient", "integrated_gradients_path",
                                                "smoothgrad"};
  return keys;
}

const std::vector<std::string>& attribution_method_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> all = manifold_method_keys();
    all.insert(all.end(), taig_baseline_keys().begin(), taig_baseline_keys().end());
    all.insert(all.end(), further_method_keys().begin(), further_method_keys().end());
    return all;
  }();
  return keys;
}

bool method_applies(const std::string& key, const MethodContext& context) {
  if (key == "gradcam" || key == "guided_gradcam") return context.split.has_value();
  if (key == "latent_ig") return context.decoder && context.latents.defined();
  return true;
}

std::vector<std::string> gradcam_layers(const nn::Module& model) {
  if (dynamic_cast<const nn::LeNet*>(&model)) return {"conv1", "conv2"};
  return {};
}

explain::LayerSplit layer_split(const std::shared_ptr<nn::Module>& model, const std::string& layer) {
  if (auto lenet = std::dynamic_pointer_cast<nn::LeNet>(model)) {
    if (layer == "conv2")
      return {[lenet](const Tensor& x) { return lenet->conv_output(x); },
              [lenet](const Tensor& a) { return lenet->from_conv_output(a); }};
    if (layer == "conv1")
      return {[lenet](const Tensor& x) { return lenet->conv1_output(x); },
              [lenet](const Tensor& a) { return lenet->from_conv1_output(a); }};
  }
  std::string known;
  for (const auto& l : gradcam_layers(*model)) known += (known.empty() ? "" : ", ") + l;
  throw Error("Grad-CAM cannot cut a " + model->type_name() + " at layer '" + layer + "' (layers it allows: " +
              (known.empty() ? "none" : known) + ")");
}

bool uses_zero_base_point_path(const std::string& key) {
  return key == "integrated_gradients" || key == "integrated_gradients_path" || key == "ig_zero";
}

std::string attribution_method_label(const std::string& key) {
  auto it = labels().find(key);
  return it == labels().end() ? key : it->second;
}

void check_attribution_method(const std::string& key) {
  if (labels().count(key)) return;
  std::string known;
  for (const auto& k : attribution_method_keys()) known += (known.empty() ? "" : ", ") + k;
  throw Error("unknown attribution method '" + key + "' (known: " + known + ")");
}

std::map<std::string, Tensor> attribute_methods(const std::vector<std::string>& keys, const explain::Model& model,
                                                const Tensor& x, const explain::Targets& targets,
                                                const MethodSettings& settings, const MethodContext& context) {
  for (const auto& k : keys) {
    check_attribution_method(k);
    if ((k == "gradcam" || k == "guided_gradcam") && !context.split)
      throw Error(k + " needs a model with a convolution layer to cut at (LeNet); this model has none");
    if (k == "latent_ig" && !(context.decoder && context.latents.defined()))
      throw Error("latent_ig needs a decoder and the points' latent codes: a generated split with its VAE, or real "
                  "data with an autoencoder");
  }
  const int64_t n = x.shape()[0];
  if (static_cast<int64_t>(targets.size()) != n)
    throw Error("attribute_methods: " + std::to_string(targets.size()) + " targets for " + std::to_string(n) +
                " examples");
  if (context.latents.defined() && context.latents.shape()[0] != n)
    throw Error("attribute_methods: " + std::to_string(context.latents.shape()[0]) + " latent codes for " +
                std::to_string(n) + " examples");
  auto wants = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); };

  std::map<std::string, std::vector<Tensor>> parts;
  explain::Saliency saliency(model);
  explain::IntegratedGradients ig(model);
  for (int64_t first = 0; first < n; first += kPointsPerChunk) {
    const int64_t count = std::min(kPointsPerChunk, n - first);
    const Tensor xc = narrow(x, 0, first, count);
    const explain::Targets tc(targets.begin() + first, targets.begin() + first + count);
    const int64_t ig_rows = std::max<int64_t>(settings.rows_per_batch, 1);

    if (wants("gradient") || wants("input_x_gradient")) {
      const Tensor g = saliency.attribute(xc, tc);
      if (wants("gradient")) parts["gradient"].push_back(g);
      if (wants("input_x_gradient")) parts["input_x_gradient"].push_back(mul(xc, g));
    }
    if (std::any_of(keys.begin(), keys.end(), uses_zero_base_point_path)) {
      // One path integral gives both variants: gbar, and (x - 0) ⊙ gbar.
      const Tensor gbar = ig.attribute(xc, Tensor(), tc, settings.ig_steps, settings.ig_rule, ig_rows,
                                       /*multiply_by_inputs=*/false)
                              .attributions;
      const Tensor full = mul(xc, gbar);
      if (wants("integrated_gradients_path")) parts["integrated_gradients_path"].push_back(gbar);
      if (wants("integrated_gradients")) parts["integrated_gradients"].push_back(full);
      if (wants("ig_zero")) parts["ig_zero"].push_back(full);
    }
    auto ig_from = [&](const Tensor& baseline) {
      return ig.attribute(xc, baseline, tc, settings.ig_steps, settings.ig_rule, ig_rows).attributions;
    };
    if (wants("ig_uniform")) {
      Generator gen(chunk_seed(settings.seed, 1, settings.first_point + first));
      parts["ig_uniform"].push_back(ig_from(explain::uniform_baseline(xc, 0, 1, gen)));
    }
    if (wants("ig_max_distance")) parts["ig_max_distance"].push_back(ig_from(explain::max_distance_baseline(xc, 0, 1)));
    if (wants("ig_gaussian")) {
      Generator gen(chunk_seed(settings.seed, 2, settings.first_point + first));
      parts["ig_gaussian"].push_back(
          ig_from(explain::gaussian_noise_baseline(xc, static_cast<real>(settings.gaussian_sigma), 0, 1, gen)));
    }
    if (wants("smoothgrad")) {
      Generator gen(chunk_seed(settings.seed, 3, settings.first_point + first));
      explain::NoiseTunnel tunnel(saliency);
      const int64_t per_call = std::max<int64_t>(1, ig_rows / count);
      parts["smoothgrad"].push_back(tunnel.attribute(xc, tc, explain::NoiseTunnelType::SmoothGrad,
                                                     settings.smoothgrad_samples,
                                                     static_cast<real>(settings.smoothgrad_stdev), gen, per_call));
    }
    if (wants("gradcam")) parts["gradcam"].push_back(explain::gradcam(*context.split, xc, tc));
    if (wants("guided_backprop")) parts["guided_backprop"].push_back(explain::guided_backprop(model, xc, tc));
    if (wants("guided_gradcam")) parts["guided_gradcam"].push_back(explain::guided_gradcam(*context.split, xc, tc));
    if (wants("gradient_shap")) {
      Generator gen(chunk_seed(settings.seed, 4, settings.first_point + first));
      Shape one = xc.shape();
      one[0] = settings.shap_baselines;
      const Tensor baselines = randn(one, gen);
      explain::GradientShapSettings s;
      s.n_samples = settings.shap_samples;
      s.stdev = static_cast<real>(settings.shap_stdev);
      s.internal_batch_size = ig_rows;
      parts["gradient_shap"].push_back(explain::gradient_shap(model, xc, baselines, gen, tc, s).attributions);
    }
    if (wants("deeplift")) parts["deeplift"].push_back(explain::deeplift(model, xc, Tensor(), tc).attributions);
    if (wants("occlusion")) {
      explain::OcclusionSettings s;
      s.window_h = s.window_w = settings.occlusion_window;
      s.stride_h = s.stride_w = settings.occlusion_stride;
      s.internal_batch_size = ig_rows;
      parts["occlusion"].push_back(explain::occlusion(model, xc, tc, s));
    }
    if (wants("latent_ig")) {
      explain::LatentIgSettings s;
      s.n_steps = settings.latent_ig_steps;
      s.method = settings.ig_rule;
      s.internal_batch_size = ig_rows;
      parts["latent_ig"].push_back(explain::latent_integrated_gradients(model, context.decoder,
                                                                        narrow(context.latents, 0, first, count),
                                                                        Tensor(), tc, s)
                                       .attributions);
    }
  }
  std::map<std::string, Tensor> out;
  for (auto& [key, chunks] : parts) out[key] = chunks.size() == 1 ? chunks[0] : concat(chunks, 0);
  return out;
}

}  // namespace mxai::experiments
