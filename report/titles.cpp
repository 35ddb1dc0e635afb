#include "report/titles.h"

#include <map>

namespace mxai::report {

std::string report_title() { return "mxai: gradient explanations and the data manifold"; }

std::string dataset_title(const std::string& dataset_key) {
  static const std::map<std::string, std::string> titles = {
      {"mnist32", "MNIST32: generated digits with exact tangent spaces"},
      {"fashion-mnist", "Fashion-MNIST: tangent spaces estimated by an autoencoder"},
  };
  const auto found = titles.find(dataset_key);
  return found == titles.end() ? dataset_key : found->second;
}

}  // namespace mxai::report
