#pragma once

#include "tools/doleancesctl/cli.h"

namespace doleances::cli {

// Routing rules of an administration (workflow, with an admin's API key):
//   rules list --administration=UUID [--all]                 by precedence, with the default queue
//   rules create --file=rule.json                            a RoutingRule in proto JSON
//   rules update --file=rule.json [--mask=a,b]               with routing_rule_id and version
//   rules disable|enable RULE_ID [--version=N]
//   rules default-queue --administration=UUID --queue=UUID
//   rules preview --administration=UUID --kind=SIGNALEMENT [--category=C] [--commune=INSEE]
//                 [--department=CODE] [--priority=HIGH] [--subject=S] [--description=D]
//                                                            where it would go, and why
//   rules preview --administration=UUID --complaint=UUID      the same for a stored complaint
Command RulesCommand();

}  // namespace doleances::cli
