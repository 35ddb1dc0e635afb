#include "report/density_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "explain/summary_statistics.h"
#include "report/html_text.h"
#include "report/kde.h"

namespace mxai::report {

namespace {

// Geometry in SVG user units; the element scales to the page width through its viewBox.
constexpr double kWidth = 800, kHeight = 340;
constexpr double kLeft = 58, kRight = 470, kTop = 14, kBottom = 288;
constexpr double kLegendX = 492, kLegendRow = 32;
const char* kBaselineStyle = "stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"";

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

std::string line(double x1, double y1, double x2, double y2, const std::string& attributes = "") {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\"" +
         (attributes.empty() ? "" : " " + attributes) + "/>";
}

// `markup` is inserted as is: callers escape report text.
std::string text(double x, double y, const std::string& markup, const std::string& attributes = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + (attributes.empty() ? "" : " " + attributes) + ">" +
         markup + "</text>";
}

double to_x(double fraction) { return kLeft + fraction * (kRight - kLeft); }
double to_y(double density, double y_max) { return kBottom - std::min(density / y_max, 1.02) * (kBottom - kTop); }

// 1, 2, 2.5 or 5 times a power of ten, so about `target` ticks span [0, top].
double nice_step(double top, int target) {
  const double raw = top / target;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0})
    if (m * power >= raw * (1 - 1e-9)) return m * power;
  return 10 * power;
}

