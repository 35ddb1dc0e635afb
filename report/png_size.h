// The pixel size of a PNG on disk, read from its header, so the report can show tiny heat maps at an integer
// zoom (pixelated, every pixel the same size) instead of letting the browser pick a blurry or uneven scale.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace mxai::report {

// (width, height), or empty when the file is missing or not a PNG.
std::optional<std::pair<int, int>> png_size(const std::string& path);

}  // namespace mxai::report
