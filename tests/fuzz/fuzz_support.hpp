// Shared by the fuzz targets: a check that aborts (so libFuzzer and the
// corpus replay both report it), and a reader that cuts the fuzzer's bytes
// into the pieces a target needs without ever reading past the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                  \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (false)

namespace attune::fuzz {

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size)
      : bytes_(reinterpret_cast<const char*>(data), size) {}

  bool empty() const { return pos_ >= bytes_.size(); }
  std::size_t left() const { return bytes_.size() - pos_; }

  // Zero once the input ran out, so every input is a valid script.
  std::uint8_t byte() { return empty() ? 0 : static_cast<std::uint8_t>(bytes_[pos_++]); }
  std::uint16_t u16() {
    const auto hi = byte();
    return static_cast<std::uint16_t>((hi << 8) | byte());
  }

  // Up to `n` bytes (fewer at the end of the input).
  std::string_view take(std::size_t n) {
    const std::size_t k = n < left() ? n : left();
    const std::string_view out = bytes_.substr(pos_, k);
    pos_ += k;
    return out;
  }
  // A 16-bit length, then that many bytes: one record of a script.
  std::string_view record() { return take(u16()); }
  std::string_view rest() { return take(left()); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

// Appends a record in the form ByteReader::record() reads (for seed generators).
inline void put_record(std::string& out, std::string_view bytes) {
  const std::size_t n = bytes.size() > 0xffff ? 0xffff : bytes.size();
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(bytes.substr(0, n));
}

}  // namespace attune::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
