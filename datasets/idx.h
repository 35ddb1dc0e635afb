// IDX files, the format of MNIST, Fashion-MNIST and EMNIST: a big-endian header (magic 2051 for images
// N x H x W, magic 2049 for labels N) followed by unsigned bytes. Files may be gzip'd or raw.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datasets/dataset.h"

namespace mxai {

// EMNIST stores every image transposed (column-major). Auto transposes when the images file name contains
// "emnist", which is how the official EMNIST files are named.
enum class IdxTranspose { Auto, No, Yes };

struct IdxOptions {
  IdxTranspose transpose = IdxTranspose::Auto;
  int64_t num_classes = 0;  // 0: the largest label + 1
  std::string name;         // data set name; empty: derived from the file name
};

// Images file (magic 2051) -> (N,1,H,W) with values byte/255. `transposed` swaps H and W of every image back.
Tensor read_idx_images(const std::string& path, bool transposed = false);

// Labels file (magic 2049) -> (N).
std::vector<int64_t> read_idx_labels(const std::string& path);

// Both files, checking that they hold the same number of samples. images (N,1,H,W), labels (N).
Dataset load_idx(const std::string& images_path, const std::string& labels_path, const IdxOptions& options = {});

struct IdxFiles {
  std::string images;
  std::string labels;
};

// The images and labels files of `split` ("train" or "test") in `dir`: names containing train-images /
// train-labels, or t10k-images / test-images (and -labels) for test, raw or .gz (raw preferred when both).
// Throws Error when none or several distinct candidates are found.
IdxFiles find_idx_files(const std::string& dir, const std::string& split);

// True if `dir` holds an IDX images file for the training or test split.
bool looks_like_idx_dir(const std::string& dir);

// find_idx_files + load_idx. images (N,1,H,W), labels (N).
Dataset load_idx_dir(const std::string& dir, const std::string& split, const IdxOptions& options = {});

}  // namespace mxai
