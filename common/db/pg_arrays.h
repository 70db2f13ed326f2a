#pragma once

#include <string>
#include <vector>

namespace doleances::db {

// PostgreSQL array literals for parameters bound as text ("{a,b}"), with each element quoted and
// escaped, so that values never need to be spliced into SQL.
std::string TextArrayLiteral(const std::vector<std::string>& values);
std::string IntArrayLiteral(const std::vector<int>& values);

}  // namespace doleances::db
