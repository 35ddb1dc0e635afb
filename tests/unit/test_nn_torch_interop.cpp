// mxai <-> PyTorch through safetensors files, for every registered architecture: mxai saves a model and its
// logits, scripts/torch_interop.py loads them into the matching torch.nn.Module (strict) and compares logits,
// then saves a PyTorch-initialised model that mxai loads here and compares in turn. Skipped (with a warning)
// when /usr/bin/python3 cannot import torch, since PyTorch is only a verification tool.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <unistd.h>

#include "autodiff/graph.h"
#include "autodiff/ops.h"
#include "nn/nn.h"
#include "unit/test_torch_oracle.h"

using namespace mxai;
using mxai_test::slurp;
using mxai_test::torch_available;
using namespace mxai::nn;

namespace {

struct Geometry {
  const char* arch;
  int64_t channels, height, width, classes;
};

const Geometry kModels[] = {{"lenet", 1, 28, 28, 10},
                            {"lenet-softplus", 1, 28, 28, 10},
                            {"vgg", 3, 32, 32, 10},
                            {"resnet", 3, 32, 32, 10}};

}  // namespace

TEST_CASE("mxai and PyTorch load each other's models and agree on the logits", "[nn][torch]") {
  if (!torch_available()) {
    WARN("skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch to run this check)");
    return;
  }
  char tmpl[] = "/tmp/mxai_torch_interop_XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  const std::string dir = tmpl;

  Generator gen(17);
  for (const Geometry& g : kModels) {
    auto model = make_classifier(g.arch, g.channels, g.height, g.width, g.classes, 3);
    {
      NoGradGuard no_grad;
      for (int i = 0; i < 2; ++i) model->forward(randn({8, g.channels, g.height, g.width}, gen));  // BN statistics
    }
    model->eval();
    const Tensor inputs = randn({4, g.channels, g.height, g.width}, gen);
    Tensor logits;
    {
      NoGradGuard no_grad;
      logits = model->forward(inputs);
    }
    const std::string prefix = dir + "/" + g.arch;
    save_module(*model, prefix + ".mxai.safetensors",
                {{"arch", g.arch},
                 {"in_channels", std::to_string(g.channels)},
                 {"height", std::to_string(g.height)},
                 {"width", std::to_string(g.width)},
                 {"num_classes", std::to_string(g.classes)}});
    save_safetensors(prefix + ".mxai_io.safetensors", {{"inputs", inputs}, {"logits", logits}});
  }

  const std::string log_path = dir + "/torch_interop.log";
  const int status = std::system(("/usr/bin/python3 '" + std::string(MXAI_SOURCE_DIR) + "/scripts/torch_interop.py' '" +
                                  dir + "' > '" + log_path + "' 2>&1")
                                     .c_str());
  const std::string log = slurp(log_path);
  INFO("torch_interop.py output:\n" << log);
  REQUIRE(status == 0);
  for (const Geometry& g : kModels) CHECK_THAT(log, Catch::Contains(std::string(g.arch) + ": mxai -> torch"));

  for (const Geometry& g : kModels) {
    INFO(g.arch);
    const std::string prefix = dir + "/" + g.arch;
    auto model = make_classifier(g.arch, g.channels, g.height, g.width, g.classes, 99);
    const Metadata metadata = load_module(*model, prefix + ".torch.safetensors", /*strict=*/true);
    CHECK(metadata.at("arch") == g.arch);
    model->eval();
    const SafetensorsContents io = load_safetensors(prefix + ".torch_io.safetensors");
    NoGradGuard no_grad;
    const double diff =
        mxai_test::max_abs_difference(model->forward(io.tensors.at("inputs")), io.tensors.at("logits"));
    UNSCOPED_INFO(g.arch << ": torch -> mxai max abs logit difference " << diff);
    CHECK(diff <= 1e-4);
  }
  std::system(("rm -rf '" + dir + "'").c_str());
}
