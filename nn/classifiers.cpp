#include "nn/classifiers.h"

#include <functional>
#include <map>

#include "autodiff/random.h"
#include "nn/lenet.h"
#include "nn/resnet.h"
#include "nn/simplenet.h"
#include "nn/vgg.h"

namespace mxai::nn {

namespace {

using Factory = std::function<std::shared_ptr<Module>(int64_t c, int64_t h, int64_t w, int64_t k, Generator& init)>;

const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> factories = {
      {"lenet", [](int64_t c, int64_t h, int64_t w, int64_t k, Generator& init) {
         return std::make_shared<LeNet>(c, h, w, k, init, LeNet::Activation::ReLU);
       }},
      {"lenet-softplus", [](int64_t c, int64_t h, int64_t w, int64_t k, Generator& init) {
         return std::make_shared<LeNet>(c, h, w, k, init, LeNet::Activation::Softplus);
       }},
      {"simplenet", [](int64_t c, int64_t h, int64_t w, int64_t k, Generator& init) {
         return std::make_shared<SimpleNetV1>(c, h, w, k, init);
       }},
      {"vgg", [](int64_t c, int64_t h, int64_t w, int64_t k,
                 Generator& init) { return std::make_shared<VGG>(c, h, w, k, init); }},
      {"resnet", [](int64_t c, int64_t, int64_t, int64_t k,
                    Generator& init) { return std::make_shared<ResNet>(c, k, init); }},
  };
  return factories;
}

}  // namespace

std::vector<std::string> classifier_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.push_back(name);
  return names;
}

std::shared_ptr<Module> make_classifier(const std::string& name, int64_t in_channels, int64_t height, int64_t width,
                                        int64_t num_classes, uint64_t seed) {
  const auto found = registry().find(name);
  if (found == registry().end()) {
    std::string known;
    for (const std::string& n : classifier_names()) known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown architecture '" + name + "'; known architectures: " + known);
  }
  if (in_channels < 1 || height < 1 || width < 1 || num_classes < 1)
    throw Error("make_classifier(" + name + "): channels, height, width and classes must be positive, got " +
                std::to_string(in_channels) + ", " + std::to_string(height) + ", " + std::to_string(width) + ", " +
                std::to_string(num_classes));
  Generator init(seed);
  return found->second(in_channels, height, width, num_classes, init);
}

}  // namespace mxai::nn
