#include "services/workflow/workflow_rpc_support.h"

#include <absl/strings/ascii.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <google/protobuf/util/field_mask_util.h>

#include <algorithm>

namespace doleances::workflow {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

}  // namespace

absl::Status CheckAdministration(const auth::Principal& caller,
                                 const std::string& administration_id) {
  if (!caller.MayAccessAdministration(administration_id)) {
    return absl::PermissionDeniedError(
        absl::StrCat("you may not manage administration ", administration_id));
  }
  return absl::OkStatus();
}

type::v1::ActorKind StaffKind(const auth::Principal& principal) {
  return principal.HasRole(auth::Role::kSupervisor) ? type::v1::ACTOR_KIND_SUPERVISOR
                                                    : type::v1::ACTOR_KIND_AGENT;
}

void CheckMotive(const std::string& motive, std::vector<common::FieldViolation>& violations) {
  const size_t length = CountCharacters(motive);
  if (length == 0 || length > 2000) {
    violations.push_back({"motive", "must be 1-2,000 characters"});
  }
}

size_t CountCharacters(absl::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (c & 0xC0) != 0x80;  // Not a continuation byte.
  }));
}

bool IsUuid(absl::string_view value) {
  if (value.size() != 36) {
    return false;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? value[i] != '-' : !absl::ascii_isxdigit(value[i])) {
      return false;
    }
  }
  return true;
}

void CheckUuid(absl::string_view field, const std::string& value, bool required,
               std::vector<common::FieldViolation>& violations) {
  if (value.empty() && required) {
    violations.push_back({std::string(field), "is required"});
  } else if (!value.empty() && !IsUuid(value)) {
    violations.push_back({std::string(field), "must be a UUID"});
  }
}

ListWindow PageWindow(int page_size, const std::string& page_token,
                      std::vector<common::FieldViolation>& violations) {
  ListWindow window;
  if (page_size < 0 || page_size > kMaxPageSize) {
    violations.push_back({"page_size", "must be 0 (default 50) to 500"});
  }
  window.limit = (page_size <= 0 || page_size > kMaxPageSize ? kDefaultPageSize : page_size) + 1;
  if (!page_token.empty() && (!absl::SimpleAtoi(page_token, &window.offset) || window.offset < 0)) {
    violations.push_back({"page_token", "is not a token this RPC issued"});
    window.offset = 0;
  }
  return window;
}

absl::Status ApplyUpdateMask(const google::protobuf::Message& requested,
                             const google::protobuf::FieldMask& mask,
                             const std::vector<std::string>& mutable_paths,
                             google::protobuf::Message& current) {
  google::protobuf::FieldMask effective;
  if (mask.paths().empty()) {
    for (const std::string& path : mutable_paths) {
      // organisation.proto: "active" changes only when the mask names it.
      if (path != "active") {
        effective.add_paths(path);
      }
    }
  } else {
    for (const std::string& path : mask.paths()) {
      if (std::find(mutable_paths.begin(), mutable_paths.end(), path) == mutable_paths.end()) {
        return common::InvalidArguments(
            {{"update_mask", absl::StrCat("'", path, "' is not a mutable field (mutable: ",
                                          absl::StrJoin(mutable_paths, ", "), ")")}});
      }
    }
    effective = mask;
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(requested, effective, options, &current);
  return absl::OkStatus();
}

}  // namespace doleances::workflow
