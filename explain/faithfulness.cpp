#include "explain/faithfulness.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "autodiff/ops.h"
#include "explain/target.h"

namespace mxai::explain {

namespace {

void check_same_shape(const Tensor& a, const Tensor& b, const char* what) {
  if (a.shape() != b.shape())
    throw Error(std::string(what) + ": shapes " + shape_str(a.shape()) + " and " + shape_str(b.shape()) + " differ");
}

}  // namespace

PerturbationFn gaussian_perturbation(real stdev) {
  return [stdev](const Tensor& input, Generator& gen) { return randn(input.shape(), gen) * stdev; };
}

std::vector<double> infidelity(const Model& model, const PerturbationFn& perturb, const Tensor& input,
                               const Tensor& attributions, Generator& gen, const Targets& target,
                               const InfidelitySettings& settings) {
  check_same_shape(input, attributions, "infidelity");
  if (settings.n_perturb_samples < 1) throw Error("infidelity: n_perturb_samples must be >= 1");
  const int64_t n = input.size(0), features = input.numel() / n;
  const Targets targets = resolve_targets(model, input, target);
  const std::vector<double> clean = target_logit_values(model, input, targets, n);
  // Per example, the three sums Captum aggregates: (I·a)^2, I·a * dF, dF^2.
  std::vector<double> aa(static_cast<size_t>(n), 0.0), af(static_cast<size_t>(n), 0.0), ff(static_cast<size_t>(n), 0.0);
  for (int s = 0; s < settings.n_perturb_samples; ++s) {
    const Tensor perturbation = perturb(input, gen);
    check_same_shape(input, perturbation, "infidelity perturbation");
    const std::vector<double> perturbed = target_logit_values(model, sub(input, perturbation), targets, n);
    for (int64_t i = 0; i < n; ++i) {
      double dot = 0;
      for (int64_t f = 0; f < features; ++f)
        dot += static_cast<double>(perturbation.data()[i * features + f]) * attributions.data()[i * features + f];
      const double drop = clean[static_cast<size_t>(i)] - perturbed[static_cast<size_t>(i)];
      aa[static_cast<size_t>(i)] += dot * dot;
      af[static_cast<size_t>(i)] += dot * drop;
      ff[static_cast<size_t>(i)] += drop * drop;
    }
  }
  std::vector<double> values(static_cast<size_t>(n));
  for (size_t i = 0; i < values.size(); ++i) {
    const double beta = settings.normalize ? (aa[i] != 0 ? af[i] / aa[i] : 0.0) : 1.0;
    values[i] = (beta * beta * aa[i] - 2 * beta * af[i] + ff[i]) / settings.n_perturb_samples;
  }
  return values;
}

std::vector<double> sensitivity_max(const AttributionFn& explain, const Tensor& input, Generator& gen,
                                    const Targets& target, const SensitivitySettings& settings) {
  if (settings.n_perturb_samples < 1 || settings.perturb_radius < 0)
    throw Error("sensitivity_max: need n_perturb_samples >= 1 and perturb_radius >= 0");
  const int64_t n = input.size(0), features = input.numel() / n;
  const Tensor reference = explain(input, target);
  check_same_shape(input, reference, "sensitivity_max");
  std::vector<double> reference_norm(static_cast<size_t>(n), 0.0), worst(static_cast<size_t>(n), 0.0);
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int64_t f = 0; f < features; ++f) s += std::pow(static_cast<double>(reference.data()[i * features + f]), 2);
    reference_norm[static_cast<size_t>(i)] = s > 0 ? std::sqrt(s) : 1.0;
  }
  for (int s = 0; s < settings.n_perturb_samples; ++s) {
    const Tensor noisy = add(input, rand(input.shape(), gen, -settings.perturb_radius, settings.perturb_radius));
    const Tensor perturbed = explain(noisy, target);
    for (int64_t i = 0; i < n; ++i) {
      double d = 0;
      for (int64_t f = 0; f < features; ++f)
        d += std::pow(static_cast<double>(perturbed.data()[i * features + f]) - reference.data()[i * features + f], 2);
      worst[static_cast<size_t>(i)] = std::max(worst[static_cast<size_t>(i)], std::sqrt(d) / reference_norm[static_cast<size_t>(i)]);
    }
  }
  return worst;
}

}  // namespace mxai::explain
