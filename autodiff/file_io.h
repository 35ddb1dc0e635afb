// Whole-file reads and atomic writes. Every output mxai produces goes through write_file_atomic: the bytes go to
// a temporary file beside the target, which is renamed over it only once complete, so an interrupted or failed
// run never leaves a half-written file.
#pragma once

#include <string>

namespace mxai {

std::string read_file(const std::string& path);  // throws Error naming the path and the reason
// Throws Error naming `path` and the system's reason (e.g. "No space left on device"); `path` is then unchanged
// and the temporary file removed.
void write_file_atomic(const std::string& path, const std::string& bytes);

// The temporary files write_file_atomic leaves when its process is killed are named <target>.tmp.<pid>. Removes
// those under `dir` (recursively) whose process no longer runs; returns how many. A run calls it on its output
// folder before starting, so a run killed with SIGKILL and rerun leaves nothing behind.
int remove_stale_temp_files(const std::string& dir);

// In a job of several processes that compute the same outputs (experiments/distributed.h), only one may write:
// the others call this with false once, and from then on write_file_atomic and remove_stale_temp_files do nothing.
void set_file_writes_enabled(bool enabled);

}  // namespace mxai
