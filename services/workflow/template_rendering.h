// Standard responses: the {{name}} placeholders of a template body and their rendering. Pure.
#pragma once

#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace doleances::workflow {

// The placeholders workflow fills from the case itself (response_template.proto).
const std::set<std::string>& AutomaticPlaceholders();

// The distinct placeholder names of `body`, in order of first appearance. INVALID_ARGUMENT for a
// malformed one ("{{" without "}}", or a name that is not [a-z0-9_]+).
absl::StatusOr<std::vector<std::string>> PlaceholderNames(absl::string_view body);

// `body` with every {{name}} replaced by values[name]; values are inserted verbatim (never
// re-scanned for placeholders). FAILED_PRECONDITION naming every placeholder without a value.
absl::StatusOr<std::string> RenderTemplate(absl::string_view body,
                                           const std::map<std::string, std::string>& values);

}  // namespace doleances::workflow
