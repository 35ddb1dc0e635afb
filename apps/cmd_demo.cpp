// `mxai demo`: a two-layer tanh network learns to separate two interleaved spirals, trained with plain
// gradient descent on the autodiff engine alone (no nn module): a minimal end-to-end exercise of the engine.
#include <cmath>
#include <cstdio>

#include "apps/cli.h"
#include "apps/commands.h"
#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "experiments/progress.h"

namespace mxai::cmd {

namespace {

// Two spirals in the plane, (N,2) points and labels 0/1.
std::pair<Tensor, std::vector<int64_t>> make_spirals(int64_t n, Generator& gen) {
  Tensor x = Tensor::empty({n, 2});
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t label = i % 2;
    const double r = 0.1 + 0.9 * gen.uniform(), angle = 3.0 * M_PI * r + label * M_PI;
    x.at({i, 0}) = static_cast<real>(r * std::cos(angle) + 0.02 * gen.normal());
    x.at({i, 1}) = static_cast<real>(r * std::sin(angle) + 0.02 * gen.normal());
    labels[i] = label;
  }
  return {x, labels};
}

}  // namespace

int demo(const Args& args) {
  cli::Options opts("demo", "Train a 2-64-64-2 tanh network on two spirals with full-batch gradient descent.");
  opts.value("steps", "3000", "gradient steps", cli::Int::at_least(1))
      .value("lr", "0.5", "learning rate", cli::Real::above(0))
      .value("seed", "0", "random seed", cli::Int::at_least(0))
      .flag("quiet", "no progress output");
  if (!opts.parse(args)) return 0;
  Generator gen(static_cast<uint64_t>(opts.integer("seed")));
  const int64_t steps = opts.integer("steps");
  const real lr = static_cast<real>(opts.number("lr"));

  // Named copies, not a structured binding: C++17 lambdas cannot capture those (clang rejects it, GCC allows it).
  const auto spirals = make_spirals(512, gen);
  const Tensor& x = spirals.first;
  const std::vector<int64_t>& labels = spirals.second;
  Tensor onehot = Tensor::zeros({512, 2});
  for (int64_t i = 0; i < 512; ++i) onehot.at({i, labels[i]}) = 1;

  std::vector<Tensor> params;
  const auto layer = [&](int64_t in, int64_t out) {
    params.push_back((randn({out, in}, gen) * static_cast<real>(std::sqrt(1.0 / in))).requires_grad_());
    params.push_back(Tensor::zeros({out}).requires_grad_());
  };
  layer(2, 64);
  layer(64, 64);
  layer(64, 2);
  const auto forward = [&](const Tensor& input) {
    Tensor h = tanh(linear(input, params[0], params[1]));
    h = tanh(linear(h, params[2], params[3]));
    return linear(h, params[4], params[5]);
  };
  const auto accuracy = [&](const Tensor& logits) {
    const std::vector<int64_t> predicted = argmax(logits, 1);
    int64_t correct = 0;
    for (int64_t i = 0; i < 512; ++i) correct += predicted[i] == labels[i];
    return static_cast<double>(correct) / 512;
  };

  Progress progress("demo", steps, opts.has("quiet"));
  double loss_value = 0;
  for (int64_t step = 1; step <= steps; ++step) {
    const Tensor logits = forward(x);
    const Tensor loss = -sum(log_softmax(logits, 1) * onehot) / real(512);
    loss_value = loss.item();
    if (!std::isfinite(loss_value))
      throw Error("the spirals network diverged: the loss is " + std::to_string(loss_value) + " at step " +
                  std::to_string(step) + " of " + std::to_string(steps) + " (learning rate " + opts.str("lr") + ")");
    const std::vector<Tensor> grads = grad({loss}, params);
    {
      NoGradGuard no_grad;
      for (size_t i = 0; i < params.size(); ++i) {
        real* p = params[i].data();
        const real* g = grads[i].data();
        for (int64_t k = 0; k < params[i].numel(); ++k) p[k] -= lr * g[k];
      }
    }
    char metrics[64];
    std::snprintf(metrics, sizeof metrics, "loss %.4f", loss_value);
    progress.update(step, metrics);
  }
  NoGradGuard no_grad;
  const double acc = accuracy(forward(x));
  char metrics[96];
  std::snprintf(metrics, sizeof metrics, "loss %.4f accuracy %.1f%%", loss_value, 100 * acc);
  progress.finish(metrics);
  std::printf("two spirals: final loss %.4f, training accuracy %.1f%% after %lld steps (%s)\n", loss_value, 100 * acc,
              static_cast<long long>(steps), format_duration(progress.elapsed_seconds()).c_str());
  return acc > 0.9 ? 0 : 1;
}

}  // namespace mxai::cmd
