#include "experiments/tangent_ranks.h"

#include <algorithm>

#include "autodiff/ops.h"

namespace mxai::experiments {

TangentRankHistogram tangent_rank_histogram(const vae::Decoder& decoder, const Tensor& z, int64_t height,
                                            int64_t width, int64_t points_per_chunk) {
  if (z.dim() != 2 || z.size(0) < 1)
    throw Error("tangent_rank_histogram: expected codes (N,k), got " + shape_str(z.shape()));
  const int64_t n = z.size(0), k = z.size(1);
  TangentRankHistogram h;
  h.height = height;
  h.width = width;
  h.counts.assign(static_cast<size_t>(k + 1), 0);
  h.mean_singular_values.assign(static_cast<size_t>(k), 0.0);
  for (int64_t begin = 0; begin < n; begin += points_per_chunk) {
    const int64_t count = std::min(points_per_chunk, n - begin);
    const vae::TangentSpace t = vae::tangent_basis(decoder, narrow(z, 0, begin, count));
    h.d = t.basis.size(1);
    for (int64_t r : t.rank) ++h.counts.at(static_cast<size_t>(r));
    for (const auto& values : t.singular_values)
      for (size_t j = 0; j < values.size() && j < h.mean_singular_values.size(); ++j)
        h.mean_singular_values[j] += values[0] > 0 ? values[j] / values[0] / static_cast<double>(n) : 0.0;
  }
  h.rcond = vae::reference_rcond(h.d, k);  // the rule tangent_basis applied, stated for the report
  return h;
}

}  // namespace mxai::experiments
