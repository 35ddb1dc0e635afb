// The presets of `mxai reproduce` and the path of their settings into the training stages: the reference preset
// holds the reference code's settings, every setting reaches the stage that uses it, and changing any one of them
// invalidates that stage through its cache key.
#include <catch2/catch.hpp>

#include <functional>

#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "experiments/reproduce_common.h"
#include "experiments/reproduce_preset.h"
#include "experiments/stage_keys.h"
#include "nn/safetensors.h"
#include "test_datasets_helpers.h"

using namespace mxai;
using namespace mxai::experiments;
using mxai_test::TempDir;

namespace {

Dataset toy_dataset(int64_t n, uint64_t seed) {
  Generator gen(seed);
  Dataset data;
  data.name = "toy";
  data.images = rand({n, 1, 32, 32}, gen);
  for (int64_t i = 0; i < n; ++i) data.labels.push_back(i % 10);
  data.num_classes = 10;
  return data;
}

std::string training_digest(const TrainClassifierOptions& o) {
  StageKey key;
  add_training_settings(key, o);
  return key.digest();
}

}  // namespace

TEST_CASE("the reference preset holds the reference code's settings (spec 2.1-2.5)", "[experiments][preset]") {
  const ReproducePreset p = reproduce_preset("reference");
  CHECK(p.name == "reference");
  CHECK(p.vae.epochs == 400);
  CHECK(p.vae.anneal_steps == 10000);
  CHECK(p.vae.lr == 5e-4);
  CHECK(p.vae.batch_size == 64);
  CHECK(p.vae.loss == "btcvae");
  CHECK(p.vae.latent_dim == 10);
  CHECK(p.labeler.arch == "simplenet");
  CHECK(p.labeler.epochs == 5);
  CHECK(p.labeler.batch_size == 64);
  CHECK(p.labeler.lr == 1e-3);
  CHECK(p.labeler.schedule == "constant");
  CHECK(p.mnist32_train == 60000);
  CHECK(p.mnist32_test == 10000);
  CHECK(training_summary(p.standard) == "Adam lr 0.001, batch 32, StepLR(10, 0.1), 50 epochs");
  CHECK(training_summary(p.adversarial) ==
        "SGD lr 0.1, batch 100, MultiStepLR([4], 0.1), 15 epochs; l2 PGD eps drawn per batch from {1,4,8}, 100 steps "
        "of 2.5 eps / 100, whole-batch norms, random start, attack in train mode, no clamp");
  CHECK(p.eval_points == 10000);

  // The quick preset keeps its settings (the README's numbers were measured with them).
  const ReproducePreset q = reproduce_preset("quick");
  CHECK(training_summary(q.standard) == "Adam lr 0.001, batch 128, cosine, 4 epochs");
  CHECK(training_summary(q.adversarial) ==
        "Adam lr 0.001, batch 128, cosine, 2 epochs; l2 PGD eps 2, 5 steps of 2.5 eps / 5, per-example norms");
  CHECK(q.labeler.arch == "lenet");
  CHECK_THROWS_WITH(reproduce_preset("paper"), Catch::Contains("known: quick, reference, smoke"));
  CHECK(reproduce_preset_names() == std::vector<std::string>{"quick", "reference", "smoke"});
}

TEST_CASE("a preset's settings reach the stage options, with the run's seed", "[experiments][preset]") {
  ReproduceContext ctx;
  ctx.preset = reproduce_preset("reference");
  ctx.seed = 7;
  ctx.quiet = true;
  const TrainClassifierOptions standard = classifier_stage_options(ctx, false);
  const TrainClassifierOptions adversarial = classifier_stage_options(ctx, true);
  CHECK(training_summary(standard) == training_summary(ctx.preset.standard));
  CHECK(training_summary(adversarial) == training_summary(ctx.preset.adversarial));
  CHECK(standard.seed == 7);
  CHECK(adversarial.seed == 8);
  CHECK(adversarial.quiet);
  CHECK(vae_stage_options(ctx).anneal_steps == 10000);
  CHECK(vae_stage_options(ctx).seed == 7);
  CHECK(labeler_stage_options(ctx).arch == "simplenet");
  CHECK(labeler_training(labeler_stage_options(ctx)).schedule == "constant");
  CHECK(labeler_training(labeler_stage_options(ctx)).batch_size == 64);
}

