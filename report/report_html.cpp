// index.html: the report for people. One self-contained file -- inline CSS and SVG, PNG figures beside it, no
// scripts, no network -- so it opens from disk on any machine and can be archived with its directory.
#include <string>

#include "autodiff/file_io.h"
#include "report/html_blocks.h"
#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/report.h"
#include "report/titles.h"

namespace mxai::report {

namespace {

// Colours follow the plots' Okabe-Ito palette: blue for "holds", vermillion for "does not hold", each with a text
// marker as well, so nothing depends on telling colours apart.
const char* kStyle = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;line-height:1.45;
  max-width:62rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}
h2{font-size:1.35rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2.5rem}
h3{font-size:1.1rem;margin-top:1.8rem}
h4{font-size:1rem;margin-top:1.2rem}
.meta{color:#555;margin-top:0}
nav ul{padding-left:1.2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
th,td{padding:.25rem .7rem;border-bottom:1px solid #ddd;vertical-align:top}
thead th{border-bottom:2px solid #999;text-align:right}
thead th:first-child{text-align:left}
tbody th{text-align:left;font-weight:normal}
table.numbers td{text-align:right;font-variant-numeric:tabular-nums}
table.glance thead th{text-align:center}
tr.baseline th,tr.baseline td{color:#555;font-style:italic}
tr.baseline td[colspan]{text-align:left}
td.source,td.meaning,td.note{text-align:left;color:#555}
table.facts th,table.pairs th{padding-right:1.5rem}
.accuracy{font-weight:normal;color:#555;font-size:.95rem;margin-left:.6rem}
ul.findings{list-style:none;padding-left:0}
ul.findings li{margin:.35rem 0}
.badge{display:inline-block;min-width:7.5rem;padding:.05rem .5rem;margin-right:.6rem;border-radius:.3rem;
  color:#fff;font-weight:600;font-size:.85rem;text-align:center}
li.holds .badge{background:#0072B2}
li.tie .badge{background:#6b6b6b}
li.fails .badge{background:#D55E00}
.detail{color:#555}
figure{margin:1rem 0}
figcaption{color:#444;font-size:.88rem;margin-top:.3rem}
svg.density{width:100%;height:auto;max-width:800px;display:block}
img{max-width:100%;height:auto}
img.pixelated{image-rendering:crisp-edges;image-rendering:pixelated}
.missing{color:#D55E00}
.reused{color:#0072B2;font-weight:600}
footer{margin-top:3rem;color:#777;font-size:.85rem}
)css";

std::string meta_line(const RunResults& report) {
  std::string s = "<p class=\"meta\">";
  if (!report.preset.empty()) s += "preset <strong>" + escape(report.preset) + "</strong> \u00b7 ";
  s += "seed " + std::to_string(report.seed) + " \u00b7 " + std::to_string(report.threads) + " threads";
  if (!report.created.empty()) s += " \u00b7 " + escape(report.created);
  if (!report.version.empty()) s += " \u00b7 mxai " + escape(report.version);
  return s + "</p>";
}

const char* kIntroduction =
    "<p>How much of a gradient-based explanation lies along the data manifold? For an attribution <i>a</i> of an "
    "input and an orthonormal basis <i>U</i> of the manifold's tangent space there, the <b>tangent fraction</b> "
    "\u2016U\u1d40a\u2016 / \u2016a\u2016 is 1 when the explanation lies in the tangent space and about "
    "\u221a(k/d) for a random direction (d: input dimension, k: tangent dimension). Bordt et al., <i>The Manifold "
    "Hypothesis for Gradient-Based Explanations</i>, find that explanations with larger fractions are more "
    "meaningful to people, that smoothed and integrated gradients are better aligned than the raw gradient, and "
    "that adversarially robust models are better aligned than standard ones. Simpson et al., <i>Tangentially "
    "Aligned Integrated Gradients</i>, choose the Integrated-Gradients base-point to maximise the fraction. This "
    "page shows what this run measured, the papers' numbers beside ours, and whether each of their claims holds "
    "here. The same numbers are in <code>results.json</code>.</p>";

std::string contents(const RunResults& report) {
  std::string s = "<nav><ul><li><a href=\"#findings\">Findings</a></li>";
  for (size_t i = 0; i < report.datasets.size(); ++i) {
    const DatasetResults& dataset = report.datasets[i];
    s += "<li><a href=\"#" + dataset_anchor(i) + "\">" + escape(dataset_title(dataset.key)) +
         "</a>";
    if (dataset.has_taig) s += " (<a href=\"#" + dataset_anchor(i) + "-taig\">TAIG</a>)";
    s += "</li>";
  }
  return s + "<li><a href=\"#settings\">Settings</a></li><li><a href=\"#timings\">Timings</a></li></ul></nav>";
}

std::string findings_section(const RunResults& report) {
  int total = 0, holding = 0, ties = 0;
  auto tally = [&](const std::vector<Finding>& findings) {
    for (const Finding& finding : findings) {
      ++total;
      holding += finding.verdict == explain::Verdict::Holds;
      ties += finding.verdict == explain::Verdict::Tie;
    }
  };
  for (const DatasetResults& dataset : report.datasets) {
    tally(dataset.findings);
    if (dataset.has_taig) tally(dataset.taig.findings);
  }
  std::string s = "<section id=\"findings\"><h2>Findings</h2>";
  if (total == 0) return s + "<p>No findings were checked in this run.</p></section>";
  s += "<p><strong>" + std::to_string(holding) + " of " + std::to_string(total) +
       "</strong> of the papers' claims hold in this run (ties: " + std::to_string(ties) +
       ", not holding: " + std::to_string(total - holding - ties) +
       "). A claim holds only when the 95% bootstrap interval of its difference, over the same evaluation points, "
       "excludes 0 on its side; an interval containing 0 is a tie.</p>";
  for (size_t i = 0; i < report.datasets.size(); ++i) {
    const DatasetResults& dataset = report.datasets[i];
    const bool taig = dataset.has_taig && !dataset.taig.findings.empty();
    if (dataset.findings.empty() && !taig) continue;
    s += "<h3><a href=\"#" + dataset_anchor(i) + "\">" + escape(dataset_title(dataset.key)) +
         "</a></h3><ul class=\"findings\">" + findings_list(dataset.findings, "");
    if (taig) s += findings_list(dataset.taig.findings, "TAIG: ");
    s += "</ul>";
  }
  return s + "</section>";
}

std::string timings_section(const RunResults& report) {
  std::string s = "<section id=\"timings\"><h2>Stage timings</h2>";
  if (report.stages.empty()) return s + "<p>No stages were recorded.</p></section>";
  s += "<table class=\"numbers timings\"><thead><tr><th>stage</th><th>wall time</th><th></th></tr></thead><tbody>";
  double total = 0;
  int reused = 0;
  for (const StageOutcome& stage : report.stages) {
    s += "<tr><th scope=\"row\">" + escape(stage.name) + "</th>";
    if (stage.reused) {
      ++reused;
      s += "<td>\u2013</td><td class=\"note\"><span class=\"reused\">reused</span> (found on disk)</td></tr>";
    } else {
      total += stage.seconds;
      s += "<td>" + format_duration(stage.seconds) + "</td><td class=\"note\"></td></tr>";
    }
  }
  const std::string reused_note =
      reused ? std::to_string(reused) + " of " + std::to_string(report.stages.size()) + " stages reused" : "";
  s += "<tr><th scope=\"row\"><strong>total</strong></th><td><strong>" + format_duration(total) +
       "</strong></td><td class=\"note\">" + reused_note + "</td></tr></tbody></table>";
  return s + "</section>";
}

}  // namespace

void write_index_html(const RunResults& report, const std::string& path) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                     escape(report_title()) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<header><h1>" + escape(report_title()) + "</h1>" + meta_line(report) + "</header>\n";
  html += std::string(kIntroduction) + "\n" + contents(report) + "\n";
  html += findings_section(report) + "\n";
  for (size_t i = 0; i < report.datasets.size(); ++i)
    html += dataset_section(report.datasets[i], i) + "\n";
  html += "<section id=\"settings\"><h2>Settings</h2>" + pairs_table(report.settings, "setting", "value") +
          "</section>\n";
  html += timings_section(report) + "\n";
  html += "<footer>Written by mxai" + (report.version.empty() ? std::string() : " " + escape(report.version)) +
          (report.created.empty() ? std::string() : " on " + escape(report.created)) +
          ". Numbers for programs: <code>results.json</code>.</footer>\n</body>\n</html>\n";
  write_file_atomic(path, html);
}

}  // namespace mxai::report
