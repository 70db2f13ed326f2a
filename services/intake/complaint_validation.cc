#include "services/intake/complaint_validation.h"

#include "common/calendar/date_arithmetic.h"
#include "common/status/grpc_status.h"
#include "services/intake/tracking_code.h"

#include "doleances/intake/v1/intake_service.pb.h"
#include "doleances/type/v1/complaint.pb.h"
#include "doleances/type/v1/time.pb.h"

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/ascii.h>
#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>
#include <absl/strings/string_view.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <google/protobuf/repeated_field.h>
#include <google/protobuf/timestamp.pb.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace doleances::intake {
namespace {

using ::doleances::common::FieldViolation;

// Limits, all from the field comments of the contract.
constexpr size_t kMaxSubjectChars = 200;
constexpr size_t kMaxLongTextBytes = 65536;  // description, citizen message text
constexpr size_t kMaxCodeChars = 64;         // conventions.proto: codes
constexpr size_t kMaxDecisionReferenceChars = 128;
constexpr size_t kMaxAuthorityChars = 200;
constexpr size_t kMaxPersonNameChars = 100;
constexpr size_t kMaxOrganisationNameChars = 200;
constexpr size_t kMaxEmailChars = 254;
constexpr int kMaxAddressLines = 4;
constexpr size_t kMaxAddressLineChars = 100;
constexpr size_t kMaxLocalityChars = 100;
constexpr int kMaxAttachments = 50;
constexpr size_t kMaxAttachmentNameChars = 255;
constexpr int64_t kMaxAttachmentBytes = (int64_t{1} << 31) - 1;
constexpr size_t kMaxStorageUriChars = 2048;
constexpr size_t kMaxKeyChars = 128;  // idempotency keys, external references
constexpr size_t kMaxFreeTextChars = 2000;
constexpr int kMaxBatchItems = 500;
constexpr int kMaxBatchGetIds = 100;
constexpr size_t kMaxBatchBytes = size_t{16} << 20;
constexpr int kMinSatisfaction = 1;
constexpr int kMaxSatisfaction = 5;

// A hostile request can hold millions of bad list items; the answer stays bounded.
constexpr size_t kMaxReportedViolations = 100;

// google.protobuf.Timestamp's documented range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

// Collects violations in request order; converts to OK or one INVALID_ARGUMENT.
class Violations {
 public:
  void Add(std::string field, std::string description) {
    if (violations_.size() < kMaxReportedViolations) {
      violations_.push_back({std::move(field), std::move(description)});
    }
  }

  absl::Status ToStatus() const {
    return violations_.empty() ? absl::OkStatus() : common::InvalidArguments(violations_);
  }

 private:
  std::vector<FieldViolation> violations_;
};

enum class Presence { kRequired, kOptional };

std::string Path(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

std::string Indexed(absl::string_view path, int index) {
  return absl::StrCat(path, "[", index, "]");
}

// Number of code points of `text`, or nullopt when it is not valid UTF-8 (overlong forms,
// surrogates and values above U+10FFFF included) or holds U+0000, which PostgreSQL text cannot
// store: refusing it here keeps a hostile string from failing the insert later.
std::optional<size_t> CountCodePoints(absl::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t count = 0;
  size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    size_t length;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead == 0x00) {
      return std::nullopt;
    } else if (lead < 0x80) {
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      second_min = lead == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
      second_max = lead == 0xED ? 0x9F : 0xBF;  // no UTF-16 surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      second_min = lead == 0xF0 ? 0x90 : 0x80;  // no overlong forms
      second_max = lead == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    } else {
      return std::nullopt;
    }
    if (size - i < length) {
      return std::nullopt;
    }
    for (size_t k = 1; k < length; ++k) {
      const unsigned char continuation = bytes[i + k];
      const unsigned char min = k == 1 ? second_min : 0x80;
      const unsigned char max = k == 1 ? second_max : 0xBF;
      if (continuation < min || continuation > max) {
        return std::nullopt;
      }
    }
    i += length;
    ++count;
  }
  return count;
}

constexpr char kInvalidUtf8[] = "must be valid UTF-8 without NUL characters";

