// The backend of experiments/distributed.h over MPI (built with -DMXAI_MPI=ON): MPI_COMM_WORLD, and every
// collective a blocking MPI call. A failed call ends the job (MPI_ERRORS_ARE_FATAL, MPI's default).
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstdio>

#include "experiments/distributed.h"

namespace mxai::experiments::distributed::backend {

namespace {

MPI_Datatype real_type() { return sizeof(real) == sizeof(double) ? MPI_DOUBLE : MPI_FLOAT; }

// MPI counts are int: a gather beyond that ends the job with this message rather than overflowing.
int checked_count(int64_t count, const char* what) {
  if (count < 0 || count > INT_MAX) {
    std::fprintf(stderr, "mxai: %s of %lld values exceeds MPI's int count\n", what, static_cast<long long>(count));
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  return static_cast<int>(count);
}

constexpr int64_t kChunk = 1 << 28;  // values per MPI_Allreduce call, well under INT_MAX

template <class T>
void sum_in_chunks(T* values, int64_t count, MPI_Datatype type) {
  for (int64_t at = 0; at < count; at += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, count - at));
    MPI_Allreduce(MPI_IN_PLACE, values + at, n, type, MPI_SUM, MPI_COMM_WORLD);
  }
}

template <class T>
void gather_v(const T* mine, int64_t count, T* all, const std::vector<int64_t>& counts, MPI_Datatype type) {
  std::vector<int> sizes(counts.size()), offsets(counts.size());
  int64_t at = 0;
  for (size_t r = 0; r < counts.size(); ++r) {
    sizes[r] = checked_count(counts[r], "a gather");
    offsets[r] = checked_count(at, "a gather");
    at += counts[r];
  }
  MPI_Allgatherv(mine, checked_count(count, "a gather"), type, all, sizes.data(), offsets.data(), type,
                 MPI_COMM_WORLD);
}

// A program that never joined a job (the unit tests link this library too) is one rank of one.
bool joined() {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized && !finalized;
}

}  // namespace

void init(int& argc, char**& argv) {
  int provided = 0;
  // Only the main thread calls MPI; OpenMP threads inside a rank never do.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
}

void finalize() {
  if (joined()) MPI_Finalize();
}

void abort(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();  // MPI_Abort does not return; this keeps [[noreturn]] honest
}

int rank() {
  int r = 0;
  if (joined()) MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int size() {
  int n = 1;
  if (joined()) MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

void barrier() { MPI_Barrier(MPI_COMM_WORLD); }

void broadcast_bytes(std::string& bytes) {
  long long n = static_cast<long long>(bytes.size());
  MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  bytes.resize(static_cast<size_t>(n));
  MPI_Bcast(bytes.data(), checked_count(n, "a broadcast"), MPI_CHAR, 0, MPI_COMM_WORLD);
}

void sum_reals(real* values, int64_t count) { sum_in_chunks(values, count, real_type()); }
void sum_doubles(double* values, int64_t count) { sum_in_chunks(values, count, MPI_DOUBLE); }

void gather_reals(const real* mine, int64_t count, real* all, const std::vector<int64_t>& counts) {
  gather_v(mine, count, all, counts, real_type());
}
void gather_doubles(const double* mine, int64_t count, double* all, const std::vector<int64_t>& counts) {
  gather_v(mine, count, all, counts, MPI_DOUBLE);
}

std::vector<int64_t> gather_counts(int64_t count) {
  long long mine = count;
  std::vector<long long> all(static_cast<size_t>(size()));
  MPI_Allgather(&mine, 1, MPI_LONG_LONG, all.data(), 1, MPI_LONG_LONG, MPI_COMM_WORLD);
  return std::vector<int64_t>(all.begin(), all.end());
}

}  // namespace mxai::experiments::distributed::backend
