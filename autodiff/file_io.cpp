#include "autodiff/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "autodiff/tensor.h"

namespace mxai {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open '" + path + "': " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw Error("error reading '" + path + "'");
  return buffer.str();
}

namespace {
bool writes_enabled = true;
}  // namespace

void set_file_writes_enabled(bool enabled) { writes_enabled = enabled; }

void write_file_atomic(const std::string& path, const std::string& bytes) {
  if (!writes_enabled) return;
  // The pid keeps two processes writing one target from sharing a temporary file.
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot write '" + path + "': " + std::strerror(errno) + " (creating '" + tmp + "')");
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = n < 0 ? std::strerror(errno) : "no progress";
      ::close(fd);
      std::remove(tmp.c_str());
      throw Error("cannot write '" + path + "': " + why + " (" + std::to_string(written) + " of " +
                  std::to_string(bytes.size()) + " bytes written; the old file, if any, is unchanged)");
    }
    written += static_cast<size_t>(n);
  }
  // close can report a deferred write error (e.g. quota or a network file system).
  if (::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    throw Error("cannot write '" + path + "': " + why + " (on close; the old file, if any, is unchanged)");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    throw Error("cannot rename '" + tmp + "' to '" + path + "': " + why);
  }
}

int remove_stale_temp_files(const std::string& dir) {
  if (!writes_enabled) return 0;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  std::vector<fs::path> stale;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const size_t mark = name.rfind(".tmp.");
    if (mark == std::string::npos || mark + 5 == name.size()) continue;
    const std::string digits = name.substr(mark + 5);
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 10) continue;
    const long long number = std::stoll(digits);
    if (number > 2147483647) continue;  // not a pid
    const pid_t pid = static_cast<pid_t>(number);
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // its writer may still be running
    stale.push_back(it->path());
  }
  int removed = 0;
  for (const fs::path& p : stale) removed += fs::remove(p, ec) ? 1 : 0;
  return removed;
}

}  // namespace mxai
