#include "report/line_plot.h"

#include <cmath>
#include <cstdio>

#include "report/html_text.h"

namespace mxai::report {

namespace {

constexpr double kWidth = 800, kHeight = 340;
constexpr double kLeft = 58, kRight = 470, kTop = 14, kBottom = 288;
constexpr double kLegendX = 492, kLegendRow = 22;

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

double to_x(double v) { return kLeft + v * (kRight - kLeft); }
double to_y(double v) { return kBottom - v * (kBottom - kTop); }

std::string text(double x, double y, const std::string& markup, const std::string& attributes = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + (attributes.empty() ? "" : " " + attributes) + ">" +
         markup + "</text>";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& attributes) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" " +
         attributes + "/>";
}

std::string stroke(const LineSeries& s) {
  return "stroke=\"" + escape(s.colour) + "\" stroke-width=\"2\"" + (s.dashed ? " stroke-dasharray=\"6 3\"" : "");
}

}  // namespace

std::string line_plot_svg(const std::vector<double>& x, const std::vector<LineSeries>& series,
                          const std::string& x_label, const std::string& y_label, const std::string& title,
                          const std::string& id) {
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lines\" id=\"" + escape(id) +
                  "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) + "\" role=\"img\" aria-label=\"" +
                  escape(title) + "\" font-family=\"sans-serif\" font-size=\"12\"><title>" + escape(title) +
                  "</title><rect x=\"0\" y=\"0\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) +
                  "\" fill=\"#fff\"/>";
  s += "<g class=\"axes\" stroke=\"#333\" stroke-width=\"1\">" + line(kLeft, kBottom, kRight, kBottom, "") +
       line(kLeft, kBottom, kLeft, kTop, "");
  for (int i = 0; i <= 10; ++i) {
    s += line(to_x(i / 10.0), kBottom, to_x(i / 10.0), kBottom + (i % 2 ? 3 : 6), "");
    s += line(kLeft - (i % 2 ? 3 : 6), to_y(i / 10.0), kLeft, to_y(i / 10.0), "");
    if (i > 0 && i % 2 == 0) s += line(kLeft, to_y(i / 10.0), kRight, to_y(i / 10.0), "stroke=\"#e4e4e4\"");
  }
  s += "</g><g class=\"tick-labels\" fill=\"#333\">";
  for (int i = 0; i <= 10; i += 2) {
    s += text(to_x(i / 10.0), kBottom + 20, format_number(i / 10.0, "%.1f"), "text-anchor=\"middle\"");
    s += text(kLeft - 9, to_y(i / 10.0) + 4, format_number(i / 10.0, "%.1f"), "text-anchor=\"end\"");
  }
  s += text((kLeft + kRight) / 2, kBottom + 42, escape(x_label), "text-anchor=\"middle\"");
  s += "<text transform=\"translate(16 " + num((kTop + kBottom) / 2) + ") rotate(-90)\" text-anchor=\"middle\">" +
       escape(y_label) + "</text></g><g fill=\"none\" stroke-linejoin=\"round\">";
  for (const LineSeries& one : series) {
    std::string path;
    bool pen_down = false;
    for (size_t i = 0; i < x.size() && i < one.y.size(); ++i) {
      if (!std::isfinite(one.y[i])) {
        pen_down = false;
        continue;
      }
      path += (pen_down ? " L" : " M") + num(to_x(x[i])) + "," + num(to_y(one.y[i]));
      pen_down = true;
      s += "<circle cx=\"" + num(to_x(x[i])) + "\" cy=\"" + num(to_y(one.y[i])) + "\" r=\"2.5\" fill=\"" +
           escape(one.colour) + "\"/>";
    }
    if (!path.empty()) s += "<path d=\"" + path.substr(1) + "\" " + stroke(one) + "/>";
  }
  s += "</g><g class=\"legend\">";
  double y = kTop + 10;
  for (const LineSeries& one : series) {
    s += line(kLegendX, y - 4, kLegendX + 24, y - 4, stroke(one)) + text(kLegendX + 32, y, escape(one.label));
    y += kLegendRow;
  }
  return s + "</g></svg>";
}

}  // namespace mxai::report
