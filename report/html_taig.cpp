#include <algorithm>
#include <cmath>

#include "explain/summary_statistics.h"
#include "report/html_blocks.h"
#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/titles.h"

namespace mxai::report {

namespace {

struct DiagnosticRow {
  const char* name;
  const char* meaning;
  const std::vector<double>* values;
};

// The optimised base-point can cheat by moving onto x (IG then vanishes); these columns make that visible.
std::string diagnostics_table(const TaigDiagnostics& diagnostics) {
  const DiagnosticRow rows[] = {
      {"distance \u2016x \u2212 \u03b1\u2016", "how far the base-point moved from the input; near 0 is degenerate",
       &diagnostics.distance},
      {"output gap F(x) \u2212 F(\u03b1)", "what IG distributes; near 0 means nothing is explained",
       &diagnostics.output_gap},
      {"completeness gap", "sum of IG minus the output gap: the quadrature error", &diagnostics.completeness_gap},
      {"iterations", "ascent steps used", &diagnostics.iterations},
      {"\u03bc at the start", "tangent fraction of IG from the zero base-point, before the ascent",
       &diagnostics.initial_mu},
  };
  std::string s = "<table class=\"numbers diagnostics\"><thead><tr><th>per point</th><th>mean</th><th>median</th>"
                  "<th>q25</th><th>q75</th><th>max |\u00b7|</th><th>n</th><th>meaning</th></tr></thead><tbody>";
  for (const DiagnosticRow& row : rows) {
    const explain::SummaryStatistics st = explain::summarize(*row.values);
    double max_abs = st.n > 0 ? 0.0 : std::nan("");
    for (double v : *row.values)
      if (!std::isnan(v)) max_abs = std::max(max_abs, std::fabs(v));
    s += "<tr><th scope=\"row\">" + escape(row.name) + "</th>";
    for (double v : {st.mean, st.median, st.q25, st.q75, max_abs}) s += "<td>" + format_number(v, "%.4g") + "</td>";
    s += "<td>" + std::to_string(st.n) + "</td><td class=\"meaning\">" + escape(row.meaning) + "</td></tr>";
  }
  return s + "</tbody></table>";
}

}  // namespace

std::string taig_section(const DatasetResults& dataset, size_t index) {
  const TaigResults& taig = dataset.taig;
  std::string model_label = taig.model_key;
  for (const ModelResults& model : dataset.models)
    if (model.key == taig.model_key && !model.label.empty()) model_label = model.label;

  std::string s = "<section class=\"taig\" id=\"" + dataset_anchor(index) + "-taig\">";
  s += "<h3>Tangentially aligned Integrated Gradients (" + escape(model_label) + ")</h3>";
  s += "<p>Integrated Gradients depends on its base-point \u03b1. TAIG chooses \u03b1 per point by gradient ascent on "
       "the tangent fraction of IG(x; \u03b1); here it is compared with IG from the standard base-points and with "
       "the other methods on the same points.</p>";
  s += summary_table(taig.methods, dataset);
  s += density_figure(taig.methods, dataset,
                      "Tangent fractions of IG per base-point and of the other methods, " + model_label + ", " +
                          dataset_title(dataset.key) + ".",
                      "plot-" + std::to_string(index + 1) + "-taig", "ig_optimal");
  s += "<h4>Optimised base-point diagnostics</h4>" + diagnostics_table(taig.diagnostics);
  if (!taig.reached_fraction.empty()) {
    // The ascent has no target mu, so how many points get how far is a result, not a stopping rule.
    s += "<p>Points whose final \u03bc reaches ";
    for (size_t i = 0; i < taig.reached_fraction.size(); ++i)
      s += (i ? ", " : "") + format_number(taig.reached_fraction[i].first, "%g") + ": " +
           format_number(100 * taig.reached_fraction[i].second, "%.1f") + "%";
    s += " (the ascent stops at its step budget or when it stops improving, never at a target \u03bc).</p>";
  }
  if (!taig.settings.empty()) s += "<h4>TAIG settings</h4>" + pairs_table(taig.settings, "setting", "value");
  if (!taig.figures.empty()) s += "<h4>Examples</h4>" + figures_block(taig.figures);
  return s + "</section>";
}

}  // namespace mxai::report
