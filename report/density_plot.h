// The report's figure type: densities of tangent fractions on [0,1], one coloured curve per method, a legend, and
// the random baseline sqrt(k/d) as a dashed vertical line -- the layout of the papers' figures, as inline SVG so the
// page needs no scripts and no network.
#pragma once

#include <string>
#include <vector>

namespace mxai::report {

struct DensitySeries {
  std::string label;
  std::string colour;          // "#rrggbb"
  std::vector<double> values;  // fractions in [0,1]; NaN skipped
  bool emphasis = false;       // drawn thicker (the method the section is about)
};

// A standalone <svg> element. `id` must be unique within the page (it names the clip path); `title` is the
// accessible name. The baseline line is left out when it is not in [0,1].
std::string density_plot_svg(const std::vector<DensitySeries>& series, double baseline, const std::string& title,
                             const std::string& id);

}  // namespace mxai::report
