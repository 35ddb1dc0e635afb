// What the train-* commands (train-classifier, train-vae, train-autoencoder) do alike: they name their shared
// training options the same way and read them the same way, and their first line names the data they train on.
#pragma once

#include <cstdint>
#include <string>

#include "apps/cli.h"
#include "datasets/dataset.h"

namespace mxai::cmd {

// --epochs, --batch-size, --lr, --seed and --quiet into the fields of the same names of a stage's options
// (each command declares these options itself, with its own defaults and help).
template <typename TrainingOptions>
void read_training_options(const cli::Options& opts, TrainingOptions& o) {
  o.epochs = opts.integer("epochs");
  o.batch_size = opts.integer("batch-size");
  o.lr = opts.number("lr");
  o.seed = static_cast<uint64_t>(opts.integer("seed"));
  o.quiet = opts.has("quiet");
}

struct TrainAndTest {
  Dataset train, test;
};

// The train and the test split of a registry data set, resized to image_size (0: the data set's default size).
TrainAndTest load_train_and_test(const std::string& name, int64_t image_size);

// "fashion-mnist/train: 60000 images 1x28x28": what a training run is about to read.
std::string training_data_summary(const Dataset& train);

}  // namespace mxai::cmd
