#include "services/intake/pg_complaint_rows.h"

#include <pqxx/pqxx>

namespace doleances::intake::pg {

const char kComplaintColumns[] =
    "complaint_id::text, tracking_code, submitter_id, administration_id, kind, channel, priority,"
    " category_hint, commune_code, department_code, external_reference, status, late_appeal,"
    " (extract(epoch FROM receive_time) * 1000000)::bigint,"
    " (extract(epoch FROM acknowledgement_due_time) * 1000000)::bigint,"
    " (extract(epoch FROM create_time) * 1000000)::bigint,"
    " (extract(epoch FROM update_time) * 1000000)::bigint, version, request_hash, body";

ComplaintRecord RowToRecord(const pqxx::row& row) {
  ComplaintRecord record;
  record.complaint_id = row[0].as<std::string>();
  record.tracking_code = row[1].as<std::string>();
  record.submitter_id = row[2].as<std::string>();
  record.administration_id = row[3].as<std::string>();
  record.kind = row[4].as<int>();
  record.channel = row[5].as<int>();
  record.priority = row[6].as<int>();
  record.category_hint = row[7].as<std::string>();
  record.commune_code = row[8].as<std::string>();
  record.department_code = row[9].as<std::string>();
  if (!row[10].is_null()) {
    record.external_reference = row[10].as<std::string>();
  }
  record.status = row[11].as<int>();
  record.late_appeal = row[12].as<bool>();
  record.receive_time = absl::FromUnixMicros(row[13].as<int64_t>());
  record.acknowledgement_due_time = absl::FromUnixMicros(row[14].as<int64_t>());
  record.create_time = absl::FromUnixMicros(row[15].as<int64_t>());
  record.update_time = absl::FromUnixMicros(row[16].as<int64_t>());
  record.version = row[17].as<int64_t>();
  record.request_hash = pqxx::binarystring(row[18]).str();
  record.body = pqxx::binarystring(row[19]).str();
  return record;
}

}  // namespace doleances::intake::pg
