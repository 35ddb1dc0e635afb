// Transparent gzip: data files may be stored compressed or raw, and the caller should not care which.
#pragma once

#include <string>

namespace mxai {

// True if `bytes` starts with the gzip magic 1f 8b.
bool is_gzip(const std::string& bytes);

// Decompresses a whole gzip stream (concatenated members too). `source` names the file in error messages.
// Throws Error on a corrupt or truncated stream.
std::string gunzip(const std::string& bytes, const std::string& source);

// read_file, then gunzip if the content is gzip'd.
std::string read_maybe_gzip(const std::string& path);

}  // namespace mxai
