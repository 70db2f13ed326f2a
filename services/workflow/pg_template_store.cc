#include "services/workflow/pg_template_store.h"

#include "common/util/proto_time.h"
#include "common/util/uuid.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

namespace doleances::workflow {
namespace {

std::optional<v1::ResponseTemplate> Parse(const pqxx::result& rows) {
  if (rows.empty()) {
    return std::nullopt;
  }
  v1::ResponseTemplate stored;
  stored.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  return stored;
}

absl::Status CheckNameFree(pqxx::transaction_base& tx, const v1::ResponseTemplate& candidate) {
  const pqxx::result clash = tx.exec_params(
      "SELECT template_id::text FROM workflow.response_templates WHERE administration_id = $1"
      " AND name = $2 AND current AND state = 1 AND template_id::text <> $3",
      candidate.administration_id(), candidate.name(), candidate.template_id());
  if (!clash.empty()) {
    return absl::AlreadyExistsError(absl::StrCat("active template ", clash[0][0].as<std::string>(),
                                                 " already has the name \"", candidate.name(),
                                                 "\""));
  }
  return absl::OkStatus();
}

void Insert(pqxx::transaction_base& tx, const v1::ResponseTemplate& version) {
  const std::string bytes = version.SerializeAsString();
  tx.exec_params(
      "INSERT INTO workflow.response_templates (template_id, version, administration_id, name,"
      " state, current, template) VALUES ($1, $2, $3, $4, $5, true, $6)",
      version.template_id(), version.version(), version.administration_id(), version.name(),
      static_cast<int>(version.state()), pqxx::binarystring(bytes.data(), bytes.size()));
}

}  // namespace

absl::StatusOr<v1::ResponseTemplate> PgTemplateStore::Create(pqxx::transaction_base& tx,
                                                             v1::ResponseTemplate template_,
                                                             absl::Time now) {
  template_.set_template_id(util::NewUuid());
  template_.set_version(1);
  template_.set_state(v1::RESPONSE_TEMPLATE_STATE_ACTIVE);
  *template_.mutable_create_time() = util::ToTimestamp(now);
  *template_.mutable_update_time() = util::ToTimestamp(now);
  if (absl::Status free = CheckNameFree(tx, template_); !free.ok()) {
    return free;
  }
  Insert(tx, template_);
  return template_;
}

std::optional<v1::ResponseTemplate> PgTemplateStore::Get(pqxx::transaction_base& tx,
                                                         const std::string& template_id,
                                                         int64_t version) {
  return Parse(version == 0 ? tx.exec_params("SELECT template FROM workflow.response_templates"
                                             " WHERE template_id = $1 AND current",
                                             template_id)
                            : tx.exec_params("SELECT template FROM workflow.response_templates"
                                             " WHERE template_id = $1 AND version = $2",
                                             template_id, version));
}

absl::StatusOr<v1::ResponseTemplate> PgTemplateStore::AddVersion(pqxx::transaction_base& tx,
                                                                 v1::ResponseTemplate next,
                                                                 int64_t expected_version,
                                                                 absl::Time now) {
  std::optional<v1::ResponseTemplate> current =
      Parse(tx.exec_params("SELECT template FROM workflow.response_templates WHERE template_id ="
                           " $1 AND current FOR UPDATE",
                           next.template_id()));
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat("template ", next.template_id(), " not found"));
  }
  if (current->version() != expected_version) {
    return absl::AbortedError(absl::StrCat("template ", next.template_id(), " is at version ",
                                           current->version(), ", not ", expected_version,
                                           ": read it again"));
  }
  if (current->state() == v1::RESPONSE_TEMPLATE_STATE_ARCHIVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("template ", next.template_id(), " is archived"));
  }
  next.set_administration_id(current->administration_id());
  next.set_version(current->version() + 1);
  next.set_state(v1::RESPONSE_TEMPLATE_STATE_ACTIVE);
  *next.mutable_create_time() = current->create_time();
  *next.mutable_update_time() = util::ToTimestamp(now);
  if (absl::Status free = CheckNameFree(tx, next); !free.ok()) {
    return free;
  }
  tx.exec_params("UPDATE workflow.response_templates SET current = false WHERE template_id = $1",
                 next.template_id());
  Insert(tx, next);
  return next;
}

absl::StatusOr<v1::ResponseTemplate> PgTemplateStore::Archive(pqxx::transaction_base& tx,
                                                              const std::string& template_id,
                                                              absl::Time now) {
  std::optional<v1::ResponseTemplate> current =
      Parse(tx.exec_params("SELECT template FROM workflow.response_templates WHERE template_id ="
                           " $1 AND current FOR UPDATE",
                           template_id));
  if (!current.has_value()) {
    return absl::NotFoundError(absl::StrCat("template ", template_id, " not found"));
  }
  current->set_state(v1::RESPONSE_TEMPLATE_STATE_ARCHIVED);
  *current->mutable_update_time() = util::ToTimestamp(now);
  const std::string bytes = current->SerializeAsString();
  tx.exec_params(
      "UPDATE workflow.response_templates SET state = $3, template = $4 WHERE template_id = $1"
      " AND version = $2",
      template_id, current->version(), static_cast<int>(current->state()),
      pqxx::binarystring(bytes.data(), bytes.size()));
  return *current;
}

std::vector<v1::ResponseTemplate> PgTemplateStore::ListCurrent(pqxx::transaction_base& tx,
                                                               const std::string& administration_id,
                                                               bool include_archived) {
  std::vector<v1::ResponseTemplate> templates;
  for (const pqxx::row& row :
       tx.exec_params("SELECT template FROM workflow.response_templates WHERE administration_id ="
                      " $1 AND current AND ($2 OR state = 1) ORDER BY name, template_id",
                      administration_id, include_archived)) {
    templates.emplace_back().ParseFromString(pqxx::binarystring(row[0]).str());
  }
  return templates;
}

}  // namespace doleances::workflow
