#include "services/mediation/pg_mediation_store.h"

#include "common/db/pg_arrays.h"
#include "common/db/pg_time.h"
#include "common/db/transaction.h"
#include "services/mediation/mediation_timers.h"
#include "services/mediation/pg_rows.h"
#include "services/mediation/precondition.h"

#include <absl/strings/str_cat.h>
#include <pqxx/pqxx>

#include <map>
#include <utility>

namespace doleances::mediation {
namespace {

constexpr char kInsertMediation[] = "mediation_insert_mediation";
constexpr char kSelectMediation[] = "mediation_select_mediation";
constexpr char kSelectMediationByComplaint[] = "mediation_select_mediation_by_complaint";
constexpr char kLockMediation[] = "mediation_lock_mediation";
constexpr char kUpdateMediation[] = "mediation_update_mediation";
constexpr char kListMediations[] = "mediation_list_mediations";
constexpr char kCountOpen[] = "mediation_count_open_mediations";
constexpr char kSelectSessions[] = "mediation_select_sessions";
constexpr char kSelectParticipants[] = "mediation_select_participants";
constexpr char kSelectSessionByRequest[] = "mediation_select_session_by_request";
constexpr char kSelectSessionMediation[] = "mediation_select_session_mediation";
constexpr char kLockSession[] = "mediation_lock_session";
constexpr char kInsertSession[] = "mediation_insert_session";
constexpr char kInsertParticipant[] = "mediation_insert_participant";
constexpr char kUpdateSession[] = "mediation_update_session";
constexpr char kCancelFutureSessions[] = "mediation_cancel_future_sessions";
constexpr char kSelectProposals[] = "mediation_select_proposals";
constexpr char kSelectResponses[] = "mediation_select_responses";
constexpr char kInsertProposal[] = "mediation_insert_proposal";
constexpr char kSupersedeProposals[] = "mediation_supersede_open_proposals";
constexpr char kLockProposal[] = "mediation_lock_proposal";
constexpr char kInsertResponse[] = "mediation_insert_response";
constexpr char kUpdateProposalState[] = "mediation_update_proposal_state";
constexpr char kInsertNote[] = "mediation_insert_note";
constexpr char kListNotes[] = "mediation_list_notes";
constexpr char kSelectOpenProposals[] = "mediation_select_open_proposals";
constexpr char kUpdateProposalTimers[] = "mediation_update_proposal_timers";
constexpr char kClaimDueTimers[] = "mediation_claim_due_timers";

// SQLSTATE of exclusion_violation, which libpqxx 6.4 reports as a plain
// integrity_constraint_violation.
constexpr char kExclusionViolation[] = "23P01";

// Enum numbers the SQL compares with (contract values).
constexpr int kSessionScheduled = 1;  // SESSION_STATE_SCHEDULED
constexpr int kSessionCancelled = 2;  // SESSION_STATE_CANCELLED
constexpr int kProposalOpen = 1;      // PROPOSAL_STATE_OPEN
constexpr int kProposalSuperseded = 5;

std::string Micros(absl::string_view column) {
  return absl::StrCat("(extract(epoch FROM ", column, ") * 1000000)::bigint");
}

const std::string& MediationColumns() {
  static const auto* const columns = new std::string(absl::StrCat(
      "mediation_id::text, complaint_id::text, case_id::text, administration_id, kind, category,"
      " commune_code, department_code, region_code, requested_by, case_summary,"
      " disputed_department_id, to_char(written_complaint_date, 'YYYY-MM-DD'), state,"
      " mediator_id::text, assignment_reason, admissibility, ",
      Micros("request_time"), ", ", Micros("admissibility_due"), ", ", Micros("admissibility_stop"),
      ", ", Micros("saisine_notify_time"), ", ", Micros("outcome_due"),
      ", extension_days, outcome, agreement_terms, referral_body, referral_body_name,"
      " referral_reference, withdrawn_by, closing_summary, ",
      Micros("close_time"), ", outcome_reported, version, ", Micros("create_time"), ", ",
      Micros("update_time"),
      ", admissibility_warning_fired, admissibility_breach_fired, outcome_warning_fired,"
      " outcome_breach_fired, ",
      Micros("next_fire_time")));
  return *columns;
}

MediationRecord RowToMediation(const pqxx::row& row) {
  MediationRecord m;
  m.mediation_id = row[0].as<std::string>();
  m.complaint_id = row[1].as<std::string>();
  m.case_id = row[2].as<std::string>();
  m.administration_id = row[3].as<std::string>();
  m.kind = row[4].as<int>();
  m.category = row[5].as<std::string>();
  m.commune_code = row[6].as<std::string>();
  m.department_code = row[7].as<std::string>();
  m.region_code = row[8].as<std::string>();
  m.requested_by = row[9].as<int>();
  m.case_summary = row[10].as<std::string>();
  m.disputed_department_id = row[11].as<std::string>();
  m.written_complaint_date = ReadOptionalText(row[12]);
  m.state = row[13].as<int>();
  m.mediator_id = ReadOptionalText(row[14]);
  m.assignment_reason = row[15].as<std::string>();
  m.admissibility = pqxx::binarystring(row[16]).str();
  m.request_time = absl::FromUnixMicros(row[17].as<int64_t>());
  m.admissibility_due = absl::FromUnixMicros(row[18].as<int64_t>());
  m.admissibility_stop = ReadOptionalTime(row[19]);
  m.saisine_notify_time = ReadOptionalTime(row[20]);
  m.outcome_due = ReadOptionalTime(row[21]);
  m.extension_days = row[22].as<int>();
  m.outcome = row[23].as<int>();
  m.agreement_terms = row[24].as<std::string>();
  m.referral_body = row[25].as<int>();
  m.referral_body_name = row[26].as<std::string>();
  m.referral_reference = row[27].as<std::string>();
  m.withdrawn_by = row[28].as<int>();
  m.closing_summary = row[29].as<std::string>();
  m.close_time = ReadOptionalTime(row[30]);
  m.outcome_reported = row[31].as<bool>();
  m.version = row[32].as<int64_t>();
  m.create_time = absl::FromUnixMicros(row[33].as<int64_t>());
  m.update_time = absl::FromUnixMicros(row[34].as<int64_t>());
  m.admissibility_warning_fired = row[35].as<bool>();
  m.admissibility_breach_fired = row[36].as<bool>();
  m.outcome_warning_fired = row[37].as<bool>();
  m.outcome_breach_fired = row[38].as<bool>();
  m.next_fire_time = ReadOptionalTime(row[39]);
  return m;
}

const std::string& SessionColumns() {
  static const auto* const columns = new std::string(absl::StrCat(
      "session_id::text, mediation_id::text, mediator_id::text, ", Micros("start_time"), ", ",
      Micros("end_time"),
      ", time_zone, place_address, video_link, state, motive, reschedule_count, request_id, ",
      Micros("create_time"), ", ", Micros("update_time")));
  return *columns;
}

SessionRecord RowToSession(const pqxx::row& row) {
  SessionRecord s;
  s.session_id = row[0].as<std::string>();
  s.mediation_id = row[1].as<std::string>();
  s.mediator_id = row[2].as<std::string>();
  s.start_time = absl::FromUnixMicros(row[3].as<int64_t>());
  s.end_time = absl::FromUnixMicros(row[4].as<int64_t>());
  s.time_zone = row[5].as<std::string>();
  s.place_address = row[6].as<std::string>();
  s.video_link = row[7].as<std::string>();
  s.state = row[8].as<int>();
  s.motive = row[9].as<std::string>();
  s.reschedule_count = row[10].as<int>();
  s.request_id = ReadOptionalText(row[11]);
  s.create_time = absl::FromUnixMicros(row[12].as<int64_t>());
  s.update_time = absl::FromUnixMicros(row[13].as<int64_t>());
  return s;
}

const std::string& ProposalColumns() {
  static const auto* const columns = new std::string(
      absl::StrCat("proposal_id::text, mediation_id::text, terms, ", Micros("acceptance_deadline"),
                   ", state, ", Micros("create_time"), ", warning_fired"));
  return *columns;
}

ProposalRecord RowToProposal(const pqxx::row& row) {
  ProposalRecord p;
  p.proposal_id = row[0].as<std::string>();
  p.mediation_id = row[1].as<std::string>();
  p.terms = row[2].as<std::string>();
  p.acceptance_deadline = absl::FromUnixMicros(row[3].as<int64_t>());
  p.state = row[4].as<int>();
  p.create_time = absl::FromUnixMicros(row[5].as<int64_t>());
  p.warning_fired = row[6].as<bool>();
  return p;
}

ProposalResponseRecord RowToResponse(const pqxx::row& row) {
  return {row[1].as<int>(), row[2].as<int>(), row[3].as<std::string>(),
          absl::FromUnixMicros(row[4].as<int64_t>())};
}

NoteRecord RowToNote(const pqxx::row& row) {
  return {row[0].as<std::string>(), row[1].as<std::string>(),
          row[2].as<int>(),         row[3].as<int>(),
          row[4].as<std::string>(), row[5].as<int>(),
          row[6].as<std::string>(), absl::FromUnixMicros(row[7].as<int64_t>())};
}

absl::Status MediatorBusy(const SessionRecord& session) {
  return PreconditionError("MEDIATOR_BUSY", absl::StrCat("mediator/", session.mediator_id),
                           "the mediator already has a scheduled session overlapping this time");
}

// Runs a session write; an overlap refused by the exclusion constraint becomes MEDIATOR_BUSY.
// The failed statement leaves `tx` aborted, which the caller's non-OK return rolls back.
template <typename Write>
absl::Status GuardDoubleBooking(const SessionRecord& session, Write&& write) {
  try {
    write();
  } catch (const pqxx::integrity_constraint_violation& e) {
    if (e.sqlstate() == kExclusionViolation) {
      return MediatorBusy(session);
    }
    throw;
  }
  return absl::OkStatus();
}

// Fills in the sessions (with participants) and proposals (with responses) of `files`: four
// statements whatever the number of files, so that a page of ListMediations costs what one
// GetMediation does.
void LoadDetails(pqxx::transaction_base& tx, std::vector<MediationFile>& files) {
  if (files.empty()) {
    return;
  }
  std::vector<std::string> ids;
  std::map<std::string, MediationFile*> by_id;
  for (MediationFile& file : files) {
    ids.push_back(file.mediation.mediation_id);
    by_id[file.mediation.mediation_id] = &file;
  }
  const std::string id_array = db::TextArrayLiteral(ids);
  for (const pqxx::row& row : tx.exec_prepared(kSelectSessions, id_array)) {
    SessionRecord session = RowToSession(row);
    by_id.at(session.mediation_id)->sessions.push_back(std::move(session));
  }
  for (const pqxx::row& row : tx.exec_prepared(kSelectProposals, id_array)) {
    ProposalRecord proposal = RowToProposal(row);
    by_id.at(proposal.mediation_id)->proposals.push_back(std::move(proposal));
  }
  // The vectors are complete: their elements stay put from here on.
  std::map<std::string, SessionRecord*> sessions;
  std::map<std::string, ProposalRecord*> proposals;
  for (MediationFile& file : files) {
    for (SessionRecord& session : file.sessions) {
      sessions[session.session_id] = &session;
    }
    for (ProposalRecord& proposal : file.proposals) {
      proposals[proposal.proposal_id] = &proposal;
    }
  }
  for (const pqxx::row& row : tx.exec_prepared(kSelectParticipants, id_array)) {
    sessions.at(row[0].as<std::string>())
        ->participants.push_back(
            {row[1].as<int>(), row[2].as<int>(), row[3].as<int>(), row[4].as<std::string>()});
  }
  for (const pqxx::row& row : tx.exec_prepared(kSelectResponses, id_array)) {
    proposals.at(row[0].as<std::string>())->responses.push_back(RowToResponse(row));
  }
}

absl::Status AppendEvents(pqxx::transaction_base& tx, const MediationRecord& after,
                          int64_t first_version, const std::vector<EventMaker>& makers) {
  for (size_t i = 0; i < makers.size(); ++i) {
    if (absl::Status appended =
            events::EventLog::Append(tx, makers[i](after, first_version + static_cast<int64_t>(i)));
        !appended.ok()) {
      return appended;
    }
  }
  return absl::OkStatus();
}

std::vector<ProposalRecord> SelectOpenProposals(pqxx::transaction_base& tx,
                                                const std::string& mediation_id) {
  std::vector<ProposalRecord> proposals;
  for (const pqxx::row& row : tx.exec_prepared(kSelectOpenProposals, mediation_id)) {
    proposals.push_back(RowToProposal(row));
  }
  return proposals;
}

// Writes every mutable column of `m`, advancing the version by `steps`, and re-arms its timers
// from what it and its open proposals (as `tx` sees them now) still have to fire.
MediationRecord WriteMediation(pqxx::transaction_base& tx, const MediationRecord& m,
                               int64_t steps) {
  const pqxx::binarystring admissibility(m.admissibility.data(), m.admissibility.size());
  const std::optional<absl::Time> next_fire_time =
      NextFireTime(m, SelectOpenProposals(tx, m.mediation_id));
  return RowToMediation(tx.exec_prepared1(
      kUpdateMediation, m.mediation_id, m.state, m.mediator_id, m.assignment_reason, admissibility,
      OptionalMicros(m.admissibility_stop), OptionalMicros(m.saisine_notify_time),
      OptionalMicros(m.outcome_due), m.extension_days, m.outcome, m.agreement_terms,
      m.referral_body, m.referral_body_name, m.referral_reference, m.withdrawn_by,
      m.closing_summary, OptionalMicros(m.close_time), steps, absl::ToUnixMicros(m.update_time),
      m.admissibility_warning_fired, m.admissibility_breach_fired, m.outcome_warning_fired,
      m.outcome_breach_fired, OptionalMicros(next_fire_time)));
}

}  // namespace

void PgMediationStore::PrepareStatements(pqxx::connection& c) {
  const std::string& columns = MediationColumns();
  c.prepare(kInsertMediation,
            absl::StrCat("INSERT INTO mediation.mediations (mediation_id, complaint_id, case_id,"
                         " administration_id, kind, category, commune_code, department_code,"
                         " region_code, requested_by, case_summary, disputed_department_id,"
                         " written_complaint_date, state, request_time, admissibility_due,"
                         " create_time, update_time, next_fire_time) VALUES ($1, $2, $3, $4, $5,"
                         " $6, $7, $8, $9, $10, $11, $12, $13::date, $14, ",
                         db::TimestampFromMicros("$15"), ", ", db::TimestampFromMicros("$16"), ", ",
                         db::TimestampFromMicros("$17"), ", ", db::TimestampFromMicros("$17"), ", ",
                         db::TimestampFromMicros("$18"),
                         ") ON CONFLICT (complaint_id) DO NOTHING RETURNING ", columns));
  c.prepare(kSelectMediation,
            absl::StrCat("SELECT ", columns, " FROM mediation.mediations WHERE mediation_id = $1"));
  c.prepare(kSelectMediationByComplaint,
            absl::StrCat("SELECT ", columns, " FROM mediation.mediations WHERE complaint_id = $1"));
  c.prepare(kLockMediation,
            absl::StrCat("SELECT ", columns,
                         " FROM mediation.mediations WHERE mediation_id = $1 FOR UPDATE"));
  c.prepare(
      kUpdateMediation,
      absl::StrCat("UPDATE mediation.mediations SET state = $2, mediator_id = $3::uuid,"
                   " assignment_reason = $4, admissibility = $5, admissibility_stop = ",
                   db::TimestampFromMicros("$6"), ", saisine_notify_time = ",
                   db::TimestampFromMicros("$7"), ", outcome_due = ", db::TimestampFromMicros("$8"),
                   ", extension_days = $9, outcome = $10, agreement_terms = $11,"
                   " referral_body = $12, referral_body_name = $13,"
                   " referral_reference = $14, withdrawn_by = $15, closing_summary = $16,"
                   " close_time = ",
                   db::TimestampFromMicros("$17"),
                   ", version = version + $18, update_time = ", db::TimestampFromMicros("$19"),
                   ", admissibility_warning_fired = $20, admissibility_breach_fired = $21,"
                   " outcome_warning_fired = $22, outcome_breach_fired = $23, next_fire_time = ",
                   db::TimestampFromMicros("$24"), " WHERE mediation_id = $1 RETURNING ", columns));
  // Locks the mediations, the rows every RPC locks first too; the partial index
  // mediations_timers finds the due ones. A row another replica (or an RPC) holds is skipped, not
  // waited for: its holder re-arms it.
  c.prepare(kClaimDueTimers,
            absl::StrCat("SELECT ", columns, " FROM mediation.mediations WHERE next_fire_time <= ",
                         db::TimestampFromMicros("$1"),
                         " ORDER BY next_fire_time LIMIT $2 FOR UPDATE SKIP LOCKED"));
  // The running clock of each state: admissibility while awaiting, the outcome in progress.
  c.prepare(kListMediations,
            absl::StrCat("SELECT ", columns,
                         " FROM mediation.mediations"
                         " WHERE (cardinality($1::text[]) = 0 OR administration_id = ANY($1))"
                         " AND ($2 = '' OR mediator_id = $2::uuid)"
                         " AND (cardinality($3::int[]) = 0 OR state = ANY($3))"
                         " AND ($4 = '' OR complaint_id = $4::uuid)"
                         " AND (NOT $5 OR mediator_id IS NULL)"
                         " ORDER BY CASE state WHEN 1 THEN admissibility_due"
                         "  WHEN 2 THEN outcome_due END NULLS LAST, mediation_id"
                         " OFFSET $6 LIMIT $7"));
  c.prepare(kCountOpen,
            "SELECT administration_id, count(*) FROM mediation.mediations WHERE state <> 3"
            " GROUP BY administration_id");
  const std::string& session_columns = SessionColumns();
  c.prepare(kSelectSessions, absl::StrCat("SELECT ", session_columns,
                                          " FROM mediation.sessions"
                                          " WHERE mediation_id = ANY($1::uuid[])"
                                          " ORDER BY start_time, session_id"));
  c.prepare(kSelectParticipants,
            "SELECT p.session_id::text, p.party, p.role, p.attendance_mode, p.principal_id"
            " FROM mediation.session_participants p JOIN mediation.sessions s USING (session_id)"
            " WHERE s.mediation_id = ANY($1::uuid[]) ORDER BY p.session_id, p.position");
  c.prepare(kSelectSessionByRequest,
            absl::StrCat("SELECT ", session_columns,
                         " FROM mediation.sessions WHERE mediation_id = $1 AND request_id = $2"));
  c.prepare(kSelectSessionMediation,
            "SELECT mediation_id::text FROM mediation.sessions WHERE session_id = $1");
  c.prepare(kLockSession, absl::StrCat("SELECT ", session_columns,
                                       " FROM mediation.sessions WHERE session_id = $1"
                                       " FOR UPDATE"));
  c.prepare(kInsertSession,
            absl::StrCat("INSERT INTO mediation.sessions (session_id, mediation_id, mediator_id,"
                         " mediator_key, start_time, end_time, time_zone, place_address,"
                         " video_link, state, request_id, create_time, update_time)"
                         " SELECT $1, $2, $3, mediator_key, ",
                         db::TimestampFromMicros("$4"), ", ", db::TimestampFromMicros("$5"),
                         ", $6, $7, $8, $9, $10, ", db::TimestampFromMicros("$11"), ", ",
                         db::TimestampFromMicros("$11"),
                         " FROM mediation.mediators WHERE mediator_id = $3"));
  c.prepare(kInsertParticipant,
            "INSERT INTO mediation.session_participants (session_id, position, party, role,"
            " attendance_mode, principal_id) VALUES ($1, $2, $3, $4, $5, $6)");
  c.prepare(
      kUpdateSession,
      absl::StrCat("UPDATE mediation.sessions SET start_time = ", db::TimestampFromMicros("$2"),
                   ", end_time = ", db::TimestampFromMicros("$3"),
                   ", time_zone = $4, place_address = $5, video_link = $6, state = $7,"
                   " motive = $8, reschedule_count = $9, update_time = ",
                   db::TimestampFromMicros("$10"), " WHERE session_id = $1"));
  c.prepare(
      kCancelFutureSessions,
      absl::StrCat("UPDATE mediation.sessions SET state = ", kSessionCancelled,
                   ", motive = 'mediation closed', update_time = ", db::TimestampFromMicros("$2"),
                   " WHERE mediation_id = $1 AND state = ", kSessionScheduled, " AND start_time > ",
                   db::TimestampFromMicros("$2")));
  const std::string& proposal_columns = ProposalColumns();
  c.prepare(kSelectProposals, absl::StrCat("SELECT ", proposal_columns,
                                           " FROM mediation.proposals"
                                           " WHERE mediation_id = ANY($1::uuid[])"
                                           " ORDER BY create_time, proposal_id"));
  c.prepare(kSelectResponses,
            absl::StrCat("SELECT r.proposal_id::text, r.party, r.decision, r.comment, ",
                         Micros("r.respond_time"),
                         " FROM mediation.proposal_responses r JOIN mediation.proposals p"
                         " USING (proposal_id) WHERE p.mediation_id = ANY($1::uuid[])"
                         " ORDER BY r.respond_time, r.party"));
  c.prepare(kInsertProposal,
            absl::StrCat("INSERT INTO mediation.proposals (proposal_id, mediation_id, terms,"
                         " acceptance_deadline, state, create_time) VALUES ($1, $2, $3, ",
                         db::TimestampFromMicros("$4"), ", ", kProposalOpen, ", ",
                         db::TimestampFromMicros("$5"), ")"));
  c.prepare(kSupersedeProposals,
            absl::StrCat("UPDATE mediation.proposals SET state = ", kProposalSuperseded,
                         " WHERE mediation_id = $1 AND state = ", kProposalOpen));
  c.prepare(kSelectOpenProposals,
            absl::StrCat("SELECT ", proposal_columns,
                         " FROM mediation.proposals WHERE mediation_id = $1 AND state = ",
                         kProposalOpen, " ORDER BY create_time, proposal_id"));
  c.prepare(kUpdateProposalTimers,
            "UPDATE mediation.proposals SET state = $2, warning_fired = $3 WHERE proposal_id = $1");
  c.prepare(kLockProposal, absl::StrCat("SELECT ", proposal_columns,
                                        " FROM mediation.proposals WHERE proposal_id = $1"
                                        " AND mediation_id = $2 FOR UPDATE"));
  c.prepare(kInsertResponse,
            absl::StrCat("INSERT INTO mediation.proposal_responses (proposal_id, party, decision,"
                         " comment, respond_time) VALUES ($1, $2, $3, $4, ",
                         db::TimestampFromMicros("$5"), ")"));
  c.prepare(kUpdateProposalState,
            "UPDATE mediation.proposals SET state = $2 WHERE proposal_id = $1");
  c.prepare(kInsertNote,
            absl::StrCat("INSERT INTO mediation.notes (note_id, mediation_id, visibility, party,"
                         " text, author_kind, author_id, create_time) VALUES ($1, $2, $3, $4,"
                         " $5, $6, $7, ",
                         db::TimestampFromMicros("$8"), ")"));
  c.prepare(kListNotes,
            absl::StrCat("SELECT note_id::text, mediation_id::text, visibility, party, text,"
                         " author_kind, author_id, ",
                         Micros("create_time"),
                         " FROM mediation.notes WHERE mediation_id = $1"
                         " ORDER BY create_time, note_id OFFSET $2 LIMIT $3"));
}

absl::StatusOr<std::pair<MediationRecord, bool>> PgMediationStore::Open(
    const MediationRecord& m, const ChangeBody& after_insert) {
  using Result = std::pair<MediationRecord, bool>;
  return db::RunInTransaction(
      pool_, "mediation_open_mediation", [&](pqxx::work& tx) -> absl::StatusOr<Result> {
        const pqxx::result inserted = tx.exec_prepared(
            kInsertMediation, m.mediation_id, m.complaint_id, m.case_id, m.administration_id,
            m.kind, m.category, m.commune_code, m.department_code, m.region_code, m.requested_by,
            m.case_summary, m.disputed_department_id, m.written_complaint_date, m.state,
            absl::ToUnixMicros(m.request_time), absl::ToUnixMicros(m.admissibility_due),
            absl::ToUnixMicros(m.create_time), OptionalMicros(NextFireTime(m, {})));
        if (inserted.empty()) {
          // The unique complaint_id made this insert wait for, then yield to, the first one.
          return Result(
              RowToMediation(tx.exec_prepared1(kSelectMediationByComplaint, m.complaint_id)),
              false);
        }
        MediationRecord created = RowToMediation(inserted[0]);
        MediationRecord edited = created;
        absl::StatusOr<std::vector<EventMaker>> makers = after_insert(tx, edited);
        if (!makers.ok()) {
          return makers.status();
        }
        // The new row stands for its first event (version 1); later ones follow it.
        const int64_t steps = static_cast<int64_t>(makers->size()) - 1;
        MediationRecord after = steps > 0 ? WriteMediation(tx, edited, steps) : created;
        if (absl::Status appended = AppendEvents(tx, after, 1, *makers); !appended.ok()) {
          return appended;
        }
        return Result(after, true);
      });
}

absl::StatusOr<MediationRecord> PgMediationStore::Change(const std::string& mediation_id,
                                                         int64_t expected_version,
                                                         absl::string_view transaction_name,
                                                         const ChangeBody& body) {
  return db::RunInTransaction(
      pool_, transaction_name, [&](pqxx::work& tx) -> absl::StatusOr<MediationRecord> {
        const pqxx::result locked = tx.exec_prepared(kLockMediation, mediation_id);
        if (locked.empty()) {
          return absl::NotFoundError(absl::StrCat("mediation ", mediation_id, " not found"));
        }
        const MediationRecord current = RowToMediation(locked[0]);
        if (expected_version != 0 && current.version != expected_version) {
          return absl::AbortedError(absl::StrCat("mediation ", mediation_id, " is at version ",
                                                 current.version, ", not ", expected_version,
                                                 ": read it again"));
        }
        MediationRecord edited = current;
        absl::StatusOr<std::vector<EventMaker>> makers = body(tx, edited);
        if (!makers.ok()) {
          return makers.status();
        }
        if (makers->empty()) {
          return current;
        }
        const MediationRecord after =
            WriteMediation(tx, edited, static_cast<int64_t>(makers->size()));
        if (absl::Status appended = AppendEvents(tx, after, current.version + 1, *makers);
            !appended.ok()) {
          return appended;
        }
        return after;
      });
}

absl::StatusOr<MediationFile> PgMediationStore::Get(const std::string& mediation_id) {
  return db::RunInTransaction(
      pool_, "mediation_get_mediation", [&](pqxx::work& tx) -> absl::StatusOr<MediationFile> {
        const pqxx::result rows = tx.exec_prepared(kSelectMediation, mediation_id);
        if (rows.empty()) {
          return absl::NotFoundError(absl::StrCat("mediation ", mediation_id, " not found"));
        }
        std::vector<MediationFile> files(1);
        files[0].mediation = RowToMediation(rows[0]);
        LoadDetails(tx, files);
        return std::move(files[0]);
      });
}

absl::StatusOr<std::string> PgMediationStore::MediationOfSession(const std::string& session_id) {
  return db::RunInTransaction(
      pool_, "mediation_session_mediation", [&](pqxx::work& tx) -> absl::StatusOr<std::string> {
        const pqxx::result rows = tx.exec_prepared(kSelectSessionMediation, session_id);
        if (rows.empty()) {
          return absl::NotFoundError(absl::StrCat("session ", session_id, " not found"));
        }
        return rows[0][0].as<std::string>();
      });
}

absl::StatusOr<std::vector<MediationFile>> PgMediationStore::List(const MediationFilter& filter,
                                                                  int offset, int limit) {
  return db::RunInTransaction(
      pool_, "mediation_list_mediations",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<MediationFile>> {
        std::vector<MediationFile> files;
        for (const pqxx::row& row :
             tx.exec_prepared(kListMediations, db::TextArrayLiteral(filter.administration_ids),
                              filter.mediator_id, db::IntArrayLiteral(filter.states),
                              filter.complaint_id, filter.unassigned_only, offset, limit)) {
          files.push_back({.mediation = RowToMediation(row)});
        }
        LoadDetails(tx, files);
        return files;
      });
}

absl::StatusOr<std::vector<NoteRecord>> PgMediationStore::ListNotes(const std::string& mediation_id,
                                                                    int offset, int limit) {
  return db::RunInTransaction(
      pool_, "mediation_list_notes",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<NoteRecord>> {
        std::vector<NoteRecord> notes;
        for (const pqxx::row& row : tx.exec_prepared(kListNotes, mediation_id, offset, limit)) {
          notes.push_back(RowToNote(row));
        }
        return notes;
      });
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
PgMediationStore::CountOpenByAdministration() {
  using Counts = std::vector<std::pair<std::string, int64_t>>;
  return db::RunInTransaction(
      pool_, "mediation_count_open", [&](pqxx::work& tx) -> absl::StatusOr<Counts> {
        Counts counts;
        for (const pqxx::row& row : tx.exec_prepared(kCountOpen)) {
          counts.emplace_back(row[0].as<std::string>(), row[1].as<int64_t>());
        }
        return counts;
      });
}

std::optional<SessionRecord> PgMediationStore::FindSessionByRequest(pqxx::transaction_base& tx,
                                                                    const std::string& mediation_id,
                                                                    const std::string& request_id) {
  const pqxx::result rows = tx.exec_prepared(kSelectSessionByRequest, mediation_id, request_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return RowToSession(rows[0]);
}

absl::Status PgMediationStore::InsertSession(pqxx::transaction_base& tx, const SessionRecord& s) {
  absl::Status inserted = GuardDoubleBooking(s, [&] {
    tx.exec_prepared(kInsertSession, s.session_id, s.mediation_id, s.mediator_id,
                     absl::ToUnixMicros(s.start_time), absl::ToUnixMicros(s.end_time), s.time_zone,
                     s.place_address, s.video_link, s.state, s.request_id,
                     absl::ToUnixMicros(s.create_time));
  });
  if (!inserted.ok()) {
    return inserted;
  }
  for (size_t i = 0; i < s.participants.size(); ++i) {
    const ParticipantRecord& p = s.participants[i];
    tx.exec_prepared(kInsertParticipant, s.session_id, static_cast<int>(i), p.party, p.role,
                     p.attendance_mode, p.principal_id);
  }
  return absl::OkStatus();
}

absl::StatusOr<SessionRecord> PgMediationStore::LockSession(pqxx::transaction_base& tx,
                                                            const std::string& session_id) {
  const pqxx::result rows = tx.exec_prepared(kLockSession, session_id);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("session ", session_id, " not found"));
  }
  return RowToSession(rows[0]);
}

absl::Status PgMediationStore::UpdateSession(pqxx::transaction_base& tx, const SessionRecord& s) {
  return GuardDoubleBooking(s, [&] {
    tx.exec_prepared(kUpdateSession, s.session_id, absl::ToUnixMicros(s.start_time),
                     absl::ToUnixMicros(s.end_time), s.time_zone, s.place_address, s.video_link,
                     s.state, s.motive, s.reschedule_count, absl::ToUnixMicros(s.update_time));
  });
}

void PgMediationStore::CancelFutureSessions(pqxx::transaction_base& tx,
                                            const std::string& mediation_id, absl::Time now) {
  tx.exec_prepared(kCancelFutureSessions, mediation_id, absl::ToUnixMicros(now));
}

void PgMediationStore::InsertProposal(pqxx::transaction_base& tx, const ProposalRecord& p) {
  tx.exec_prepared(kSupersedeProposals, p.mediation_id);
  tx.exec_prepared(kInsertProposal, p.proposal_id, p.mediation_id, p.terms,
                   absl::ToUnixMicros(p.acceptance_deadline), absl::ToUnixMicros(p.create_time));
}

absl::StatusOr<ProposalRecord> PgMediationStore::LockProposal(pqxx::transaction_base& tx,
                                                              const std::string& mediation_id,
                                                              const std::string& proposal_id) {
  const pqxx::result rows = tx.exec_prepared(kLockProposal, proposal_id, mediation_id);
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("proposal ", proposal_id, " not found"));
  }
  std::vector<MediationFile> files(1);
  files[0].mediation.mediation_id = mediation_id;
  LoadDetails(tx, files);
  for (ProposalRecord& proposal : files[0].proposals) {
    if (proposal.proposal_id == proposal_id) {
      return proposal;
    }
  }
  return RowToProposal(rows[0]);
}

