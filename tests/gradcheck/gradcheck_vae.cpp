// Finite-difference checks of the VAE losses (float64 build): the losses alone on tiny tensors, then through the
// Burgess VAE with respect to a few of its parameter tensors via nn::functional_call.
#include <catch2/catch.hpp>

#include "autodiff/gradcheck.h"
#include "autodiff/ops.h"
#include "nn/module.h"
#include "vae/burgess_vae.h"
#include "vae/vae_losses.h"

using namespace mxai;
using namespace mxai::vae;

namespace {

void require_ok(const GradcheckReport& r) {
  INFO(r.detail);
  CHECK(r.ok);
}

// Forward returns a loss, so functional_call can differentiate the loss with respect to swapped-in parameters.
// Reparameterization draws from a fresh fixed-seed generator each call, as check_gradient requires.
class LossOfVAE : public nn::Module {
 public:
  LossOfVAE(std::shared_ptr<BurgessVAE> model, bool tcvae) : tcvae_(tcvae) {
    vae = register_module("vae", std::move(model));
  }
  Tensor forward(const Tensor& x) override {
    Generator gen(99);
    const auto out = vae->forward_full(x, gen);
    if (!tcvae_) return beta_vae_loss(out.logits, x, out.mu, out.logvar, 4.0).total;
    TCVAEOptions o;
    o.n_data = 100;
    o.anneal = 0.5;
    return beta_tcvae_loss(out.logits, x, out.mu, out.logvar, out.z, o).total;
  }
  std::string type_name() const override { return "LossOfVAE"; }
  std::shared_ptr<BurgessVAE> vae;

 private:
  bool tcvae_;
};

}  // namespace

TEST_CASE("beta-VAE loss gradients w.r.t. logits, targets, mu, logvar", "[gradcheck][vae]") {
  Generator gen(1);
  for (Likelihood lk : {Likelihood::Bernoulli, Likelihood::Gaussian}) {
    require_ok(check_all(
        [lk](const std::vector<Tensor>& in) { return beta_vae_loss(in[0], in[1], in[2], in[3], 3.0, lk).total; },
        {randn({2, 1, 2, 2}, gen), rand({2, 1, 2, 2}, gen), randn({2, 3}, gen), randn({2, 3}, gen) * 0.5}));
  }
}

TEST_CASE("beta-TCVAE loss gradients w.r.t. logits, targets, mu, logvar, z", "[gradcheck][vae]") {
  Generator gen(2);
  for (bool mss : {true, false}) {
    INFO("minibatch_stratified " << mss);
    require_ok(check_all(
        [mss](const std::vector<Tensor>& in) {
          TCVAEOptions o;
          o.n_data = 50;
          o.minibatch_stratified = mss;
          o.gamma = 0.7;
          const TCVAELoss l = beta_tcvae_loss(in[0], in[1], in[2], in[3], in[4], o);
          // Stack the parts so each one's gradient is checked, not only the weighted total.
          return concat({reshape(l.total, {1}), reshape(l.mutual_information, {1}),
                         reshape(l.total_correlation, {1}), reshape(l.dimensionwise_kl, {1})},
                        0);
        },
        {randn({3, 1, 2, 2}, gen), rand({3, 1, 2, 2}, gen), randn({3, 2}, gen), randn({3, 2}, gen) * 0.5,
         randn({3, 2}, gen)}));
  }
}

TEST_CASE("losses through the Burgess VAE w.r.t. selected parameters (functional_call)", "[gradcheck][vae]") {
  Generator init(3), gen(4);
  auto model = std::make_shared<BurgessVAE>(1, 32, init, 2);
  const Tensor x = rand({2, 1, 32, 32}, gen);
  // Not the conv biases: one conv1 bias entry shifts 512 ReLU inputs at once, and with random inputs one of them
  // lies within eps of its kink often enough to make the check flaky.
  const std::vector<std::string> names = {"vae.encoder.mu_logvar_gen.bias", "vae.encoder.lin2.bias",
                                          "vae.decoder.lin1.weight", "vae.decoder.convT3.bias"};
  GradcheckOptions opts;
  // The loss is a sum over 2x1024 pixels (~700) behind a deep float chain, so central differences with the
  // default eps = 1e-6 sit at the rounding-noise floor (errors ~1e-6 that shrink neither with smaller eps); 1e-5
  // balances rounding against truncation and still leaves every ReLU kink crossing visible.
  opts.eps = 1e-5;
  for (bool tcvae : {false, true}) {
    INFO("tcvae " << tcvae);
    LossOfVAE loss(model, tcvae);
    const nn::StateDict state = loss.state_dict();
    std::vector<Tensor> inputs;
    for (const auto& n : names) inputs.push_back(state.at(n).clone());
    require_ok(check_gradient(
        [&](const std::vector<Tensor>& in) {
          nn::StateDict repl;
          for (size_t i = 0; i < names.size(); ++i) repl[names[i]] = in[i];
          return nn::functional_call(loss, repl, x);
        },
        inputs, opts));
  }
}
