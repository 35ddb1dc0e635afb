#include "experiments/alignment_evaluation.h"

#include <algorithm>
#include <cmath>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/visualization.h"
#include "datasets/image_write.h"
#include "experiments/distributed.h"
#include "experiments/progress.h"
#include "explain/tangent_alignment.h"
#include "explain/target.h"

namespace mxai::experiments {

namespace {

// explain_points in this process alone.
ExplainedPoints explain_here(const explain::Model& model, const Tensor& images, const Tensor& basis,
                             const explain::Targets& targets, const std::vector<std::string>& keys,
                             const MethodSettings& settings, bool quiet, const MethodContext& context) {
  ExplainedPoints out;
  out.targets = targets;
  if (keys.empty()) return out;
  Progress progress("explaining " + std::to_string(images.shape()[0]) + " points", static_cast<int64_t>(keys.size()),
                    quiet);
  int64_t done = 0;
  // One method at a time, so the progress line says which one is slow; attribute_methods shares the IG path
  // integral between its two variants, so those two are computed together.
  std::vector<std::vector<std::string>> groups;
  for (const auto& key : keys) {
    if (uses_zero_base_point_path(key) && !groups.empty() && uses_zero_base_point_path(groups.back().front()))
      groups.back().push_back(key);
    else
      groups.push_back({key});
  }
  for (const auto& group : groups) {
    auto part = attribute_methods(group, model, images, out.targets, settings, context);
    for (auto& [key, a] : part) {
      if (basis.defined()) out.fractions[key] = explain::tangent_fraction(a, basis);
      out.attributions[key] = a;
    }
    done += static_cast<int64_t>(group.size());
    progress.update(done, group.front());
  }
  progress.finish();
  return out;
}

// explain_points over the ranks of an MPI job: each explains its share of the points (whole noise blocks, so
// every point draws the stream it draws in one process) and every rank receives all of them, in order.
ExplainedPoints explain_shared_points(const explain::Model& model, const Tensor& images, const Tensor& basis,
                                      const explain::Targets& targets, const std::vector<std::string>& keys,
                                      const MethodSettings& settings, bool quiet, const MethodContext& context) {
  const nn::RowRange mine = distributed::shard(images.size(0), kPointsPerStream);
  MethodSettings shifted = settings;
  shifted.first_point += mine.begin;
  ExplainedPoints part;
  if (mine.count > 0) {
    const explain::Targets my_targets(targets.begin() + mine.begin, targets.begin() + mine.begin + mine.count);
    MethodContext my_context = context;
    if (context.latents.defined()) my_context.latents = narrow(context.latents, 0, mine.begin, mine.count);
    part = explain_here(model, narrow(images, 0, mine.begin, mine.count),
                        basis.defined() ? narrow(basis, 0, mine.begin, mine.count) : Tensor(), my_targets, keys,
                        shifted, quiet, my_context);
  }
  ExplainedPoints out;
  out.targets = targets;
  const Shape row(images.shape().begin() + 1, images.shape().end());
  for (const auto& key : keys) {  // every rank walks the keys in one order, so the gathers pair up
    auto a = part.attributions.find(key);
    out.attributions[key] = distributed::gather_rows(a == part.attributions.end() ? Tensor() : a->second, row);
    if (basis.defined()) out.fractions[key] = distributed::gather(part.fractions[key]);
  }
  return out;
}

}  // namespace

ExplainedPoints explain_points(const explain::Model& model, const Tensor& images, const Tensor& basis,
                               const std::vector<std::string>& keys, const MethodSettings& settings, bool quiet,
                               const MethodContext& context) {
  return explain_points(model, images, basis, explain::resolve_targets(model, images, {}), keys, settings, quiet,
                        context);
}

ExplainedPoints explain_points(const explain::Model& model, const Tensor& images, const Tensor& basis,
                               const explain::Targets& targets, const std::vector<std::string>& keys,
                               const MethodSettings& settings, bool quiet, const MethodContext& context) {
  if (distributed::ranks() > 1 && !keys.empty())
    return explain_shared_points(model, images, basis, targets, keys, settings, quiet, context);
  return explain_here(model, images, basis, targets, keys, settings, quiet, context);
}

ExplainedPoints first_points(const ExplainedPoints& points, int64_t n) {
  if (n >= static_cast<int64_t>(points.targets.size())) return points;
  ExplainedPoints out;
  out.targets.assign(points.targets.begin(), points.targets.begin() + n);
  for (const auto& [key, a] : points.attributions) out.attributions[key] = narrow(a, 0, 0, n);
  for (const auto& [key, f] : points.fractions) out.fractions[key].assign(f.begin(), f.begin() + n);
  return out;
}

std::vector<MethodScores> method_scores(const ExplainedPoints& points, const std::vector<std::string>& keys) {
  std::vector<MethodScores> scores;
  for (const auto& key : keys) {
    auto it = points.fractions.find(key);
    if (it == points.fractions.end()) continue;
    scores.push_back({key, attribution_method_label(key), it->second});
  }
  return scores;
}

namespace {

// (C,H,W) grey or RGB -> (3,H,W).
Tensor as_rgb(const Tensor& image) {
  if (image.shape()[0] == 3) return image;
  return concat({image, image, image}, 0);
}

// (C,H,W) attribution -> (H,W) by summing channels, the usual way to show a colour image's attribution.
Tensor channel_sum(const Tensor& a) { return sum(a, {0}, /*keepdim=*/false); }

Tensor row_of(const Tensor& t, int64_t r) {
  return reshape(narrow(t, 0, r, 1), Shape(t.shape().begin() + 1, t.shape().end()));
}

}  // namespace

ImageSize write_example_figure(const std::string& path, const Tensor& images, const ExplainedPoints& points,
                          const std::vector<std::string>& keys, const Tensor& basis,
                          const std::vector<int64_t>& rows) {
  NoGradGuard no_grad;
  std::vector<Tensor> tiles;
  int64_t columns = 0;
  for (int64_t r : rows) {
    std::vector<Tensor> row_tiles = {as_rgb(row_of(images, r))};
    for (const auto& key : keys)
      row_tiles.push_back(explain::attribution_heatmap(channel_sum(row_of(points.attributions.at(key), r))));
    if (basis.defined() && !keys.empty()) {
      const Tensor a = narrow(points.attributions.at(keys.front()), 0, r, 1);
      const Tensor u = narrow(basis, 0, r, 1);
      const Tensor flat = reshape(a, {1, -1});
      real limit = 0;
      for (int64_t i = 0; i < flat.numel(); ++i) limit = std::max(limit, std::abs(flat.data()[i]));
      const Tensor tangent = explain::tangent_projection(a, u);
      const Tensor normal = explain::orthogonal_part(a, u);
      row_tiles.push_back(explain::attribution_heatmap(channel_sum(row_of(tangent, 0)), limit));
      row_tiles.push_back(explain::attribution_heatmap(channel_sum(row_of(normal, 0)), limit));
    }
    columns = static_cast<int64_t>(row_tiles.size());
    for (auto& t : row_tiles) tiles.push_back(reshape(t, {1, t.shape()[0], t.shape()[1], t.shape()[2]}));
  }
  if (tiles.empty()) return {};
  return write_png_grid(path, concat(tiles, 0), columns, 1, 1);
}

}  // namespace mxai::experiments