void PgMediationStore::RecordResponse(pqxx::transaction_base& tx, const ProposalRecord& proposal,
                                      const ProposalResponseRecord& r) {
  tx.exec_prepared(kInsertResponse, proposal.proposal_id, r.party, r.decision, r.comment,
                   absl::ToUnixMicros(r.respond_time));
  tx.exec_prepared(kUpdateProposalState, proposal.proposal_id, proposal.state);
}

void PgMediationStore::SupersedeOpenProposals(pqxx::transaction_base& tx,
                                              const std::string& mediation_id) {
  tx.exec_prepared(kSupersedeProposals, mediation_id);
}

std::vector<MediationRecord> PgMediationStore::ClaimDueTimers(pqxx::transaction_base& tx,
                                                              absl::Time now, int limit) {
  std::vector<MediationRecord> claimed;
  for (const pqxx::row& row : tx.exec_prepared(kClaimDueTimers, absl::ToUnixMicros(now), limit)) {
    claimed.push_back(RowToMediation(row));
  }
  return claimed;
}

std::vector<ProposalRecord> PgMediationStore::OpenProposals(pqxx::transaction_base& tx,
                                                            const std::string& mediation_id) {
  return SelectOpenProposals(tx, mediation_id);
}

absl::StatusOr<MediationRecord> PgMediationStore::WriteFired(
    pqxx::transaction_base& tx, const MediationRecord& fired,
    const std::vector<ProposalRecord>& proposals, const std::vector<EventMaker>& makers) {
  for (const ProposalRecord& proposal : proposals) {
    tx.exec_prepared(kUpdateProposalTimers, proposal.proposal_id, proposal.state,
                     proposal.warning_fired);
  }
  const MediationRecord after = WriteMediation(tx, fired, static_cast<int64_t>(makers.size()));
  if (absl::Status appended =
          AppendEvents(tx, after, after.version - static_cast<int64_t>(makers.size()) + 1, makers);
      !appended.ok()) {
    return appended;
  }
  return after;
}

void PgMediationStore::InsertNote(pqxx::transaction_base& tx, const NoteRecord& n) {
  tx.exec_prepared(kInsertNote, n.note_id, n.mediation_id, n.visibility, n.party, n.text,
                   n.author_kind, n.author_id, absl::ToUnixMicros(n.create_time));
}

}  // namespace doleances::mediation
