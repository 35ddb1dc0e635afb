#include "nn/lr_scheduler.h"

#include <cmath>
#include <utility>

namespace mxai::nn {

LRScheduler::LRScheduler(Optimizer& optimizer) : optimizer_(optimizer), base_lr_(optimizer.lr()) {}

void LRScheduler::step() {
  ++epoch_;
  apply();
}

void LRScheduler::apply() { optimizer_.set_lr(lr_at(epoch_)); }

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t t_max, double eta_min_)
    : LRScheduler(optimizer), T_max(t_max), eta_min(eta_min_) {
  if (t_max < 1) throw Error("CosineAnnealingLR: T_max must be positive, got " + std::to_string(t_max));
  apply();
}

double CosineAnnealingLR::lr_at(int64_t epoch) const {
  return eta_min + (base_lr_ - eta_min) * (1 + std::cos(M_PI * static_cast<double>(epoch) / T_max)) / 2;
}

StepLR::StepLR(Optimizer& optimizer, int64_t step, double g) : LRScheduler(optimizer), step_size(step), gamma(g) {
  if (step < 1) throw Error("StepLR: step_size must be positive, got " + std::to_string(step));
  apply();
}

double StepLR::lr_at(int64_t epoch) const {
  return base_lr_ * std::pow(gamma, static_cast<double>(epoch / step_size));
}

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<int64_t> m, double g)
    : LRScheduler(optimizer), milestones(std::move(m)), gamma(g) {
  for (size_t i = 0; i < milestones.size(); ++i)
    if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1]))
      throw Error("MultiStepLR: milestones must be positive and increasing, got " + std::to_string(milestones[i]) +
                  " at position " + std::to_string(i));
  apply();
}

double MultiStepLR::lr_at(int64_t epoch) const {
  int64_t passed = 0;
  for (int64_t m : milestones) passed += epoch >= m;
  return base_lr_ * std::pow(gamma, static_cast<double>(passed));
}

}  // namespace mxai::nn
