// The paired bootstrap behind the three-way verdicts: verdicts on clear wins, losses and ties, NaN pairs, the
// interval's coverage of a known mean difference, and determinism per seed.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "autodiff/random.h"
#include "explain/paired_comparison.h"
#include "explain/summary_statistics.h"

using namespace mxai;
using namespace mxai::explain;

namespace {

// n points: b_i ~ U(0,1) (a per-point level both methods share), a_i = b_i + shift + spread N(0,1).
std::pair<std::vector<double>, std::vector<double>> scores(int n, double shift, double spread, Generator& gen) {
  std::vector<double> a(n), b(n);
  for (int i = 0; i < n; ++i) {
    b[i] = gen.uniform();
    a[i] = b[i] + shift + spread * gen.normal();
  }
  return {a, b};
}

}  // namespace

TEST_CASE("paired comparison: a clear win holds, a clear loss does not, an equal pair ties", "[explain][statistics]") {
  Generator gen(1);
  auto [a, b] = scores(500, 0.05, 0.1, gen);
  const PairedComparison win = compare_paired(a, b);
  CHECK(win.verdict == Verdict::Holds);
  CHECK(win.n == 500);
  CHECK(win.ci_low > 0);
  CHECK(win.ci_low < win.difference);
  CHECK(win.difference < win.ci_high);
  CHECK(win.difference == Approx(0.05).margin(0.015));

  const PairedComparison loss = compare_paired(b, a);
  CHECK(loss.verdict == Verdict::DoesNotHold);
  CHECK(loss.difference == Approx(-win.difference));

  const PairedComparison same = compare_paired(a, a);
  CHECK(same.verdict == Verdict::Tie);
  CHECK(same.difference == 0);
  CHECK(verdict_name(same.verdict) == "tie");
}

TEST_CASE("paired comparison: a tiny difference in the means with a large spread is a tie", "[explain][statistics]") {
  // 0.7049 against 0.7046: the means differ, the interval contains 0.
  Generator gen(2);
  auto [a, b] = scores(2000, 0.0003, 0.05, gen);
  const PairedComparison c = compare_paired(a, b);
  CHECK(c.verdict == Verdict::Tie);
  CHECK(c.ci_low < 0);
  CHECK(c.ci_high > 0);
}

TEST_CASE("paired comparison: the 95% interval covers the true mean difference about 95% of the time",
          "[explain][statistics]") {
  Generator gen(3);
  const double shift = 0.02;
  int covered = 0;
  const int trials = 300;
  for (int t = 0; t < trials; ++t) {
    auto [a, b] = scores(200, shift, 0.1, gen);
    BootstrapSettings settings;
    settings.resamples = 500;
    settings.seed = static_cast<uint64_t>(t);
    const PairedComparison c = compare_paired(a, b, settings);
    covered += c.ci_low <= shift && shift <= c.ci_high;
  }
  // Binomial(300, 0.95) has standard deviation 3.8: [270, 297] is about 95% +- 3.5 sd, and a wrong level (a 68%
  // interval, or a one-sided one) falls far outside.
  CHECK(covered >= 270);
  CHECK(covered <= 297);
}

TEST_CASE("paired comparison: NaN and infinite pairs are skipped, sizes must match, seeds reproduce",
          "[explain][statistics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  const std::vector<double> a = {0.5, nan, 0.7, 0.9, inf, 0.6};
  const std::vector<double> b = {0.4, 0.3, nan, 0.8, 0.1, 0.5};
  const PairedComparison c = compare_paired(a, b);
  CHECK(c.n == 3);
  CHECK(c.difference == Approx(0.1));
  const PairedComparison again = compare_paired(a, b);
  CHECK(again.ci_low == c.ci_low);
  CHECK(again.ci_high == c.ci_high);

  const PairedComparison none = compare_paired({nan}, {0.5});
  CHECK(none.n == 0);
  CHECK(std::isnan(none.difference));
  CHECK(none.verdict == Verdict::Tie);
  CHECK_THROWS_WITH(compare_paired({0.1, 0.2}, {0.1}), Catch::Contains("same points"));
}

TEST_CASE("median against a threshold: above, below and straddling", "[explain][statistics]") {
  Generator gen(4);
  std::vector<double> high(400), low(400), mixed(400);
  for (int i = 0; i < 400; ++i) {
    high[i] = 0.95 + 0.01 * gen.uniform();  // median ~0.955
    low[i] = 0.80 + 0.05 * gen.uniform();   // median ~0.825
    mixed[i] = 0.8 + 0.2 * gen.uniform();   // median ~0.9: the interval straddles it
  }
  const PairedComparison above = compare_median_to(high, 0.9);
  CHECK(above.verdict == Verdict::Holds);
  CHECK(above.difference == Approx(0.055).margin(0.003));
  CHECK(compare_median_to(low, 0.9).verdict == Verdict::DoesNotHold);
  // U(0.8, 1.0) with n = 400: the median's standard error is about 0.005.
  const double median = explain::quantile(mixed, 0.5);
  const PairedComparison at = compare_median_to(mixed, median);
  CHECK(at.verdict == Verdict::Tie);
  CHECK(at.ci_low < 0);
  CHECK(at.ci_high > 0);
  CHECK(compare_median_to(mixed, median - 0.03).verdict == Verdict::Holds);
  CHECK(compare_median_to(mixed, median + 0.03).verdict == Verdict::DoesNotHold);
}
