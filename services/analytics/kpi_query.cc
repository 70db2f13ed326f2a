#include "services/analytics/kpi_query.h"

#include "common/status/grpc_status.h"
#include "common/util/proto_time.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include <algorithm>
#include <set>

namespace doleances::analytics {
namespace {

using common::FieldViolation;

constexpr int kMaxAdministrations = 1000;

absl::CivilDay CivilOf(int64_t day) { return absl::CivilDay(1970, 1, 1) + day; }
int64_t DayOf(absl::CivilDay civil) { return civil - absl::CivilDay(1970, 1, 1); }

void CheckAdministrations(const google::protobuf::RepeatedPtrField<std::string>& ids,
                          const std::string& field, std::vector<FieldViolation>& violations) {
  if (ids.empty() || ids.size() > kMaxAdministrations) {
    violations.push_back({field, "between 1 and 1,000 administration ids are required"});
  }
  for (const std::string& id : ids) {
    if (id.empty()) {
      violations.push_back({field, "administration ids must not be empty"});
      break;
    }
  }
}

// Checks the range and converts it to inclusive day numbers.
void CheckRange(const type::v1::Interval& range, const std::string& field,
                absl::Duration max_length, absl::TimeZone zone,
                std::vector<FieldViolation>& violations, int64_t& first_day, int64_t& last_day,
                absl::Time* end_time = nullptr) {
  if (!range.has_start_time() || !range.has_end_time()) {
    violations.push_back({field, "both start_time and end_time are required"});
    return;
  }
  const absl::Time start = util::FromTimestamp(range.start_time());
  const absl::Time end = util::FromTimestamp(range.end_time());
  if (end < start) {
    violations.push_back({field, "end_time must not be before start_time"});
    return;
  }
  if (end - start > max_length) {
    violations.push_back(
        {field, absl::StrCat("the range must not exceed ", absl::FormatDuration(max_length))});
    return;
  }
  first_day = DayNumber(start, zone);
  last_day = end == start ? first_day - 1 : DayNumber(end - absl::Microseconds(1), zone);
  if (end_time != nullptr) {
    *end_time = end;
  }
}

void CheckTimeZone(const std::string& time_zone, const std::string& field,
                   std::vector<FieldViolation>& violations) {
  if (!time_zone.empty() && time_zone != kAggregateTimeZone) {
    violations.push_back({field,
                          "aggregates are kept by Europe/Paris days; only that zone is "
                          "supported"});
  }
}

std::vector<std::string> Strings(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return {values.begin(), values.end()};
}

CellFilter FilterOf(const google::protobuf::RepeatedPtrField<std::string>& administration_ids,
                    const v1::KpiFilter& filter, const std::string& field,
                    std::vector<FieldViolation>& violations) {
  if (!filter.commune_codes().empty()) {
    violations.push_back({field + ".commune_codes",
                          "communes are not aggregated (too small to publish); filter by "
                          "department_codes or region_codes"});
  }
  CellFilter cells;
  cells.administration_ids = Strings(administration_ids);
  cells.kinds = {filter.kinds().begin(), filter.kinds().end()};
  cells.channels = {filter.channels().begin(), filter.channels().end()};
  cells.priorities = {filter.priorities().begin(), filter.priorities().end()};
  cells.categories = Strings(filter.categories());
  cells.department_ids = Strings(filter.department_ids());
  cells.department_codes = Strings(filter.department_codes());
  cells.region_codes = Strings(filter.region_codes());
  return cells;
}

// Group-by or split-by dimensions: known, not repeated, no commune, and time ones only if
// `allow_time` (then at most one).
std::vector<v1::Dimension> CheckDimensions(const google::protobuf::RepeatedField<int>& values,
                                           const std::string& field, int max, bool allow_time,
                                           std::vector<FieldViolation>& violations) {
  std::vector<v1::Dimension> dimensions;
  if (values.size() > max) {
    violations.push_back({field, absl::StrCat("at most ", max, " dimensions")});
    return dimensions;
  }
  std::set<int> seen;
  int time_dimensions = 0;
  for (const int value : values) {
    const auto dimension = static_cast<v1::Dimension>(value);
    if (!v1::Dimension_IsValid(value) || dimension == v1::DIMENSION_UNSPECIFIED) {
      violations.push_back({field, absl::StrCat("unknown dimension ", value)});
      continue;
    }
    if (dimension == v1::DIMENSION_TERRITORY_COMMUNE) {
      violations.push_back(
          {field, "DIMENSION_TERRITORY_COMMUNE is not aggregated (groups too small to publish)"});
      continue;
    }
    if (!seen.insert(value).second) {
      violations.push_back({field, absl::StrCat(v1::Dimension_Name(dimension), " is repeated")});
      continue;
    }
    if (IsTimeDimension(dimension)) {
      if (!allow_time) {
        violations.push_back({field, "DAY, WEEK and MONTH cannot split series"});
        continue;
      }
      if (++time_dimensions > 1) {
        violations.push_back({field, "at most one of DAY, WEEK and MONTH"});
        continue;
      }
    }
    dimensions.push_back(dimension);
  }
  return dimensions;
}

}  // namespace

bool IsTimeDimension(v1::Dimension dimension) {
  return dimension == v1::DIMENSION_DAY || dimension == v1::DIMENSION_WEEK ||
         dimension == v1::DIMENSION_MONTH;
}

std::string DayString(int64_t day) {
  const absl::CivilDay civil = CivilOf(day);
  return absl::StrFormat("%04d-%02d-%02d", civil.year(), civil.month(), civil.day());
}

type::v1::Date DateOf(int64_t day) {
  const absl::CivilDay civil = CivilOf(day);
  type::v1::Date date;
  date.set_year(static_cast<int>(civil.year()));
  date.set_month(civil.month());
  date.set_day(civil.day());
  return date;
}

std::pair<int64_t, int64_t> PeriodOf(v1::Dimension time_dimension, int64_t day) {
  const absl::CivilDay civil = CivilOf(day);
  switch (time_dimension) {
    case v1::DIMENSION_WEEK: {
      const absl::CivilDay monday = absl::PrevWeekday(civil + 1, absl::Weekday::monday);
      return {DayOf(monday), DayOf(monday) + 6};
    }
    case v1::DIMENSION_MONTH: {
      const absl::CivilMonth month(civil);
      return {DayOf(absl::CivilDay(month)), DayOf(absl::CivilDay(month + 1)) - 1};
    }
    default:
      return {day, day};
  }
}

std::string DimensionValueOf(v1::Dimension dimension, int64_t day,
                             const FactDimensions& dimensions) {
  switch (dimension) {
    case v1::DIMENSION_DAY:
    case v1::DIMENSION_WEEK:
    case v1::DIMENSION_MONTH:
      return DayString(PeriodOf(dimension, day).first);
    case v1::DIMENSION_ADMINISTRATION:
      return dimensions.administration_id;
    case v1::DIMENSION_KIND:
      return dimensions.kind == 0 ? ""
                                  : type::v1::ComplaintKind_Name(
                                        static_cast<type::v1::ComplaintKind>(dimensions.kind));
    case v1::DIMENSION_CATEGORY:
      return dimensions.category;
    case v1::DIMENSION_DEPARTMENT:
      return dimensions.department_id;
    case v1::DIMENSION_CHANNEL:
      return dimensions.channel == 0
                 ? ""
                 : type::v1::Channel_Name(static_cast<type::v1::Channel>(dimensions.channel));
    case v1::DIMENSION_TERRITORY_DEPARTMENT:
      return dimensions.department_code;
    case v1::DIMENSION_TERRITORY_REGION:
      return dimensions.region_code;
    default:
      return "";
  }
}

absl::StatusOr<KpiSpec> ParseKpiQuery(const v1::KpiQuery& query, absl::string_view prefix,
                                      absl::TimeZone zone,
                                      const std::vector<v1::Dimension>& default_group_by) {
  const std::string p(prefix);
  std::vector<FieldViolation> violations;
  KpiSpec spec;
  CheckAdministrations(query.administration_ids(), p + "administration_ids", violations);
  CheckRange(query.time_range(), p + "time_range", absl::Hours(24 * 366 * 10), zone, violations,
             spec.first_day, spec.last_day, &spec.end_time);
  CheckTimeZone(query.time_zone(), p + "time_zone", violations);
  if (!v1::TimeBasis_IsValid(query.time_basis())) {
    violations.push_back({p + "time_basis", "unknown time basis"});
  }
  spec.basis =
      query.time_basis() == v1::TIME_BASIS_EVENT_TIME ? Basis::kEventDay : Basis::kReceiveDay;
  spec.filter = FilterOf(query.administration_ids(), query.filter(), p + "filter", violations);
  spec.group_by = CheckDimensions(query.group_by(), p + "group_by", 4, true, violations);
  if (query.group_by().empty()) {
    spec.group_by = default_group_by;
  }
  if (!violations.empty()) {
    return common::InvalidArguments(violations);
  }
  return spec;
}

absl::StatusOr<TrendSpec> ParseTrendsRequest(const v1::GetTrendsRequest& request,
                                             absl::TimeZone zone) {
  std::vector<FieldViolation> violations;
  TrendSpec spec;
  CheckAdministrations(request.administration_ids(), "administration_ids", violations);
  CheckRange(request.time_range(), "time_range", absl::Hours(24 * 366 * 3), zone, violations,
             spec.first_day, spec.last_day);
  CheckTimeZone(request.time_zone(), "time_zone", violations);
  if (!v1::TrendGranularity_IsValid(request.granularity())) {
    violations.push_back({"granularity", "unknown granularity"});
  }
  spec.weekly = request.granularity() == v1::TREND_GRANULARITY_WEEK;
  if (!v1::TrendMetric_IsValid(request.metric())) {
    violations.push_back({"metric", "unknown metric"});
  } else if (request.metric() != v1::TREND_METRIC_UNSPECIFIED) {
    spec.metric = request.metric();
  }
  spec.filter = FilterOf(request.administration_ids(), request.filter(), "filter", violations);
  spec.split_by = CheckDimensions(request.split_by(), "split_by", 2, false, violations);
  if (request.spike_z_threshold() < 0) {
    violations.push_back({"spike_z_threshold", "must not be negative"});
  } else if (request.spike_z_threshold() > 0) {
    spec.z_threshold = request.spike_z_threshold();
  }
  if (request.max_series() < 0) {
    violations.push_back({"max_series", "must not be negative"});
  } else if (request.max_series() > 0) {
    spec.max_series = std::min(request.max_series(), 500);
  }
  if (!violations.empty()) {
    return common::InvalidArguments(violations);
  }
  return spec;
}

absl::StatusOr<TopIssuesSpec> ParseTopIssuesRequest(const v1::GetTopIssuesRequest& request,
                                                    absl::TimeZone zone) {
  std::vector<FieldViolation> violations;
  TopIssuesSpec spec;
  CheckAdministrations(request.administration_ids(), "administration_ids", violations);
  CheckRange(request.time_range(), "time_range", absl::Hours(24 * 366 * 10), zone, violations,
             spec.first_day, spec.last_day);
  spec.filter = FilterOf(request.administration_ids(), request.filter(), "filter", violations);
  const v1::Dimension level = request.territory_level();
  if (level != v1::DIMENSION_UNSPECIFIED && level != v1::DIMENSION_TERRITORY_DEPARTMENT &&
      level != v1::DIMENSION_TERRITORY_REGION) {
    violations.push_back({"territory_level",
                          "UNSPECIFIED, TERRITORY_DEPARTMENT or TERRITORY_REGION (communes are "
                          "not aggregated)"});
  }
  spec.territory_level = level;
  const auto limit = [&](int value, const char* field, int& out) {
    if (value < 0 || value > 100) {
      violations.push_back({field, "must be between 0 and 100"});
    } else if (value > 0) {
      out = value;
    }
  };
  limit(request.max_categories(), "max_categories", spec.max_categories);
  limit(request.max_terms(), "max_terms", spec.max_terms);
  if (request.page_size() < 0) {
    violations.push_back({"page_size", "must not be negative"});
  }
  if (!violations.empty()) {
    return common::InvalidArguments(violations);
  }
  return spec;
}

}  // namespace doleances::analytics