// A string limited in characters (code points). Empty is "unset".
void CheckText(Violations& violations, const std::string& field, absl::string_view value,
               Presence presence, size_t max_chars) {
  if (value.empty()) {
    if (presence == Presence::kRequired) {
      violations.Add(field, "is required");
    }
    return;
  }
  const std::optional<size_t> chars = CountCodePoints(value);
  if (!chars.has_value()) {
    violations.Add(field, kInvalidUtf8);
  } else if (*chars > max_chars) {
    violations.Add(field, absl::StrCat("must be 1-", max_chars, " characters"));
  }
}

// A required string limited in bytes.
void CheckLongText(Violations& violations, const std::string& field, absl::string_view value,
                   size_t max_bytes) {
  if (value.empty()) {
    violations.Add(field, "is required");
  } else if (value.size() > max_bytes) {
    violations.Add(field, absl::StrCat("must be 1-", max_bytes, " bytes"));
  } else if (!CountCodePoints(value).has_value()) {
    violations.Add(field, kInvalidUtf8);
  }
}

bool IsPrintableAscii(absl::string_view value) {
  for (char c : value) {
    if (c < 0x20 || c > 0x7E) {
      return false;
    }
  }
  return true;
}

// Idempotency keys and external references: 1-128 printable ASCII characters (space included).
void CheckKey(Violations& violations, const std::string& field, absl::string_view value,
              Presence presence) {
  if (value.empty()) {
    if (presence == Presence::kRequired) {
      violations.Add(field, "is required");
    }
  } else if (value.size() > kMaxKeyChars || !IsPrintableAscii(value)) {
    violations.Add(field, absl::StrCat("must be 1-", kMaxKeyChars, " printable ASCII characters"));
  }
}

bool IsLowerHex(char c) { return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'); }

// conventions.proto: resource ids are lowercase canonical UUIDs.
bool IsCanonicalUuid(absl::string_view value) {
  if (value.size() != 36) {
    return false;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? value[i] != '-' : !IsLowerHex(value[i])) {
      return false;
    }
  }
  return true;
}

void CheckUuid(Violations& violations, const std::string& field, absl::string_view value,
               Presence presence) {
  if (value.empty()) {
    if (presence == Presence::kRequired) {
      violations.Add(field, "is required");
    }
  } else if (!IsCanonicalUuid(value)) {
    violations.Add(field, "must be a lowercase canonical UUID");
  }
}

// conventions.proto: codes are 1-64 characters of [a-z0-9_.-].
bool IsCode(absl::string_view value) {
  if (value.empty() || value.size() > kMaxCodeChars) {
    return false;
  }
  for (char c : value) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_' && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

// proto3 keeps an unknown enum number as is; the generated *_IsValid tells it apart.
void CheckEnum(Violations& violations, const std::string& field, int value, bool (*is_valid)(int),
               Presence presence) {
  if (value == 0) {
    if (presence == Presence::kRequired) {
      violations.Add(field, "is required");
    }
  } else if (!is_valid(value)) {
    violations.Add(field, "is not a known value");
  }
}

// An item of a repeated enum filter. An empty list already means "any": UNSPECIFIED in a list
// would be a second, contradictory way to say it.
void CheckEnumFilter(Violations& violations, const std::string& field, int value,
                     bool (*is_valid)(int)) {
  if (value == 0) {
    violations.Add(field, "must not be UNSPECIFIED (leave the list empty for any)");
  } else if (!is_valid(value)) {
    violations.Add(field, "is not a known value");
  }
}

std::optional<absl::Time> ToTime(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() < kMinTimestampSeconds || timestamp.seconds() > kMaxTimestampSeconds ||
      timestamp.nanos() < 0 || timestamp.nanos() > 999'999'999) {
    return std::nullopt;
  }
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

// A full date (year 1-9999) that exists in the calendar: absl normalises 31 April to 1 May, so
// a date is real exactly when normalising leaves it unchanged.
std::optional<absl::CivilDay> ToCivilDay(const type::v1::Date& date) {
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 || date.month() > 12 ||
      date.day() < 1 || date.day() > 31) {
    return std::nullopt;
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.month() != date.month() || day.day() != date.day()) {
    return std::nullopt;
  }
  return day;
}

