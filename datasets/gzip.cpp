#include "datasets/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "autodiff/file_io.h"
#include "autodiff/tensor.h"

namespace mxai {

bool is_gzip(const std::string& bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gunzip(const std::string& bytes, const std::string& source) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) throw Error("zlib could not start inflating '" + source + "'");
  std::string out;
  out.reserve(bytes.size() * 4);
  char chunk[1 << 16];
  size_t consumed = 0;
  int status = Z_OK;
  while (true) {
    if (stream.avail_in == 0 && consumed < bytes.size()) {
      const size_t take = std::min<size_t>(bytes.size() - consumed, UINT_MAX);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + consumed));
      stream.avail_in = static_cast<uInt>(take);
      consumed += take;
    }
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof(chunk);
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - stream.avail_out);
    if (status == Z_STREAM_END) {
      // gzip allows several members back to back; trailing zero padding is also common.
      const bool more_input = stream.avail_in > 0 || consumed < bytes.size();
      if (!more_input) break;
      const size_t next = consumed - stream.avail_in;
      if (next + 1 < bytes.size() && static_cast<unsigned char>(bytes[next]) == 0x1f &&
          static_cast<unsigned char>(bytes[next + 1]) == 0x8b) {
        inflateReset(&stream);
        continue;
      }
      break;
    }
    if (status == Z_OK) continue;
    if (status == Z_BUF_ERROR && stream.avail_in == 0 && consumed == bytes.size()) {
      inflateEnd(&stream);
      throw Error("'" + source + "': gzip stream is truncated (" + std::to_string(bytes.size()) +
                  " compressed bytes end before the gzip trailer)");
    }
    const std::string why = stream.msg ? stream.msg : ("zlib error " + std::to_string(status));
    inflateEnd(&stream);
    throw Error("'" + source + "': corrupt gzip data: " + why);
  }
  inflateEnd(&stream);
  return out;
}

std::string read_maybe_gzip(const std::string& path) {
  std::string bytes = read_file(path);
  if (is_gzip(bytes)) return gunzip(bytes, path);
  return bytes;
}

}  // namespace mxai
