#pragma once

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>

#include <cstdint>
#include <memory>
#include <string>

struct pg_conn;

namespace doleances::bench {

// Rows in PostgreSQL's binary COPY format, encoded into memory. Each row gives its fields in the
// table's column order, each in its column's exact type (Int16 for smallint, Date for date, ...):
// PostgreSQL rejects the COPY otherwise.
class BinaryCopyRows {
 public:
  // Each row: BeginRow with its number of fields, then exactly that many fields.
  void BeginRow(int16_t fields);
  void Text(absl::string_view value);  // text, or bytea's raw bytes.
  void Int16(int16_t value);
  void Int32(int32_t value);
  void Int64(int64_t value);
  void Bool(bool value);
  void Date(int64_t day_number);  // Days since 1970-01-01.
  void Null();
  // Appends rows encoded elsewhere.
  void Append(const BinaryCopyRows& rows) { bytes_.append(rows.bytes_); }

  const std::string& bytes() const { return bytes_; }
  void Clear() { bytes_.clear(); }

 private:
  void Raw(const void* bytes, size_t size) { bytes_.append(static_cast<const char*>(bytes), size); }
  // One field: its length (network order), then its bytes.
  void Field(const void* value, uint32_t size);

  std::string bytes_;
};

// Bulk-loads one table with COPY ... FROM STDIN (FORMAT binary), on a libpq connection of its own
// and in one transaction: for fixtures of millions of rows, where libpqxx's stream_to spends more
// CPU escaping text field by field than PostgreSQL spends storing the rows. Binary fields skip
// the server's text parsing too, and rows go out in large chunks rather than one message each.
// Not thread-safe; one writer per thread.
class PgCopyWriter {
 public:
  // Connects to `url`, begins a transaction, runs `setup_sql` in it (may be empty) and starts
  // `copy_sql`, which must end in "FROM STDIN (FORMAT binary)". INTERNAL when PostgreSQL refuses.
  static absl::StatusOr<std::unique_ptr<PgCopyWriter>> Start(const std::string& url,
                                                             const std::string& setup_sql,
                                                             const std::string& copy_sql);
  ~PgCopyWriter();

  // Sends `rows` (whole rows) once a chunk's worth has gathered there, and then clears them.
  // Failures are kept for Finish.
  void Write(BinaryCopyRows& rows);

  // Sends what is left of `rows`, ends the COPY and commits. INTERNAL with PostgreSQL's message
  // when it rejected a row or the connection failed.
  absl::Status Finish(BinaryCopyRows& rows);

 private:
  explicit PgCopyWriter(pg_conn* connection) : connection_(connection) {}
  absl::Status Send(absl::string_view bytes);

  pg_conn* connection_;
  absl::Status status_;  // The first failure; later writes are dropped.
};

}  // namespace doleances::bench
