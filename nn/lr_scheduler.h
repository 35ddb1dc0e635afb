// Learning-rate schedules stepped once per epoch, with torch.optim.lr_scheduler semantics: constructing one sets
// the optimizer's rate to the schedule's value at epoch 0 (the base rate), and each step() advances one epoch.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/optim.h"

namespace mxai::nn {

class LRScheduler {
 public:
  explicit LRScheduler(Optimizer& optimizer);
  virtual ~LRScheduler() = default;

  void step();  // epoch += 1, then the optimizer's rate = lr_at(epoch)
  int64_t last_epoch() const { return epoch_; }
  double base_lr() const { return base_lr_; }
  virtual double lr_at(int64_t epoch) const = 0;

 protected:
  void apply();  // sets the optimizer's rate for the current epoch; derived constructors call it once

  Optimizer& optimizer_;
  double base_lr_;
  int64_t epoch_ = 0;
};

// eta_min + (base - eta_min) (1 + cos(pi epoch / T_max)) / 2: PyTorch's closed form, which its recursive update
// reproduces while nothing else changes the rate. Past T_max the cosine keeps going, back up, as in PyTorch.
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min = 0);
  double lr_at(int64_t epoch) const override;
  const int64_t T_max;
  const double eta_min;
};

// base * gamma^floor(epoch / step_size).
class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);
  double lr_at(int64_t epoch) const override;
  const int64_t step_size;
  const double gamma;
};

// base * gamma^(number of milestones <= epoch): PyTorch's MultiStepLR. Milestones must be positive and increasing.
class MultiStepLR : public LRScheduler {
 public:
  MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma = 0.1);
  double lr_at(int64_t epoch) const override;
  const std::vector<int64_t> milestones;
  const double gamma;
};

}  // namespace mxai::nn
