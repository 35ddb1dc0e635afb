#include "experiments/stage_keys.h"

#include <cstdio>

namespace mxai::experiments {

namespace {

template <typename T>
std::string joined(const std::vector<T>& values) {
  std::string s;
  for (const T& v : values) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(v));
    s += (s.empty() ? "" : ",") + std::string(buf);
  }
  return s;
}

}  // namespace

void add_training_settings(StageKey& key, const TrainClassifierOptions& o) {
  key.add("arch", o.arch)
      .add("epochs", o.epochs)
      .add("batch size", o.batch_size)
      .add("optimizer", o.optimizer)
      .add("lr", o.lr)
      .add("schedule", o.schedule)
      .add("seed", o.seed);
  if (o.schedule == "step") key.add("lr step", o.lr_step);
  if (o.schedule == "multistep") key.add("lr milestones", joined(o.lr_milestones));
  if (o.schedule == "step" || o.schedule == "multistep") key.add("lr gamma", o.lr_gamma);
  if (!o.adversarial()) return;
  key.add("adversarial eps", o.adv_eps)
      .add("adversarial eps choices", joined(o.adv_eps_choices))
      .add("adversarial steps", o.adv_steps)
      .add("adversarial whole-batch norms", o.adv_whole_batch_norms)
      .add("adversarial random start", o.adv_random_start)
      .add("adversarial attack in train mode", o.adv_attack_in_train_mode)
      .add("adversarial clamp", o.adv_clamp);
}

void add_vae_settings(StageKey& key, const VaeStageOptions& o) {
  key.add("latent size", o.latent_dim)
      .add("epochs", o.epochs)
      .add("loss", o.loss)
      .add("anneal steps", o.anneal_steps)
      .add("lr", o.lr)
      .add("batch size", o.batch_size)
      .add("seed", o.seed);
}

void add_labeler_settings(StageKey& key, const LabelerStageOptions& o) {
  key.add("arch", o.arch)
      .add("epochs", o.epochs)
      .add("batch size", o.batch_size)
      .add("lr", o.lr)
      .add("schedule", o.schedule)
      .add("seed", o.seed);
}

void add_autoencoder_settings(StageKey& key, const AutoencoderStageOptions& o) {
  key.add("latent size", o.latent_dim)
      .add("width", o.width)
      .add("hidden", o.hidden)
      .add("epochs", o.epochs)
      .add("batch size", o.batch_size)
      .add("lr", o.lr)
      .add("loss", o.loss)
      .add("seed", o.seed);
}

}  // namespace mxai::experiments
