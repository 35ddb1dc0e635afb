// Whole-file reads and atomic writes. Every output mxai produces goes through write_file_atomic: the bytes go to
// a temporary file beside the target, which is renamed over it only once complete, so an interrupted or failed
// run never leaves a half-written file.
#pragma once

#include <string>

namespace mxai {

std::string read_file(const std::string& path);  // throws Error naming the path and the reason
void write_file_atomic(const std::string& path, const std::string& bytes);

}  // namespace mxai
