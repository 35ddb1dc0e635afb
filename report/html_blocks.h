// Pieces of index.html that several sections share: the per-method summary table, the density figure, the PNG
// figures and a two-column table. Each returns a self-contained HTML fragment with all report text escaped.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "report/report.h"

namespace mxai::report {

// Mean / median / quartiles / n per method, then the random-direction row of `dataset`.
std::string summary_table(const std::vector<MethodScores>& methods, const DatasetResults& dataset);

// The density plot of `methods` with the sqrt(k/d) line, in a <figure> with `caption`. `plot_id` is unique on the
// page; the method `emphasis_key` (may be empty) is drawn thicker.
std::string density_figure(const std::vector<MethodScores>& methods, const DatasetResults& dataset,
                           const std::string& caption, const std::string& plot_id, const std::string& emphasis_key);

// <img> figures (paths relative to index.html), zoomed by an integer factor; a figure that was not written is
// named as missing.
std::string figures_block(const std::vector<Figure>& figures);

// A name / value table (settings).
std::string pairs_table(const std::vector<std::pair<std::string, std::string>>& rows, const std::string& name_header,
                        const std::string& value_header);

// "✓ holds" / "= tie" / "✗ does not hold" list items, each with its statistic and interval.
std::string findings_list(const std::vector<Finding>& findings, const std::string& prefix);

}  // namespace mxai::report
