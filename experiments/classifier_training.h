// Training and evaluating image classifiers: the loop behind `mxai train-classifier` and `mxai eval-classifier`,
// and later the classifier stages of `mxai reproduce`.
#pragma once

#include <functional>
#include <memory>
#include <string>

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
  double lr = 1e-3;              // Adam
  bool cosine_schedule = true;   // CosineAnnealingLR over the epochs
  double adv_eps = 0;            // > 0: train on l2 PGD examples within this radius (per example)
  int64_t adv_steps = 7;         // PGD steps; step size 2.5 * eps / steps
  uint64_t seed = 0;
  bool quiet = false;
  // Named if the loss turns NaN/Inf (training then stops with an Error); empty: "training ARCH on DATA".
  std::string what;
  // The ranks sharing each batch: by default those of the MPI job (one without MPI or mpirun).
  nn::DataParallel parallel = distributed::data_parallel();
  // After every optimizer step (counted from 1 over all epochs): the batch's mean loss over all its rows; may be empty.
  std::function<void(int64_t step, double loss)> on_step;
};

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
