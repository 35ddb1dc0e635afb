// The safetensors reader is as strict as the reference implementation (huggingface/safetensors): tensors sorted by
// offset must tile the data section exactly, keys are unique, the header is UTF-8 JSON of at most 100 MB beginning
// with '{', and sizes cannot overflow. Model files holding NaN or Inf are refused on load, and a training loop
// whose loss turns NaN stops with an error naming it, the epoch and the batch. Every rejection names the file, the
// tensor and what was expected.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <unistd.h>

#include "autodiff/file_io.h"
#include "autodiff/ops.h"
#include "nn/nn.h"
#include "safetensors_test_helpers.h"
#include "vae/conv_autoencoder.h"
#include "vae/vae_training.h"

using namespace mxai;
using namespace mxai::nn;
using mxai_test::decode_error;
using mxai_test::file_bytes;
using mxai_test::le64;
using TempDir = mxai_test::SafetensorsTempDir;

namespace {

std::string zeros(size_t n) { return std::string(n, '\0'); }

// A tensor entry of the header.
std::string entry(const std::string& name, const std::string& dtype, const std::string& shape, uint64_t begin,
                  uint64_t end) {
  return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
         std::to_string(begin) + "," + std::to_string(end) + "]}";
}

// The decoder's message for `bytes` names the file and contains every one of `parts`.
void check_rejected(const std::string& bytes, std::initializer_list<std::string> parts) {
  const std::string msg = decode_error(bytes);
  INFO(msg);
  CHECK_THAT(msg, Catch::Contains("safetensors file 'model.safetensors'"));
  for (const std::string& part : parts) CHECK_THAT(msg, Catch::Contains(part));
}

}  // namespace

TEST_CASE("safetensors: overlapping tensors are rejected, naming both and the expected offset",
          "[nn][safetensors][strict]") {
  // The case of issue 15: [0,16] and [8,24] in a 24-byte data section.
  const std::string header = "{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "F32", "[4]", 8, 24) + "}";
  check_rejected(file_bytes(header, zeros(24)),
                 {"tensor 'b': data_offsets [8, 24] overlap tensor 'a' [0, 16]", "expected it to begin at 16"});
  // The same tensors, listed in the other order: the check is on offset order, not header order.
  const std::string swapped = "{" + entry("b", "F32", "[4]", 8, 24) + "," + entry("a", "F32", "[4]", 0, 16) + "}";
  check_rejected(file_bytes(swapped, zeros(24)), {"tensor 'b'", "overlap tensor 'a'"});
  // Two tensors on the same bytes.
  const std::string same = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}";
  check_rejected(file_bytes(same, zeros(8)), {"tensor 'b': data_offsets [0, 8] overlap tensor 'a' [0, 8]"});
}

TEST_CASE("safetensors: gaps, a first tensor not at 0 and trailing bytes are rejected", "[nn][safetensors][strict]") {
  const std::string gap = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 12, 20) + "}";
  check_rejected(file_bytes(gap, zeros(20)),
                 {"tensor 'b': data_offsets [12, 20] leave a gap", "bytes [8, 12) of the data section belong to no tensor",
                  "expected it to begin at 8, where tensor 'a' ends"});
  const std::string late = "{" + entry("a", "F32", "[2]", 4, 12) + "}";
  check_rejected(file_bytes(late, zeros(12)), {"tensor 'a': data_offsets [4, 12] leave a gap", "bytes [0, 4)"});
  const std::string one = "{" + entry("a", "F32", "[2]", 0, 8) + "}";
  REQUIRE(decode_error(file_bytes(one, zeros(8))) == "(no error)");
  check_rejected(file_bytes(one, zeros(8) + "garbage"),
                 {"the data section has 15 bytes but the tensors cover 8", "7 trailing bytes after tensor 'a'"});
  check_rejected(file_bytes("{}", "x"), {"the data section has 1 bytes but the tensors cover 0", "after the header"});
}

