#include "nn/dropout.h"

#include "autodiff/ops.h"

namespace mxai::nn {

namespace {

real checked_probability(real p) {
  if (!(p >= 0 && p < 1)) throw Error("Dropout: probability must be in [0, 1), got " + std::to_string(p));
  return p;
}

}  // namespace

Dropout::Dropout(real p, uint64_t seed) : p(checked_probability(p)), generator_(std::make_shared<Generator>(seed)) {}

Dropout::Dropout(real p, std::shared_ptr<Generator> generator) : p(checked_probability(p)), generator_(std::move(generator)) {
  if (!generator_) throw Error("Dropout: null generator");
}

Tensor Dropout::forward(const Tensor& x) { return forward(x, *generator_); }

Tensor Dropout::forward(const Tensor& x, Generator& gen) { return dropout(x, p, is_training(), gen, first_row_); }

Dropout2d::Dropout2d(real p, uint64_t seed) : p(checked_probability(p)), generator_(seed) {}

Tensor Dropout2d::forward(const Tensor& x) {
  if (x.dim() != 4) throw Error("Dropout2d: expected (N,C,H,W), got shape " + shape_str(x.shape()));
  if (!is_training() || p == 0) return x;
  // One mask entry per (example, channel), broadcast over the pixels: the inverted-dropout mask of a ones tensor.
  const Tensor mask = dropout(Tensor::ones({x.size(0), x.size(1), 1, 1}), p, true, generator_);
  return x * mask;
}

}  // namespace mxai::nn
