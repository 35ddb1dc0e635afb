#include "experiments/explain_data.h"

#include <numeric>

#include "autodiff/ops.h"
#include "datasets/registry.h"
#include "experiments/manifold_stages.h"
#include "experiments/shared_tangents.h"

namespace mxai::experiments {

namespace {

Dataset first_points(const Dataset& data, int64_t n) {
  if (n <= 0 || n >= data.size()) return data;
  std::vector<int64_t> idx(static_cast<size_t>(n));
  std::iota(idx.begin(), idx.end(), 0);
  return data.subset(idx);
}

}  // namespace

ExplainData load_explain_data(const std::string& data, const std::string& split, int64_t n, int64_t image_size,
                              const std::string& autoencoder) {
  ExplainData out;
  const std::string split_file = manifold_split_path(data, split);
  if (!split_file.empty()) {
    if (!autoencoder.empty()) throw Error("--autoencoder is for real data; " + split_file + " has exact tangents");
    const ManifoldSplit loaded = load_manifold_split(split_file);
    out.data = first_points(loaded.data, n);
    if (loaded.tangent.defined()) {
      out.basis = n > 0 && n < loaded.data.size() ? narrow(loaded.tangent, 0, 0, n) : loaded.tangent;
      out.tangent_source = "exact (generated data, " + split_file + ")";
    }
    return out;
  }
  LoadOptions load;
  load.image_size = image_size;
  const Dataset raw = first_points(load_dataset(data, split, load), n);
  if (autoencoder.empty()) {
    out.data = raw;
    return out;
  }
  const TrainedAutoencoder ae = load_autoencoder(autoencoder);
  if (ae.model->shape.image_size != raw.height() || ae.model->shape.channels != raw.channels())
    throw Error(autoencoder + ": autoencoder expects " + std::to_string(ae.model->shape.channels) + "x" +
                std::to_string(ae.model->shape.image_size) + "x" + std::to_string(ae.model->shape.image_size) +
                " images, " + data + " has " + std::to_string(raw.channels()) + "x" + std::to_string(raw.height()) +
                "x" + std::to_string(raw.width()));
  out.data = reconstruct_dataset(*ae.model, raw);
  const Tensor z = vae::encode_all(*ae.model, raw.images);
  out.basis = shared_tangent_basis(autoencoder_decoder(ae.model), z).basis;
  out.tangent_source = "autoencoder " + autoencoder;
  return out;
}

}  // namespace mxai::experiments