// The latest date it is anywhere on Earth (UTC+14). A civil date is "in the future" only past
// it: validation does not know the administration's zone, and an overseas administration (UTC+4
// in La Réunion, UTC+12 in Wallis) may legitimately be a day ahead of Paris.
absl::CivilDay LatestCivilDay(absl::Time now) {
  return absl::ToCivilDay(now, absl::FixedTimeZone(14 * 60 * 60));
}

// The same UTC date and time one calendar year earlier (29 February -> 28 February).
absl::Time OneYearBefore(absl::Time now) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilSecond second = absl::ToCivilSecond(now, utc);
  const absl::Duration fraction = now - absl::FromCivil(second, utc);
  const absl::CivilDay day = calendar::AddMonthsClamped(absl::CivilDay(second), -12);
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), second.hour(),
                                           second.minute(), second.second()),
                         utc) +
         fraction;
}

// INSEE commune code: a département prefix (01-19, 21-95, 2A, 2B; 97 or 98 overseas, where the
// third digit completes the code) then three digits. 20 is gone since Corsica's split in 1976.
bool IsCommuneCode(absl::string_view code) {
  if (code.size() != 5 || !absl::ascii_isdigit(code[2]) || !absl::ascii_isdigit(code[3]) ||
      !absl::ascii_isdigit(code[4])) {
    return false;
  }
  if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B')) {
    return true;
  }
  if (!absl::ascii_isdigit(code[0]) || !absl::ascii_isdigit(code[1])) {
    return false;
  }
  const int prefix = (code[0] - '0') * 10 + (code[1] - '0');
  return (prefix >= 1 && prefix <= 95 && prefix != 20) || prefix == 97 || prefix == 98;
}

// Département code, as complaint.proto lists them: 01-95 (without 20), 2A, 2B, 971-976.
bool IsDepartmentCode(absl::string_view code) {
  if (code == "2A" || code == "2B") {
    return true;
  }
  for (char c : code) {
    if (!absl::ascii_isdigit(c)) {
      return false;
    }
  }
  if (code.size() == 2) {
    const int number = (code[0] - '0') * 10 + (code[1] - '0');
    return number >= 1 && number <= 95 && number != 20;
  }
  return code.size() == 3 && code[0] == '9' && code[1] == '7' && code[2] >= '1' && code[2] <= '6';
}

bool IsTwoDigits(absl::string_view code) {
  return code.size() == 2 && absl::ascii_isdigit(code[0]) && absl::ascii_isdigit(code[1]);
}

void CheckTerritory(Violations& violations, const std::string& prefix,
                    const type::v1::Territory& territory) {
  const std::string& commune = territory.commune_code();
  const std::string& department = territory.department_code();
  const bool commune_ok = commune.empty() || IsCommuneCode(commune);
  if (!commune_ok) {
    violations.Add(Path(prefix, "commune_code"),
                   "must be an INSEE commune code: 2 digits, 2A or 2B, then 3 digits");
  }
  if (!department.empty()) {
    if (!IsDepartmentCode(department)) {
      violations.Add(Path(prefix, "department_code"), "must be 01-95, 2A, 2B or 971-976");
    } else if (!commune.empty() && commune_ok && !absl::StartsWith(commune, department)) {
      violations.Add(Path(prefix, "department_code"), "must be the prefix of commune_code");
    }
  }
  if (!territory.region_code().empty() && !IsTwoDigits(territory.region_code())) {
    violations.Add(Path(prefix, "region_code"), "must be an INSEE region code of 2 digits");
  }
}

void CheckContestedDecision(Violations& violations, const std::string& prefix,
                            const v1::ContestedDecision& decision, absl::Time now) {
  CheckText(violations, Path(prefix, "reference"), decision.reference(), Presence::kRequired,
            kMaxDecisionReferenceChars);
  const std::string date_field = Path(prefix, "notification_date");
  if (!decision.has_notification_date()) {
    violations.Add(date_field, "is required");
  } else if (const std::optional<absl::CivilDay> day = ToCivilDay(decision.notification_date());
             !day.has_value()) {
    violations.Add(date_field, "must be a real calendar date with a year of 1-9999");
  } else if (*day > LatestCivilDay(now)) {
    violations.Add(date_field, "must not be in the future");
  }
  CheckText(violations, Path(prefix, "issuing_authority"), decision.issuing_authority(),
            Presence::kOptional, kMaxAuthorityChars);
}

