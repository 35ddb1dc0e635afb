// The generated-data-set stage of experiments/manifold_stages.h: sampling, tangent bases, the split files.
#include "experiments/manifold_stages.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "autodiff/graph.h"
#include "autodiff/resize.h"
#include "experiments/progress.h"
#include "experiments/shared_tangents.h"

namespace mxai::experiments {

namespace {

namespace fs = std::filesystem;

vae::ManifoldSample sample_split(vae::BurgessVAE& model, nn::Module& labeler, int64_t count, uint64_t seed,
                                 const ManifoldDatasetOptions& o, const std::string& what) {
  vae::SamplerOptions s;
  s.batch_size = o.batch_size;
  s.seed = seed;
  Progress progress("sampling " + what, count, o.quiet);
  s.on_progress = [&](int64_t accepted, int64_t) { progress.update(accepted); };
  const vae::Decoder decoder = [&](const Tensor& z) { return model.decode(z); };
  const vae::Labeler label = [&](const Tensor& x) { return labeler.forward(x); };
  vae::ManifoldSample sample = sample_manifold(decoder, label, model.latent_dim, count, s);
  char metrics[64];
  std::snprintf(metrics, sizeof metrics, "acceptance %.3f", sample.drawn ? double(count) / sample.drawn : 0.0);
  progress.finish(metrics);
  return sample;
}

}  // namespace

ManifoldDatasetFiles make_manifold_dataset(vae::BurgessVAE& model, nn::Module& labeler, const std::string& dir,
                                           const ManifoldDatasetOptions& o) {
  if (o.n_train < 1 || o.n_test < 1) throw Error("make_manifold_dataset: n_train and n_test must be >= 1");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create directory '" + dir + "': " + ec.message());
  model.eval();
  labeler.eval();
  ManifoldDatasetFiles files;
  files.train = (fs::path(dir) / "train.safetensors").string();
  files.test = (fs::path(dir) / "test.safetensors").string();
  const int64_t num_classes = 10;
  vae::SplitMetadata extra = {{"seed", std::to_string(o.seed)},
                              {"vae", o.vae_file},
                              {"labeler", o.labeler_file},
                              {"acceptance_rule", "u < max(softmax(labeler(decode(z))))^2"}};

  auto start = std::chrono::steady_clock::now();
  vae::ManifoldSample train = sample_split(model, labeler, o.n_train, o.seed, o, "train");
  vae::ManifoldSample test = sample_split(model, labeler, o.n_test, o.seed + 1, o, "test");
  files.seconds_sampling = seconds_since(start);
  files.acceptance = static_cast<double>(o.n_train + o.n_test) / static_cast<double>(train.drawn + test.drawn);

  start = std::chrono::steady_clock::now();
  vae::Decoder decoder = [&](const Tensor& z) { return model.decode(z); };
  if (o.image_size > 0) {
    // Labels were decided on the 32x32 decodes, as in the reference; images and tangents are of the composition.
    NoGradGuard no_grad;
    train.images = upsample_bilinear2d(train.images, o.image_size, o.image_size);
    test.images = upsample_bilinear2d(test.images, o.image_size, o.image_size);
    decoder = vae::upsampled_decoder(decoder, o.image_size, o.image_size);
    extra["upsampled_from"] = std::to_string(model.image_size);
  }
  add_shared_tangent_spaces(test, decoder);
  files.seconds_tangent = seconds_since(start);
  files.rank_histogram.assign(static_cast<size_t>(model.latent_dim + 1), 0);
  for (int64_t r : test.rank) ++files.rank_histogram.at(static_cast<size_t>(r));

  extra["split_seed"] = std::to_string(o.seed);
  vae::save_manifold_split(files.train, train, "train", num_classes, extra);
  extra["split_seed"] = std::to_string(o.seed + 1);
  vae::save_manifold_split(files.test, test, "test", num_classes, extra);
  return files;
}

ManifoldSplit load_manifold_split(const std::string& path) {
  vae::LoadedManifoldSplit loaded = vae::load_manifold_split_file(path);
  ManifoldSplit split;
  split.data.name = path;
  split.data.images = loaded.sample.images;
  split.data.labels = std::move(loaded.sample.labels);
  split.data.num_classes = std::stoll(loaded.metadata.at("num_classes"));
  for (int64_t c = 0; c < split.data.num_classes; ++c) split.data.class_names.push_back(std::to_string(c));
  split.data.validate();
  split.z = loaded.sample.z;
  split.tangent = loaded.sample.tangent;
  split.rank = std::move(loaded.sample.rank);
  split.metadata = std::move(loaded.metadata);
  return split;
}

bool is_manifold_split_file(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  const std::optional<nn::Metadata> metadata = nn::peek_safetensors_metadata(path);
  return metadata && vae::is_manifold_split_metadata(*metadata);
}

std::string manifold_split_path(const std::string& data, const std::string& split) {
  std::error_code ec;
  if (fs::is_directory(data, ec)) {
    const std::string candidate = (fs::path(data) / (split + ".safetensors")).string();
    return is_manifold_split_file(candidate) ? candidate : "";
  }
  if (!is_manifold_split_file(data)) return "";
  const std::string sibling = (fs::path(data).parent_path() / (split + ".safetensors")).string();
  return is_manifold_split_file(sibling) ? sibling : "";
}

}  // namespace mxai::experiments
