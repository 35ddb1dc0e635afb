// Line colours for the density plots, from the Okabe-Ito palette (distinguishable with the common colour-vision
// deficiencies). A method keeps its colour across plots -- the gradient is black in the main plot and in the TAIG
// plot -- so a reader can match curves between figures; unknown keys take the first colour still free.
#pragma once

#include <string>
#include <vector>

namespace mxai::report {

// One "#rrggbb" per key, distinct within the call as long as there are at most 8 keys.
std::vector<std::string> method_colours(const std::vector<std::string>& keys);

}  // namespace mxai::report
