// Citizen-facing tracking codes: the credential a citizen uses to follow their file.
//
// Shape (intake_service.proto, Complaint.tracking_code): 13 random Crockford base32 symbols
// (65 bits from OpenSSL's CSPRNG) followed by one check symbol, shown as "XXXX-XXXX-XXXX-XX",
// e.g. "K7QM-4XPA-9RT2-CX". The check symbol catches every single-symbol typo and every swap of
// two neighbouring symbols (see tracking_code.cc for the proof).
//
// A tracking code is a credential: never log it, never put it in an event or a status message.
#pragma once

#include <absl/status/statusor.h>
#include <absl/strings/string_view.h>

#include <string>

namespace doleances::intake {

// Random bits in a tracking code (13 symbols of 5 bits); the contract asks for at least 60.
inline constexpr int kTrackingCodeRandomBits = 65;
// Length of the display form, dashes included: "XXXX-XXXX-XXXX-XX".
inline constexpr int kTrackingCodeDisplayLength = 17;

// Returns a fresh tracking code in display form. Uniqueness is probabilistic (65 random bits);
// the store's unique index is the guarantee, so the caller retries on a collision. Aborts the
// process if the CSPRNG fails, rather than ever returning a guessable code.
std::string NewTrackingCode();

// Returns the display form of a tracking code as a citizen may type it: case-insensitive,
// spaces and dashes anywhere or nowhere, Crockford's aliases accepted (O for 0, I and L for 1).
// INVALID_ARGUMENT naming field "tracking_code" for a wrong length, a character outside the
// alphabet or a failed check symbol; the message never echoes the input.
absl::StatusOr<std::string> NormalizeTrackingCode(absl::string_view input);

}  // namespace doleances::intake
