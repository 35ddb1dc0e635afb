#include "vae/batching.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <utility>

namespace mxai::vae {

std::vector<int64_t> shuffled_indices(int64_t n, Generator& gen) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  for (int64_t i = n - 1; i > 0; --i)
    std::swap(order[static_cast<size_t>(i)], order[gen.below(static_cast<uint64_t>(i + 1))]);
  return order;
}

Tensor gather_rows(const Tensor& rows, const std::vector<int64_t>& indices, int64_t begin, int64_t count) {
  Shape shape = rows.shape();
  const int64_t n = shape.at(0), row = n ? rows.numel() / n : 0;
  shape[0] = count;
  Tensor out = Tensor::empty(shape);
  const real* src = rows.data();
  real* dst = out.data();
  for (int64_t i = 0; i < count; ++i) {
    const int64_t r = indices.at(static_cast<size_t>(begin + i));
    if (r < 0 || r >= n) throw Error("gather_rows: index " + std::to_string(r) + " out of range for " +
                                     std::to_string(n) + " rows");
    std::memcpy(dst + i * row, src + r * row, sizeof(real) * static_cast<size_t>(row));
  }
  return out;
}

Tensor slice_rows(const Tensor& rows, int64_t begin, int64_t count) {
  Shape shape = rows.shape();
  const int64_t n = shape.at(0), row = n ? rows.numel() / n : 0;
  if (begin < 0 || count < 0 || begin + count > n)
    throw Error("slice_rows: rows [" + std::to_string(begin) + ", " + std::to_string(begin + count) +
                ") out of range for " + std::to_string(n));
  shape[0] = count;
  Tensor out = Tensor::empty(shape);
  std::memcpy(out.data(), rows.data() + begin * row, sizeof(real) * static_cast<size_t>(count * row));
  return out;
}

}  // namespace mxai::vae
