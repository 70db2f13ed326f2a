#include "tools/doleancesctl/mediation_commands.h"

#include "doleances/mediation/v1/mediation_service.grpc.pb.h"

#include <absl/strings/ascii.h>
#include <absl/strings/numbers.h>
#include <absl/time/time.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <optional>

namespace doleances::cli {
namespace {

using mediation::v1::MediationService;

constexpr char kUsage[] = "mediation open|get|list|assign|schedule|propose|close ...";

constexpr char kSubcommandUsage[] =
    "  mediation open --complaint=UUID --case=UUID --administration=UUID --summary=TEXT\n"
    "      [--kind=DEMANDE_MEDIATION] [--requested-by=CITIZEN] [--category=CODE]\n"
    "      [--commune=INSEE] [--disputed-department=UUID] [--request-time=RFC3339]\n"
    "  mediation get MEDIATION_ID\n"
    "  mediation list [--administration=UUID] [--mediator=UUID] [--state=STATE]\n"
    "      [--complaint=UUID] [--unassigned] [--page-size=N] [--page-token=T]\n"
    "  mediation assign MEDIATION_ID [--mediator=UUID --motive=TEXT] [--version=N]\n"
    "  mediation schedule MEDIATION_ID --start=RFC3339 (--place=ADDRESS | --video=URL)\n"
    "      [--duration-minutes=60] [--time-zone=Europe/Paris] [--request-id=KEY]\n"
    "  mediation propose MEDIATION_ID --terms=TEXT --deadline=RFC3339 [--version=N]\n"
    "  mediation close MEDIATION_ID --outcome=OUTCOME [--terms=TEXT] [--referral-body=BODY\n"
    "      --referral-name=NAME --referral-reference=REF] [--summary=TEXT] [--version=N]\n";

std::unique_ptr<MediationService::Stub> MediationStub(const Invocation& invocation) {
  return MediationService::NewStub(
      OpenChannel(invocation, ServiceAddress(invocation, "mediation")));
}

std::string Text(const Invocation& invocation, const std::string& name) {
  return invocation.Option(name, "", "");
}

// `--name=VALUE` as the enum value PREFIX_VALUE, e.g. --outcome=agreement as
// MEDIATION_OUTCOME_AGREEMENT; UNSPECIFIED (0) when absent or unknown, which the service refuses
// naming the field.
template <typename Enum>
Enum EnumOption(const Invocation& invocation, const std::string& name, const std::string& prefix,
                Enum fallback = static_cast<Enum>(0)) {
  const std::string value = absl::AsciiStrToUpper(Text(invocation, name));
  if (value.empty()) {
    return fallback;
  }
  const google::protobuf::EnumValueDescriptor* found =
      google::protobuf::GetEnumDescriptor<Enum>()->FindValueByName(prefix + value);
  return found == nullptr ? static_cast<Enum>(0) : static_cast<Enum>(found->number());
}

// `--name=RFC3339` into `out`; false (after saying why) when absent or malformed.
bool TimeOption(const Invocation& invocation, const std::string& name,
                google::protobuf::Timestamp* out, std::ostream& err) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, Text(invocation, name), &time, &error)) {
    err << "--" << name << " must be an RFC 3339 instant, e.g. 2025-03-14T09:30:00+01:00\n";
    return false;
  }
  out->set_seconds(absl::ToUnixSeconds(time));
  out->set_nanos(
      static_cast<int32_t>((time - absl::FromUnixSeconds(out->seconds())) / absl::Nanoseconds(1)));
  return true;
}

// The mediation id of `mediation SUBCOMMAND MEDIATION_ID`, or nullopt after printing usage.
std::optional<std::string> MediationId(const Invocation& invocation, std::ostream& out) {
  if (invocation.words.size() != 3) {
    out << "usage: doleancesctl mediation " << invocation.words[1] << " MEDIATION_ID [options]\n";
    return std::nullopt;
  }
  return invocation.words[2];
}

