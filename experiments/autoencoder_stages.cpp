// The autoencoder stage of experiments/manifold_stages.h: the manifold estimate for real images.
#include <cstdio>
#include <memory>

#include "experiments/distributed.h"
#include "experiments/manifold_stages.h"
#include "experiments/progress.h"
#include "nn/model_file.h"

namespace mxai::experiments {

namespace {

constexpr const char* kAutoencoderFormat = "mxai-conv-autoencoder";

int64_t metadata_int(const nn::Metadata& m, const std::string& key, const std::string& path) {
  return nn::metadata_integer(m, key, path, "autoencoder", "mxai train-autoencoder");
}

}  // namespace

TrainedAutoencoder train_autoencoder_stage(const Dataset& train, const Dataset& test,
                                           const AutoencoderStageOptions& o, const std::string& out_path) {
  train.validate();
  vae::AutoencoderShape shape;
  shape.latent_dim = o.latent_dim;
  shape.width = o.width;
  shape.hidden = o.hidden;
  vae::AutoencoderTrainOptions t;
  t.epochs = o.epochs;
  t.batch_size = o.batch_size;
  t.lr = o.lr;
  t.seed = o.seed;
  t.what = "autoencoder training on " + train.name;
  t.parallel = distributed::data_parallel();
  if (o.loss == "mse") {
    t.loss = vae::ReconstructionLoss::MSE;
  } else if (o.loss == "l1") {
    t.loss = vae::ReconstructionLoss::L1;
  } else {
    throw Error("unknown autoencoder loss '" + o.loss + "' (known: mse, l1)");
  }
  std::unique_ptr<Progress> bar;
  int64_t epoch = 1;
  t.on_step = [&](int64_t step, int64_t steps, double loss) {
    if (step == 1)
      bar = std::make_unique<Progress>("epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs), steps,
                                       o.quiet, Progress::LogLines::FinalOnly);
    char metrics[48];
    std::snprintf(metrics, sizeof metrics, "loss %.5f", loss);
    bar->update(step, metrics);
  };
  t.on_epoch = [&](int64_t, int64_t, double loss, double) {
    char metrics[48];
    std::snprintf(metrics, sizeof metrics, "loss %.5f", loss);
    if (bar) bar->finish(metrics);
    bar.reset();
    ++epoch;
  };
  TrainedAutoencoder result;
  result.model = vae::train_autoencoder(train.images, shape, t);
  const double test_mse = vae::reconstruction_mse(*result.model, test.images);
  const vae::AutoencoderShape& s = result.model->shape;
  result.metadata = {{"format", kAutoencoderFormat},
                     {"channels", std::to_string(s.channels)},
                     {"image_size", std::to_string(s.image_size)},
                     {"latent_dim", std::to_string(s.latent_dim)},
                     {"width", std::to_string(s.width)},
                     {"hidden", std::to_string(s.hidden)},
                     {"loss", o.loss},
                     {"epochs", std::to_string(o.epochs)},
                     {"seed", std::to_string(o.seed)},
                     {"train_data", train.name},
                     {"test_data", test.name},
                     {"test_mse", std::to_string(test_mse)}};
  nn::save_module(*result.model, out_path, result.metadata);
  return result;
}

TrainedAutoencoder load_autoencoder(const std::string& path) {
  const nn::Metadata m = nn::load_safetensors(path).metadata;
  auto format = m.find("format");
  if (format == m.end() || format->second != kAutoencoderFormat)
    throw Error("'" + path + "' is not an mxai autoencoder file (metadata format should be '" + kAutoencoderFormat +
                "', got '" + (format == m.end() ? std::string("none") : format->second) +
                "'; saved by `mxai train-autoencoder`?)");
  vae::AutoencoderShape shape;
  shape.channels = metadata_int(m, "channels", path);
  shape.image_size = metadata_int(m, "image_size", path);
  shape.latent_dim = metadata_int(m, "latent_dim", path);
  shape.width = metadata_int(m, "width", path);
  shape.hidden = metadata_int(m, "hidden", path);
  Generator init(0);
  TrainedAutoencoder result;
  result.model = std::make_shared<vae::ConvAutoencoder>(shape, init);
  result.metadata = nn::load_module(*result.model, path);
  result.model->eval();
  return result;
}

Dataset reconstruct_dataset(vae::ConvAutoencoder& autoencoder, const Dataset& data) {
  Dataset out = data;
  out.images = vae::reconstruct(autoencoder, data.images);
  out.name = data.name + "/reconstructed";
  return out;
}

vae::Decoder autoencoder_decoder(const std::shared_ptr<vae::ConvAutoencoder>& autoencoder) {
  return [autoencoder](const Tensor& z) { return autoencoder->decode(z); };
}

}  // namespace mxai::experiments
