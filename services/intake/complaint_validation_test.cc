#include "services/intake/complaint_validation.h"

#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "services/intake/tracking_code.h"

#include "doleances/intake/v1/intake_service.pb.h"
#include "doleances/type/v1/complaint.pb.h"

#include <absl/status/status.h>
#include <absl/strings/ascii.h>
#include <absl/strings/str_replace.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace doleances::intake {
namespace {

using ::doleances::common::FieldViolation;
using ::doleances::common::FieldViolationsOf;
using ::doleances::testing::IsOk;
using ::doleances::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kAdministrationId[] = "3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e";
constexpr char kComplaintId[] = "0b6f2d1a-7c3e-4f5a-9b8c-1d2e3f4a5b6c";
constexpr char kSha256[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

// 15 June 2025, 10:00 UTC (12:00 in Paris).
absl::Time Now() {
  return absl::FromCivil(absl::CivilSecond(2025, 6, 15, 10, 0, 0), absl::UTCTimeZone());
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

void SetDate(type::v1::Date* date, int year, int month, int day) {
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
}

type::v1::AttachmentDescriptor ValidAttachment() {
  type::v1::AttachmentDescriptor attachment;
  attachment.set_name("refus-permis.pdf");
  attachment.set_media_type("application/pdf");
  attachment.set_size_bytes(123456);
  attachment.set_sha256(kSha256);
  attachment.set_storage_uri("s3://doleances-documents/2025/06/refus-permis.pdf");
  return attachment;
}

// A recours gracieux with every optional part filled in, valid at Now().
v1::Complaint ValidComplaint() {
  v1::Complaint complaint;
  complaint.set_administration_id(kAdministrationId);
  complaint.set_kind(type::v1::COMPLAINT_KIND_RECOURS_GRACIEUX);
  complaint.set_channel(type::v1::CHANNEL_API);
  complaint.set_subject("Refus de permis de construire");
  complaint.set_description("Je conteste le refus de mon permis de construire, notifié le 2 mai.");
  complaint.set_category_hint("urbanisme");
  complaint.set_priority(type::v1::PRIORITY_NORMAL);
  type::v1::Territory* territory = complaint.mutable_territory();
  territory->set_commune_code("69123");
  territory->set_department_code("69");
  territory->set_region_code("84");
  v1::ContestedDecision* decision = complaint.mutable_contested_decision();
  decision->set_reference("PC 069 123 25 00042");
  SetDate(decision->mutable_notification_date(), 2025, 5, 2);
  decision->set_issuing_authority("Mairie de Lyon");
  v1::Citizen* citizen = complaint.mutable_citizen();
  citizen->set_given_name("Camille");
  citizen->set_family_name("Dupont");
  citizen->set_email("camille.dupont@example.fr");
  citizen->set_phone_number("+33612345678");
  v1::PostalAddress* address = citizen->mutable_postal_address();
  address->add_address_lines("12 rue de la République");
  address->set_postal_code("69002");
  address->set_locality("Lyon");
  address->set_region_code("FR");
  citizen->set_preferred_contact_method(v1::CONTACT_METHOD_EMAIL);
  *complaint.add_attachments() = ValidAttachment();
  complaint.set_external_reference("LYON-2025-000042");
  *complaint.mutable_receive_time() = ToTimestamp(Now() - absl::Hours(48));
  return complaint;
}

v1::SubmitComplaintRequest ValidRequest() {
  v1::SubmitComplaintRequest request;
  request.set_idempotency_key("7d9f0c1e-2b3a-4c5d-8e9f-a0b1c2d3e4f5");
  *request.mutable_complaint() = ValidComplaint();
  return request;
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    fields.push_back(violation.field);
  }
  return fields;
}

std::string Repeat(const std::string& text, int times) {
  std::string repeated;
  for (int i = 0; i < times; ++i) {
    repeated.append(text);
  }
  return repeated;
}

TEST(ValidateSubmitComplaintTest, ValidRequestIsOk) {
  EXPECT_THAT(ValidateSubmitComplaint(ValidRequest(), Now()), IsOk());
}

// One rule per row: a mutator breaks one thing in a valid request, and exactly that field is
// reported.
struct RuleCase {
  std::string name;
  std::function<void(v1::SubmitComplaintRequest&)> mutate;
  std::string field;  // Empty: the mutated request stays valid.
};

void PrintTo(const RuleCase& rule, std::ostream* os) { *os << rule.name; }

v1::Complaint& Complaint(v1::SubmitComplaintRequest& request) {
  return *request.mutable_complaint();
}
v1::Citizen& Citizen(v1::SubmitComplaintRequest& request) {
  return *request.mutable_complaint()->mutable_citizen();
}
v1::PostalAddress& Address(v1::SubmitComplaintRequest& request) {
  return *Citizen(request).mutable_postal_address();
}
v1::ContestedDecision& Decision(v1::SubmitComplaintRequest& request) {
  return *request.mutable_complaint()->mutable_contested_decision();
}
type::v1::Territory& Territory(v1::SubmitComplaintRequest& request) {
  return *request.mutable_complaint()->mutable_territory();
}
type::v1::AttachmentDescriptor& Attachment(v1::SubmitComplaintRequest& request) {
  return *request.mutable_complaint()->mutable_attachments(0);
}

const std::vector<RuleCase>& RuleCases() {
  using R = v1::SubmitComplaintRequest;
  static const auto* const kCases = new std::vector<RuleCase>{
      // Request.
      {"IdempotencyKeyMissing", [](R& r) { r.clear_idempotency_key(); }, "idempotency_key"},
      {"IdempotencyKeyOf129Characters", [](R& r) { r.set_idempotency_key(std::string(129, 'k')); },
       "idempotency_key"},
      {"IdempotencyKeyWithNewline", [](R& r) { r.set_idempotency_key("key\n"); },
       "idempotency_key"},
      {"IdempotencyKeyNotAscii", [](R& r) { r.set_idempotency_key("clé"); }, "idempotency_key"},
      {"ComplaintMissing", [](R& r) { r.clear_complaint(); }, "complaint"},
      // Identity of the complaint.
      {"AdministrationIdMissing", [](R& r) { Complaint(r).clear_administration_id(); },
       "complaint.administration_id"},
      {"AdministrationIdUppercase",
       [](R& r) { Complaint(r).set_administration_id(absl::AsciiStrToUpper(kAdministrationId)); },
       "complaint.administration_id"},
      {"AdministrationIdNotAUuid", [](R& r) { Complaint(r).set_administration_id("mairie-de-lyon"); },
       "complaint.administration_id"},
      {"KindUnspecified",
       [](R& r) {
         Complaint(r).set_kind(type::v1::COMPLAINT_KIND_UNSPECIFIED);
         Complaint(r).clear_contested_decision();
       },
       "complaint.kind"},
      {"KindUnknownNumber", [](R& r) { Complaint(r).set_kind(static_cast<type::v1::ComplaintKind>(42)); },
       "complaint.kind"},
      {"ChannelUnspecified", [](R& r) { Complaint(r).set_channel(type::v1::CHANNEL_UNSPECIFIED); },
       "complaint.channel"},
      {"ChannelUnknownNumber", [](R& r) { Complaint(r).set_channel(static_cast<type::v1::Channel>(99)); },
       "complaint.channel"},
      // Texts.
      {"SubjectMissing", [](R& r) { Complaint(r).clear_subject(); }, "complaint.subject"},
      {"SubjectOf201Characters", [](R& r) { Complaint(r).set_subject(std::string(201, 's')); },
       "complaint.subject"},
      {"SubjectOf201MultibyteCharacters", [](R& r) { Complaint(r).set_subject(Repeat("é", 201)); },
       "complaint.subject"},
      {"SubjectInvalidUtf8", [](R& r) { Complaint(r).set_subject("Refus \xC3\x28"); },
       "complaint.subject"},
      {"DescriptionMissing", [](R& r) { Complaint(r).clear_description(); }, "complaint.description"},
      {"DescriptionOf65537Bytes", [](R& r) { Complaint(r).set_description(std::string(65537, 'd')); },
       "complaint.description"},
      {"DescriptionWithStrayByte", [](R& r) { Complaint(r).set_description("texte \xFF"); },
       "complaint.description"},
      {"DescriptionWithOverlongSlash", [](R& r) { Complaint(r).set_description("a\xC0\xAF"); },
       "complaint.description"},
      {"DescriptionWithSurrogate", [](R& r) { Complaint(r).set_description("a\xED\xA0\x80"); },
       "complaint.description"},
      {"DescriptionAboveU10FFFF", [](R& r) { Complaint(r).set_description("a\xF4\x90\x80\x80"); },
       "complaint.description"},
      {"DescriptionWithTruncatedSequence", [](R& r) { Complaint(r).set_description("euro \xE2\x82"); },
       "complaint.description"},
      {"DescriptionWithNul", [](R& r) { Complaint(r).set_description(std::string("a\0b", 3)); },
       "complaint.description"},
      {"CategoryHintUppercase", [](R& r) { Complaint(r).set_category_hint("Voirie"); },
       "complaint.category_hint"},
      {"CategoryHintWithSpace", [](R& r) { Complaint(r).set_category_hint("etat civil"); },
       "complaint.category_hint"},
      {"CategoryHintOf65Characters", [](R& r) { Complaint(r).set_category_hint(std::string(65, 'c')); },
       "complaint.category_hint"},
      {"PriorityUnknownNumber", [](R& r) { Complaint(r).set_priority(static_cast<type::v1::Priority>(17)); },
       "complaint.priority"},
      // Territory.
      {"CommuneCodeOf4Digits", [](R& r) { Territory(r).set_commune_code("6912"); },
       "complaint.territory.commune_code"},
      {"CommuneCodeWithLetter", [](R& r) { Territory(r).set_commune_code("69A23"); },
       "complaint.territory.commune_code"},
      {"CommuneCodeCorsica2C", [](R& r) { Territory(r).set_commune_code("2C004"); },
       "complaint.territory.commune_code"},
      {"CommuneCodeDepartment00", [](R& r) { Territory(r).set_commune_code("00123"); },
       "complaint.territory.commune_code"},
      {"CommuneCodeDepartment20", [](R& r) { Territory(r).set_commune_code("20004"); },
       "complaint.territory.commune_code"},
      {"CommuneCodeDepartment96", [](R& r) { Territory(r).set_commune_code("96123"); },
       "complaint.territory.commune_code"},
      {"DepartmentCodeNotPrefixOfCommune", [](R& r) { Territory(r).set_department_code("01"); },
       "complaint.territory.department_code"},
      {"DepartmentCode977",
       [](R& r) {
         Territory(r).clear_commune_code();
         Territory(r).set_department_code("977");
       },
       "complaint.territory.department_code"},
      {"DepartmentCode00",
       [](R& r) {
         Territory(r).clear_commune_code();
         Territory(r).set_department_code("00");
       },
       "complaint.territory.department_code"},
      {"DepartmentCodeSingleDigit",
       [](R& r) {
         Territory(r).clear_commune_code();
         Territory(r).set_department_code("1");
       },
       "complaint.territory.department_code"},
      {"RegionCodeLetters", [](R& r) { Territory(r).set_region_code("IF"); },
       "complaint.territory.region_code"},
      // Contested decision.
      {"RecoursGracieuxWithoutDecision", [](R& r) { Complaint(r).clear_contested_decision(); },
       "complaint.contested_decision"},
      {"RecoursHierarchiqueWithoutDecision",
       [](R& r) {
         Complaint(r).set_kind(type::v1::COMPLAINT_KIND_RECOURS_HIERARCHIQUE);
         Complaint(r).clear_contested_decision();
       },
       "complaint.contested_decision"},
      {"DecisionReferenceMissing", [](R& r) { Decision(r).clear_reference(); },
       "complaint.contested_decision.reference"},
      {"DecisionReferenceOf129Characters",
       [](R& r) { Decision(r).set_reference(std::string(129, 'r')); },
       "complaint.contested_decision.reference"},
      {"NotificationDateMissing", [](R& r) { Decision(r).clear_notification_date(); },
       "complaint.contested_decision.notification_date"},
      {"NotificationDate31April",
       [](R& r) { SetDate(Decision(r).mutable_notification_date(), 2025, 4, 31); },
       "complaint.contested_decision.notification_date"},
      {"NotificationDate29FebruaryOfCommonYear",
       [](R& r) { SetDate(Decision(r).mutable_notification_date(), 2025, 2, 29); },
       "complaint.contested_decision.notification_date"},
      {"NotificationDateMonth13",
       [](R& r) { SetDate(Decision(r).mutable_notification_date(), 2025, 13, 1); },
       "complaint.contested_decision.notification_date"},
      {"NotificationDateDay0",
       [](R& r) { SetDate(Decision(r).mutable_notification_date(), 2025, 5, 0); },
       "complaint.contested_decision.notification_date"},
      {"NotificationDateWithoutYear",
       [](R& r) { SetDate(Decision(r).mutable_notification_date(), 0, 5, 2); },
       "complaint.contested_decision.notification_date"},
      {"NotificationDateInTheFuture",
       [](R& r) { SetDate(Decision(r).mutable_notification_date(), 2025, 6, 17); },
       "complaint.contested_decision.notification_date"},
      {"IssuingAuthorityOf201Characters",
       [](R& r) { Decision(r).set_issuing_authority(std::string(201, 'a')); },
       "complaint.contested_decision.issuing_authority"},
      // Citizen.
      {"ReclamationWithoutCitizen",
       [](R& r) {
         Complaint(r).set_kind(type::v1::COMPLAINT_KIND_RECLAMATION);
         Complaint(r).clear_citizen();
       },
       "complaint.citizen"},
      {"RecoursWithoutCitizen", [](R& r) { Complaint(r).clear_citizen(); }, "complaint.citizen"},
      {"DemandeMediationWithoutCitizen",
       [](R& r) {
         Complaint(r).set_kind(type::v1::COMPLAINT_KIND_DEMANDE_MEDIATION);
         Complaint(r).clear_citizen();
       },
       "complaint.citizen"},
      {"RecoursWithEmptyCitizen", [](R& r) { Citizen(r).Clear(); }, "complaint.citizen"},
      {"GivenNameOf101Characters", [](R& r) { Citizen(r).set_given_name(std::string(101, 'g')); },
       "complaint.citizen.given_name"},
      {"FamilyNameInvalidUtf8", [](R& r) { Citizen(r).set_family_name("Dupon\xE9"); },
       "complaint.citizen.family_name"},
      {"OrganisationNameOf201Characters",
       [](R& r) { Citizen(r).set_organisation_name(std::string(201, 'o')); },
       "complaint.citizen.organisation_name"},
      {"EmailWithoutAt", [](R& r) { Citizen(r).set_email("camille.dupont.example.fr"); },
       "complaint.citizen.email"},
      {"EmailWithoutDomainDot", [](R& r) { Citizen(r).set_email("camille@localhost"); },
       "complaint.citizen.email"},
      {"EmailWithSpace", [](R& r) { Citizen(r).set_email("camille dupont@example.fr"); },
       "complaint.citizen.email"},
      {"EmailWithDoubleDot", [](R& r) { Citizen(r).set_email("camille..dupont@example.fr"); },
       "complaint.citizen.email"},
      {"EmailOf255Characters",
       [](R& r) {
         Citizen(r).set_email(std::string(64, 'c') + "@" + Repeat(std::string(62, 'd') + ".", 3) + "e");
       },
       "complaint.citizen.email"},
      {"PhoneNotE164", [](R& r) { Citizen(r).set_phone_number("06 12 34 56 78"); },
       "complaint.citizen.phone_number"},
      {"PhoneOf16Digits", [](R& r) { Citizen(r).set_phone_number("+3361234567890123"); },
       "complaint.citizen.phone_number"},
      {"AddressWithoutLines", [](R& r) { Address(r).clear_address_lines(); },
       "complaint.citizen.postal_address.address_lines"},
      {"AddressOf5Lines",
       [](R& r) {
         for (int i = 0; i < 4; ++i) {
           Address(r).add_address_lines("Bâtiment B");
         }
       },
       "complaint.citizen.postal_address.address_lines"},
      {"AddressLineOf101Characters",
       [](R& r) { Address(r).set_address_lines(0, std::string(101, 'l')); },
       "complaint.citizen.postal_address.address_lines[0]"},
      {"AddressLineEmpty", [](R& r) { Address(r).add_address_lines(""); },
       "complaint.citizen.postal_address.address_lines[1]"},
      {"PostalCodeMissing", [](R& r) { Address(r).clear_postal_code(); },
       "complaint.citizen.postal_address.postal_code"},
      {"FrenchPostalCodeOf4Digits", [](R& r) { Address(r).set_postal_code("6900"); },
       "complaint.citizen.postal_address.postal_code"},
      {"LocalityMissing", [](R& r) { Address(r).clear_locality(); },
       "complaint.citizen.postal_address.locality"},
      {"AddressRegionCodeLowercase", [](R& r) { Address(r).set_region_code("fr"); },
       "complaint.citizen.postal_address.region_code"},
      {"ContactMethodUnknownNumber",
       [](R& r) { Citizen(r).set_preferred_contact_method(static_cast<v1::ContactMethod>(9)); },
       "complaint.citizen.preferred_contact_method"},
      // Attachments.
      {"FiftyOneAttachments",
       [](R& r) {
         for (int i = 0; i < 50; ++i) {
           *Complaint(r).add_attachments() = ValidAttachment();
         }
       },
       "complaint.attachments"},
      {"AttachmentNameMissing", [](R& r) { Attachment(r).clear_name(); },
       "complaint.attachments[0].name"},
      {"AttachmentNameWithSlash", [](R& r) { Attachment(r).set_name("../etc/passwd"); },
       "complaint.attachments[0].name"},
      {"AttachmentNameWithBackslash", [](R& r) { Attachment(r).set_name("C:\\refus.pdf"); },
       "complaint.attachments[0].name"},
      {"AttachmentNameOf256Characters", [](R& r) { Attachment(r).set_name(std::string(256, 'n')); },
       "complaint.attachments[0].name"},
      {"AttachmentMediaTypeMissing", [](R& r) { Attachment(r).clear_media_type(); },
       "complaint.attachments[0].media_type"},
      {"AttachmentMediaTypeWithoutSubtype", [](R& r) { Attachment(r).set_media_type("pdf"); },
       "complaint.attachments[0].media_type"},
      {"AttachmentMediaTypeWithSpace", [](R& r) { Attachment(r).set_media_type("application/ pdf"); },
       "complaint.attachments[0].media_type"},
      {"AttachmentMediaTypeTwoSlashes", [](R& r) { Attachment(r).set_media_type("image/png/x"); },
       "complaint.attachments[0].media_type"},
      {"AttachmentSizeNegative", [](R& r) { Attachment(r).set_size_bytes(-1); },
       "complaint.attachments[0].size_bytes"},
      {"AttachmentSizeOf2GiB", [](R& r) { Attachment(r).set_size_bytes(int64_t{1} << 31); },
       "complaint.attachments[0].size_bytes"},
      {"AttachmentSha256Missing", [](R& r) { Attachment(r).clear_sha256(); },
       "complaint.attachments[0].sha256"},
      {"AttachmentSha256Of63Characters",
       [](R& r) { Attachment(r).set_sha256(std::string(kSha256).substr(1)); },
       "complaint.attachments[0].sha256"},
      {"AttachmentSha256Uppercase",
       [](R& r) { Attachment(r).set_sha256(absl::AsciiStrToUpper(kSha256)); },
       "complaint.attachments[0].sha256"},
      {"AttachmentSha256NotHex", [](R& r) { Attachment(r).set_sha256(std::string(64, 'g')); },
       "complaint.attachments[0].sha256"},
      {"AttachmentStorageUriMissing", [](R& r) { Attachment(r).clear_storage_uri(); },
       "complaint.attachments[0].storage_uri"},
      {"AttachmentStorageUriRelative", [](R& r) { Attachment(r).set_storage_uri("docs/a.pdf"); },
       "complaint.attachments[0].storage_uri"},
      {"AttachmentStorageUriWithSpace",
       [](R& r) { Attachment(r).set_storage_uri("https://docs.example.fr/a b.pdf"); },
       "complaint.attachments[0].storage_uri"},
      {"AttachmentStorageUriOf2049Characters",
       [](R& r) { Attachment(r).set_storage_uri("https://x.fr/" + std::string(2036, 'u')); },
       "complaint.attachments[0].storage_uri"},
      {"SecondAttachmentBroken",
       [](R& r) {
         type::v1::AttachmentDescriptor* second = Complaint(r).add_attachments();
         *second = ValidAttachment();
         second->set_sha256("");
       },
       "complaint.attachments[1].sha256"},
      // External reference.
      {"ExternalReferenceOf129Characters",
       [](R& r) { Complaint(r).set_external_reference(std::string(129, 'e')); },
       "complaint.external_reference"},
      {"ExternalReferenceWithTab", [](R& r) { Complaint(r).set_external_reference("LYON\t42"); },
       "complaint.external_reference"},
      {"ExternalReferenceNotAscii", [](R& r) { Complaint(r).set_external_reference("réf-42"); },
       "complaint.external_reference"},
      // Receive time.
      {"ReceiveTimeOneSecondInTheFuture",
       [](R& r) { *Complaint(r).mutable_receive_time() = ToTimestamp(Now() + absl::Seconds(1)); },
       "complaint.receive_time"},
      {"ReceiveTimeOneYearAndOneSecondAgo",
       [](R& r) {
         *Complaint(r).mutable_receive_time() = ToTimestamp(
             absl::FromCivil(absl::CivilSecond(2024, 6, 15, 9, 59, 59), absl::UTCTimeZone()));
       },
       "complaint.receive_time"},
      {"ReceiveTimeNanosOutOfRange",
       [](R& r) { Complaint(r).mutable_receive_time()->set_nanos(1'000'000'000); },
       "complaint.receive_time"},
      {"ReceiveTimeAfterYear9999",
       [](R& r) { Complaint(r).mutable_receive_time()->set_seconds(253402300800); },
       "complaint.receive_time"},
      // Related complaint.
      {"RelatedComplaintIdNotAUuid", [](R& r) { Complaint(r).set_related_complaint_id("42"); },
       "complaint.related_complaint_id"},
      {"RelatedTrackingCodeMistyped",
       [](R& r) {
         std::string code = NewTrackingCode();
         code[0] = code[0] == '7' ? '8' : '7';
         Complaint(r).set_related_tracking_code(code);
       },
       "complaint.related_tracking_code"},

      // Variants that must stay valid.
      {"OutputOnlyFieldsAreIgnored",
       [](R& r) {
         Complaint(r).set_complaint_id("not-a-uuid");
         Complaint(r).set_tracking_code("not a code");
         Complaint(r).set_status(static_cast<type::v1::CaseState>(99));
         Complaint(r).mutable_create_time()->set_nanos(-5);
         Complaint(r).mutable_update_time()->set_seconds(-1);
         Complaint(r).set_version(-7);
         Complaint(r).set_late_appeal(true);
         Complaint(r).set_submitter_id("\xFF");
         Complaint(r).set_personal_data_erased(true);
       },
       ""},
      {"AnonymousSignalement",
       [](R& r) {
         Complaint(r).set_kind(type::v1::COMPLAINT_KIND_SIGNALEMENT);
         Complaint(r).clear_citizen();
         Complaint(r).clear_contested_decision();
       },
       ""},
      {"SignalementWithEmptyCitizen",
       [](R& r) {
         Complaint(r).set_kind(type::v1::COMPLAINT_KIND_SIGNALEMENT);
         Citizen(r).Clear();
       },
       ""},
      {"ReclamationWithoutDecision",
       [](R& r) {
         Complaint(r).set_kind(type::v1::COMPLAINT_KIND_RECLAMATION);
         Complaint(r).clear_contested_decision();
       },
       ""},
      {"CitizenWithOrganisationOnly",
       [](R& r) {
         Citizen(r).Clear();
         Citizen(r).set_organisation_name("Association des riverains");
       },
       ""},
      {"PriorityUnspecified", [](R& r) { Complaint(r).set_priority(type::v1::PRIORITY_UNSPECIFIED); }, ""},
      {"NoTerritory", [](R& r) { Complaint(r).clear_territory(); }, ""},
      {"CorsicanCommune",
       [](R& r) {
         Territory(r).set_commune_code("2A004");
         Territory(r).set_department_code("2A");
         Territory(r).set_region_code("94");
       },
       ""},
      {"ReunionCommune",
       [](R& r) {
         Territory(r).set_commune_code("97411");
         Territory(r).set_department_code("974");
         Territory(r).set_region_code("04");
       },
       ""},
      {"PolynesianCommuneWithoutDepartment",
       [](R& r) {
         Territory(r).set_commune_code("98735");
         Territory(r).clear_department_code();
         Territory(r).clear_region_code();
       },
       ""},
      {"DepartmentOnly",
       [](R& r) {
         Territory(r).clear_commune_code();
         Territory(r).set_department_code("2B");
       },
       ""},
      {"NotificationDateToday",
       [](R& r) { SetDate(Decision(r).mutable_notification_date(), 2025, 6, 15); }, ""},
      {"NotificationDateAlreadyTomorrowSomewhere",
       [](R& r) { SetDate(Decision(r).mutable_notification_date(), 2025, 6, 16); }, ""},
      {"NotificationDate29FebruaryOfLeapYear",
       [](R& r) { SetDate(Decision(r).mutable_notification_date(), 2024, 2, 29); }, ""},
      {"SubjectOf200MultibyteCharacters", [](R& r) { Complaint(r).set_subject(Repeat("é", 200)); }, ""},
      {"SubjectWithEmoji", [](R& r) { Complaint(r).set_subject("Nid-de-poule \xF0\x9F\x9A\xA7"); }, ""},
      {"DescriptionOfExactly65536Bytes",
       [](R& r) { Complaint(r).set_description(std::string(65536, 'd')); }, ""},
      {"IdempotencyKeyOf128Characters",
       [](R& r) { r.set_idempotency_key(std::string(128, 'k')); }, ""},
      {"ExternalReferenceOf128PrintableCharacters",
       [](R& r) { Complaint(r).set_external_reference(Repeat("AB-12 /~", 16)); }, ""},
      {"ReceiveTimeNow", [](R& r) { *Complaint(r).mutable_receive_time() = ToTimestamp(Now()); }, ""},
      {"ReceiveTimeExactlyOneYearAgo",
       [](R& r) {
         *Complaint(r).mutable_receive_time() = ToTimestamp(
             absl::FromCivil(absl::CivilSecond(2024, 6, 15, 10, 0, 0), absl::UTCTimeZone()));
       },
       ""},
      {"FiftyAttachments",
       [](R& r) {
         for (int i = 0; i < 49; ++i) {
           *Complaint(r).add_attachments() = ValidAttachment();
         }
       },
       ""},
      {"EmptyAttachment", [](R& r) { Attachment(r).set_size_bytes(0); }, ""},
      {"AttachmentOfMaximumSize",
       [](R& r) { Attachment(r).set_size_bytes((int64_t{1} << 31) - 1); }, ""},
      {"VendorMediaType",
       [](R& r) {
         Attachment(r).set_media_type("application/vnd.oasis.opendocument.text");
       },
       ""},
      {"EmailWithPlus", [](R& r) { Citizen(r).set_email("camille+doleances@mairie.example.fr"); },
       ""},
      {"BelgianAddress",
       [](R& r) {
         Address(r).set_region_code("BE");
         Address(r).set_postal_code("1000");
         Address(r).set_locality("Bruxelles");
       },
       ""},
      {"RelatedComplaintId", [](R& r) { Complaint(r).set_related_complaint_id(kComplaintId); }, ""},
      {"RelatedTrackingCodeAsTyped",
       [](R& r) {
         Complaint(r).set_related_tracking_code(
             absl::AsciiStrToLower(absl::StrReplaceAll(NewTrackingCode(), {{"-", " "}})));
       },
       ""},
  };
  return *kCases;
}

class SubmitComplaintRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(SubmitComplaintRuleTest, ReportsExactlyTheBrokenField) {
  v1::SubmitComplaintRequest request = ValidRequest();
  GetParam().mutate(request);

  const absl::Status status = ValidateSubmitComplaint(request, Now());

  if (GetParam().field.empty()) {
    EXPECT_THAT(status, IsOk());
  } else {
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(ViolatedFields(status), ElementsAre(GetParam().field));
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, SubmitComplaintRuleTest, ::testing::ValuesIn(RuleCases()),
                         [](const ::testing::TestParamInfo<RuleCase>& info) {
                           return info.param.name;
                         });

TEST(ValidateSubmitComplaintTest, ReportsEveryViolationAtOnce) {
  v1::SubmitComplaintRequest request = ValidRequest();
  request.clear_idempotency_key();
  v1::Complaint& complaint = *request.mutable_complaint();
  complaint.set_kind(static_cast<type::v1::ComplaintKind>(42));
  complaint.set_subject("");
  complaint.set_description("\xC3");
  complaint.mutable_territory()->set_commune_code("7505");
  complaint.mutable_citizen()->set_email("nobody");
  complaint.mutable_attachments(0)->set_sha256("abc");
  complaint.set_external_reference(std::string(200, 'x'));

  const absl::Status status = ValidateSubmitComplaint(request, Now());

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      ViolatedFields(status),
      ElementsAre("idempotency_key", "complaint.kind", "complaint.subject", "complaint.description",
                  "complaint.territory.commune_code", "complaint.citizen.email",
                  "complaint.attachments[0].sha256", "complaint.external_reference"));
  // The status message names each field too, for callers that read no details.
  EXPECT_THAT(std::string(status.message()), HasSubstr("complaint.territory.commune_code"));
}

TEST(ValidateSubmitComplaintTest, InvalidUtf8InSubjectAndDescriptionIsReportedNotFatal) {
  v1::SubmitComplaintRequest request = ValidRequest();
  request.mutable_complaint()->set_subject("\xF0\x28\x8C\xBC");
  request.mutable_complaint()->set_description(std::string("\xFE\xFF\x00\x80", 4));

  const absl::Status status = ValidateSubmitComplaint(request, Now());

  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Field(&FieldViolation::description, HasSubstr("UTF-8")),
                          Field(&FieldViolation::description, HasSubstr("UTF-8"))));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("complaint.subject", "complaint.description"));
}

TEST(ValidateSubmitComplaintTest, DescriptionOf64KiBPlusOneByteIsRejected) {
  v1::SubmitComplaintRequest request = ValidRequest();
  request.mutable_complaint()->set_description(std::string(64 * 1024, 'd'));
  ASSERT_THAT(ValidateSubmitComplaint(request, Now()), IsOk());

  request.mutable_complaint()->mutable_description()->push_back('d');

  EXPECT_THAT(ValidateSubmitComplaint(request, Now()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("complaint.description")));
}

TEST(ValidateSubmitComplaintTest, UnknownEnumNumbersAreRejected) {
  v1::SubmitComplaintRequest request = ValidRequest();
  request.mutable_complaint()->set_kind(static_cast<type::v1::ComplaintKind>(6));
  request.mutable_complaint()->set_channel(static_cast<type::v1::Channel>(-1));
  request.mutable_complaint()->set_priority(static_cast<type::v1::Priority>(5));

  EXPECT_THAT(ViolatedFields(ValidateSubmitComplaint(request, Now())),
              ElementsAre("complaint.kind", "complaint.channel", "complaint.priority"));
}

TEST(ValidateSubmitComplaintTest, MessageNeverEchoesPersonalData) {
  v1::SubmitComplaintRequest request = ValidRequest();
  request.mutable_complaint()->set_subject(Repeat("Monsieur Jean Martin ", 20));
  request.mutable_complaint()->mutable_citizen()->set_email("jean.martin@@exemple.fr");

  const absl::Status status = ValidateSubmitComplaint(request, Now());

  ASSERT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("Martin")));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("martin")));
}

