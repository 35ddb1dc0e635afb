#include "explain/pgd.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "autodiff/graph.h"
#include "autodiff/ops.h"

namespace mxai::explain {

Tensor cross_entropy_from_logits(const Tensor& logits, const std::vector<int64_t>& labels) {
  if (logits.dim() != 2) throw Error("cross_entropy: expected logits (N,K), got " + shape_str(logits.shape()));
  const int64_t n = logits.size(0), classes = logits.size(1);
  if (static_cast<int64_t>(labels.size()) != n)
    throw Error("cross_entropy: " + std::to_string(labels.size()) + " labels for logits " + shape_str(logits.shape()));
  auto index = std::make_shared<std::vector<int64_t>>(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = labels[static_cast<size_t>(i)];
    if (c < 0 || c >= classes)
      throw Error("cross_entropy: label " + std::to_string(c) + " out of range for " + std::to_string(classes) +
                  " classes");
    (*index)[static_cast<size_t>(i)] = i * classes + c;
  }
  return -mean(gather_flat(log_softmax(logits, 1), index, {n}));
}

namespace {

// The l2 norms of `groups` equal consecutive blocks of v, in double.
std::vector<double> block_norms(const std::vector<real>& v, int64_t groups) {
  const int64_t size = static_cast<int64_t>(v.size()) / groups;
  std::vector<double> norms(static_cast<size_t>(groups), 0.0);
  for (int64_t g = 0; g < groups; ++g) {
    double s = 0;
    for (int64_t j = 0; j < size; ++j) s += static_cast<double>(v[g * size + j]) * v[g * size + j];
    norms[static_cast<size_t>(g)] = std::sqrt(s);
  }
  return norms;
}

}  // namespace

Tensor pgd_l2(const Model& model, const Tensor& x, const std::vector<int64_t>& labels, real eps, real step_size,
              int steps, bool random_start, Generator& gen, real clamp_lo, real clamp_hi, PgdNorms norms) {
  if (!x.defined() || x.dim() < 2) throw Error("pgd_l2: expected a batch (N,...)");
  if (eps < 0 || step_size < 0 || steps < 0)
    throw Error("pgd_l2: need eps >= 0, step_size >= 0 and steps >= 0");
  if (!(clamp_lo <= clamp_hi)) throw Error("pgd_l2: need clamp_lo <= clamp_hi");
  const int64_t n = x.size(0), features = x.numel() / std::max<int64_t>(n, 1);
  // Norms are taken over blocks: one per example, or the whole batch as one block (the reference quirk).
  const int64_t groups = norms == PgdNorms::PerExample ? n : 1;
  const int64_t group_size = x.numel() / groups;
  const real* px = x.data();
  std::vector<real> delta(static_cast<size_t>(x.numel()), real(0));

  const auto clamp_into_box = [&]() {
    for (int64_t j = 0; j < x.numel(); ++j)
      delta[static_cast<size_t>(j)] = std::clamp(px[j] + delta[static_cast<size_t>(j)], clamp_lo, clamp_hi) - px[j];
  };

  if (random_start && eps > 0) {
    if (norms == PgdNorms::PerExample) {
      for (int64_t i = 0; i < n; ++i) {
        double s = 0;
        for (int64_t j = 0; j < features; ++j) {
          const real e = static_cast<real>(gen.normal());
          delta[static_cast<size_t>(i * features + j)] = e;
          s += static_cast<double>(e) * e;
        }
        const double radius = eps * std::pow(gen.uniform(), 1.0 / static_cast<double>(features));
        const double scale = s > 0 ? radius / std::sqrt(s) : 0.0;
        for (int64_t j = 0; j < features; ++j) delta[static_cast<size_t>(i * features + j)] *= static_cast<real>(scale);
      }
    } else {
      for (real& d : delta) d = static_cast<real>(gen.uniform());
      const double norm = block_norms(delta, 1)[0];
      const double scale = norm > 0 ? 0.5 * eps / norm : 0.0;
      for (real& d : delta) d = static_cast<real>(d * scale);
    }
    clamp_into_box();
  }

  Shape shape = x.shape();
  for (int step = 0; step < steps; ++step) {
    Tensor input = Tensor::empty(shape);
    for (int64_t j = 0; j < x.numel(); ++j) input.data()[j] = px[j] + delta[static_cast<size_t>(j)];
    Tensor gradient;
    {
      GradModeGuard recording(true);
      input.requires_grad_();
      gradient = grad({cross_entropy_from_logits(model(input), labels)}, {input})[0];
    }
    // d CE / d delta = d CE / d input; normalised per block, then the ascent step.
    std::vector<real> g(gradient.data(), gradient.data() + gradient.numel());
    const std::vector<double> g_norms = block_norms(g, groups);
    for (int64_t b = 0; b < groups; ++b) {
      const double norm = g_norms[static_cast<size_t>(b)];
      if (norm == 0) continue;
      const double scale = step_size / norm;
      for (int64_t j = 0; j < group_size; ++j)
        delta[static_cast<size_t>(b * group_size + j)] += static_cast<real>(scale * g[b * group_size + j]);
    }
    const std::vector<double> d_norms = block_norms(delta, groups);
    for (int64_t b = 0; b < groups; ++b) {
      const double norm = d_norms[static_cast<size_t>(b)];
      if (norm <= eps) continue;
      const double scale = eps / norm;
      for (int64_t j = 0; j < group_size; ++j) delta[static_cast<size_t>(b * group_size + j)] *= static_cast<real>(scale);
    }
    clamp_into_box();
  }

  Tensor adversarial = Tensor::empty(shape);
  for (int64_t j = 0; j < x.numel(); ++j) adversarial.data()[j] = px[j] + delta[static_cast<size_t>(j)];
  return adversarial;
}

}  // namespace mxai::explain
