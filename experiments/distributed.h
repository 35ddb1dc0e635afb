// The one place mxai meets MPI. Under `mpirun -np N` (or srun) every `mxai` command runs as N cooperating ranks:
// training splits each batch across them (nn/data_parallel.h), evaluation splits the points, and rank 0 alone
// writes files and prints. Built without MXAI_MPI, or run as one rank, every function here is the trivial
// single-process one, so the rest of the code holds no #ifdefs. docs/distributed.md describes the design.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "autodiff/tensor.h"
#include "nn/data_parallel.h"

namespace mxai::experiments::distributed {

// Whether this build can run as several ranks (-DMXAI_MPI=ON).
bool built_with_mpi();

// Joins the job (MPI_Init) and checks that every rank runs the same executable (a content hash of it, compared
// with rank 0's); a mismatch ends the whole job with a message naming both hashes. Call once, first thing.
void start(int& argc, char**& argv);
// Leaves the job (MPI_Finalize) after a command returned normally.
void stop();
// Ends every rank of the job at once (MPI_Abort), after `message` went to this rank's stderr. Single process:
// std::exit(code).
[[noreturn]] void abort_job(const std::string& message, int code);

int rank();
int ranks();
inline bool is_root() { return rank() == 0; }

void barrier();
// Rank 0's `text` on every rank.
std::string broadcast(const std::string& text);
// In-place sums over the ranks; every rank receives them.
void sum(real* values, int64_t count);
void sum(double* values, int64_t count);

// The data-parallel hook for the training loops: this rank's place in the job and the sums above.
nn::DataParallel data_parallel();

// This rank's points of a job over `n` points: a contiguous range whose boundaries are multiples of `align`, so
// work that draws one random stream per `align` points (experiments/attribution_methods.cpp) draws the same
// streams for every rank count.
nn::RowRange shard(int64_t n, int64_t align);
// Every rank's rows, concatenated in rank order, on every rank. mine: (n_r, ...row_shape), undefined if n_r = 0.
Tensor gather_rows(const Tensor& mine, const Shape& row_shape);
std::vector<double> gather(const std::vector<double>& mine);

namespace backend {
// The primitives distributed.cpp builds on, one implementation each in distributed/mpi.cpp and
// distributed/single_process.cpp.
void init(int& argc, char**& argv);
void finalize();
[[noreturn]] void abort(int code);
int rank();
int size();
void barrier();
void broadcast_bytes(std::string& bytes);  // from rank 0; the others' strings are resized to fit
void sum_reals(real* values, int64_t count);
void sum_doubles(double* values, int64_t count);
// counts[r] values from every rank r, concatenated in rank order, on every rank.
void gather_reals(const real* mine, int64_t count, real* all, const std::vector<int64_t>& counts);
void gather_doubles(const double* mine, int64_t count, double* all, const std::vector<int64_t>& counts);
std::vector<int64_t> gather_counts(int64_t count);
}  // namespace backend

}  // namespace mxai::experiments::distributed
