// A labelled image data set held in memory. Every loader returns one; transforms and the DataLoader consume one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "autodiff/tensor.h"

namespace mxai {

struct Dataset {
  std::string name;             // e.g. "fashion-mnist/train", for messages and logs
  Tensor images;                // (N,C,H,W), values in [0,1]
  std::vector<int64_t> labels;  // (N), each in [0, num_classes)
  int64_t num_classes = 0;
  std::vector<std::string> class_names;  // (num_classes), or empty when the format has none

  int64_t size() const;      // N
  int64_t channels() const;  // C
  int64_t height() const;    // H
  int64_t width() const;     // W

  // The samples at `indices`, in that order (repeats allowed): images (len(indices),C,H,W).
  Dataset subset(const std::vector<int64_t>& indices) const;
  // The first n samples (all of them when n <= 0 or n >= N): images (min(n,N),C,H,W).
  Dataset first(int64_t n) const;

  // Throws Error unless images are (N,C,H,W) with N == labels.size() and every label is in range.
  void validate() const;
};

// Copies images[indices] into a new tensor: (N,C,H,W) -> (len(indices),C,H,W).
Tensor gather_images(const Tensor& images, const std::vector<int64_t>& indices);

// How many samples carry each label: (num_classes).
std::vector<int64_t> class_counts(const Dataset& data);

}  // namespace mxai
