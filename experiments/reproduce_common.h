// The parts of `mxai reproduce` that both data sets share: classifier stages, the alignment evaluation of the
// standard and the adversarially trained model, the TAIG section, and the checks of the papers' claims.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "datasets/dataset.h"
#include "experiments/alignment_evaluation.h"
#include "experiments/classifier_training.h"
#include "experiments/reproduce_preset.h"
#include "experiments/results.h"
#include "experiments/stage_runner.h"

namespace mxai::experiments {

struct ReproduceContext {
  ReproducePreset preset;
  std::string dir;          // the output directory (report, models, data)
  uint64_t seed = 0;
  bool quiet = false;
  bool taig = true;         // run the TAIG section
  int threads = 1;          // OpenMP threads in use: results are deterministic given seed and threads
  StageRunner* runner = nullptr;
};

// The start of every stage key of `mxai reproduce`: the cache format, the thread count and the instruction set of
// the kernels (both change results at the level of float rounding). Stages add their settings and inputs.
StageKey base_stage_key(const ReproduceContext& ctx);

// The FNV-1a hash of a data set's images, labels and class count: the input key of a stage that reads a data set
// from the registry rather than from a stage's file.
std::string dataset_hash(const Dataset& data);

// The options each training stage runs with: the preset's, with the run's seed (the adversarial model: seed + 1)
// and quiet.
VaeStageOptions vae_stage_options(const ReproduceContext& ctx);
LabelerStageOptions labeler_stage_options(const ReproduceContext& ctx);
TrainClassifierOptions classifier_stage_options(const ReproduceContext& ctx, bool adversarial);

// (name, content hash) of a stage's input, e.g. ("input mnist32/data/train.safetensors", "0a1b...").
using StageInputs = std::vector<std::pair<std::string, std::string>>;

struct ScoredModel {
  std::string key, label;
  TrainedClassifier classifier;
  double accuracy = 0;
};

// Trains LeNet on `train` (or reuses DIR/<dataset>/<key>.safetensors when its stage key matches) and measures its
// accuracy on `test`, with classifier_stage_options; every one of them is in the stage key. `inputs` names what train and
// test were made from, with content hashes (their files, or the data set and the model that transformed it).
ScoredModel classifier_stage(const ReproduceContext& ctx, const std::string& dataset_key, bool adversarial,
                             const Dataset& train, const Dataset& test, const StageInputs& inputs);

// Scores every manifold method of every model at images (N,C,H,W) against basis (N,D,k') into section.models,
// and the further methods that apply on the first preset.further_points; writes example figures into
// DIR/<section.key>/, adds the papers' findings and the standard model's faithfulness metrics. data_context: the
// decoder and codes (N,k) of the points, for latent_ig (the model's Grad-CAM cut is added here). Returns the
// standard model's explanations of the manifold methods (reused by the TAIG section).
ExplainedPoints alignment_section(const ReproduceContext& ctx, DatasetResults& section,
                                  const std::vector<ScoredModel>& models, const Tensor& images, const Tensor& basis,
                                  const MethodContext& data_context = {});

// TAIG on the first preset.taig_points of images for `model`: IG with each standard base-point and with the
// optimised one, beside Gradient, SmoothGrad and Input x Gradient (taken from `explained`, the same points).
void taig_section(const ReproduceContext& ctx, DatasetResults& section, const ScoredModel& model,
                  const Tensor& images, const Tensor& basis, const ExplainedPoints& explained);

// images (N,...) -> the first n rows (all when n >= N).
Tensor first_rows(const Tensor& t, int64_t n);

}  // namespace mxai::experiments
