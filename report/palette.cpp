#include "report/palette.h"

#include <algorithm>
#include <map>

namespace mxai::report {

namespace {

// Okabe-Ito, with grey standing in for yellow, which is hard to see as a thin line on white.
const std::vector<std::string> kPalette = {"#000000", "#0072B2", "#D55E00", "#009E73",
                                           "#CC79A7", "#E69F00", "#56B4E9", "#999999"};

// Related methods share a colour (IG with the zero base-point is the same method under either name); methods
// that appear in the same plot never do.
const std::map<std::string, std::string>& preferred() {
  static const std::map<std::string, std::string> colours = {
      {"gradient", "#000000"},         {"integrated_gradients", "#0072B2"},
      {"ig_zero", "#0072B2"},          {"ig_optimal", "#D55E00"},
      {"ig_max_distance", "#009E73"},  {"input_x_gradient", "#CC79A7"},
      {"smoothgrad", "#E69F00"},       {"integrated_gradients_path", "#56B4E9"},
      {"ig_uniform", "#56B4E9"},       {"ig_gaussian", "#999999"},
  };
  return colours;
}

}  // namespace

std::vector<std::string> method_colours(const std::vector<std::string>& keys) {
  std::vector<std::string> colours(keys.size());
  std::vector<std::string> used;
  auto is_used = [&](const std::string& c) { return std::find(used.begin(), used.end(), c) != used.end(); };
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto it = preferred().find(keys[i]);
    if (it != preferred().end() && !is_used(it->second)) colours[i] = it->second;
  }
  for (const std::string& c : colours)
    if (!c.empty()) used.push_back(c);
  size_t next = 0;
  for (std::string& c : colours) {
    if (!c.empty()) continue;
    while (next < kPalette.size() && is_used(kPalette[next])) ++next;
    // Past eight methods colours repeat; the legend order still tells the curves apart.
    c = next < kPalette.size() ? kPalette[next] : kPalette[used.size() % kPalette.size()];
    used.push_back(c);
  }
  return colours;
}

}  // namespace mxai::report
