// mxai's Gradient, Input x Gradient and Integrated Gradients of a LeNet against PyTorch's autograd on the same
// weights and points (scripts/torch_attributions.py). The points are digit-like: a patch of strokes on an exactly
// flat background, where 2x2 max-pool windows hold tied values after the ReLU -- the place where a different
// tie rule would route the gradient to a different pixel. Skipped (with a warning) when /usr/bin/python3 cannot
// import torch.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unistd.h>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "explain/input_x_gradient.h"
#include "explain/integrated_gradients.h"
#include "explain/saliency.h"
#include "nn/nn.h"
#include "unit/test_torch_oracle.h"

using namespace mxai;

namespace {

// (N,1,28,28): zeros except one random 12x12 patch of strokes (values in [0,1), half of them 0) per image.
Tensor digit_like_images(int64_t n, Generator& gen) {
  Tensor x = Tensor::zeros({n, 1, 28, 28});
  for (int64_t e = 0; e < n; ++e) {
    const int64_t top = 4 + static_cast<int64_t>(gen.below(12)), left = 4 + static_cast<int64_t>(gen.below(12));
    for (int64_t i = top; i < top + 12; ++i)
      for (int64_t j = left; j < left + 12; ++j)
        if (gen.uniform() < 0.5) x.data()[(e * 28 + i) * 28 + j] = static_cast<real>(gen.uniform());
  }
  return x;
}

// A few hundred Adam steps on labels of a fixed rule, so the weights are those of a trained model, not of an
// initialisation (whose activations are closer to symmetric around 0).
void train_briefly(nn::Module& model, Generator& gen) {
  nn::Adam adam(model.parameters());
  for (int step = 0; step < 60; ++step) {
    const Tensor x = digit_like_images(16, gen);
    std::vector<int64_t> labels(16);
    for (int64_t e = 0; e < 16; ++e) {  // class = which third of the image holds the most ink, a learnable rule
      double thirds[3] = {0, 0, 0};
      for (int64_t p = 0; p < 28 * 28; ++p) thirds[std::min<int64_t>(2, (p % 28) / 10)] += x.data()[e * 784 + p];
      labels[e] = std::max_element(thirds, thirds + 3) - thirds;
    }
    adam.zero_grad();
    nn::cross_entropy(model.forward(x), labels).backward();
    adam.step();
  }
}

double max_abs(const Tensor& t) {
  double m = 0;
  for (int64_t i = 0; i < t.numel(); ++i) m = std::max(m, std::abs(double(t.data()[i])));
  return m;
}

}  // namespace

TEST_CASE("Gradient, Input x Gradient and IG of an mxai LeNet equal PyTorch's", "[explain][torch]") {
  if (!mxai_test::torch_available()) {
    WARN("skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch to run this check)");
    return;
  }
  char tmpl[] = "/tmp/mxai_torch_attributions_XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  const std::string dir = tmpl;

  Generator gen(23);
  auto model = nn::make_classifier("lenet", 1, 28, 28, 10, 5);
  train_briefly(*model, gen);
  model->eval();
  const explain::Model logits = [&](const Tensor& x) { return model->forward(x); };

  const int64_t n = 12;
  const int ig_steps = 16;
  const Tensor x = digit_like_images(n, gen);
  explain::Targets targets(n);
  Tensor targets_real = Tensor::empty({n});
  for (int64_t e = 0; e < n; ++e) targets_real.data()[e] = static_cast<real>(targets[e] = e % 3);

  std::map<std::string, Tensor> ours;
  ours["gradient"] = explain::Saliency(logits).attribute(x, targets);
  ours["input_x_gradient"] = explain::InputXGradient(logits).attribute(x, targets);
  const explain::IntegratedGradients ig(logits);
  ours["ig"] = ig.attribute(x, Tensor(), targets, ig_steps).attributions;
  ours["ig_path"] = ig.attribute(x, Tensor(), targets, ig_steps, explain::Quadrature::GaussLegendre, 0,
                                 /*multiply_by_inputs=*/false)
                        .attributions;

  nn::save_module(*model, dir + "/lenet.safetensors",
                  {{"arch", "lenet"}, {"in_channels", "1"}, {"height", "28"}, {"width", "28"}, {"num_classes", "10"}});
  Tensor steps = Tensor::empty({1});
  steps.data()[0] = ig_steps;
  nn::save_safetensors(dir + "/io.safetensors", {{"inputs", x}, {"targets", targets_real}, {"ig_steps", steps}});
  const std::string command = "/usr/bin/python3 '" + std::string(MXAI_SOURCE_DIR) +
                              "/scripts/torch_attributions.py' '" + dir + "/lenet.safetensors' '" + dir +
                              "/io.safetensors' '" + dir + "/torch.safetensors' > '" + dir + "/log' 2>&1";
  const int status = std::system(command.c_str());
  INFO("torch_attributions.py output:\n" << mxai_test::slurp(dir + "/log"));
  REQUIRE(status == 0);

  const nn::SafetensorsContents theirs = nn::load_safetensors(dir + "/torch.safetensors");
  for (const auto& [key, attribution] : ours) {
    const double scale = max_abs(theirs.tensors.at(key));
    REQUIRE(scale > 0);
    const double relative = mxai_test::max_abs_difference(attribution, theirs.tensors.at(key)) / scale;
    UNSCOPED_INFO(key << ": max |mxai - torch| / max |torch| = " << relative);
    CHECK(relative <= 1e-4);
  }
  std::system(("rm -rf '" + dir + "'").c_str());
}