TEST_CASE("safetensors: valid layouts the reference accepts still load", "[nn][safetensors][strict]") {
  // Header order differs from offset order; empty tensors sit anywhere, even on the same offset.
  const std::string header = "{" + entry("z", "F32", "[2]", 0, 8) + "," + entry("a", "F64", "[1]", 8, 16) + "," +
                             entry("e", "F32", "[0,3]", 16, 16) + "," + entry("f", "I64", "[0]", 16, 16) + "," +
                             entry("\xc3\xbc" "ber", "U8", "[]", 16, 17) + "}";
  std::string data = zeros(17);
  data[16] = 7;
  INFO(decode_error(file_bytes(header, data)));
  const SafetensorsContents c = decode_safetensors(file_bytes(header, data), "ok");
  CHECK(c.tensors.size() == 5);
  CHECK(c.tensors.at("e").shape() == Shape{0, 3});
  CHECK(c.tensors.at("\xc3\xbc" "ber").item() == 7);
  // Padding spaces after the object are allowed (the writer pads to 8 bytes), and an empty file has "{}".
  CHECK(decode_error(file_bytes("{}      ", "")) == "(no error)");
  const std::string saved = encode_safetensors({{"b", Tensor::ones({3})}, {"a", Tensor::zeros({0})}});
  CHECK(decode_safetensors(saved, "saved").tensors.size() == 2);
}

TEST_CASE("safetensors: duplicate keys anywhere in the header are rejected", "[nn][safetensors][strict]") {
  const std::string w = entry("w", "F32", "[2]", 0, 8);
  check_rejected(file_bytes("{" + w + "," + w + "}", zeros(8)), {"tensor 'w' appears twice in the header"});
  check_rejected(file_bytes(R"({"__metadata__":{"a":"1"},"__metadata__":{"b":"2"}})", ""),
                 {"__metadata__ appears twice"});
  check_rejected(file_bytes(R"({"__metadata__":{"a":"1","a":"2"}})", ""),
                 {"__metadata__ key 'a' appears twice"});
  check_rejected(file_bytes(R"({"w":{"dtype":"F32","dtype":"F64","shape":[2],"data_offsets":[0,8]}})", zeros(8)),
                 {"tensor 'w': field 'dtype' appears twice"});
}

TEST_CASE("safetensors: a header over 100 MB is rejected before it is read", "[nn][safetensors][strict]") {
  const std::string small = "{" + entry("w", "F32", "[2]", 0, 8) + "}";
  check_rejected(le64(100'000'001) + small + zeros(8),
                 {"header length 100000001 exceeds the format's limit of 100000000 bytes", "exceeds the file size"});
  check_rejected(le64(uint64_t{1} << 40) + small, {"exceeds the format's limit"});
}

TEST_CASE("safetensors: shapes whose element count or byte size overflows int64 are rejected",
          "[nn][safetensors][strict]") {
  check_rejected(file_bytes("{" + entry("w", "F32", "[4611686018427387904,4]", 0, 8) + "}", zeros(8)),
                 {"tensor 'w': shape (4611686018427387904,4) is too large: its element count overflows int64"});
  // 2^61 F64 elements: the count fits, the byte size (2^64) does not.
  check_rejected(file_bytes("{" + entry("w", "F64", "[2305843009213693952]", 0, 8) + "}", zeros(8)),
                 {"tensor 'w': shape (2305843009213693952) of F64 is too large: its byte size overflows int64"});
  // A zero dimension makes the tensor empty, but the other dimensions must still multiply within int64 (they
  // become strides).
  check_rejected(file_bytes("{" + entry("w", "F32", "[0,4294967296,4294967296]", 0, 0) + "}", ""),
                 {"tensor 'w'", "element count overflows int64"});
  // A dimension that does not fit int64 at all.
  check_rejected(file_bytes("{" + entry("w", "F32", "[18446744073709551616]", 0, 8) + "}", zeros(8)),
                 {"tensor 'w': shape entries must be non-negative integers that fit int64"});
}

TEST_CASE("safetensors: a byte size that does not match the offsets names expected and actual",
          "[nn][safetensors][strict]") {
  check_rejected(file_bytes("{" + entry("w", "BF16", "[2,3]", 0, 8) + "}", zeros(8)),
                 {"tensor 'w': data_offsets [0, 8] span 8 bytes but shape (2,3) of BF16 needs 12"});
  check_rejected(file_bytes("{" + entry("w", "I64", "[]", 0, 4) + "}", zeros(4)),
                 {"tensor 'w': data_offsets [0, 4] span 4 bytes but shape () of I64 needs 8"});
}

