// FER2013 facial expressions: a CSV with header emotion,pixels,Usage (columns found by name, in any order);
// pixels are 2304 space-separated ints 0..255 (48x48 grey); Usage is Training, PublicTest or PrivateTest.
#pragma once

#include <string>
#include <vector>

#include "datasets/dataset.h"

namespace mxai {

const std::vector<std::string>& fer2013_class_names();  // (7) Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral

// split: "train" = Training, "val" = PublicTest, "test" = PrivateTest (the usual protocol), "all", or a Usage
// value spelled as in the file. images (N,1,48,48), labels (N).
Dataset load_fer2013(const std::string& csv_path, const std::string& split);

}  // namespace mxai
