// The manifold stages of the pipeline as library calls, shared by `mxai train-vae`, `make-manifold-dataset`,
// `tangent-space`, `train-autoencoder` and the restartable `mxai reproduce`. Every stage that produces a file
// writes it atomically (a crash leaves the old file or none), so a caller can reuse any output it finds on disk by
// calling the matching load_* function instead of the stage.
//
//   real digits --train_vae_stage--> vae.safetensors --train_labeler_stage--> labeler.safetensors
//   (vae, labeler) --make_manifold_dataset--> DIR/train.safetensors, DIR/test.safetensors (with tangent bases)
//   fashion-mnist --train_autoencoder_stage--> autoencoder.safetensors (tangent spaces at reconstructions)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "datasets/dataset.h"
#include "experiments/classifier_training.h"
#include "nn/safetensors.h"
#include "vae/burgess_vae.h"
#include "vae/conv_autoencoder.h"
#include "vae/manifold_dataset.h"
#include "vae/tangent_space.h"
#include "vae/vae_training.h"

namespace mxai::experiments {

// ---------------------------------------------------------------- the VAE

struct VaeStageOptions {
  int64_t latent_dim = 10;
  int64_t epochs = 30;            // the quick preset; the reference trains 400 epochs on 60,000 digits
  std::string loss = "btcvae";    // "btcvae" (alpha 1, beta 6, gamma 1, annealed dim-KL) or "betavae" (beta 1)
  // Dimension-wise KL weight 0 -> 1 over this many steps (btcvae). The reference anneals over 10,000 of its
  // 375,000 steps; 1,000 keeps a 30-epoch run on 8,000 digits (3,750 steps) mostly at full weight.
  int64_t anneal_steps = 1000;
  double lr = 5e-4;               // Adam, as the reference
  int64_t batch_size = 64;
  uint64_t seed = 0;
  bool quiet = false;             // no per-epoch progress on stderr
};

struct TrainedVae {
  std::shared_ptr<vae::BurgessVAE> model;  // eval mode
  nn::Metadata metadata;                   // format, latent_dim, channels, image_size, loss, epochs, seed,
                                           // train_data, test_elbo, test_reconstruction, test_kl (when known)
};

// train images (N,1,32,32), test images (M,1,32,32), both in [0,1] -> a trained Burgess VAE, saved atomically to
// `out_path` with its settings and the test ELBO (vae_elbo, one z sample per image) in the metadata.
TrainedVae train_vae_stage(const Dataset& train, const Dataset& test, const VaeStageOptions& options,
                           const std::string& out_path);

// Rebuilds the VAE from a train_vae_stage file's metadata and loads its weights (strict). Errors name the file.
TrainedVae load_vae(const std::string& path);

// The decoder as a function z (N,k) -> images (N,C,H,W) in [0,1], for tangent_basis and the sampler.
vae::Decoder vae_decoder(const std::shared_ptr<vae::BurgessVAE>& vae);

// Three PNG grids from the VAE, written atomically: PREFIX_samples.png (64 decodes of z ~ N(0,I)),
// PREFIX_reconstructions.png (rows alternating 8 originals from `images` (N,C,H,W) and their reconstructions at
// z = mu), PREFIX_traversals.png (one row per latent, swept over [-3,3] in 9 steps from the mean code 0).
// Returns the three paths.
std::vector<std::string> write_vae_figures(vae::BurgessVAE& vae, const Tensor& images, const std::string& prefix,
                                           uint64_t seed);

// ---------------------------------------------------------------- the labeler

struct LabelerStageOptions {
  std::string arch = "lenet";     // the reference: "simplenet" (SimpleNetV1 with BatchNorm)
  int64_t epochs = 3;
  int64_t batch_size = 128;       // the reference: 64
  double lr = 1e-3;               // Adam
  std::string schedule = "cosine";  // the reference: "constant"
  uint64_t seed = 0;
  bool quiet = false;
};

// The classifier training a labeler stage runs (arch, epochs, batch, rate, schedule, seed, quiet of `options`).
TrainClassifierOptions labeler_training(const LabelerStageOptions& options);

// The labelling function of the generated data (spec 2.2): a classifier trained on the VAE's reconstructions
// (decode(mu)) of the real train digits (N,1,32,32) with their true labels, so it judges images of the kind the
// decoder produces. Accuracy on the reconstructed real test digits goes into the metadata ("test_accuracy");
// saved atomically to `out_path` in the train-classifier format (load it with load_classifier).
TrainedClassifier train_labeler_stage(vae::BurgessVAE& vae, const Dataset& real_train, const Dataset& real_test,
                                      const LabelerStageOptions& options, const std::string& out_path);

// ---------------------------------------------------------------- the generated data set

struct ManifoldDatasetOptions {
  int64_t n_train = 20000;
  int64_t n_test = 2000;
  uint64_t seed = 0;            // the train split uses seed, the test split seed + 1 (independent draws)
  int64_t batch_size = 512;     // codes per sampling round
  // 0: the decoder's own size (32x32). Otherwise both splits are upsampled bilinearly to image_size x image_size
  // after labelling at 32x32, and the test tangents are those of the composed decoder (MNIST256: 256).
  int64_t image_size = 0;
  bool quiet = false;
  std::string vae_file, labeler_file;  // recorded in the metadata of both splits
};

struct ManifoldDatasetFiles {
  std::string train, test;      // DIR/train.safetensors, DIR/test.safetensors
  double acceptance = 0;        // accepted / drawn over both splits
  std::vector<int64_t> rank_histogram;  // (k+1): how many test points have each Jacobian rank 0..k
  double seconds_sampling = 0, seconds_tangent = 0;
};

// Samples both splits by rejection sampling (vae/manifold_dataset.h), adds tangent bases (N,d,k) to the test split
// (d = 1024, or image_size^2 when upsampled) and writes the two files atomically into `dir` (created if missing).
ManifoldDatasetFiles make_manifold_dataset(vae::BurgessVAE& vae, nn::Module& labeler, const std::string& dir,
                                           const ManifoldDatasetOptions& options);

struct ManifoldSplit {
  // images (N,1,S,S) (S = 32, or the upsampled size), labels (N), 10 classes; name = the file path
  Dataset data;
  Tensor z;                     // (N,k)
  Tensor tangent;               // (N,d,k) orthonormal columns (zero beyond rank), d = S*S; undefined for train
  std::vector<int64_t> rank;    // (N) for a split with tangents, else empty
  nn::Metadata metadata;
};

// Loads and validates a split written by make_manifold_dataset (shapes, dtypes, labels in range); errors name
// the file, the tensor, and the expected and actual shapes.
ManifoldSplit load_manifold_split(const std::string& path);

// True if `path` names an existing safetensors file whose metadata says it is a manifold split (so
// `train-classifier --data FILE` can accept one).
bool is_manifold_split_file(const std::string& path);

// Where the `split` ("train" / "test") of a generated data set named by `data` lives: `data` may be the
// directory make_manifold_dataset wrote (-> DIR/<split>.safetensors) or one of its split files (-> the sibling
// <split>.safetensors). Empty if `data` is neither (e.g. a registry name such as "mnist").
std::string manifold_split_path(const std::string& data, const std::string& split);

// ---------------------------------------------------------------- the autoencoder for real data

struct AutoencoderStageOptions {
  int64_t latent_dim = 16;
  int64_t width = 16;       // channels of the first conv (the second has twice as many)
  int64_t hidden = 256;
  int64_t epochs = 5;
  int64_t batch_size = 64;
  double lr = 1e-3;
  std::string loss = "mse";  // "mse" or "l1"
  uint64_t seed = 0;
  bool quiet = false;
};

struct TrainedAutoencoder {
  std::shared_ptr<vae::ConvAutoencoder> model;  // eval mode
  nn::Metadata metadata;  // format, channels, image_size, latent_dim, width, hidden, loss, epochs, seed,
                          // train_data, test_mse
};

// train images (N,C,S,S), test images (M,C,S,S) in [0,1], S a multiple of 4 -> a trained autoencoder, saved
// atomically to `out_path` with the test reconstruction MSE per pixel in the metadata.
TrainedAutoencoder train_autoencoder_stage(const Dataset& train, const Dataset& test,
                                           const AutoencoderStageOptions& options, const std::string& out_path);

TrainedAutoencoder load_autoencoder(const std::string& path);

// The same images and labels with every image replaced by its reconstruction Dec(Enc(x)) (N,C,S,S): what the
// real-data classifier is trained and explained on. Name gets a "/reconstructed" suffix.
Dataset reconstruct_dataset(vae::ConvAutoencoder& autoencoder, const Dataset& data);

// The decoder as a function z (N,k) -> images (N,C,S,S), for tangent_basis at z = Enc(x).
vae::Decoder autoencoder_decoder(const std::shared_ptr<vae::ConvAutoencoder>& autoencoder);

}  // namespace mxai::experiments
