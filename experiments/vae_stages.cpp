// The VAE and labeler stages of experiments/manifold_stages.h.
#include <cstdio>
#include <memory>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "datasets/image_write.h"
#include "experiments/manifold_stages.h"
#include "experiments/progress.h"
#include "nn/model_file.h"
#include "vae/batching.h"

namespace mxai::experiments {

namespace {

constexpr const char* kVaeFormat = "mxai-burgess-vae";

int64_t metadata_int(const nn::Metadata& m, const std::string& key, const std::string& path) {
  return nn::metadata_integer(m, key, path, "VAE", "mxai train-vae");
}

// Per-epoch progress bars driven by the training loops' callbacks.
struct EpochProgress {
  bool quiet;
  std::unique_ptr<Progress> bar;
  void step(int64_t epoch, int64_t epochs, int64_t step, int64_t steps, const std::string& metrics) {
    if (step == 1)
      bar = std::make_unique<Progress>("epoch " + std::to_string(epoch) + "/" + std::to_string(epochs), steps, quiet,
                                       Progress::LogLines::FinalOnly);
    bar->update(step, metrics);
  }
  void finish(const std::string& metrics) {
    if (bar) bar->finish(metrics);
    bar.reset();
  }
};

// images (N,C,H,W) -> reconstructions decode(mu) (N,C,H,W), no graph, batches of 256.
Tensor vae_reconstructions(vae::BurgessVAE& model, const Tensor& images) {
  NoGradGuard no_grad;
  std::vector<Tensor> parts;
  const int64_t n = images.size(0);
  for (int64_t begin = 0; begin < n; begin += 256) {
    const Tensor x = vae::slice_rows(images, begin, std::min<int64_t>(256, n - begin));
    parts.push_back(model.decode(model.encode(x).first));
  }
  return parts.size() == 1 ? parts[0] : concat(parts, 0);
}

}  // namespace

TrainedVae train_vae_stage(const Dataset& train, const Dataset& test, const VaeStageOptions& o,
                           const std::string& out_path) {
  train.validate();
  vae::VaeTrainOptions t;
  t.epochs = o.epochs;
  t.what = "VAE training on " + train.name;
  t.seed = o.seed;
  t.anneal_steps = o.anneal_steps;
  t.lr = o.lr;
  t.batch_size = o.batch_size;
  if (o.loss == "btcvae") {
    t.objective = vae::VaeObjective::BetaTCVAE;
  } else if (o.loss == "betavae") {
    t.objective = vae::VaeObjective::BetaVAE;
  } else {
    throw Error("unknown VAE loss '" + o.loss + "' (known: btcvae, betavae)");
  }
  EpochProgress progress{o.quiet, nullptr};
  int64_t epoch = 1;
  t.on_step = [&](int64_t step, int64_t steps, double loss) {
    char metrics[64];
    std::snprintf(metrics, sizeof metrics, "loss %.2f", loss);
    progress.step(epoch, o.epochs, step, steps, metrics);
  };
  t.on_epoch = [&](const vae::VaeEpochStats& s) {
    char metrics[128];
    std::snprintf(metrics, sizeof metrics, "loss %.2f recon %.2f kl %.2f anneal %.2f", s.loss, s.reconstruction,
                  s.kl, s.anneal);
    progress.finish(metrics);
    ++epoch;
  };
  TrainedVae result;
  result.model = vae::train_vae(train.images, o.latent_dim, t);

  Generator elbo_gen(o.seed ^ 0xe1b0ULL);
  const vae::ElboEstimate elbo = vae::vae_elbo(*result.model, test.images, elbo_gen);
  result.metadata = {{"format", kVaeFormat},
                     {"arch", "burgess"},
                     {"channels", std::to_string(train.channels())},
                     {"image_size", std::to_string(train.height())},
                     {"latent_dim", std::to_string(o.latent_dim)},
                     {"loss", o.loss},
                     {"epochs", std::to_string(o.epochs)},
                     {"anneal_steps", std::to_string(o.anneal_steps)},
                     {"lr", std::to_string(o.lr)},
                     {"batch_size", std::to_string(o.batch_size)},
                     {"seed", std::to_string(o.seed)},
                     {"train_data", train.name},
                     {"test_data", test.name},
                     {"test_elbo", std::to_string(elbo.elbo)},
                     {"test_reconstruction", std::to_string(elbo.reconstruction)},
                     {"test_kl", std::to_string(elbo.kl)}};
  nn::save_module(*result.model, out_path, result.metadata);
  return result;
}

TrainedVae load_vae(const std::string& path) {
  const nn::Metadata m = nn::load_safetensors(path).metadata;
  auto format = m.find("format");
  if (format == m.end() || format->second != kVaeFormat)
    throw Error("'" + path + "' is not an mxai VAE file (metadata format should be '" + kVaeFormat + "', got '" +
                (format == m.end() ? std::string("none") : format->second) + "'; saved by `mxai train-vae`?)");
  Generator init(0);
  TrainedVae result;
  result.model = std::make_shared<vae::BurgessVAE>(metadata_int(m, "channels", path),
                                                   metadata_int(m, "image_size", path), init,
                                                   metadata_int(m, "latent_dim", path));
  result.metadata = nn::load_module(*result.model, path);
  result.model->eval();
  return result;
}

vae::Decoder vae_decoder(const std::shared_ptr<vae::BurgessVAE>& model) {
  return [model](const Tensor& z) { return model->decode(z); };
}

std::vector<std::string> write_vae_figures(vae::BurgessVAE& model, const Tensor& images, const std::string& prefix,
                                           uint64_t seed) {
  NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  const int64_t k = model.latent_dim;
  std::vector<std::string> paths = {prefix + "_samples.png", prefix + "_reconstructions.png",
                                    prefix + "_traversals.png"};
  Generator gen(seed);
  write_png_grid(paths[0], model.decode(randn({64, k}, gen)), 8);

  // Rows alternate originals and their reconstructions, 8 per row.
  const int64_t shown = std::min<int64_t>(32, images.size(0)) / 8 * 8;
  if (shown > 0) {
    const Tensor originals = vae::slice_rows(images, 0, shown);
    const Tensor recon = vae_reconstructions(model, originals);
    std::vector<Tensor> rows;
    for (int64_t r = 0; r < shown / 8; ++r) {
      rows.push_back(narrow(originals, 0, r * 8, 8));
      rows.push_back(narrow(recon, 0, r * 8, 8));
    }
    write_png_grid(paths[1], concat(rows, 0), 8);
  }

  // One row per latent: z = 0 except z_j swept over [-3, 3].
  constexpr int64_t steps = 9;
  std::vector<real> codes(static_cast<size_t>(k * steps * k), 0);
  for (int64_t j = 0; j < k; ++j)
    for (int64_t s = 0; s < steps; ++s)
      codes[static_cast<size_t>((j * steps + s) * k + j)] = static_cast<real>(-3.0 + 6.0 * s / (steps - 1));
  write_png_grid(paths[2], model.decode(Tensor::from({k * steps, k}, codes)), steps);
  model.train(was_training);
  return paths;
}

TrainClassifierOptions labeler_training(const LabelerStageOptions& o) {
  TrainClassifierOptions t;
  t.arch = o.arch;
  t.epochs = o.epochs;
  t.batch_size = o.batch_size;
  t.lr = o.lr;
  t.schedule = o.schedule;
  t.seed = o.seed;
  t.quiet = o.quiet;
  return t;
}

TrainedClassifier train_labeler_stage(vae::BurgessVAE& model, const Dataset& real_train, const Dataset& real_test,
                                      const LabelerStageOptions& o, const std::string& out_path) {
  Dataset train = real_train, test = real_test;
  train.images = vae_reconstructions(model, real_train.images);
  test.images = vae_reconstructions(model, real_test.images);
  train.name = real_train.name + "/vae-reconstructed";
  test.name = real_test.name + "/vae-reconstructed";
  TrainedClassifier labeler = train_classifier(train, labeler_training(o));
  labeler.metadata["test_accuracy"] = std::to_string(classification_accuracy(*labeler.model, test, true));
  labeler.metadata["role"] = "labeler";
  nn::save_module(*labeler.model, out_path, labeler.metadata);
  return labeler;
}

}  // namespace mxai::experiments
