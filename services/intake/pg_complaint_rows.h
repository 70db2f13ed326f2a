#pragma once

#include "services/intake/complaint_record.h"

#include <absl/time/time.h>
#include <pqxx/binarystring>
#include <pqxx/row>

#include <cstdint>
#include <string>

// Internal to intake's PostgreSQL stores: how a complaint row is selected and read back.
namespace doleances::intake::pg {

// The select list RowToRecord reads, in its order.
extern const char kComplaintColumns[];

ComplaintRecord RowToRecord(const pqxx::row& row);

inline pqxx::binarystring Bytes(const std::string& bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

// Instants cross the boundary as whole microseconds since the epoch, which timestamptz holds
// exactly (a double of seconds would not, and keyset pagination compares them for equality).
inline int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

}  // namespace doleances::intake::pg
