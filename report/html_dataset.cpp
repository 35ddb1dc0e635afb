#include <algorithm>
#include <functional>
#include <set>

#include "experiments/attribution_methods.h"
#include "explain/summary_statistics.h"
#include "report/dataset_descriptions.h"
#include "report/html_blocks.h"
#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/paper_references.h"
#include "report/titles.h"

namespace mxai::report {

namespace {

std::string facts_table(const DatasetResults& dataset) {
  return "<table class=\"facts\"><tbody>"
         "<tr><th scope=\"row\">ambient dimension d</th><td>" + std::to_string(dataset.d) + "</td></tr>"
         "<tr><th scope=\"row\">tangent-space dimension k</th><td>" + std::to_string(dataset.k) + "</td></tr>"
         "<tr><th scope=\"row\">random baseline \u221a(k/d)</th><td>" + format_number(dataset.random_baseline, "%.4f") +
         "</td></tr>"
         "<tr><th scope=\"row\">exact random expectation E[\u221aBeta(k/2, (d\u2212k)/2)]</th><td>" +
         format_number(dataset.random_exact, "%.4f") + "</td></tr></tbody></table>";
}

// Method by model, mean and median side by side: the comparison the paper's adversarial finding is about.
std::string glance_table(const DatasetResults& dataset) {
  std::vector<std::pair<std::string, std::string>> methods;  // key, label in first-seen order
  std::set<std::string> seen;
  for (const ModelResults& model : dataset.models)
    for (const MethodScores& m : model.methods)
      if (seen.insert(m.key).second) methods.emplace_back(m.key, m.label.empty() ? m.key : m.label);

  std::string s = "<table class=\"numbers glance\"><thead><tr><th rowspan=\"2\">method</th>";
  for (const ModelResults& model : dataset.models) s += "<th colspan=\"2\">" + escape(model.label) + "</th>";
  s += "</tr><tr>";
  for (size_t i = 0; i < dataset.models.size(); ++i) s += "<th>mean</th><th>median</th>";
  s += "</tr></thead><tbody>";
  for (const auto& [key, label] : methods) {
    s += "<tr><th scope=\"row\">" + escape(label) + "</th>";
    for (const ModelResults& model : dataset.models) {
      const MethodScores* found = nullptr;
      for (const MethodScores& m : model.methods)
        if (m.key == key) found = &m;
      if (!found) {
        s += "<td>\u2013</td><td>\u2013</td>";
        continue;
      }
      const explain::SummaryStatistics st = explain::summarize(found->fractions);
      s += "<td>" + format_number(st.mean) + "</td><td>" + format_number(st.median) + "</td>";
    }
    s += "</tr>";
  }
  return s + "</tbody></table>";
}

std::string references_table(const DatasetResults& dataset) {
  std::string s = "<table class=\"numbers references\"><thead><tr><th>reference</th><th>paper</th><th>this run</th>"
                  "<th>source</th></tr></thead><tbody>";
  for (const Reference& reference : paper_references(dataset.key)) {
    const auto ours = counterpart(dataset, reference);
    s += "<tr><th scope=\"row\">" + escape(reference.what) + "</th><td>" + format_number(reference.value) +
         "</td><td>" + (ours ? format_number(*ours) : "\u2013") + "</td><td class=\"source\">" +
         escape(reference.source) + "</td></tr>";
  }
  return s + "</tbody></table>";
}

// One row per image size, one column per rank that occurs: the histogram of the numeric tangent dimension.
std::string tangent_ranks_table(const std::vector<TangentRankHistogram>& histograms) {
  std::set<size_t, std::greater<size_t>> ranks;
  for (const auto& h : histograms)
    for (size_t r = 0; r < h.counts.size(); ++r)
      if (h.counts[r] > 0) ranks.insert(r);
  std::string s = "<table class=\"numbers ranks\"><thead><tr><th>image</th><th>d</th><th>rcond</th><th>mean rank</th>";
  for (size_t r : ranks) s += "<th>rank " + std::to_string(r) + "</th>";
  s += "</tr></thead><tbody>";
  for (const auto& h : histograms) {
    int64_t points = 0;
    double rank_sum = 0;
    for (size_t r = 0; r < h.counts.size(); ++r) {
      points += h.counts[r];
      rank_sum += static_cast<double>(r) * static_cast<double>(h.counts[r]);
    }
    s += "<tr><th scope=\"row\">" + std::to_string(h.height) + "\u00d7" + std::to_string(h.width) + "</th><td>" +
         std::to_string(h.d) + "</td><td>" + format_number(h.rcond, "%.2g") + "</td><td>" +
         format_number(points ? rank_sum / static_cast<double>(points) : 0.0, "%.2f") + "</td>";
    for (size_t r : ranks) s += "<td>" + std::to_string(r < h.counts.size() ? h.counts[r] : 0) + "</td>";
    s += "</tr>";
  }
  return s + "</tbody></table>";
}

std::string model_block(const DatasetResults& dataset, const ModelResults& model, const std::string& plot_id) {
  const std::string label = model.label.empty() ? model.key : model.label;
  std::string s = "<h3>" + escape(label) + " <span class=\"accuracy\">test accuracy " +
                  format_percent(model.accuracy) + "</span></h3>";
  s += summary_table(model.methods, dataset);
  // The papers' methods in one plot, the further ones in another: one plot of twelve curves is unreadable.
  std::vector<MethodScores> own, further;
  const auto& own_keys = experiments::manifold_method_keys();
  for (const MethodScores& m : model.methods)
    (std::find(own_keys.begin(), own_keys.end(), m.key) != own_keys.end() ? own : further).push_back(m);
  const std::string title = dataset_title(dataset.key);
  if (!own.empty())
    s += density_figure(own, dataset, "Tangent fractions per method, " + label + ", " + title + ".", plot_id, "");
  if (!further.empty())
    s += density_figure(further, dataset,
                        "Tangent fractions of the further methods (on the first " +
                            std::to_string(further.front().fractions.size()) + " evaluation points), " + label +
                            ", " + title + ".",
                        plot_id + "-further", "");
  return s;
}

}  // namespace

std::string dataset_anchor(size_t index) { return "dataset-" + std::to_string(index + 1); }

std::string dataset_section(const DatasetResults& dataset, size_t index) {
  std::string s = "<section class=\"dataset\" id=\"" + dataset_anchor(index) + "\"><h2>" +
                  escape(dataset_title(dataset.key)) + "</h2>";
  const std::string description = dataset_description(dataset.provenance);
  if (!description.empty()) s += "<p>" + escape(description) + "</p>";
  s += facts_table(dataset);
  if (dataset.models.size() > 1) {
    s += "<h3>At a glance: tangent fraction by model</h3>" + glance_table(dataset);
  }
  for (size_t m = 0; m < dataset.models.size(); ++m)
    s += model_block(dataset, dataset.models[m], "plot-" + std::to_string(index + 1) + "-" + std::to_string(m + 1));
  if (!paper_references(dataset.key).empty()) {
    s += "<h3>The papers' numbers beside ours</h3>" + references_table(dataset);
  }
  if (!dataset.figures.empty()) {
    s += "<h3>Examples</h3>" + figures_block(dataset.figures);
  }
  if (!dataset.tangent_ranks.empty()) {
    s += "<h3>MNIST256: the numeric tangent dimension of upsampled decodes</h3><p>Bordt et al.'s MNIST256 is this "
         "data set's 32\u00d732 decodes upsampled bilinearly; its tangent space at z is the column space of the "
         "composed Jacobian, k-dimensional in exact arithmetic. The reference's rank rule counts singular values above "
         "rcond \u00b7 s_max with rcond = max(d, k) \u00b7 eps_float32, which grows with d, so directions the 32\u00d732 "
         "decoder keeps are dropped at 256\u00d7256 (the reference found 7\u20138 of 10). Points by rank, at the "
         "first test codes:</p>" +
         tangent_ranks_table(dataset.tangent_ranks);
  }
  s += faithfulness_block(dataset);
  s += roar_block(dataset, index);
  if (dataset.has_taig) s += taig_section(dataset, index);
  return s + "</section>";
}

}  // namespace mxai::report
