#include "experiments/reproduce_common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "autodiff/ops.h"
#include "autodiff/simd.h"
#include "experiments/claim_checks.h"
#include "experiments/faithfulness_evaluation.h"
#include "experiments/progress.h"
#include "experiments/stage_keys.h"
#include "experiments/taig_comparison.h"
#include "explain/summary_statistics.h"
#include "explain/tangent_alignment.h"
#include "nn/model_file.h"

namespace mxai::experiments {

namespace {

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}


explain::Model as_model(const std::shared_ptr<nn::Module>& module) {
  return [module](const Tensor& x) { return module->forward(x); };
}

// Rows for the example figures: the first rows of the evaluation points. The test split is itself a random draw,
// so these are unselected examples, not the best-looking ones.
std::vector<int64_t> example_rows(int64_t n, int64_t rows) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < std::min(n, rows); ++i) out.push_back(i);
  return out;
}

}  // namespace

Tensor first_rows(const Tensor& t, int64_t n) { return n >= t.shape()[0] ? t : narrow(t, 0, 0, n); }

StageKey base_stage_key(const ReproduceContext& ctx) {
  StageKey key;
  key.add("threads", ctx.threads);
  key.add("instruction set", kernels::simd_level_name(kernels::simd_level()));
  return key;
}

std::string dataset_hash(const Dataset& data) {
  Fnv1a hash;
  for (int64_t dim : data.images.shape()) hash.add(&dim, sizeof dim);
  hash.add(data.images.data(), static_cast<size_t>(data.images.numel()) * sizeof(real));
  hash.add(data.labels.data(), data.labels.size() * sizeof(int64_t));
  hash.add(&data.num_classes, sizeof data.num_classes);
  return hash.hex();
}

VaeStageOptions vae_stage_options(const ReproduceContext& ctx) {
  VaeStageOptions o = ctx.preset.vae;
  o.seed = ctx.seed;
  o.quiet = ctx.quiet;
  return o;
}

LabelerStageOptions labeler_stage_options(const ReproduceContext& ctx) {
  LabelerStageOptions o = ctx.preset.labeler;
  o.seed = ctx.seed;
  o.quiet = ctx.quiet;
  return o;
}

TrainClassifierOptions classifier_stage_options(const ReproduceContext& ctx, bool adversarial) {
  TrainClassifierOptions o = adversarial ? ctx.preset.adversarial : ctx.preset.standard;
  o.seed = ctx.seed + (adversarial ? 1 : 0);
  o.quiet = ctx.quiet;
  return o;
}

ScoredModel classifier_stage(const ReproduceContext& ctx, const std::string& dataset_key, bool adversarial,
                             const Dataset& train, const Dataset& test, const StageInputs& inputs) {
  ScoredModel scored;
  scored.key = adversarial ? "adversarial" : "standard";
  const std::string path = ctx.dir + "/" + dataset_key + "/" + scored.key + ".safetensors";
  const std::string stage = "train " + scored.key + " LeNet on " + dataset_key;
  const TrainClassifierOptions o = classifier_stage_options(ctx, adversarial);
  StageKey key = base_stage_key(ctx);
  add_training_settings(key, o);
  for (const auto& [name, hash] : inputs) key.add(name, hash);
  const bool trained = ctx.runner->run(stage, key, {path}, [&] {
    scored.classifier = train_classifier(train, o);
    scored.accuracy = classification_accuracy(*scored.classifier.model, test, true);
    scored.classifier.metadata["test_accuracy"] = std::to_string(scored.accuracy);
    nn::save_module(*scored.classifier.model, path, scored.classifier.metadata);
  });
  if (!trained) {  // reused: the file holds the model; its accuracy is measured exactly as above
    scored.classifier = load_classifier(path);
    scored.accuracy = classification_accuracy(*scored.classifier.model, test, true);
  }
  scored.label = std::string(adversarial ? "LeNet, l2 PGD training" : "LeNet, standard training") + " (" +
                 training_summary(o) + ")";
  return scored;
}

