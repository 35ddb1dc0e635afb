// Explanations of a frozen LeNet: Integrated Gradients, SmoothGrad, and one TAIG base-point step (double backward
// through the smooth LeNet), as torch_bench.py defines them.
#include <Eigen/QR>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "autodiff/random.h"
#include "bench/workloads.h"
#include "explain/integrated_gradients.h"
#include "explain/noise_tunnel.h"
#include "explain/target.h"
#include "nn/classifiers.h"
#include "nn/optim.h"

namespace mxai::bench {

namespace {

// Eval mode, parameters no longer require grad (torch_bench's freeze()).
std::shared_ptr<nn::Module> frozen_classifier(const std::string& arch) {
  auto m = nn::make_classifier(arch, 1, 32, 32, 10, 0);
  m->eval();
  for (Tensor p : m->parameters()) p.requires_grad_(false);
  return m;
}

struct ExplainCase {
  std::shared_ptr<nn::Module> model;
  explain::Model fn;
  Tensor X;    // (64,1,32,32)
  Tensor out;  // attributions, same shape
};

std::shared_ptr<ExplainCase> make_explain_case() {
  auto c = std::make_shared<ExplainCase>();
  c->model = frozen_classifier("lenet");
  c->fn = [m = c->model](const Tensor& x) { return m->forward(x); };
  Generator gen(0);
  c->X = rand({64, 1, 32, 32}, gen);
  c->out = Tensor::empty(c->X.shape());
  return c;
}

// The predicted classes, one batch-64 forward without a graph (as the anchor does once per rep).
std::vector<int64_t> predicted(const ExplainCase& c) {
  NoGradGuard no_grad;
  return argmax(c.fn(c.X), 1);
}

void store(ExplainCase& c, int64_t i, const Tensor& a) {
  std::copy(a.data(), a.data() + a.numel(), c.out.data() + i * a.numel());
}

}  // namespace

// Zero baseline, Riemann-middle rule with 50 steps; one image's 50 path points form one batch.
Workload setup_integrated_gradients() {
  auto c = make_explain_case();
  auto ig = std::make_shared<explain::IntegratedGradients>(c->fn);
  auto explain_n = [=](int64_t n) {
    const auto pred = predicted(*c);
    for (int64_t i = 0; i < n; ++i) {
      const auto r = ig->attribute(narrow(c->X, 0, i, 1), Tensor(), {pred[i]}, 50, explain::Quadrature::RiemannMiddle,
                                   /*internal_batch_size=*/50);
      store(*c, i, r.attributions);
    }
  };
  return {[=] { explain_n(64); }, 64, "attributions/s", [=] { explain_n(4); }};
}

// 25 samples x + 0.02 N(0,1) per image in one batch; mean plain gradient of the clean-predicted logit.
Workload setup_smoothgrad() {
  auto c = make_explain_case();
  const explain::AttributionFn gradient = [fn = c->fn](const Tensor& x, const explain::Targets& t) {
    return explain::target_gradient(fn, x, t);
  };
  auto tunnel = std::make_shared<explain::NoiseTunnel>(gradient);
  auto gen = std::make_shared<Generator>(1);
  auto explain_n = [=](int64_t n) {
    const auto pred = predicted(*c);
    for (int64_t i = 0; i < n; ++i)
      store(*c, i,
            tunnel->attribute(narrow(c->X, 0, i, 1), {pred[i]}, explain::NoiseTunnelType::SmoothGrad, 25, real(0.02),
                              *gen));
  };
  return {[=] { explain_n(64); }, 64, "attributions/s", [=] { explain_n(4); }};
}

namespace {

Tensor l2_norm(const Tensor& v) { return sqrt(sum(v * v)); }

struct TaigCase {
  std::shared_ptr<nn::Module> model;
  Tensor x, t, U, alpha;  // x (1,1,32,32), t (32,1,1,1), U (1024,10), alpha (1,1,32,32)
  int64_t c = 0;
  std::unique_ptr<nn::Adam> opt;
  double mu = 0, gnorm = 0;
};

// One base-point step: path = alpha + t (x - alpha); g = d logit_c / d path with a graph; IG = (x - alpha) mean(g);
// mu = |U^T IG| / |IG|; (-mu).backward() through the gradient (double backward); Adam on alpha.
void taig_step(TaigCase& s) {
  s.opt->zero_grad();
  const Tensor path = s.alpha + s.t * (s.x - s.alpha);  // (32,1,32,32)
  const Tensor logit = sum(narrow(s.model->forward(path), 1, s.c, 1));
  const Tensor g = grad({logit}, {path}, {}, /*create_graph=*/true)[0];
  const Tensor ig = reshape((s.x - s.alpha) * mean(g, {0}, /*keepdim=*/true), {-1, 1});  // (1024,1)
  const Tensor mu = l2_norm(matmul(transpose(s.U, 0, 1), ig)) / l2_norm(ig);
  (-mu).backward();
  s.opt->step();
  s.mu = mu.item();
  s.gnorm = l2_norm(s.alpha.grad()).item();
}

}  // namespace

Workload setup_taig_step() {
  const int64_t m = 32, k = 10, steps = 20;
  auto s = std::make_shared<TaigCase>();
  s->model = frozen_classifier("lenet-softplus");  // Softplus(beta=10), as the anchor's smooth LeNet
  Generator gen(0);
  s->x = rand({1, 1, 32, 32}, gen);
  // A fixed random orthonormal 1024 x k basis: Q of the QR of a Gaussian matrix.
  const Tensor gauss = randn({1024, k}, gen);
  Eigen::Matrix<real, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> a(1024, k);
  std::copy(gauss.data(), gauss.data() + gauss.numel(), a.data());
  const Eigen::HouseholderQR<decltype(a)> qr(a);
  Eigen::Matrix<real, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> q =
      qr.householderQ() * Eigen::Matrix<real, Eigen::Dynamic, Eigen::Dynamic>::Identity(1024, k);
  s->U = Tensor::from({1024, k}, std::vector<real>(q.data(), q.data() + q.size()));
  {
    NoGradGuard no_grad;
    s->c = argmax(s->model->forward(s->x), 1)[0];
  }
  s->t = Tensor::empty({m, 1, 1, 1});
  for (int64_t i = 0; i < m; ++i) s->t.data()[i] = (real(i) + real(0.5)) / real(m);
  s->alpha = rand({1, 1, 32, 32}, gen, 0, real(0.1)).requires_grad_();
  nn::AdamOptions o;
  o.lr = 1e-2;
  s->opt = std::make_unique<nn::Adam>(std::vector<Tensor>{s->alpha}, o);
  taig_step(*s);
  char line[160];
  std::snprintf(line, sizeof line, "[check] taig_step: mu = %.4f, |d mu / d alpha| = %.3e", s->mu, s->gnorm);
  log(line);
  return {[=] {
            for (int64_t i = 0; i < steps; ++i) taig_step(*s);
          },
          double(steps), "steps/s", {}};
}

}  // namespace mxai::bench
