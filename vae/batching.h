// Mini-batches over a plain image tensor for the training loops in vae/ (which must not depend on datasets/):
// a seeded shuffle per epoch and row gathering.
#pragma once

#include <cstdint>
#include <vector>

#include "autodiff/random.h"
#include "autodiff/tensor.h"

namespace mxai::vae {

// (n) a Fisher-Yates permutation of 0..n-1 drawn from `gen`.
std::vector<int64_t> shuffled_indices(int64_t n, Generator& gen);

// rows (N,...) at indices[begin, begin+count) -> (count,...), a copy without a graph.
Tensor gather_rows(const Tensor& rows, const std::vector<int64_t>& indices, int64_t begin, int64_t count);

// rows (N,...) -> rows [begin, begin+count) (count,...), a copy without a graph.
Tensor slice_rows(const Tensor& rows, int64_t begin, int64_t count);

}  // namespace mxai::vae
