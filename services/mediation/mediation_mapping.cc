#include "services/mediation/mediation_mapping.h"

#include "common/util/proto_time.h"
#include "common/util/uuid.h"
#include "services/mediation/mediation_clocks.h"
#include "services/mediation/mediation_timers.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_split.h>

#include <vector>

namespace doleances::mediation {
namespace {

using util::ToTimestamp;

// The notices every proposal carries (Code de la consommation R612-4): the parties are free to
// accept or refuse it, taking part does not prevent going to court, a court may decide
// differently.
const std::vector<std::string>& MandatoryNotices() {
  static const auto* const notices = new std::vector<std::string>{
      "Chaque partie est libre d'accepter ou de refuser la proposition de solution.",
      "La participation à la médiation n'exclut pas la possibilité d'un recours devant une "
      "juridiction.",
      "La solution proposée peut être différente de la décision qui serait rendue par un juge.",
  };
  return *notices;
}

type::v1::Date ParseDate(const std::string& text) {
  type::v1::Date date;
  std::vector<std::string> parts = absl::StrSplit(text, '-');
  int year = 0, month = 0, day = 0;
  if (parts.size() == 3 && absl::SimpleAtoi(parts[0], &year) &&
      absl::SimpleAtoi(parts[1], &month) && absl::SimpleAtoi(parts[2], &day)) {
    date.set_year(year);
    date.set_month(month);
    date.set_day(day);
  }
  return date;
}

type::v1::ClockState StoppedState(absl::Time stop, absl::Time due) {
  return stop <= due ? type::v1::CLOCK_STATE_MET : type::v1::CLOCK_STATE_MISSED;
}

// BREACHED once the timer announced it (DeadlineBreached), so that reads and the event log agree.
type::v1::ClockState RunningState(bool breach_fired) {
  return breach_fired ? type::v1::CLOCK_STATE_BREACHED : type::v1::CLOCK_STATE_RUNNING;
}

type::v1::Deadline Clock(type::v1::ClockKind kind, type::v1::DeadlineUnit unit, int amount,
                         absl::Time start, absl::Time due) {
  type::v1::Deadline deadline;
  deadline.set_clock(kind);
  deadline.mutable_spec()->set_amount(amount);
  deadline.mutable_spec()->set_unit(unit);
  deadline.mutable_spec()->set_carry_to_next_business_day(false);
  *deadline.mutable_start_time() = ToTimestamp(start);
  *deadline.mutable_due_time() = ToTimestamp(due);
  *deadline.mutable_warning_time() = ToTimestamp(WarningTime(start, due));
  return deadline;
}

void AddDeadlines(const MediationFile& file, v1::Mediation& out) {
  const MediationRecord& m = file.mediation;
  const bool closed = m.state == v1::MEDIATION_STATE_CLOSED;
  type::v1::Deadline admissibility =
      Clock(type::v1::CLOCK_KIND_MEDIATION_ADMISSIBILITY, type::v1::DEADLINE_UNIT_CALENDAR_WEEKS,
            kAdmissibilityWeeks, m.request_time, m.admissibility_due);
  if (m.admissibility_stop.has_value()) {
    admissibility.set_state(StoppedState(*m.admissibility_stop, m.admissibility_due));
    *admissibility.mutable_stop_time() = ToTimestamp(*m.admissibility_stop);
  } else if (closed) {
    admissibility.set_state(type::v1::CLOCK_STATE_CANCELLED);
  } else {
    admissibility.set_state(RunningState(m.admissibility_breach_fired));
  }
  *out.add_deadlines() = admissibility;
  if (m.saisine_notify_time.has_value() && m.outcome_due.has_value()) {
    type::v1::Deadline outcome =
        Clock(type::v1::CLOCK_KIND_MEDIATION_OUTCOME, type::v1::DEADLINE_UNIT_CALENDAR_DAYS,
              kOutcomeDays + m.extension_days, *m.saisine_notify_time, *m.outcome_due);
    if (closed && m.outcome == type::v1::MEDIATION_OUTCOME_WITHDRAWN) {
      outcome.set_state(type::v1::CLOCK_STATE_CANCELLED);
    } else if (closed && m.close_time.has_value()) {
      outcome.set_state(StoppedState(*m.close_time, *m.outcome_due));
    } else {
      outcome.set_state(RunningState(m.outcome_breach_fired));
    }
    if (m.close_time.has_value()) {
      *outcome.mutable_stop_time() = ToTimestamp(*m.close_time);
    }
    *out.add_deadlines() = outcome;
  }
  for (const ProposalRecord& proposal : file.proposals) {
    const bool expired = proposal.state == v1::PROPOSAL_STATE_EXPIRED;
    if (proposal.state != v1::PROPOSAL_STATE_OPEN && !expired) {
      continue;
    }
    type::v1::Deadline acceptance;
    acceptance.set_clock(type::v1::CLOCK_KIND_PROPOSAL_ACCEPTANCE);
    // EXPIRED as the timer stored and announced it (ClockStopped).
    acceptance.set_state(expired ? type::v1::CLOCK_STATE_EXPIRED : type::v1::CLOCK_STATE_RUNNING);
    *acceptance.mutable_start_time() = ToTimestamp(proposal.create_time);
    *acceptance.mutable_due_time() = ToTimestamp(proposal.acceptance_deadline);
    *acceptance.mutable_warning_time() =
        ToTimestamp(WarningTime(proposal.create_time, proposal.acceptance_deadline));
    if (expired) {
      *acceptance.mutable_stop_time() = ToTimestamp(proposal.acceptance_deadline);
    }
    *out.add_deadlines() = acceptance;
  }
}

}  // namespace

v1::Mediator ToMediator(const MediatorRecord& r) {
  v1::Mediator out;
  out.set_mediator_id(r.mediator_id);
  out.mutable_administration_ids()->Add(r.administration_ids.begin(), r.administration_ids.end());
  out.set_principal_id(r.principal_id);
  out.set_display_name(r.display_name);
  out.mutable_specialties()->Add(r.specialties.begin(), r.specialties.end());
  out.mutable_territory_prefixes()->Add(r.territory_prefixes.begin(), r.territory_prefixes.end());
  out.set_capacity(r.capacity);
  for (const Window& window : r.availability_windows) {
    type::v1::Interval* interval = out.add_availability_windows();
    if (window.start.has_value()) {
      *interval->mutable_start_time() = ToTimestamp(*window.start);
    }
    if (window.end.has_value()) {
      *interval->mutable_end_time() = ToTimestamp(*window.end);
    }
  }
  out.set_active(r.active);
  out.mutable_conflict_department_ids()->Add(r.conflict_department_ids.begin(),
                                             r.conflict_department_ids.end());
  out.set_open_mediation_count(r.open_mediation_count);
  out.set_version(r.version);
  *out.mutable_create_time() = ToTimestamp(r.create_time);
  *out.mutable_update_time() = ToTimestamp(r.update_time);
  return out;
}

MediatorRecord FromMediator(const v1::Mediator& m) {
  MediatorRecord r;
  r.mediator_id = m.mediator_id();
  r.principal_id = m.principal_id();
  r.display_name = m.display_name();
  r.administration_ids.assign(m.administration_ids().begin(), m.administration_ids().end());
  r.specialties.assign(m.specialties().begin(), m.specialties().end());
  r.territory_prefixes.assign(m.territory_prefixes().begin(), m.territory_prefixes().end());
  r.capacity = m.capacity();
  for (const type::v1::Interval& interval : m.availability_windows()) {
    Window window;
    if (interval.has_start_time()) {
      window.start = util::FromTimestamp(interval.start_time());
    }
    if (interval.has_end_time()) {
      window.end = util::FromTimestamp(interval.end_time());
    }
    r.availability_windows.push_back(window);
  }
  r.active = m.active();
  r.conflict_department_ids.assign(m.conflict_department_ids().begin(),
                                   m.conflict_department_ids().end());
  return r;
}

v1::Mediation ToMediation(const MediationFile& file, View view) {
  const MediationRecord& m = file.mediation;
  v1::Mediation out;
  out.set_mediation_id(m.mediation_id);
  out.set_complaint_id(m.complaint_id);
  out.set_case_id(m.case_id);
  out.set_administration_id(m.administration_id);
  out.set_kind(static_cast<type::v1::ComplaintKind>(m.kind));
  out.set_category(m.category);
  out.mutable_territory()->set_commune_code(m.commune_code);
  out.mutable_territory()->set_department_code(m.department_code);
  out.mutable_territory()->set_region_code(m.region_code);
  out.set_requested_by(static_cast<type::v1::MediationParty>(m.requested_by));
  out.set_disputed_department_id(m.disputed_department_id);
  if (m.written_complaint_date.has_value()) {
    *out.mutable_written_complaint_date() = ParseDate(*m.written_complaint_date);
  }
  out.set_state(static_cast<v1::MediationState>(m.state));
  out.set_mediator_id(m.mediator_id.value_or(""));
  if (!m.admissibility.empty()) {
    out.mutable_admissibility()->ParseFromString(m.admissibility);
  }
  if (m.saisine_notify_time.has_value()) {
    *out.mutable_saisine_notify_time() = ToTimestamp(*m.saisine_notify_time);
  }
  for (const SessionRecord& session : file.sessions) {
    *out.add_sessions() = ToSession(session);
  }
  for (const ProposalRecord& proposal : file.proposals) {
    *out.add_proposals() = ToProposal(proposal);
  }
  AddDeadlines(file, out);
  out.set_extension_days(m.extension_days);
  out.set_outcome(static_cast<type::v1::MediationOutcome>(m.outcome));
  out.set_agreement_terms(m.agreement_terms);
  if (m.referral_body != 0) {
    out.mutable_referral()->set_body(static_cast<type::v1::ReferralBody>(m.referral_body));
    out.mutable_referral()->set_body_name(m.referral_body_name);
    out.mutable_referral()->set_reference(m.referral_reference);
  }
  out.set_withdrawn_by(static_cast<type::v1::MediationParty>(m.withdrawn_by));
  if (m.close_time.has_value()) {
    *out.mutable_close_time() = ToTimestamp(*m.close_time);
  }
  out.set_outcome_reported(m.outcome_reported);
  out.set_version(m.version);
  *out.mutable_create_time() = ToTimestamp(m.create_time);
  *out.mutable_update_time() = ToTimestamp(m.update_time);
  if (view == View::kFull) {
    out.set_case_summary(m.case_summary);
    out.set_assignment_reason(m.assignment_reason);
    out.set_closing_summary(m.closing_summary);
  }
  return out;
}

v1::Session ToSession(const SessionRecord& r) {
  v1::Session out;
  out.set_session_id(r.session_id);
  out.set_mediation_id(r.mediation_id);
  out.set_mediator_id(r.mediator_id);
  *out.mutable_start_time() = ToTimestamp(r.start_time);
  out.set_time_zone(r.time_zone);
  const int64_t seconds = absl::ToInt64Seconds(r.end_time - r.start_time);
  out.mutable_duration()->set_seconds(seconds);
  if (!r.video_link.empty()) {
    out.set_video_link(r.video_link);
  } else {
    out.set_place_address(r.place_address);
  }
  for (const ParticipantRecord& p : r.participants) {
    v1::Participant* participant = out.add_participants();
    participant->set_party(static_cast<type::v1::MediationParty>(p.party));
    participant->set_role(static_cast<v1::ParticipantRole>(p.role));
    participant->set_attendance_mode(static_cast<v1::AttendanceMode>(p.attendance_mode));
    participant->set_principal_id(p.principal_id);
  }
  out.set_state(static_cast<v1::SessionState>(r.state));
  out.set_motive(r.motive);
  out.set_reschedule_count(r.reschedule_count);
  *out.mutable_create_time() = ToTimestamp(r.create_time);
  *out.mutable_update_time() = ToTimestamp(r.update_time);
  return out;
}

v1::Proposal ToProposal(const ProposalRecord& r) {
  v1::Proposal out;
  out.set_proposal_id(r.proposal_id);
  out.set_mediation_id(r.mediation_id);
  out.set_terms(r.terms);
  *out.mutable_acceptance_deadline() = ToTimestamp(r.acceptance_deadline);
  out.mutable_mandatory_notices()->Add(MandatoryNotices().begin(), MandatoryNotices().end());
  for (const ProposalResponseRecord& response : r.responses) {
    v1::ProposalResponse* answer = out.add_responses();
    answer->set_party(static_cast<type::v1::MediationParty>(response.party));
    answer->set_decision(static_cast<v1::ProposalDecision>(response.decision));
    answer->set_comment(response.comment);
    *answer->mutable_respond_time() = ToTimestamp(response.respond_time);
  }
  // EXPIRED is stored by the timer that announces it, so reads and events agree; until it fires
  // (at most a timer period while a replica runs), RespondToProposal refuses late answers anyway.
  out.set_state(static_cast<v1::ProposalState>(r.state));
  *out.mutable_create_time() = ToTimestamp(r.create_time);
  return out;
}

v1::Note ToNote(const NoteRecord& r) {
  v1::Note out;
  out.set_note_id(r.note_id);
  out.set_mediation_id(r.mediation_id);
  out.set_visibility(static_cast<v1::NoteVisibility>(r.visibility));
  out.set_party(static_cast<type::v1::MediationParty>(r.party));
  out.set_text(r.text);
  out.mutable_author()->set_kind(static_cast<type::v1::ActorKind>(r.author_kind));
  out.mutable_author()->set_actor_id(r.author_id);
  *out.mutable_create_time() = ToTimestamp(r.create_time);
  return out;
}

events::v1::Event MediationEvent(const MediationRecord& mediation, int64_t aggregate_version,
                                 const type::v1::Actor& actor, absl::Time now) {
  events::v1::Event event;
  event.set_event_id(util::NewUuid());
  event.set_complaint_id(mediation.complaint_id);
  event.set_administration_id(mediation.administration_id);
  event.set_aggregate_version(aggregate_version);
  *event.mutable_occur_time() = ToTimestamp(now);
  *event.mutable_actor() = actor;
  event.set_source(events::v1::EVENT_SOURCE_MEDIATION);
  event.set_record_id(mediation.mediation_id);
  return event;
}

events::NewEvent ToNewEvent(const events::v1::Event& event) {
  const google::protobuf::FieldDescriptor* payload = event.GetReflection()->GetOneofFieldDescriptor(
      event, events::v1::Event::descriptor()->FindOneofByName("payload"));
  return {event.complaint_id(), payload == nullptr ? "" : payload->message_type()->name(),
          event.SerializeAsString()};
}

}  // namespace doleances::mediation
