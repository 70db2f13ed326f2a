#pragma once

#include "tools/doleancesctl/cli.h"

namespace doleances::cli {

// `mediation SUBCOMMAND ...`: drives MediationService (--mediation=host:port,
// DOLEANCES_MEDIATION_ADDRESS). Each subcommand prints the response as JSON:
//   open --complaint=UUID --case=UUID --administration=UUID --summary=TEXT
//        [--kind=DEMANDE_MEDIATION] [--requested-by=CITIZEN] [--category=CODE]
//        [--commune=INSEE] [--disputed-department=UUID] [--request-time=RFC3339]
//   get MEDIATION_ID
//   list [--administration=UUID] [--mediator=UUID] [--state=IN_PROGRESS] [--complaint=UUID]
//        [--unassigned] [--page-size=N] [--page-token=T]
//   assign MEDIATION_ID [--mediator=UUID --motive=TEXT] [--version=N]
//   schedule MEDIATION_ID --start=RFC3339 (--place=ADDRESS | --video=URL)
//        [--duration-minutes=60] [--time-zone=Europe/Paris] [--request-id=KEY]
//   propose MEDIATION_ID --terms=TEXT --deadline=RFC3339 [--version=N]
//   close MEDIATION_ID --outcome=AGREEMENT|NO_AGREEMENT|REFERRED|INADMISSIBLE [--terms=TEXT]
//        [--referral-body=DEFENSEUR_DES_DROITS] [--referral-name=NAME]
//        [--referral-reference=REF] [--summary=TEXT] [--version=N]
// A session convenes one party of each side; enum values are given without their prefix.
Command MediationCommand();

}  // namespace doleances::cli
