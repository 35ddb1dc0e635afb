#include "experiments/reproduce_preset.h"

#include <cstdio>

#include "autodiff/tensor.h"

namespace mxai::experiments {

ReproducePreset reproduce_preset(const std::string& name) {
  ReproducePreset p;
  p.name = name;
  if (name == "quick") {
    p.vae_epochs = 30;
    p.labeler_epochs = 3;
    p.mnist32_train = 20000;
    p.mnist32_test = 2000;
    p.upsampled_sizes = {64, 256};
    p.upsampled_rank_points = 200;
    p.classifier_epochs = 4;
    p.adv_epochs = 2;
    p.adv_steps = 5;
    p.adv_eps = 2.0;
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
  } else if (name == "smoke") {
    // Every stage at toy size: checks the pipeline end to end in about a minute (tests/cli_reproduce.sh).
    // All 8,000 training digits: a VAE of fewer than ~100 steps decodes shapes its labeler cannot name, and the
    // generation then rejects ~99% of its codes (measured: 1,000 digits, one epoch: acceptance 0.012, 60 s).
    p.real_test = 500;
    p.vae_epochs = 1;
    p.labeler_epochs = 1;
    p.mnist32_train = 600;
    p.mnist32_test = 100;
    p.upsampled_sizes = {64};
    p.upsampled_rank_points = 10;
    p.classifier_epochs = 1;
    p.adv_epochs = 1;
    p.adv_steps = 2;
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
  } else if (name == "paper") {
    // Bordt et al.: 60,000 / 10,000 generated points, 10,000 evaluation points; LeNet 50 epochs (we stop at 15),
    // the robust LeNet 15 epochs of l2 PGD with 100 steps (eps drawn from {1,4,8}; we fix eps 2 per example).
    p.vae_epochs = 200;
    p.labeler_epochs = 5;
    p.mnist32_train = 60000;
    p.mnist32_test = 10000;
    p.upsampled_sizes = {256};
    p.upsampled_rank_points = 1000;
    p.classifier_epochs = 15;
    p.adv_epochs = 15;
    p.adv_steps = 20;
    p.adv_eps = 2.0;
    p.fashion_train = 0;
    p.ae_epochs = 30;
    p.ae_latent = 16;
    p.eval_points = 10000;
    p.taig_points = 1000;
    p.taig_iterations = 300;
    p.further_points = 1000;
    p.faithfulness_points = 1000;
    p.sensitivity_points = 100;
    // Bordt et al.'s ROAR: fractions 0, 0.1, ..., 0.9 of the pixels, LeNet retrained on the generated training set.
    p.roar_train = 60000;
    p.roar_test = 10000;
    p.roar_epochs = 5;
    p.roar_fractions = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  } else {
    throw Error("unknown preset '" + name + "' (known: quick, paper, smoke)");
  }
  return p;
}

std::vector<std::pair<std::string, std::string>> ReproducePreset::describe() const {
  auto s = [](int64_t v) { return std::to_string(v); };
  char eps[32];
  std::snprintf(eps, sizeof eps, "%g", adv_eps);
  return {{"preset", name},
          {"real digits train / test", (real_train ? s(real_train) : "8000") + " / " + (real_test ? s(real_test) : "2000")},
          {"VAE epochs (beta-TCVAE, Adam 5e-4, batch 64)", s(vae_epochs)},
          {"VAE latent size k", s(vae_latent)},
          {"labeler epochs", s(labeler_epochs)},
          {"MNIST32 train / test", s(mnist32_train) + " / " + s(mnist32_test)},
          {"LeNet epochs (Adam 1e-3, cosine)", s(classifier_epochs)},
          {"adversarial LeNet", s(adv_epochs) + " epochs of l2 PGD, eps " + eps + " per example, " + s(adv_steps) +
                                    " steps of 2.5 eps / steps"},
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
