#pragma once

#include "tools/doleancesctl/cli.h"

namespace doleances::cli {

// `submit --file=request.json` (a SubmitComplaintRequest in proto JSON) or
// `submit --administration=UUID --kind=RECLAMATION --channel=API --subject=... --description=...
//  [--commune=69123] [--idempotency-key=K]`: submits one complaint, prints the acknowledgement.
Command SubmitCommand();

// `get COMPLAINT_ID`: prints the complaint as JSON.
Command GetCommand();

// `track TRACKING_CODE`: the citizen's view of a file (no API key needed).
Command TrackCommand();

// `watch TRACKING_CODE [--after-version=N]`: prints each change of the file as it happens, until
// interrupted or the server drains.
Command WatchCommand();

// `feedback TRACKING_CODE --satisfaction=1..5 [--solved=true|false] [--comment=...]`.
Command FeedbackCommand();

// `withdraw TRACKING_CODE [--reason=...]`.
Command WithdrawCommand();

// `message TRACKING_CODE --text=... [--idempotency-key=K]`: the citizen's answer.
Command MessageCommand();

}  // namespace doleances::cli
