// `mxai explain`: attributions of a saved classifier on a data set, and their tangent-space alignment when the
// data's manifold is known.
#include <algorithm>
#include <climits>
#include <cstdio>

#include "apps/cli.h"
#include "apps/commands.h"
#include "autodiff/ops.h"
#include "experiments/alignment_evaluation.h"
#include "experiments/classifier_training.h"
#include "experiments/explain_data.h"
#include "experiments/faithfulness_evaluation.h"
#include "explain/summary_statistics.h"
#include "explain/tangent_alignment.h"
#include "nn/safetensors.h"

namespace mxai::cmd {

int explain(const Args& args) {
  cli::Options opts("explain",
                    "Explain a classifier's predictions with gradient-based attribution methods and, when the "
                    "tangent spaces of the data are known, measure how much of each attribution lies in them.");
  std::string methods_help = "comma-separated methods:";
  for (const auto& k : experiments::attribution_method_keys()) methods_help += " " + k;
  opts.value("model", "", "classifier file saved by train-classifier; required")
      .value("data", "", "a generated split (file or directory from make-manifold-dataset) or a data set name; required")
      .value("split", "test", "split to explain")
      .value("n", "100", "explain the first N points (0: all)", cli::Int::at_least(0))
      .value("methods", "gradient,input_x_gradient,integrated_gradients,integrated_gradients_path,smoothgrad",
             methods_help)
      .value("autoencoder", "", "train-autoencoder file: explain reconstructions, tangent spaces from its decoder")
      .value("vae", "", "the VAE that generated the split, for latent_ig (default: the one its metadata names)")
      .value("gradcam-layer", "conv2", "layer Grad-CAM explains (LeNet: conv1, conv2)")
      .value("occlusion-window", "4", "Occlusion window side, pixels", cli::Int::at_least(1))
      .value("occlusion-stride", "2", "Occlusion stride, pixels", cli::Int::at_least(1))
      .value("shap-samples", "5", "GradientSHAP samples per point", cli::Int::between(1, INT_MAX))
      .value("shap-baselines", "20", "GradientSHAP baselines drawn from N(0, I)", cli::Int::between(1, INT_MAX))
      .value("faithfulness-points", "20",
             "score infidelity, max sensitivity and deletion / insertion AUC on the first N points (0: none)",
             cli::Int::at_least(0))
      .value("sensitivity-points", "5",
             "of those, score max sensitivity (10 re-explained perturbed copies per point) on the first N",
             cli::Int::at_least(0))
      .value("ig-steps", "50", "Integrated Gradients path points", cli::Int::between(1, INT_MAX))
      .value("ig-method", "gausslegendre",
             "quadrature: gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid")
      .value("smoothgrad-samples", "25", "SmoothGrad noisy copies", cli::Int::between(1, INT_MAX))
      .value("smoothgrad-stdev", "0.02", "SmoothGrad noise, absolute on [0,1] pixels", cli::Real::at_least(0))
      .value("seed", "0", "noise seed (SmoothGrad, uniform and Gaussian base-points)", cli::Int::at_least(0))
      .value("out", "",
             "output .safetensors (attributions.<method>, tangent_fraction.<method>, targets, and per scored point "
             "infidelity.<method>, sensitivity_max.<method>, deletion_auc.<method>, insertion_auc.<method>); "
             "required")
      .value("png", "", "also write an example figure of the first rows here")
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("model").empty() || opts.str("data").empty() || opts.str("out").empty())
    throw Error("--model, --data and --out are required");
  const std::vector<std::string> keys = cli::split_list(opts.str("methods"));
  if (keys.empty()) throw Error("--methods names no method");
  for (const auto& k : keys) experiments::check_attribution_method(k);

  const experiments::TrainedClassifier classifier = experiments::load_classifier(opts.str("model"));
  const experiments::ExplainData points =
      experiments::load_explain_data(opts.str("data"), opts.str("split"), opts.integer("n"), classifier.image_size,
                                     opts.str("autoencoder"), opts.str("vae"));
  const experiments::MethodContext context =
      experiments::method_context(points, classifier.model, keys, opts.str("gradcam-layer"));
  experiments::MethodSettings settings;
  settings.ig_steps = static_cast<int>(opts.integer("ig-steps"));
  settings.ig_rule = explain::parse_quadrature(opts.str("ig-method"));
  settings.smoothgrad_samples = static_cast<int>(opts.integer("smoothgrad-samples"));
  settings.smoothgrad_stdev = opts.number("smoothgrad-stdev");
  settings.seed = static_cast<uint64_t>(opts.integer("seed"));
  settings.occlusion_window = opts.integer("occlusion-window");
  settings.occlusion_stride = opts.integer("occlusion-stride");
  settings.shap_samples = static_cast<int>(opts.integer("shap-samples"));
  settings.shap_baselines = static_cast<int>(opts.integer("shap-baselines"));
  auto module = classifier.model;
  const explain::Model model = [module](const Tensor& x) { return module->forward(x); };
  const experiments::ExplainedPoints explained =
      experiments::explain_points(model, points.data.images, points.basis, keys, settings, opts.has("quiet"), context);
  const int64_t scored = std::min(opts.integer("faithfulness-points"), points.data.size());
  std::vector<experiments::FaithfulnessScores> faithfulness;
  if (scored > 0) {
    experiments::MethodContext first = context;
    if (first.latents.defined()) first.latents = narrow(first.latents, 0, 0, scored);
    experiments::FaithfulnessSettings metrics;
    metrics.sensitivity_points = opts.integer("sensitivity-points");
    faithfulness = experiments::faithfulness_scores(model, narrow(points.data.images, 0, 0, scored),
                                                    experiments::first_points(explained, scored), keys, settings,
                                                    first, metrics, opts.has("quiet"));
  }

