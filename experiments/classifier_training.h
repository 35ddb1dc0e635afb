// Training and evaluating image classifiers: the loop behind `mxai train-classifier` and `mxai eval-classifier`,
// and later the classifier stages of `mxai reproduce`.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "datasets/dataset.h"
#include "experiments/distributed.h"
#include "nn/data_parallel.h"
#include "nn/module.h"
#include "nn/safetensors.h"

namespace mxai::experiments {

struct TrainClassifierOptions {
  std::string arch = "lenet";
  int64_t epochs = 4;
  int64_t batch_size = 128;
  std::string optimizer = "adam";  // "adam" or "sgd" (plain, no momentum: the reference's robust LeNet)
  double lr = 1e-3;
  // Stepped once per epoch: "cosine" (CosineAnnealingLR over the epochs), "step" (StepLR(lr_step, lr_gamma)),
  // "multistep" (MultiStepLR(lr_milestones, lr_gamma)) or "constant".
  std::string schedule = "cosine";
  int64_t lr_step = 10;
  std::vector<int64_t> lr_milestones;
  double lr_gamma = 0.1;

  // l2 PGD adversarial training: on when adv_eps > 0 or adv_eps_choices is not empty. Each step trains on the
  // attacked batch only (no clean loss), as the reference does.
  double adv_eps = 0;                   // radius on [0,1] pixels
  std::vector<double> adv_eps_choices;  // not empty: each batch draws its radius uniformly from these
  int64_t adv_steps = 7;                // PGD steps; step size 2.5 * eps / steps
  bool adv_whole_batch_norms = false;   // the reference's quirk: norms of the whole batch tensor (explain/pgd.h)
  bool adv_random_start = false;
  bool adv_attack_in_train_mode = false;  // dropout active during the attack, as in the reference
  bool adv_clamp = true;                  // keep attacked pixels in [0,1] (the reference does not)

  uint64_t seed = 0;
  bool quiet = false;
  // Named if the loss turns NaN/Inf (training then stops with an Error); empty: "training ARCH on DATA".
  std::string what;
  // The ranks sharing each batch: by default those of the MPI job (one without MPI or mpirun).
  nn::DataParallel parallel = distributed::data_parallel();
  // After every optimizer step (counted from 1 over all epochs): the batch's mean loss over all its rows; may be empty.
  std::function<void(int64_t step, double loss)> on_step;

  bool adversarial() const { return adv_eps > 0 || !adv_eps_choices.empty(); }
};

// "Adam lr 0.001, batch 128, cosine, 4 epochs" (+ "; l2 PGD eps 2, 7 steps of 2.5 eps / 7, per-example norms"):
// every training setting, for the report and the CLI.
std::string training_summary(const TrainClassifierOptions& options);

// Throws Error naming the bad setting (an unknown optimizer or schedule, a non-positive radius, ...).
void validate(const TrainClassifierOptions& options);

struct TrainedClassifier {
  std::shared_ptr<nn::Module> model;  // in eval mode
  nn::Metadata metadata;              // arch, input shape, classes, data set, settings: what rebuilds it
  int64_t image_size = 0;             // the (square) input height the model was built for
};

// data: images (N,C,H,W) in [0,1]. Progress per epoch on stderr unless quiet.
TrainedClassifier train_classifier(const Dataset& train, const TrainClassifierOptions& options);

// Fraction of correctly classified images; batches of 256 without a graph.
double classification_accuracy(nn::Module& model, const Dataset& data, bool quiet = true);

// Rebuilds the architecture named in the file's metadata and loads the weights (strict).
TrainedClassifier load_classifier(const std::string& path);

}  // namespace mxai::experiments
