// Property test: random event histories (redelivered, shuffled across and within complaints) go
// through the real consumer and handler into PostgreSQL; every KPI the service answers is
// compared with a brute-force recomputation from the raw events.
#include "common/util/proto_time.h"
#include "services/analytics/analytics_testing.h"
#include "services/analytics/kaplan_meier.h"
#include "services/analytics/kpi_query.h"
#include "services/analytics/kpi_report.h"

#include <absl/container/btree_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

namespace doleances::analytics {
namespace {

using events::v1::Event;
using ::google::protobuf::util::TimeUtil;
using type::v1::CaseState;

// What the raw events of one complaint say, replayed in time order.
struct Truth {
  std::string administration_id;
  std::string category;
  std::string department_code;
  absl::Time receive;
  std::optional<absl::Time> routed, first_response, closed, rejected, withdrawn, reopened,
      escalated, mediation_start, mediation_end;
  std::vector<std::pair<absl::Time, absl::Time>> waits;
  std::optional<absl::Time> waiting_since;
  std::map<int, std::pair<absl::Time, bool>> last_stop;  // clock → (time, met)
  std::map<int, absl::Time> last_breach;
  std::optional<std::pair<absl::Time, std::pair<int, bool>>> feedback;
  bool received = false;

  std::optional<absl::Time> left() const {
    std::optional<absl::Time> latest;
    for (const auto& t : {closed, rejected, withdrawn}) {
      if (t.has_value() && (!latest.has_value() || *t > *latest)) {
        latest = t;
      }
    }
    return latest;
  }
  bool open() const { return !left().has_value() || (reopened.has_value() && *reopened > *left()); }
  std::optional<absl::Time> resolved_at() const {
    if (rejected.has_value() || withdrawn.has_value()) {
      return std::nullopt;
    }
    if (first_response.has_value() && closed.has_value()) {
      return std::min(*first_response, *closed);
    }
    return first_response.has_value() ? first_response : closed;
  }
  absl::Duration AdministrationTime(absl::Time until) const {
    absl::Duration waited;
    for (const auto& [start, end] : waits) {
      waited += std::max(absl::ZeroDuration(), std::min(end, until) - std::max(start, receive));
    }
    if (waiting_since.has_value() && *waiting_since < until) {
      waited += until - *waiting_since;
    }
    return std::max(absl::ZeroDuration(), until - receive - waited);
  }
};

Truth Replay(std::vector<Event> events) {
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return util::FromTimestamp(a.occur_time()) < util::FromTimestamp(b.occur_time());
  });
  Truth truth;
  const auto first = [](std::optional<absl::Time>& slot, absl::Time at) {
    if (!slot.has_value()) {
      slot = at;
    }
  };
  for (const Event& event : events) {
    const absl::Time at = util::FromTimestamp(event.occur_time());
    switch (event.payload_case()) {
      case Event::kComplaintReceived:
        truth.received = true;
        truth.administration_id = event.administration_id();
        truth.department_code = event.complaint_received().territory().department_code();
        if (!truth.routed.has_value()) {
          truth.category = event.complaint_received().category_hint();
        }
        truth.receive = util::FromTimestamp(event.complaint_received().receive_time());
        break;
      case Event::kComplaintRouted:
        first(truth.routed, at);
        truth.category = event.complaint_routed().category();
        break;
      case Event::kComplaintResponded:
        first(truth.first_response, at);
        break;
      case Event::kCaseTransitioned: {
        const CaseState to = event.case_transitioned().to_state();
        if (to == type::v1::CASE_STATE_AWAITING_CITIZEN) {
          truth.waiting_since = at;
        } else if (event.case_transitioned().from_state() ==
                       type::v1::CASE_STATE_AWAITING_CITIZEN &&
                   truth.waiting_since.has_value()) {
          truth.waits.emplace_back(*truth.waiting_since, at);
          truth.waiting_since.reset();
        }
        if (to == type::v1::CASE_STATE_CLOSED) truth.closed = at;
        if (to == type::v1::CASE_STATE_REJECTED) truth.rejected = at;
        if (to == type::v1::CASE_STATE_REOPENED) truth.reopened = at;
        break;
      }
      case Event::kComplaintWithdrawn:
        truth.withdrawn = at;
        break;
      case Event::kCaseEscalated:
        first(truth.escalated, at);
        break;
      case Event::kMediationOpened:
        first(truth.mediation_start, at);
        break;
      case Event::kMediationClosed:
        truth.mediation_end = at;
        break;
      case Event::kClockStopped:
        truth.last_stop[event.clock_stopped().clock()] = {
            util::FromTimestamp(event.clock_stopped().stop_time()),
            event.clock_stopped().state() == type::v1::CLOCK_STATE_MET};
        break;
      case Event::kDeadlineBreached:
        truth.last_breach[event.deadline_breached().clock()] =
            util::FromTimestamp(event.deadline_breached().due_time());
        break;
      case Event::kFeedbackReceived:
        truth.feedback = {
            at,
            {event.feedback_received().satisfaction(), event.feedback_received().problem_solved()}};
        break;
      default:
        break;
    }
  }
  return truth;
}

