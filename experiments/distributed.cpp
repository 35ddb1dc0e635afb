#include "experiments/distributed.h"

#include <cstdio>
#include <cstdlib>
#include <numeric>

#include "autodiff/file_io.h"
#include "experiments/stage_cache.h"

namespace mxai::experiments::distributed {

int rank() { return backend::rank(); }
int ranks() { return backend::size(); }
void barrier() { backend::barrier(); }

void start(int& argc, char**& argv) {
  backend::init(argc, argv);
  if (ranks() == 1) return;
  // Rank 0 alone writes: the others compute the same bytes and drop them (autodiff/file_io.h).
  if (!is_root()) set_file_writes_enabled(false);
  // A job mixing builds would exchange gradients of different programs; hash the executable itself.
  const std::string mine = hash_file("/proc/self/exe");
  const std::string root = broadcast(mine);
  if (mine != root)
    abort_job("rank " + std::to_string(rank()) + " runs a different mxai build (executable hash " + mine +
                  ") than rank 0 (" + root + "); install one build on every node",
              1);
}

void stop() { backend::finalize(); }

void abort_job(const std::string& message, int code) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::fflush(stderr);
  if (ranks() > 1) backend::abort(code);
  std::exit(code);
}

std::string broadcast(const std::string& text) {
  std::string bytes = text;
  backend::broadcast_bytes(bytes);
  return bytes;
}

void sum(real* values, int64_t count) { backend::sum_reals(values, count); }
void sum(double* values, int64_t count) { backend::sum_doubles(values, count); }

nn::DataParallel data_parallel() {
  nn::DataParallel dp;
  dp.rank = rank();
  dp.ranks = ranks();
  dp.sum_reals = [](real* v, int64_t n) { backend::sum_reals(v, n); };
  dp.sum_doubles = [](double* v, int64_t n) { backend::sum_doubles(v, n); };
  return dp;
}

nn::RowRange shard(int64_t n, int64_t align) {
  const int64_t blocks = (n + align - 1) / align, r = rank(), size = ranks();
  const int64_t begin = std::min(n, blocks * r / size * align), end = std::min(n, blocks * (r + 1) / size * align);
  return {begin, end - begin};
}

Tensor gather_rows(const Tensor& mine, const Shape& row_shape) {
  if (ranks() == 1) return mine;
  const int64_t row = shape_numel(row_shape), mine_rows = mine.defined() ? mine.size(0) : 0;
  const std::vector<int64_t> counts = backend::gather_counts(mine_rows * row);
  const int64_t total = std::accumulate(counts.begin(), counts.end(), int64_t{0});
  Shape shape = row_shape;
  shape.insert(shape.begin(), row > 0 ? total / row : 0);
  Tensor all = Tensor::empty(shape);
  backend::gather_reals(mine_rows > 0 ? mine.data() : nullptr, mine_rows * row, all.data(), counts);
  return all;
}

std::vector<double> gather(const std::vector<double>& mine) {
  if (ranks() == 1) return mine;
  const std::vector<int64_t> counts = backend::gather_counts(static_cast<int64_t>(mine.size()));
  std::vector<double> all(static_cast<size_t>(std::accumulate(counts.begin(), counts.end(), int64_t{0})));
  backend::gather_doubles(mine.data(), static_cast<int64_t>(mine.size()), all.data(), counts);
  return all;
}

}  // namespace mxai::experiments::distributed
