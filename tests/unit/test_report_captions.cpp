// The report words what the pipeline recorded: each figure kind's caption from its model and method columns, and
// each data set's section title from its results.json key.
#include <catch2/catch.hpp>

#include <string>

#include "report/figure_captions.h"
#include "report/titles.h"

using namespace mxai::report;

namespace {

Figure figure_of(FigureKind kind, const std::string& model_label, const std::vector<std::string>& methods) {
  Figure figure;
  figure.png = "mnist32/figure.png";
  figure.kind = kind;
  figure.model_label = model_label;
  figure.methods = methods;
  return figure;
}

}  // namespace

TEST_CASE("each figure kind has its caption, naming the model and the method columns", "[report]") {
  CHECK(figure_caption(figure_of(FigureKind::ManifoldMethodExamples, "LeNet, standard training",
                                 {"gradient", "smoothgrad"})) ==
        "Examples, LeNet, standard training. Columns: image; Gradient; SmoothGrad; the gradient's part in the "
        "tangent space; its orthogonal part (both on the gradient's colour range). Red positive, blue negative, each "
        "map on its own symmetric range.");
  CHECK(figure_caption(figure_of(FigureKind::FurtherMethodExamples, "LeNet, l2 PGD training", {"gradcam"})) ==
        "The further methods, LeNet, l2 PGD training. Columns: image; Grad-CAM; each map on its own symmetric range.");
  CHECK(figure_caption(figure_of(FigureKind::TaigExamples, "", {"ig_zero", "ig_optimal"})) ==
        "Columns: image; IG with the zero, uniform, maximum-distance and Gaussian base-points; IG with the "
        "optimised base-point. Each map on its own symmetric range.");
  CHECK(figure_caption(figure_of(FigureKind::TaigBasePoints, "", {})) ==
        "The optimised base-points of the same rows (pixels in [0, 1]).");
}

TEST_CASE("both data sets have a section title and an unknown one falls back to its key", "[report]") {
  CHECK(dataset_title("mnist32") == "MNIST32: generated digits with exact tangent spaces");
  CHECK(dataset_title("fashion-mnist") == "Fashion-MNIST: tangent spaces estimated by an autoencoder");
  CHECK(dataset_title("cifar10") == "cifar10");
  CHECK(report_title() == "mxai: gradient explanations and the data manifold");
}