TEST(ValidateComplaintTest, PrefixesEveryFieldPath) {
  v1::Complaint complaint = ValidComplaint();
  complaint.set_subject("");
  complaint.mutable_contested_decision()->clear_reference();

  EXPECT_THAT(ViolatedFields(ValidateComplaint(complaint, "requests[3].complaint", Now())),
              ElementsAre("requests[3].complaint.subject",
                          "requests[3].complaint.contested_decision.reference"));
  EXPECT_THAT(ViolatedFields(ValidateComplaint(complaint, "", Now())),
              ElementsAre("subject", "contested_decision.reference"));
}

TEST(ValidateSubmitComplaintsTest, AcceptsOneToFiveHundredItems) {
  v1::SubmitComplaintsRequest request;
  *request.add_requests() = ValidRequest();
  EXPECT_THAT(ValidateSubmitComplaints(request), IsOk());

  for (int i = 1; i < 500; ++i) {
    request.add_requests()->set_idempotency_key("k");
  }
  EXPECT_THAT(ValidateSubmitComplaints(request), IsOk());
}

TEST(ValidateSubmitComplaintsTest, RejectsEmptyAndOversizedBatches) {
  v1::SubmitComplaintsRequest empty;
  EXPECT_THAT(ViolatedFields(ValidateSubmitComplaints(empty)), ElementsAre("requests"));

  v1::SubmitComplaintsRequest too_many;
  for (int i = 0; i < 501; ++i) {
    too_many.add_requests()->set_idempotency_key("k");
  }
  EXPECT_THAT(ViolatedFields(ValidateSubmitComplaints(too_many)), ElementsAre("requests"));

  v1::SubmitComplaintsRequest too_big;
  for (int i = 0; i < 17; ++i) {
    too_big.add_requests()->mutable_complaint()->set_description(std::string(1 << 20, 'd'));
  }
  EXPECT_THAT(ViolatedFields(ValidateSubmitComplaints(too_big)), ElementsAre("requests"));
}

