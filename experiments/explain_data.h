// The points `mxai explain` and `mxai taig` explain, and their tangent spaces when known: a generated split (exact
// tangent bases stored in the file), or a registry data set, optionally through an autoencoder (explained at the
// reconstruction, tangent space of the decoder at the code).
#pragma once

#include <string>

#include "autodiff/tensor.h"
#include "datasets/dataset.h"

namespace mxai::experiments {

struct ExplainData {
  Dataset data;   // images (N,C,H,W) to explain (reconstructions when an autoencoder is given), labels
  Tensor basis;   // (N,D,k') orthonormal tangent bases, or undefined when the manifold is unknown
  std::string tangent_source;  // "exact (generated data)", "autoencoder FILE", or empty
};

// data: a manifold split file or directory, or a registry name; split "train"/"test"; the first n points (0: all);
// image_size for registry data (the classifier's input size); autoencoder: a train-autoencoder file or empty.
ExplainData load_explain_data(const std::string& data, const std::string& split, int64_t n, int64_t image_size,
                              const std::string& autoencoder);

}  // namespace mxai::experiments
