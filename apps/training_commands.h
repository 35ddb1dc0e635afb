// What the commands that train a model do alike: train-classifier, train-vae and train-autoencoder name their
// shared training options the same way and read them the same way, and their first line names the data they train
// on; those training on a registry data set (make-manifold-dataset's labeler too) load its two splits alike.
#pragma once

#include <cstdint>
#include <string>

#include "apps/cli.h"
#include "datasets/dataset.h"

namespace mxai::cmd {

// --epochs, --batch-size, --lr, --seed and --quiet into the fields of the same names of a stage's options
// (each command declares these options itself, with its own defaults, ranges and help; parse() has checked them
// all, so where a command reads them among its other options does not change which error it reports).
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
