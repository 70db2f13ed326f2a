// intake_load: closed-loop load on IntakeService, single or bulk submissions, from N threads.
//   intake_load --intake=127.0.0.1:50051 --api-key=KEY --administration=UUID
//               [--mode=single|bulk] [--complaints=2000] [--concurrency=8] [--batch=100]
// Prints one JSON line: complaints/s, calls, and per-call latency percentiles in ms.
#include "doleances/intake/v1/intake_service.grpc.pb.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using doleances::intake::v1::IntakeService;

// Varied, French-looking complaints of about 1-2 KB, like what a portal forwards.
doleances::intake::v1::SubmitComplaintRequest MakeRequest(const std::string& administration,
                                                          const std::string& run, int64_t n) {
  static const char* const kSubjects[] = {"Nid de poule", "Éclairage public en panne",
                                          "Dépôt sauvage", "Retard de versement",
                                          "Refus de permis contesté"};
  static const char* const kCommunes[] = {"69123", "75056", "13055", "31555", "33063"};
  static const char* const kSentences[] = {
      "Le problème persiste depuis plusieurs semaines malgré deux signalements. ",
      "Les riverains ont constaté une dégradation importante de la situation. ",
      "Je demande une intervention rapide des services compétents. ",
      "Vous trouverez ci-joint les photographies prises sur place. "};
  doleances::intake::v1::SubmitComplaintRequest request;
  request.set_idempotency_key(absl::StrCat(run, "-", n));
  auto* complaint = request.mutable_complaint();
  complaint->set_administration_id(administration);
  complaint->set_kind(doleances::type::v1::COMPLAINT_KIND_SIGNALEMENT);
  complaint->set_channel(doleances::type::v1::CHANNEL_API);
  complaint->set_subject(kSubjects[n % 5]);
  std::string description;
  for (int i = 0; i < 24; ++i) {
    description += kSentences[(n + i) % 4];
  }
  complaint->set_description(description);
  complaint->set_category_hint("voirie");
  complaint->mutable_territory()->set_commune_code(kCommunes[n % 5]);
  complaint->set_external_reference(absl::StrCat("LOAD-", run, "-", n));
  return request;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> options = {{"intake", "127.0.0.1:50051"},
                                                {"mode", "single"},
                                                {"complaints", "2000"},
                                                {"concurrency", "8"},
                                                {"batch", "100"}};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const size_t equals = arg.find('=');
    if (arg.rfind("--", 0) != 0 || equals == std::string::npos) {
      std::cerr << "usage: intake_load --name=value ...\n";
      return 2;
    }
    options[arg.substr(2, equals - 2)] = arg.substr(equals + 1);
  }
  int complaints = 0, concurrency = 0, batch = 0;
  if (!absl::SimpleAtoi(options["complaints"], &complaints) ||
      !absl::SimpleAtoi(options["concurrency"], &concurrency) ||
      !absl::SimpleAtoi(options["batch"], &batch) || concurrency < 1 || batch < 1) {
    std::cerr << "complaints, concurrency and batch must be positive numbers\n";
    return 2;
  }
  const bool bulk = options["mode"] == "bulk";
  const int per_call = bulk ? batch : 1;
  const std::string run = absl::StrCat(absl::ToUnixMicros(absl::Now()));
  auto channel = grpc::CreateChannel(options["intake"], grpc::InsecureChannelCredentials());
  auto stub = IntakeService::NewStub(channel);

  std::atomic<int64_t> next{0};
  std::atomic<int64_t> failures{0};
  std::mutex mutex;
  std::vector<double> latencies_ms;
  const absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int w = 0; w < concurrency; ++w) {
    workers.emplace_back([&] {
      std::vector<double> mine;
      while (true) {
        const int64_t first = next.fetch_add(per_call);
        if (first >= complaints) {
          break;
        }
        const int64_t last = std::min<int64_t>(first + per_call, complaints);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        context.AddMetadata("authorization", "Bearer " + options["api-key"]);
        const absl::Time sent = absl::Now();
        grpc::Status status;
        if (bulk) {
          doleances::intake::v1::SubmitComplaintsRequest request;
          for (int64_t n = first; n < last; ++n) {
            *request.add_requests() = MakeRequest(options["administration"], run, n);
          }
          doleances::intake::v1::SubmitComplaintsResponse response;
          status = stub->SubmitComplaints(&context, request, &response);
          for (const auto& result : response.results()) {
            failures += result.has_error() ? 1 : 0;
          }
        } else {
          doleances::intake::v1::SubmitComplaintResponse response;
          status = stub->SubmitComplaint(
              &context, MakeRequest(options["administration"], run, first), &response);
        }
        if (!status.ok()) {
          failures += last - first;
          std::cerr << "call failed: " << status.error_message() << "\n";
        }
        mine.push_back(absl::ToDoubleMilliseconds(absl::Now() - sent));
      }
      std::lock_guard<std::mutex> lock(mutex);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (std::thread& worker : workers) {
    worker.join();
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto percentile = [&](double p) {
    return latencies_ms.empty()
               ? 0.0
               : latencies_ms[std::min(latencies_ms.size() - 1,
                                       static_cast<size_t>(p * latencies_ms.size()))];
  };
  std::cout << "{\"mode\":\"" << options["mode"] << "\",\"complaints\":" << complaints
            << ",\"concurrency\":" << concurrency << ",\"per_call\":" << per_call
            << ",\"failures\":" << failures.load() << ",\"seconds\":" << seconds
            << ",\"complaints_per_second\":" << complaints / seconds
            << ",\"call_ms_p50\":" << percentile(0.5) << ",\"call_ms_p99\":" << percentile(0.99)
            << "}" << std::endl;
  return failures.load() == 0 ? 0 : 1;
}