// RFC 5322 atext, the characters of a dot-atom local part.
bool IsAtext(char c) {
  return absl::ascii_isalnum(c) || absl::StrContains("!#$%&'*+-/=?^_`{|}~", c);
}

// An addr-spec in dot-atom form (local@domain.tld): quoted local parts and address literals,
// legal but never seen in practice, are refused because mail gateways often refuse them too.
bool IsEmailAddress(absl::string_view email) {
  const size_t at = email.rfind('@');
  if (at == absl::string_view::npos) {
    return false;
  }
  const absl::string_view local = email.substr(0, at);
  const absl::string_view domain = email.substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      absl::StrContains(local, "..")) {
    return false;
  }
  for (char c : local) {
    if (c != '.' && !IsAtext(c)) {
      return false;
    }
  }
  const std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) {
    return false;
  }
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(c) && c != '-') {
        return false;
      }
    }
  }
  return true;
}

// E.164: "+", a country code not starting with 0, at most 15 digits in all.
bool IsE164(absl::string_view phone) {
  if (phone.size() < 3 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') {
    return false;
  }
  for (char c : phone.substr(1)) {
    if (!absl::ascii_isdigit(c)) {
      return false;
    }
  }
  return true;
}

bool IsRegionCode(absl::string_view code) {
  return code.size() == 2 && absl::ascii_isupper(code[0]) && absl::ascii_isupper(code[1]);
}

// French postal codes are 5 digits; elsewhere, a loose shape (letters, digits, spaces, dashes).
bool IsPostalCode(absl::string_view code, absl::string_view region_code) {
  const bool french = region_code.empty() || region_code == "FR";
  if (french) {
    if (code.size() != 5) {
      return false;
    }
    for (char c : code) {
      if (!absl::ascii_isdigit(c)) {
        return false;
      }
    }
    return true;
  }
  if (code.empty() || code.size() > 16) {
    return false;
  }
  for (char c : code) {
    if (!absl::ascii_isalnum(c) && c != ' ' && c != '-') {
      return false;
    }
  }
  return true;
}

void CheckPostalAddress(Violations& violations, const std::string& prefix,
                        const v1::PostalAddress& address) {
  const std::string lines_field = Path(prefix, "address_lines");
  if (address.address_lines_size() < 1 || address.address_lines_size() > kMaxAddressLines) {
    violations.Add(lines_field, absl::StrCat("must have 1-", kMaxAddressLines, " lines"));
  } else {
    for (int i = 0; i < address.address_lines_size(); ++i) {
      CheckText(violations, Indexed(lines_field, i), address.address_lines(i), Presence::kRequired,
                kMaxAddressLineChars);
    }
  }
  const bool region_ok = address.region_code().empty() || IsRegionCode(address.region_code());
  if (address.postal_code().empty()) {
    violations.Add(Path(prefix, "postal_code"), "is required");
  } else if (region_ok && !IsPostalCode(address.postal_code(), address.region_code())) {
    violations.Add(Path(prefix, "postal_code"), "is not a postal code of the region");
  }
  CheckText(violations, Path(prefix, "locality"), address.locality(), Presence::kRequired,
            kMaxLocalityChars);
  if (!region_ok) {
    violations.Add(Path(prefix, "region_code"), "must be an ISO 3166-1 alpha-2 code, e.g. FR");
  }
}

// Whether the citizen can be identified or reached at all; an empty Citizen is anonymous.
bool IdentifiesSomeone(const v1::Citizen& citizen) {
  return !citizen.given_name().empty() || !citizen.family_name().empty() ||
         !citizen.organisation_name().empty() || !citizen.email().empty() ||
         !citizen.phone_number().empty() || citizen.has_postal_address();
}