TEST_CASE("safetensors: keys and metadata that are not UTF-8 are rejected, the bytes shown escaped",
          "[nn][safetensors][strict]") {
  const auto with_name = [](const std::string& name) {
    return file_bytes("{" + entry(name, "F32", "[2]", 0, 8) + "}", zeros(8));
  };
  check_rejected(with_name("w\xff"), {"tensor name 'w\\xff' is not valid UTF-8"});
  check_rejected(with_name("\xc0\x80"), {"tensor name '\\xc0\\x80' is not valid UTF-8"});      // overlong NUL
  check_rejected(with_name("\xed\xa0\x80"), {"not valid UTF-8"});                             // a surrogate
  check_rejected(with_name("\xf4\x90\x80\x80"), {"not valid UTF-8"});                         // above U+10FFFF
  check_rejected(with_name("\xe2\x82"), {"not valid UTF-8"});                                 // truncated
  CHECK(decode_error(with_name("\xe2\x82\xac\xf0\x9f\x98\x80")) == "(no error)");            // euro sign, emoji
  check_rejected(file_bytes("{\"__metadata__\":{\"k\\u00e9\":\"v\xfe\"}}", ""),
                 {"__metadata__ value of 'k\xc3\xa9' is not valid UTF-8: 'v\\xfe'"});
  check_rejected(file_bytes("{\"__metadata__\":{\"k\x80\":\"v\"}}", ""), {"__metadata__ key 'k\\x80' is not valid UTF-8"});
  // Elsewhere in the header (here: a field the reader ignores).
  check_rejected(file_bytes(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"note":")" "\xff" R"("}})",
                            zeros(8)),
                 {"header is not valid UTF-8 at byte"});
}

TEST_CASE("safetensors: the header must begin with '{'", "[nn][safetensors][strict]") {
  check_rejected(file_bytes(" {}", ""), {"header must begin with '{', it begins with byte 0x20"});
  check_rejected(file_bytes("\n{}", ""), {"byte 0x0a"});
}

TEST_CASE("a malformed file on disk is named by its path", "[nn][safetensors][strict]") {
  TempDir dir;
  const std::string path = dir.file("overlap.safetensors");
  write_file_atomic(path, file_bytes("{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "F32", "[4]", 8, 24) + "}",
                                     zeros(24)));
  CHECK_THROWS_WITH(load_safetensors(path), Catch::Contains("'" + path + "'") && Catch::Contains("overlap"));
}

TEST_CASE("model files holding NaN or Inf are refused on load, naming the file and the tensor",
          "[nn][safetensors][strict]") {
  TempDir dir;
  Generator gen(1);
  Linear layer(3, 2, gen);
  TensorMap state = layer.state_dict();
  const std::string clean = dir.file("clean.safetensors");
  save_safetensors(clean, state);
  Linear other(3, 2, gen);
  CHECK_NOTHROW(load_module(other, clean));

  SECTION("NaN") {
    state.at("weight").data()[4] = std::numeric_limits<real>::quiet_NaN();
    const std::string path = dir.file("nan.safetensors");
    save_safetensors(path, state);
    CHECK_THROWS_WITH(load_module(other, path),
                      Catch::Contains("cannot load '" + path + "'") &&
                          Catch::Contains("tensor 'weight' (2,3) holds NaN at flat index 4") &&
                          Catch::Contains("1 of its 6 values are not finite"));
  }
  SECTION("Inf, also in F64 and F16 files") {
    state.at("bias").data()[1] = -std::numeric_limits<real>::infinity();
    const std::string path = dir.file("inf.safetensors");
    save_safetensors(path, state, {}, {{"bias", DType::F64}});
    CHECK_THROWS_WITH(load_module(other, path), Catch::Contains("tensor 'bias' (2) holds -Inf at flat index 1"));
    const uint16_t half_inf = 0x7C00;
    const std::string f16 = file_bytes("{" + entry("bias", "F16", "[1]", 0, 2) + "}",
                                       std::string(reinterpret_cast<const char*>(&half_inf), 2));
    const SafetensorsContents c = decode_safetensors(f16, "half.safetensors");
    CHECK_THROWS_WITH(check_finite(c, "half.safetensors"),
                      Catch::Contains("'half.safetensors'") && Catch::Contains("'bias' (1) holds +Inf"));
  }
  SECTION("plain reading (mxai info) still shows such a file") {
    state.at("weight").data()[0] = std::numeric_limits<real>::quiet_NaN();
    const std::string path = dir.file("nan_info.safetensors");
    save_safetensors(path, state);
    CHECK(std::isnan(load_safetensors(path).tensors.at("weight").data()[0]));
  }
}

