// write_file_atomic's promises under failure, and the clean-up of what a killed writer leaves behind.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "autodiff/file_io.h"
#include "autodiff/tensor.h"
#include "test_datasets_helpers.h"

using namespace mxai;
using Catch::Contains;

TEST_CASE("write_file_atomic: a failed write names the target and the reason and leaves the old file", "[file_io]") {
  mxai_test::TempDir dir;
  const std::string path = dir.file("out.bin");
  write_file_atomic(path, "old");
  // /dev/full fails every write with ENOSPC, the error a full disk gives; a symlink makes it the temporary file.
  std::filesystem::create_symlink("/dev/full", path + ".tmp." + std::to_string(::getpid()));
  CHECK_THROWS_WITH(write_file_atomic(path, std::string(1 << 16, 'x')),
                    Contains("cannot write '" + path + "'") && Contains("No space left on device"));
  CHECK(read_file(path) == "old");
  CHECK_FALSE(std::filesystem::exists(path + ".tmp." + std::to_string(::getpid())));
}

TEST_CASE("remove_stale_temp_files removes what dead writers left, and only that", "[file_io]") {
  mxai_test::TempDir dir;
  std::filesystem::create_directories(dir.file("sub"));
  // pid 0x7fffffff is beyond any pid_max Linux allows, so no process has it.
  mxai_test::write_bytes(dir.file("sub/model.safetensors.tmp.2147483647"), "half");
  mxai_test::write_bytes(dir.file("results.json.tmp.2147483647"), "half");
  mxai_test::write_bytes(dir.file("live.tmp." + std::to_string(::getpid())), "mine");
  mxai_test::write_bytes(dir.file("notes.tmp.txt"), "not ours");
  mxai_test::write_bytes(dir.file("model.safetensors"), "kept");
  CHECK(remove_stale_temp_files(dir.str()) == 2);
  CHECK_FALSE(std::filesystem::exists(dir.file("sub/model.safetensors.tmp.2147483647")));
  CHECK_FALSE(std::filesystem::exists(dir.file("results.json.tmp.2147483647")));
  CHECK(std::filesystem::exists(dir.file("live.tmp." + std::to_string(::getpid()))));
  CHECK(std::filesystem::exists(dir.file("notes.tmp.txt")));
  CHECK(std::filesystem::exists(dir.file("model.safetensors")));
  CHECK(remove_stale_temp_files(dir.file("missing")) == 0);
}
