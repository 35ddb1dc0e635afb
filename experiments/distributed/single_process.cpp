// The backend of experiments/distributed.h in a build without MPI: one rank, and every collective the identity.
#include <algorithm>
#include <cstdlib>

#include "experiments/distributed.h"

namespace mxai::experiments::distributed::backend {

void init(int&, char**&) {}
void finalize() {}
void abort(int code) { std::exit(code); }
int rank() { return 0; }
int size() { return 1; }
void barrier() {}
void broadcast_bytes(std::string&) {}
void sum_reals(real*, int64_t) {}
void sum_doubles(double*, int64_t) {}
void gather_reals(const real* mine, int64_t count, real* all, const std::vector<int64_t>&) {
  if (count > 0) std::copy(mine, mine + count, all);
}
void gather_doubles(const double* mine, int64_t count, double* all, const std::vector<int64_t>&) {
  if (count > 0) std::copy(mine, mine + count, all);
}
std::vector<int64_t> gather_counts(int64_t count) { return {count}; }

}  // namespace mxai::experiments::distributed::backend