// As many decimals as the step needs (0.25 -> 2, 5 -> 0), so labels neither round nor trail zeros.
std::string tick_label(double v, double step) {
  int decimals = 0;
  while (decimals < 6) {
    const double scaled = step * std::pow(10.0, decimals);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6 * scaled) break;
    ++decimals;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

// One spike (a method that puts every point near 1) would flatten all other curves onto the axis: the y range
// then stops at three times the second-highest peak, and the legend says which curve runs off the top.
double y_top(std::vector<double> peaks) {
  std::sort(peaks.rbegin(), peaks.rend());
  if (peaks.empty() || peaks[0] <= 0) return 1.0;
  if (peaks.size() >= 2 && peaks[1] > 0 && peaks[0] > 3 * peaks[1]) return 3 * peaks[1];
  return peaks[0];
}

std::string axes(double y_max, double y_step) {
  const int y_ticks = static_cast<int>(std::lround(y_max / y_step));
  std::string s = "<g class=\"axes\" stroke=\"#333\" stroke-width=\"1\">";
  s += line(kLeft, kBottom, kRight, kBottom) + line(kLeft, kBottom, kLeft, kTop);
  for (int i = 0; i <= 10; ++i) s += line(to_x(i / 10.0), kBottom, to_x(i / 10.0), kBottom + (i % 2 ? 3 : 6));
  for (int t = 0; t <= y_ticks; ++t) {
    const double y = to_y(t * y_step, y_max);
    s += line(kLeft - 6, y, kLeft, y);
    if (t > 0) s += line(kLeft, y, kRight, y, "stroke=\"#e4e4e4\"");  // grid line
  }
  s += "</g><g class=\"tick-labels\" fill=\"#333\">";
  for (int i = 0; i <= 10; i += 2)
    s += text(to_x(i / 10.0), kBottom + 20, format_number(i / 10.0, "%.1f"), "text-anchor=\"middle\"");
  for (int t = 0; t <= y_ticks; ++t)
    s += text(kLeft - 9, to_y(t * y_step, y_max) + 4, tick_label(t * y_step, y_step), "text-anchor=\"end\"");
  s += text((kLeft + kRight) / 2, kBottom + 42, "tangent fraction \u2016U\u1d40a\u2016 / \u2016a\u2016",
            "text-anchor=\"middle\"");
  s += "<text transform=\"translate(16 " + num((kTop + kBottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">density</text></g>";
  return s;
}

// The legend has room for about 46 characters; a longer label is cut at a character boundary and shown whole
// as a tooltip.
std::string legend_label(const std::string& label) {
  constexpr size_t kMax = 46;
  if (label.size() <= kMax) return escape(label);
  size_t cut = kMax - 1;
  while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
  return "<title>" + escape(label) + "</title>" + escape(label.substr(0, cut)) + "\u2026";
}

std::string curve(const Density& d, double y_max, const DensitySeries& series) {
  std::string path;
  for (size_t g = 0; g < d.x.size(); ++g)
    path += (g == 0 ? "M" : " L") + num(to_x(d.x[g])) + "," + num(to_y(d.y[g], y_max));
  return "<path d=\"" + path + "\" stroke=\"" + escape(series.colour) + "\" stroke-width=\"" +
         (series.emphasis ? "3" : "1.8") + "\"/>";
}

// The method on one line, its sample size and median beneath in grey.
std::string legend_entry(double y, const DensitySeries& series, const Density& d, double peak, double y_max) {
  std::string note = d.n == 0 ? "no finite values"
                              : "n " + std::to_string(d.n) + ", median " +
                                    format_number(explain::summarize(series.values).median);
  if (peak > y_max * 1.02) note += ", peak " + format_number(peak, "%.3g") + " off scale";
  return line(kLegendX, y - 4, kLegendX + 24, y - 4,
              "stroke=\"" + escape(series.colour) + "\" stroke-width=\"" + (series.emphasis ? "3" : "2") + "\"") +
         text(kLegendX + 32, y, legend_label(series.label)) +
         text(kLegendX + 32, y + 14, escape(note), "fill=\"#666\" font-size=\"11\"");
}

}  // namespace

std::string density_plot_svg(const std::vector<DensitySeries>& series, double baseline, const std::string& title,
                             const std::string& id) {
  std::vector<Density> densities;
  std::vector<double> peaks;
  for (const DensitySeries& one : series) {
    densities.push_back(unit_interval_density(one.values));
    const auto& y = densities.back().y;
    peaks.push_back(y.empty() ? 0.0 : *std::max_element(y.begin(), y.end()));
  }
  const double top = y_top(peaks);
  const double y_step = nice_step(top, 5);
  const double y_max = std::ceil(top / y_step - 1e-9) * y_step;
  const bool show_baseline = std::isfinite(baseline) && baseline >= 0 && baseline <= 1;
  const std::string clip = escape(id) + "-clip";

  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"density\" viewBox=\"0 0 " + num(kWidth) +
                  " " + num(kHeight) + "\" role=\"img\" aria-label=\"" + escape(title) +
                  "\" font-family=\"sans-serif\" font-size=\"12\">";
  s += "<title>" + escape(title) + "</title>";
  s += "<defs><clipPath id=\"" + clip + "\"><rect x=\"" + num(kLeft) + "\" y=\"" + num(kTop - 2) + "\" width=\"" +
       num(kRight - kLeft) + "\" height=\"" + num(kBottom - kTop + 2) + "\"/></clipPath></defs>";
  s += "<rect x=\"0\" y=\"0\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) + "\" fill=\"#fff\"/>";
  s += axes(y_max, y_step);

  s += "<g clip-path=\"url(#" + clip + ")\" fill=\"none\" stroke-linejoin=\"round\">";
  if (show_baseline) s += line(to_x(baseline), kBottom, to_x(baseline), kTop, kBaselineStyle);
  for (size_t i = 0; i < series.size(); ++i)
    if (densities[i].n > 0) s += curve(densities[i], y_max, series[i]);
  s += "</g>";

  s += "<g class=\"legend\">";
  double y = kTop + 10;
  for (size_t i = 0; i < series.size(); ++i, y += kLegendRow)
    s += legend_entry(y, series[i], densities[i], peaks[i], y_max);
  if (show_baseline)
    s += line(kLegendX, y - 4, kLegendX + 24, y - 4, kBaselineStyle) +
         text(kLegendX + 32, y, "random direction: \u221a(k/d) = " + format_number(baseline));
  return s + "</g></svg>";
}

}  // namespace mxai::report
