#include "common/util/uuid.h"

#include <openssl/rand.h>

#include <array>

namespace doleances::util {

std::string NewUuid() {
  std::array<unsigned char, 16> bytes;
  RAND_bytes(bytes.data(), bytes.size());
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // Version 4.
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant.
  // By hand: a formatted append per byte cost more than the random bytes (routing makes a few
  // ids per complaint).
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text += '-';
    }
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0x0f];
  }
  return text;
}

}  // namespace doleances::util
