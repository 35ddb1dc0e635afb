#include "experiments/explain_data.h"

#include <algorithm>
#include <filesystem>
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

bool wants(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

}  // namespace

std::string generator_vae_file(const std::string& split_file, const nn::Metadata& metadata, const std::string& given) {
  if (!given.empty()) return given;
  auto named = metadata.find("vae");
  if (named == metadata.end() || named->second.empty()) return "";
  namespace fs = std::filesystem;
  const fs::path recorded(named->second);
  if (fs::is_regular_file(recorded)) return recorded.string();
  if (recorded.is_absolute()) return "";
  fs::path dir = fs::path(split_file).parent_path();
  for (int up = 0; up < 3 && !dir.empty(); ++up, dir = dir.parent_path())
    if (fs::is_regular_file(dir / recorded)) return (dir / recorded).string();
  return "";
}

ExplainData load_explain_data(const std::string& data, const std::string& split, int64_t n, int64_t image_size,
                              const std::string& autoencoder, const std::string& vae) {
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
    out.latents = n > 0 && n < loaded.data.size() ? narrow(loaded.z, 0, 0, n) : loaded.z;
    out.generator_vae = generator_vae_file(split_file, loaded.metadata, vae);
    return out;
  }
  LoadOptions load;
  load.image_size = image_size;
  const Dataset raw = first_points(load_dataset(data, split, load), n);
  if (!vae.empty()) throw Error("--vae is for a generated split; " + data + " is a registry data set");
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
  out.decoder = autoencoder_decoder(ae.model);
  out.basis = shared_tangent_basis(out.decoder, z).basis;
  out.latents = z;
  out.tangent_source = "autoencoder " + autoencoder;
  return out;
}

MethodContext method_context(const ExplainData& data, const std::shared_ptr<nn::Module>& model,
                             const std::vector<std::string>& keys, const std::string& gradcam_layer) {
  MethodContext context;
  if (wants(keys, "gradcam") || wants(keys, "guided_gradcam")) context.split = layer_split(model, gradcam_layer);
  if (!wants(keys, "latent_ig")) return context;
  if (data.decoder) {
    context.decoder = data.decoder;
  } else if (!data.generator_vae.empty()) {
    const TrainedVae vae = load_vae(data.generator_vae);
    if (vae.model->latent_dim != data.latents.shape()[1])
      throw Error(data.generator_vae + ": latent_ig needs a VAE with the split's " +
                  std::to_string(data.latents.shape()[1]) + "-dimensional codes, this one has " +
                  std::to_string(vae.model->latent_dim));
    context.decoder = vae_decoder(vae.model);
  } else {
    throw Error("latent_ig needs a decoder: pass --vae FILE (the VAE that generated the split) or, for real data, "
                "--autoencoder FILE");
  }
  context.latents = data.latents;
  return context;
}

}  // namespace mxai::experiments
