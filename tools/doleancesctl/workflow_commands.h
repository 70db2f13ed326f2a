#pragma once

#include "tools/doleancesctl/cli.h"

namespace doleances::cli {

// `queue --administration=UUID [--queue=UUID] [--state=IN_PROGRESS] [--unassigned]
//  [--breaching-within-days=N] [--page-size=N] [--page-token=T]`: cases, most urgent first.
Command QueueCommand();

// `case CASE_ID`: the case with its clocks.
Command CaseCommand();

// `claim [--queue=UUID]`: the most urgent unassigned case of the caller's queues, now theirs.
Command ClaimCommand();

// `transition CASE_ID --to=STATE --version=N [--motive=...] [--motive-code=...]
//  [--message=...] [--note=...]`.
Command TransitionCommand();

// `respond CASE_ID --version=N (--text=... | --template=UUID [--value-NAME=VALUE ...])
//  [--validate-only]`.
Command RespondCommand();

// `deadlines CASE_ID`: how each clock's due date was computed.
Command DeadlinesCommand();

// `note CASE_ID --text=... [--public]`: an internal note, or a message to the citizen.
Command NoteCommand();

// `transfer CASE_ID --version=N --to=ADMINISTRATION --motive=... [--queue=UUID]
//  [--message=...]`: forwards the case to the competent administration.
Command TransferCommand();

}  // namespace doleances::cli