  nn::TensorMap tensors;
  Tensor targets = Tensor::empty({static_cast<int64_t>(explained.targets.size())});
  for (size_t i = 0; i < explained.targets.size(); ++i) targets.data()[i] = static_cast<real>(explained.targets[i]);
  tensors["targets"] = targets;
  std::map<std::string, nn::DType> dtypes = {{"targets", nn::DType::I64}};
  for (const auto& [key, a] : explained.attributions) tensors["attributions." + key] = a;
  auto vector_tensor = [](const std::vector<double>& v) {
    Tensor t = Tensor::empty({static_cast<int64_t>(v.size())});
    for (size_t i = 0; i < v.size(); ++i) t.data()[i] = static_cast<real>(v[i]);
    return t;
  };
  for (const auto& [key, f] : explained.fractions) tensors["tangent_fraction." + key] = vector_tensor(f);
  for (const auto& f : faithfulness) {
    tensors["infidelity." + f.key] = vector_tensor(f.infidelity);
    tensors["sensitivity_max." + f.key] = vector_tensor(f.sensitivity_max);
    tensors["deletion_auc." + f.key] = vector_tensor(f.deletion_auc);
    tensors["insertion_auc." + f.key] = vector_tensor(f.insertion_auc);
  }
  nn::Metadata meta = {{"model", opts.str("model")},       {"data", points.data.name},
                       {"methods", opts.str("methods")},    {"tangent", points.tangent_source},
                       {"ig_steps", opts.str("ig-steps")},  {"ig_method", opts.str("ig-method")},
                       {"smoothgrad_samples", opts.str("smoothgrad-samples")},
                       {"smoothgrad_stdev", opts.str("smoothgrad-stdev")}, {"seed", opts.str("seed")},
                       {"gradcam_layer", opts.str("gradcam-layer")},
                       {"occlusion_window", opts.str("occlusion-window")},
                       {"occlusion_stride", opts.str("occlusion-stride")},
                       {"shap_samples", opts.str("shap-samples")}, {"shap_baselines", opts.str("shap-baselines")},
                       {"faithfulness_points", std::to_string(scored)},
                       {"sensitivity_points", std::to_string(std::min(scored, opts.integer("sensitivity-points")))}};
  nn::save_safetensors(opts.str("out"), tensors, meta, dtypes);
  if (!opts.str("png").empty())
    experiments::write_example_figure(opts.str("png"), points.data.images, explained, keys, points.basis,
                               {0, 1, 2, 3, 4, 5, 6, 7});

  std::printf("%lld points of %s explained by %s\n", static_cast<long long>(points.data.size()),
              points.data.name.c_str(), opts.str("model").c_str());
  if (points.basis.defined()) {
    const int64_t d = points.basis.shape()[1], k = points.basis.shape()[2];
    std::printf("tangent spaces: %s, d = %lld, k = %lld; random vector: sqrt(k/d) = %.4f (exact %.4f)\n",
                points.tangent_source.c_str(), static_cast<long long>(d), static_cast<long long>(k),
                explain::random_expectation_sqrt(k, d), explain::random_expectation_exact(k, d));
    std::printf("%-28s %8s %8s %8s %8s %6s\n", "tangent fraction", "mean", "median", "q25", "q75", "n");
    for (const auto& key : keys) {
      const auto s = explain::summarize(explained.fractions.at(key));
      std::printf("%-28s %8.4f %8.4f %8.4f %8.4f %6lld\n", key.c_str(), s.mean, s.median, s.q25, s.q75,
                  static_cast<long long>(s.n));
    }
  } else {
    std::printf("no tangent spaces for this data (pass a generated split, or --autoencoder FILE)\n");
  }
  if (!faithfulness.empty()) {
    std::printf("faithfulness on the first %lld points, max sensitivity on the first %lld (medians; NaN: not "
                "defined for the method)\n",
                static_cast<long long>(scored),
                static_cast<long long>(std::min(scored, opts.integer("sensitivity-points"))));
    std::printf("%-28s %12s %12s %12s %12s\n", "method", "infidelity", "sens. max", "deletion", "insertion");
    for (const auto& f : faithfulness)
      std::printf("%-28s %12.4g %12.4g %12.4f %12.4f\n", f.key.c_str(), explain::summarize(f.infidelity).median,
                  explain::summarize(f.sensitivity_max).median, explain::summarize(f.deletion_auc).median,
                  explain::summarize(f.insertion_auc).median);
  }
  std::printf("wrote %s\n", opts.str("out").c_str());
  return 0;
}

}  // namespace mxai::cmd