// Exact nearest-rank quantile.
absl::Duration ExactQuantile(std::vector<absl::Duration> values, double q) {
  std::sort(values.begin(), values.end());
  const size_t rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(q * values.size() - 1e-9)));
  return values[rank - 1];
}

void ExpectSummary(const v1::DurationSummary& summary, const std::vector<absl::Duration>& exact,
                   const std::string& what) {
  ASSERT_EQ(summary.sample_count(), static_cast<int64_t>(exact.size())) << what;
  if (exact.empty()) {
    EXPECT_FALSE(summary.has_median()) << what;
    return;
  }
  const std::pair<double, const google::protobuf::Duration*> quantiles[] = {
      {0.5, &summary.median()}, {0.9, &summary.p90()}, {0.99, &summary.p99()}};
  for (const auto& [q, answered] : quantiles) {
    const double expected = absl::ToDoubleSeconds(ExactQuantile(exact, q));
    EXPECT_NEAR(TimeUtil::DurationToSeconds(*answered) +
                    TimeUtil::DurationToNanoseconds(*answered) % 1000000000 / 1e9,
                expected, expected * 0.0101 + 1.0)
        << what << " q=" << q;
  }
}

class AnalyticsPropertyTest : public testing::AnalyticsTestEnvironment {
 protected:
  // A plausible random history for one complaint, in time order.
  std::vector<Event> RandomHistory(std::mt19937_64& random, const std::string& id) {
    std::uniform_real_distribution<double> unit(0, 1);
    const auto chance = [&](double p) { return unit(random) < p; };
    const auto hours = [&](double max) { return absl::Seconds(60 + unit(random) * max * 3600); };
    const std::string administration = chance(0.5) ? kLyon : kParis;
    const testing::EventFactory factory(administration);
    const std::vector<std::string> categories{"voirie", "proprete", "etat-civil"};
    const std::vector<std::string> departments{"69", "75"};
    // Received from January 15 to March 19, so that queries cross month boundaries and every
    // history ends before now (April 15).
    absl::Time t = absl::FromCivil(absl::CivilSecond(2026, 1, 15, 0, 0, 0), paris_) +
                   absl::Seconds(unit(random) * 63 * 86400);
    std::vector<Event> events;
    events.push_back(factory.Received(id, t, categories[random() % 3], departments[random() % 2]));
    if (chance(0.9)) {
      t += hours(2);
      events.push_back(factory.Routed(id, t, categories[random() % 3], "dept-1", {"kw"}));
    }
    if (chance(0.3)) {
      t += hours(10);
      events.push_back(factory.Transitioned(id, t, type::v1::CASE_STATE_IN_PROGRESS,
                                            type::v1::CASE_STATE_AWAITING_CITIZEN));
      if (chance(0.8)) {
        t += hours(72);
        events.push_back(factory.Transitioned(id, t, type::v1::CASE_STATE_AWAITING_CITIZEN,
                                              type::v1::CASE_STATE_IN_PROGRESS));
      }
    }
    if (chance(0.15)) {
      t += hours(24);
      events.push_back(factory.Escalated(id, t));
    }
    if (chance(0.1)) {
      t += hours(24);
      events.push_back(factory.MediationOpened(id, t));
      if (chance(0.7)) {
        t += hours(200);
        events.push_back(factory.MediationClosed(id, t));
      }
    }
    if (chance(0.2)) {
      events.push_back(factory.Breached(id, t + hours(5), type::v1::CLOCK_KIND_FIRST_RESPONSE));
      t += hours(6);
    }
    const double outcome = unit(random);
    if (outcome < 0.6) {
      t += hours(100);
      events.push_back(factory.Responded(id, t));
      events.push_back(factory.ClockStopped(
          id, t, type::v1::CLOCK_KIND_FIRST_RESPONSE,
          chance(0.7) ? type::v1::CLOCK_STATE_MET : type::v1::CLOCK_STATE_MISSED));
      if (chance(0.6)) {
        events.push_back(
            factory.Feedback(id, t + hours(48), 1 + static_cast<int>(random() % 5), chance(0.5)));
      }
      if (chance(0.7)) {
        t += hours(50);
        events.push_back(factory.Transitioned(id, t, type::v1::CASE_STATE_RESPONDED,
                                              type::v1::CASE_STATE_CLOSED));
        if (chance(0.1)) {
          t += hours(50);
          events.push_back(factory.Transitioned(id, t, type::v1::CASE_STATE_CLOSED,
                                                type::v1::CASE_STATE_REOPENED));
        }
      }
    } else if (outcome < 0.7) {
      t += hours(100);
      events.push_back(factory.Transitioned(id, t, type::v1::CASE_STATE_IN_PROGRESS,
                                            type::v1::CASE_STATE_REJECTED));
    } else if (outcome < 0.8) {
      t += hours(100);
      events.push_back(factory.Withdrawn(id, t));
    }
    return events;
  }

