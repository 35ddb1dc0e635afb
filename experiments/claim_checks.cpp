#include "experiments/claim_checks.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "experiments/attribution_methods.h"
#include "explain/paired_comparison.h"
#include "explain/summary_statistics.h"

namespace mxai::experiments {

namespace {

using explain::PairedComparison;
using explain::Verdict;

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

double mean_of(const std::vector<double>& v) { return explain::summarize(v).mean; }

const MethodScores* find_method(const std::vector<MethodScores>& methods, const std::string& key) {
  for (const auto& m : methods)
    if (m.key == key) return &m;
  return nullptr;
}

explain::BootstrapSettings bootstrap(uint64_t seed) {
  explain::BootstrapSettings settings;
  settings.seed = seed;
  return settings;
}

Finding finding(std::string claim, const PairedComparison& c, std::string statistic, std::string detail) {
  Finding f;
  f.claim = std::move(claim);
  f.verdict = c.verdict;
  f.statistic = std::move(statistic);
  f.difference = c.difference;
  f.ci_low = c.ci_low;
  f.ci_high = c.ci_high;
  f.n = c.n;
  f.detail = std::move(detail);
  return f;
}

// A claim over several comparisons ("every method beats random") is only as strong as its weakest one: it holds
// when all hold, does not hold when any does not, and is a tie otherwise. The weakest (lowest interval) is the
// one reported.
struct Labelled {
  std::string label;
  PairedComparison comparison;
};

Finding all_of(std::string claim, const std::vector<Labelled>& parts, const std::string& statistic,
               std::string detail) {
  const auto weakest = std::min_element(parts.begin(), parts.end(), [](const Labelled& a, const Labelled& b) {
    return a.comparison.ci_low < b.comparison.ci_low;
  });
  Verdict verdict = Verdict::Holds;
  for (const auto& part : parts) {
    if (part.comparison.verdict == Verdict::DoesNotHold) verdict = Verdict::DoesNotHold;
    if (part.comparison.verdict == Verdict::Tie && verdict == Verdict::Holds) verdict = Verdict::Tie;
  }
  Finding f = finding(std::move(claim), weakest->comparison, statistic + " (weakest: " + weakest->label + ")",
                      std::move(detail));
  f.verdict = verdict;
  return f;
}

std::string verdict_line(const std::string& what, const PairedComparison& c) {
  return what + ": " + fmt("%+.4f", c.difference) + " [" + fmt("%+.4f", c.ci_low) + ", " + fmt("%+.4f", c.ci_high) +
         "], " + explain::verdict_name(c.verdict);
}

}  // namespace

void add_manifold_findings(DatasetResults& section, uint64_t seed) {
  const auto settings = bootstrap(seed);
  for (const auto& model : section.models) {
    std::vector<Labelled> above_random;
    std::string means;
    for (const auto& m : model.methods) {
      // The papers' claim is about their own methods; the further ones are reported, not judged here.
      const auto& own = manifold_method_keys();
      if (std::find(own.begin(), own.end(), m.key) == own.end()) continue;
      const std::vector<double> random(m.fractions.size(), section.random_baseline);
      above_random.push_back({m.key, explain::compare_paired(m.fractions, random, settings)});
      means += (means.empty() ? "" : "; ") + m.key + " " + fmt("%.3f", mean_of(m.fractions));
    }
    if (!above_random.empty())
      section.findings.push_back(all_of("Every method is more aligned than a random vector (" + model.key + " model)",
                                        above_random, "mean fraction - sqrt(k/d)",
                                        "means: " + means + "; random " + fmt("%.3f", section.random_baseline)));

    const auto* grad = find_method(model.methods, "gradient");
    if (!grad) continue;
    // The IG the reference computed on this data set decides the claim; the other variant is shown beside it.
    const bool path_variant_is_reference = section.key == "mnist32";
    const std::string judged = path_variant_is_reference ? "integrated_gradients_path" : "integrated_gradients";
    const std::string beside = path_variant_is_reference ? "integrated_gradients" : "integrated_gradients_path";
    for (const std::string& key : {judged, std::string("smoothgrad")}) {
      const auto* m = find_method(model.methods, key);
      if (!m) continue;
      const PairedComparison c = explain::compare_paired(m->fractions, grad->fractions, settings);
      std::string detail = "mean " + fmt("%.4f", mean_of(m->fractions)) + " vs " + fmt("%.4f", mean_of(grad->fractions));
      std::string claim = (key == "smoothgrad" ? "SmoothGrad" : "Integrated Gradients") +
                          std::string(" is more aligned than the raw gradient (") + model.key + " model)";
      if (key == judged) {
        claim += path_variant_is_reference ? ", judged on the path-averaged gradient the reference's MNIST code uses"
                                           : ", judged on the standard (multiplied) IG";
        if (const auto* other = find_method(model.methods, beside))
          detail += "; beside it, " + attribution_method_label(beside) + " " +
                    verdict_line("mean difference", explain::compare_paired(other->fractions, grad->fractions,
                                                                            settings));
      }
      section.findings.push_back(finding(claim, c, "mean difference", detail));
    }
  }
  const ModelResults* standard = nullptr;
  const ModelResults* adversarial = nullptr;
  for (const auto& model : section.models) {
    if (model.key == "standard") standard = &model;
    if (model.key == "adversarial") adversarial = &model;
  }
  if (!standard || !adversarial) return;
  const auto* s = find_method(standard->methods, "gradient");
  const auto* a = find_method(adversarial->methods, "gradient");
  if (!s || !a) return;
  section.findings.push_back(finding("Adversarial training makes the gradient more aligned",
                                     explain::compare_paired(a->fractions, s->fractions, settings),
                                     "mean difference (adversarial - standard)",
                                     "mean " + fmt("%.4f", mean_of(a->fractions)) + " (adversarial) vs " +
                                         fmt("%.4f", mean_of(s->fractions)) + " (standard)"));
}

void add_taig_findings(TaigResults& taig, uint64_t seed) {
  const auto settings = bootstrap(seed);
  const auto* optimal = find_method(taig.methods, "ig_optimal");
  if (!optimal) return;
  const std::vector<double>& mu = optimal->fractions;
  const explain::SummaryStatistics start = explain::summarize(taig.diagnostics.initial_mu);
  taig.findings.push_back(finding("The optimised base-point gives median mu >= 0.9",
                                  explain::compare_median_to(mu, 0.9, settings), "median mu - 0.9",
                                  "median " + fmt("%.3f", explain::summarize(mu).median) + " from a start of " +
                                      fmt("%.3f", start.median) + " (zero base-point)"));

  std::vector<Labelled> beats;
  for (const auto& m : taig.methods)
    if (m.key != "ig_optimal") beats.push_back({m.key, explain::compare_paired(mu, m.fractions, settings)});
  if (!beats.empty())
    taig.findings.push_back(all_of("The optimised base-point is more aligned than every other method", beats,
                                   "mean difference", ""));

  // Non-degenerate: most base-points are far from x and change the output. The lower quartiles decide, so a
  // quarter of collapsed points (alpha -> x, F(alpha) -> F(x)) is enough to fail the claim.
  const PairedComparison far = explain::compare_quantile_to(taig.diagnostics.distance, 0.25, 1.0, settings);
  const PairedComparison gap = explain::compare_quantile_to(taig.diagnostics.output_gap, 0.25, 0.0, settings);
  taig.findings.push_back(all_of("The optimised base-points are not degenerate (q25 of ||x - alpha|| above 1, q25 of "
                                 "F(x) - F(alpha) above 0)",
                                 {{"||x - alpha||", far}, {"F(x) - F(alpha)", gap}}, "q25 - threshold",
                                 "q25 ||x - alpha|| " + fmt("%.2f", far.difference + 1.0) + ", q25 F(x) - F(alpha) " +
                                     fmt("%.2f", gap.difference)));

  // Simpson et al. on MNIST: Gradient, SmoothGrad and Input x Gradient are more aligned than IG with any of the
  // standard base-points.
  std::vector<Labelled> gradient_methods_win;
  for (const auto& g : taig_reference_keys())
    for (const auto& b : taig_baseline_keys()) {
      const auto* gm = find_method(taig.methods, g);
      const auto* bm = find_method(taig.methods, b);
      if (gm && bm)
        gradient_methods_win.push_back({g + " vs " + b, explain::compare_paired(gm->fractions, bm->fractions, settings)});
    }
  if (!gradient_methods_win.empty())
    taig.findings.push_back(all_of("The gradient methods are more aligned than IG with every standard base-point "
                                   "(TAIG paper, MNIST)",
                                   gradient_methods_win, "mean difference", ""));
}

}  // namespace mxai::experiments
