#include "apps/training_commands.h"

#include <cstdio>

#include "datasets/registry.h"

namespace mxai::cmd {

TrainAndTest load_train_and_test(const std::string& name, int64_t image_size) {
  LoadOptions load;
  load.image_size = image_size;
  TrainAndTest splits;
  splits.train = load_dataset(name, "train", load);
  splits.test = load_dataset(name, "test", load);
  return splits;
}

std::string training_data_summary(const Dataset& train) {
  char buf[96];
  std::snprintf(buf, sizeof buf, ": %lld images %lldx%lldx%lld", static_cast<long long>(train.size()),
                static_cast<long long>(train.channels()), static_cast<long long>(train.height()),
                static_cast<long long>(train.width()));
  return train.name + buf;
}

}  // namespace mxai::cmd