TEST(ValidateSubmitComplaintsTest, ItemsAreValidatedWithPathsRelativeToTheItem) {
  v1::SubmitComplaintsRequest batch;
  *batch.add_requests() = ValidRequest();
  *batch.add_requests() = ValidRequest();
  batch.mutable_requests(1)->mutable_complaint()->clear_subject();

  EXPECT_THAT(ValidateSubmitComplaint(batch.requests(0), Now()), IsOk());
  EXPECT_THAT(ViolatedFields(ValidateSubmitComplaint(batch.requests(1), Now())),
              ElementsAre("complaint.subject"));
}

TEST(ValidateGetComplaintTest, RequiresACanonicalUuid) {
  v1::GetComplaintRequest request;
  EXPECT_THAT(ViolatedFields(ValidateGetComplaint(request)), ElementsAre("complaint_id"));
  request.set_complaint_id("0B6F2D1A-7C3E-4F5A-9B8C-1D2E3F4A5B6C");
  EXPECT_THAT(ViolatedFields(ValidateGetComplaint(request)), ElementsAre("complaint_id"));
  request.set_complaint_id(kComplaintId);
  EXPECT_THAT(ValidateGetComplaint(request), IsOk());
}

TEST(ValidateListComplaintsTest, EmptyRequestIsOkAndLargePageSizeIsCoercedNotRejected) {
  v1::ListComplaintsRequest request;
  EXPECT_THAT(ValidateListComplaints(request), IsOk());
  request.set_page_size(100000);
  EXPECT_THAT(ValidateListComplaints(request), IsOk());
}

