#pragma once

#include <absl/strings/string_view.h>

#include <optional>
#include <string>

namespace doleances::auth {

// Metadata keys a caller may send.
inline constexpr char kAuthorizationHeader[] = "authorization";
inline constexpr char kDevPrincipalHeader[] = "x-doleances-dev-principal";

// An API key as presented in "authorization: Bearer dk_<key_id>_<secret>". The key id is not a
// secret (it names the key in logs); the secret is only ever compared through its SHA-256.
struct ApiKey {
  std::string key_id;
  std::string secret;
};

// Parses the authorization header value; nullopt when it is not a well-formed Doléances key.
std::optional<ApiKey> ParseBearerApiKey(absl::string_view header_value);

// Formats a key for the caller to keep: "dk_<key_id>_<secret>".
std::string FormatApiKey(const ApiKey& key);

}  // namespace doleances::auth
