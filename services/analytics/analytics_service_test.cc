// AnalyticsService over real PostgreSQL and a real gRPC port: events go through the real consumer
// and handler, answers through the real service.
#include "common/status/grpc_status.h"
#include "common/testing/status_matchers.h"
#include "common/util/proto_time.h"
#include "services/analytics/analytics_testing.h"

#include <absl/strings/str_cat.h>
#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

namespace doleances::analytics {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using type::v1::CaseState;

class AnalyticsServiceTest : public testing::AnalyticsTestEnvironment {
 protected:
  absl::Time Day(int month, int day, int hour = 9) const {
    return absl::FromCivil(absl::CivilSecond(2026, month, day, hour, 0, 0), paris_);
  }

  v1::KpiQuery Query(absl::Time start, absl::Time end) const {
    v1::KpiQuery query;
    query.add_administration_ids(kLyon);
    *query.mutable_time_range()->mutable_start_time() = util::ToTimestamp(start);
    *query.mutable_time_range()->mutable_end_time() = util::ToTimestamp(end);
    return query;
  }

  grpc::Status GetKpis(const std::string& key, const v1::KpiQuery& query,
                       v1::GetKpisResponse* response) {
    v1::GetKpisRequest request;
    *request.mutable_query() = query;
    return stub_->GetKpis(Context(key).get(), request, response);
  }

