#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace doleances::db {

// PostgreSQL array literals for parameters bound as text ("{a,b}"), with each element quoted and
// escaped, so that values never need to be spliced into SQL.
std::string TextArrayLiteral(const std::vector<std::string>& values);
std::string IntArrayLiteral(const std::vector<int>& values);
std::string Int64ArrayLiteral(const std::vector<int64_t>& values);
// A bytea[] literal: each value hex-encoded (`{"\\x0a1b"}`), so binary data needs no escaping.
std::string ByteaArrayLiteral(const std::vector<std::string>& values);

}  // namespace doleances::db