TEST_CASE("metadata integers: the whole string, within the allowed range", "[nn][safetensors][strict]") {
  const Metadata m = {{"height", "28"}, {"neg", "-3"}, {"junk", "12abc"}, {"huge", "99999999999999999999"},
                      {"big", "1048577"}};
  CHECK(metadata_integer(m, "height", "f", "classifier", "mxai train-classifier") == 28);
  CHECK_THROWS_WITH(metadata_integer(m, "neg", "f", "classifier", "x"),
                    Catch::Contains("'f': metadata 'neg' must be in [1, 1048576], got -3"));
  CHECK_THROWS_WITH(metadata_integer(m, "junk", "f", "classifier", "x"), Catch::Contains("is not an integer: '12abc'"));
  CHECK_THROWS_WITH(metadata_integer(m, "huge", "f", "classifier", "x"), Catch::Contains("is not an integer"));
  CHECK_THROWS_WITH(metadata_integer(m, "big", "f", "classifier", "x"), Catch::Contains("got 1048577"));
  CHECK(metadata_integer(m, "neg", "f", "classifier", "x", -5, 5) == -3);
  CHECK_THROWS_WITH(metadata_integer(m, "missing", "f", "VAE", "mxai train-vae"),
                    Catch::Contains("not an mxai VAE file") && Catch::Contains("'missing'"));
}

TEST_CASE("check_loss_finite names what diverged, the epoch, the batch and the learning rate", "[nn][loss][strict]") {
  CHECK_NOTHROW(check_loss_finite(1.5, "x", 1, 1, 1, 1, 0.1));
  CHECK_THROWS_WITH(check_loss_finite(std::nan(""), "training lenet on mnist", 2, 4, 17, 469, 1000),
                    Catch::Equals("training lenet on mnist diverged: the loss is nan at epoch 2 of 4, batch 17 of 469 "
                                  "(learning rate 1000); nothing was saved"));
  CHECK_THROWS_WITH(check_loss_finite(std::numeric_limits<double>::infinity(), "w", 1, 1, 1, 1, 1),
                    Catch::Contains("the loss is +inf"));
}

TEST_CASE("the autoencoder and VAE training loops stop when the loss turns NaN", "[vae][train][strict]") {
  Generator gen(3);
  SECTION("autoencoder") {
    const Tensor images = mxai::rand({8, 1, 8, 8}, gen);
    vae::AutoencoderShape shape;
    shape.latent_dim = 2;
    shape.width = 2;
    shape.hidden = 8;
    vae::AutoencoderTrainOptions o;
    o.epochs = 3;
    o.batch_size = 2;
    o.lr = 1e30;  // the first Adam step moves every weight by ~1e30: the next loss overflows
    o.what = "autoencoder training on blobs";
    CHECK_THROWS_WITH(vae::train_autoencoder(images, shape, o),
                      Catch::StartsWith("autoencoder training on blobs diverged: the loss is") &&
                          Catch::Contains("at epoch 1 of 3, batch ") && Catch::Contains("of 4 (learning rate 1e+30)"));
  }
  SECTION("VAE") {
    const Tensor images = mxai::rand({4, 1, 32, 32}, gen);
    vae::VaeTrainOptions o;
    o.epochs = 2;
    o.batch_size = 2;
    o.lr = 1e30;
    o.what = "VAE training on noise";
    CHECK_THROWS_WITH(vae::train_vae(images, 2, o),
                      Catch::StartsWith("VAE training on noise diverged: the loss is") &&
                          Catch::Contains("at epoch 1 of 2, batch 2 of 2"));
  }
}
