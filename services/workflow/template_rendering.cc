#include "services/workflow/template_rendering.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>

#include <algorithm>

namespace doleances::workflow {
namespace {

bool ValidName(absl::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

// Calls `on_text` for literal text and `on_name` for each placeholder, in order.
template <typename OnText, typename OnName>
absl::Status Scan(absl::string_view body, OnText on_text, OnName on_name) {
  size_t position = 0;
  while (position < body.size()) {
    const size_t open = body.find("{{", position);
    if (open == absl::string_view::npos) {
      on_text(body.substr(position));
      break;
    }
    on_text(body.substr(position, open - position));
    const size_t close = body.find("}}", open + 2);
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("body: \"{{\" at byte ", open, " has no closing \"}}\""));
    }
    const absl::string_view name =
        absl::StripAsciiWhitespace(body.substr(open + 2, close - open - 2));
    if (!ValidName(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("body: placeholder \"", body.substr(open, close + 2 - open),
                       "\" must be a name of lower-case letters, digits and underscores"));
    }
    on_name(std::string(name));
    position = close + 2;
  }
  return absl::OkStatus();
}

}  // namespace

const std::set<std::string>& AutomaticPlaceholders() {
  static const auto* names =
      new std::set<std::string>{"tracking_code",          "receive_date",
                                "administration_name",    "department_name",
                                "agent_service",          "statutory_reply_due_date",
                                "appeal_window_due_date", "contested_decision_reference"};
  return *names;
}

absl::StatusOr<std::vector<std::string>> PlaceholderNames(absl::string_view body) {
  std::vector<std::string> names;
  absl::Status scanned = Scan(
      body, [](absl::string_view) {},
      [&](std::string name) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
          names.push_back(std::move(name));
        }
      });
  if (!scanned.ok()) {
    return scanned;
  }
  return names;
}

absl::StatusOr<std::string> RenderTemplate(absl::string_view body,
                                           const std::map<std::string, std::string>& values) {
  std::string rendered;
  std::vector<std::string> missing;
  absl::Status scanned = Scan(
      body, [&](absl::string_view text) { absl::StrAppend(&rendered, text); },
      [&](const std::string& name) {
        auto value = values.find(name);
        if (value == values.end()) {
          if (std::find(missing.begin(), missing.end(), name) == missing.end()) {
            missing.push_back(name);
          }
          return;
        }
        absl::StrAppend(&rendered, value->second);
      });
  if (!scanned.ok()) {
    return scanned;
  }
  if (!missing.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no value for placeholder(s) ", absl::StrJoin(missing, ", "),
                     ": give them in template_content.placeholder_values"));
  }
  return rendered;
}

}  // namespace doleances::workflow
