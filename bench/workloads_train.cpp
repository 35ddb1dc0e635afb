// Training steps: LeNet classifier, Burgess VAE, and l2-PGD adversarial training of LeNet (torch_bench.py).
#include <memory>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "bench/workloads.h"
#include "explain/pgd.h"
#include "nn/classifiers.h"
#include "nn/losses.h"
#include "nn/optim.h"
#include "vae/burgess_vae.h"
#include "vae/vae_losses.h"

namespace mxai::bench {

namespace {

std::vector<int64_t> random_labels(int64_t n, Generator& gen) {
  std::vector<int64_t> y(static_cast<size_t>(n));
  for (auto& v : y) v = static_cast<int64_t>(gen.below(10));
  return y;
}

nn::AdamOptions adam_lr(double lr) {
  nn::AdamOptions o;
  o.lr = lr;
  return o;
}

// Everything a LeNet training workload holds across reps.
struct LeNetTraining {
  std::shared_ptr<nn::Module> model;
  std::unique_ptr<nn::Adam> opt;
  Tensor x;
  std::vector<int64_t> y;
};

std::shared_ptr<LeNetTraining> make_lenet_training(int64_t batch) {
  auto s = std::make_shared<LeNetTraining>();
  Generator gen(0);
  s->model = nn::make_classifier("lenet", 1, 32, 32, 10, 0);
  s->model->train();
  s->opt = std::make_unique<nn::Adam>(s->model->parameters(), adam_lr(1e-4));
  s->x = rand({batch, 1, 32, 32}, gen);
  s->y = random_labels(batch, gen);
  return s;
}

void train_step(LeNetTraining& s, const Tensor& x) {
  s.opt->zero_grad();
  nn::cross_entropy(s.model->forward(x), s.y).backward();
  s.opt->step();
}

}  // namespace

Workload setup_classifier_train_step() {
  const int64_t batch = 128, steps = 4;
  auto s = make_lenet_training(batch);
  return {[=] {
            for (int64_t i = 0; i < steps; ++i) train_step(*s, s->x);
          },
          double(batch * steps), "images/s", {}};
}

Workload setup_vae_train_step() {
  const int64_t batch = 128, steps = 10;
  struct State {
    std::unique_ptr<vae::BurgessVAE> vae;
    std::unique_ptr<nn::Adam> opt;
    Tensor x;
    Generator noise{1};
  };
  auto s = std::make_shared<State>();
  Generator gen(0);
  s->vae = std::make_unique<vae::BurgessVAE>(1, 32, gen, 10);
  s->vae->train();
  s->opt = std::make_unique<nn::Adam>(s->vae->parameters(), adam_lr(5e-4));
  s->x = rand({batch, 1, 32, 32}, gen);
  return {[=] {
            for (int64_t i = 0; i < steps; ++i) {
              s->opt->zero_grad();
              const auto out = s->vae->forward_full(s->x, s->noise);
              // BCE of the sigmoid output summed over pixels / B, plus the KL / B: the anchor's loss (logits form).
              vae::beta_vae_loss(out.logits, s->x, out.mu, out.logvar).total.backward();
              s->opt->step();
            }
          },
          double(batch * steps), "images/s", {}};
}

Workload setup_pgd_adversarial_train_step() {
  const int64_t batch = 128;
  const int steps = 7;
  const real eps = 2, step_size = real(2.5) * eps / steps;
  auto s = make_lenet_training(batch);
  auto gen = std::make_shared<Generator>(2);  // unused: no random start
  return {[=] {
            s->model->eval();  // attack without dropout
            const explain::Model model = [&](const Tensor& in) { return s->model->forward(in); };
            const Tensor xa = explain::pgd_l2(model, s->x, s->y, eps, step_size, steps, /*random_start=*/false, *gen);
            s->model->train();
            train_step(*s, xa);
          },
          double(batch), "images/s", {}};
}

}  // namespace mxai::bench
