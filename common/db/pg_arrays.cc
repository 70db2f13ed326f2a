#include "common/db/pg_arrays.h"

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>

namespace doleances::db {

std::string TextArrayLiteral(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    literal += i == 0 ? "\"" : ",\"";
    for (char c : values[i]) {
      if (c == '"' || c == '\\') {
        literal += '\\';
      }
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

namespace {

template <typename Integer>
std::string JoinIntegers(const std::vector<Integer>& values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    absl::StrAppend(&literal, i == 0 ? "" : ",", values[i]);
  }
  return literal + "}";
}

}  // namespace

std::string IntArrayLiteral(const std::vector<int>& values) { return JoinIntegers(values); }

std::string Int64ArrayLiteral(const std::vector<int64_t>& values) { return JoinIntegers(values); }

std::string ByteaArrayLiteral(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    // Inside an array literal the backslash of bytea's hex prefix is itself escaped.
    absl::StrAppend(&literal, i == 0 ? "\"" : ",\"", "\\\\x", absl::BytesToHexString(values[i]),
                    "\"");
  }
  return literal + "}";
}

}  // namespace doleances::db
