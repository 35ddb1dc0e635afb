// `mxai taig`: Tangentially Aligned Integrated Gradients -- the IG base-point that maximises the explanation's
// alignment with the tangent space, found per point, compared with the standard base-points and gradient methods.
#include <climits>
#include <cstdio>

#include "apps/cli.h"
#include "apps/commands.h"
#include "experiments/classifier_training.h"
#include "experiments/explain_data.h"
#include "experiments/taig_comparison.h"
#include "explain/summary_statistics.h"
#include "explain/tangent_alignment.h"
#include "nn/safetensors.h"

namespace mxai::cmd {

namespace {

Tensor as_tensor(const std::vector<double>& v) {
  Tensor t = Tensor::empty({static_cast<int64_t>(v.size())});
  for (size_t i = 0; i < v.size(); ++i) t.data()[i] = static_cast<real>(v[i]);
  return t;
}

void print_row(const std::string& key, const std::vector<double>& values) {
  const auto s = explain::summarize(values);
  std::printf("%-22s %8.4f %8.4f %8.4f %8.4f %6lld\n", key.c_str(), s.mean, s.median, s.q25, s.q75,
              static_cast<long long>(s.n));
}

}  // namespace

int taig(const Args& args) {
  cli::Options opts("taig",
                    "Optimise the Integrated Gradients base-point of each point for tangential alignment (TAIG) and "
                    "compare it with the zero, uniform, maximum-distance and Gaussian base-points and with Gradient, "
                    "SmoothGrad and Input x Gradient.");
  const explain::TaigOptions defaults;
  opts.value("model", "", "classifier file saved by train-classifier; required")
      .value("data", "", "a generated split (file or directory) or a data set name with --autoencoder; required")
      .value("split", "test", "split to explain")
      .value("n", "200", "explain the first N points (0: all)", cli::Int::at_least(0))
      .value("autoencoder", "", "train-autoencoder file: explain reconstructions, tangent spaces from its decoder")
      .value("iterations", std::to_string(defaults.iterations), "ascent steps per point at most",
             cli::Int::between(1, INT_MAX))
      .value("lr", std::to_string(defaults.lr), "Adam step size in pixel units", cli::Real::above(0))
      .value("ascent-steps", std::to_string(defaults.n_steps), "IG path points during the ascent",
             cli::Int::between(1, INT_MAX))
      .value("min-distance", "0", "lower bound on ||x - alpha|| (0: none)", cli::Real::at_least(0))
      .value("target-mu", std::to_string(defaults.target_mu),
             "stop a point once its mu (a fraction: the share of the attribution in the tangent space) reaches this",
             cli::Real::positive_fraction())
      .value("seed", "0", "noise seed (SmoothGrad, uniform and Gaussian base-points)", cli::Int::at_least(0))
      .value("gaussian-sigma", std::to_string(experiments::MethodSettings{}.gaussian_sigma),
             "noise of the Gaussian base-point clip(x + sigma N(0,1), 0, 1), in pixel units", cli::Real::at_least(0))
      .value("out", "", "optional .safetensors with base-points, attributions and per-point diagnostics")
      .value("png", "", "optional example figure")
      .flag("smooth", "the model is not piecewise linear: include the exact Hessian term (double backward)")
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("model").empty() || opts.str("data").empty()) throw Error("--model and --data are required");
  const experiments::TrainedClassifier classifier = experiments::load_classifier(opts.str("model"));
  const experiments::ExplainData points = experiments::load_explain_data(opts.str("data"), opts.str("split"), opts.integer("n"),
                                                           classifier.image_size, opts.str("autoencoder"));
  if (!points.basis.defined())
    throw Error("TAIG needs tangent spaces: pass a generated split or --autoencoder FILE with " + opts.str("data"));
  auto module = classifier.model;
  const explain::Model model = [module](const Tensor& x) { return module->forward(x); };

  experiments::MethodSettings settings;
  settings.seed = static_cast<uint64_t>(opts.integer("seed"));
  settings.gaussian_sigma = opts.number("gaussian-sigma");
  explain::TaigOptions o;
  o.iterations = static_cast<int>(opts.integer("iterations"));
  o.lr = opts.number("lr");
  o.n_steps = static_cast<int>(opts.integer("ascent-steps"));
  o.min_distance = opts.number("min-distance");
  o.target_mu = opts.number("target-mu");
  o.piecewise_linear = !opts.has("smooth");
  const experiments::TaigComparison comparison = experiments::compare_taig(
      model, points.data.images, points.basis, nullptr, settings, o, "", opts.has("quiet"));
  const explain::TaigResult& r = comparison.optimised;
  const experiments::ExplainedPoints& explained = comparison.points;

  const int64_t d = points.basis.shape()[1], k = points.basis.shape()[2];
  std::printf("%lld points of %s; tangent spaces: %s; sqrt(k/d) = %.4f\n", static_cast<long long>(points.data.size()),
              points.data.name.c_str(), points.tangent_source.c_str(), explain::random_expectation_sqrt(k, d));
  std::printf("%-22s %8s %8s %8s %8s %6s\n", "tangent fraction", "mean", "median", "q25", "q75", "n");
  for (const auto& key : experiments::taig_baseline_keys()) print_row(key, explained.fractions.at(key));
  print_row("ig_optimal", r.mu);
  for (const auto& key : experiments::taig_reference_keys()) print_row(key, explained.fractions.at(key));
  std::printf("optimised base-points:\n");
  print_row("||x - alpha||", r.distance);
  print_row("F(x) - F(alpha)", r.output_gap);
  print_row("completeness gap", r.completeness_gap);
  std::vector<double> iterations(r.iterations.begin(), r.iterations.end());
  print_row("iterations", iterations);

  if (!opts.str("out").empty()) {
    nn::TensorMap tensors = {{"baseline", r.baseline},        {"attributions", r.attributions},
                             {"mu", as_tensor(r.mu)},         {"distance", as_tensor(r.distance)},
                             {"output_gap", as_tensor(r.output_gap)},
                             {"completeness_gap", as_tensor(r.completeness_gap)}};
    nn::save_safetensors(opts.str("out"), tensors,
                         {{"model", opts.str("model")}, {"data", points.data.name}, {"tangent", points.tangent_source}});
    std::printf("wrote %s\n", opts.str("out").c_str());
  }
  if (!opts.str("png").empty()) {
    std::vector<std::string> keys = experiments::taig_baseline_keys();
    keys.push_back("ig_optimal");
    experiments::write_example_figure(opts.str("png"), points.data.images, explained, keys, Tensor(),
                                      {0, 1, 2, 3, 4, 5, 6, 7});
  }
  return 0;
}

}  // namespace mxai::cmd
