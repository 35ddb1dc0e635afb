// Grad-CAM, guided backprop and bilinear upsampling of an mxai LeNet against PyTorch's on the same weights
// (scripts/torch_explain_methods.py): equal to 1e-4 of the largest |attribution|. Skipped (with a warning) when
// /usr/bin/python3 cannot import torch, since PyTorch is only a verification tool.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <unistd.h>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/resize.h"
#include "experiments/attribution_methods.h"
#include "explain/gradcam.h"
#include "explain/guided_backprop.h"
#include "explain/target.h"
#include "nn/nn.h"
#include "unit/test_torch_oracle.h"

using namespace mxai;
using mxai_test::slurp;
using mxai_test::torch_available;
using namespace mxai::explain;

namespace {

// max |a - b| / max |b|: the agreement relative to the attribution's scale.
double relative_difference(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  double difference = 0, scale = 0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    difference = std::max(difference, std::abs(double(a.data()[i]) - double(b.data()[i])));
    scale = std::max(scale, std::abs(double(b.data()[i])));
  }
  return difference / std::max(scale, 1e-30);
}

}  // namespace

TEST_CASE("Grad-CAM, guided backprop and bilinear upsampling of a LeNet equal PyTorch's", "[explain][torch]") {
  if (!torch_available()) {
    WARN("skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch to run this check)");
    return;
  }
  char tmpl[] = "/tmp/mxai_torch_methods_XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  const std::string dir = tmpl;

  Generator gen(21);
  auto lenet = std::make_shared<nn::LeNet>(1, 28, 28, 10, gen);
  lenet->eval();
  const Tensor inputs = rand({3, 1, 28, 28}, gen);
  const Targets targets{3, 7, 0};
  const Tensor upsample_in = randn({2, 3, 5, 7}, gen);
  nn::save_module(*lenet, dir + "/model.mxai.safetensors",
                  {{"arch", "lenet"}, {"in_channels", "1"}, {"height", "28"}, {"width", "28"}, {"num_classes", "10"}});
  nn::save_safetensors(dir + "/methods_io.safetensors",
                       {{"inputs", inputs},
                        {"targets", Tensor::from({3}, {3, 7, 0})},
                        {"upsample_in", upsample_in},
                        {"upsample_size", Tensor::from({2}, {11, 16})}});

  const std::string log_path = dir + "/torch_methods.log";
  const int status = std::system(("/usr/bin/python3 '" + std::string(MXAI_SOURCE_DIR) +
                                  "/scripts/torch_explain_methods.py' '" + dir + "' > '" + log_path + "' 2>&1")
                                     .c_str());
  INFO("torch_explain_methods.py output:\n" << slurp(log_path));
  REQUIRE(status == 0);
  const nn::SafetensorsContents torch = nn::load_safetensors(dir + "/methods.torch.safetensors");

  const LayerSplit split{[lenet](const Tensor& x) { return lenet->conv_output(x); },
                         [lenet](const Tensor& a) { return lenet->from_conv_output(a); }};
  const double map = relative_difference(layer_gradcam(split, inputs, targets), torch.tensors.at("gradcam_map"));
  const double cam = relative_difference(gradcam(split, inputs, targets), torch.tensors.at("gradcam"));
  const double guided = relative_difference(guided_backprop(compose(split), inputs, targets), torch.tensors.at("guided"));
  const double upsampled = relative_difference(upsample_bilinear2d(upsample_in, 11, 16), torch.tensors.at("upsample_out"));
  UNSCOPED_INFO("relative differences: gradcam map " << map << ", gradcam " << cam << ", guided " << guided
                                                     << ", upsample " << upsampled);
  CHECK(map <= 1e-4);
  CHECK(cam <= 1e-4);
  CHECK(guided <= 1e-4);
  CHECK(upsampled <= 1e-5);
  // The same through the registry that `mxai explain` and `mxai reproduce` use (LeNet cut at conv2).
  experiments::MethodContext context;
  context.split = experiments::layer_split(lenet, "conv2");
  const explain::Model model = [lenet](const Tensor& x) { return lenet->forward(x); };
  const auto registry = experiments::attribute_methods({"gradcam", "guided_backprop"}, model, inputs, targets,
                                                       experiments::MethodSettings{}, context);
  const double registry_cam = relative_difference(registry.at("gradcam"), torch.tensors.at("gradcam"));
  const double registry_guided = relative_difference(registry.at("guided_backprop"), torch.tensors.at("guided"));
  UNSCOPED_INFO("through the registry: gradcam " << registry_cam << ", guided " << registry_guided);
  CHECK(registry_cam <= 1e-4);
  CHECK(registry_guided <= 1e-4);
  // Guided backprop agreeing with torch means something only if it differs from the plain gradient.
  const Tensor gradient = target_gradient(compose(split), inputs, targets);
  CHECK(relative_difference(gradient, torch.tensors.at("guided")) > 1e-2);
  std::system(("rm -rf '" + dir + "'").c_str());
}
