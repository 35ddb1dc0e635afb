// Reductions. sum over axes is sum_to plus a reshape; max is a gather at the argmax; logsumexp, log_softmax and
// softmax are compositions, so none of them needs a backward of its own.
#include <algorithm>
#include <cmath>
#include <set>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

namespace mxai {

namespace {

int64_t normalize_axis(int64_t axis, const Tensor& x, const char* op) {
  const int64_t a = axis < 0 ? axis + x.dim() : axis;
  if (a < 0 || a >= x.dim())
    throw Error(std::string(op) + ": axis " + std::to_string(axis) + " out of range for shape " + shape_str(x.shape()));
  return a;
}

// The shape with reduced axes set to 1 (keepdim) and with them removed.
std::pair<Shape, Shape> reduced_shapes(const Tensor& x, const std::vector<int64_t>& axes, const char* op) {
  std::set<int64_t> reduce;
  for (int64_t a : axes) reduce.insert(normalize_axis(a, x, op));
  Shape keep = x.shape(), drop;
  for (int64_t i = 0; i < x.dim(); ++i) {
    if (reduce.count(i)) keep[i] = 1;
    else drop.push_back(x.shape()[i]);
  }
  return {keep, drop};
}

}  // namespace

Tensor sum(const Tensor& x) {
  const real* p = x.data();
  const int64_t n = x.numel();
  double total = 0;  // double accumulator: float sums of large tensors drift
#pragma omp parallel for reduction(+ : total) if (n > (1 << 16))
  for (int64_t i = 0; i < n; ++i) total += p[i];
  return record("sum", {x}, Tensor::scalar(static_cast<real>(total)), [](const BackwardArgs& c) {
    return std::vector<Tensor>{expand(c.gout, c.inputs[0].shape())};
  });
}

Tensor sum(const Tensor& x, std::vector<int64_t> axes, bool keepdim) {
  auto [keep, drop] = reduced_shapes(x, axes, "sum");
  Tensor s = sum_to(x, keep);
  return keepdim ? s : reshape(s, drop);
}

Tensor mean(const Tensor& x) {
  if (x.numel() == 0) throw Error("mean of an empty tensor of shape " + shape_str(x.shape()));
  return sum(x) / static_cast<real>(x.numel());
}

Tensor mean(const Tensor& x, std::vector<int64_t> axes, bool keepdim) {
  auto [keep, drop] = reduced_shapes(x, axes, "mean");
  const int64_t count = x.numel() / std::max<int64_t>(shape_numel(keep), 1);
  return sum(x, axes, keepdim) / static_cast<real>(count);
}

std::vector<int64_t> argmax(const Tensor& x, int64_t axis) {
  const int64_t a = normalize_axis(axis, x, "argmax");
  const int64_t size = x.shape()[a];
  if (size == 0) throw Error("argmax over an empty axis of shape " + shape_str(x.shape()));
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < a; ++i) outer *= x.shape()[i];
  for (int64_t i = a + 1; i < x.dim(); ++i) inner *= x.shape()[i];
  std::vector<int64_t> result(outer * inner);
  const real* p = x.data();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      const real* base = p + o * size * inner + j;
      int64_t best = 0;
      for (int64_t k = 1; k < size; ++k)
        if (base[k * inner] > base[best * inner] || std::isnan(base[k * inner])) best = k;
      result[o * inner + j] = best;
    }
  return result;
}

Tensor max(const Tensor& x, int64_t axis, bool keepdim) {
  const int64_t a = normalize_axis(axis, x, "max");
  const std::vector<int64_t> best = argmax(x, a);
  int64_t inner = 1;
  for (int64_t i = a + 1; i < x.dim(); ++i) inner *= x.shape()[i];
  auto flat = std::make_shared<std::vector<int64_t>>(best.size());
  const int64_t size = x.shape()[a];
  for (size_t r = 0; r < best.size(); ++r) {
    const int64_t o = static_cast<int64_t>(r) / inner, j = static_cast<int64_t>(r) % inner;
    (*flat)[r] = (o * size + best[r]) * inner + j;
  }
  auto [keep, drop] = reduced_shapes(x, {a}, "max");
  return gather_flat(x, flat, keepdim ? keep : drop);
}

Tensor logsumexp(const Tensor& x, int64_t axis, bool keepdim) {
  // Shifting by the (constant) maximum keeps exp in range; the shift cancels in value and in gradient.
  const Tensor m = max(x.detach(), axis, /*keepdim=*/true);
  Tensor y = log(sum(exp(x - m), {axis}, /*keepdim=*/true)) + m;
  return keepdim ? y : reshape(y, reduced_shapes(x, {axis}, "logsumexp").second);
}

Tensor log_softmax(const Tensor& x, int64_t axis) { return x - logsumexp(x, axis, /*keepdim=*/true); }

Tensor softmax(const Tensor& x, int64_t axis) { return exp(log_softmax(x, axis)); }

}  // namespace mxai
