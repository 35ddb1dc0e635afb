// `mxai train-classifier`, `mxai eval-classifier` and `mxai info`.
#include <chrono>
#include <cstdio>

#include "apps/cli.h"
#include "apps/commands.h"
#include "apps/training_commands.h"
#include "autodiff/file_io.h"
#include "datasets/registry.h"
#include "experiments/classifier_training.h"
#include "experiments/manifold_stages.h"
#include "experiments/progress.h"
#include "nn/classifiers.h"
#include "nn/model_file.h"
#include "nn/safetensors.h"

namespace mxai::cmd {

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

LoadOptions load_options(const cli::Options& opts) {
  LoadOptions load;
  load.image_size = opts.integer("image-size");
  return load;
}

// A registry data set, or a generated one (a make-manifold-dataset directory or split file).
Dataset load_data(const std::string& name, const std::string& split, const LoadOptions& load) {
  const std::string generated = experiments::manifold_split_path(name, split);
  if (!generated.empty()) return experiments::load_manifold_split(generated).data;
  return load_dataset(name, split, load);
}

}  // namespace

int train_classifier(const Args& args) {
  cli::Options opts("train-classifier", "Train an image classifier and save it as a safetensors file.");
  opts.value("data", "fashion-mnist", "data set: " + known_dataset_names() + ", or a make-manifold-dataset directory")
      .value("arch", "lenet", "architecture: " + joined(nn::classifier_names()))
      .value("epochs", "4", "training epochs", cli::Int::at_least(1))
      .value("batch-size", "128", "images per step", cli::Int::at_least(1))
      .value("optimizer", "adam", "adam or sgd (plain, no momentum)")
      .value("lr", "0.001", "learning rate", cli::Real::above(0))
      .value("schedule", "cosine", "learning-rate schedule per epoch: cosine (over the epochs), step (StepLR: "
                                   "--lr-step, --lr-gamma), multistep (--lr-milestones, --lr-gamma) or constant")
      .value("lr-step", "10", "StepLR: epochs between decays", cli::Int::at_least(1))
      .value("lr-milestones", "", "MultiStepLR: epochs at which the rate decays, comma-separated (e.g. 4)")
      .value("lr-gamma", "0.1", "decay factor of the step and multistep schedules", cli::Real::above(0))
      .value("image-size", "0", "resize images to this square size (0: the data set's default)",
             cli::Int::between(0, 4096))
      .value("adv-eps", "0", "l2 adversarial training radius on [0,1] pixels (0: standard training)",
             cli::Real::at_least(0))
      .value("adv-eps-choices", "", "instead of --adv-eps: each batch draws its radius from this comma-separated "
                                    "list (the reference: 1,4,8)")
      .value("adv-steps", "7", "PGD steps of the adversarial training", cli::Int::at_least(1))
      .flag("adv-whole-batch-norms", "PGD norms over the whole batch tensor (the reference's quirk)")
      .flag("adv-random-start", "start PGD from a random point (uniform in the ball; whole-batch: U[0,1) at eps/2)")
      .flag("adv-attack-train-mode", "attack the model in train mode, dropout active (as the reference)")
      .flag("adv-no-clamp", "do not clamp attacked pixels to [0,1] (as the reference)")
      .value("seed", "0", "random seed (initialisation, shuffling, dropout, attacks)", cli::Int::at_least(0))
      .value("out", "", "output model file (.safetensors); required")
      .value("step-losses", "", "also write each step's training loss here (lines: step loss)")
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("out").empty()) throw Error("--out FILE.safetensors is required");

  experiments::TrainClassifierOptions o;
  o.arch = opts.str("arch");
  read_training_options(opts, o);
  o.optimizer = opts.str("optimizer");
  o.schedule = opts.str("schedule");
  o.lr_step = opts.integer("lr-step");
  for (double m : opts.numbers("lr-milestones")) {
    if (m != static_cast<double>(static_cast<int64_t>(m)))
      throw Error("--lr-milestones must list whole epochs, got '" + opts.str("lr-milestones") + "'");
    o.lr_milestones.push_back(static_cast<int64_t>(m));
  }
  o.lr_gamma = opts.number("lr-gamma");
  o.adv_eps = opts.number("adv-eps");
  o.adv_eps_choices = opts.numbers("adv-eps-choices");
  o.adv_steps = opts.integer("adv-steps");
  o.adv_whole_batch_norms = opts.has("adv-whole-batch-norms");
  o.adv_random_start = opts.has("adv-random-start");
  o.adv_attack_in_train_mode = opts.has("adv-attack-train-mode");
  o.adv_clamp = !opts.has("adv-no-clamp");
  experiments::validate(o);  // before loading the data: a bad setting fails at once
  const Dataset train = load_data(opts.str("data"), "train", load_options(opts));
  const Dataset test = load_data(opts.str("data"), "test", load_options(opts));
  std::string step_losses;
  o.on_step = [&](int64_t step, double loss) {
    char line[64];
    std::snprintf(line, sizeof line, "%lld %.9g\n", static_cast<long long>(step), loss);
    step_losses += line;
  };

  const auto start = std::chrono::steady_clock::now();
  std::printf("settings: %s\n", experiments::training_summary(o).c_str());
  std::printf("training %s on %s, %lld classes\n", o.arch.c_str(), training_data_summary(train).c_str(),
              static_cast<long long>(train.num_classes));
  std::fflush(stdout);
  experiments::TrainedClassifier trained = experiments::train_classifier(train, o);
  const double accuracy = experiments::classification_accuracy(*trained.model, test, o.quiet);
  trained.metadata["test_accuracy"] = std::to_string(accuracy);
  nn::save_module(*trained.model, opts.str("out"), trained.metadata);
  if (!opts.str("step-losses").empty()) write_file_atomic(opts.str("step-losses"), step_losses);
  std::printf("test accuracy %.2f%% on %lld images (%s); %s, %lld parameters, wall time %s\n", 100 * accuracy,
              static_cast<long long>(test.size()), test.name.c_str(), opts.str("out").c_str(),
              static_cast<long long>(trained.model->num_parameters()),
              format_duration(seconds_since(start)).c_str());
  return 0;
}