namespace {

// The explanations of two method sets at the same points, as one (the first n points of each).
ExplainedPoints merged_points(const ExplainedPoints& a, const ExplainedPoints& b, int64_t n) {
  ExplainedPoints out = first_points(a, n);
  const ExplainedPoints second = first_points(b, n);
  out.attributions.insert(second.attributions.begin(), second.attributions.end());
  out.fractions.insert(second.fractions.begin(), second.fractions.end());
  return out;
}

// The faithfulness metrics of every method at the first preset.faithfulness_points of `images` (no more than the
// further methods were explained at): points holds the manifold methods, further_points the further ones.
void faithfulness_section(const ReproduceContext& ctx, DatasetResults& section, const std::string& model_label,
                          const explain::Model& logits, const Tensor& images, const ExplainedPoints& points,
                          const ExplainedPoints& further_points, const std::vector<std::string>& further,
                          const MethodContext& context, const MethodSettings& settings) {
  const bool has_further = !further_points.targets.empty();
  const int64_t n = std::min({ctx.preset.faithfulness_points, images.shape()[0],
                              has_further ? static_cast<int64_t>(further_points.targets.size()) : images.shape()[0]});
  if (n <= 0) return;
  std::vector<std::string> keys = manifold_method_keys();
  if (has_further) keys.insert(keys.end(), further.begin(), further.end());
  MethodContext first = context;
  if (first.latents.defined()) first.latents = first_rows(first.latents, n);
  FaithfulnessSettings faithfulness;
  faithfulness.sensitivity_points = std::min(ctx.preset.sensitivity_points, n);
  section.faithfulness = faithfulness_scores(logits, first_rows(images, n), merged_points(points, further_points, n),
                                             keys, settings, first, faithfulness, ctx.quiet);
  section.faithfulness_model = model_label;
  section.faithfulness_points = n;
  section.faithfulness_sensitivity_points = faithfulness.sensitivity_points;
}

}  // namespace

ExplainedPoints alignment_section(const ReproduceContext& ctx, DatasetResults& section,
                                  const std::vector<ScoredModel>& models, const Tensor& images, const Tensor& basis,
                                  const MethodContext& data_context) {
  MethodSettings settings;
  settings.seed = ctx.seed;
  ExplainedPoints standard_points;
  const int64_t n_further = std::min(ctx.preset.further_points, images.shape()[0]);
  for (const auto& model : models) {
    ModelResults entry;
    entry.key = model.key;
    entry.label = model.label;
    entry.accuracy = model.accuracy;
    MethodContext context = data_context;
    if (!gradcam_layers(*model.classifier.model).empty())
      context.split = layer_split(model.classifier.model, gradcam_layers(*model.classifier.model).back());
    std::vector<std::string> further;
    for (const auto& key : further_method_keys())
      if (method_applies(key, context)) further.push_back(key);
    if (context.latents.defined()) context.latents = first_rows(context.latents, n_further);
    ctx.runner->run_always("explain " + section.key + " (" + model.key + ")", [&] {
      const explain::Model logits = as_model(model.classifier.model);
      ExplainedPoints points = explain_points(logits, images, basis, manifold_method_keys(), settings, ctx.quiet);
      entry.methods = method_scores(points, manifold_method_keys());
      const std::string png = section.key + "/examples_" + model.key + ".png";
      const ImageSize size = write_example_figure(ctx.dir + "/" + png, images, points, manifold_method_keys(), basis,
                                                  example_rows(images.shape()[0], ctx.preset.example_rows));
      section.figures.push_back({png, FigureKind::ManifoldMethodExamples, model.label, manifold_method_keys(),
                                 size.width, size.height});

      ExplainedPoints further_points;
      if (n_further > 0 && !further.empty()) {
        const Tensor sub_images = first_rows(images, n_further);
        const explain::Targets sub_targets(points.targets.begin(), points.targets.begin() + n_further);
        further_points = explain_points(logits, sub_images, first_rows(basis, n_further), sub_targets, further,
                                        settings, ctx.quiet, context);
        for (auto& scores : method_scores(further_points, further)) entry.methods.push_back(std::move(scores));
        const std::string further_png = section.key + "/examples_further_" + model.key + ".png";
        const ImageSize further_size =
            write_example_figure(ctx.dir + "/" + further_png, sub_images, further_points, further, Tensor(),
                                 example_rows(n_further, ctx.preset.example_rows));
        section.figures.push_back({further_png, FigureKind::FurtherMethodExamples, model.label, further,
                                   further_size.width, further_size.height});
      }
      if (model.key == "standard") {
        faithfulness_section(ctx, section, model.label, logits, images, points, further_points, further, context,
                             settings);
        standard_points = std::move(points);
      }
    });
    section.models.push_back(std::move(entry));
  }
  add_manifold_findings(section, ctx.seed);
  return standard_points;
}

