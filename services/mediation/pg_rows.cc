#include "services/mediation/pg_rows.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <pqxx/pqxx>

namespace doleances::mediation {
namespace {

using Juncture = pqxx::array_parser::juncture;

}  // namespace

std::vector<std::string> ReadTextArray(const pqxx::field& field) {
  std::vector<std::string> values;
  if (field.is_null()) {
    return values;
  }
  auto parser = field.as_array();
  for (auto item = parser.get_next(); item.first != Juncture::done; item = parser.get_next()) {
    if (item.first == Juncture::string_value) {
      values.push_back(item.second);
    }
  }
  return values;
}

std::vector<std::optional<absl::Time>> ReadMicrosArray(const pqxx::field& field) {
  std::vector<std::optional<absl::Time>> values;
  if (field.is_null()) {
    return values;
  }
  auto parser = field.as_array();
  for (auto item = parser.get_next(); item.first != Juncture::done; item = parser.get_next()) {
    int64_t micros = 0;
    if (item.first == Juncture::null_value) {
      values.push_back(std::nullopt);
    } else if (item.first == Juncture::string_value && absl::SimpleAtoi(item.second, &micros)) {
      values.push_back(absl::FromUnixMicros(micros));
    }
  }
  return values;
}

std::string MicrosArrayLiteral(const std::vector<std::optional<absl::Time>>& times) {
  return absl::StrCat("{",
                      absl::StrJoin(times, ",",
                                    [](std::string* out, const std::optional<absl::Time>& time) {
                                      absl::StrAppend(out,
                                                      time.has_value()
                                                          ? absl::StrCat(absl::ToUnixMicros(*time))
                                                          : std::string("NULL"));
                                    }),
                      "}");
}

std::optional<absl::Time> ReadOptionalTime(const pqxx::field& field) {
  if (field.is_null()) {
    return std::nullopt;
  }
  return absl::FromUnixMicros(field.as<int64_t>());
}

std::optional<int64_t> OptionalMicros(const std::optional<absl::Time>& time) {
  if (!time.has_value()) {
    return std::nullopt;
  }
  return absl::ToUnixMicros(*time);
}

std::optional<std::string> ReadOptionalText(const pqxx::field& field) {
  return field.is_null() ? std::nullopt : std::optional<std::string>(field.as<std::string>());
}

}  // namespace doleances::mediation
