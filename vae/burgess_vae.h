// The "Burgess" convolutional VAE of YannDubs/disentangling-vae (Burgess et al. 2018, "Understanding
// disentangling in beta-VAE"), the generator behind the MNIST32/MNIST256 datasets of Bordt et al.
// (spec: manifold-hypothesis section 2.1).
//
// Images are (C,H,W) with H = W = 32 or 64; other sizes throw. With hidden channels 32 and kernel 4, stride 2,
// padding 1, every conv halves (every transposed conv doubles) the side, so three of them map 32 <-> 4 and the
// 64x64 variant adds a fourth (conv_64 / convT_64, as the reference).
//
//   encoder: conv1 Conv2d(C,32) ReLU, conv2 Conv2d(32,32) ReLU, conv3 Conv2d(32,32) ReLU, [conv_64 ReLU],
//            flatten 512, lin1 Linear(512,256) ReLU, lin2 Linear(256,256) ReLU, mu_logvar_gen Linear(256,2k)
//   decoder: lin1 Linear(k,256) ReLU, lin2 Linear(256,256) ReLU, lin3 Linear(256,512) ReLU, reshape (32,4,4),
//            [convT_64 ReLU], convT1 ConvT(32,32) ReLU, convT2 ConvT(32,32) ReLU, convT3 ConvT(32,C), Sigmoid
//
// Parameter names follow the reference PyTorch module exactly (encoder.conv1.weight, encoder.mu_logvar_gen.bias,
// decoder.convT3.bias, ...) so its state_dict loads unchanged. mu_logvar_gen's 2k outputs are interleaved: the
// reference reads them as view(-1, k, 2).unbind(-1), so even entries are mu and odd entries logvar.
//
// Usage (compiled and run by the test header_examples:usage):
// ```cpp
// mxai::Generator init(0);
// auto vae = std::make_shared<mxai::vae::BurgessVAE>(1, 32, init, /*latent_dim=*/10);  // grey 32x32 images
// vae->eval();                                                        // deterministic: z = mu
// auto [mu, logvar] = vae->encode(mxai::Tensor::zeros({2, 1, 32, 32}));  // (2,10) each
// mxai::Tensor x = vae->decode(mu);                                    // (2,1,32,32), in [0,1]
// assert(logvar.size(1) == 10 && x.shape() == mxai::Shape({2, 1, 32, 32}));
// ```
#pragma once

#include <memory>
#include <utility>

#include "autodiff/random.h"
#include "nn/conv.h"
#include "nn/linear.h"
#include "nn/module.h"

namespace mxai::vae {

class BurgessEncoder : public nn::Module {
 public:
  BurgessEncoder(int64_t channels, int64_t image_size, int64_t latent_dim, Generator& init);
  // x (N,C,H,W) -> interleaved (N,2k): [mu_0, logvar_0, mu_1, logvar_1, ...].
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "EncoderBurgess"; }

  const int64_t channels, image_size, latent_dim;
  std::shared_ptr<nn::Conv2d> conv1, conv2, conv3, conv_64;  // conv_64 only for 64x64
  std::shared_ptr<nn::Linear> lin1, lin2, mu_logvar_gen;
};

class BurgessDecoder : public nn::Module {
 public:
  BurgessDecoder(int64_t channels, int64_t image_size, int64_t latent_dim, Generator& init);
  // z (N,k) -> logits (N,C,H,W), before the final sigmoid (the Bernoulli loss wants logits for stability).
  Tensor forward(const Tensor& z) override;
  std::string type_name() const override { return "DecoderBurgess"; }

  const int64_t channels, image_size, latent_dim;
  std::shared_ptr<nn::Linear> lin1, lin2, lin3;
  std::shared_ptr<nn::ConvTranspose2d> convT_64, convT1, convT2, convT3;  // convT_64 only for 64x64
};

class BurgessVAE : public nn::Module {
 public:
  enum class Init {
    // Each layer's own PyTorch default (kaiming_uniform_(a=sqrt(5)) weights, U(+-1/sqrt(fan_in)) biases).
    PyTorchDefault,
    // The reference's weights_init: kaiming_uniform_(nonlinearity="relu") weights (bound sqrt(6/fan_in)),
    // biases left at the PyTorch default.
    Reference,
  };

  // channels C, image_size H = W in {32, 64}, latent size k; weights drawn from `init`.
  BurgessVAE(int64_t channels, int64_t image_size, Generator& init, int64_t latent_dim = 10,
             Init init_kind = Init::PyTorchDefault);

  // x (N,C,H,W) -> {mu (N,k), logvar (N,k)}.
  std::pair<Tensor, Tensor> encode(const Tensor& x);
  // z (N,k) -> logits (N,C,H,W).
  Tensor decode_logits(const Tensor& z);
  // z (N,k) -> mean image sigmoid(logits) (N,C,H,W), in [0,1].
  Tensor decode(const Tensor& z);
  // mu, logvar (N,k) -> z (N,k) = mu + exp(logvar/2) eps with eps ~ N(0,I) from `gen` when training, else mu
  // (the reference returns the mean in eval mode, which makes forward deterministic for evaluation).
  static Tensor reparameterize(const Tensor& mu, const Tensor& logvar, Generator& gen, bool training);

  struct Output {
    Tensor logits;          // (N,C,H,W)
    Tensor mu, logvar, z;   // (N,k) each
  };
  // Everything a training loss needs, sampling z with `gen` in training mode. x (N,C,H,W).
  Output forward_full(const Tensor& x, Generator& gen);

  // x (N,C,H,W) -> reconstruction sigmoid(decoder(z)) (N,C,H,W). In training mode z is sampled from an internal
  // generator (seeded at construction) so Module's one-argument interface works; use forward_full to control it.
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "VAE"; }

  const int64_t channels, image_size, latent_dim;
  std::shared_ptr<BurgessEncoder> encoder;
  std::shared_ptr<BurgessDecoder> decoder;

 private:
  Generator sample_gen_;
};

// Splits the encoder's interleaved (N,2k) output into {mu (N,k), logvar (N,k)}.
std::pair<Tensor, Tensor> split_interleaved(const Tensor& mu_logvar);

}  // namespace mxai::vae
