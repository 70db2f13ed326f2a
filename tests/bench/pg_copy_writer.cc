#include "tests/bench/pg_copy_writer.h"

#include "common/status/status_macros.h"

#include <absl/strings/str_cat.h>
#include <endian.h>
#include <libpq-fe.h>

#include <cstring>

namespace doleances::bench {
namespace {

// One PQputCopyData per megabyte or more: few enough calls to cost nothing, small enough that
// the server parses one chunk while the next is built.
constexpr size_t kChunkBytes = 1 << 20;

// PostgreSQL's binary dates count days from 2000-01-01.
constexpr int64_t kPostgresEpochDay = 10957;

// Binary COPY header: signature, flags, header extension length.
constexpr char kHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
constexpr size_t kHeaderBytes = 19;

absl::Status Failed(pg_conn* connection, absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", PQerrorMessage(connection)));
}

// Runs `sql` and checks that it ended in `expected`.
absl::Status Exec(pg_conn* connection, const std::string& sql, ExecStatusType expected) {
  PGresult* result = PQexec(connection, sql.c_str());
  const bool ok = PQresultStatus(result) == expected;
  absl::Status status =
      ok ? absl::OkStatus()
         : absl::InternalError(absl::StrCat(sql.substr(0, 80), ": ", PQresultErrorMessage(result)));
  PQclear(result);
  return status;
}

}  // namespace

void BinaryCopyRows::BeginRow(int16_t fields) {
  const uint16_t big_endian = htobe16(static_cast<uint16_t>(fields));
  Raw(&big_endian, sizeof big_endian);
}

void BinaryCopyRows::Field(const void* value, uint32_t size) {
  const uint32_t big_endian_size = htobe32(size);
  Raw(&big_endian_size, sizeof big_endian_size);
  Raw(value, size);
}

void BinaryCopyRows::Text(absl::string_view value) {
  Field(value.data(), static_cast<uint32_t>(value.size()));
}

void BinaryCopyRows::Int16(int16_t value) {
  const uint16_t big_endian = htobe16(static_cast<uint16_t>(value));
  Field(&big_endian, sizeof big_endian);
}

void BinaryCopyRows::Int32(int32_t value) {
  const uint32_t big_endian = htobe32(static_cast<uint32_t>(value));
  Field(&big_endian, sizeof big_endian);
}

void BinaryCopyRows::Int64(int64_t value) {
  const uint64_t big_endian = htobe64(static_cast<uint64_t>(value));
  Field(&big_endian, sizeof big_endian);
}

void BinaryCopyRows::Bool(bool value) {
  const char byte = value ? 1 : 0;
  Field(&byte, 1);
}

void BinaryCopyRows::Date(int64_t day_number) {
  Int32(static_cast<int32_t>(day_number - kPostgresEpochDay));
}

void BinaryCopyRows::Null() {
  const uint32_t null = htobe32(static_cast<uint32_t>(-1));
  Raw(&null, sizeof null);
}

absl::StatusOr<std::unique_ptr<PgCopyWriter>> PgCopyWriter::Start(const std::string& url,
                                                                  const std::string& setup_sql,
                                                                  const std::string& copy_sql) {
  pg_conn* connection = PQconnectdb(url.c_str());
  std::unique_ptr<PgCopyWriter> writer(new PgCopyWriter(connection));
  if (PQstatus(connection) != CONNECTION_OK) {
    return Failed(connection, "cannot connect");
  }
  RETURN_IF_ERROR(Exec(connection, "BEGIN", PGRES_COMMAND_OK));
  if (!setup_sql.empty()) {
    RETURN_IF_ERROR(Exec(connection, setup_sql, PGRES_COMMAND_OK));
  }
  RETURN_IF_ERROR(Exec(connection, copy_sql, PGRES_COPY_IN));
  RETURN_IF_ERROR(writer->Send(absl::string_view(kHeader, kHeaderBytes)));
  return writer;
}

PgCopyWriter::~PgCopyWriter() { PQfinish(connection_); }

void PgCopyWriter::Write(BinaryCopyRows& rows) {
  if (rows.bytes().size() < kChunkBytes) {
    return;
  }
  if (status_.ok()) {
    status_ = Send(rows.bytes());
  }
  rows.Clear();
}

absl::Status PgCopyWriter::Send(absl::string_view bytes) {
  return PQputCopyData(connection_, bytes.data(), static_cast<int>(bytes.size())) == 1
             ? absl::OkStatus()
             : Failed(connection_, "COPY data");
}

absl::Status PgCopyWriter::Finish(BinaryCopyRows& rows) {
  RETURN_IF_ERROR(status_);
  const uint16_t trailer = htobe16(static_cast<uint16_t>(-1));
  RETURN_IF_ERROR(Send(rows.bytes()));
  rows.Clear();
  RETURN_IF_ERROR(Send(absl::string_view(reinterpret_cast<const char*>(&trailer), 2)));
  if (PQputCopyEnd(connection_, nullptr) != 1) {
    return Failed(connection_, "COPY end");
  }
  absl::Status copied = absl::OkStatus();
  while (PGresult* result = PQgetResult(connection_)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK && copied.ok()) {
      copied = absl::InternalError(absl::StrCat("COPY: ", PQresultErrorMessage(result)));
    }
    PQclear(result);
  }
  RETURN_IF_ERROR(copied);
  return Exec(connection_, "COMMIT", PGRES_COMMAND_OK);
}

}  // namespace doleances::bench
