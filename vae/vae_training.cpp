#include "vae/vae_training.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/losses.h"
#include "nn/optim.h"
#include "vae/batching.h"

namespace mxai::vae {

namespace {

void check_images(const Tensor& images, const char* what) {
  if (images.dim() != 4 || images.size(2) != images.size(3))
    throw Error(std::string(what) + ": expected square images (N,C,H,W), got " + shape_str(images.shape()));
}

// The reference's linear_annealing: init + (fin - init) * step / steps, capped at fin; no annealing when steps = 0.
double anneal_weight(int64_t step, int64_t anneal_steps) {
  if (anneal_steps <= 0) return 1.0;
  return std::min(1.0, static_cast<double>(step) / static_cast<double>(anneal_steps));
}

}  // namespace

void train_vae_in_place(BurgessVAE& vae, const Tensor& images, const VaeTrainOptions& o) {
  check_images(images, "train_vae");
  const int64_t n = images.size(0);
  if (o.batch_size < 2 || n < o.batch_size)
    throw Error("train_vae: need batch_size >= 2 and at least one full batch, got batch " +
                std::to_string(o.batch_size) + " and " + std::to_string(n) + " images");
  if (o.epochs < 0) throw Error("train_vae: epochs must be >= 0");
  nn::AdamOptions adam;
  adam.lr = o.lr;
  nn::Adam optimizer(vae.parameters(), adam);
  // One stream for the epoch orders and one for the reparameterisation noise, so changing the batch count
  // does not shift the noise of unrelated steps.
  Generator order_gen(o.seed ^ 0x0dd5eedULL), noise_gen(o.seed ^ 0xa015eULL);
  TCVAEOptions tc = o.tcvae;
  tc.n_data = n;
  tc.likelihood = o.likelihood;
  // The last partial batch is dropped: beta-TCVAE's minibatch estimator needs B >= 2, and equal batches keep the
  // importance weights the same every step.
  const int64_t steps = n / o.batch_size;
  int64_t global_step = 0;
  vae.train();
  for (int64_t epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<int64_t> order = shuffled_indices(n, order_gen);
    double loss_sum = 0, recon_sum = 0, kl_sum = 0, anneal = 1;
    for (int64_t s = 0; s < steps; ++s) {
      const Tensor x = gather_rows(images, order, s * o.batch_size, o.batch_size);
      const BurgessVAE::Output out = vae.forward_full(x, noise_gen);
      Tensor loss, recon, kl;
      if (o.objective == VaeObjective::BetaTCVAE) {
        // The reference anneals with its step counter before incrementing it, so the first step has weight 0.
        tc.anneal = anneal = anneal_weight(global_step, o.anneal_steps);
        const TCVAELoss l = beta_tcvae_loss(out.logits, x, out.mu, out.logvar, out.z, tc);
        loss = l.total;
        recon = l.reconstruction;
        kl = l.mutual_information + l.total_correlation + l.dimensionwise_kl;
      } else {
        const BetaVAELoss l = beta_vae_loss(out.logits, x, out.mu, out.logvar, o.beta_vae_beta, o.likelihood);
        loss = l.total;
        recon = l.reconstruction;
        kl = l.kl;
      }
      const double loss_value = loss.item();
      nn::check_loss_finite(loss_value, o.what, epoch, o.epochs, s + 1, steps, o.lr);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      ++global_step;
      loss_sum += loss_value;
      recon_sum += recon.item();
      kl_sum += kl.item();
      if (o.on_step) o.on_step(s + 1, steps, loss_sum / static_cast<double>(s + 1));
    }
    if (o.on_epoch) {
      VaeEpochStats stats;
      stats.epoch = epoch;
      stats.epochs = o.epochs;
      const double denom = static_cast<double>(std::max<int64_t>(steps, 1));
      stats.loss = loss_sum / denom;
      stats.reconstruction = recon_sum / denom;
      stats.kl = kl_sum / denom;
      stats.anneal = anneal;
      stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      o.on_epoch(stats);
    }
  }
  vae.eval();
}

std::shared_ptr<BurgessVAE> train_vae(const Tensor& images, int64_t latent_dim, const VaeTrainOptions& options) {
  check_images(images, "train_vae");
  Generator init(options.seed);
  auto vae = std::make_shared<BurgessVAE>(images.size(1), images.size(2), init, latent_dim,
                                          BurgessVAE::Init::Reference);
  train_vae_in_place(*vae, images, options);
  return vae;
}

ElboEstimate vae_elbo(BurgessVAE& vae, const Tensor& images, Generator& gen, int64_t samples) {
  check_images(images, "vae_elbo");
  if (samples < 1) throw Error("vae_elbo: samples must be >= 1");
  NoGradGuard no_grad;
  const int64_t n = images.size(0), batch = 256;
  double recon_sum = 0, kl_sum = 0;
  for (int64_t begin = 0; begin < n; begin += batch) {
    const int64_t count = std::min(batch, n - begin);
    const Tensor x = slice_rows(images, begin, count);
    const auto [mu, logvar] = vae.encode(x);
    kl_sum += nn::gaussian_kl(mu, logvar, nn::Reduction::Sum).item();
    for (int64_t s = 0; s < samples; ++s) {
      const Tensor z = BurgessVAE::reparameterize(mu, logvar, gen, /*training=*/true);
      recon_sum += nn::binary_cross_entropy_with_logits(vae.decode_logits(z), x, nn::Reduction::Sum).item() /
                   static_cast<double>(samples);
    }
  }
  ElboEstimate e;
  e.samples = samples;
  e.reconstruction = n ? recon_sum / static_cast<double>(n) : 0;
  e.kl = n ? kl_sum / static_cast<double>(n) : 0;
  e.elbo = -(e.reconstruction + e.kl);
  return e;
}

}  // namespace mxai::vae
