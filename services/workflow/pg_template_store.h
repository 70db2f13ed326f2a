#pragma once

#include "doleances/workflow/v1/response_template.pb.h"

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/transaction>

#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// PostgreSQL storage of response templates, one row per version (schema `workflow`). Every
// function works within the caller's transaction.
class PgTemplateStore {
 public:
  // Stores `template_` as version 1 of a new template (id, version, state and times set here).
  // ALREADY_EXISTS if an active template of the administration has its name.
  static absl::StatusOr<v1::ResponseTemplate> Create(pqxx::transaction_base& tx,
                                                     v1::ResponseTemplate template_,
                                                     absl::Time now);

  // The template at `version` (0: the current one), if it exists.
  static std::optional<v1::ResponseTemplate> Get(pqxx::transaction_base& tx,
                                                 const std::string& template_id,
                                                 int64_t version = 0);

  // Stores `next` as the version after `expected_version`, which must be the current one
  // (ABORTED otherwise); ALREADY_EXISTS on a name clash; FAILED_PRECONDITION if archived.
  static absl::StatusOr<v1::ResponseTemplate> AddVersion(pqxx::transaction_base& tx,
                                                         v1::ResponseTemplate next,
                                                         int64_t expected_version, absl::Time now);

  // Archives the current version; NOT_FOUND if there is no such template.
  static absl::StatusOr<v1::ResponseTemplate> Archive(pqxx::transaction_base& tx,
                                                      const std::string& template_id,
                                                      absl::Time now);

  // Current versions of the administration's templates, by name.
  static std::vector<v1::ResponseTemplate> ListCurrent(pqxx::transaction_base& tx,
                                                       const std::string& administration_id,
                                                       bool include_archived);
};

}  // namespace doleances::workflow
