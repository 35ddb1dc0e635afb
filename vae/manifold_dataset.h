// The generated data set with a known manifold ("MNIST32", spec: manifold-hypothesis section 2.2): latent codes
// z ~ N(0, I_k) are decoded into images, a labelling classifier names each image, and the image is kept with
// probability max(softmax)^2, so ambiguous decodes are rare. Every image lies exactly on the decoder's image, and
// the tangent space at it is the column space of the decoder Jacobian at its z.
//
// File format: one safetensors file per split with
//   images  F32 (N,1,S,S)   decoded images in [0,1]
//   labels  I64 (N)         argmax of the labeler's softmax
//   z       F32 (N,k)       the latent code of each image
//   tangent F32 (N,d,k)     test split only: orthonormal tangent basis per image, d = C*S*S, columns ordered by
//                           decreasing singular value, zero columns beyond the point's rank; the layout
//                           explain/tangent_alignment.h takes
//   rank    I64 (N)         test split only: the numeric rank of each decoder Jacobian
// and metadata format = "mxai-manifold-split", split, k, d, n, seed, num_classes, acceptance (accepted / drawn),
// drawn, plus whatever the caller adds (the VAE and labeler files), and min_rank / rank_deficient (how many points
// have rank < k) for the test split.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "autodiff/random.h"
#include "vae/tangent_space.h"

namespace mxai::vae {

// images (N,C,H,W) -> logits (N,classes). Called without a graph.
using Labeler = std::function<Tensor(const Tensor&)>;

struct ManifoldSample {
  Tensor images;                // (N,C,H,W)
  std::vector<int64_t> labels;  // (N)
  Tensor z;                     // (N,k)
  int64_t drawn = 0;            // latent codes decoded to get N acceptances
  // Filled by add_tangent_spaces only:
  Tensor tangent;               // (N,d,k), zero-padded to k columns
  std::vector<int64_t> rank;    // (N)
};

struct SamplerOptions {
  int64_t batch_size = 512;  // codes decoded and labelled per round
  uint64_t seed = 0;
  // Give up (throw) after this many rounds without a single acceptance: a labeler that is never sure.
  int64_t max_empty_rounds = 1000;
  // Called after each round with the number accepted so far; may be empty.
  std::function<void(int64_t accepted, int64_t wanted)> on_progress;
};

// Rejection sampling: rounds of batch_size codes z ~ N(0, I_k) are decoded, labelled (p = softmax(logits)) and
// each accepted with probability max(p)^2, in draw order, until `count` are accepted (the surplus of the last
// round is dropped). Every random number comes from one Generator seeded with options.seed, drawn in a fixed
// order, so the result is a function of (seed, batch_size, the models) up to floating-point summation order.
// Throws if nothing is accepted in the first max_empty_rounds rounds.
ManifoldSample sample_manifold(const Decoder& decoder, const Labeler& labeler, int64_t latent_dim, int64_t count,
                               const SamplerOptions& options);

// The acceptance rule on its own: probabilities (N,K) rows summing to 1, uniforms u (N) in [0,1) ->
// accepted[n] = u[n] < max_k(p[n,k])^2.
std::vector<bool> accept_by_confidence(const Tensor& probabilities, const std::vector<double>& uniforms);

// Fills sample.tangent (N,d,k) and sample.rank from tangent_basis(decoder, sample.z).
void add_tangent_spaces(ManifoldSample& sample, const Decoder& decoder, const TangentOptions& options = {});
// The same from bases computed elsewhere (by tangent_basis on sample.z; e.g. in shares over MPI ranks).
void add_tangent_spaces(ManifoldSample& sample, const TangentSpace& t);

using SplitMetadata = std::map<std::string, std::string>;

// Writes the split atomically; `extra` metadata is added to the computed entries (format, split, k, d, n, ...).
void save_manifold_split(const std::string& path, const ManifoldSample& sample, const std::string& split,
                         int64_t num_classes, const SplitMetadata& extra = {});

struct LoadedManifoldSplit {
  ManifoldSample sample;     // tangent and rank present only if the file has them
  SplitMetadata metadata;
};
// Validates every tensor's shape and dtype against the others and the metadata; errors name the file, the tensor,
// the expected and the actual shape. `require_tangent`: a file without tangent bases is an error.
LoadedManifoldSplit load_manifold_split_file(const std::string& path, bool require_tangent = false);

// True if a safetensors file's metadata (nn::peek_safetensors_metadata) says the file is a split written by
// save_manifold_split.
bool is_manifold_split_metadata(const std::map<std::string, std::string>& metadata);

}  // namespace mxai::vae
