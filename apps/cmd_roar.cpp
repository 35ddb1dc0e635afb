// `mxai roar`: remove-and-retrain on a generated split (experiments/roar_generated.h).
#include <algorithm>
#include <cstdlib>
#include <cstdio>

#include "apps/cli.h"
#include "apps/commands.h"
#include "autodiff/file_io.h"
#include "experiments/classifier_training.h"
#include "experiments/explain_data.h"
#include "experiments/manifold_stages.h"
#include "experiments/roar_generated.h"
#include "report/report.h"

namespace mxai::cmd {

int roar(const Args& args) {
  cli::Options opts("roar",
                    "Remove and retrain (ROAR) on a generated split: rank each image's pixels by |attribution| of a "
                    "trained classifier (and by random order and the tangent space's per-pixel mass), set the top "
                    "fraction to 0 in the training and the test images, retrain LeNet, and report test accuracy "
                    "against the fraction removed.");
  std::string methods_help = "comma-separated methods ranking the pixels:";
  for (const auto& k : experiments::attribution_method_keys()) methods_help += " " + k;
  const experiments::RoarGeneratedOptions defaults;
  std::string default_methods;
  for (const auto& k : defaults.keys) default_methods += (default_methods.empty() ? "" : ",") + k;
  opts.value("model", "", "classifier file saved by train-classifier, whose attributions rank the pixels; required")
      .value("data", "", "a generated data set (directory from make-manifold-dataset, or one of its splits); required")
      .value("vae", "", "the VAE that generated it (default: the one the split's metadata names)")
      .value("methods", default_methods, methods_help)
      .value("fractions", "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9", "fractions of the pixels removed, from 0 up")
      .value("n-train", "0", "use the first N training points (0: all)", cli::Int::at_least(0))
      .value("n-test", "0", "use the first N test points (0: all)", cli::Int::at_least(0))
      .value("epochs", "5", "epochs of every retraining (the reference trains 30)", cli::Int::at_least(1))
      .value("batch-size", "32", "batch size of every retraining (the reference's)", cli::Int::at_least(1))
      .value("gradcam-layer", "conv2", "layer Grad-CAM explains (LeNet: conv1, conv2)")
      .value("seed", "0", "seed of the retrainings, the random ranking and the methods' noise", cli::Int::at_least(0))
      .value("out", "", "output JSON: fractions, accuracy per ranking, settings; required")
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("model").empty() || opts.str("data").empty() || opts.str("out").empty())
    throw Error("--model, --data and --out are required");
  experiments::RoarGeneratedOptions o;
  o.keys = cli::split_list(opts.str("methods"));
  for (const auto& k : o.keys) experiments::check_attribution_method(k);
  o.roar.fractions.clear();
  for (const auto& f : cli::split_list(opts.str("fractions"))) {
    char* end = nullptr;
    const double v = std::strtod(f.c_str(), &end);
    if (end == f.c_str() || *end != '\0') throw Error("--fractions: '" + f + "' is not a number");
    o.roar.fractions.push_back(v);
  }
  experiments::check_roar_fractions(o.roar.fractions);
  o.n_train = opts.integer("n-train");
  o.n_test = opts.integer("n-test");
  o.gradcam_layer = opts.str("gradcam-layer");
  o.methods.seed = static_cast<uint64_t>(opts.integer("seed"));
  o.roar.training.arch = "lenet";
  o.roar.training.epochs = opts.integer("epochs");
  o.roar.training.batch_size = opts.integer("batch-size");
  o.roar.training.seed = o.methods.seed;
  o.roar.quiet = opts.has("quiet");

  const std::string train_file = experiments::manifold_split_path(opts.str("data"), "train");
  const std::string test_file = experiments::manifold_split_path(opts.str("data"), "test");
  if (train_file.empty() || test_file.empty())
    throw Error("--data '" + opts.str("data") + "' is not a generated data set (expected a directory or split file "
                "from make-manifold-dataset)");
  const experiments::TrainedClassifier classifier = experiments::load_classifier(opts.str("model"));
  const experiments::ManifoldSplit train = experiments::load_manifold_split(train_file);
  const experiments::ManifoldSplit test = experiments::load_manifold_split(test_file);
  const std::string vae_file = experiments::generator_vae_file(test_file, test.metadata, opts.str("vae"));
  if (vae_file.empty())
    throw Error("ROAR needs the VAE that generated " + test_file + " (for the tangent spaces of the training "
                "points): pass --vae FILE");
  const experiments::TrainedVae vae = experiments::load_vae(vae_file);
  if (vae.model->latent_dim != train.z.shape()[1])
    throw Error(vae_file + ": a VAE with " + std::to_string(vae.model->latent_dim) +
                "-dimensional codes; " + train_file + " has " + std::to_string(train.z.shape()[1]));
  if (train.data.height() != classifier.image_size)
    throw Error(opts.str("model") + " takes " + std::to_string(classifier.image_size) + "-pixel images; " +
                train_file + " has " + std::to_string(train.data.height()));

  const experiments::RoarResults results =
      experiments::roar_on_generated(classifier.model, train, test, experiments::vae_decoder(vae.model), o);
  write_file_atomic(opts.str("out"), report::roar_json(results));

  std::printf("ROAR: test accuracy by fraction of pixels removed (%lld training, %lld test points)\n",
              static_cast<long long>(o.n_train > 0 ? std::min(o.n_train, train.data.size()) : train.data.size()),
              static_cast<long long>(o.n_test > 0 ? std::min(o.n_test, test.data.size()) : test.data.size()));
  std::printf("%-28s", "ranking");
  for (double f : results.fractions) std::printf(" %6.2f", f);
  std::printf("\n");
  for (const auto& curve : results.curves) {
    std::printf("%-28s", curve.key.c_str());
    for (double a : curve.accuracy) std::printf(" %6.4f", a);
    std::printf("\n");
  }
  std::printf("wrote %s\n", opts.str("out").c_str());
  return 0;
}

}  // namespace mxai::cmd
