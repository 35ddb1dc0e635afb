// Data-parallel training as a training loop sees it: which rows of each global batch this process computes, and
// sums across the processes. A loop scales its loss on its rows by (its rows / batch rows), so the summed
// gradients are those of the whole batch's mean loss and every rank takes the same optimizer step: N ranks follow
// the one-process trajectory up to the order of floating-point sums. The default (one rank) changes nothing.
// experiments/distributed.h builds one over MPI; this layer knows nothing of MPI.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "nn/module.h"

namespace mxai::nn {

struct RowRange {
  int64_t begin = 0, count = 0;
};

struct DataParallel {
  int rank = 0;
  int ranks = 1;
  // Sum `count` values across all ranks in place (every rank receives the sums). Both must be set if ranks > 1.
  std::function<void(real* values, int64_t count)> sum_reals;
  std::function<void(double* values, int64_t count)> sum_doubles;

  bool active() const { return ranks > 1; }
  // This rank's contiguous share of a batch of `batch` rows; shares differ by at most one row.
  RowRange rows(int64_t batch) const;
  // The factor on this rank's mean loss: its rows / the batch's rows (1 with one rank).
  double loss_weight(int64_t batch) const;
  // Replaces every parameter's .grad by its sum over the ranks, in one message. A parameter without a gradient
  // on this rank (its rows were empty) contributes zeros.
  void sum_gradients(const std::vector<Tensor>& parameters) const;
  double sum(double value) const;
  // Averages the floating-point buffers (BatchNorm running statistics) over the ranks, so all ranks hold one model.
  void average_buffers(const Module& model) const;
};

// Tells every Dropout layer in `model` that its next inputs start at row `first_row` of the batch.
void set_dropout_first_row(Module& model, int64_t first_row);

}  // namespace mxai::nn
