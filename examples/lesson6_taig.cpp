// Lesson 6: Tangentially Aligned Integrated Gradients (TAIG) on one image.
//
// IG depends on its base-point alpha: IG(x; alpha) = (x - alpha) * (average gradient on the path alpha -> x).
// Simpson et al. choose, per image, the alpha that makes IG lie in the data manifold's tangent space, i.e. that
// maximises mu(alpha) = ||U^T IG(x; alpha)|| / ||IG(x; alpha)|| (lesson 5's tangent fraction). mu is a function
// of gradients of the network, so d mu / d alpha needs second derivatives (lesson 2); for a ReLU network the
// Hessian vanishes almost everywhere and the library may skip that term (piecewise_linear). The ascent starts at
// the zero image, takes projected Adam steps on alpha inside the pixel box [0,1], and keeps the best iterate.
//
//   lesson6_taig [model file=lesson3_lenet.safetensors] [split=lesson5_manifold.safetensors] [png=lesson6_taig.png]
//
// Read along: explain/taig.h (optimal_baseline, TaigOptions), explain/taig_objective.h (mu and its gradient),
// docs/taig.md (the choices, and why the unconstrained optimum alpha -> x is useless).
#include <cstdio>
#include <string>

#include "autodiff/ops.h"
#include "explain/visualization.h"
#include "datasets/image_write.h"
#include "datasets/transforms.h"
#include "explain/integrated_gradients.h"
#include "explain/taig.h"
#include "explain/tangent_alignment.h"
#include "nn/lenet.h"
#include "nn/model_file.h"
#include "vae/manifold_dataset.h"

using namespace mxai;

int main(int argc, char** argv) {
  const std::string model_file = argc > 1 ? argv[1] : "lesson3_lenet.safetensors";
  const std::string split_file = argc > 2 ? argv[2] : "lesson5_manifold.safetensors";
  const std::string png = argc > 3 ? argv[3] : "lesson6_taig.png";

  Generator unused(0);
  auto lenet = std::make_shared<nn::LeNet>(1, 32, 32, 10, unused);
  nn::load_module(*lenet, model_file);
  lenet->eval();
  const explain::Model model = [lenet](const Tensor& x) { return lenet->forward(x); };

  // The first generated image of lesson 5 and the orthonormal basis U of the tangent space there.
  const vae::ManifoldSample data = vae::load_manifold_split_file(split_file, /*require_tangent=*/true).sample;
  const Tensor x = narrow(data.images, 0, 0, 1);      // (1,1,32,32)
  const Tensor basis = narrow(data.tangent, 0, 0, 1);  // (1,1024,10)
  const explain::Targets target = {data.labels[0]};

  explain::TaigOptions options;  // Adam, lr 0.1, 8 path points per step, at most 100 steps, stop at mu >= 0.95
  options.piecewise_linear = true;  // LeNet is ReLU + max-pool + linear: the skipped Hessian term is zero
  options.record_trace = true;      // keep mu after every step, to print the ascent
  const explain::TaigResult r = explain::optimal_baseline(model, x, basis, target, Tensor(), options);

  std::printf("mu along the ascent (8-point IG), every 10 steps:\n");
  const std::vector<double>& trace = r.trace[0];
  for (size_t step = 0; step < trace.size(); step += 10) std::printf("  step %3zu  mu %.3f\n", step, trace[step]);
  std::printf("steps taken %d (%s the 0.95 target), step-size reductions %d\n", r.iterations[0],
              r.reached_target[0] ? "reached" : "did not reach", r.fallbacks[0]);
  std::printf("mu before (zero base-point) %.3f -> best during the ascent %.3f -> final 50-point IG %.3f\n",
              r.initial_mu[0], r.ascent_mu[0], r.mu[0]);
  std::printf("||x - alpha|| = %.2f, F(x) - F(alpha) = %.3f, completeness gap %.2e\n", r.distance[0],
              r.output_gap[0], r.completeness_gap[0]);

  // For comparison, the ordinary IG from the zero image with the same 50 points.
  const Tensor ig_zero = explain::IntegratedGradients(model).attribute(x, Tensor(), target, 50).attributions;
  const double mu_zero = explain::tangent_fraction(ig_zero, basis)[0];
  std::printf("IG from the zero image, 50 points: mu %.3f (a random direction: about %.3f)\n", mu_zero,
              explain::random_expectation_exact(10, 1024));

  // Picture: image | optimal base-point | IG from zero | TAIG's IG (red raises the logit, blue lowers it).
  const auto rgb = [](const Tensor& grey) { return concat({grey, grey, grey}, 1); };
  const auto heat = [](const Tensor& a) {
    return reshape(explain::attribution_heatmap(reshape(a, {32, 32})), {1, 3, 32, 32});
  };
  const Tensor row = concat({rgb(x), rgb(r.baseline), heat(ig_zero), heat(r.attributions)}, 0);
  write_png_grid(png, resize_bilinear(row, 128, 128), 4);
  std::printf("wrote %s: image | optimal base-point | IG from zero | TAIG\n", png.c_str());

  const bool ok = r.mu[0] > mu_zero;
  std::printf("%s: the optimised base-point gives a better aligned IG than the zero image\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