  // Six complaints received on Monday 2 March at 9:00 in Lyon: five answered after 2, 4, 6, 8
  // and 10 hours of the administration's time (the third also waited 24 h on the citizen) and
  // closed two hours later, one open.
  void PublishMarchHistories() {
    const testing::EventFactory lyon(kLyon);
    std::vector<events::v1::Event> events;
    const absl::Time received = Day(3, 2);
    for (int i = 0; i < 6; ++i) {
      const std::string id = absl::StrCat("00000000-0000-4000-8000-00000000000", i);
      events.push_back(lyon.Received(id, received));
      events.push_back(
          lyon.Routed(id, received + absl::Minutes(10), "voirie", "dept-roads", {"nid de poule"}));
      if (i == 5) {
        continue;
      }
      absl::Duration wait = absl::ZeroDuration();
      if (i == 2) {
        wait = absl::Hours(24);
        events.push_back(lyon.Transitioned(id, received + absl::Hours(1),
                                           type::v1::CASE_STATE_IN_PROGRESS,
                                           type::v1::CASE_STATE_AWAITING_CITIZEN));
        events.push_back(lyon.Transitioned(id, received + absl::Hours(25),
                                           type::v1::CASE_STATE_AWAITING_CITIZEN,
                                           type::v1::CASE_STATE_IN_PROGRESS));
      }
      const absl::Time answered = received + absl::Hours(2 * (i + 1)) + wait;
      events.push_back(lyon.Responded(id, answered));
      events.push_back(
          lyon.ClockStopped(id, answered, type::v1::CLOCK_KIND_FIRST_RESPONSE,
                            i < 3 ? type::v1::CLOCK_STATE_MET : type::v1::CLOCK_STATE_MISSED));
      events.push_back(
          lyon.Feedback(id, answered + absl::Hours(1), std::vector{5, 4, 4, 2, 1}[i], i < 3));
      events.push_back(lyon.Transitioned(id, answered + absl::Hours(2),
                                         type::v1::CASE_STATE_RESPONDED,
                                         type::v1::CASE_STATE_CLOSED));
    }
    Publish(events);
    // Redelivery of every event: nothing may count twice.
    Publish(events);
    Drain();
  }
};

double Hours(const google::protobuf::Duration& duration) {
  return TimeUtil::DurationToSeconds(duration) / 3600.0;
}

TEST_F(AnalyticsServiceTest, GetKpisGivesExactNumbersForHandMadeHistories) {
  PublishMarchHistories();
  v1::GetKpisResponse response;
  ASSERT_TRUE(GetKpis(analyst_key_, Query(Day(3, 1, 0), Day(4, 1, 0)), &response).ok());
  ASSERT_EQ(response.rows_size(), 1);
  EXPECT_EQ(response.min_group_size(), 5);
  const v1::KpiRow& row = response.rows(0);
  EXPECT_FALSE(row.suppressed());
  EXPECT_EQ(row.volumes().received(), 6);
  EXPECT_EQ(row.volumes().routed(), 6);
  EXPECT_EQ(row.volumes().responded(), 5);
  EXPECT_EQ(row.volumes().closed(), 5);
  EXPECT_DOUBLE_EQ(row.resolution_rate(), 5.0 / 6);

  const v1::ClockDelay* first_response = nullptr;
  for (const v1::ClockDelay& delay : row.delays()) {
    if (delay.clock() == type::v1::CLOCK_KIND_FIRST_RESPONSE) {
      first_response = &delay;
    }
  }
  ASSERT_NE(first_response, nullptr);
  EXPECT_EQ(first_response->summary().sample_count(), 5);
  // Administration's time 2, 4, 6, 8, 10 h (the 24 h wait excluded): median 6 h, p90 10 h.
  EXPECT_NEAR(Hours(first_response->summary().median()), 6, 0.06);
  EXPECT_NEAR(Hours(first_response->summary().p90()), 10, 0.1);
  EXPECT_EQ(row.citizen_wait().sample_count(), 1);
  EXPECT_NEAR(Hours(row.citizen_wait().median()), 24, 0.24);

  ASSERT_EQ(row.sla_compliances_size(), 1);
  EXPECT_EQ(row.sla_compliances(0).met_count(), 3);
  EXPECT_EQ(row.sla_compliances(0).missed_count(), 2);
  EXPECT_DOUBLE_EQ(row.sla_compliances(0).compliance_rate(), 0.6);

  ASSERT_TRUE(row.has_satisfaction());
  EXPECT_EQ(row.satisfaction().response_count(), 5);
  EXPECT_THAT(row.satisfaction().score_counts(), ::testing::ElementsAre(1, 1, 0, 2, 1));
  EXPECT_DOUBLE_EQ(row.satisfaction().csat_rate(), 0.6);
  EXPECT_DOUBLE_EQ(row.satisfaction().mean_score(), 3.2);
  EXPECT_DOUBLE_EQ(row.satisfaction().problem_solved_rate(), 0.6);

  EXPECT_EQ(row.backlog().open_count(), 1);
  EXPECT_EQ(row.time_to_resolution().cohort_size(), 6);
  EXPECT_EQ(row.time_to_resolution().resolved_count(), 5);
  EXPECT_EQ(row.time_to_resolution().censored_count(), 1);
  // Calendar time to resolution 2, 4, 8 (6 + 24 h wait → 30), ... : S drops to 1/2 at 8 h.
  EXPECT_NEAR(Hours(row.time_to_resolution().median()), 8, 0.08);
}

TEST_F(AnalyticsServiceTest, BacklogAtAPastEndOfRangeCountsWhatWasOpenThen) {
  PublishMarchHistories();
  v1::GetKpisResponse response;
  // By the end of 2 March four had closed (the one that waited on the citizen closed on the 3rd).
  ASSERT_TRUE(GetKpis(analyst_key_, Query(Day(3, 1, 0), Day(3, 3, 0)), &response).ok());
  ASSERT_EQ(response.rows_size(), 1);
  EXPECT_EQ(response.rows(0).backlog().open_count(), 2);
  EXPECT_FALSE(response.rows(0).backlog().has_median_age());
}

TEST_F(AnalyticsServiceTest, SmallGroupsAreSuppressed) {
  PublishMarchHistories();
  const testing::EventFactory lyon(kLyon);
  Publish({lyon.Received("10000000-0000-4000-8000-000000000001", Day(3, 3), "proprete"),
           lyon.Received("10000000-0000-4000-8000-000000000002", Day(3, 3), "proprete")});
  Drain();
  v1::KpiQuery query = Query(Day(3, 1, 0), Day(4, 1, 0));
  query.add_group_by(v1::DIMENSION_CATEGORY);
  v1::GetKpisResponse response;
  ASSERT_TRUE(GetKpis(analyst_key_, query, &response).ok());
  ASSERT_EQ(response.rows_size(), 2);
  EXPECT_EQ(response.rows(0).dimension_values(0).value(), "proprete");
  EXPECT_TRUE(response.rows(0).suppressed());
  EXPECT_EQ(response.rows(0).volumes().received(), 0);
  EXPECT_FALSE(response.rows(0).has_backlog());
  EXPECT_EQ(response.rows(1).dimension_values(0).value(), "voirie");
  EXPECT_FALSE(response.rows(1).suppressed());
  EXPECT_EQ(response.rows(1).volumes().received(), 6);
}

TEST_F(AnalyticsServiceTest, OnlyAggregateRolesOnGrantedAdministrationsGetAnswers) {
  PublishMarchHistories();
  const v1::KpiQuery query = Query(Day(3, 1, 0), Day(4, 1, 0));
  v1::GetKpisResponse response;
  EXPECT_EQ(GetKpis("", query, &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  const std::string agent = MakeKey("agent", {auth::Role::kAgent}, {kLyon});
  EXPECT_EQ(GetKpis(agent, query, &response).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const std::string paris_analyst = MakeKey("analyst-paris", {auth::Role::kAnalyst}, {kParis});
  const grpc::Status other = GetKpis(paris_analyst, query, &response);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(other.error_message(), HasSubstr(kLyon));

  // Supervisors read KPIs but do not export (analytics_permissions.cc).
  const std::string supervisor = MakeKey("supervisor", {auth::Role::kSupervisor}, {kLyon});
  EXPECT_TRUE(GetKpis(supervisor, query, &response).ok());
  v1::ExportKpisRequest export_request;
  *export_request.mutable_query() = query;
  auto context = Context(supervisor);
  auto reader = stub_->ExportKpis(context.get(), export_request);
  v1::ExportKpisResponse message;
  while (reader->Read(&message)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AnalyticsServiceTest, InvalidQueriesNameTheField) {
  v1::GetKpisResponse response;
  v1::KpiQuery reversed = Query(Day(4, 1), Day(3, 1));
  grpc::Status status = GetKpis(analyst_key_, reversed, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("query.time_range"));

  v1::KpiQuery open_ended = Query(Day(3, 1), Day(4, 1));
  open_ended.mutable_time_range()->clear_end_time();
  status = GetKpis(analyst_key_, open_ended, &response);
  EXPECT_THAT(status.error_message(), HasSubstr("query.time_range"));

  v1::KpiQuery two_periods = Query(Day(3, 1), Day(4, 1));
  two_periods.add_group_by(v1::DIMENSION_DAY);
  two_periods.add_group_by(v1::DIMENSION_MONTH);
  status = GetKpis(analyst_key_, two_periods, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("query.group_by"));

  v1::KpiQuery unknown = Query(Day(3, 1), Day(4, 1));
  unknown.add_group_by(static_cast<v1::Dimension>(42));
  status = GetKpis(analyst_key_, unknown, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("query.group_by"));

  v1::KpiQuery no_administration = Query(Day(3, 1), Day(4, 1));
  no_administration.clear_administration_ids();
  status = GetKpis(analyst_key_, no_administration, &response);
  EXPECT_THAT(status.error_message(), HasSubstr("query.administration_ids"));
}

TEST_F(AnalyticsServiceTest, GetTrendsFlagsAnInjectedSpikeAndNotAFlatSeries) {
  const testing::EventFactory lyon(kLyon);
  const testing::EventFactory paris(kParis);
  std::vector<events::v1::Event> events;
  int serial = 0;
  const auto id = [&serial] {
    return absl::StrCat("20000000-0000-4000-8000-", 100000000000 + ++serial);
  };
  for (int day = 1; day <= 28; ++day) {
    for (int i = 0; i < 8; ++i) {
      events.push_back(lyon.Received(id(), Day(3, day), "voirie", "69"));
      events.push_back(paris.Received(id(), Day(3, day), "voirie", "75"));
    }
  }
  for (int i = 0; i < 40; ++i) {  // Flooding on 24 March in Lyon.
    events.push_back(lyon.Received(id(), Day(3, 24, 14), "inondation", "69"));
  }
  Publish(events);
  Drain();

  v1::GetTrendsRequest request;
  request.add_administration_ids(kLyon);
  request.add_administration_ids(kParis);
  request.add_split_by(v1::DIMENSION_ADMINISTRATION);
  *request.mutable_time_range()->mutable_start_time() = util::ToTimestamp(Day(3, 1, 0));
  *request.mutable_time_range()->mutable_end_time() = util::ToTimestamp(Day(3, 29, 0));
  v1::GetTrendsResponse response;
  ASSERT_TRUE(stub_->GetTrends(Context(analyst_key_).get(), request, &response).ok());
  ASSERT_EQ(response.series_size(), 2);
  const v1::TrendSeries& lyon_series = response.series(0);  // Largest first.
  EXPECT_EQ(lyon_series.dimension_values(0).value(), kLyon);
  EXPECT_EQ(lyon_series.points_size(), 28);
  ASSERT_EQ(lyon_series.spikes_size(), 1);
  const v1::Spike& spike = lyon_series.spikes(0);
  EXPECT_EQ(spike.period_start().day(), 24);
  EXPECT_EQ(spike.value(), 48);
  EXPECT_NEAR(spike.baseline(), 8, 1e-6);
  EXPECT_THAT(spike.explanation(), HasSubstr("inondation"));
  ASSERT_GE(spike.drivers_size(), 1);
  EXPECT_EQ(spike.drivers(0).value(), "inondation");
  EXPECT_EQ(response.series(1).spikes_size(), 0);
}

TEST_F(AnalyticsServiceTest, ExportKpisStreamsOneRowPerMonthAndAdministration) {
  PublishMarchHistories();
  const testing::EventFactory lyon(kLyon);
  std::vector<events::v1::Event> april;
  for (int i = 0; i < 5; ++i) {
    april.push_back(
        lyon.Received(absl::StrCat("30000000-0000-4000-8000-00000000000", i), Day(4, 2)));
  }
  Publish(april);
  Drain();
  v1::ExportKpisRequest request;
  *request.mutable_query() = Query(Day(3, 1, 0), Day(5, 1, 0));
  auto context = Context(analyst_key_);
  auto reader = stub_->ExportKpis(context.get(), request);
  std::vector<v1::ExportKpisResponse> messages;
  v1::ExportKpisResponse message;
  while (reader->Read(&message)) {
    messages.push_back(message);
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_TRUE(messages[0].has_watermark_time());
  EXPECT_FALSE(messages[1].has_watermark_time());
  EXPECT_EQ(messages[0].row().dimension_values(0).value(), "2026-03-01");
  EXPECT_EQ(messages[0].row().dimension_values(1).value(), kLyon);
  EXPECT_EQ(messages[0].row().volumes().received(), 6);
  EXPECT_EQ(messages[1].row().dimension_values(0).value(), "2026-04-01");
  EXPECT_EQ(messages[1].row().volumes().received(), 5);
  // The backlog at the end of March: the one still open.
  EXPECT_EQ(messages[0].row().backlog().open_count(), 1);

  // April alone: March's open complaint comes from the month roll-up of the backlog.
  *request.mutable_query() = Query(Day(4, 1, 0), Day(5, 1, 0));
  auto april_context = Context(analyst_key_);
  auto april_reader = stub_->ExportKpis(april_context.get(), request);
  ASSERT_TRUE(april_reader->Read(&message));
  EXPECT_EQ(message.row().volumes().received(), 5);
  EXPECT_EQ(message.row().backlog().open_count(), 6);
  EXPECT_TRUE(message.row().backlog().has_max_age());
  EXPECT_FALSE(april_reader->Read(&message));
  ASSERT_TRUE(april_reader->Finish().ok());
}

TEST_F(AnalyticsServiceTest, GetTopIssuesCountsCategoriesAndRoutingKeywords) {
  PublishMarchHistories();
  v1::GetTopIssuesRequest request;
  request.add_administration_ids(kLyon);
  request.set_territory_level(v1::DIMENSION_TERRITORY_DEPARTMENT);
  *request.mutable_time_range()->mutable_start_time() = util::ToTimestamp(Day(3, 1, 0));
  *request.mutable_time_range()->mutable_end_time() = util::ToTimestamp(Day(4, 1, 0));
  v1::GetTopIssuesResponse response;
  ASSERT_TRUE(stub_->GetTopIssues(Context(analyst_key_).get(), request, &response).ok());
  ASSERT_EQ(response.groups_size(), 1);
  EXPECT_EQ(response.groups(0).territory().value(), "69");
  EXPECT_EQ(response.groups(0).complaint_count(), 6);
  ASSERT_EQ(response.groups(0).categories_size(), 1);
  EXPECT_EQ(response.groups(0).categories(0).category(), "voirie");
  EXPECT_DOUBLE_EQ(response.groups(0).categories(0).share(), 1.0);
  ASSERT_EQ(response.groups(0).terms_size(), 1);
  EXPECT_EQ(response.groups(0).terms(0).term(), "nid de poule");
  EXPECT_EQ(response.groups(0).terms(0).count(), 6);

  request.set_territory_level(v1::DIMENSION_TERRITORY_COMMUNE);
  const grpc::Status status = stub_->GetTopIssues(Context(analyst_key_).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("territory_level"));
}

}  // namespace
}  // namespace doleances::analytics
