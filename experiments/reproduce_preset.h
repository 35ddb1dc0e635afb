// The knobs of `mxai reproduce`, in three presets: `quick` (the README's main command: every stage, smaller, under
// 20 minutes on 2 cores), `reference` (every setting of Bordt et al.'s code that is known; docs/presets.md lists
// them beside ours, with each deviation and its reason) and `smoke` (toy sizes, for the tests).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "experiments/classifier_training.h"
#include "experiments/manifold_stages.h"

namespace mxai::experiments {

struct ReproducePreset {
  std::string name;

  // MNIST32: the generated data set with exact tangent spaces. The stages take their seed and quiet from the run.
  VaeStageOptions vae;           // beta-TCVAE on the 8,000 real npm digits (32x32)
  LabelerStageOptions labeler;   // trained on the VAE's reconstructions of the real digits
  int64_t mnist32_train = 0, mnist32_test = 0;

  // Classifiers (LeNet) on both data sets; seed and quiet come from the run.
  TrainClassifierOptions standard, adversarial;

  // Fashion-MNIST: a convolutional autoencoder estimates the manifold; classifiers see reconstructions.
  int64_t fashion_train = 0;      // training images used (0: all 60,000)
  int64_t ae_epochs = 0;
  int64_t ae_latent = 0;

  // Evaluation.
  int64_t eval_points = 0;        // test points scored per data set and model
  int64_t taig_points = 0;        // test points given an optimised base-point
  int64_t taig_iterations = 0;
  int64_t example_rows = 6;       // rows of the example heat-map figures

  std::vector<std::pair<std::string, std::string>> describe() const;
};

// "quick", "reference" or "smoke"; throws Error for anything else.
ReproducePreset reproduce_preset(const std::string& name);
std::vector<std::string> reproduce_preset_names();

}  // namespace mxai::experiments
