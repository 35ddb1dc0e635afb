// Optimizer steps and learning-rate schedules against torch.optim's formulas, written out by hand in double.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "autodiff/ops.h"
#include "nn/lr_scheduler.h"
#include "nn/optim.h"

using namespace mxai;
using namespace mxai::nn;

namespace {

// An element-by-element copy: GCC 12.2 with AVX-512 miscompiles std::vector<float>(double_first, double_last) on
// some constant inputs (it turned {1, 1, 0, 0} into {1, 1, 1, 1}).
Tensor values(const std::vector<double>& v) {
  Tensor t = Tensor::empty({static_cast<int64_t>(v.size())});
  for (size_t i = 0; i < v.size(); ++i) t.data()[i] = static_cast<real>(v[i]);
  return t;
}

void set_grad(Tensor& p, const std::vector<double>& g) { p.set_grad(values(g)); }

void check_close(const Tensor& t, const std::vector<double>& want, double tol = 1e-6) {
  REQUIRE(t.numel() == static_cast<int64_t>(want.size()));
  for (size_t i = 0; i < want.size(); ++i) {
    INFO("entry " << i);
    CHECK(t.data()[i] == Approx(want[i]).margin(tol));
  }
}

// The gradients fed at steps 1, 2, 3.
const std::vector<std::vector<double>> kGrads{{0.5, -1.0}, {0.25, 2.0}, {-0.75, 0.1}};

}  // namespace

TEST_CASE("SGD with momentum, dampening, Nesterov and weight decay follows torch.optim.SGD", "[nn][optim]") {
  struct Case {
    double momentum, dampening, weight_decay;
    bool nesterov;
  };
  for (const Case c : {Case{0, 0, 0, false}, Case{0.9, 0, 0, false}, Case{0.9, 0.3, 0.01, false},
                       Case{0.8, 0, 0.1, true}}) {
    INFO("momentum " << c.momentum << " dampening " << c.dampening << " wd " << c.weight_decay << " nesterov "
                     << c.nesterov);
    Tensor p = values({1.0, 2.0}).requires_grad_();
    SGD sgd({p}, {0.1, c.momentum, c.dampening, c.weight_decay, c.nesterov});
    std::vector<double> want{1.0, 2.0}, buf;
    for (const auto& g : kGrads) {
      set_grad(p, g);
      sgd.step();
      std::vector<double> d(2);
      for (int i = 0; i < 2; ++i) d[i] = g[i] + c.weight_decay * want[i];
      if (c.momentum != 0) {
        if (buf.empty()) buf = d;
        else
          for (int i = 0; i < 2; ++i) buf[i] = c.momentum * buf[i] + (1 - c.dampening) * d[i];
        for (int i = 0; i < 2; ++i) d[i] = c.nesterov ? d[i] + c.momentum * buf[i] : buf[i];
      }
      for (int i = 0; i < 2; ++i) want[i] -= 0.1 * d[i];
      check_close(p, want);
    }
  }
}

TEST_CASE("SGD momentum: two steps by hand", "[nn][optim]") {
  Tensor p = values({1.0, 2.0}).requires_grad_();
  SGD sgd({p}, {0.1, 0.9});
  set_grad(p, {0.5, -1.0});
  sgd.step();  // buf = g
  check_close(p, {0.95, 2.1});
  sgd.step();  // buf = 0.9 g + g = 1.9 g
  check_close(p, {0.855, 2.29});
}

TEST_CASE("Adam's first step is lr * g / (|g| + eps) after bias correction", "[nn][optim]") {
  Tensor p = values({1.0, -3.0}).requires_grad_();
  Adam adam({p}, {0.01});
  set_grad(p, {0.2, -4.0});
  adam.step();
  // m = 0.1 g, v = 0.001 g^2; step = lr / 0.1 * m / (sqrt(v) / sqrt(0.001) + eps) = lr g / (|g| + eps).
  check_close(p, {1.0 - 0.01 * 0.2 / (0.2 + 1e-8), -3.0 + 0.01 * 4.0 / (4.0 + 1e-8)});
}

TEST_CASE("Adam, Adam with L2 weight decay and amsgrad follow torch.optim.Adam over several steps", "[nn][optim]") {
  for (const double wd : {0.0, 0.1})
    for (const bool amsgrad : {false, true}) {
      INFO("weight_decay " << wd << " amsgrad " << amsgrad);
      AdamOptions o;
      o.lr = 0.05;
      o.beta1 = 0.8;
      o.beta2 = 0.9;
      o.eps = 1e-6;
      o.weight_decay = wd;
      o.amsgrad = amsgrad;
      Tensor p = values({1.0, 2.0}).requires_grad_();
      Adam adam({p}, o);
      std::vector<double> want{1.0, 2.0}, m(2, 0), v(2, 0), vmax(2, 0);
      int t = 0;
      for (const auto& g : kGrads) {
        set_grad(p, g);
        adam.step();
        ++t;
        for (int i = 0; i < 2; ++i) {
          const double gi = g[i] + wd * want[i];
          m[i] = o.beta1 * m[i] + (1 - o.beta1) * gi;
          v[i] = o.beta2 * v[i] + (1 - o.beta2) * gi * gi;
          vmax[i] = std::max(vmax[i], v[i]);
          const double second = amsgrad ? vmax[i] : v[i];
          const double bc1 = 1 - std::pow(o.beta1, t), bc2 = 1 - std::pow(o.beta2, t);
          want[i] -= o.lr / bc1 * m[i] / (std::sqrt(second) / std::sqrt(bc2) + o.eps);
        }
        check_close(p, want, 1e-5);
      }
    }
}

