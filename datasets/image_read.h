// Decoding PNG, JPEG and BMP through stb_image (its other formats are compiled out: datasets/stb_impl.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "autodiff/tensor.h"

namespace mxai {

// Decodes encoded image bytes to (C,H,W) with values byte/255. `channels` (1..4) is what you get regardless of
// the file: stb converts grey <-> RGB (RGB -> grey by luma) and adds or drops alpha. `source` names the file in
// errors, which carry stb's reason.
Tensor decode_image(const std::string& bytes, int64_t channels, const std::string& source);

// read_file + decode_image: (C,H,W).
Tensor read_image(const std::string& path, int64_t channels);

}  // namespace mxai
