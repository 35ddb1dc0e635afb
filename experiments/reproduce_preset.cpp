#include "experiments/reproduce_preset.h"

#include <cstdio>

#include "autodiff/tensor.h"

namespace mxai::experiments {

namespace {

// The l2-robust LeNet of our quick and smoke presets: a fixed per-example eps (a stronger attack than the
// reference's whole-batch one) with few steps, so it fits the time budget.
TrainClassifierOptions our_adversarial(int64_t epochs, int64_t steps) {
  TrainClassifierOptions o;
  o.epochs = epochs;
  o.adv_eps = 2.0;
  o.adv_steps = steps;
  return o;
}

ReproducePreset quick() {
  ReproducePreset p;
  p.vae.epochs = 30;
  p.labeler.epochs = 3;
  p.mnist32_train = 20000;
  p.mnist32_test = 2000;
  p.standard.epochs = 4;
  p.adversarial = our_adversarial(2, 5);
  p.fashion_train = 20000;
  p.ae_epochs = 8;
  p.ae_latent = 16;
  p.eval_points = 500;
  p.taig_points = 200;
  p.taig_iterations = 100;
  return p;
}

// Every stage at toy size: checks the pipeline end to end in about a minute (tests/cli_reproduce.sh).
ReproducePreset smoke() {
  ReproducePreset p;
  p.vae.epochs = 1;
  p.labeler.epochs = 1;
  p.mnist32_train = 600;
  p.mnist32_test = 100;
  p.standard.epochs = 1;
  p.adversarial = our_adversarial(1, 2);
  p.fashion_train = 1000;
  p.ae_epochs = 1;
  p.ae_latent = 8;
  p.eval_points = 40;
  p.taig_points = 8;
  p.taig_iterations = 10;
  p.example_rows = 3;
  return p;
}

// /work/shared/papers/manifold-hypothesis.md, sections 2.1-2.5; docs/presets.md compares it with the others.
ReproducePreset reference() {
  ReproducePreset p;
  p.vae.epochs = 400;
  p.vae.anneal_steps = 10000;
  p.vae.lr = 5e-4;
  p.vae.batch_size = 64;
  p.labeler.arch = "simplenet";
  p.labeler.epochs = 5;
  p.labeler.batch_size = 64;
  p.labeler.lr = 1e-3;
  p.labeler.schedule = "constant";
  p.mnist32_train = 60000;
  p.mnist32_test = 10000;

  p.standard.epochs = 50;
  p.standard.batch_size = 32;
  p.standard.lr = 1e-3;
  p.standard.schedule = "step";
  p.standard.lr_step = 10;
  p.standard.lr_gamma = 0.1;

  TrainClassifierOptions& a = p.adversarial;
  a.optimizer = "sgd";
  a.lr = 0.1;
  a.schedule = "multistep";
  a.lr_milestones = {4};
  a.lr_gamma = 0.1;
  a.epochs = 15;
  a.batch_size = 100;
  a.adv_eps_choices = {1.0, 4.0, 8.0};
  a.adv_steps = 100;
  a.adv_whole_batch_norms = true;
  a.adv_random_start = true;
  a.adv_attack_in_train_mode = true;
  a.adv_clamp = false;

  p.fashion_train = 0;
  p.ae_epochs = 30;
  p.ae_latent = 16;
  p.eval_points = 10000;
  p.taig_points = 1000;
  p.taig_iterations = 300;
  return p;
}

}  // namespace

std::vector<std::string> reproduce_preset_names() { return {"quick", "reference", "smoke"}; }

ReproducePreset reproduce_preset(const std::string& name) {
  ReproducePreset p;
  if (name == "quick") {
    p = quick();
  } else if (name == "smoke") {
    p = smoke();
  } else if (name == "reference") {
    p = reference();
  } else {
    throw Error("unknown preset '" + name + "' (known: quick, reference, smoke)");
  }
  p.name = name;
  return p;
}

std::vector<std::pair<std::string, std::string>> ReproducePreset::describe() const {
  auto s = [](int64_t v) { return std::to_string(v); };
  char vae_lr[32];
  std::snprintf(vae_lr, sizeof vae_lr, "%g", vae.lr);
  return {{"preset", name},
          {"VAE (beta-TCVAE, alpha 1, beta 6, gamma 1)", "k " + s(vae.latent_dim) + ", Adam lr " + vae_lr + ", batch " +
                                                          s(vae.batch_size) + ", " + s(vae.epochs) +
                                                          " epochs, dimension-wise KL annealed over " +
                                                          s(vae.anneal_steps) + " steps"},
          {"labeler", labeler.arch + ", " + training_summary(labeler_training(labeler))},
          {"MNIST32 train / test", s(mnist32_train) + " / " + s(mnist32_test)},
          {"standard LeNet", training_summary(standard)},
          {"adversarial LeNet", training_summary(adversarial)},
          {"Fashion-MNIST training images", fashion_train ? s(fashion_train) : "60000"},
          {"autoencoder epochs / bottleneck", s(ae_epochs) + " / " + s(ae_latent)},
          {"evaluation points per data set", s(eval_points)},
          {"IG", "zero base-point, 50 Gauss-Legendre steps"},
          {"SmoothGrad", "25 samples, sigma 0.02 (absolute, [0,1] pixels)"},
          {"TAIG points / max iterations", s(taig_points) + " / " + s(taig_iterations)}};
}

}  // namespace mxai::experiments
