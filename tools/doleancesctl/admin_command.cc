#include "tools/doleancesctl/admin_command.h"

#include "common/auth/doleances_auth_migrations.h"
#include "common/auth/principal_store.h"
#include "common/db/connection_pool.h"
#include "common/db/migrations.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_split.h>

#include <optional>

namespace doleances::cli {
namespace {

absl::Status RunPrincipal(const Invocation& invocation, auth::PrincipalStore& store,
                          std::ostream& out) {
  auth::Principal principal;
  principal.id = invocation.words[2];
  for (absl::string_view name :
       absl::StrSplit(invocation.Option("roles", "", ""), ',', absl::SkipEmpty())) {
    absl::StatusOr<auth::Role> role = auth::ParseRole(name);
    if (!role.ok()) {
      return role.status();
    }
    principal.roles.push_back(*role);
  }
  principal.administrations =
      absl::StrSplit(invocation.Option("administrations", "", ""), ',', absl::SkipEmpty());
  const std::string certificate = invocation.Option("certificate", "", "");
  absl::Status status = store.UpsertPrincipal(
      principal, certificate.empty() ? std::nullopt : std::optional<std::string>(certificate));
  if (status.ok()) {
    out << "principal " << principal.id << " saved\n";
  }
  return status;
}

absl::Status RunIssueKey(const Invocation& invocation, auth::PrincipalStore& store,
                         std::ostream& out) {
  std::optional<absl::Duration> valid_for;
  const std::string days = invocation.Option("valid-days", "", "");
  if (!days.empty()) {
    int parsed = 0;
    if (!absl::SimpleAtoi(days, &parsed) || parsed <= 0) {
      return absl::InvalidArgumentError("--valid-days must be a positive number");
    }
    valid_for = absl::Hours(24 * parsed);
  }
  absl::StatusOr<auth::ApiKey> key = store.IssueApiKey(invocation.words[2], valid_for);
  if (!key.ok()) {
    return key.status();
  }
  out << auth::FormatApiKey(*key) << "\n";
  return absl::OkStatus();
}

int Run(const Invocation& invocation, std::ostream& out) {
  if (invocation.words.size() != 3) {
    out << "usage: doleancesctl " << AdminCommand().usage << "\n";
    return 2;
  }
  const std::string url = invocation.Option("database-url", "DOLEANCES_DATABASE_URL", "");
  absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool = db::ConnectionPool::Create(
      {.url = url, .size = 1, .prepare_hooks = {&auth::PrincipalStore::PrepareStatements}});
  absl::Status status = pool.status();
  if (status.ok()) {
    status = db::ApplyMigrations(**pool, auth::AuthMigrations());
  }
  if (status.ok()) {
    auth::PrincipalStore store(**pool);
    const std::string& verb = invocation.words[1];
    if (verb == "principal") {
      status = RunPrincipal(invocation, store, out);
    } else if (verb == "issue-key") {
      status = RunIssueKey(invocation, store, out);
    } else if (verb == "revoke-key") {
      status = store.RevokeApiKey(invocation.words[2]);
    } else {
      status = absl::InvalidArgumentError("unknown admin command " + verb);
    }
  }
  if (!status.ok()) {
    out << "error: " << status.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

Command AdminCommand() {
  return {
      "admin principal ID --roles=a,b --administrations=x,y [--certificate=CN] | "
      "admin issue-key PRINCIPAL_ID [--valid-days=N] | admin revoke-key KEY_ID",
      &Run};
}

}  // namespace doleances::cli