TEST(ValidateListComplaintsTest, FullFilterIsOk) {
  v1::ListComplaintsRequest request;
  request.set_page_size(50);
  request.set_page_token("opaque");
  request.set_administration_id(kAdministrationId);
  request.add_statuses(type::v1::CASE_STATE_RECEIVED);
  request.add_statuses(type::v1::CASE_STATE_TRANSFERRED);
  request.add_kinds(type::v1::COMPLAINT_KIND_SIGNALEMENT);
  *request.mutable_create_time_range()->mutable_start_time() = ToTimestamp(Now());
  *request.mutable_create_time_range()->mutable_end_time() = ToTimestamp(Now());
  request.set_external_reference("LYON-2025-000042");

  EXPECT_THAT(ValidateListComplaints(request), IsOk());
}

TEST(ValidateListComplaintsTest, ReportsEveryBadFilter) {
  v1::ListComplaintsRequest request;
  request.set_page_size(-1);
  request.set_administration_id("lyon");
  request.add_statuses(type::v1::CASE_STATE_RECEIVED);
  request.add_statuses(type::v1::CASE_STATE_UNSPECIFIED);
  request.add_statuses(static_cast<type::v1::CaseState>(14));
  request.add_kinds(static_cast<type::v1::ComplaintKind>(-3));
  *request.mutable_create_time_range()->mutable_start_time() = ToTimestamp(Now());
  *request.mutable_create_time_range()->mutable_end_time() = ToTimestamp(Now() - absl::Seconds(1));
  request.set_external_reference(std::string(129, 'e'));

  EXPECT_THAT(ViolatedFields(ValidateListComplaints(request)),
              ElementsAre("page_size", "administration_id", "statuses[1]", "statuses[2]",
                          "kinds[0]", "create_time_range.end_time", "external_reference"));
}

