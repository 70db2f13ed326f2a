#include "common/db/pg_arrays.h"

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

std::string IntArrayLiteral(const std::vector<int>& values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    absl::StrAppend(&literal, i == 0 ? "" : ",", values[i]);
  }
  return literal + "}";
}

}  // namespace doleances::db
