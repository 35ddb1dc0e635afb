// CIFAR-10 binary version: data_batch_1.bin .. data_batch_5.bin (train) and test_batch.bin (test), each a run of
// 3073-byte records: 1 label byte, then 1024 red, 1024 green, 1024 blue bytes (32x32 row-major).
#pragma once

#include <string>
#include <vector>

#include "datasets/dataset.h"

namespace mxai {

const std::vector<std::string>& cifar10_class_names();  // (10) airplane .. truck

// The records of the given batch files, concatenated. images (N,3,32,32), labels (N).
Dataset load_cifar10_files(const std::vector<std::string>& paths, const std::string& name = "cifar10");

// `dir` holds the .bin files, directly or in a cifar-10-batches-bin subfolder (how the archive unpacks).
// split "train" (50,000 images in the full set) or "test" (10,000). images (N,3,32,32), labels (N).
Dataset load_cifar10(const std::string& dir, const std::string& split);

}  // namespace mxai