void taig_section(const ReproduceContext& ctx, DatasetResults& section, const ScoredModel& model,
                  const Tensor& images_all, const Tensor& basis_all, const ExplainedPoints& explained) {
  const int64_t n = std::min<int64_t>(ctx.preset.taig_points, images_all.shape()[0]);
  const Tensor images = first_rows(images_all, n);
  const Tensor basis = first_rows(basis_all, n);
  TaigResults& taig = section.taig;
  section.has_taig = true;
  taig.model_key = model.key;

  explain::TaigOptions options;
  options.iterations = static_cast<int>(ctx.preset.taig_iterations);
  // LeNet is ReLU / max-pool / linear and F is a logit: its Hessian vanishes almost everywhere, so the ascent
  // gradient without the second-order term is exact (explain/taig.h; tested against the double-backward path).
  options.piecewise_linear = true;
  // No stop at a target mu: stopping at the first mu >= 0.95 would put the median at 0.95 by construction. Each
  // point ascends until its budget is spent or it stops improving.
  options.target_mu = std::numeric_limits<double>::infinity();
  MethodSettings settings;
  settings.seed = ctx.seed;

  TaigComparison comparison;
  ctx.runner->run_always("TAIG " + section.key, [&] {
    const ExplainedPoints known = first_points(explained, n);
    comparison = compare_taig(as_model(model.classifier.model), images, basis, &known, settings, options,
                              section.key, ctx.quiet);
  });
  const explain::TaigResult& result = comparison.optimised;
  const ExplainedPoints& points = comparison.points;

  for (const auto& key : taig_baseline_keys())
    taig.methods.push_back({key, attribution_method_label(key), points.fractions.at(key)});
  taig.methods.push_back({"ig_optimal", "IG, optimised (tangentially aligned) base-point", result.mu});
  for (const auto& key : taig_reference_keys())
    taig.methods.push_back({key, attribution_method_label(key), points.fractions.at(key)});
  taig.diagnostics.distance = result.distance;
  taig.diagnostics.output_gap = result.output_gap;
  taig.diagnostics.completeness_gap = result.completeness_gap;
  taig.diagnostics.iterations.assign(result.iterations.begin(), result.iterations.end());
  taig.diagnostics.initial_mu = result.initial_mu;
  taig.reached_fraction = {{0.9, 0}, {0.95, 0}};
  for (auto& [level, fraction] : taig.reached_fraction) {
    for (double mu : result.mu) fraction += mu >= level;
    fraction /= static_cast<double>(std::max<size_t>(1, result.mu.size()));
  }
  taig.settings = {{"points", std::to_string(n)},
                   {"explained model", model.label},
                   {"optimizer", "Adam on -mu, per point"},
                   {"learning rate", fmt("%g", options.lr)},
                   {"max iterations", std::to_string(options.iterations)},
                   {"path points during ascent", std::to_string(options.n_steps) + " (Gauss-Legendre)"},
                   {"path points of the final IG", std::to_string(options.final_n_steps)},
                   {"start", "zero base-point"},
                   {"box", "[0, 1] pixels"},
                   {"stop", "the iteration budget, or no gain > " + fmt("%g", options.min_improvement) + " in " +
                                std::to_string(options.patience) + " steps after " +
                                std::to_string(options.max_fallbacks) + " step-size fall-backs (no target mu)"},
                   {"Gaussian base-point sigma", fmt("%g", settings.gaussian_sigma)}};

  add_taig_findings(taig, ctx.seed);

  // Example figure: the image, IG with each base-point, then the optimised base-point itself.
  std::vector<std::string> keys = taig_baseline_keys();
  keys.push_back("ig_optimal");
  const std::string png = section.key + "/taig_examples.png";
  const int64_t rows = std::min(n, ctx.preset.example_rows);
  std::vector<int64_t> row_ids;
  for (int64_t i = 0; i < rows; ++i) row_ids.push_back(i);
  const ImageSize size = write_example_figure(ctx.dir + "/" + png, images, points, keys, Tensor(), row_ids);
  taig.figures.push_back({png, FigureKind::TaigExamples, "", keys, size.width, size.height});
  const std::string base_png = section.key + "/taig_baselines.png";
  const ImageSize base_size = write_example_figure(ctx.dir + "/" + base_png, first_rows(result.baseline, rows),
                                                   ExplainedPoints{}, {}, Tensor(), row_ids);
  taig.figures.push_back({base_png, FigureKind::TaigBasePoints, "", {}, base_size.width, base_size.height});
}

}  // namespace mxai::experiments
