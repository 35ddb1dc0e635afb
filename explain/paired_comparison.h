// Is method A more aligned than method B? A comparison over the same evaluation points, judged by a paired
// bootstrap: the per-point differences a_i - b_i are resampled with replacement and the mean recomputed, and the
// 2.5% and 97.5% quantiles of those means are the 95% confidence interval of the mean difference. A claim
// "A > B" holds only when the interval lies above 0, does not hold when it lies below 0, and is a tie otherwise;
// comparing two means alone would call 0.7049 against 0.7046 a win.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mxai::explain {

enum class Verdict { Holds, Tie, DoesNotHold };

// "holds", "tie", "does not hold": the words results.json and the report use.
std::string verdict_name(Verdict verdict);

struct PairedComparison {
  double difference = 0;  // mean of a_i - b_i over the pairs used
  double ci_low = 0, ci_high = 0;  // percentile bootstrap interval of that mean at `level`
  int64_t n = 0;          // pairs used: both values finite
  Verdict verdict = Verdict::Tie;  // of "A > B": Holds when ci_low > 0, DoesNotHold when ci_high < 0
};

struct BootstrapSettings {
  int resamples = 2000;
  double level = 0.95;
  uint64_t seed = 0;  // the resampling stream: the same inputs and seed give the same interval
};

// a, b (n): scores of two methods at the same n points (a[i] and b[i] belong to point i). Pairs with a NaN or an
// infinity on either side are skipped (a zero attribution has no tangent fraction). Throws Error when the sizes
// differ; with no pair left, every number is NaN and the verdict a tie.
PairedComparison compare_paired(const std::vector<double>& a, const std::vector<double>& b,
                                const BootstrapSettings& settings = {});

// Is the q-quantile of `values` (n) at least `threshold`? The same bootstrap on that quantile: difference =
// quantile - threshold with its interval; Holds when the interval lies at or above the threshold (ci_low >= 0),
// DoesNotHold when it lies below (ci_high < 0). Non-finite values are skipped.
PairedComparison compare_quantile_to(const std::vector<double>& values, double q, double threshold,
                                     const BootstrapSettings& settings = {});
inline PairedComparison compare_median_to(const std::vector<double>& values, double threshold,
                                          const BootstrapSettings& settings = {}) {
  return compare_quantile_to(values, 0.5, threshold, settings);
}

}  // namespace mxai::explain
