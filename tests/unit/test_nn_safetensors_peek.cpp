// peek_safetensors_metadata: a file's kind from its header alone, for callers that sniff before they load.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "autodiff/file_io.h"
#include "nn/safetensors.h"
#include "vae/manifold_dataset.h"

using namespace mxai;
namespace fs = std::filesystem;

namespace {

std::string scratch_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("mxai_peek_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

}  // namespace

TEST_CASE("peek_safetensors_metadata reads the metadata of a valid file without its tensors", "[nn][safetensors]") {
  const std::string path = scratch_path("split.safetensors");
  nn::save_safetensors(path, {{"x", Tensor::zeros({2, 3})}}, {{"format", "mxai-manifold-split"}, {"k", "4"}});
  const auto metadata = nn::peek_safetensors_metadata(path);
  REQUIRE(metadata);
  CHECK(metadata->at("format") == "mxai-manifold-split");
  CHECK(metadata->at("k") == "4");
  CHECK(vae::is_manifold_split_metadata(*metadata));

  nn::save_safetensors(path, {{"x", Tensor::zeros({1})}}, {{"format", "mxai-classifier"}});
  const auto other = nn::peek_safetensors_metadata(path);
  REQUIRE(other);
  CHECK_FALSE(vae::is_manifold_split_metadata(*other));
  fs::remove_all(fs::path(path).parent_path());
}

TEST_CASE("peek_safetensors_metadata says no for files that are not safetensors", "[nn][safetensors]") {
  CHECK_FALSE(nn::peek_safetensors_metadata(scratch_path("missing.safetensors")));
  const std::string path = scratch_path("not.safetensors");
  write_file_atomic(path, "hello");  // shorter than the 8-byte length
  CHECK_FALSE(nn::peek_safetensors_metadata(path));
  write_file_atomic(path, std::string("\x40\0\0\0\0\0\0\0", 8) + "{\"__metadata__\":");  // length beyond the file
  CHECK_FALSE(nn::peek_safetensors_metadata(path));
  write_file_atomic(path, std::string("\x02\0\0\0\0\0\0\0", 8) + "[]");  // not an object
  CHECK_FALSE(nn::peek_safetensors_metadata(path));
  write_file_atomic(path, std::string("\x12\0\0\0\0\0\0\0", 8) + "{\"__metadata__\":1}");  // metadata not an object
  CHECK_FALSE(nn::peek_safetensors_metadata(path));
  fs::remove_all(fs::path(path).parent_path());
}