TEST(ValidateListComplaintsTest, RejectsMalformedRangeTimestamps) {
  v1::ListComplaintsRequest request;
  request.mutable_create_time_range()->mutable_start_time()->set_nanos(-1);
  request.mutable_create_time_range()->mutable_end_time()->set_seconds(-62135596801);

  EXPECT_THAT(ViolatedFields(ValidateListComplaints(request)),
              ElementsAre("create_time_range.start_time", "create_time_range.end_time"));
}

TEST(ValidateListComplaintsTest, AHostileListGetsABoundedAnswer) {
  v1::ListComplaintsRequest request;
  for (int i = 0; i < 100000; ++i) {
    request.add_statuses(static_cast<type::v1::CaseState>(1000 + i));
  }

  const absl::Status status = ValidateListComplaints(request);

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldViolationsOf(status), SizeIs(100));
}

TEST(ValidateTrackComplaintTest, RequiresACodeButLeavesMistypedCodesToTheLookup) {
  v1::TrackComplaintRequest request;
  EXPECT_THAT(ViolatedFields(ValidateTrackComplaint(request)), ElementsAre("tracking_code"));

  // TrackComplaint answers NOT_FOUND for a mistyped code: not a validation error.
  request.set_tracking_code("K7QM-4XPA-9RT2-CX");
  EXPECT_THAT(ValidateTrackComplaint(request), IsOk());
}