void CheckCitizen(Violations& violations, const std::string& prefix, const v1::Citizen& citizen) {
  CheckText(violations, Path(prefix, "given_name"), citizen.given_name(), Presence::kOptional,
            kMaxPersonNameChars);
  CheckText(violations, Path(prefix, "family_name"), citizen.family_name(), Presence::kOptional,
            kMaxPersonNameChars);
  CheckText(violations, Path(prefix, "organisation_name"), citizen.organisation_name(),
            Presence::kOptional, kMaxOrganisationNameChars);
  if (!citizen.email().empty() &&
      (citizen.email().size() > kMaxEmailChars || !IsEmailAddress(citizen.email()))) {
    violations.Add(Path(prefix, "email"), "must be an email address of at most 254 characters");
  }
  if (!citizen.phone_number().empty() && !IsE164(citizen.phone_number())) {
    violations.Add(Path(prefix, "phone_number"), "must be in E.164 form, e.g. +33612345678");
  }
  if (citizen.has_postal_address()) {
    CheckPostalAddress(violations, Path(prefix, "postal_address"), citizen.postal_address());
  }
  CheckEnum(violations, Path(prefix, "preferred_contact_method"),
            citizen.preferred_contact_method(), &v1::ContactMethod_IsValid, Presence::kOptional);
}

// RFC 6838 restricted-name: 1-127 characters, a letter or digit first.
bool IsRestrictedName(absl::string_view name) {
  if (name.empty() || name.size() > 127 || !absl::ascii_isalnum(name[0])) {
    return false;
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && !absl::StrContains("!#$&-^_.+", c)) {
      return false;
    }
  }
  return true;
}

// type "/" subtype, without parameters.
bool IsMediaType(absl::string_view media_type) {
  const size_t slash = media_type.find('/');
  return slash != absl::string_view::npos && IsRestrictedName(media_type.substr(0, slash)) &&
         IsRestrictedName(media_type.substr(slash + 1));
}

bool IsLowerHexDigest(absl::string_view digest) {
  if (digest.size() != 64) {
    return false;
  }
  for (char c : digest) {
    if (!IsLowerHex(c)) {
      return false;
    }
  }
  return true;
}

// RFC 3986 absolute URI: scheme ":" something, printable ASCII without spaces.
bool IsAbsoluteUri(absl::string_view uri) {
  const size_t colon = uri.find(':');
  if (colon == absl::string_view::npos || colon == 0 || colon + 1 == uri.size() ||
      !absl::ascii_isalpha(uri[0])) {
    return false;
  }
  for (size_t i = 1; i < colon; ++i) {
    if (!absl::ascii_isalnum(uri[i]) && uri[i] != '+' && uri[i] != '-' && uri[i] != '.') {
      return false;
    }
  }
  for (char c : uri) {
    if (c <= 0x20 || c > 0x7E) {
      return false;
    }
  }
  return true;
}

void CheckAttachment(Violations& violations, const std::string& prefix,
                     const type::v1::AttachmentDescriptor& attachment) {
  const std::string name_field = Path(prefix, "name");
  if (attachment.name().find_first_of("/\\") != std::string::npos) {
    violations.Add(name_field, "must not contain / or \\");
  } else {
    CheckText(violations, name_field, attachment.name(), Presence::kRequired,
              kMaxAttachmentNameChars);
  }
  if (attachment.media_type().empty()) {
    violations.Add(Path(prefix, "media_type"), "is required");
  } else if (!IsMediaType(attachment.media_type())) {
    violations.Add(Path(prefix, "media_type"), "must be a media type such as application/pdf");
  }
  if (attachment.size_bytes() < 0 || attachment.size_bytes() > kMaxAttachmentBytes) {
    violations.Add(Path(prefix, "size_bytes"), "must be 0 to 2^31-1");
  }
  if (attachment.sha256().empty()) {
    violations.Add(Path(prefix, "sha256"), "is required");
  } else if (!IsLowerHexDigest(attachment.sha256())) {
    violations.Add(Path(prefix, "sha256"), "must be 64 lowercase hexadecimal characters");
  }
  const std::string uri_field = Path(prefix, "storage_uri");
  if (attachment.storage_uri().empty()) {
    violations.Add(uri_field, "is required");
  } else if (attachment.storage_uri().size() > kMaxStorageUriChars) {
    violations.Add(uri_field, absl::StrCat("must be at most ", kMaxStorageUriChars, " characters"));
  } else if (!IsAbsoluteUri(attachment.storage_uri())) {
    violations.Add(uri_field, "must be an absolute URI such as https://... or s3://...");
  }
}

