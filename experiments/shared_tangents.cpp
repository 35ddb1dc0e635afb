#include "experiments/shared_tangents.h"

#include <algorithm>
#include <cstring>

#include "autodiff/ops.h"
#include "experiments/distributed.h"

namespace mxai::experiments {

namespace {

// basis (n,d,kp) -> (n,d,k) with zero columns kp..k-1 (which change no projection).
Tensor widened(const Tensor& basis, int64_t k) {
  const int64_t n = basis.size(0), d = basis.size(1), kp = basis.size(2);
  if (kp == k) return basis;
  Tensor out = Tensor::zeros({n, d, k});
  for (int64_t row = 0; row < n * d; ++row)
    std::memcpy(out.data() + row * k, basis.data() + row * kp, sizeof(real) * static_cast<size_t>(kp));
  return out;
}

}  // namespace

vae::TangentSpace shared_tangent_basis(const vae::Decoder& decoder, const Tensor& z,
                                       const vae::TangentOptions& options) {
  if (distributed::ranks() == 1) return vae::tangent_basis(decoder, z, options);
  // Whole Jacobian chunks per rank, so each point's derivatives come from the same batched evaluation as in one
  // process.
  const nn::RowRange mine = distributed::shard(z.size(0), std::max<int64_t>(options.points_per_batch, 1));
  vae::TangentSpace part;
  if (mine.count > 0) part = vae::tangent_basis(decoder, narrow(z, 0, mine.begin, mine.count), options);
  // The ranks' bases may have different widths (k' is the largest rank among a rank's points): agree on the
  // widest. A rank without points knows neither width nor d: it sends zeros.
  const std::vector<double> shapes = distributed::gather(
      {part.basis.defined() ? static_cast<double>(part.basis.size(1)) : 0.0,
       part.basis.defined() ? static_cast<double>(part.basis.size(2)) : 0.0});
  int64_t d = 0, k = 0;
  for (size_t r = 0; r + 1 < shapes.size(); r += 2) {
    d = std::max(d, static_cast<int64_t>(shapes[r]));
    k = std::max(k, static_cast<int64_t>(shapes[r + 1]));
  }
  vae::TangentSpace all;
  all.basis = distributed::gather_rows(part.basis.defined() ? widened(part.basis, k) : Tensor(), {d, k});
  std::vector<double> ranks(part.rank.begin(), part.rank.end()), singular;
  for (const auto& s : part.singular_values) singular.insert(singular.end(), s.begin(), s.end());
  ranks = distributed::gather(ranks);
  singular = distributed::gather(singular);
  const size_t latent = static_cast<size_t>(z.size(1));
  for (size_t i = 0; i < ranks.size(); ++i) {
    all.rank.push_back(static_cast<int64_t>(ranks[i]));
    all.singular_values.emplace_back(singular.begin() + static_cast<std::ptrdiff_t>(i * latent),
                                     singular.begin() + static_cast<std::ptrdiff_t>((i + 1) * latent));
  }
  return all;
}

void add_shared_tangent_spaces(vae::ManifoldSample& sample, const vae::Decoder& decoder,
                               const vae::TangentOptions& options) {
  vae::add_tangent_spaces(sample, shared_tangent_basis(decoder, sample.z, options));
}

}  // namespace mxai::experiments