TEST(ValidateWatchComplaintTest, RequiresOneComplaintReference) {
  v1::WatchComplaintRequest request;
  EXPECT_THAT(ViolatedFields(ValidateWatchComplaint(request)), ElementsAre("complaint"));
  request.set_complaint_id("");
  EXPECT_THAT(ViolatedFields(ValidateWatchComplaint(request)), ElementsAre("complaint"));
  request.set_complaint_id("not-a-uuid");
  EXPECT_THAT(ViolatedFields(ValidateWatchComplaint(request)), ElementsAre("complaint_id"));
  request.set_complaint_id(kComplaintId);
  EXPECT_THAT(ValidateWatchComplaint(request), IsOk());
  request.set_tracking_code(NewTrackingCode());
  EXPECT_THAT(ValidateWatchComplaint(request), IsOk());
}

TEST(ValidateWatchComplaintTest, RejectsNegativeAfterVersion) {
  v1::WatchComplaintRequest request;
  request.set_tracking_code(NewTrackingCode());
  request.set_after_version(-1);
  EXPECT_THAT(ViolatedFields(ValidateWatchComplaint(request)), ElementsAre("after_version"));
}

v1::AddCitizenMessageRequest ValidCitizenMessage() {
  v1::AddCitizenMessageRequest request;
  request.set_tracking_code(NewTrackingCode());
  request.set_text("Voici le justificatif de domicile demandé.");
  *request.add_attachments() = ValidAttachment();
  request.set_idempotency_key("message-1");
  return request;
}

