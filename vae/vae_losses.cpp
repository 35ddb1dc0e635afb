#include "vae/vae_losses.h"

#include <cmath>
#include <string>
#include <vector>

#include "autodiff/ops.h"
#include "nn/losses.h"

namespace mxai::vae {

namespace {

void check_same_shape(const Tensor& a, const Tensor& b, const char* what) {
  if (a.shape() != b.shape())
    throw Error(std::string(what) + ": shapes differ, " + shape_str(a.shape()) + " vs " + shape_str(b.shape()));
}

void check_latents(const Tensor& mu, const Tensor& logvar, const char* what) {
  if (mu.dim() != 2) throw Error(std::string(what) + ": mu must be (N,k), got " + shape_str(mu.shape()));
  check_same_shape(mu, logvar, what);
}

}  // namespace

Tensor reconstruction_loss(const Tensor& logits, const Tensor& x, Likelihood likelihood) {
  check_same_shape(logits, x, "reconstruction_loss");
  const real n = static_cast<real>(x.size(0));
  const Tensor summed = likelihood == Likelihood::Bernoulli
                            ? nn::binary_cross_entropy_with_logits(logits, x, nn::Reduction::Sum)
                            : nn::mse_loss(sigmoid(logits), x, nn::Reduction::Sum);
  return summed / n;
}

Tensor kl_normal(const Tensor& mu, const Tensor& logvar) {
  check_latents(mu, logvar, "kl_normal");
  return nn::gaussian_kl(mu, logvar, nn::Reduction::Mean);
}

Tensor log_density_gaussian(const Tensor& x, const Tensor& mu, const Tensor& logvar) {
  static const real log_2pi = static_cast<real>(std::log(2.0 * std::acos(-1.0)));
  const Tensor d = x - mu;
  return real(-0.5) * (logvar + log_2pi) - real(0.5) * d * d * exp(-logvar);
}

BetaVAELoss beta_vae_loss(const Tensor& logits, const Tensor& x, const Tensor& mu, const Tensor& logvar, double beta,
                          Likelihood likelihood) {
  BetaVAELoss out;
  out.reconstruction = reconstruction_loss(logits, x, likelihood);
  out.kl = kl_normal(mu, logvar);
  out.total = out.reconstruction + out.kl * static_cast<real>(beta);
  return out;
}

Tensor log_importance_weight_matrix(int64_t batch_size, int64_t n_data) {
  if (batch_size < 2) throw Error("minibatch-stratified sampling needs a batch of at least 2");
  if (n_data < batch_size) throw Error("n_data must be at least the batch size");
  const double n = static_cast<double>(n_data), m = static_cast<double>(batch_size - 1);
  const double strat_weight = (n - m) / (n * m);
  const int64_t total = batch_size * batch_size, step = batch_size;  // M + 1 == B, see the header
  std::vector<double> w(static_cast<size_t>(total), 1.0 / m);
  for (int64_t i = 0; i < total; i += step) w[static_cast<size_t>(i)] = 1.0 / n;
  for (int64_t i = 1; i < total; i += step) w[static_cast<size_t>(i)] = strat_weight;
  w[static_cast<size_t>((batch_size - 2) * batch_size + 0)] = strat_weight;  // W[M-1, 0]
  std::vector<real> logw(w.size());
  for (size_t i = 0; i < w.size(); ++i) logw[i] = static_cast<real>(std::log(w[i]));
  return Tensor::from({batch_size, batch_size}, std::move(logw));
}

TCVAEDensities tcvae_log_densities(const Tensor& z, const Tensor& mu, const Tensor& logvar, int64_t n_data,
                                   bool minibatch_stratified) {
  check_latents(mu, logvar, "tcvae_log_densities");
  check_same_shape(z, mu, "tcvae_log_densities");
  const int64_t b = z.size(0), k = z.size(1);
  TCVAEDensities d;
  d.log_q_zCx = sum(log_density_gaussian(z, mu, logvar), {1});
  const Tensor zeros = Tensor::zeros(z.shape());
  d.log_pz = sum(log_density_gaussian(z, zeros, zeros), {1});

  // mat[i,j,d] = log q(z_i,d | x_j): every sample scored under every posterior in the batch.
  Tensor mat = log_density_gaussian(reshape(z, {b, 1, k}), reshape(mu, {1, b, k}), reshape(logvar, {1, b, k}));
  if (minibatch_stratified) {
    mat = mat + reshape(log_importance_weight_matrix(b, n_data), {b, b, 1});
  } else {
    // Minibatch weighted sampling: q(z) ~ 1/(N B) sum_j q(z|x_j), the same constant for every entry.
    mat = mat - static_cast<real>(std::log(static_cast<double>(n_data) * static_cast<double>(b)));
  }
  d.log_qz = logsumexp(sum(mat, {2}), 1);
  d.log_prod_qzi = sum(logsumexp(mat, 1), {1});
  return d;
}

TCVAELoss beta_tcvae_loss(const Tensor& logits, const Tensor& x, const Tensor& mu, const Tensor& logvar,
                          const Tensor& z, const TCVAEOptions& o) {
  const TCVAEDensities d = tcvae_log_densities(z, mu, logvar, o.n_data, o.minibatch_stratified);
  TCVAELoss out;
  out.reconstruction = reconstruction_loss(logits, x, o.likelihood);
  out.mutual_information = mean(d.log_q_zCx - d.log_qz);
  out.total_correlation = mean(d.log_qz - d.log_prod_qzi);
  out.dimensionwise_kl = mean(d.log_prod_qzi - d.log_pz);
  out.total = out.reconstruction + out.mutual_information * static_cast<real>(o.alpha) +
              out.total_correlation * static_cast<real>(o.beta) +
              out.dimensionwise_kl * static_cast<real>(o.anneal * o.gamma);
  return out;
}

}  // namespace mxai::vae