TEST_CASE("every training setting is in the stage key; attack settings only for adversarial training",
          "[experiments][preset][stage_cache]") {
  TrainClassifierOptions adversarial = reproduce_preset("reference").adversarial;
  const std::vector<std::pair<std::string, std::function<void(TrainClassifierOptions&)>>> changes = {
      {"arch", [](auto& o) { o.arch = "vgg"; }},
      {"epochs", [](auto& o) { o.epochs += 1; }},
      {"batch size", [](auto& o) { o.batch_size += 1; }},
      {"optimizer", [](auto& o) { o.optimizer = "adam"; }},
      {"lr", [](auto& o) { o.lr *= 2; }},
      {"schedule", [](auto& o) { o.schedule = "cosine"; }},
      {"milestones", [](auto& o) { o.lr_milestones = {5}; }},
      {"gamma", [](auto& o) { o.lr_gamma = 0.5; }},
      {"seed", [](auto& o) { o.seed += 1; }},
      {"eps", [](auto& o) { o.adv_eps = 3; }},
      {"eps choices", [](auto& o) { o.adv_eps_choices = {1, 4}; }},
      {"steps", [](auto& o) { o.adv_steps = 50; }},
      {"whole-batch norms", [](auto& o) { o.adv_whole_batch_norms = false; }},
      {"random start", [](auto& o) { o.adv_random_start = false; }},
      {"train mode", [](auto& o) { o.adv_attack_in_train_mode = false; }},
      {"clamp", [](auto& o) { o.adv_clamp = true; }},
  };
  const std::string before = training_digest(adversarial);
  for (const auto& [what, change] : changes) {
    TrainClassifierOptions changed = adversarial;
    change(changed);
    INFO(what);
    CHECK(training_digest(changed) != before);
  }
  TrainClassifierOptions step = reproduce_preset("reference").standard;
  TrainClassifierOptions step_changed = step;
  step_changed.lr_step = 5;
  CHECK(training_digest(step_changed) != training_digest(step));
  // A standard model ignores the attack, so its key does too.
  TrainClassifierOptions standard_changed = step;
  standard_changed.adv_steps = 3;
  standard_changed.adv_clamp = false;
  CHECK(training_digest(standard_changed) == training_digest(step));

  const VaeStageOptions vae = reproduce_preset("reference").vae;
  const auto vae_digest = [](const VaeStageOptions& o) {
    StageKey key;
    add_vae_settings(key, o);
    return key.digest();
  };
  for (const auto& change : std::vector<std::function<void(VaeStageOptions&)>>{
           [](auto& o) { o.epochs = 30; }, [](auto& o) { o.anneal_steps = 1000; }, [](auto& o) { o.lr = 1e-3; },
           [](auto& o) { o.batch_size = 128; }, [](auto& o) { o.loss = "betavae"; }, [](auto& o) { o.latent_dim = 8; },
           [](auto& o) { o.seed = 3; }}) {
    VaeStageOptions changed = vae;
    change(changed);
    CHECK(vae_digest(changed) != vae_digest(vae));
  }
  const LabelerStageOptions labeler = reproduce_preset("reference").labeler;
  const auto labeler_digest = [](const LabelerStageOptions& o) {
    StageKey key;
    add_labeler_settings(key, o);
    return key.digest();
  };
  for (const auto& change : std::vector<std::function<void(LabelerStageOptions&)>>{
           [](auto& o) { o.arch = "lenet"; }, [](auto& o) { o.epochs = 3; }, [](auto& o) { o.batch_size = 128; },
           [](auto& o) { o.lr = 1e-4; }, [](auto& o) { o.schedule = "cosine"; }, [](auto& o) { o.seed = 3; }}) {
    LabelerStageOptions changed = labeler;
    change(changed);
    CHECK(labeler_digest(changed) != labeler_digest(labeler));
  }
}