void CheckAttachments(
    Violations& violations, const std::string& field,
    const google::protobuf::RepeatedPtrField<type::v1::AttachmentDescriptor>& attachments) {
  if (attachments.size() > kMaxAttachments) {
    violations.Add(field, absl::StrCat("must have at most ", kMaxAttachments, " items"));
    return;
  }
  for (int i = 0; i < attachments.size(); ++i) {
    CheckAttachment(violations, Indexed(field, i), attachments.Get(i));
  }
}

void CheckReceiveTime(Violations& violations, const std::string& field,
                      const google::protobuf::Timestamp& receive_time, absl::Time now) {
  const std::optional<absl::Time> time = ToTime(receive_time);
  if (!time.has_value()) {
    violations.Add(field, "must be a valid timestamp");
  } else if (*time > now) {
    violations.Add(field, "must not be in the future");
  } else if (*time < OneYearBefore(now)) {
    violations.Add(field, "must be at most 1 year ago");
  }
}

void CheckComplaint(Violations& violations, const v1::Complaint& complaint,
                    const std::string& prefix, absl::Time now) {
  // complaint_id, tracking_code, status, create_time, update_time, version, late_appeal,
  // submitter_id and personal_data_erased are output only: ignored, not an error.
  CheckUuid(violations, Path(prefix, "administration_id"), complaint.administration_id(),
            Presence::kRequired);
  CheckEnum(violations, Path(prefix, "kind"), complaint.kind(), &type::v1::ComplaintKind_IsValid,
            Presence::kRequired);
  CheckEnum(violations, Path(prefix, "channel"), complaint.channel(), &type::v1::Channel_IsValid,
            Presence::kRequired);
  CheckText(violations, Path(prefix, "subject"), complaint.subject(), Presence::kRequired,
            kMaxSubjectChars);
  CheckLongText(violations, Path(prefix, "description"), complaint.description(),
                kMaxLongTextBytes);
  if (!complaint.category_hint().empty() && !IsCode(complaint.category_hint())) {
    violations.Add(Path(prefix, "category_hint"), "must be 1-64 characters of [a-z0-9_.-]");
  }
  CheckEnum(violations, Path(prefix, "priority"), complaint.priority(), &type::v1::Priority_IsValid,
            Presence::kOptional);
  if (complaint.has_territory()) {
    CheckTerritory(violations, Path(prefix, "territory"), complaint.territory());
  }

  const bool recourse = complaint.kind() == type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX ||
                        complaint.kind() == type::v1::COMPLAINT_KIND_RECOURS_HIERARCHIQUE;
  if (complaint.has_contested_decision()) {
    CheckContestedDecision(violations, Path(prefix, "contested_decision"),
                           complaint.contested_decision(), now);
  } else if (recourse) {
    violations.Add(Path(prefix, "contested_decision"),
                   "is required for RECOURS_GRACIEUX and RECOURS_HIERARCHIQUE");
  }

  if (complaint.has_citizen()) {
    CheckCitizen(violations, Path(prefix, "citizen"), complaint.citizen());
  }
  // Anonymous reports are allowed for SIGNALEMENT only (complaint.proto, Complaint.citizen); a
  // Citizen with neither a name nor a contact is anonymous too.
  if (complaint.kind() != type::v1::COMPLAINT_KIND_SIGNALEMENT &&
      !(complaint.has_citizen() && IdentifiesSomeone(complaint.citizen()))) {
    violations.Add(Path(prefix, "citizen"),
                   "is required (a name or a way to reach the citizen) unless kind is "
                   "SIGNALEMENT");
  }

  CheckAttachments(violations, Path(prefix, "attachments"), complaint.attachments());
  CheckKey(violations, Path(prefix, "external_reference"), complaint.external_reference(),
           Presence::kOptional);
  if (complaint.has_receive_time()) {
    CheckReceiveTime(violations, Path(prefix, "receive_time"), complaint.receive_time(), now);
  }

  switch (complaint.related_complaint_case()) {
    case v1::Complaint::kRelatedComplaintId:
      CheckUuid(violations, Path(prefix, "related_complaint_id"), complaint.related_complaint_id(),
                Presence::kOptional);
      break;
    case v1::Complaint::kRelatedTrackingCode:
      if (!complaint.related_tracking_code().empty()) {
        const absl::StatusOr<std::string> code =
            NormalizeTrackingCode(complaint.related_tracking_code());
        if (!code.ok()) {
          const std::vector<FieldViolation> why = common::FieldViolationsOf(code.status());
          violations.Add(Path(prefix, "related_tracking_code"),
                         why.empty() ? "is not a tracking code" : why.front().description);
        }
      }
      break;
    case v1::Complaint::RELATED_COMPLAINT_NOT_SET:
      break;
  }
}

