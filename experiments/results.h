// The results of `mxai reproduce` as plain data: what the pipeline (experiments/) measured, returned to the report
// writer (report/report.h), which turns them into results.json and index.html.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "explain/paired_comparison.h"

namespace mxai::experiments {

// One explanation method's tangent fractions over the evaluation points.
struct MethodScores {
  std::string key;               // results.json key: "gradient", "integrated_gradients", "ig_optimal", ...
  std::string label;             // human name: "Integrated Gradients (zero base-point)"
  std::vector<double> fractions; // ||U^T a|| / ||a|| per evaluation point (NaN for a = 0; skipped and counted)
};

// Faithfulness of one method's attributions over a subset of the evaluation points, one value per point: Captum's
// infidelity (Gaussian perturbations, lower is better) and max sensitivity (lower is more stable; NaN where the
// method does not read the pixels it is given: latent_ig explains a point through its latent code), and RISE's
// deletion AUC (lower is better) and insertion AUC (higher is better) of the target's softmax probability.
struct FaithfulnessScores {
  std::string key;
  std::string label;
  std::vector<double> infidelity, sensitivity_max, deletion_auc, insertion_auc;
};

// Remove-and-retrain (Hooker et al.): the test accuracy of a classifier retrained after the top `fractions` of
// each image's pixels, ranked by one method's |attribution| (or by random order, or by the tangent space's
// per-pixel mass), are set to 0 in the training and the test images.
struct RoarCurve {
  std::string key;                // a method key, "random" or "tangent_mass"
  std::string label;
  std::vector<double> accuracy;   // one per fraction, in [0,1]
};

struct RoarResults {
  std::vector<double> fractions;  // of the pixels removed, ascending, starting at 0
  std::vector<RoarCurve> curves;
  std::vector<std::pair<std::string, std::string>> settings;  // ("epochs", "1"), ...
};

// A claim of the papers checked against our numbers, with the statistic that decides it: a difference over the
// same evaluation points and its paired-bootstrap 95% interval (explain/paired_comparison.h). The claim holds only
// when the interval lies on its side of 0, does not hold when it lies on the other, and is a tie otherwise.
struct Finding {
  std::string claim;      // "Integrated Gradients is more aligned than the raw gradient (standard model)"
  explain::Verdict verdict = explain::Verdict::Tie;
  std::string statistic;  // what `difference` is: "mean difference", "median - 0.9", ...
  double difference = std::numeric_limits<double>::quiet_NaN();
  double ci_low = std::numeric_limits<double>::quiet_NaN(), ci_high = std::numeric_limits<double>::quiet_NaN();
  int64_t n = 0;          // points (pairs) behind the statistic
  std::string detail;     // "mean 0.7049 vs 0.7046"
};

// What a figure shows: its rows are evaluation points, its columns as below. The pipeline records the kind and the
// facts; report/figure_captions.h words the caption.
enum class FigureKind {
  ManifoldMethodExamples,  // the image, each of `methods`, the gradient's tangent part and its orthogonal part
  FurtherMethodExamples,   // the image, each of `methods`
  TaigExamples,            // the image, IG with each standard base-point, IG with the optimised one (`methods`)
  TaigBasePoints,          // the optimised base-points of the TaigExamples rows, as images
};

// A PNG written beside index.html, shown with a caption. The path is relative to the report directory.
struct Figure {
  std::string png;                   // "mnist32/examples_standard.png"
  FigureKind kind = FigureKind::ManifoldMethodExamples;
  std::string model_label;           // the explained model, "LeNet, standard training (...)"; empty for TAIG
  std::vector<std::string> methods;  // method keys of the heat-map columns, in order; empty for TaigBasePoints
  int64_t width = 0, height = 0;     // of the PNG as written, in pixels; 0 when it was not written
};

struct ModelResults {
  std::string key;    // "standard" or "adversarial"
  std::string label;  // "LeNet", "LeNet, l2 PGD eps 2"
  double accuracy = 0;  // test accuracy in [0,1]
  std::vector<MethodScores> methods;
};

// Per-point diagnostics of the optimised (TAIG) base-point, so degenerate solutions (alpha -> x) are visible.
struct TaigDiagnostics {
  std::vector<double> distance;          // ||x - alpha||
  std::vector<double> output_gap;        // F(x) - F(alpha)
  std::vector<double> completeness_gap;  // sum(IG) - (F(x) - F(alpha))
  std::vector<double> iterations;        // ascent steps used
  std::vector<double> initial_mu;        // mu at the start (the zero base-point), before the ascent
};

struct TaigResults {
  std::string model_key;               // which Model was explained ("standard")
  std::vector<MethodScores> methods;   // ig_zero, ig_uniform, ig_max_distance, ig_gaussian, ig_optimal,
                                       // gradient, smoothgrad, input_x_gradient
  TaigDiagnostics diagnostics;
  // (level, fraction of points whose final mu >= level), for 0.9 and 0.95: the ascent has no target, so these
  // are outcomes, not a stopping rule.
  std::vector<std::pair<double, double>> reached_fraction;
  std::vector<Figure> figures;
  std::vector<Finding> findings;
  std::vector<std::pair<std::string, std::string>> settings;  // ("iterations", "200"), ...
};

// How many points have each numeric tangent dimension (the rank of the decoder Jacobian under the reference's
// rcond = max(d, k) eps_float32 rule) at one image size: the decoder's own, or upsampled as for MNIST256, where the
// rule drops directions the 32x32 decoder keeps.
struct TangentRankHistogram {
  int64_t height = 0, width = 0;
  int64_t d = 0;                 // C*H*W
  double rcond = 0;              // the relative threshold applied to the singular values
  std::vector<int64_t> counts;   // counts[r] = points of rank r, r = 0..k
  std::vector<double> mean_singular_values;  // (k) over the points, each normalised by its largest
};

// How a data set's manifold, and so its tangent spaces, are known.
enum class ManifoldSource {
  Unknown,               // not recorded
  VaeGenerated,          // images decoded by a VAE from random codes: the tangent spaces are exact
  AutoencoderEstimated,  // real images' reconstructions by an autoencoder: the tangent spaces are estimated
};

// Where a data set and its tangent spaces come from, as facts; report/dataset_descriptions.h words the paragraph.
struct DataProvenance {
  ManifoldSource source = ManifoldSource::Unknown;
  int64_t real_train = 0;     // real training images the VAE or the autoencoder was trained on
  int64_t latent_dim = 0;     // the VAE's code size or the autoencoder's bottleneck
  std::string labeler_arch;   // VaeGenerated: what labels the decoded images, "lenet" or "simplenet"
  int64_t generated_train = 0, generated_test = 0;  // VaeGenerated: the images kept in each split
  // The model file's record of its test quality, verbatim: the VAE's test ELBO on the real test images (nats) or the
  // autoencoder's test reconstruction error (mean squared per pixel); empty when the file has none.
  std::string test_metric;
};

struct DatasetResults {
  std::string key;          // results.json key, "mnist32" or "fashion-mnist"; report/titles.h names the section
  DataProvenance provenance;
  int64_t d = 0;            // ambient dimension C*H*W
  int64_t k = 0;            // tangent-space dimension
  double random_baseline = 0;        // sqrt(k/d), the line the paper draws
  double random_exact = 0;           // E[sqrt(Beta(k/2,(d-k)/2))]
  std::vector<ModelResults> models;
  std::vector<Figure> figures;
  std::vector<Finding> findings;
  std::vector<TangentRankHistogram> tangent_ranks;  // generated data only: 32x32 first, then upsampled sizes
  bool has_taig = false;
  TaigResults taig;
  // Faithfulness of every method of one model (faithfulness_model) on the first faithfulness_points points; max
  // sensitivity on the first faithfulness_sensitivity_points of them.
  std::string faithfulness_model;
  int64_t faithfulness_points = 0;
  int64_t faithfulness_sensitivity_points = 0;
  std::vector<FaithfulnessScores> faithfulness;
  bool has_roar = false;
  RoarResults roar;
};

struct StageOutcome {
  std::string name;       // "train VAE", "generate MNIST32", ...
  double seconds = 0;     // wall time this run (0 when reused)
  bool reused = false;    // its outputs were made by the same key and are intact (experiments/stage_runner.h): loaded
};

struct RunResults {
  std::string preset;     // "quick", "reference" or "smoke"
  uint64_t seed = 0;
  int threads = 0;
  std::string version;    // mxai version / git description if known
  std::string created;    // ISO date-time
  std::vector<std::pair<std::string, std::string>> settings;
  std::vector<StageOutcome> stages;
  std::vector<DatasetResults> datasets;
};

}  // namespace mxai::experiments
