// The points `mxai explain` and `mxai taig` explain, and their tangent spaces when known: a generated split (exact
// tangent bases stored in the file), or a registry data set, optionally through an autoencoder (explained at the
// reconstruction, tangent space of the decoder at the code).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "autodiff/tensor.h"
#include "datasets/dataset.h"
#include "experiments/attribution_methods.h"
#include "nn/module.h"
#include "nn/safetensors.h"

namespace mxai::experiments {

struct ExplainData {
  Dataset data;   // images (N,C,H,W) to explain (reconstructions when an autoencoder is given), labels
  Tensor basis;   // (N,D,k') orthonormal tangent bases, or undefined when the manifold is unknown
  std::string tangent_source;  // "exact (generated data)", "autoencoder FILE", or empty
  // What latent_ig needs: each point's code (N,k) and the decoder whose image the points lie on. Generated data:
  // the codes the generator drew, and its VAE file (decoder loaded by method_context, only when asked for);
  // real data through an autoencoder: Enc(x) and the autoencoder's decoder.
  Tensor latents;
  explain::Decoder decoder;
  std::string generator_vae;   // the VAE file given, else the one the split's metadata names if it exists
};

// data: a manifold split file or directory, or a registry name; split "train"/"test"; the first n points (0: all);
// image_size for registry data (the classifier's input size); autoencoder: a train-autoencoder file or empty;
// vae: the generated split's VAE file (empty: the file its metadata names, looked up beside the working directory,
// the split's folder and their parents).
ExplainData load_explain_data(const std::string& data, const std::string& split, int64_t n, int64_t image_size,
                              const std::string& autoencoder, const std::string& vae = "");

// The VAE that generated a split: `given` when not empty, else the file the split's metadata names, looked up as
// recorded and beside the split's folder and its two parents (make-manifold-dataset records it relative to its
// working directory, `mxai reproduce` relative to the run folder); empty if not found.
std::string generator_vae_file(const std::string& split_file, const nn::Metadata& metadata, const std::string& given);

// What `keys` need beyond the model: the model cut at gradcam_layer when a key is gradcam or guided_gradcam (an
// Error naming the model's type if it cannot be cut), and for latent_ig the decoder and codes of `data` (an Error
// saying what to pass when they are missing).
MethodContext method_context(const ExplainData& data, const std::shared_ptr<nn::Module>& model,
                             const std::vector<std::string>& keys, const std::string& gradcam_layer);

}  // namespace mxai::experiments
