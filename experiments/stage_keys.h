// What each training stage's options contribute to its cache key (experiments/stage_cache.h). A setting missing
// here could change a stage's output without invalidating the recorded one, so every field that shapes the
// result is keyed, the seed included; quiet is not (it changes no byte). The caller adds the inputs' hashes.
#pragma once

#include "experiments/classifier_training.h"
#include "experiments/manifold_stages.h"
#include "experiments/stage_cache.h"

namespace mxai::experiments {

// Architecture, optimizer, rate, batch, schedule, epochs and seed; the attack's settings only for adversarial
// training (they do not affect a standard model, so changing them must not retrain one).
void add_training_settings(StageKey& key, const TrainClassifierOptions& options);

// Latent size, epochs, loss, annealing, rate, batch and seed.
void add_vae_settings(StageKey& key, const VaeStageOptions& options);

// The labeler's architecture and training settings, and its seed.
void add_labeler_settings(StageKey& key, const LabelerStageOptions& options);

// The autoencoder's latent size, width, hidden size, epochs, batch, rate, loss and seed.
void add_autoencoder_settings(StageKey& key, const AutoencoderStageOptions& options);

}  // namespace mxai::experiments
