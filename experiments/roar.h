// ROAR, RemOve And Retrain (Hooker et al. 2019), as in Bordt et al.'s mnist-32-ROAR notebook: each method ranks
// the pixels of every training and test image by |attribution|; the top fraction is set to 0 in both; a LeNet is
// retrained from scratch on the modified training images and tested on the modified test images. A ranking that
// finds the pixels the task needs makes the accuracy fall fastest. Two rankings without a model serve as
// references: random order, and the tangent space's per-pixel mass t(p) = sum_j U_pj^2 (spec section 1).
#pragma once

#include <string>
#include <vector>

#include "datasets/dataset.h"
#include "experiments/attribution_methods.h"
#include "experiments/classifier_training.h"
#include "experiments/results.h"

namespace mxai::experiments {

// images (N,C,H,W), importance of the same shape -> a copy with each image's round(fraction * C*H*W) most important
// entries set to 0 (ties broken by the lower index, so the result is deterministic). fraction in [0, 1].
Tensor remove_top_fraction(const Tensor& images, const Tensor& importance, double fraction);

struct RoarRanking {
  std::string key, label;
  Tensor train_importance;  // (N_train,C,H,W): larger is removed first
  Tensor test_importance;   // (N_test,C,H,W)
};

// The per-pixel tangent mass of bases (N,D,k') as images of `shape` (N,C,H,W): the projector's diagonal.
Tensor tangent_mass(const Tensor& basis, const Shape& shape);

// The importance maps of `keys` (|attribution| of the model's predicted class, computed with settings and
// contexts: *_context.latents has one row per image) for the training and the test images, then "random" (uniform
// noise drawn from settings.seed) and, when both bases (N,D,k') are given, "tangent_mass".
std::vector<RoarRanking> roar_rankings(const explain::Model& model, const std::vector<std::string>& keys,
                                       const Tensor& train_images, const Tensor& test_images,
                                       const Tensor& train_basis, const Tensor& test_basis,
                                       const MethodSettings& settings, const MethodContext& train_context,
                                       const MethodContext& test_context, bool quiet);

struct RoarSettings {
  std::vector<double> fractions = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  TrainClassifierOptions training;  // every retraining uses these (and so the same initial weights)
  bool quiet = false;
};

// Throws an Error unless the fractions start at 0 and increase within [0, 1]; run_roar checks them too, this lets a
// caller refuse them before the costly part.
void check_roar_fractions(const std::vector<double>& fractions);

// train, test: the data (images in [0,1]); rankings of their images -> the test accuracy of a LeNet retrained per
// ranking and fraction. Fraction 0 removes nothing, so one model serves every curve there. Progress over the
// retrainings unless quiet.
RoarResults run_roar(const Dataset& train, const Dataset& test, const std::vector<RoarRanking>& rankings,
                     const RoarSettings& settings);

}  // namespace mxai::experiments