TEST(ValidateAddCitizenMessageTest, ValidMessageIsOk) {
  EXPECT_THAT(ValidateAddCitizenMessage(ValidCitizenMessage()), IsOk());
}

TEST(ValidateAddCitizenMessageTest, ReportsEveryBadField) {
  v1::AddCitizenMessageRequest request = ValidCitizenMessage();
  request.clear_tracking_code();
  request.set_text("\xC3\x28");
  request.mutable_attachments(0)->set_media_type("pdf");
  request.set_idempotency_key(std::string(129, 'k'));

  EXPECT_THAT(ViolatedFields(ValidateAddCitizenMessage(request)),
              ElementsAre("complaint", "text", "attachments[0].media_type", "idempotency_key"));
}

TEST(ValidateAddCitizenMessageTest, TextIsRequiredAndCappedAt65536Bytes) {
  v1::AddCitizenMessageRequest request = ValidCitizenMessage();
  request.clear_text();
  EXPECT_THAT(ViolatedFields(ValidateAddCitizenMessage(request)), ElementsAre("text"));
  request.set_text(std::string(65536, 't'));
  EXPECT_THAT(ValidateAddCitizenMessage(request), IsOk());
  request.mutable_text()->push_back('t');
  EXPECT_THAT(ViolatedFields(ValidateAddCitizenMessage(request)), ElementsAre("text"));
}

TEST(ValidateAddCitizenMessageTest, AtMostFiftyAttachments) {
  v1::AddCitizenMessageRequest request = ValidCitizenMessage();
  for (int i = 0; i < 50; ++i) {
    *request.add_attachments() = ValidAttachment();
  }
  EXPECT_THAT(ViolatedFields(ValidateAddCitizenMessage(request)), ElementsAre("attachments"));
}

TEST(ValidateListCitizenMessagesTest, RequiresComplaintIdAndNonNegativePageSize) {
  v1::ListCitizenMessagesRequest request;
  request.set_page_size(-5);
  EXPECT_THAT(ViolatedFields(ValidateListCitizenMessages(request)),
              ElementsAre("complaint_id", "page_size"));
  request.set_complaint_id(kComplaintId);
  request.set_page_size(0);
  EXPECT_THAT(ValidateListCitizenMessages(request), IsOk());
}

TEST(ValidateWithdrawComplaintTest, ReasonIsOptionalAndCappedAt2000Characters) {
  v1::WithdrawComplaintRequest request;
  request.set_complaint_id(kComplaintId);
  EXPECT_THAT(ValidateWithdrawComplaint(request), IsOk());
  request.set_reason(Repeat("é", 2000));
  EXPECT_THAT(ValidateWithdrawComplaint(request), IsOk());
  request.set_reason(Repeat("é", 2001));
  EXPECT_THAT(ViolatedFields(ValidateWithdrawComplaint(request)), ElementsAre("reason"));
  request.set_reason("\xFF");
  request.clear_complaint_id();
  EXPECT_THAT(ViolatedFields(ValidateWithdrawComplaint(request)),
              ElementsAre("complaint", "reason"));
}

TEST(ValidateSubmitFeedbackTest, ValidSurveyIsOk) {
  v1::SubmitFeedbackRequest request;
  request.set_tracking_code(NewTrackingCode());
  request.set_satisfaction(5);
  request.set_problem_solved(false);
  request.set_comment(std::string(2000, 'c'));
  EXPECT_THAT(ValidateSubmitFeedback(request), IsOk());
  request.set_satisfaction(1);
  EXPECT_THAT(ValidateSubmitFeedback(request), IsOk());
}

