// Lesson 4: explaining one prediction.
//
// Three attributions of the LeNet of lesson 3 on one Fashion-MNIST test image, for the class it predicts:
//   Gradient    d F / d x, F = the logit of that class (Simonyan et al.)
//   IG          (x - b) * the average of d F / d x on the straight path from the base-point b = 0 to x
//               (Sundararajan et al.); it is "complete": its entries sum to F(x) - F(b)
//   SmoothGrad  the gradient averaged over noisy copies x + N(0, 0.1^2) (Smilkov et al.)
// and a picture of them: lesson4_attributions.png, red = raises F, blue = lowers it.
//
//   lesson4_explaining [model file=lesson3_lenet.safetensors] [png=lesson4_attributions.png]
//
// Read along: explain/attribution.h (Model, Targets), explain/saliency.h, explain/integrated_gradients.h,
// explain/noise_tunnel.h, explain/visualization.h and datasets/image_write.h (the PNG).
#include <cmath>
#include <cstdio>
#include <string>

#include "autodiff/ops.h"
#include "explain/visualization.h"
#include "datasets/image_write.h"
#include "datasets/registry.h"
#include "datasets/transforms.h"
#include "explain/integrated_gradients.h"
#include "explain/noise_tunnel.h"
#include "explain/saliency.h"
#include "explain/target.h"
#include "nn/lenet.h"
#include "nn/model_file.h"

using namespace mxai;

// The IDX files carry no class names; these are Fashion-MNIST's, in label order.
const char* const kClassNames[10] = {"T-shirt/top", "trouser", "pullover", "dress", "coat",
                                     "sandal",      "shirt",   "sneaker",  "bag",   "ankle boot"};

// attribution (1,1,H,W) -> (1,3,H,W): its heatmap, on its own symmetric colour range.
Tensor heatmap(const Tensor& attribution) {
  const Tensor map = explain::attribution_heatmap(reshape(attribution, {attribution.size(2), attribution.size(3)}));
  return reshape(map, {1, 3, attribution.size(2), attribution.size(3)});
}

int main(int argc, char** argv) {
  const std::string model_file = argc > 1 ? argv[1] : "lesson3_lenet.safetensors";
  const std::string png = argc > 2 ? argv[2] : "lesson4_attributions.png";

  Generator unused(0);  // the weights come from the file; LeNet's constructor still wants a generator
  auto lenet = std::make_shared<nn::LeNet>(1, 32, 32, 10, unused);
  nn::load_module(*lenet, model_file);
  lenet->eval();  // the methods assume a deterministic model: dropout off
  // An attribution method sees the model as a plain function from a batch (N,1,32,32) to logits (N,10).
  const explain::Model model = [lenet](const Tensor& x) { return lenet->forward(x); };

  LoadOptions load;
  load.image_size = 32;
  load.size_mode = SizeMode::PadCrop;  // as in lesson 3
  const Dataset test = load_dataset("fashion-mnist", "test", load);
  const Tensor x = gather_images(test.images, {0});  // (1,1,32,32), the first test image
  const explain::Targets target = explain::resolve_targets(model, x, {});  // empty: the predicted class
  std::printf("image 0: label %s, predicted %s\n", kClassNames[test.labels[0]], kClassNames[target[0]]);

  const explain::Saliency gradient(model);
  const Tensor grad = gradient.attribute(x, target);  // (1,1,32,32)

  // IG with the zero image as base-point, 50 Gauss-Legendre points on the path; delta = sum(IG) - (F(x) - F(0)),
  // the quadrature's completeness error.
  const explain::IntegratedGradients ig(model);
  const explain::IntegratedGradientsResult ig_result = ig.attribute(x, Tensor(), target, 50);
  const std::vector<double> logit = explain::target_logit_values(model, concat({x, Tensor::zeros(x.shape())}, 0),
                                                                 {target[0], target[0]}, 2);
  const double ig_sum = sum(ig_result.attributions).item(), delta = ig_result.delta.item();
  std::printf("F(x) = %.4f, F(0) = %.4f, F(x) - F(0) = %.4f\n", logit[0], logit[1], logit[0] - logit[1]);
  std::printf("IG: sum of attributions %.4f, completeness delta %.2e\n", ig_sum, delta);

  // SmoothGrad: 25 noisy copies, noise sd 0.1 in pixel units, drawn from a seeded generator.
  Generator noise(1);
  const explain::NoiseTunnel smooth(gradient);
  const Tensor smoothgrad = smooth.attribute(x, target, explain::NoiseTunnelType::SmoothGrad, 25, real(0.1), noise);

  // One row: the image, then each attribution's heatmap, scaled up 4x so the pixels are visible.
  const Tensor image_rgb = concat({x, x, x}, 1);  // grey (1,1,32,32) -> (1,3,32,32)
  const Tensor row = concat({image_rgb, heatmap(grad), heatmap(ig_result.attributions), heatmap(smoothgrad)}, 0);
  write_png_grid(png, resize_bilinear(row, 128, 128), 4);
  std::printf("wrote %s: image | gradient | IG | SmoothGrad\n", png.c_str());

  // IG's completeness, measured: with 50 points the quadrature error should be a small part of F(x) - F(0).
  const double relative = std::abs(delta) / std::abs(logit[0] - logit[1]);
  std::printf("%s: |delta| / |F(x) - F(0)| = %.4f\n", relative < 0.05 ? "OK" : "FAILED", relative);
  return relative < 0.05 ? 0 : 1;
}