TEST_CASE("the classifier stage trains with the preset's settings and reruns when one changes",
          "[experiments][preset][stage_cache]") {
  TempDir dir;
  make_directories(dir.file("toy"));
  StageRunner runner(false, true);
  ReproduceContext ctx;
  ctx.preset = reproduce_preset("smoke");
  ctx.preset.standard.batch_size = 8;
  ctx.preset.standard.optimizer = "sgd";
  ctx.preset.standard.lr = 0.05;
  ctx.preset.standard.schedule = "step";
  ctx.preset.standard.lr_step = 1;
  ctx.dir = dir.str();
  ctx.quiet = true;
  ctx.threads = 1;
  ctx.runner = &runner;
  const Dataset train = toy_dataset(16, 1), test = toy_dataset(8, 2);
  const StageInputs inputs = {{"input toy", dataset_hash(train)}};

  const ScoredModel first = classifier_stage(ctx, "toy", false, train, test, inputs);
  const std::string path = dir.file("toy/standard.safetensors");
  const nn::Metadata written = nn::load_safetensors(path).metadata;
  CHECK(written.at("training") == "SGD lr 0.05, batch 8, StepLR(1, 0.1), 1 epochs");
  CHECK(first.label.find("SGD lr 0.05") != std::string::npos);

  classifier_stage(ctx, "toy", false, train, test, inputs);
  REQUIRE(runner.stages().size() == 2);
  CHECK(runner.stages()[1].reused);

  ctx.preset.adversarial.adv_steps += 1;  // no bearing on the standard model
  classifier_stage(ctx, "toy", false, train, test, inputs);
  CHECK(runner.stages()[2].reused);

  ctx.preset.standard.lr_step = 2;
  classifier_stage(ctx, "toy", false, train, test, inputs);
  CHECK_FALSE(runner.stages()[3].reused);
  bool explained = false;
  for (const std::string& line : runner.log()) explained |= line.find("lr step 1 -> 2") != std::string::npos;
  CHECK(explained);
}

TEST_CASE("adversarial training runs with each of the reference's attack options", "[experiments][preset]") {
  const Dataset train = toy_dataset(8, 3);
  TrainClassifierOptions base;
  base.epochs = 1;
  base.batch_size = 4;
  base.quiet = true;
  base.adv_eps = 1;
  base.adv_steps = 2;
  const Tensor probe = toy_dataset(4, 4).images;
  const std::vector<real> plain = train_classifier(train, base).model->forward(probe).to_vector();
  const std::vector<std::pair<std::string, std::function<void(TrainClassifierOptions&)>>> options = {
      {"eps choices", [](auto& o) { o.adv_eps_choices = {1, 4, 8}; }},
      {"whole-batch norms", [](auto& o) { o.adv_whole_batch_norms = true; }},
      {"random start", [](auto& o) { o.adv_random_start = true; }},
      {"train mode", [](auto& o) { o.adv_attack_in_train_mode = true; }},
      {"no clamp", [](auto& o) { o.adv_eps = 8; o.adv_clamp = false; }},
      {"SGD + multistep", [](auto& o) { o.optimizer = "sgd"; o.lr = 0.1; o.schedule = "multistep"; o.lr_milestones = {1}; }},
  };
  for (const auto& [what, change] : options) {
    TrainClassifierOptions o = base;
    change(o);
    INFO(what);
    const TrainedClassifier trained = train_classifier(train, o);
    CHECK(trained.metadata.at("training") == training_summary(o));
    const std::vector<real> out = trained.model->forward(probe).to_vector();
    bool finite = true, differs = false;
    for (size_t i = 0; i < out.size(); ++i) {
      finite &= std::isfinite(out[i]);
      differs |= out[i] != plain[i];
    }
    CHECK(finite);
    CHECK(differs);  // the option changed what was trained
  }
  TrainClassifierOptions bad = base;
  bad.schedule = "multistep";
  CHECK_THROWS_WITH(train_classifier(train, bad), Catch::Contains("at least one milestone"));
  bad = base;
  bad.optimizer = "rmsprop";
  CHECK_THROWS_WITH(train_classifier(train, bad), Catch::Contains("known: adam, sgd"));
}

TEST_CASE("a SimpleNetV1 labeler trains on VAE reconstructions with the reference's labeler settings",
          "[experiments][preset]") {
  TempDir dir;
  const Dataset real_train = toy_dataset(16, 5), real_test = toy_dataset(4, 6);
  VaeStageOptions vo;
  vo.latent_dim = 2;
  vo.epochs = 1;
  vo.batch_size = 16;
  vo.quiet = true;
  const TrainedVae vae = train_vae_stage(real_train, real_test, vo, dir.file("vae.safetensors"));
  CHECK(vae.metadata.at("batch_size") == "16");
  LabelerStageOptions lo = reproduce_preset("reference").labeler;
  lo.epochs = 1;
  lo.batch_size = 8;
  lo.quiet = true;
  train_labeler_stage(*vae.model, real_train, real_test, lo, dir.file("labeler.safetensors"));
  const TrainedClassifier labeler = load_classifier(dir.file("labeler.safetensors"));
  CHECK(labeler.metadata.at("arch") == "simplenet");
  CHECK(labeler.metadata.at("training") == "Adam lr 0.001, batch 8, constant, 1 epochs");
  CHECK(labeler.model->forward(real_test.images).shape() == Shape{4, 10});
}
