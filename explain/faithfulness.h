// Captum's faithfulness metrics of an explanation (captum.metrics): infidelity (Yeh et al. 2019) and max
// sensitivity. Both explain the target logit, like the attribution methods.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "autodiff/random.h"
#include "explain/attribution.h"

namespace mxai::explain {

// input (N,...) -> a perturbation I of the same shape; the perturbed input is x - I (Captum's convention).
using PerturbationFn = std::function<Tensor(const Tensor& input, Generator& gen)>;

// I ~ N(0, stdev^2) per entry: the perturbation of Captum's infidelity example (stdev 0.003).
PerturbationFn gaussian_perturbation(real stdev = real(0.003));

struct InfidelitySettings {
  int n_perturb_samples = 10;  // Captum's default
  // Captum's normalize: scale the attributions by the beta minimising the error,
  // beta = E[I·a (F(x) - F(x - I))] / E[(I·a)^2], before measuring it.
  bool normalize = false;
};

// input (N,...), its attributions (N,...) -> N values E_I[(I·a - (F(x) - F(x - I)))^2], the mean over
// n_perturb_samples draws of `perturb` (from `gen`, one call per sample).
std::vector<double> infidelity(const Model& model, const PerturbationFn& perturb, const Tensor& input,
                               const Tensor& attributions, Generator& gen, const Targets& target = {},
                               const InfidelitySettings& settings = {});

struct SensitivitySettings {
  real perturb_radius = real(0.02);  // Captum's default
  int n_perturb_samples = 10;        // Captum's default
};

// input (N,...) -> N values max_s ||A(x + e_s) - A(x)|| / ||A(x)|| (Frobenius norms; the denominator taken as 1
// where A(x) = 0, as Captum), e_s ~ U[-r, r] per entry drawn from `gen`. `target` is passed to every call of
// `explain`: give the resolved classes (resolve_targets) so that every draw explains the class of the clean input;
// empty lets `explain` pick the predicted class at each perturbed input.
std::vector<double> sensitivity_max(const AttributionFn& explain, const Tensor& input, Generator& gen,
                                    const Targets& target, const SensitivitySettings& settings = {});

}  // namespace mxai::explain
