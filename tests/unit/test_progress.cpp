// Progress output in a log (stderr not a terminal): a bar leaves a line at about every 10% and one at the end, an
// epoch bar only its final line, and --quiet leaves nothing.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "autodiff/file_io.h"
#include "experiments/progress.h"

using namespace mxai;

namespace {

// Sends stderr to a file for the lifetime of the object, so the bars see a non-terminal, as in a log.
class StderrToFile {
 public:
  StderrToFile()
      : path_((std::filesystem::temp_directory_path() / ("mxai_progress_" + std::to_string(::getpid()))).string()) {
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~StderrToFile() {
    restore();
    std::remove(path_.c_str());
  }
  // Restores stderr and returns what was written.
  std::string text() {
    restore();
    return read_file(path_);
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    saved_ = -1;
  }
  std::string path_;
  int saved_ = -1;
};

int count_lines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

std::string run_bar(int64_t total, bool quiet, Progress::LogLines lines) {
  StderrToFile capture;
  {
    Progress bar("work", total, quiet, lines);
    for (int64_t i = 1; i <= total; ++i) bar.update(i, "loss 0.5");
    bar.finish("loss 0.4");
  }
  return capture.text();
}

}  // namespace

TEST_CASE("a bar in a log prints a line at about every 10% and one at the end", "[experiments][progress]") {
  const std::string text = run_bar(1000, false, Progress::LogLines::EveryTenth);
  CHECK(count_lines(text) == 11);  // 1/1000 (0%), 100/1000, ..., 900/1000, then the final line
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find("work 1000/1000") != std::string::npos);
  CHECK(text.find("loss 0.4") != std::string::npos);
}

TEST_CASE("an epoch bar in a log prints only its final line", "[experiments][progress]") {
  const std::string text = run_bar(1000, false, Progress::LogLines::FinalOnly);
  CHECK(count_lines(text) == 1);
  CHECK(text.rfind("work 1000/1000", 0) == 0);
  CHECK(text.find("loss 0.4") != std::string::npos);
}

TEST_CASE("a quiet bar prints nothing", "[experiments][progress]") {
  CHECK(run_bar(100, true, Progress::LogLines::EveryTenth).empty());
  CHECK(run_bar(100, true, Progress::LogLines::FinalOnly).empty());
}
