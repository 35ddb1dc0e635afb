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
  p.upsampled_sizes = {64, 256};
  p.upsampled_rank_points = 200;
  p.standard.epochs = 4;
  p.adversarial = our_adversarial(2, 5);
  p.fashion_train = 20000;
  p.ae_epochs = 8;
  p.ae_latent = 16;
  p.eval_points = 500;
  p.taig_points = 200;
  p.taig_iterations = 100;
  p.further_points = 50;
  p.faithfulness_points = 50;
  p.sensitivity_points = 5;
  // ROAR at toy size. With IG and SmoothGrad the attributions of the training points cost more than the
  // retraining, so only the gradient and Input x Gradient rank pixels here (with random and tangent mass).
  p.roar_train = 2000;
  p.roar_test = 500;
  p.roar_epochs = 1;
  p.roar_methods = 2;
  p.roar_fractions = {0, 0.5, 0.9};
  return p;
}

// Every stage at toy size: checks the pipeline end to end in about a minute (tests/cli_reproduce.sh).
ReproducePreset smoke() {
  ReproducePreset p;
  // All 8,000 training digits: a VAE of fewer than ~100 steps decodes shapes its labeler cannot name, and the
  // generation then rejects ~99% of its codes (measured: 1,000 digits, one epoch: acceptance 0.012, 60 s).
  p.real_test = 500;
  p.vae.epochs = 1;
  p.labeler.epochs = 1;
  p.mnist32_train = 600;
  p.mnist32_test = 100;
  p.upsampled_sizes = {64};
  p.upsampled_rank_points = 10;
  p.standard.epochs = 1;
  p.adversarial = our_adversarial(1, 2);
  p.fashion_train = 1000;
  p.fashion_test = 1000;
  p.ae_epochs = 1;
  p.ae_latent = 8;
  p.eval_points = 40;
  p.taig_points = 8;
  p.taig_iterations = 10;
  p.example_rows = 3;
  // The further methods and the cheap faithfulness metrics on 2 points; no max sensitivity and no ROAR (they
  // re-explain or retrain): the smoke run is repeated by two CLI tests.
  p.further_points = 2;
  p.faithfulness_points = 2;
  p.sensitivity_points = 0;
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
  p.upsampled_sizes = {256};
  p.upsampled_rank_points = 1000;

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
  p.further_points = 1000;
  p.faithfulness_points = 1000;
  p.sensitivity_points = 100;
  // Bordt et al.'s ROAR: fractions 0, 0.1, ..., 0.9 of the pixels removed; LeNet retrained (Adam 1e-3, StepLR
  // 10/0.1, 30 epochs, batch 32 in the reference) on the generated training set.
  p.roar_train = 60000;
  p.roar_test = 10000;
  p.roar_epochs = 30;
  p.roar_fractions = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
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
          {"real digits train / test",
           (real_train ? s(real_train) : "8000") + " / " + (real_test ? s(real_test) : "2000")},
          {"VAE (beta-TCVAE, alpha 1, beta 6, gamma 1)", "k " + s(vae.latent_dim) + ", Adam lr " + vae_lr + ", batch " +
                                                          s(vae.batch_size) + ", " + s(vae.epochs) +
                                                          " epochs, dimension-wise KL annealed over " +
                                                          s(vae.anneal_steps) + " steps"},
          {"labeler", labeler.arch + ", " + training_summary(labeler_training(labeler))},
          {"MNIST32 train / test", s(mnist32_train) + " / " + s(mnist32_test)},
          {"standard LeNet", training_summary(standard)},
          {"adversarial LeNet", training_summary(adversarial)},
          {"Fashion-MNIST training / test images",
           (fashion_train ? s(fashion_train) : "60000") + " / " + (fashion_test ? s(fashion_test) : "10000")},
          {"autoencoder epochs / bottleneck", s(ae_epochs) + " / " + s(ae_latent)},
          {"MNIST256: tangent ranks of the upsampled decoder", [&] {
             std::string sizes;
             for (int64_t size : upsampled_sizes) sizes += (sizes.empty() ? "" : ", ") + s(size) + "x" + s(size);
             return sizes.empty() ? std::string("none") : sizes + " at " + s(upsampled_rank_points) + " test codes";
           }()},
          {"evaluation points per data set", s(eval_points)},
          {"IG", "zero base-point, 50 Gauss-Legendre steps"},
          {"SmoothGrad", "25 samples, sigma 0.02 (absolute, [0,1] pixels)"},
          {"TAIG points / max iterations", s(taig_points) + " / " + s(taig_iterations)},
          {"further methods (Grad-CAM, ..., latent IG): points", s(further_points)},
          {"faithfulness metrics (standard model): points / of them with max sensitivity",
           s(faithfulness_points) + " / " + s(sensitivity_points)},
          {"ROAR (MNIST32): methods, train / test points, epochs, fractions",
           roar_train > 0 ? s(roar_methods) + " + random + tangent mass, " + s(roar_train) + " / " + s(roar_test) +
                                ", " + s(roar_epochs) + ", " + [this] {
             std::string f;
             for (double v : roar_fractions) {
               char b[16];
               std::snprintf(b, sizeof b, "%g", v);
               f += (f.empty() ? "" : " ") + std::string(b);
             }
             return f;
           }()
                          : "not run"}};
}

}  // namespace mxai::experiments
