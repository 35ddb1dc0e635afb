// A deterministic convolutional autoencoder with a fully-connected bottleneck, the manifold estimate for real
// images (spec: manifold-hypothesis section 4, adapted to small grey images such as Fashion-MNIST): the classifier
// is trained on reconstructions Dec(Enc(x)) and explained there, and the tangent space at a reconstruction is the
// column space of the decoder Jacobian at z = Enc(x) (vae/tangent_space.h), of dimension k = the bottleneck size.
//
//   encoder: conv1 Conv2d(C,c, 4, s2, p1) ReLU, conv2 Conv2d(c,2c, 4, s2, p1) ReLU   [S -> S/2 -> S/4]
//            flatten 2c (S/4)^2, fc1 Linear(.,hidden) ReLU, fc2 Linear(hidden,k)      (no activation: z in R^k)
//   decoder: fc1 Linear(k,hidden) ReLU, fc2 Linear(hidden, 2c (S/4)^2) ReLU, reshape (2c,S/4,S/4),
//            convT1 ConvT(2c,c, 4, s2, p1) ReLU, convT2 ConvT(c,C, 4, s2, p1), Sigmoid  [S/4 -> S/2 -> S]
//
// S must be a multiple of 4 (28 and 32 both work). The decoder is smooth almost everywhere (ReLU), so its
// Jacobian is defined at every z the encoder produces.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "autodiff/random.h"
#include "nn/conv.h"
#include "nn/linear.h"
#include "nn/data_parallel.h"
#include "nn/module.h"

namespace mxai::vae {

struct AutoencoderShape {
  int64_t channels = 1;      // C
  int64_t image_size = 28;   // S = H = W, a multiple of 4
  int64_t latent_dim = 16;   // k
  int64_t width = 16;        // c, the first conv's channels (the second has 2c)
  int64_t hidden = 256;      // the fully-connected layer between the convs and the bottleneck
};

class AutoencoderEncoder : public nn::Module {
 public:
  AutoencoderEncoder(const AutoencoderShape& shape, Generator& init);
  // x (N,C,S,S) -> z (N,k).
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "AutoencoderEncoder"; }

  const AutoencoderShape shape;
  std::shared_ptr<nn::Conv2d> conv1, conv2;
  std::shared_ptr<nn::Linear> fc1, fc2;
};

class AutoencoderDecoder : public nn::Module {
 public:
  AutoencoderDecoder(const AutoencoderShape& shape, Generator& init);
  // z (N,k) -> image (N,C,S,S) in (0,1) (sigmoid applied).
  Tensor forward(const Tensor& z) override;
  std::string type_name() const override { return "AutoencoderDecoder"; }

  const AutoencoderShape shape;
  std::shared_ptr<nn::Linear> fc1, fc2;
  std::shared_ptr<nn::ConvTranspose2d> convT1, convT2;
};

class ConvAutoencoder : public nn::Module {
 public:
  ConvAutoencoder(const AutoencoderShape& shape, Generator& init);
  // x (N,C,S,S) -> reconstruction Dec(Enc(x)) (N,C,S,S).
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "ConvAutoencoder"; }

  Tensor encode(const Tensor& x) { return encoder->forward(x); }  // (N,C,S,S) -> (N,k)
  Tensor decode(const Tensor& z) { return decoder->forward(z); }  // (N,k) -> (N,C,S,S)

  const AutoencoderShape shape;
  std::shared_ptr<AutoencoderEncoder> encoder;
  std::shared_ptr<AutoencoderDecoder> decoder;
};

enum class ReconstructionLoss { MSE, L1 };

struct AutoencoderTrainOptions {
  int64_t epochs = 10;
  int64_t batch_size = 64;
  double lr = 1e-3;  // Adam
  ReconstructionLoss loss = ReconstructionLoss::MSE;
  uint64_t seed = 0;  // initialisation and shuffling
  std::string what = "autoencoder training";  // names the command or stage when the loss turns NaN/Inf
  // Called once per step and once per finished epoch (mean training loss per pixel, seconds); either may be empty.
  std::function<void(int64_t step, int64_t steps, double running_loss)> on_step;
  std::function<void(int64_t epoch, int64_t epochs, double loss, double seconds)> on_epoch;
  // The ranks sharing each batch (nn/data_parallel.h); the default is this process alone.
  nn::DataParallel parallel;
};

// images (N,C,S,S) in [0,1] -> a trained autoencoder of the given shape (channels and image_size are taken from
// the images), in eval mode. Deterministic given the seed and the thread count.
std::shared_ptr<ConvAutoencoder> train_autoencoder(const Tensor& images, AutoencoderShape shape,
                                                   const AutoencoderTrainOptions& options);

// images (N,C,S,S) -> Dec(Enc(x)) (N,C,S,S), no graph, in batches of 256; the module's mode is left unchanged.
Tensor reconstruct(ConvAutoencoder& autoencoder, const Tensor& images);
// images (N,C,S,S) -> Enc(x) (N,k), no graph, in batches of 256.
Tensor encode_all(ConvAutoencoder& autoencoder, const Tensor& images);

// Mean squared error per pixel between images and their reconstructions: () as a double.
double reconstruction_mse(ConvAutoencoder& autoencoder, const Tensor& images);

}  // namespace mxai::vae
