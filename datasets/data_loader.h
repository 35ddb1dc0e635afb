// Mini-batches over a Dataset. The order of an epoch is a function of (seed, epoch) only, so a run can be
// reproduced, or resumed at any epoch, without replaying the earlier ones.
//
// Usage (compiled and run by the test header_examples:usage):
// ```cpp
// mxai::Dataset train;  // usually load_dataset("fashion-mnist", "train") (datasets/registry.h)
// train.images = mxai::Tensor::zeros({10, 1, 28, 28});
// train.labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
// train.num_classes = 10;
// mxai::DataLoaderOptions options;
// options.batch_size = 4;
// options.seed = 7;
// mxai::DataLoader loader(train, options);
// int64_t seen = 0;
// for (int64_t epoch = 0; epoch < 2; ++epoch)
//   for (const mxai::Batch& batch : loader.epoch(epoch)) seen += batch.images.size(0);  // (B,1,28,28): 4, 4, 2
// assert(loader.num_batches() == 3 && seen == 20);
// ```
#pragma once

#include <cstdint>
#include <vector>

#include "datasets/dataset.h"

namespace mxai {

struct Batch {
  Tensor images;                 // (B,C,H,W), a copy (writing to it leaves the data set untouched)
  std::vector<int64_t> labels;   // (B)
  std::vector<int64_t> indices;  // (B) positions in the data set, to trace a sample back
};

struct DataLoaderOptions {
  int64_t batch_size = 64;
  bool shuffle = true;     // false: every epoch visits 0..N-1 in order
  bool drop_last = false;  // true: skip the final batch when it is smaller than batch_size
  uint64_t seed = 0;
};

class DataLoader;

// The batches of one epoch; iterable, or indexable with operator[].
class EpochBatches {
 public:
  class iterator {
   public:
    iterator(const EpochBatches* owner, int64_t index) : owner_(owner), index_(index) {}
    Batch operator*() const { return (*owner_)[index_]; }
    iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator!=(const iterator& other) const { return index_ != other.index_; }
    bool operator==(const iterator& other) const { return index_ == other.index_; }

   private:
    const EpochBatches* owner_;
    int64_t index_;
  };

  EpochBatches(const DataLoader* loader, std::vector<int64_t> order) : loader_(loader), order_(std::move(order)) {}
  int64_t size() const;                   // number of batches
  Batch operator[](int64_t batch) const;  // images (B,C,H,W), B = batch_size except maybe the last
  const std::vector<int64_t>& order() const { return order_; }  // (N) this epoch's permutation
  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, size()); }

 private:
  const DataLoader* loader_;  // must outlive this object
  std::vector<int64_t> order_;
};

class DataLoader {
 public:
  // Throws Error on an invalid data set or batch_size < 1. Keeps its own handle on the data set.
  explicit DataLoader(Dataset data, DataLoaderOptions options = {});

  const Dataset& dataset() const { return data_; }
  const DataLoaderOptions& options() const { return options_; }
  int64_t num_batches() const;  // ceil(N / B), or floor with drop_last

  // (N) permutation of 0..N-1 for this epoch: a seeded Fisher-Yates shuffle, or the identity without shuffle.
  std::vector<int64_t> epoch_order(int64_t epoch) const;
  EpochBatches epoch(int64_t epoch) const;

  // The batch made of data[indices]: images (len(indices),C,H,W).
  Batch make_batch(const std::vector<int64_t>& indices) const;

 private:
  Dataset data_;
  DataLoaderOptions options_;
};

}  // namespace mxai
