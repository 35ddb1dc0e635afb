// VAE training objectives as in YannDubs/disentangling-vae (losses.py): beta-VAE (Higgins et al. 2017) and
// beta-TCVAE (Chen et al. 2018, "Isolating Sources of Disentanglement in VAEs") with minibatch-stratified
// sampling. Every term is built from differentiable ops, so the losses backpropagate (and double-backpropagate).
#pragma once

#include <cstdint>

#include "autodiff/tensor.h"

namespace mxai::vae {

enum class Likelihood {
  // Binary cross-entropy of the logits against the pixels in [0,1]. The reference applies
  // F.binary_cross_entropy to sigmoid outputs; the logits form is the same value without its log(0) clamp.
  Bernoulli,
  // Squared error of sigmoid(logits) against the pixels (a fixed-variance Gaussian, up to constants).
  Gaussian,
};

// logits (N,...) and targets x (N,...) of the same shape -> () = per-pixel loss summed over everything / N.
Tensor reconstruction_loss(const Tensor& logits, const Tensor& x, Likelihood likelihood = Likelihood::Bernoulli);

// mu, logvar (N,k) -> () = KL(q(z|x) || N(0,I)) summed over latents, averaged over the batch.
Tensor kl_normal(const Tensor& mu, const Tensor& logvar);

// x, mu, logvar broadcastable -> elementwise log N(x; mu, exp(logvar)).
Tensor log_density_gaussian(const Tensor& x, const Tensor& mu, const Tensor& logvar);

struct BetaVAELoss {
  Tensor total;           // () reconstruction + beta * kl
  Tensor reconstruction;  // ()
  Tensor kl;              // ()
};

// logits, x (N,C,H,W); mu, logvar (N,k).
BetaVAELoss beta_vae_loss(const Tensor& logits, const Tensor& x, const Tensor& mu, const Tensor& logvar,
                          double beta = 1.0, Likelihood likelihood = Likelihood::Bernoulli);

struct TCVAEOptions {
  double alpha = 1.0;    // weight of the index-code mutual information
  double beta = 6.0;     // weight of the total correlation
  double gamma = 1.0;    // weight of the dimension-wise KL
  double anneal = 1.0;   // extra factor on the dimension-wise KL (the reference anneals it 0 -> 1 in training)
  int64_t n_data = 60000;  // dataset size, for the importance weights
  bool minibatch_stratified = true;  // false: minibatch weighted sampling (every weight 1/(N B) -> plain logsumexp)
  Likelihood likelihood = Likelihood::Bernoulli;
};

struct TCVAELoss {
  Tensor total;               // () recon + alpha mi + beta tc + anneal gamma dw_kl
  Tensor reconstruction;      // ()
  Tensor mutual_information;  // () mean over the batch of log q(z|x) - log q(z)
  Tensor total_correlation;   // () mean of log q(z) - log prod_j q(z_j)
  Tensor dimensionwise_kl;    // () mean of log prod_j q(z_j) - log p(z)
};

// The per-sample log densities of the estimator, each (B): z (B,k) is the sample drawn from q(z|x) with
// mu, logvar (B,k).
struct TCVAEDensities {
  Tensor log_pz, log_qz, log_prod_qzi, log_q_zCx;
};
TCVAEDensities tcvae_log_densities(const Tensor& z, const Tensor& mu, const Tensor& logvar, int64_t n_data,
                                   bool minibatch_stratified = true);

// The (B,B) log importance weights of minibatch-stratified sampling, entry [i,j] multiplying q(z_i | x_j).
// Built exactly as the reference (log_importance_weight_matrix, itself copied from Chen et al.'s code), including
// its strided indexing: with M = B-1, view(-1)[::M+1] and [1::M+1] step by B, so they fill columns 0 and 1 rather
// than the diagonal. We keep that so losses match trained reference models; B >= 2.
Tensor log_importance_weight_matrix(int64_t batch_size, int64_t n_data);

// logits, x (B,C,H,W); mu, logvar, z (B,k), z the reparameterized sample used for the logits. B >= 2.
TCVAELoss beta_tcvae_loss(const Tensor& logits, const Tensor& x, const Tensor& mu, const Tensor& logvar,
                          const Tensor& z, const TCVAEOptions& options = {});

}  // namespace mxai::vae