  // One KPI query of the property: its range (ragged ends or whole months), grouping and filter
  // decide which aggregate rows answer it (daily, month roll-ups, full or coarse dimensions).
  struct QueryCase {
    std::vector<v1::Dimension> group_by;
    absl::CivilSecond start{2026, 3, 1, 0, 0, 0};
    absl::CivilSecond end{2026, 4, 1, 0, 0, 0};
    std::vector<std::string> department_codes;
    std::vector<std::string> categories;
  };

  bool Matches(const QueryCase& c, const Truth& truth) const {
    const auto contains = [](const std::vector<std::string>& values, const std::string& value) {
      return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
    };
    return contains(c.department_codes, truth.department_code) &&
           contains(c.categories, truth.category);
  }
  int64_t FirstDay(const QueryCase& c) const {
    return DayNumber(absl::FromCivil(c.start, paris_), paris_);
  }
  int64_t LastDay(const QueryCase& c) const {
    return DayNumber(absl::FromCivil(c.end, paris_) - absl::Microseconds(1), paris_);
  }

  v1::KpiQuery Query(const QueryCase& c, v1::TimeBasis basis) const {
    v1::KpiQuery query;
    query.add_administration_ids(kLyon);
    query.add_administration_ids(kParis);
    query.set_time_basis(basis);
    *query.mutable_time_range()->mutable_start_time() =
        util::ToTimestamp(absl::FromCivil(c.start, paris_));
    *query.mutable_time_range()->mutable_end_time() =
        util::ToTimestamp(absl::FromCivil(c.end, paris_));
    for (const v1::Dimension dimension : c.group_by) {
      query.add_group_by(dimension);
    }
    for (const std::string& code : c.department_codes) {
      query.mutable_filter()->add_department_codes(code);
    }
    for (const std::string& category : c.categories) {
      query.mutable_filter()->add_categories(category);
    }
    return query;
  }