// The oneof `complaint` of the requests that name one complaint by id or by tracking code. A
// present but mistyped code is the handler's NOT_FOUND, not a validation error.
template <typename Request>
void CheckComplaintReference(Violations& violations, const Request& request) {
  if (!request.complaint_id().empty()) {
    CheckUuid(violations, "complaint_id", request.complaint_id(), Presence::kRequired);
  } else if (request.tracking_code().empty()) {
    violations.Add("complaint", "one of complaint_id or tracking_code is required");
  }
}

void CheckPageSize(Violations& violations, int page_size) {
  if (page_size < 0) {
    violations.Add("page_size", "must not be negative");
  }
}

}  // namespace

absl::Status ValidateComplaint(const v1::Complaint& complaint, const std::string& field_prefix,
                               absl::Time now) {
  Violations violations;
  CheckComplaint(violations, complaint, field_prefix, now);
  return violations.ToStatus();
}

absl::Status ValidateSubmitComplaint(const v1::SubmitComplaintRequest& request, absl::Time now) {
  Violations violations;
  CheckKey(violations, "idempotency_key", request.idempotency_key(), Presence::kRequired);
  if (request.has_complaint()) {
    CheckComplaint(violations, request.complaint(), "complaint", now);
  } else {
    violations.Add("complaint", "is required");
  }
  return violations.ToStatus();
}

absl::Status ValidateSubmitComplaints(const v1::SubmitComplaintsRequest& request) {
  Violations violations;
  if (request.requests_size() < 1 || request.requests_size() > kMaxBatchItems) {
    violations.Add("requests", absl::StrCat("must have 1-", kMaxBatchItems, " items"));
  } else if (request.ByteSizeLong() > kMaxBatchBytes) {
    violations.Add("requests", "must be at most 16 MiB in all");
  }
  return violations.ToStatus();
}

absl::Status ValidateGetComplaint(const v1::GetComplaintRequest& request) {
  Violations violations;
  CheckUuid(violations, "complaint_id", request.complaint_id(), Presence::kRequired);
  return violations.ToStatus();
}

absl::Status ValidateBatchGetComplaints(const v1::BatchGetComplaintsRequest& request) {
  Violations violations;
  if (request.complaint_ids_size() < 1 || request.complaint_ids_size() > kMaxBatchGetIds) {
    violations.Add("complaint_ids", absl::StrCat("must have 1-", kMaxBatchGetIds, " ids"));
  }
  for (int i = 0; i < request.complaint_ids_size() && i < kMaxBatchGetIds; ++i) {
    CheckUuid(violations, Indexed("complaint_ids", i), request.complaint_ids(i),
              Presence::kRequired);
  }
  return violations.ToStatus();
}

