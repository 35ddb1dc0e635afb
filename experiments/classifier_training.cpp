#include "experiments/classifier_training.h"

#include <cstdio>
#include <limits>
#include <utility>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "datasets/data_loader.h"
#include "experiments/progress.h"
#include "explain/pgd.h"
#include "nn/classifiers.h"
#include "nn/losses.h"
#include "nn/lr_scheduler.h"
#include "nn/model_file.h"
#include "nn/optim.h"

namespace mxai::experiments {

namespace {

int64_t metadata_int(const nn::Metadata& m, const std::string& key, const std::string& path) {
  return nn::metadata_integer(m, key, path, "classifier", "mxai train-classifier");
}

std::unique_ptr<nn::Optimizer> make_optimizer(const TrainClassifierOptions& o, std::vector<Tensor> params) {
  if (o.optimizer == "sgd") return std::make_unique<nn::SGD>(std::move(params), nn::SGDOptions{o.lr});
  nn::AdamOptions adam;
  adam.lr = o.lr;
  return std::make_unique<nn::Adam>(std::move(params), adam);
}

std::unique_ptr<nn::LRScheduler> make_schedule(const TrainClassifierOptions& o, nn::Optimizer& optimizer) {
  if (o.schedule == "cosine") return std::make_unique<nn::CosineAnnealingLR>(optimizer, o.epochs);
  if (o.schedule == "step") return std::make_unique<nn::StepLR>(optimizer, o.lr_step, o.lr_gamma);
  if (o.schedule == "multistep") return std::make_unique<nn::MultiStepLR>(optimizer, o.lr_milestones, o.lr_gamma);
  return nullptr;  // constant
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// The rows of a global batch this rank trains on; with one rank, the batch itself.
struct RankBatch {
  Tensor images;                // (n,C,H,W)
  std::vector<int64_t> labels;  // n
  int64_t rows = 0;
  double loss_weight = 1;       // n / the global batch's rows
};

RankBatch rank_share(const Batch& batch, const nn::DataParallel& parallel, nn::Module& model) {
  if (!parallel.active()) return {batch.images, batch.labels, static_cast<int64_t>(batch.labels.size()), 1.0};
  const int64_t global = static_cast<int64_t>(batch.labels.size());
  const nn::RowRange mine = parallel.rows(global);
  nn::set_dropout_first_row(model, mine.begin);
  RankBatch out;
  out.rows = mine.count;
  out.loss_weight = parallel.loss_weight(global);
  if (mine.count > 0) out.images = narrow(batch.images, 0, mine.begin, mine.count);
  out.labels.assign(batch.labels.begin() + mine.begin, batch.labels.begin() + mine.begin + mine.count);
  return out;
}

}  // namespace

void validate(const TrainClassifierOptions& o) {
  if (o.optimizer != "adam" && o.optimizer != "sgd")
    throw Error("unknown optimizer '" + o.optimizer + "' (known: adam, sgd)");
  if (o.schedule != "cosine" && o.schedule != "step" && o.schedule != "multistep" && o.schedule != "constant")
    throw Error("unknown learning-rate schedule '" + o.schedule + "' (known: cosine, step, multistep, constant)");
  if (o.epochs < 1 || o.batch_size < 1 || !(o.lr > 0))
    throw Error("classifier training needs epochs >= 1, batch size >= 1 and lr > 0, got " + std::to_string(o.epochs) +
                ", " + std::to_string(o.batch_size) + ", " + number(o.lr));
  if (o.schedule == "step" && o.lr_step < 1)
    throw Error("StepLR needs a step of at least 1 epoch, got " + std::to_string(o.lr_step));
  if (o.schedule == "multistep" && o.lr_milestones.empty())
    throw Error("the multistep schedule needs at least one milestone epoch");
  for (double eps : o.adv_eps_choices)
    if (!(eps > 0)) throw Error("adversarial radii must be positive, got " + number(eps));
  if (o.adversarial() && o.adv_steps < 1)
    throw Error("adversarial training needs at least 1 PGD step, got " + std::to_string(o.adv_steps));
}

std::string training_summary(const TrainClassifierOptions& o) {
  std::string s = std::string(o.optimizer == "sgd" ? "SGD" : "Adam") + " lr " + number(o.lr) + ", batch " +
                  std::to_string(o.batch_size) + ", ";
  if (o.schedule == "step") {
    s += "StepLR(" + std::to_string(o.lr_step) + ", " + number(o.lr_gamma) + ")";
  } else if (o.schedule == "multistep") {
    std::string m;
    for (int64_t e : o.lr_milestones) m += (m.empty() ? "" : ",") + std::to_string(e);
    s += "MultiStepLR([" + m + "], " + number(o.lr_gamma) + ")";
  } else {
    s += o.schedule;
  }
  s += ", " + std::to_string(o.epochs) + " epochs";
  if (!o.adversarial()) return s;
  std::string eps = number(o.adv_eps);
  if (!o.adv_eps_choices.empty()) {
    eps.clear();
    for (double e : o.adv_eps_choices) eps += (eps.empty() ? "" : ",") + number(e);
    eps = "drawn per batch from {" + eps + "}";
  }
  return s + "; l2 PGD eps " + eps + ", " + std::to_string(o.adv_steps) + " steps of 2.5 eps / " +
         std::to_string(o.adv_steps) + ", " + (o.adv_whole_batch_norms ? "whole-batch" : "per-example") + " norms" +
         (o.adv_random_start ? ", random start" : "") + (o.adv_attack_in_train_mode ? ", attack in train mode" : "") +
         (o.adv_clamp ? "" : ", no clamp");
}

TrainedClassifier train_classifier(const Dataset& train, const TrainClassifierOptions& o) {
  validate(o);
  auto model = nn::make_classifier(o.arch, train.channels(), train.height(), train.width(), train.num_classes, o.seed);
  std::unique_ptr<nn::Optimizer> optimizer_owner = make_optimizer(o, model->parameters());
  nn::Optimizer& optimizer = *optimizer_owner;
  std::unique_ptr<nn::LRScheduler> schedule = make_schedule(o, optimizer);
  DataLoader loader(train, {o.batch_size, /*shuffle=*/true, /*drop_last=*/false, o.seed});
  Generator attack_gen(o.seed ^ 0x5eedULL);
  const explain::Model as_function = [&](const Tensor& x) { return model->forward(x); };
  const std::string what =
      !o.what.empty() ? o.what
                      : "training " + o.arch + " on " + train.name + (o.adversarial() ? " (adversarial)" : "");
  const real no_bound = std::numeric_limits<real>::infinity();

  for (int64_t epoch = 0; epoch < o.epochs; ++epoch) {
    Progress progress("epoch " + std::to_string(epoch + 1) + "/" + std::to_string(o.epochs), loader.num_batches(),
                      o.quiet, Progress::LogLines::FinalOnly);
    double loss_sum = 0;
    int64_t correct = 0, seen = 0, batch_index = 0;
    for (const Batch& full_batch : loader.epoch(epoch)) {
      const RankBatch batch = rank_share(full_batch, o.parallel, *model);
      // Every rank draws the batch's eps, so the generator stays in step across ranks.
      const double eps = o.adv_eps_choices.empty() ? o.adv_eps
                                                   : o.adv_eps_choices[attack_gen.below(o.adv_eps_choices.size())];
      optimizer.zero_grad();
      // [batch loss, correct, rows]: this rank's parts, summed over the ranks below in one message.
      double step_totals[3] = {0, 0, 0};
      Tensor loss;
      if (batch.rows > 0) {
        Tensor images = batch.images;
        if (o.adversarial()) {
          // Our default attacks the model as it will be evaluated (no dropout); the reference attacks it in train
          // mode.
          model->train(o.adv_attack_in_train_mode);
          images = explain::pgd_l2(as_function, images, batch.labels, static_cast<real>(eps),
                                   static_cast<real>(2.5 * eps / static_cast<double>(o.adv_steps)),
                                   static_cast<int>(o.adv_steps), o.adv_random_start, attack_gen,
                                   o.adv_clamp ? real(0) : -no_bound, o.adv_clamp ? real(1) : no_bound,
                                   o.adv_whole_batch_norms ? explain::PgdNorms::WholeBatchReference
                                                           : explain::PgdNorms::PerExample);
        }
        model->train();
        const Tensor logits = model->forward(images);
        loss = nn::cross_entropy(logits, batch.labels);
        if (o.parallel.active()) loss = loss * static_cast<real>(batch.loss_weight);
        const std::vector<int64_t> predicted = argmax(logits, 1);
        for (size_t i = 0; i < predicted.size(); ++i) step_totals[1] += predicted[i] == batch.labels[i];
        step_totals[0] = loss.item();
        step_totals[2] = static_cast<double>(predicted.size());
      }
      if (o.parallel.active()) o.parallel.sum_doubles(step_totals, 3);
      const double loss_value = step_totals[0];
      nn::check_loss_finite(loss_value, what, epoch + 1, o.epochs, batch_index + 1, loader.num_batches(),
                            optimizer.lr());
      if (loss.defined()) loss.backward();
      o.parallel.sum_gradients(model->parameters());
      optimizer.step();
      if (o.on_step) o.on_step(epoch * loader.num_batches() + batch_index + 1, loss_value);

      correct += static_cast<int64_t>(step_totals[1]);
      seen += static_cast<int64_t>(step_totals[2]);
      loss_sum += loss_value * step_totals[2];
      char metrics[96];
      std::snprintf(metrics, sizeof metrics, "loss %.4f acc %.2f%%", loss_sum / seen, 100.0 * correct / seen);
      progress.update(++batch_index, metrics);
    }
    char metrics[128];
    std::snprintf(metrics, sizeof metrics, "loss %.4f train acc %.2f%% lr %.2g", loss_sum / seen,
                  100.0 * correct / seen, optimizer.lr());
    progress.finish(metrics);
    if (schedule) schedule->step();
  }
  o.parallel.average_buffers(*model);  // per-rank BatchNorm statistics (docs/distributed.md) made one model's
  model->eval();

  TrainedClassifier result{model, {}, train.height()};
  result.metadata = {{"format", "mxai-classifier"},
                     {"arch", o.arch},
                     {"in_channels", std::to_string(train.channels())},
                     {"height", std::to_string(train.height())},
                     {"width", std::to_string(train.width())},
                     {"num_classes", std::to_string(train.num_classes)},
                     {"train_data", train.name},
                     {"epochs", std::to_string(o.epochs)},
                     {"adv_eps", std::to_string(o.adv_eps)},
                     {"training", training_summary(o)},
                     {"seed", std::to_string(o.seed)}};
  return result;
}

double classification_accuracy(nn::Module& model, const Dataset& data, bool quiet) {
  NoGradGuard no_grad;
  model.eval();
  DataLoader loader(data, {256, /*shuffle=*/false, /*drop_last=*/false, 0});
  Progress progress("evaluating", loader.num_batches(), quiet);
  int64_t correct = 0, index = 0;
  for (const Batch& batch : loader.epoch(0)) {
    const std::vector<int64_t> predicted = argmax(model.forward(batch.images), 1);
    for (size_t i = 0; i < predicted.size(); ++i) correct += predicted[i] == batch.labels[i];
    progress.update(++index);
  }
  progress.finish();
  return data.size() ? static_cast<double>(correct) / static_cast<double>(data.size()) : 0.0;
}

TrainedClassifier load_classifier(const std::string& path) {
  const nn::SafetensorsContents file = nn::load_safetensors(path);
  const nn::Metadata& m = file.metadata;
  auto arch = m.find("arch");
  if (arch == m.end())
    throw Error("'" + path + "' is not an mxai classifier file: its metadata has no 'arch' (saved by `mxai train-classifier`?)");
  const int64_t height = metadata_int(m, "height", path);
  auto model = nn::make_classifier(arch->second, metadata_int(m, "in_channels", path), height,
                                   metadata_int(m, "width", path), metadata_int(m, "num_classes", path), 0);
  nn::load_module(*model, path);
  model->eval();
  return {model, m, height};
}

}  // namespace mxai::experiments
