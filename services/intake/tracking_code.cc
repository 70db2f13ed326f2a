#include "services/intake/tracking_code.h"

#include "common/status/grpc_status.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>
#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace doleances::intake {
namespace {

// Crockford base32: digits and letters without I, L, O and U, which are too easily misread.
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kDataSymbols = 13;
constexpr int kSymbols = kDataSymbols + 1;
constexpr int kGroupSize = 4;

static_assert(kDataSymbols * 5 == kTrackingCodeRandomBits);
static_assert(kSymbols + (kSymbols - 1) / kGroupSize == kTrackingCodeDisplayLength);

using Symbols = std::array<int, kSymbols>;

// The check symbol. Symbol values are elements of the field GF(32) = GF(2)[x]/(x^5 + x^2 + 1)
// (the polynomial is primitive, so x has order 31), and a code c_0..c_13 is valid iff
//   S = sum_i x^(13-i) * c_i = 0.
// Checksum() evaluates S by Horner's rule, s <- x*s + c, which is Damm's algorithm over the
// totally anti-symmetric quasigroup a*b = x*a + b; the check symbol is x*s over the data, the
// one value that makes S zero.
// - Single substitution c_i -> c_i + e (e != 0): S changes by x^(13-i) * e, a product of two
//   non-zero field elements, hence non-zero. Every one-symbol typo (check symbol included) fails.
// - Swap of neighbours a != b at i, i+1: S changes by (a + b) * x^(12-i) * (x + 1), non-zero
//   since x + 1 != 0. Swaps two apart change S by (a + b) * x^k * (x + 1)^2, also caught.
// Unlike Crockford's mod-37 check symbol, the check stays inside the 32 symbols, so codes never
// contain U or punctuation (*~$=) that the contract and citizens' keyboards do not expect.
int TimesX(int value) {
  value <<= 1;
  return (value & 0x20) != 0 ? value ^ 0x25 : value;
}

int Checksum(const int* symbols, int count) {
  int sum = 0;
  for (int i = 0; i < count; ++i) {
    sum = TimesX(sum) ^ symbols[i];
  }
  return sum;
}

// Value of a typed character, or -1. Crockford's decoding rules: case-insensitive, O reads as 0,
// I and L read as 1; U is not a symbol.
int SymbolValue(char c) {
  if (c >= 'a' && c <= 'z') {
    c = static_cast<char>(c - 'a' + 'A');
  }
  switch (c) {
    case 'O':
      return 0;
    case 'I':
    case 'L':
      return 1;
    default:
      break;
  }
  for (int value = 0; value < 32; ++value) {
    if (kAlphabet[value] == c) {
      return value;
    }
  }
  return -1;
}

std::string DisplayForm(const Symbols& symbols) {
  std::string display;
  display.reserve(kTrackingCodeDisplayLength);
  for (int i = 0; i < kSymbols; ++i) {
    if (i > 0 && i % kGroupSize == 0) {
      display += '-';
    }
    display += kAlphabet[symbols[i]];
  }
  return display;
}

absl::Status InvalidTrackingCode(const char* description) {
  return common::InvalidArguments({{"tracking_code", description}});
}

}  // namespace

std::string NewTrackingCode() {
  std::array<unsigned char, kDataSymbols> random;
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    // No code at all beats a guessable one; a CSPRNG that fails will not recover by itself.
    std::fputs("fatal: OpenSSL RAND_bytes failed while generating a tracking code\n", stderr);
    std::abort();
  }
  Symbols symbols;
  for (int i = 0; i < kDataSymbols; ++i) {
    symbols[i] = random[i] & 0x1F;  // 256 is a multiple of 32: each symbol stays uniform.
  }
  symbols[kDataSymbols] = TimesX(Checksum(symbols.data(), kDataSymbols));
  return DisplayForm(symbols);
}

absl::StatusOr<std::string> NormalizeTrackingCode(absl::string_view input) {
  Symbols symbols;
  int count = 0;
  for (char c : input) {
    if (c == '-' || c == ' ' || c == '\t') {
      continue;
    }
    const int value = SymbolValue(c);
    if (value < 0) {
      return InvalidTrackingCode("contains a character that is not in a tracking code");
    }
    if (count == kSymbols) {
      return InvalidTrackingCode("must be 14 characters, dashes and spaces aside");
    }
    symbols[count++] = value;
  }
  if (count != kSymbols) {
    return InvalidTrackingCode("must be 14 characters, dashes and spaces aside");
  }
  if (Checksum(symbols.data(), kSymbols) != 0) {
    return InvalidTrackingCode("check character does not match: the code is mistyped");
  }
  return DisplayForm(symbols);
}

}  // namespace doleances::intake
