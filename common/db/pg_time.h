#pragma once

#include <absl/strings/string_view.h>

#include <string>

namespace doleances::db {

// Instants cross the SQL boundary as whole microseconds since the Unix epoch, which timestamptz
// holds exactly (a double of seconds would not, and keyset pagination compares them for
// equality). The SQL expression turning the bigint parameter `parameter` ("$3") into a
// timestamptz.
std::string TimestampFromMicros(absl::string_view parameter);

}  // namespace doleances::db
