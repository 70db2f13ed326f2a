// Records <-> the contract's messages, the views of each caller, and event envelopes.
#pragma once

#include "common/events/event_log.h"
#include "doleances/events/v1/events.pb.h"
#include "doleances/mediation/v1/mediation_service.pb.h"
#include "services/mediation/mediation_record.h"

#include <absl/time/time.h>

#include <string>

namespace doleances::mediation {

// What a caller may read of a mediation. Parties never get the summary, the assignment reason
// or the closing summary (mediation_service.proto, GetMediation); nobody gets notes here.
enum class View { kFull, kParty };

v1::Mediator ToMediator(const MediatorRecord& record);

// The registry fields of `mediator` (output-only ones ignored).
MediatorRecord FromMediator(const v1::Mediator& mediator);

// Clock and proposal states are the stored facts (what the deadline timer announced), not
// recomputed from the time of the read.
v1::Mediation ToMediation(const MediationFile& file, View view);
v1::Session ToSession(const SessionRecord& record);
v1::Proposal ToProposal(const ProposalRecord& record);
v1::Note ToNote(const NoteRecord& record);

// An event of mediation about `mediation` at `aggregate_version`, without payload.
events::v1::Event MediationEvent(const MediationRecord& mediation, int64_t aggregate_version,
                                 const type::v1::Actor& actor, absl::Time now);

// The envelope ready for the log, typed by its payload's name ("MediationClosed").
events::NewEvent ToNewEvent(const events::v1::Event& event);

}  // namespace doleances::mediation
