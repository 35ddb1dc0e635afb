#include "apps/stage_runner.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "apps/progress.h"
#include "autodiff/tensor.h"

namespace mxai::apps {

bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

void make_directories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw Error("cannot create directory " + path + ": " + ec.message());
}

bool StageRunner::run(const std::string& name, const std::vector<std::string>& outputs,
                      const std::function<void()>& make) {
  bool done = !force_ && !outputs.empty();
  for (const auto& path : outputs) done = done && file_exists(path);
  if (done) {
    if (!quiet_) std::fprintf(stderr, "[%s] reusing %s\n", name.c_str(), outputs.front().c_str());
    stages_.push_back({name, 0, true});
    return false;
  }
  if (!quiet_) std::fprintf(stderr, "[%s] ...\n", name.c_str());
  const auto start = std::chrono::steady_clock::now();
  make();
  const double seconds = seconds_since(start);
  if (!quiet_) std::fprintf(stderr, "[%s] done in %s\n", name.c_str(), format_duration(seconds).c_str());
  stages_.push_back({name, seconds, false});
  return true;
}

void StageRunner::run_always(const std::string& name, const std::function<void()>& work) {
  if (!quiet_) std::fprintf(stderr, "[%s] ...\n", name.c_str());
  const auto start = std::chrono::steady_clock::now();
  work();
  const double seconds = seconds_since(start);
  if (!quiet_) std::fprintf(stderr, "[%s] done in %s\n", name.c_str(), format_duration(seconds).c_str());
  stages_.push_back({name, seconds, false});
}

}  // namespace mxai::apps
