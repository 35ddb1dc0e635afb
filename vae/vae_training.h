// Training a BurgessVAE and measuring it: the recipe of the reference's btcvae_mnist model (spec:
// manifold-hypothesis section 2.1) -- Adam lr 5e-4, batch 64, beta-TCVAE with alpha 1, beta 6, gamma 1, the
// dimension-wise KL weight annealed linearly 0 -> 1, Bernoulli reconstruction. Takes plain tensors so vae/ stays
// independent of the data-set code.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "vae/burgess_vae.h"
#include "vae/vae_losses.h"

namespace mxai::vae {

enum class VaeObjective { BetaTCVAE, BetaVAE };

// What one finished epoch looked like: averages over its batches of the training loss and its parts.
struct VaeEpochStats {
  int64_t epoch = 0, epochs = 0;  // epoch counts from 1
  double loss = 0, reconstruction = 0, kl = 0;  // kl: the KL part (beta-TCVAE: mi + tc + dw_kl, unweighted)
  double anneal = 1;  // the dimension-wise KL weight reached at the end of the epoch
  double seconds = 0;
};

struct VaeTrainOptions {
  int64_t epochs = 30;
  int64_t batch_size = 64;
  double lr = 5e-4;
  VaeObjective objective = VaeObjective::BetaTCVAE;
  TCVAEOptions tcvae;        // alpha, beta, gamma; n_data is overwritten with N
  double beta_vae_beta = 1;  // beta of the beta-VAE objective
  // Steps over which the dimension-wise KL weight grows 0 -> 1 (the reference: 10,000). 0 disables annealing.
  int64_t anneal_steps = 10000;
  Likelihood likelihood = Likelihood::Bernoulli;
  uint64_t seed = 0;  // initialisation, shuffling and the reparameterisation noise
  std::string what = "VAE training";  // names the command or stage when the loss turns NaN/Inf (training stops)
  // Called once per step (step counted from 1 within the epoch, of `steps`) and once per finished epoch; either
  // may be empty. Training never prints.
  std::function<void(int64_t step, int64_t steps, double running_loss)> on_step;
  std::function<void(const VaeEpochStats&)> on_epoch;
};

// images (N,C,H,W) in [0,1] with H = W in {32, 64}, N >= 2 -> a VAE with `latent_dim` latents, in eval mode.
// Deterministic given the seed (and the thread count, through floating-point summation order).
std::shared_ptr<BurgessVAE> train_vae(const Tensor& images, int64_t latent_dim, const VaeTrainOptions& options);

// The same loop on an existing model (e.g. one resumed from a file); leaves it in eval mode.
void train_vae_in_place(BurgessVAE& vae, const Tensor& images, const VaeTrainOptions& options);

struct ElboEstimate {
  double elbo = 0;            // mean over images of E_q[log p(x|z)] - KL(q(z|x) || p(z)), in nats per image
  double reconstruction = 0;  // mean of -E_q[log p(x|z)]: the Bernoulli negative log-likelihood (BCE summed)
  double kl = 0;              // mean KL(q(z|x) || N(0,I)), closed form
  int64_t samples = 1;        // z draws per image behind the reconstruction term
};

// images (N,C,H,W) -> the mean evidence lower bound of a Bernoulli-decoder VAE. The KL is exact (closed form);
// the expected log-likelihood is a Monte-Carlo estimate with `samples` draws z ~ q(z|x) per image from `gen`
// (decoding z = mu instead would give a biased, too optimistic value that is not a bound). No graph; batches
// of 256; the model's mode is left unchanged.
ElboEstimate vae_elbo(BurgessVAE& vae, const Tensor& images, Generator& gen, int64_t samples = 1);

}  // namespace mxai::vae