TEST_CASE("AdamW decays the weights before the step instead of adding an L2 gradient", "[nn][optim]") {
  AdamOptions o;
  o.lr = 0.1;
  o.weight_decay = 0.5;
  Tensor decoupled = values({1.0}).requires_grad_();
  AdamW adamw({decoupled}, o);
  set_grad(decoupled, {0.0});
  adamw.step();
  check_close(decoupled, {0.95});  // p (1 - lr wd); a zero gradient gives a zero Adam step

  Tensor coupled = values({1.0}).requires_grad_();
  Adam adam({coupled}, o);
  set_grad(coupled, {0.0});
  adam.step();
  check_close(coupled, {1.0 - 0.1 * 0.5 / (0.5 + 1e-8)});  // the L2 gradient wd p = 0.5 drives the step

  // With a gradient: shrink, then the plain Adam step on the unmodified gradient.
  Tensor p = values({2.0, -1.0}).requires_grad_();
  AdamW both({p}, o);
  set_grad(p, {0.3, -0.6});
  both.step();
  check_close(p, {2.0 * 0.95 - 0.1 * 0.3 / (0.3 + 1e-8), -1.0 * 0.95 + 0.1 * 0.6 / (0.6 + 1e-8)});
  CHECK(AdamW::default_options().weight_decay == Approx(0.01));
}

TEST_CASE("optimizers skip parameters without a gradient, and zero_grad drops gradients", "[nn][optim]") {
  Tensor a = values({1.0}).requires_grad_(), b = values({2.0}).requires_grad_();
  Adam adam({a, b}, {0.1});
  set_grad(a, {1.0});
  adam.step();
  CHECK(a.data()[0] == Approx(0.9));
  CHECK(b.data()[0] == 2.0f);
  adam.zero_grad();
  CHECK_FALSE(a.grad().defined());
  adam.step();  // nothing to do
  CHECK(a.data()[0] == Approx(0.9));
}

TEST_CASE("optimizers update parameters reached through backward", "[nn][optim]") {
  Tensor w = values({3.0}).requires_grad_();
  SGD sgd({w}, {0.25});
  for (int i = 0; i < 3; ++i) {
    sgd.zero_grad();
    sum(w * w).backward();  // gradient 2w
    sgd.step();             // w <- w - 0.5 w
  }
  CHECK(w.data()[0] == Approx(3.0 / 8));
  CHECK(w.is_leaf());
}

TEST_CASE("optimizer argument checks", "[nn][optim]") {
  Tensor p = values({1.0}).requires_grad_();
  CHECK_THROWS_WITH(SGD({p}, {-1.0}), Catch::Contains("learning rate"));
  CHECK_THROWS_WITH(SGD({p}, {0.1, 0.0, 0.0, 0.0, true}), Catch::Contains("Nesterov"));
  AdamOptions bad;
  bad.beta1 = 1.0;
  CHECK_THROWS_WITH(Adam({p}, bad), Catch::Contains("betas"));
  Tensor q = values({1.0}).requires_grad_();
  Adam adam({q}, {0.1});
  q.set_grad(Tensor::zeros({2}));
  CHECK_THROWS_WITH(adam.step(), Catch::Contains("gradient of shape (2)"));
}

TEST_CASE("CosineAnnealingLR follows eta_min + (base - eta_min)(1 + cos(pi t / T)) / 2", "[nn][optim]") {
  Tensor p = values({1.0}).requires_grad_();
  SGD sgd({p}, {0.1});
  CosineAnnealingLR schedule(sgd, 10, 0.001);
  CHECK(sgd.lr() == Approx(0.1));
  const double want[] = {0.1, 0.0976, 0.0905, 0.0796, 0.0658, 0.0505, 0.0352, 0.0214, 0.0105, 0.0034, 0.001};
  for (int t = 0; t <= 10; ++t) {
    INFO("epoch " << t);
    CHECK(sgd.lr() == Approx(0.001 + 0.099 * (1 + std::cos(M_PI * t / 10)) / 2).epsilon(1e-12));
    CHECK(sgd.lr() == Approx(want[t]).margin(1e-4));
    CHECK(schedule.last_epoch() == t);
    schedule.step();
  }
  CHECK(sgd.lr() > 0.001);  // past T_max the cosine rises again, as in PyTorch
}

TEST_CASE("StepLR multiplies by gamma every step_size epochs", "[nn][optim]") {
  Tensor p = values({1.0}).requires_grad_();
  SGD sgd({p}, {0.1});
  StepLR schedule(sgd, 3, 0.5);
  const double want[] = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
  for (const double w : want) {
    CHECK(sgd.lr() == Approx(w));
    schedule.step();
  }
}
