// torch.nn.Dropout with an explicit random stream: in training mode each entry is zeroed with probability p and
// the rest scaled by 1/(1-p); in eval mode it is the identity. The masks depend only on the Generator's seed and
// on how many masks it has drawn, so a run is reproducible.
#pragma once

#include <memory>

#include "autodiff/random.h"
#include "nn/module.h"

namespace mxai::nn {

class Dropout : public Module {
 public:
  // Owns a Generator seeded with `seed`.
  explicit Dropout(real p = real(0.5), uint64_t seed = 0);
  // Draws from a Generator shared with the caller (e.g. one stream for all dropout layers of a model).
  Dropout(real p, std::shared_ptr<Generator> generator);

  // (N,...) -> (N,...)
  Tensor forward(const Tensor& x) override;
  // The same, drawing the mask from `gen` instead of the module's generator.
  Tensor forward(const Tensor& x, Generator& gen);
  std::string type_name() const override { return "Dropout"; }

  Generator& generator() { return *generator_; }
  // The next inputs are rows [first_row, first_row + N) of a batch split across data-parallel ranks: each rank
  // masks its rows as one process masks the whole batch (nn/data_parallel.h sets it; 0 otherwise).
  void set_first_row(int64_t first_row) { first_row_ = first_row; }
  const real p;

 private:
  std::shared_ptr<Generator> generator_;
  int64_t first_row_ = 0;
};

// torch.nn.Dropout2d: in training mode each whole channel of each example is zeroed with probability p and the
// rest scaled by 1/(1-p); identity in eval mode. Same stream semantics as Dropout.
class Dropout2d : public Module {
 public:
  explicit Dropout2d(real p = real(0.5), uint64_t seed = 0);

  // (N,C,H,W) -> (N,C,H,W)
  Tensor forward(const Tensor& x) override;
  std::string type_name() const override { return "Dropout2d"; }

  Generator& generator() { return generator_; }
  const real p;

 private:
  Generator generator_;
};

}  // namespace mxai::nn
