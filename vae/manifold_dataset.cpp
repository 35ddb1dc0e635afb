#include "vae/manifold_dataset.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/model_file.h"
#include "nn/safetensors.h"
#include "vae/batching.h"

namespace mxai::vae {

namespace {

constexpr const char* kFormat = "mxai-manifold-split";

// rows of `t` (N,...) whose flag is set, in order -> (count,...).
Tensor keep_rows(const Tensor& t, const std::vector<int64_t>& rows) { return gather_rows(t, rows, 0, static_cast<int64_t>(rows.size())); }

}  // namespace

std::vector<bool> accept_by_confidence(const Tensor& probabilities, const std::vector<double>& uniforms) {
  if (probabilities.dim() != 2 || static_cast<int64_t>(uniforms.size()) != probabilities.size(0))
    throw Error("accept_by_confidence: expected probabilities (N,K) and N uniforms, got " +
                shape_str(probabilities.shape()) + " and " + std::to_string(uniforms.size()));
  const int64_t n = probabilities.size(0), k = probabilities.size(1);
  const real* p = probabilities.data();
  std::vector<bool> accepted(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const double top = *std::max_element(p + i * k, p + (i + 1) * k);
    accepted[static_cast<size_t>(i)] = uniforms[static_cast<size_t>(i)] < top * top;
  }
  return accepted;
}

ManifoldSample sample_manifold(const Decoder& decoder, const Labeler& labeler, int64_t latent_dim, int64_t count,
                               const SamplerOptions& o) {
  if (latent_dim < 1 || count < 0 || o.batch_size < 1)
    throw Error("sample_manifold: need latent_dim >= 1, count >= 0, batch_size >= 1");
  NoGradGuard no_grad;
  Generator gen(o.seed);
  std::vector<Tensor> images, codes;
  ManifoldSample out;
  int64_t accepted = 0;
  for (int64_t round = 0; accepted < count; ++round) {
    if (round >= o.max_empty_rounds && accepted == 0)
      throw Error("sample_manifold: nothing accepted in " + std::to_string(o.max_empty_rounds * o.batch_size) +
                  " draws; is the labeler ever confident?");
    // All randomness of a round is drawn before any model runs, in a fixed order: codes, then uniforms.
    const Tensor z = randn({o.batch_size, latent_dim}, gen);
    std::vector<double> u(static_cast<size_t>(o.batch_size));
    for (double& v : u) v = gen.uniform();
    const Tensor x = decoder(z);
    if (x.dim() < 2 || x.size(0) != o.batch_size)
      throw Error("sample_manifold: the decoder returned " + shape_str(x.shape()) + " for z " + shape_str(z.shape()));
    const Tensor logits = labeler(x);
    if (logits.dim() != 2 || logits.size(0) != o.batch_size)
      throw Error("sample_manifold: the labeler returned " + shape_str(logits.shape()) + ", expected (" +
                  std::to_string(o.batch_size) + ",classes)");
    const Tensor p = softmax(logits, 1);
    const std::vector<bool> keep = accept_by_confidence(p, u);
    const std::vector<int64_t> label = argmax(p, 1);
    std::vector<int64_t> rows;
    for (int64_t i = 0; i < o.batch_size && accepted < count; ++i) {
      out.drawn = out.drawn + 1;
      if (!keep[static_cast<size_t>(i)]) continue;
      rows.push_back(i);
      out.labels.push_back(label[static_cast<size_t>(i)]);
      ++accepted;
    }
    if (!rows.empty()) {
      images.push_back(keep_rows(x, rows));
      codes.push_back(keep_rows(z, rows));
    }
    if (o.on_progress) o.on_progress(accepted, count);
  }
  if (images.empty()) {
    out.z = Tensor::zeros({0, latent_dim});
    return out;  // count == 0: shape of the images is unknown without a decode
  }
  out.images = images.size() == 1 ? images[0] : concat(images, 0);
  out.z = codes.size() == 1 ? codes[0] : concat(codes, 0);
  return out;
}

void add_tangent_spaces(ManifoldSample& sample, const Decoder& decoder, const TangentOptions& options) {
  add_tangent_spaces(sample, tangent_basis(decoder, sample.z, options));
}

void add_tangent_spaces(ManifoldSample& sample, const TangentSpace& t) {
  const int64_t n = sample.z.size(0), k = sample.z.size(1);
  sample.rank = t.rank;
  const int64_t d = t.basis.size(1), kp = t.basis.size(2);
  if (kp == k) {
    sample.tangent = t.basis;
    return;
  }
  // tangent_basis drops columns no point needs; the file keeps all k so its layout does not depend on the data.
  sample.tangent = Tensor::zeros({n, d, k});
  const real* src = t.basis.data();
  real* dst = sample.tangent.data();
  for (int64_t row = 0; row < n * d; ++row) std::memcpy(dst + row * k, src + row * kp, sizeof(real) * kp);
}

void save_manifold_split(const std::string& path, const ManifoldSample& s, const std::string& split,
                         int64_t num_classes, const SplitMetadata& extra) {
  if (!s.images.defined() || s.images.dim() != 4)
    throw Error("save_manifold_split: images must be (N,C,H,W) for '" + path + "'");
  const int64_t n = s.images.size(0), k = s.z.size(1), d = s.images.numel() / std::max<int64_t>(n, 1);
  nn::TensorMap tensors;
  std::map<std::string, nn::DType> dtypes;
  tensors["images"] = s.images;
  tensors["z"] = s.z;
  std::vector<real> labels(s.labels.begin(), s.labels.end());
  tensors["labels"] = Tensor::from({n}, labels);
  dtypes["labels"] = nn::DType::I64;
  nn::Metadata m = extra;
  m["format"] = kFormat;
  m["split"] = split;
  m["n"] = std::to_string(n);
  m["k"] = std::to_string(k);
  m["d"] = std::to_string(d);
  m["num_classes"] = std::to_string(num_classes);
  m["drawn"] = std::to_string(s.drawn);
  m["acceptance"] = std::to_string(s.drawn ? static_cast<double>(n) / static_cast<double>(s.drawn) : 0.0);
  if (s.tangent.defined()) {
    tensors["tangent"] = s.tangent;
    std::vector<real> rank(s.rank.begin(), s.rank.end());
    tensors["rank"] = Tensor::from({n}, rank);
    dtypes["rank"] = nn::DType::I64;
    const int64_t min_rank = s.rank.empty() ? k : *std::min_element(s.rank.begin(), s.rank.end());
    m["min_rank"] = std::to_string(min_rank);
    m["rank_deficient"] = std::to_string(std::count_if(s.rank.begin(), s.rank.end(), [&](int64_t r) { return r < k; }));
    m["tangent_layout"] = "(N,d,k) orthonormal columns, zero beyond rank";
  }
  nn::save_safetensors(path, tensors, m, dtypes);
}

namespace {

// A count or size from the metadata, in [min, 2^31) so that products of them (n * d) cannot overflow.
int64_t metadata_int(const SplitMetadata& m, const std::string& key, const std::string& path, int64_t min = 1) {
  auto it = m.find(key);
  if (it == m.end()) throw Error("'" + path + "': manifold split metadata has no '" + key + "'");
  return nn::metadata_integer(m, key, path, "manifold split", "mxai make-manifold-dataset", min,
                              std::numeric_limits<int32_t>::max());
}

const Tensor& require(const nn::SafetensorsContents& c, const std::string& name, const std::string& path) {
  auto it = c.tensors.find(name);
  if (it == c.tensors.end()) throw Error("'" + path + "': manifold split has no tensor '" + name + "'");
  return it->second;
}

void expect_shape(const Tensor& t, const Shape& expected, const std::string& name, const std::string& path) {
  if (t.shape() != expected)
    throw Error("'" + path + "': tensor '" + name + "' should be " + shape_str(expected) + ", got " +
                shape_str(t.shape()));
}

std::vector<int64_t> integers(const nn::SafetensorsContents& c, const std::string& name, const std::string& path) {
  const nn::DType dt = c.dtypes.at(name);
  if (dt != nn::DType::I64 && dt != nn::DType::I32)
    throw Error("'" + path + "': tensor '" + name + "' should hold integers (I64), got " + nn::dtype_name(dt));
  const Tensor& t = c.tensors.at(name);
  std::vector<int64_t> v(static_cast<size_t>(t.numel()));
  for (int64_t i = 0; i < t.numel(); ++i) v[static_cast<size_t>(i)] = static_cast<int64_t>(std::llround(t.data()[i]));
  return v;
}

}  // namespace

bool is_manifold_split_metadata(const std::map<std::string, std::string>& metadata) {
  auto format = metadata.find("format");
  return format != metadata.end() && format->second == kFormat;
}

LoadedManifoldSplit load_manifold_split_file(const std::string& path, bool require_tangent) {
  const nn::SafetensorsContents c = nn::load_safetensors(path);
  LoadedManifoldSplit out;
  out.metadata = c.metadata;
  auto format = c.metadata.find("format");
  if (format == c.metadata.end() || format->second != kFormat)
    throw Error("'" + path + "' is not a manifold split (metadata format should be '" + kFormat + "', got '" +
                (format == c.metadata.end() ? std::string("none") : format->second) +
                "'; made by `mxai make-manifold-dataset`?)");
  nn::check_finite(c, path);
  const int64_t n = metadata_int(c.metadata, "n", path, 0), k = metadata_int(c.metadata, "k", path),
                d = metadata_int(c.metadata, "d", path), classes = metadata_int(c.metadata, "num_classes", path);
  ManifoldSample& s = out.sample;
  s.images = require(c, "images", path);
  if (s.images.dim() != 4 || s.images.size(0) != n || s.images.numel() != n * d)
    throw Error("'" + path + "': tensor 'images' should be (" + std::to_string(n) + ",C,H,W) with C*H*W = " +
                std::to_string(d) + ", got " + shape_str(s.images.shape()));
  s.z = require(c, "z", path);
  expect_shape(s.z, {n, k}, "z", path);
  expect_shape(require(c, "labels", path), {n}, "labels", path);
  s.labels = integers(c, "labels", path);
  for (int64_t label : s.labels)
    if (label < 0 || label >= classes)
      throw Error("'" + path + "': label " + std::to_string(label) + " outside [0," + std::to_string(classes) + ")");
  s.drawn = c.metadata.count("drawn") ? metadata_int(c.metadata, "drawn", path, 0) : n;
  const bool has_tangent = c.tensors.count("tangent") > 0;
  if (require_tangent && !has_tangent)
    throw Error("'" + path + "' has no tangent bases (only the test split of make-manifold-dataset has them)");
  if (has_tangent) {
    s.tangent = require(c, "tangent", path);
    expect_shape(s.tangent, {n, d, k}, "tangent", path);
    expect_shape(require(c, "rank", path), {n}, "rank", path);
    s.rank = integers(c, "rank", path);
  }
  return out;
}

}  // namespace mxai::vae
