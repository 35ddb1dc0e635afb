#include "report/figure_captions.h"

#include "experiments/attribution_methods.h"

namespace mxai::report {

namespace {

// The heat-map columns after the image, each followed by "; " so the caption can go on with its last columns.
std::string method_columns(const std::vector<std::string>& keys) {
  std::string columns;
  for (const auto& key : keys) columns += experiments::attribution_method_label(key) + "; ";
  return columns;
}

}  // namespace

std::string figure_caption(const Figure& figure) {
  switch (figure.kind) {
    case FigureKind::ManifoldMethodExamples:
      return "Examples, " + figure.model_label + ". Columns: image; " + method_columns(figure.methods) +
             "the gradient's part in the tangent space; its orthogonal part (both on the gradient's colour range). "
             "Red positive, blue negative, each map on its own symmetric range.";
    case FigureKind::FurtherMethodExamples:
      return "The further methods, " + figure.model_label + ". Columns: image; " + method_columns(figure.methods) +
             "each map on its own symmetric range.";
    case FigureKind::TaigExamples:
      // The standard base-points in words rather than as their method labels: one list reads better than four
      // "IG, ... base-point" labels in a row.
      return "Columns: image; IG with the zero, uniform, maximum-distance and Gaussian base-points; IG with the "
             "optimised base-point. Each map on its own symmetric range.";
    case FigureKind::TaigBasePoints:
      return "The optimised base-points of the same rows (pixels in [0, 1]).";
  }
  return figure.png;  // not reached: every kind has its caption above
}

}  // namespace mxai::report