int eval_classifier(const Args& args) {
  cli::Options opts("eval-classifier", "Report a saved classifier's accuracy on a data set's test split.");
  opts.value("model", "", "model file saved by train-classifier; required")
      .value("data", "fashion-mnist", "data set: " + known_dataset_names())
      .value("split", "test", "split to evaluate")
      .value("image-size", "0", "resize images to this square size (0: the size the model was trained on)",
             cli::Int::between(0, 4096))
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  if (opts.str("model").empty()) throw Error("--model FILE.safetensors is required");
  experiments::TrainedClassifier trained = experiments::load_classifier(opts.str("model"));
  LoadOptions load = load_options(opts);
  if (load.image_size == 0) load.image_size = trained.image_size;
  const Dataset data = load_data(opts.str("data"), opts.str("split"), load);
  const double accuracy = experiments::classification_accuracy(*trained.model, data, opts.has("quiet"));
  std::printf("%s on %s: accuracy %.2f%% (%lld images)\n", opts.str("model").c_str(), data.name.c_str(),
              100 * accuracy, static_cast<long long>(data.size()));
  return 0;
}

int info(const Args& args) {
  cli::Options opts("info", "List the tensors and metadata of a safetensors file (usage: mxai info --file FILE).");
  opts.value("file", "", "safetensors file; required");
  if (!opts.parse(args)) return 0;
  if (opts.str("file").empty()) throw Error("--file FILE.safetensors is required");
  const nn::SafetensorsContents contents = nn::load_safetensors(opts.str("file"));
  int64_t total = 0;
  for (const auto& [name, tensor] : contents.tensors) {
    std::printf("%-32s %-5s %s\n", name.c_str(), nn::dtype_name(contents.dtypes.at(name)),
                shape_str(tensor.shape()).c_str());
    total += tensor.numel();
  }
  std::printf("%zu tensors, %lld values\n", contents.tensors.size(), static_cast<long long>(total));
  for (const auto& [key, value] : contents.metadata) std::printf("  %s = %s\n", key.c_str(), value.c_str());
  return 0;
}

}  // namespace mxai::cmd
