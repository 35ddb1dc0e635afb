// `mxai explain`: attributions of a saved classifier on a data set, and their tangent-space alignment when the
// data's manifold is known.
#include <climits>
#include <cstdio>
#include <sstream>

#include "apps/cli.h"
#include "apps/commands.h"
#include "experiments/alignment_evaluation.h"
#include "experiments/classifier_training.h"
#include "experiments/explain_data.h"
#include "explain/summary_statistics.h"
#include "explain/tangent_alignment.h"
#include "nn/safetensors.h"

namespace mxai::cmd {

namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

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
      .value("ig-steps", "50", "Integrated Gradients path points", cli::Int::between(1, INT_MAX))
      .value("ig-method", "gausslegendre",
             "quadrature: gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid")
      .value("smoothgrad-samples", "25", "SmoothGrad noisy copies", cli::Int::between(1, INT_MAX))
      .value("smoothgrad-stdev", "0.02", "SmoothGrad noise, absolute on [0,1] pixels", cli::Real::at_least(0))
      .value("seed", "0", "noise seed (SmoothGrad, uniform and Gaussian base-points)", cli::Int::at_least(0))
      .value("out", "", "output .safetensors (attributions.<method>, tangent_fraction.<method>, targets); required")
      .value("png", "", "also write an example figure of the first rows here")
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("model").empty() || opts.str("data").empty() || opts.str("out").empty())
    throw Error("--model, --data and --out are required");
  const std::vector<std::string> keys = split_list(opts.str("methods"));
  if (keys.empty()) throw Error("--methods names no method");
  for (const auto& k : keys) experiments::check_attribution_method(k);

  const experiments::TrainedClassifier classifier = experiments::load_classifier(opts.str("model"));
  const experiments::ExplainData points = experiments::load_explain_data(opts.str("data"), opts.str("split"), opts.integer("n"),
                                                           classifier.image_size, opts.str("autoencoder"));
  experiments::MethodSettings settings;
  settings.ig_steps = static_cast<int>(opts.integer("ig-steps"));
  settings.ig_rule = explain::parse_quadrature(opts.str("ig-method"));
  settings.smoothgrad_samples = static_cast<int>(opts.integer("smoothgrad-samples"));
  settings.smoothgrad_stdev = opts.number("smoothgrad-stdev");
  settings.seed = static_cast<uint64_t>(opts.integer("seed"));
  auto module = classifier.model;
  const explain::Model model = [module](const Tensor& x) { return module->forward(x); };
  const experiments::ExplainedPoints explained =
      experiments::explain_points(model, points.data.images, points.basis, keys, settings, opts.has("quiet"));

  nn::TensorMap tensors;
  Tensor targets = Tensor::empty({static_cast<int64_t>(explained.targets.size())});
  for (size_t i = 0; i < explained.targets.size(); ++i) targets.data()[i] = static_cast<real>(explained.targets[i]);
  tensors["targets"] = targets;
  std::map<std::string, nn::DType> dtypes = {{"targets", nn::DType::I64}};
  for (const auto& [key, a] : explained.attributions) tensors["attributions." + key] = a;
  for (const auto& [key, f] : explained.fractions) {
    Tensor t = Tensor::empty({static_cast<int64_t>(f.size())});
    for (size_t i = 0; i < f.size(); ++i) t.data()[i] = static_cast<real>(f[i]);
    tensors["tangent_fraction." + key] = t;
  }
  nn::Metadata meta = {{"model", opts.str("model")},       {"data", points.data.name},
                       {"methods", opts.str("methods")},    {"tangent", points.tangent_source},
                       {"ig_steps", opts.str("ig-steps")},  {"ig_method", opts.str("ig-method")},
                       {"smoothgrad_samples", opts.str("smoothgrad-samples")},
                       {"smoothgrad_stdev", opts.str("smoothgrad-stdev")}, {"seed", opts.str("seed")}};
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
  std::printf("wrote %s\n", opts.str("out").c_str());
  return 0;
}

}  // namespace mxai::cmd
