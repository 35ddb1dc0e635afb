#include "experiments/taig_comparison.h"

#include "autodiff/ops.h"
#include "experiments/distributed.h"
#include "experiments/progress.h"
#include "explain/target.h"

namespace mxai::experiments {

namespace {

template <class T>
std::vector<T> gathered(const std::vector<T>& mine) {
  const std::vector<double> all = distributed::gather(std::vector<double>(mine.begin(), mine.end()));
  return std::vector<T>(all.begin(), all.end());
}

// optimal_baseline over the ranks of an MPI job: each point's ascent is independent of the others, so each rank
// optimises a contiguous share and every rank receives all results in order.
explain::TaigResult shared_optimal_baseline(const explain::Model& model, const Tensor& images, const Tensor& basis,
                                            const explain::Targets& targets, const explain::TaigOptions& options,
                                            const explain::TaigProgress& progress) {
  if (distributed::ranks() == 1) return explain::optimal_baseline(model, images, basis, targets, Tensor(), options, progress);
  const nn::RowRange mine = distributed::shard(images.size(0), 1);
  explain::TaigResult part;
  if (mine.count > 0)
    part = explain::optimal_baseline(model, narrow(images, 0, mine.begin, mine.count),
                                     narrow(basis, 0, mine.begin, mine.count),
                                     explain::Targets(targets.begin() + mine.begin,
                                                      targets.begin() + mine.begin + mine.count),
                                     Tensor(), options, progress);
  const Shape row(images.shape().begin() + 1, images.shape().end());
  explain::TaigResult all;
  all.baseline = distributed::gather_rows(part.baseline, row);
  all.attributions = distributed::gather_rows(part.attributions, row);
  all.mu = gathered(part.mu);
  all.initial_mu = gathered(part.initial_mu);
  all.ascent_mu = gathered(part.ascent_mu);
  all.distance = gathered(part.distance);
  all.output_gap = gathered(part.output_gap);
  all.completeness_gap = gathered(part.completeness_gap);
  all.iterations = gathered(part.iterations);
  all.fallbacks = gathered(part.fallbacks);
  all.reached_target = gathered(part.reached_target);
  // Traces have a length per point: gather the lengths, then the values.
  std::vector<double> lengths, values;
  for (const auto& t : part.trace) {
    lengths.push_back(static_cast<double>(t.size()));
    values.insert(values.end(), t.begin(), t.end());
  }
  lengths = distributed::gather(lengths);
  values = distributed::gather(values);
  size_t at = 0;
  for (double length : lengths) {
    const auto n = static_cast<size_t>(length);
    all.trace.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(at),
                           values.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  }
  return all;
}

}  // namespace

TaigComparison compare_taig(const explain::Model& model, const Tensor& images, const Tensor& basis,
                            const ExplainedPoints* known, const MethodSettings& settings,
                            const explain::TaigOptions& options, const std::string& what, bool quiet) {
  const explain::Targets targets = known ? known->targets : explain::resolve_targets(model, images, {});
  std::vector<std::string> missing;
  for (const auto* keys : {&taig_baseline_keys(), &taig_reference_keys()})
    for (const auto& key : *keys)
      if (!known || !known->attributions.count(key)) missing.push_back(key);

  TaigComparison out;
  out.points = explain_points(model, images, basis, targets, missing, settings, quiet);
  if (known)
    for (const auto* keys : {&taig_baseline_keys(), &taig_reference_keys()})
      for (const auto& key : *keys)
        if (known->attributions.count(key)) {
          out.points.attributions[key] = known->attributions.at(key);
          out.points.fractions[key] = known->fractions.at(key);
        }

  Progress progress("optimising base-points" + (what.empty() ? "" : " on " + what), images.shape()[0], quiet);
  out.optimised = shared_optimal_baseline(model, images, basis, targets, options,
                                          [&](int64_t done, int64_t) { progress.update(done); });
  progress.finish();
  out.points.attributions["ig_optimal"] = out.optimised.attributions;
  out.points.fractions["ig_optimal"] = out.optimised.mu;
  return out;
}

}  // namespace mxai::experiments
