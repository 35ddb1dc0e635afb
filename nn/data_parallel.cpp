#include "nn/data_parallel.h"

#include "nn/dropout.h"

namespace mxai::nn {

namespace {

void check_connected(const DataParallel& dp) {
  if (dp.active() && (!dp.sum_reals || !dp.sum_doubles))
    throw Error("DataParallel: " + std::to_string(dp.ranks) + " ranks but no way to sum across them");
}

}  // namespace

RowRange DataParallel::rows(int64_t batch) const {
  const int64_t begin = batch * rank / ranks, end = batch * (rank + 1) / ranks;
  return {begin, end - begin};
}

double DataParallel::loss_weight(int64_t batch) const {
  return batch > 0 ? static_cast<double>(rows(batch).count) / static_cast<double>(batch) : 0.0;
}

void DataParallel::sum_gradients(const std::vector<Tensor>& parameters) const {
  if (!active()) return;
  check_connected(*this);
  int64_t total = 0;
  for (const Tensor& p : parameters) total += p.numel();
  std::vector<real> packed(static_cast<size_t>(total), real(0));
  int64_t at = 0;
  for (const Tensor& p : parameters) {
    const Tensor g = p.grad();
    if (g.defined()) std::copy(g.data(), g.data() + g.numel(), packed.begin() + at);
    at += p.numel();
  }
  sum_reals(packed.data(), total);
  at = 0;
  for (const Tensor& p : parameters) {
    Tensor g = Tensor::empty(p.shape());
    std::copy(packed.begin() + at, packed.begin() + at + p.numel(), g.data());
    Tensor handle = p;  // a handle on the same parameter
    handle.set_grad(g);
    at += p.numel();
  }
}

double DataParallel::sum(double value) const {
  if (!active()) return value;
  check_connected(*this);
  sum_doubles(&value, 1);
  return value;
}

void DataParallel::average_buffers(const Module& model) const {
  if (!active()) return;
  check_connected(*this);
  for (const auto& [name, buffer] : model.named_buffers()) {
    Tensor b = buffer;  // shares storage with the module
    sum_reals(b.data(), b.numel());
    for (int64_t i = 0; i < b.numel(); ++i) b.data()[i] /= static_cast<real>(ranks);
  }
}

void set_dropout_first_row(Module& model, int64_t first_row) {
  if (auto* d = dynamic_cast<Dropout*>(&model)) d->set_first_row(first_row);
  for (const auto& [name, child] : model.named_children()) set_dropout_first_row(*child, first_row);
}

}  // namespace mxai::nn
