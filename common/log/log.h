#pragma once

// Structured logging: one JSON object per line on stderr, so that log shippers need no parser.
// Never pass personal data (citizen names, contact details, free text) as a field.

#include <absl/strings/string_view.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace doleances::log {

enum class Level { kInfo, kWarning, kError };

// A key and its already-stringified value; numbers are emitted unquoted when `raw` is set.
struct Field {
  Field(absl::string_view key, absl::string_view value) : key(key), value(value) {}
  Field(absl::string_view key, const char* value) : key(key), value(value) {}
  Field(absl::string_view key, const std::string& value) : key(key), value(value) {}
  Field(absl::string_view key, long long value);
  Field(absl::string_view key, int value) : Field(key, static_cast<long long>(value)) {}
  Field(absl::string_view key, double value);

  std::string key;
  std::string value;
  bool raw = false;
};

// Writes {"ts":..., "level":..., "msg":..., <fields>} as one line, atomically w.r.t. other threads.
void Write(Level level, absl::string_view message, std::initializer_list<Field> fields = {});

inline void Info(absl::string_view message, std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, message, fields);
}
inline void Warning(absl::string_view message, std::initializer_list<Field> fields = {}) {
  Write(Level::kWarning, message, fields);
}
inline void Error(absl::string_view message, std::initializer_list<Field> fields = {}) {
  Write(Level::kError, message, fields);
}

// JSON-escapes `text` (quotes, backslashes, control characters) without the surrounding quotes.
std::string JsonEscape(absl::string_view text);

}  // namespace doleances::log
