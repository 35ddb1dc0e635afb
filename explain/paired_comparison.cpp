#include "explain/paired_comparison.h"

#include <cmath>
#include <limits>

#include "autodiff/random.h"
#include "explain/summary_statistics.h"

namespace mxai::explain {

std::string verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::Holds: return "holds";
    case Verdict::Tie: return "tie";
    case Verdict::DoesNotHold: return "does not hold";
  }
  return "?";
}

PairedComparison compare_paired(const std::vector<double>& a, const std::vector<double>& b,
                                const BootstrapSettings& settings) {
  if (a.size() != b.size())
    throw Error("compare_paired: the two methods were scored at " + std::to_string(a.size()) + " and " +
                std::to_string(b.size()) + " points; a paired comparison needs the same points");
  if (settings.resamples < 1 || !(settings.level > 0 && settings.level < 1))
    throw Error("compare_paired: need resamples >= 1 and a level in (0, 1)");
  std::vector<double> differences;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) differences.push_back(a[i] - b[i]);

  PairedComparison result;
  result.n = static_cast<int64_t>(differences.size());
  if (differences.empty()) {
    result.difference = result.ci_low = result.ci_high = std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  const double n = static_cast<double>(differences.size());
  double total = 0;
  for (double d : differences) total += d;
  result.difference = total / n;

  Generator gen(settings.seed);
  std::vector<double> means(static_cast<size_t>(settings.resamples));
  for (double& mean : means) {
    double resampled = 0;
    for (size_t i = 0; i < differences.size(); ++i) resampled += differences[gen.below(differences.size())];
    mean = resampled / n;
  }
  const double tail = (1 - settings.level) / 2;
  result.ci_low = quantile(means, tail);
  result.ci_high = quantile(means, 1 - tail);
  result.verdict = result.ci_low > 0 ? Verdict::Holds : result.ci_high < 0 ? Verdict::DoesNotHold : Verdict::Tie;
  return result;
}

PairedComparison compare_quantile_to(const std::vector<double>& values, double q, double threshold,
                                     const BootstrapSettings& settings) {
  if (settings.resamples < 1 || !(settings.level > 0 && settings.level < 1) || !(q >= 0 && q <= 1))
    throw Error("compare_quantile_to: need resamples >= 1, a level in (0, 1) and q in [0, 1]");
  std::vector<double> kept;
  for (double v : values)
    if (std::isfinite(v)) kept.push_back(v);
  PairedComparison result;
  result.n = static_cast<int64_t>(kept.size());
  if (kept.empty()) {
    result.difference = result.ci_low = result.ci_high = std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  result.difference = quantile(kept, q) - threshold;
  Generator gen(settings.seed);
  std::vector<double> statistics(static_cast<size_t>(settings.resamples)), resample(kept.size());
  for (double& statistic : statistics) {
    for (double& v : resample) v = kept[gen.below(kept.size())];
    statistic = quantile(resample, q) - threshold;
  }
  const double tail = (1 - settings.level) / 2;
  result.ci_low = quantile(statistics, tail);
  result.ci_high = quantile(statistics, 1 - tail);
  result.verdict = result.ci_low >= 0 ? Verdict::Holds : result.ci_high < 0 ? Verdict::DoesNotHold : Verdict::Tie;
  return result;
}

}  // namespace mxai::explain
