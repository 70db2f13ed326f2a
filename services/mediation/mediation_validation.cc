#include "services/mediation/mediation_validation.h"

#include "common/status/grpc_status.h"
#include "common/util/proto_time.h"
#include "services/mediation/mediation_clocks.h"

#include <absl/strings/ascii.h>
#include <absl/strings/match.h>
#include <absl/strings/str_cat.h>
#include <absl/time/civil_time.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace doleances::mediation {
namespace {

constexpr size_t kMaxSummaryBytes = 16384;
constexpr size_t kMaxTextBytes = 65536;
constexpr size_t kMaxMotiveChars = 1000;
constexpr size_t kMaxLongMotiveChars = 2000;
constexpr size_t kMaxRequestIdChars = 128;
constexpr int kMaxCapacity = 1000;
constexpr absl::Duration kMinSession = absl::Minutes(15);
constexpr absl::Duration kMaxSession = absl::Hours(8);
constexpr absl::Duration kMaxAcceptanceDelay = absl::Hours(24 * 90);

enum class Presence { kRequired, kOptional };

// Unicode code points of UTF-8 text: what "characters" means in the contract.
size_t CharCount(absl::string_view text) {
  size_t count = 0;
  for (char c : text) {
    count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }
  return count;
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

class Violations {
 public:
  void Add(std::string field, std::string description) {
    violations_.push_back({std::move(field), std::move(description)});
  }

  void Uuid(const std::string& field, absl::string_view value, Presence presence) {
    if (value.empty()) {
      if (presence == Presence::kRequired) {
        Add(field, "is required");
      }
    } else if (!IsCanonicalUuid(value)) {
      Add(field, "must be a lowercase canonical UUID");
    }
  }

  void Chars(const std::string& field, absl::string_view value, size_t max, Presence presence) {
    if (value.empty()) {
      if (presence == Presence::kRequired) {
        Add(field, "is required");
      }
    } else if (CharCount(value) > max) {
      Add(field, absl::StrCat("must be at most ", max, " characters"));
    }
  }

  void Bytes(const std::string& field, absl::string_view value, size_t max, Presence presence) {
    if (value.empty()) {
      if (presence == Presence::kRequired) {
        Add(field, "is required");
      }
    } else if (value.size() > max) {
      Add(field, absl::StrCat("must be at most ", max, " bytes"));
    }
  }

  void Party(const std::string& field, type::v1::MediationParty party) {
    if (party == type::v1::MEDIATION_PARTY_UNSPECIFIED ||
        !type::v1::MediationParty_IsValid(party)) {
      Add(field, "must be CITIZEN or ADMINISTRATION");
    }
  }

  void NonNegativeVersion(int64_t version) {
    if (version < 0) {
      Add("expected_version", "must not be negative");
    }
  }

  absl::Status ToStatus() const {
    return violations_.empty() ? absl::OkStatus() : common::InvalidArguments(violations_);
  }

 private:
  std::vector<common::FieldViolation> violations_;
};

void CheckLocation(Violations& violations, const std::string& prefix, bool has_place,
                   absl::string_view place, bool has_video, absl::string_view video,
                   Presence presence) {
  if (has_place) {
    violations.Chars(prefix + "place_address", place, 500, Presence::kRequired);
  } else if (has_video) {
    if (!absl::StartsWith(video, "https://") || video.size() > 2048) {
      violations.Add(prefix + "video_link", "must be an https URL of at most 2048 characters");
    }
  } else if (presence == Presence::kRequired) {
    violations.Add(prefix + "location", "place_address or video_link is required");
  }
}

void CheckTimeZone(Violations& violations, const std::string& field, const std::string& zone,
                   Presence presence) {
  absl::TimeZone loaded;
  if (zone.empty()) {
    if (presence == Presence::kRequired) {
      violations.Add(field, "is required");
    }
  } else if (!absl::LoadTimeZone(zone, &loaded)) {
    violations.Add(field, "must be an IANA time zone such as Europe/Paris");
  }
}

void CheckDuration(Violations& violations, const std::string& field,
                   const google::protobuf::Duration& duration) {
  const absl::Duration length =
      absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
  if (length < kMinSession || length > kMaxSession) {
    violations.Add(field, "must be 15 minutes to 8 hours");
  }
}

bool IsRealDate(const type::v1::Date& date) {
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 || date.month() > 12) {
    return false;
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  return day.year() == date.year() && day.month() == date.month() && day.day() == date.day();
}

}  // namespace

absl::Status ValidateMediationId(const std::string& mediation_id) {
  Violations violations;
  violations.Uuid("mediation_id", mediation_id, Presence::kRequired);
  return violations.ToStatus();
}

absl::Status ValidateOpenMediation(const v1::OpenMediationRequest& request) {
  Violations violations;
  violations.Uuid("complaint_id", request.complaint_id(), Presence::kRequired);
  violations.Uuid("case_id", request.case_id(), Presence::kRequired);
  violations.Uuid("administration_id", request.administration_id(), Presence::kRequired);
  if (request.kind() == type::v1::COMPLAINT_KIND_UNSPECIFIED ||
      !type::v1::ComplaintKind_IsValid(request.kind())) {
    violations.Add("kind", "must be a known complaint kind");
  }
  violations.Chars("category", request.category(), 64, Presence::kOptional);
  violations.Party("requested_by", request.requested_by());
  violations.Bytes("case_summary", request.case_summary(), kMaxSummaryBytes, Presence::kRequired);
  violations.Uuid("disputed_department_id", request.disputed_department_id(), Presence::kOptional);
  if (request.has_written_complaint_date() && !IsRealDate(request.written_complaint_date())) {
    violations.Add("written_complaint_date", "must be a valid full date");
  }
  return violations.ToStatus();
}

namespace {

void CheckMediatorFields(Violations& violations, const v1::Mediator& mediator) {
  if (mediator.administration_ids().empty()) {
    violations.Add("mediator.administration_ids", "at least one is required");
  }
  for (int i = 0; i < mediator.administration_ids_size(); ++i) {
    violations.Uuid(absl::StrCat("mediator.administration_ids[", i, "]"),
                    mediator.administration_ids(i), Presence::kRequired);
  }
  violations.Chars("mediator.display_name", mediator.display_name(), 200, Presence::kRequired);
  if (mediator.capacity() < 0 || mediator.capacity() > kMaxCapacity) {
    violations.Add("mediator.capacity", "must be 0-1000");
  }
  for (int i = 0; i < mediator.availability_windows_size(); ++i) {
    const type::v1::Interval& window = mediator.availability_windows(i);
    if (window.has_start_time() && window.has_end_time() &&
        util::FromTimestamp(window.end_time()) < util::FromTimestamp(window.start_time())) {
      violations.Add(absl::StrCat("mediator.availability_windows[", i, "].end_time"),
                     "must not be before start_time");
    }
  }
  for (int i = 0; i < mediator.conflict_department_ids_size(); ++i) {
    violations.Uuid(absl::StrCat("mediator.conflict_department_ids[", i, "]"),
                    mediator.conflict_department_ids(i), Presence::kRequired);
  }
}

}  // namespace

absl::Status ValidateCreateMediator(const v1::CreateMediatorRequest& request) {
  Violations violations;
  violations.Chars("mediator.principal_id", request.mediator().principal_id(), 256,
                   Presence::kRequired);
  CheckMediatorFields(violations, request.mediator());
  return violations.ToStatus();
}

absl::Status ValidateUpdateMediator(const v1::UpdateMediatorRequest& request) {
  Violations violations;
  violations.Uuid("mediator.mediator_id", request.mediator().mediator_id(), Presence::kRequired);
  if (request.mediator().version() <= 0) {
    violations.Add("mediator.version", "is required (the version you read)");
  }
  static const std::set<std::string> kMutable = {
      "administration_ids", "display_name",         "specialties", "territory_prefixes",
      "capacity",           "availability_windows", "active",      "conflict_department_ids"};
  for (const std::string& path : request.update_mask().paths()) {
    if (kMutable.count(path) == 0) {
      violations.Add("update_mask", absl::StrCat("\"", path, "\" is not a mutable field"));
    }
  }
  CheckMediatorFields(violations, request.mediator());
  return violations.ToStatus();
}

absl::Status ValidateAssignMediator(const v1::AssignMediatorRequest& request) {
  Violations violations;
  violations.Uuid("mediation_id", request.mediation_id(), Presence::kRequired);
  violations.NonNegativeVersion(request.expected_version());
  violations.Uuid("mediator_id", request.mediator_id(), Presence::kOptional);
  violations.Chars("motive", request.motive(), kMaxMotiveChars,
                   request.mediator_id().empty() ? Presence::kOptional : Presence::kRequired);
  return violations.ToStatus();
}

absl::Status ValidateDecideAdmissibility(const v1::DecideAdmissibilityRequest& request) {
  Violations violations;
  violations.Uuid("mediation_id", request.mediation_id(), Presence::kRequired);
  violations.NonNegativeVersion(request.expected_version());
  const bool inadmissible = request.decision() == v1::ADMISSIBILITY_DECISION_INADMISSIBLE;
  if (request.decision() != v1::ADMISSIBILITY_DECISION_ADMISSIBLE && !inadmissible) {
    violations.Add("decision", "must be ADMISSIBLE or INADMISSIBLE");
  }
  std::set<int> seen;
  bool all_satisfied = true;
  for (int i = 0; i < request.assessments_size(); ++i) {
    const v1::CriterionAssessment& assessment = request.assessments(i);
    const std::string prefix = absl::StrCat("assessments[", i, "].");
    if (assessment.criterion() == type::v1::ADMISSIBILITY_CRITERION_UNSPECIFIED ||
        !type::v1::AdmissibilityCriterion_IsValid(assessment.criterion())) {
      violations.Add(prefix + "criterion", "must be a known criterion");
    } else if (!seen.insert(assessment.criterion()).second) {
      violations.Add(prefix + "criterion", "is assessed twice");
    }
    if (!assessment.has_satisfied()) {
      violations.Add(prefix + "satisfied", "is required");
    }
    all_satisfied = all_satisfied && assessment.satisfied();
    violations.Chars(prefix + "note", assessment.note(), kMaxLongMotiveChars,
                     assessment.has_satisfied() && !assessment.satisfied() ? Presence::kRequired
                                                                           : Presence::kOptional);
  }
  const int criteria = type::v1::AdmissibilityCriterion_ARRAYSIZE - 1;
  if (static_cast<int>(seen.size()) != criteria) {
    violations.Add("assessments",
                   absl::StrCat("every one of the ", criteria, " criteria must be assessed once"));
  }
  if (request.decision() == v1::ADMISSIBILITY_DECISION_ADMISSIBLE && !all_satisfied) {
    violations.Add("decision", "ADMISSIBLE needs every criterion satisfied");
  }
  violations.Chars("motive", request.motive(), kMaxLongMotiveChars,
                   inadmissible ? Presence::kRequired : Presence::kOptional);
  return violations.ToStatus();
}

absl::Status ValidateScheduleSession(const v1::ScheduleSessionRequest& request) {
  Violations violations;
  violations.Uuid("mediation_id", request.mediation_id(), Presence::kRequired);
  const v1::Session& session = request.session();
  if (!session.has_start_time()) {
    violations.Add("session.start_time", "is required");
  }
  CheckTimeZone(violations, "session.time_zone", session.time_zone(), Presence::kRequired);
  CheckDuration(violations, "session.duration", session.duration());
  CheckLocation(violations, "session.", session.has_place_address(), session.place_address(),
                session.has_video_link(), session.video_link(), Presence::kRequired);
  bool citizen = false;
  bool administration = false;
  for (int i = 0; i < session.participants_size(); ++i) {
    const v1::Participant& participant = session.participants(i);
    const std::string prefix = absl::StrCat("session.participants[", i, "].");
    violations.Party(prefix + "party", participant.party());
    if (participant.role() == v1::PARTICIPANT_ROLE_UNSPECIFIED ||
        !v1::ParticipantRole_IsValid(participant.role())) {
      violations.Add(prefix + "role", "must be a known participant role");
    }
    if (!v1::AttendanceMode_IsValid(participant.attendance_mode())) {
      violations.Add(prefix + "attendance_mode", "must be a known attendance mode");
    }
    violations.Chars(prefix + "principal_id", participant.principal_id(), 256, Presence::kOptional);
    citizen = citizen || participant.party() == type::v1::MEDIATION_PARTY_CITIZEN;
    administration =
        administration || participant.party() == type::v1::MEDIATION_PARTY_ADMINISTRATION;
  }
  if (!citizen || !administration) {
    violations.Add("session.participants", "at least one participant per party is required");
  }
  if (!request.request_id().empty() &&
      (request.request_id().size() > kMaxRequestIdChars ||
       !std::all_of(request.request_id().begin(), request.request_id().end(),
                    [](char c) { return c > ' ' && c < 0x7f; }))) {
    violations.Add("request_id", "must be 1-128 printable ASCII characters");
  }
  return violations.ToStatus();
}

absl::Status ValidateRescheduleSession(const v1::RescheduleSessionRequest& request) {
  Violations violations;
  violations.Uuid("session_id", request.session_id(), Presence::kRequired);
  if (!request.has_start_time()) {
    violations.Add("start_time", "is required");
  }
  CheckTimeZone(violations, "time_zone", request.time_zone(), Presence::kOptional);
  if (request.has_duration()) {
    CheckDuration(violations, "duration", request.duration());
  }
  CheckLocation(violations, "", request.has_place_address(), request.place_address(),
                request.has_video_link(), request.video_link(), Presence::kOptional);
  violations.Chars("motive", request.motive(), kMaxMotiveChars, Presence::kRequired);
  return violations.ToStatus();
}

absl::Status ValidateCancelSession(const v1::CancelSessionRequest& request) {
  Violations violations;
  violations.Uuid("session_id", request.session_id(), Presence::kRequired);
  violations.Chars("motive", request.motive(), kMaxMotiveChars, Presence::kRequired);
  return violations.ToStatus();
}

absl::Status ValidateRecordProposal(const v1::RecordProposalRequest& request, absl::Time now) {
  Violations violations;
  violations.Uuid("mediation_id", request.mediation_id(), Presence::kRequired);
  violations.NonNegativeVersion(request.expected_version());
  violations.Bytes("terms", request.terms(), kMaxTextBytes, Presence::kRequired);
  if (!request.has_acceptance_deadline()) {
    violations.Add("acceptance_deadline", "is required");
  } else {
    const absl::Time deadline = util::FromTimestamp(request.acceptance_deadline());
    if (deadline <= now || deadline > now + kMaxAcceptanceDelay) {
      violations.Add("acceptance_deadline", "must be in the future, at most 90 days ahead");
    }
  }
  return violations.ToStatus();
}

absl::Status ValidateRespondToProposal(const v1::RespondToProposalRequest& request) {
  Violations violations;
  violations.Uuid("mediation_id", request.mediation_id(), Presence::kRequired);
  violations.Uuid("proposal_id", request.proposal_id(), Presence::kRequired);
  violations.Party("party", request.party());
  if (request.decision() != v1::PROPOSAL_DECISION_ACCEPT &&
      request.decision() != v1::PROPOSAL_DECISION_REJECT) {
    violations.Add("decision", "must be ACCEPT or REJECT");
  }
  violations.Chars("comment", request.comment(), kMaxLongMotiveChars, Presence::kOptional);
  return violations.ToStatus();
}

absl::Status ValidateAddNote(const v1::AddNoteRequest& request) {
  Violations violations;
  violations.Uuid("mediation_id", request.mediation_id(), Presence::kRequired);
  const v1::Note& note = request.note();
  if (note.visibility() != v1::NOTE_VISIBILITY_CONFIDENTIAL &&
      note.visibility() != v1::NOTE_VISIBILITY_CAUCUS) {
    violations.Add("note.visibility", "must be CONFIDENTIAL or CAUCUS");
  }
  if (note.visibility() == v1::NOTE_VISIBILITY_CAUCUS) {
    violations.Party("note.party", note.party());
  } else if (note.party() != type::v1::MEDIATION_PARTY_UNSPECIFIED) {
    violations.Add("note.party", "is only for CAUCUS notes");
  }
  violations.Bytes("note.text", note.text(), kMaxTextBytes, Presence::kRequired);
  return violations.ToStatus();
}

absl::Status ValidateExtendDeadline(const v1::ExtendDeadlineRequest& request) {
  Violations violations;
  violations.Uuid("mediation_id", request.mediation_id(), Presence::kRequired);
  violations.NonNegativeVersion(request.expected_version());
  if (request.clock() != type::v1::CLOCK_KIND_UNSPECIFIED &&
      request.clock() != type::v1::CLOCK_KIND_MEDIATION_OUTCOME) {
    violations.Add("clock", "only MEDIATION_OUTCOME may be extended");
  }
  if (request.extension_days() < 1 || request.extension_days() > kMaxExtensionDays) {
    violations.Add("extension_days", "must be 1-90");
  }
  violations.Chars("motive", request.motive(), kMaxLongMotiveChars, Presence::kRequired);
  return violations.ToStatus();
}

absl::Status ValidateWithdrawMediation(const v1::WithdrawMediationRequest& request) {
  Violations violations;
  violations.Uuid("mediation_id", request.mediation_id(), Presence::kRequired);
  violations.Party("party", request.party());
  violations.Chars("reason", request.reason(), kMaxLongMotiveChars, Presence::kOptional);
  return violations.ToStatus();
}

absl::Status ValidateCloseMediation(const v1::CloseMediationRequest& request) {
  Violations violations;
  violations.Uuid("mediation_id", request.mediation_id(), Presence::kRequired);
  violations.NonNegativeVersion(request.expected_version());
  const type::v1::MediationOutcome outcome = request.outcome();
  if (outcome == type::v1::MEDIATION_OUTCOME_WITHDRAWN) {
    violations.Add("outcome", "WITHDRAWN goes through WithdrawMediation");
  } else if (outcome == type::v1::MEDIATION_OUTCOME_UNSPECIFIED ||
             !type::v1::MediationOutcome_IsValid(outcome)) {
    violations.Add("outcome", "must be AGREEMENT, NO_AGREEMENT, REFERRED or INADMISSIBLE");
  }
  violations.Bytes(
      "agreement_terms", request.agreement_terms(), kMaxTextBytes,
      outcome == type::v1::MEDIATION_OUTCOME_AGREEMENT ? Presence::kRequired : Presence::kOptional);
  if (outcome == type::v1::MEDIATION_OUTCOME_REFERRED) {
    const type::v1::Referral& referral = request.referral();
    if (referral.body() == type::v1::REFERRAL_BODY_UNSPECIFIED ||
        !type::v1::ReferralBody_IsValid(referral.body())) {
      violations.Add("referral.body", "is required for REFERRED");
    }
    violations.Chars("referral.body_name", referral.body_name(), 200,
                     referral.body() == type::v1::REFERRAL_BODY_OTHER_OMBUDSMAN
                         ? Presence::kRequired
                         : Presence::kOptional);
    violations.Chars("referral.reference", referral.reference(), 128, Presence::kRequired);
  } else if (request.has_referral()) {
    violations.Add("referral", "is only for REFERRED");
  }
  violations.Bytes("closing_summary", request.closing_summary(), kMaxSummaryBytes,
                   Presence::kOptional);
  return violations.ToStatus();
}

}  // namespace doleances::mediation