TEST(ValidateSubmitFeedbackTest, ReportsEveryBadField) {
  v1::SubmitFeedbackRequest request;
  request.set_satisfaction(0);
  request.set_comment(std::string(2001, 'c'));

  EXPECT_THAT(ViolatedFields(ValidateSubmitFeedback(request)),
              ElementsAre("complaint", "satisfaction", "problem_solved", "comment"));
}

TEST(ValidateSubmitFeedbackTest, SatisfactionAboveFiveIsRejected) {
  v1::SubmitFeedbackRequest request;
  request.set_complaint_id(kComplaintId);
  request.set_satisfaction(6);
  request.set_problem_solved(true);
  EXPECT_THAT(ViolatedFields(ValidateSubmitFeedback(request)), ElementsAre("satisfaction"));
}

// Late appeals (CRPA L411-2, two calendar months in Europe/Paris).
class IsLateAppealTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(absl::LoadTimeZone("Europe/Paris", &paris_)); }

  absl::Time Paris(int year, int month, int day, int hour = 12, int minute = 0, int second = 0) {
    return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second), paris_);
  }

  static v1::Complaint Recourse(int year, int month, int day) {
    v1::Complaint complaint = ValidComplaint();
    SetDate(complaint.mutable_contested_decision()->mutable_notification_date(), year, month, day);
    return complaint;
  }

  absl::TimeZone paris_;
};

TEST_F(IsLateAppealTest, LastSecondOfTheSameDateTwoMonthsLaterIsInTime) {
  EXPECT_FALSE(IsLateAppeal(Recourse(2025, 1, 15), Paris(2025, 3, 15, 23, 59, 59), paris_));
}

TEST_F(IsLateAppealTest, NextDayIsLate) {
  EXPECT_TRUE(IsLateAppeal(Recourse(2025, 1, 15), Paris(2025, 3, 16, 0, 0, 0), paris_));
}

TEST_F(IsLateAppealTest, EarlyReceiptIsInTime) {
  EXPECT_FALSE(IsLateAppeal(Recourse(2025, 1, 15), Paris(2025, 1, 15), paris_));
  EXPECT_FALSE(IsLateAppeal(Recourse(2025, 1, 15), Paris(2025, 2, 20), paris_));
}

TEST_F(IsLateAppealTest, TheDayIsTakenInParisNotInUtc) {
  // 23:30 UTC on 15 March 2025 is already 00:30 on 16 March in Paris (UTC+1).
  const absl::Time late_in_paris =
      absl::FromCivil(absl::CivilSecond(2025, 3, 15, 23, 30, 0), absl::UTCTimeZone());
  EXPECT_TRUE(IsLateAppeal(Recourse(2025, 1, 15), late_in_paris, paris_));
  // In summer (UTC+2), 22:30 UTC on 15 July is already 00:30 on 16 July in Paris.
  EXPECT_FALSE(IsLateAppeal(Recourse(2025, 5, 15), Paris(2025, 7, 15, 23, 30, 0), paris_));
  EXPECT_TRUE(IsLateAppeal(
      Recourse(2025, 5, 15),
      absl::FromCivil(absl::CivilSecond(2025, 7, 15, 22, 30, 0), absl::UTCTimeZone()), paris_));
}

TEST_F(IsLateAppealTest, December31PlusTwoMonthsEndsOnFebruary29InALeapYear) {
  EXPECT_FALSE(IsLateAppeal(Recourse(2023, 12, 31), Paris(2024, 2, 29, 23, 59, 59), paris_));
  EXPECT_TRUE(IsLateAppeal(Recourse(2023, 12, 31), Paris(2024, 3, 1, 0, 0, 0), paris_));
}

TEST_F(IsLateAppealTest, December31PlusTwoMonthsEndsOnFebruary28InACommonYear) {
  EXPECT_FALSE(IsLateAppeal(Recourse(2024, 12, 31), Paris(2025, 2, 28, 23, 59, 59), paris_));
  EXPECT_TRUE(IsLateAppeal(Recourse(2024, 12, 31), Paris(2025, 3, 1, 0, 0, 0), paris_));
}

TEST_F(IsLateAppealTest, AugustThirtyFirstPlusTwoMonthsIsOctoberThirtyFirst) {
  EXPECT_FALSE(IsLateAppeal(Recourse(2025, 8, 31), Paris(2025, 10, 31, 23, 0, 0), paris_));
  EXPECT_TRUE(IsLateAppeal(Recourse(2025, 8, 31), Paris(2025, 11, 1, 0, 0, 0), paris_));
}

TEST_F(IsLateAppealTest, RecoursHierarchiqueIsFlaggedToo) {
  v1::Complaint complaint = Recourse(2025, 1, 15);
  complaint.set_kind(type::v1::COMPLAINT_KIND_RECOURS_HIERARCHIQUE);
  EXPECT_TRUE(IsLateAppeal(complaint, Paris(2025, 6, 1), paris_));
}

TEST_F(IsLateAppealTest, OtherKindsAreNeverLate) {
  v1::Complaint complaint = Recourse(2020, 1, 15);
  for (type::v1::ComplaintKind kind :
       {type::v1::COMPLAINT_KIND_RECLAMATION, type::v1::COMPLAINT_KIND_SIGNALEMENT,
        type::v1::COMPLAINT_KIND_DEMANDE_MEDIATION, type::v1::COMPLAINT_KIND_UNSPECIFIED}) {
    complaint.set_kind(kind);
    EXPECT_FALSE(IsLateAppeal(complaint, Paris(2025, 6, 1), paris_));
  }
}

TEST_F(IsLateAppealTest, MissingOrUnrealDateIsNotLate) {
  v1::Complaint without_decision = Recourse(2020, 1, 15);
  without_decision.clear_contested_decision();
  EXPECT_FALSE(IsLateAppeal(without_decision, Paris(2025, 6, 1), paris_));

  EXPECT_FALSE(IsLateAppeal(Recourse(2020, 2, 30), Paris(2025, 6, 1), paris_));
  EXPECT_FALSE(IsLateAppeal(Recourse(0, 1, 15), Paris(2025, 6, 1), paris_));
}

}  // namespace
}  // namespace doleances::intake