int RunOpen(const Invocation& invocation, std::ostream& out) {
  mediation::v1::OpenMediationRequest request;
  request.set_complaint_id(Text(invocation, "complaint"));
  request.set_case_id(Text(invocation, "case"));
  request.set_administration_id(Text(invocation, "administration"));
  request.set_kind(EnumOption(invocation, "kind", "COMPLAINT_KIND_",
                              type::v1::COMPLAINT_KIND_DEMANDE_MEDIATION));
  request.set_category(Text(invocation, "category"));
  request.mutable_territory()->set_commune_code(Text(invocation, "commune"));
  request.set_requested_by(EnumOption(invocation, "requested-by", "MEDIATION_PARTY_",
                                      type::v1::MEDIATION_PARTY_CITIZEN));
  request.set_case_summary(Text(invocation, "summary"));
  request.set_disputed_department_id(Text(invocation, "disputed-department"));
  if (!Text(invocation, "request-time").empty() &&
      !TimeOption(invocation, "request-time", request.mutable_request_time(), out)) {
    return 2;
  }
  mediation::v1::OpenMediationResponse response;
  return Report(
      MediationStub(invocation)->OpenMediation(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunGet(const Invocation& invocation, std::ostream& out) {
  const std::optional<std::string> id = MediationId(invocation, out);
  if (!id.has_value()) {
    return 2;
  }
  mediation::v1::GetMediationRequest request;
  request.set_mediation_id(*id);
  mediation::v1::GetMediationResponse response;
  return Report(
      MediationStub(invocation)->GetMediation(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunList(const Invocation& invocation, std::ostream& out) {
  mediation::v1::ListMediationsRequest request;
  request.set_administration_id(Text(invocation, "administration"));
  request.set_mediator_id(Text(invocation, "mediator"));
  if (!Text(invocation, "state").empty()) {
    request.add_states(
        EnumOption<mediation::v1::MediationState>(invocation, "state", "MEDIATION_STATE_"));
  }
  request.set_complaint_id(Text(invocation, "complaint"));
  request.set_unassigned_only(Text(invocation, "unassigned") == "true");
  request.set_page_size(static_cast<int32_t>(IntOption(invocation, "page-size", 0)));
  request.set_page_token(Text(invocation, "page-token"));
  mediation::v1::ListMediationsResponse response;
  return Report(
      MediationStub(invocation)->ListMediations(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunAssign(const Invocation& invocation, std::ostream& out) {
  const std::optional<std::string> id = MediationId(invocation, out);
  if (!id.has_value()) {
    return 2;
  }
  mediation::v1::AssignMediatorRequest request;
  request.set_mediation_id(*id);
  request.set_expected_version(IntOption(invocation, "version", 0));
  request.set_mediator_id(Text(invocation, "mediator"));
  request.set_motive(Text(invocation, "motive"));
  mediation::v1::AssignMediatorResponse response;
  return Report(
      MediationStub(invocation)->AssignMediator(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunSchedule(const Invocation& invocation, std::ostream& out) {
  const std::optional<std::string> id = MediationId(invocation, out);
  if (!id.has_value()) {
    return 2;
  }
  mediation::v1::ScheduleSessionRequest request;
  request.set_mediation_id(*id);
  request.set_request_id(Text(invocation, "request-id"));
  mediation::v1::Session* session = request.mutable_session();
  if (!TimeOption(invocation, "start", session->mutable_start_time(), out)) {
    return 2;
  }
  session->set_time_zone(invocation.Option("time-zone", "", "Europe/Paris"));
  session->mutable_duration()->set_seconds(IntOption(invocation, "duration-minutes", 60) * 60);
  if (const std::string video = Text(invocation, "video"); !video.empty()) {
    session->set_video_link(video);
  } else {
    session->set_place_address(Text(invocation, "place"));
  }
  for (type::v1::MediationParty party :
       {type::v1::MEDIATION_PARTY_CITIZEN, type::v1::MEDIATION_PARTY_ADMINISTRATION}) {
    mediation::v1::Participant* participant = session->add_participants();
    participant->set_party(party);
    participant->set_role(mediation::v1::PARTICIPANT_ROLE_PARTY);
  }
  mediation::v1::ScheduleSessionResponse response;
  return Report(
      MediationStub(invocation)->ScheduleSession(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunPropose(const Invocation& invocation, std::ostream& out) {
  const std::optional<std::string> id = MediationId(invocation, out);
  if (!id.has_value()) {
    return 2;
  }
  mediation::v1::RecordProposalRequest request;
  request.set_mediation_id(*id);
  request.set_expected_version(IntOption(invocation, "version", 0));
  request.set_terms(Text(invocation, "terms"));
  if (!TimeOption(invocation, "deadline", request.mutable_acceptance_deadline(), out)) {
    return 2;
  }
  mediation::v1::RecordProposalResponse response;
  return Report(
      MediationStub(invocation)->RecordProposal(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunClose(const Invocation& invocation, std::ostream& out) {
  const std::optional<std::string> id = MediationId(invocation, out);
  if (!id.has_value()) {
    return 2;
  }
  mediation::v1::CloseMediationRequest request;
  request.set_mediation_id(*id);
  request.set_expected_version(IntOption(invocation, "version", 0));
  request.set_outcome(
      EnumOption<type::v1::MediationOutcome>(invocation, "outcome", "MEDIATION_OUTCOME_"));
  request.set_agreement_terms(Text(invocation, "terms"));
  if (!Text(invocation, "referral-body").empty()) {
    type::v1::Referral* referral = request.mutable_referral();
    referral->set_body(
        EnumOption<type::v1::ReferralBody>(invocation, "referral-body", "REFERRAL_BODY_"));
    referral->set_body_name(Text(invocation, "referral-name"));
    referral->set_reference(Text(invocation, "referral-reference"));
  }
  request.set_closing_summary(Text(invocation, "summary"));
  mediation::v1::CloseMediationResponse response;
  return Report(
      MediationStub(invocation)->CloseMediation(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunMediation(const Invocation& invocation, std::ostream& out) {
  static const auto* const subcommands =
      new std::map<std::string, std::function<int(const Invocation&, std::ostream&)>>{
          {"open", &RunOpen},     {"get", &RunGet},           {"list", &RunList},
          {"assign", &RunAssign}, {"schedule", &RunSchedule}, {"propose", &RunPropose},
          {"close", &RunClose},
      };
  const auto subcommand =
      invocation.words.size() < 2 ? subcommands->end() : subcommands->find(invocation.words[1]);
  if (subcommand == subcommands->end()) {
    out << "usage: doleancesctl " << kUsage << "\n" << kSubcommandUsage;
    return 2;
  }
  return subcommand->second(invocation, out);
}

}  // namespace

Command MediationCommand() { return {kUsage, &RunMediation}; }

}  // namespace doleances::cli
