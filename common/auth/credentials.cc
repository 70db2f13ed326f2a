#include "common/auth/credentials.h"

#include <absl/strings/ascii.h>
#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>

namespace doleances::auth {
namespace {

bool IsKeyCharacter(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }

bool AllKeyCharacters(absl::string_view text) {
  for (char c : text) {
    if (!IsKeyCharacter(c)) {
      return false;
    }
  }
  return !text.empty();
}

}  // namespace

std::optional<ApiKey> ParseBearerApiKey(absl::string_view header_value) {
  constexpr absl::string_view kPrefix = "Bearer dk_";
  if (!absl::StartsWith(header_value, kPrefix)) {
    return std::nullopt;
  }
  absl::string_view rest = header_value.substr(kPrefix.size());
  const size_t separator = rest.find('_');
  if (separator == absl::string_view::npos || rest.size() > 200) {
    return std::nullopt;
  }
  absl::string_view key_id = rest.substr(0, separator);
  absl::string_view secret = rest.substr(separator + 1);
  if (!AllKeyCharacters(key_id) || !AllKeyCharacters(secret)) {
    return std::nullopt;
  }
  return ApiKey{std::string(key_id), std::string(secret)};
}

std::string FormatApiKey(const ApiKey& key) {
  return absl::StrCat("dk_", key.key_id, "_", key.secret);
}

}  // namespace doleances::auth
