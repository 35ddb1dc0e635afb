// The faithfulness table and the ROAR curves of a data set's section.
#include "explain/summary_statistics.h"
#include "report/html_blocks.h"
#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/line_plot.h"
#include "report/palette.h"
#include "report/titles.h"

namespace mxai::report {

std::string faithfulness_block(const DatasetResults& dataset) {
  if (dataset.faithfulness.empty()) return "";
  std::string s = "<h3>Faithfulness of every method (" + escape(dataset.faithfulness_model) + ")</h3>";
  s += "<p>On the first " + std::to_string(dataset.faithfulness_points) +
       " evaluation points, and max sensitivity on the first " +
       std::to_string(dataset.faithfulness_sensitivity_points) +
       " only: it re-explains 10 perturbed copies of each point, which for the costly methods (occlusion, IG, "
       "SmoothGrad) costs more than the rest of the section. Infidelity "
       "(Captum; 10 Gaussian perturbations of standard deviation 0.003, lower is better) and max sensitivity "
       "(Captum; 10 uniform perturbations of radius 0.02, lower is more stable) are medians; deletion and insertion "
       "AUCs (RISE; the target's softmax probability as the 10%, 20%, ... highest-ranked pixels are set to 0, or "
       "restored into a zero image; lower deletion and higher insertion are better) are means. Latent IG explains "
       "a point through its latent code, which a pixel perturbation does not move: it has no max sensitivity.</p>";
  s += "<table class=\"numbers faithfulness\"><thead><tr><th>method</th><th>infidelity</th><th>max sensitivity</th>"
       "<th>deletion AUC</th><th>insertion AUC</th></tr></thead><tbody>";
  for (const FaithfulnessScores& m : dataset.faithfulness) {
    const auto sensitivity = explain::summarize(m.sensitivity_max);
    s += "<tr><th scope=\"row\">" + escape(m.label.empty() ? m.key : m.label) + "</th><td>" +
         format_number(explain::summarize(m.infidelity).median, "%.3g") + "</td><td>" +
         (sensitivity.n > 0 ? format_number(sensitivity.median, "%.3g") : "\u2013") + "</td><td>" +
         format_number(explain::summarize(m.deletion_auc).mean) + "</td><td>" +
         format_number(explain::summarize(m.insertion_auc).mean) + "</td></tr>";
  }
  return s + "</tbody></table>";
}

std::string roar_block(const DatasetResults& dataset, size_t index) {
  if (!dataset.has_roar) return "";
  const RoarResults& roar = dataset.roar;
  std::string s = "<h3>Remove and retrain (ROAR)</h3><p>Each ranking orders every training and test image's pixels "
                  "(by |attribution| of the standard LeNet for its predicted class; by random order; by the tangent "
                  "space's per-pixel mass); the top fraction is set to 0 in both, a LeNet is retrained from scratch "
                  "and tested on the modified test images. A ranking that finds the pixels the task depends on "
                  "makes the accuracy fall fastest. As in Bordt et al.'s ROAR notebook, whose results are not "
                  "published: there is no reference number to compare with.</p>";
  std::vector<std::string> keys;
  for (const RoarCurve& c : roar.curves) keys.push_back(c.key);
  const std::vector<std::string> colours = method_colours(keys);
  std::vector<LineSeries> series;
  for (size_t i = 0; i < roar.curves.size(); ++i)
    series.push_back({roar.curves[i].label.empty() ? roar.curves[i].key : roar.curves[i].label, colours[i], i >= 8,
                      roar.curves[i].accuracy});
  s += "<figure>" +
       line_plot_svg(roar.fractions, series, "fraction of pixels removed", "test accuracy",
                     "ROAR: test accuracy against the fraction of pixels removed, " + dataset_title(dataset.key),
                     "roar-" + std::to_string(index + 1)) +
       "<figcaption>Test accuracy of the retrained LeNet against the fraction of pixels removed.</figcaption>"
       "</figure>";
  s += "<table class=\"numbers roar\"><thead><tr><th>ranking</th>";
  for (double f : roar.fractions) s += "<th>" + format_number(f, "%.2g") + "</th>";
  s += "</tr></thead><tbody>";
  for (const RoarCurve& c : roar.curves) {
    s += "<tr><th scope=\"row\">" + escape(c.label.empty() ? c.key : c.label) + "</th>";
    for (double a : c.accuracy) s += "<td>" + format_number(a, "%.4f") + "</td>";
    s += "</tr>";
  }
  s += "</tbody></table>";
  return s + pairs_table(roar.settings, "ROAR setting", "value");
}

}  // namespace mxai::report
