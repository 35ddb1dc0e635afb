#include "datasets/data_loader.h"

#include <algorithm>
#include <numeric>

#include "autodiff/random.h"

namespace mxai {

DataLoader::DataLoader(Dataset data, DataLoaderOptions options) : data_(std::move(data)), options_(options) {
  if (options_.batch_size < 1)
    throw Error("DataLoader: batch_size must be at least 1, got " + std::to_string(options_.batch_size));
  data_.validate();
}

int64_t DataLoader::num_batches() const {
  const int64_t n = data_.size();
  const int64_t b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

std::vector<int64_t> DataLoader::epoch_order(int64_t epoch) const {
  std::vector<int64_t> order(static_cast<size_t>(data_.size()));
  std::iota(order.begin(), order.end(), int64_t{0});
  if (!options_.shuffle) return order;
  // The seed's own stream picks a key; the epoch offsets it, so (seed, epoch) pairs do not collide by
  // simple arithmetic (seed 1 epoch 0 versus seed 0 epoch 1).
  Generator seeder(options_.seed);
  const uint64_t key = seeder.next_u64() + 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(epoch);
  Generator gen(key);
  for (size_t i = order.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(gen.below(i));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

EpochBatches DataLoader::epoch(int64_t epoch) const { return EpochBatches(this, epoch_order(epoch)); }

Batch DataLoader::make_batch(const std::vector<int64_t>& indices) const {
  Batch batch;
  batch.images = gather_images(data_.images, indices);
  batch.labels.reserve(indices.size());
  for (int64_t index : indices) batch.labels.push_back(data_.labels[static_cast<size_t>(index)]);
  batch.indices = indices;
  return batch;
}

int64_t EpochBatches::size() const { return loader_->num_batches(); }

Batch EpochBatches::operator[](int64_t batch) const {
  if (batch < 0 || batch >= size())
    throw Error("DataLoader: batch " + std::to_string(batch) + " is out of range for an epoch of " +
                std::to_string(size()) + " batches");
  const int64_t b = loader_->options().batch_size;
  const int64_t begin = batch * b;
  const int64_t end = std::min<int64_t>(begin + b, static_cast<int64_t>(order_.size()));
  return loader_->make_batch(std::vector<int64_t>(order_.begin() + begin, order_.begin() + end));
}

}  // namespace mxai
