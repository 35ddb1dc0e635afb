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
  int64_t real_train = 0, real_test = 0;  // real npm digits used (0: all 8,000 / 2,000)
  VaeStageOptions vae;           // beta-TCVAE on the real npm digits (32x32)
  LabelerStageOptions labeler;   // trained on the VAE's reconstructions of the real digits
  int64_t mnist32_train = 0, mnist32_test = 0;
  // MNIST256 (Bordt et al. section 2.3): the numeric tangent dimension of the decoder upsampled to these sizes,
  // at the first `upsampled_rank_points` test codes.
  std::vector<int64_t> upsampled_sizes;
  int64_t upsampled_rank_points = 0;

  // Classifiers (LeNet) on both data sets; seed and quiet come from the run.
  TrainClassifierOptions standard, adversarial;

  // Fashion-MNIST: a convolutional autoencoder estimates the manifold; classifiers see reconstructions.
  int64_t fashion_train = 0;      // training images used (0: all 60,000)
  int64_t fashion_test = 0;       // test images used (0: all 10,000)
  int64_t ae_epochs = 0;
  int64_t ae_latent = 0;

  // Evaluation.
  int64_t eval_points = 0;        // test points scored per data set and model
  int64_t taig_points = 0;        // test points given an optimised base-point
  int64_t taig_iterations = 0;
  int64_t example_rows = 6;       // rows of the example heat-map figures
  // The further methods (Grad-CAM, ..., latent IG; attribution_methods.h) on the first further_points evaluation
  // points (occlusion and latent IG cost about 0.5 s a point), and the faithfulness metrics of every method of the
  // standard model on the first faithfulness_points (max sensitivity, which re-explains 10 perturbed copies of a
  // point, on the first sensitivity_points).
  int64_t further_points = 0;
  int64_t faithfulness_points = 0;
  int64_t sensitivity_points = 0;  // of those, the first that get max sensitivity (the costly metric)
  // ROAR on MNIST32 (experiments/roar.h): LeNets retrained on roar_train generated points with the top fractions
  // of pixels removed, tested on roar_test; none when roar_train is 0.
  int64_t roar_train = 0, roar_test = 0, roar_epochs = 0;
  int64_t roar_methods = 4;  // the first of roar_method_keys() (cheapest first) that rank pixels
  std::vector<double> roar_fractions;

  std::vector<std::pair<std::string, std::string>> describe() const;
};

// "quick", "reference" or "smoke"; throws Error for anything else.
ReproducePreset reproduce_preset(const std::string& name);
std::vector<std::string> reproduce_preset_names();

}  // namespace mxai::experiments
