// Curves of a value against a fraction on [0, 1] -- ROAR's test accuracy against the fraction of pixels removed --
// as inline SVG with markers at the measured points and a legend, in the style of the density plots.
#pragma once

#include <string>
#include <vector>

namespace mxai::report {

struct LineSeries {
  std::string label;
  std::string colour;       // "#rrggbb"
  bool dashed = false;      // tells apart two series that share a colour
  std::vector<double> y;    // one per x; NaN leaves a gap
};

// x ascending in [0, 1]; y in [0, 1] (the axis spans [0, 1]). `id` must be unique within the page.
std::string line_plot_svg(const std::vector<double>& x, const std::vector<LineSeries>& series,
                          const std::string& x_label, const std::string& y_label, const std::string& title,
                          const std::string& id);

}  // namespace mxai::report
