# Sourced by the MPI tests (tests/mpi_*.sh): the mpirun command line, a failure counter, and the inputs every test
# reads (a smoke run of one process, made once by tests/mpi_inputs.sh into $work/one).
set -u
mpirun_bin="$1"
mxai="$2"
work="$3"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# Two ranks of one thread each on any machine (--oversubscribe: more ranks than cores is allowed), also as root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
two_ranks() { "$mpirun_bin" --oversubscribe -np 2 -x OMP_NUM_THREADS "$@"; }
finish() {
  [ "$failures" -eq 0 ] && echo "PASS" || echo "$failures failure(s)"
  exit $((failures > 0))
}
