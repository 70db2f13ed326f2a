#pragma once

#include "services/intake/pg_complaint_store.h"

#include <absl/status/statusor.h>
#include <pqxx/connection>
#include <pqxx/transaction_base>

#include <vector>

// Internal to PgComplaintStore: how a batch of submissions is written (decision 0007).
namespace doleances::intake::pg {

using Submission = PgComplaintStore::Submission;
using SubmitResults = std::vector<absl::StatusOr<SubmitResult>>;

// Prepares the statements of the submission paths below.
void PrepareSubmitStatements(pqxx::connection& connection);

// Submits `items` within `tx` with set-based statements: a few round trips whatever the batch
// size (claim the keys, insert the complaints, append their events; more only for replays and
// conflicts). Per-item outcomes as PgComplaintStore::SubmitBatch documents, plus ABORTED for an
// item whose key or external reference it shares with an earlier item of the batch that was
// refused (submitting it again decides it alone). Keys and external references are written in
// sorted order, so concurrent batches cannot deadlock on each other. Throws what libpqxx throws
// when a statement fails (a row the database refuses fails the whole statement): the caller then
// rolls back and uses SubmitOneInTransaction per item.
absl::StatusOr<SubmitResults> SubmitSetInTransaction(pqxx::transaction_base& tx,
                                                     const std::vector<Submission>& items);

// Submits one item within `tx`, statement by statement: the path for a batch that a set-based
// statement refused, each item in its own savepoint. Outcomes as for SubmitSetInTransaction.
absl::StatusOr<SubmitResult> SubmitOneInTransaction(pqxx::transaction_base& tx,
                                                    const Submission& item);

}  // namespace doleances::intake::pg