absl::Status ValidateListComplaints(const v1::ListComplaintsRequest& request) {
  Violations violations;
  CheckPageSize(violations, request.page_size());
  CheckUuid(violations, "administration_id", request.administration_id(), Presence::kOptional);
  for (int i = 0; i < request.statuses_size(); ++i) {
    CheckEnumFilter(violations, Indexed("statuses", i), request.statuses(i),
                    &type::v1::CaseState_IsValid);
  }
  for (int i = 0; i < request.kinds_size(); ++i) {
    CheckEnumFilter(violations, Indexed("kinds", i), request.kinds(i),
                    &type::v1::ComplaintKind_IsValid);
  }
  if (request.has_create_time_range()) {
    const type::v1::Interval& range = request.create_time_range();
    std::optional<absl::Time> start;
    std::optional<absl::Time> end;
    if (range.has_start_time()) {
      start = ToTime(range.start_time());
      if (!start.has_value()) {
        violations.Add("create_time_range.start_time", "must be a valid timestamp");
      }
    }
    if (range.has_end_time()) {
      end = ToTime(range.end_time());
      if (!end.has_value()) {
        violations.Add("create_time_range.end_time", "must be a valid timestamp");
      }
    }
    if (start.has_value() && end.has_value() && *end < *start) {
      violations.Add("create_time_range.end_time", "must not be before start_time");
    }
  }
  CheckKey(violations, "external_reference", request.external_reference(), Presence::kOptional);
  return violations.ToStatus();
}

absl::Status ValidateTrackComplaint(const v1::TrackComplaintRequest& request) {
  Violations violations;
  if (request.tracking_code().empty()) {
    violations.Add("tracking_code", "is required");
  }
  return violations.ToStatus();
}

absl::Status ValidateWatchComplaint(const v1::WatchComplaintRequest& request) {
  Violations violations;
  CheckComplaintReference(violations, request);
  if (request.after_version() < 0) {
    violations.Add("after_version", "must not be negative");
  }
  return violations.ToStatus();
}

absl::Status ValidateAddCitizenMessage(const v1::AddCitizenMessageRequest& request) {
  Violations violations;
  CheckComplaintReference(violations, request);
  CheckLongText(violations, "text", request.text(), kMaxLongTextBytes);
  CheckAttachments(violations, "attachments", request.attachments());
  CheckKey(violations, "idempotency_key", request.idempotency_key(), Presence::kOptional);
  return violations.ToStatus();
}

absl::Status ValidateListCitizenMessages(const v1::ListCitizenMessagesRequest& request) {
  Violations violations;
  CheckUuid(violations, "complaint_id", request.complaint_id(), Presence::kRequired);
  CheckPageSize(violations, request.page_size());
  return violations.ToStatus();
}

absl::Status ValidateWithdrawComplaint(const v1::WithdrawComplaintRequest& request) {
  Violations violations;
  CheckComplaintReference(violations, request);
  CheckText(violations, "reason", request.reason(), Presence::kOptional, kMaxFreeTextChars);
  return violations.ToStatus();
}

absl::Status ValidateSubmitFeedback(const v1::SubmitFeedbackRequest& request) {
  Violations violations;
  CheckComplaintReference(violations, request);
  if (request.satisfaction() < kMinSatisfaction || request.satisfaction() > kMaxSatisfaction) {
    violations.Add("satisfaction", "must be 1-5");
  }
  if (!request.has_problem_solved()) {
    violations.Add("problem_solved", "is required");
  }
  CheckText(violations, "comment", request.comment(), Presence::kOptional, kMaxFreeTextChars);
  return violations.ToStatus();
}

bool IsLateAppeal(const v1::Complaint& complaint, absl::Time received, absl::TimeZone time_zone) {
  if (complaint.kind() != type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX &&
      complaint.kind() != type::v1::COMPLAINT_KIND_RECOURS_HIERARCHIQUE) {
    return false;
  }
  if (!complaint.has_contested_decision() ||
      !complaint.contested_decision().has_notification_date()) {
    return false;
  }
  const std::optional<absl::CivilDay> notified =
      ToCivilDay(complaint.contested_decision().notification_date());
  if (!notified.has_value()) {
    return false;
  }
  // CRPA L411-2: a recours gracieux or hiérarchique must be made within the time allowed for a
  // contentious appeal, two months from notification (CJA R421-1), counted from date to date:
  // notified on 15 March, in time through 15 May; a missing date is the month's last day.
  const absl::CivilDay last_day_in_time = calendar::AddMonthsClamped(*notified, 2);
  return absl::ToCivilDay(received, time_zone) > last_day_in_time;
}

}  // namespace doleances::intake