  std::vector<v1::KpiRow> GetKpis(const v1::KpiQuery& query) {
    v1::GetKpisRequest request;
    *request.mutable_query() = query;
    request.set_page_size(1000);
    v1::GetKpisResponse response;
    const grpc::Status status = stub_->GetKpis(Context(analyst_key_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.rows().begin(), response.rows().end()};
  }

  std::string KeyOf(const std::vector<v1::Dimension>& group_by, const Truth& truth,
                    bool with_time = true) const {
    FactDimensions dimensions;
    dimensions.administration_id = truth.administration_id;
    dimensions.category = truth.category;
    dimensions.department_code = truth.department_code;
    std::vector<std::string> values;
    for (const v1::Dimension dimension : group_by) {
      values.push_back(
          IsTimeDimension(dimension) && !with_time
              ? ""
              : DimensionValueOf(dimension, DayNumber(truth.receive, paris_), dimensions));
    }
    return absl::StrJoin(values, "|");
  }

  // Open at the end of day `day` among the complaints of the non-time group of `truth` that the
  // query's filter keeps, whatever their receive day.
  int64_t BacklogAt(const QueryCase& c, const Truth& member, int64_t day,
                    const std::vector<Truth>& truths) const {
    const std::string key = KeyOf(c.group_by, member, false);
    int64_t open = 0;
    for (const Truth& t : truths) {
      if (Matches(c, t) && KeyOf(c.group_by, t, false) == key &&
          DayNumber(t.receive, paris_) <= day && (t.open() || DayNumber(*t.left(), paris_) > day)) {
        ++open;
      }
    }
    return open;
  }

  // Compares every KPI of the cohort rows of the query with the truth.
  void CheckCohortKpis(const QueryCase& c, const std::vector<Truth>& truths) {
    const std::vector<v1::Dimension>& group_by = c.group_by;
    absl::btree_map<std::string, std::vector<const Truth*>> groups;
    for (const Truth& truth : truths) {
      const int64_t day = DayNumber(truth.receive, paris_);
      if (Matches(c, truth) && day >= FirstDay(c) && day <= LastDay(c)) {
        groups[KeyOf(group_by, truth)].push_back(&truth);
      }
    }
    const std::vector<v1::KpiRow> rows = GetKpis(Query(c, v1::TIME_BASIS_RECEIVE_TIME));
    ASSERT_EQ(rows.size(), groups.size());
    size_t index = 0;
    int compared = 0;
    for (const auto& [key, members] : groups) {
      const v1::KpiRow& row = rows[index++];
      std::vector<std::string> values;
      for (const v1::DimensionValue& value : row.dimension_values()) {
        values.push_back(value.value());
      }
      ASSERT_EQ(absl::StrJoin(values, "|"), key);
      SCOPED_TRACE(key);
      if (members.size() < 5) {
        EXPECT_TRUE(row.suppressed());
        continue;
      }
      ASSERT_FALSE(row.suppressed());
      ++compared;
      int64_t routed = 0, responded = 0, closed = 0, rejected = 0, withdrawn = 0, escalated = 0,
              mediated = 0, reopened = 0, resolved = 0, feedbacks = 0, solved = 0;
      std::vector<int64_t> scores(5);
      std::vector<absl::Duration> first_response, resolution, mediation, waits, ack;
      int64_t met = 0, missed = 0, breached_open = 0;
      BucketCounts km_resolved, km_censored;
      for (const Truth* t : members) {
        routed += t->routed.has_value();
        responded += t->first_response.has_value();
        closed += t->closed.has_value();
        rejected += t->rejected.has_value();
        withdrawn += t->withdrawn.has_value();
        escalated += t->escalated.has_value();
        mediated += t->mediation_start.has_value();
        reopened += t->reopened.has_value();
        if (t->routed.has_value()) ack.push_back(t->AdministrationTime(*t->routed));
        if (t->first_response.has_value()) {
          first_response.push_back(t->AdministrationTime(*t->first_response));
        }
        if (t->resolved_at().has_value()) {
          ++resolved;
          resolution.push_back(t->AdministrationTime(*t->resolved_at()));
          km_resolved[BucketOf(*t->resolved_at() - t->receive)] += 1;
        } else if (!t->open()) {
          km_censored[BucketOf(*t->left() - t->receive)] += 1;
        } else {
          km_censored[BucketOf(now_ - NoonOf(DayNumber(t->receive, paris_), paris_))] += 1;
        }
        if (t->mediation_start.has_value() && t->mediation_end.has_value()) {
          mediation.push_back(*t->mediation_end - *t->mediation_start);
        }
        if (!t->waits.empty()) {
          absl::Duration total;
          for (const auto& [start, end] : t->waits) total += end - start;
          waits.push_back(total);
        }
        const auto stop = t->last_stop.find(type::v1::CLOCK_KIND_FIRST_RESPONSE);
        if (stop != t->last_stop.end()) {
          (stop->second.second ? met : missed) += 1;
        } else if (t->last_breach.contains(type::v1::CLOCK_KIND_FIRST_RESPONSE) && t->open()) {
          ++breached_open;
        }
        if (t->feedback.has_value()) {
          ++feedbacks;
          scores[t->feedback->second.first - 1] += 1;
          solved += t->feedback->second.second;
        }
      }
      const int64_t received = static_cast<int64_t>(members.size());
      EXPECT_EQ(row.volumes().received(), received);
      EXPECT_EQ(row.volumes().routed(), routed);
      EXPECT_EQ(row.volumes().responded(), responded);
      EXPECT_EQ(row.volumes().closed(), closed);
      EXPECT_EQ(row.volumes().rejected(), rejected);
      EXPECT_EQ(row.volumes().withdrawn(), withdrawn);
      EXPECT_EQ(row.volumes().escalated(), escalated);
      EXPECT_EQ(row.volumes().mediated(), mediated);
      EXPECT_EQ(row.volumes().reopened(), reopened);
      EXPECT_DOUBLE_EQ(row.resolution_rate(), static_cast<double>(resolved) / received);
      for (const v1::ClockDelay& delay : row.delays()) {
        switch (delay.clock()) {
          case type::v1::CLOCK_KIND_ACKNOWLEDGEMENT:
            ExpectSummary(delay.summary(), ack, "acknowledgement");
            break;
          case type::v1::CLOCK_KIND_FIRST_RESPONSE:
            ExpectSummary(delay.summary(), first_response, "first response");
            break;
          case type::v1::CLOCK_KIND_RESOLUTION:
            ExpectSummary(delay.summary(), resolution, "resolution");
            break;
          case type::v1::CLOCK_KIND_MEDIATION_OUTCOME:
            ExpectSummary(delay.summary(), mediation, "mediation");
            break;
          default:
            ADD_FAILURE() << "unexpected clock " << delay.clock();
        }
      }
      ExpectSummary(row.citizen_wait(), waits, "citizen wait");
      if (met + missed + breached_open > 0) {
        ASSERT_EQ(row.sla_compliances_size(), 1);
        EXPECT_EQ(row.sla_compliances(0).met_count(), met);
        EXPECT_EQ(row.sla_compliances(0).missed_count(), missed);
        EXPECT_EQ(row.sla_compliances(0).breached_open_count(), breached_open);
      }
      if (feedbacks >= 5) {
        ASSERT_TRUE(row.has_satisfaction());
        EXPECT_EQ(row.satisfaction().response_count(), feedbacks);
        EXPECT_THAT(row.satisfaction().score_counts(), ::testing::ElementsAreArray(scores));
        EXPECT_DOUBLE_EQ(row.satisfaction().problem_solved_rate(),
                         static_cast<double>(solved) / feedbacks);
      } else {
        EXPECT_FALSE(row.has_satisfaction());
      }
      int64_t backlog_day = LastDay(c);
      for (const v1::Dimension dimension : group_by) {
        if (IsTimeDimension(dimension)) {
          backlog_day = std::min(
              backlog_day, PeriodOf(dimension, DayNumber(members.front()->receive, paris_)).second);
        }
      }
      EXPECT_EQ(row.backlog().open_count(), BacklogAt(c, *members.front(), backlog_day, truths));
      EXPECT_EQ(row.time_to_resolution().cohort_size(), received);
      EXPECT_EQ(row.time_to_resolution().resolved_count(), resolved);
      EXPECT_EQ(row.time_to_resolution().censored_count(), received - resolved);
      const auto median = SurvivalQuantile(KaplanMeierCurve(km_resolved, km_censored), 0.5);
      ASSERT_EQ(row.time_to_resolution().has_median(), median.has_value());
      if (median.has_value()) {
        EXPECT_EQ(TimeUtil::DurationToMicroseconds(row.time_to_resolution().median()),
                  absl::ToInt64Microseconds(*median));
      }
    }
    EXPECT_GT(compared, 0) << "every group was suppressed: the test would prove nothing";
  }

  // Activity basis: what happened each day, whenever the complaint arrived.
  void CheckActivityByDay(const std::vector<Truth>& truths) {
    absl::btree_map<std::string, std::pair<int64_t, int64_t>> by_day;  // received, responded
    for (const Truth& t : truths) {
      by_day[DayString(DayNumber(t.receive, paris_))].first += 1;
      if (t.first_response.has_value()) {
        by_day[DayString(DayNumber(*t.first_response, paris_))].second += 1;
      }
    }
    int checked = 0;
    const QueryCase daily{.group_by = {v1::DIMENSION_DAY},
                          .start = absl::CivilSecond(2026, 1, 15, 0, 0, 0),
                          .end = absl::CivilSecond(2026, 4, 15, 0, 0, 0)};
    for (const v1::KpiRow& row : GetKpis(Query(daily, v1::TIME_BASIS_EVENT_TIME))) {
      if (row.suppressed()) {
        continue;
      }
      const auto& expected = by_day[row.dimension_values(0).value()];
      EXPECT_EQ(row.volumes().received(), expected.first) << row.dimension_values(0).value();
      EXPECT_EQ(row.volumes().responded(), expected.second) << row.dimension_values(0).value();
      ++checked;
    }
    EXPECT_GT(checked, 5);
  }

  void RunRandomHistories(uint64_t seed, int complaints) {
    std::mt19937_64 random(seed);
    std::vector<Truth> truths;
    std::vector<Event> log;
    for (int i = 0; i < complaints; ++i) {
      const std::vector<Event> history =
          RandomHistory(random, absl::StrCat("40000000-0000-4000-8000-", 100000000000 + i));
      truths.push_back(Replay(history));
      log.insert(log.end(), history.begin(), history.end());
    }
    // Redelivery (the same event, same id, again) and any order, across and within complaints.
    const size_t unique = log.size();
    for (size_t i = 0; i < unique; ++i) {
      if (random() % 100 < 15) {
        log.push_back(log[i]);
      }
    }
    std::shuffle(log.begin(), log.end(), random);
    for (size_t start = 0; start < log.size(); start += 100) {
      Publish({log.begin() + start, log.begin() + std::min(log.size(), start + 100)});
    }
    Drain();
    // March whole: one month row per group (coarse, then full dimensions).
    CheckCohortKpis({}, truths);
    CheckCohortKpis({.group_by = {v1::DIMENSION_CATEGORY}}, truths);
    CheckCohortKpis({.group_by = {v1::DIMENSION_TERRITORY_DEPARTMENT, v1::DIMENSION_CATEGORY}},
                    truths);
    // Ragged ends around a whole month: daily rows for January 25-31 and March 1-12, the month
    // roll-up for February; the backlog at March 12 needs the steps since.
    const absl::CivilSecond ragged_start(2026, 1, 25, 14, 0, 0);
    const absl::CivilSecond ragged_end(2026, 3, 12, 10, 30, 0);
    CheckCohortKpis(
        {.group_by = {v1::DIMENSION_CATEGORY}, .start = ragged_start, .end = ragged_end}, truths);
    CheckCohortKpis({.group_by = {v1::DIMENSION_MONTH, v1::DIMENSION_CATEGORY},
                     .start = ragged_start,
                     .end = ragged_end},
                    truths);
    CheckCohortKpis({.group_by = {v1::DIMENSION_ADMINISTRATION, v1::DIMENSION_WEEK},
                     .start = ragged_start,
                     .end = ragged_end},
                    truths);
    // Filters: a territory (full dimensions only) and categories (coarse rows answer it).
    CheckCohortKpis({.group_by = {v1::DIMENSION_CATEGORY},
                     .start = ragged_start,
                     .end = ragged_end,
                     .department_codes = {"69"}},
                    truths);
    CheckCohortKpis({.group_by = {v1::DIMENSION_MONTH},
                     .start = ragged_start,
                     .end = ragged_end,
                     .categories = {"voirie", "proprete"}},
                    truths);
    // No whole month inside: daily rows only, across the month boundary.
    CheckCohortKpis({.group_by = {v1::DIMENSION_ADMINISTRATION},
                     .start = absl::CivilSecond(2026, 2, 20, 0, 0, 0),
                     .end = absl::CivilSecond(2026, 3, 9, 0, 0, 0)},
                    truths);
    CheckActivityByDay(truths);
  }
};

TEST_F(AnalyticsPropertyTest, RandomHistoriesMatchBruteForceSeed1) { RunRandomHistories(1, 300); }

TEST_F(AnalyticsPropertyTest, RandomHistoriesMatchBruteForceSeed2) { RunRandomHistories(2, 300); }

TEST_F(AnalyticsPropertyTest, RandomHistoriesMatchBruteForceSeed3) { RunRandomHistories(3, 300); }

}  // namespace
}  // namespace doleances::analytics
