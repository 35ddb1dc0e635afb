#include "report/html_blocks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "explain/summary_statistics.h"
#include "report/density_plot.h"
#include "report/figure_captions.h"
#include "report/html_text.h"
#include "report/palette.h"

namespace mxai::report {

namespace {

std::string cell(const std::string& text) { return "<td>" + text + "</td>"; }

}  // namespace

std::string summary_table(const std::vector<MethodScores>& methods, const DatasetResults& dataset) {
  std::string s = "<table class=\"numbers\"><thead><tr><th>method</th><th>mean</th><th>median</th><th>q25</th>"
                  "<th>q75</th><th>n</th><th title=\"zero attributions, whose fraction is undefined\">skipped</th>"
                  "</tr></thead><tbody>";
  for (const MethodScores& method : methods) {
    const explain::SummaryStatistics st = explain::summarize(method.fractions);
    s += "<tr><th scope=\"row\">" + escape(method.label.empty() ? method.key : method.label) + "</th>";
    s += cell(format_number(st.mean)) + cell(format_number(st.median)) + cell(format_number(st.q25)) +
         cell(format_number(st.q75)) + cell(std::to_string(st.n)) + cell(std::to_string(st.n_nan)) + "</tr>";
  }
  s += "<tr class=\"baseline\"><th scope=\"row\">random direction</th>" + cell(format_number(dataset.random_exact)) +
       "<td colspan=\"5\">exact expectation; the paper's line is \u221a(k/d) = " +
       format_number(dataset.random_baseline) + "</td></tr>";
  return s + "</tbody></table>";
}

std::string density_figure(const std::vector<MethodScores>& methods, const DatasetResults& dataset,
                           const std::string& caption, const std::string& plot_id, const std::string& emphasis_key) {
  std::vector<std::string> keys;
  for (const MethodScores& method : methods) keys.push_back(method.key);
  const std::vector<std::string> colours = method_colours(keys);
  std::vector<DensitySeries> series;
  for (size_t i = 0; i < methods.size(); ++i)
    series.push_back(DensitySeries{methods[i].label.empty() ? methods[i].key : methods[i].label, colours[i],
                                   methods[i].fractions, methods[i].key == emphasis_key});
  return "<figure class=\"plot\">" + density_plot_svg(series, dataset.random_baseline, caption, plot_id) +
         "<figcaption>" + escape(caption) +
         " Gaussian kernel density, Silverman bandwidth, reflected at 0 and 1; dashed: the random baseline "
         "\u221a(k/d).</figcaption></figure>";
}

std::string figures_block(const std::vector<Figure>& figures) {
  std::string s;
  for (const Figure& figure : figures) {
    const bool written = figure.width > 0 && figure.height > 0;
    const std::string caption = figure_caption(figure);
    std::string dimensions;
    if (written) {
      // The largest integer zoom (at most 8x) that fits a 900-pixel column: tiny heat maps shown pixelated, every
      // pixel the same size, instead of at a blurry or uneven scale the browser picks.
      const int64_t zoom = std::clamp<int64_t>(900 / figure.width, 1, 8);
      dimensions = " width=\"" + std::to_string(figure.width * zoom) + "\" height=\"" +
                   std::to_string(figure.height * zoom) + "\"";
    }
    s += "<figure class=\"image\"><img class=\"pixelated\" src=\"" + escape_url_path(figure.png) + "\"" +
         dimensions + " alt=\"" + escape(caption) + "\"><figcaption>" + escape(caption);
    if (!written) s += " <span class=\"missing\">(" + escape(figure.png) + " was not written)</span>";
    s += "</figcaption></figure>";
  }
  return s;
}

std::string pairs_table(const std::vector<std::pair<std::string, std::string>>& rows, const std::string& name_header,
                        const std::string& value_header) {
  std::string s = "<table class=\"pairs\"><thead><tr><th>" + escape(name_header) + "</th><th>" +
                  escape(value_header) + "</th></tr></thead><tbody>";
  for (const auto& [name, value] : rows)
    s += "<tr><th scope=\"row\">" + escape(name) + "</th><td>" + escape(value) + "</td></tr>";
  return s + "</tbody></table>";
}

std::string findings_list(const std::vector<Finding>& findings, const std::string& prefix) {
  std::string s;
  for (const Finding& finding : findings) {
    switch (finding.verdict) {
      case explain::Verdict::Holds: s += "<li class=\"holds\"><span class=\"badge\">\u2713 holds</span>"; break;
      case explain::Verdict::Tie: s += "<li class=\"tie\"><span class=\"badge\">= tie</span>"; break;
      case explain::Verdict::DoesNotHold:
        s += "<li class=\"fails\"><span class=\"badge\">\u2717 does not hold</span>";
        break;
    }
    s += escape(prefix + finding.claim);
    std::string detail = finding.detail;
    if (!finding.statistic.empty() && std::isfinite(finding.difference)) {
      char interval[160];
      std::snprintf(interval, sizeof interval, "%s %+.4f, 95%% CI [%+.4f, %+.4f], n = %lld",
                    finding.statistic.c_str(), finding.difference, finding.ci_low, finding.ci_high,
                    static_cast<long long>(finding.n));
      detail += (detail.empty() ? "" : "; ") + std::string(interval);
    }
    if (!detail.empty()) s += " <span class=\"detail\">\u2014 " + escape(detail) + "</span>";
    s += "</li>";
  }
  return s;
}

}  // namespace mxai::report
