#include "tools/doleancesctl/intake_commands.h"

#include "doleances/intake/v1/intake_service.grpc.pb.h"

#include <absl/strings/numbers.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <openssl/rand.h>

#include <array>
#include <fstream>
#include <functional>
#include <sstream>

namespace doleances::cli {
namespace {

using intake::v1::IntakeService;

std::unique_ptr<IntakeService::Stub> IntakeStub(const Invocation& invocation) {
  return IntakeService::NewStub(OpenChannel(invocation, ServiceAddress(invocation, "intake")));
}

std::string RandomKey() {
  std::array<unsigned char, 16> bytes;
  RAND_bytes(bytes.data(), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key;
  for (unsigned char byte : bytes) {
    key += kHex[byte >> 4];
    key += kHex[byte & 15];
  }
  return key;
}

int RunSubmit(const Invocation& invocation, std::ostream& out) {
  intake::v1::SubmitComplaintRequest request;
  const std::string file = invocation.Option("file", "", "");
  if (!file.empty()) {
    std::ifstream input(file);
    std::stringstream json;
    json << input.rdbuf();
    if (!google::protobuf::util::JsonStringToMessage(json.str(), &request).ok()) {
      out << "error: " << file << " is not a SubmitComplaintRequest in proto JSON\n";
      return 2;
    }
  } else {
    intake::v1::Complaint* complaint = request.mutable_complaint();
    complaint->set_administration_id(invocation.Option("administration", "", ""));
    type::v1::ComplaintKind kind = type::v1::COMPLAINT_KIND_UNSPECIFIED;
    type::v1::ComplaintKind_Parse("COMPLAINT_KIND_" + invocation.Option("kind", "", "RECLAMATION"),
                                  &kind);
    complaint->set_kind(kind);
    type::v1::Channel channel = type::v1::CHANNEL_UNSPECIFIED;
    type::v1::Channel_Parse("CHANNEL_" + invocation.Option("channel", "", "API"), &channel);
    complaint->set_channel(channel);
    complaint->set_subject(invocation.Option("subject", "", ""));
    complaint->set_description(invocation.Option("description", "", ""));
    complaint->set_category_hint(invocation.Option("category", "", ""));
    complaint->mutable_territory()->set_commune_code(invocation.Option("commune", "", ""));
  }
  if (request.idempotency_key().empty()) {
    // A fresh key makes this one submission; pass --idempotency-key to retry it safely.
    request.set_idempotency_key(invocation.Option("idempotency-key", "", RandomKey()));
  }
  intake::v1::SubmitComplaintResponse response;
  return Report(
      IntakeStub(invocation)->SubmitComplaint(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunGet(const Invocation& invocation, std::ostream& out) {
  if (invocation.words.size() != 2) {
    out << "usage: doleancesctl " << GetCommand().usage << "\n";
    return 2;
  }
  intake::v1::GetComplaintRequest request;
  request.set_complaint_id(invocation.words[1]);
  intake::v1::GetComplaintResponse response;
  return Report(
      IntakeStub(invocation)->GetComplaint(CallContext(invocation).get(), request, &response),
      response, out);
}

int RunTrack(const Invocation& invocation, std::ostream& out) {
  if (invocation.words.size() != 2) {
    out << "usage: doleancesctl " << TrackCommand().usage << "\n";
    return 2;
  }
  intake::v1::TrackComplaintRequest request;
  request.set_tracking_code(invocation.words[1]);
  intake::v1::TrackComplaintResponse response;
  return Report(
      IntakeStub(invocation)->TrackComplaint(CallContext(invocation).get(), request, &response),
      response, out);
}

// Runs `body` when the invocation has exactly one word after the command, else prints usage.
int WithCode(const Invocation& invocation, std::ostream& out, const Command& command,
             const std::function<int(const std::string& code)>& body) {
  if (invocation.words.size() != 2) {
    out << "usage: doleancesctl " << command.usage << "\n";
    return 2;
  }
  return body(invocation.words[1]);
}

int RunWatch(const Invocation& invocation, std::ostream& out) {
  return WithCode(invocation, out, WatchCommand(), [&](const std::string& code) {
    intake::v1::WatchComplaintRequest request;
    request.set_tracking_code(code);
    int64_t after = 0;
    (void)absl::SimpleAtoi(invocation.Option("after-version", "", "0"), &after);
    request.set_after_version(after);
    grpc::ClientContext context;  // No deadline: a watch lasts until interrupted.
    const std::string key = invocation.Option("api-key", "DOLEANCES_API_KEY", "");
    if (!key.empty()) {
      context.AddMetadata("authorization", "Bearer " + key);
    }
    auto stream = IntakeStub(invocation)->WatchComplaint(&context, request);
    intake::v1::WatchComplaintResponse change;
    while (stream->Read(&change)) {
      Report(grpc::Status::OK, change, out);
      out.flush();
    }
    return Report(stream->Finish(), change, out);
  });
}

int RunFeedback(const Invocation& invocation, std::ostream& out) {
  return WithCode(invocation, out, FeedbackCommand(), [&](const std::string& code) {
    intake::v1::SubmitFeedbackRequest request;
    request.set_tracking_code(code);
    int satisfaction = 0;
    (void)absl::SimpleAtoi(invocation.Option("satisfaction", "", "0"), &satisfaction);
    request.set_satisfaction(satisfaction);
    const std::string solved = invocation.Option("solved", "", "");
    if (!solved.empty()) {
      request.set_problem_solved(solved == "true");
    }
    request.set_comment(invocation.Option("comment", "", ""));
    intake::v1::SubmitFeedbackResponse response;
    return Report(
        IntakeStub(invocation)->SubmitFeedback(CallContext(invocation).get(), request, &response),
        response, out);
  });
}

int RunWithdraw(const Invocation& invocation, std::ostream& out) {
  return WithCode(invocation, out, WithdrawCommand(), [&](const std::string& code) {
    intake::v1::WithdrawComplaintRequest request;
    request.set_tracking_code(code);
    request.set_reason(invocation.Option("reason", "", ""));
    intake::v1::WithdrawComplaintResponse response;
    return Report(IntakeStub(invocation)
                      ->WithdrawComplaint(CallContext(invocation).get(), request, &response),
                  response, out);
  });
}

int RunMessage(const Invocation& invocation, std::ostream& out) {
  return WithCode(invocation, out, MessageCommand(), [&](const std::string& code) {
    intake::v1::AddCitizenMessageRequest request;
    request.set_tracking_code(code);
    request.set_text(invocation.Option("text", "", ""));
    request.set_idempotency_key(invocation.Option("idempotency-key", "", ""));
    intake::v1::AddCitizenMessageResponse response;
    return Report(IntakeStub(invocation)
                      ->AddCitizenMessage(CallContext(invocation).get(), request, &response),
                  response, out);
  });
}

}  // namespace

Command WatchCommand() { return {"watch TRACKING_CODE [--after-version=N]", &RunWatch}; }

Command FeedbackCommand() {
  return {"feedback TRACKING_CODE --satisfaction=1..5 [--solved=true|false] [--comment=...]",
          &RunFeedback};
}

Command WithdrawCommand() { return {"withdraw TRACKING_CODE [--reason=...]", &RunWithdraw}; }

Command MessageCommand() {
  return {"message TRACKING_CODE --text=... [--idempotency-key=K]", &RunMessage};
}

Command SubmitCommand() {
  return {
      "submit --file=request.json | submit --administration=UUID --kind=RECLAMATION "
      "--subject=... --description=... [--channel=API] [--commune=CODE] "
      "[--idempotency-key=K]",
      &RunSubmit};
}

Command GetCommand() { return {"get COMPLAINT_ID", &RunGet}; }

Command TrackCommand() { return {"track TRACKING_CODE", &RunTrack}; }

}  // namespace doleances::cli
