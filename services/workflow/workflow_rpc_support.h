// What several WorkflowService handler files need: administration scoping, UUID checks, list
// pages and update masks.
#pragma once

#include "common/auth/principal.h"
#include "common/status/grpc_status.h"
#include "doleances/type/v1/actor.pb.h"
#include "services/workflow/pg_organisation_store.h"

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/string_view.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include <optional>
#include <string>
#include <vector>

namespace doleances::workflow {

// PERMISSION_DENIED unless `caller` works for `administration_id`.
absl::Status CheckAdministration(const auth::Principal& caller,
                                 const std::string& administration_id);

// How a staff caller appears in history and events: SUPERVISOR if they have that role, else AGENT.
type::v1::ActorKind StaffKind(const auth::Principal& principal);

// Appends a violation unless `motive` is 1 to 2,000 characters (escalations, transfers).
void CheckMotive(const std::string& motive, std::vector<common::FieldViolation>& violations);

// The number of characters (code points) of UTF-8 `text`, for limits given in characters.
size_t CountCharacters(absl::string_view text);

// Whether `value` is a UUID in canonical (8-4-4-4-12 hexadecimal) form.
bool IsUuid(absl::string_view value);

// Appends a violation for `field` unless `value` is a UUID (or empty and not `required`).
void CheckUuid(absl::string_view field, const std::string& value, bool required,
               std::vector<common::FieldViolation>& violations);

// The window a page_size/page_token pair asks for: page_size 0 means 50, at most 500; tokens are
// offsets this service issued. Appends a violation for an invalid one. The window's limit is one
// more than the page, so that TrimPage can tell whether another page follows.
ListWindow PageWindow(int page_size, const std::string& page_token,
                      std::vector<common::FieldViolation>& violations);

// Drops the look-ahead row of `rows` (fetched with PageWindow's window) and returns the next page
// token, empty when this was the last page.
template <typename T>
std::string TrimPage(std::vector<T>& rows, ListWindow window) {
  if (static_cast<int>(rows.size()) < window.limit) {
    return "";
  }
  rows.pop_back();
  return std::to_string(window.offset + window.limit - 1);
}

// The stored record of a read-modify-write: NOT_FOUND when there is none or `caller` does not
// work for its administration (ids of other administrations' records are not revealed); ABORTED
// when `expected_version` is set (non-zero) and not its current version.
template <typename Record>
absl::Status CheckStoredVersion(const std::optional<Record>& stored, const auth::Principal& caller,
                                absl::string_view what, const std::string& id,
                                int64_t expected_version) {
  if (!stored.has_value() || !caller.MayAccessAdministration(stored->administration_id())) {
    return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
  }
  if (expected_version != 0 && expected_version != stored->version()) {
    return absl::AbortedError(absl::StrCat(what, " ", id, " is at version ", stored->version(),
                                           ", not ", expected_version, ": read it again"));
  }
  return absl::OkStatus();
}

// Copies into `current` the fields of `requested` that `mask` names, or every field of
// `mutable_paths` but "active" (which organisation.proto changes only when named) when the mask is
// empty; repeated fields are replaced, not appended.
// INVALID_ARGUMENT naming (as "<prefix>update_mask") a path that is not in `mutable_paths`.
absl::Status ApplyUpdateMask(const google::protobuf::Message& requested,
                             const google::protobuf::FieldMask& mask,
                             const std::vector<std::string>& mutable_paths,
                             google::protobuf::Message& current);

}  // namespace doleances::workflow
