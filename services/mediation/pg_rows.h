// Reading and writing the column shapes mediation's tables share: arrays and optional instants.
#pragma once

#include <absl/time/time.h>
#include <pqxx/pqxx>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace doleances::mediation {

// A text[] column; NULL elements are skipped.
std::vector<std::string> ReadTextArray(const pqxx::field& field);

// A bigint[] column of epoch microseconds; NULL elements stay nullopt (an unbounded side).
std::vector<std::optional<absl::Time>> ReadMicrosArray(const pqxx::field& field);

// The bigint[] literal of `times` as epoch microseconds, nullopt as NULL.
std::string MicrosArrayLiteral(const std::vector<std::optional<absl::Time>>& times);

// A nullable epoch-microseconds column.
std::optional<absl::Time> ReadOptionalTime(const pqxx::field& field);

// An instant as the bigint parameter db::TimestampFromMicros expects, nullopt as NULL.
std::optional<int64_t> OptionalMicros(const std::optional<absl::Time>& time);

// A nullable text column.
std::optional<std::string> ReadOptionalText(const pqxx::field& field);

}  // namespace doleances::mediation
