#include "services/analytics/trend_report.h"

#include "services/analytics/spike_detection.h"

#include <absl/container/btree_map.h>
#include <absl/strings/str_format.h>

#include <algorithm>
#include <string>

namespace doleances::analytics {
namespace {

using Key = std::vector<std::string>;

// Per period, the count of each value of a finer dimension (category, département).
using Breakdown = std::vector<absl::btree_map<std::string, double>>;

struct Series {
  std::vector<double> values;
  Breakdown by_category;
  Breakdown by_territory;
  absl::btree_map<int64_t, double> net_arrivals;  // BACKLOG: kOpen steps by day.
  double open_now = 0;
  double total = 0;
};

int64_t CounterOf(v1::TrendMetric metric) {
  switch (metric) {
    case v1::TREND_METRIC_RESPONDED:
      return kResponded;
    case v1::TREND_METRIC_BREACHED:
      return kBreached;
    case v1::TREND_METRIC_ESCALATED:
      return kEscalated;
    case v1::TREND_METRIC_MEDIATED:
      return kMediated;
    case v1::TREND_METRIC_BACKLOG:
      return kOpen;
    default:
      return kReceived;
  }
}

std::string MetricWord(v1::TrendMetric metric) {
  switch (metric) {
    case v1::TREND_METRIC_RESPONDED:
      return "responses";
    case v1::TREND_METRIC_BREACHED:
      return "deadlines breached";
    case v1::TREND_METRIC_ESCALATED:
      return "escalations";
    case v1::TREND_METRIC_MEDIATED:
      return "mediations";
    case v1::TREND_METRIC_BACKLOG:
      return "backlog";
    default:
      return "received";
  }
}

// The value of a finer dimension with the largest excess over its mean in earlier periods.
std::optional<std::pair<std::string, double>> TopExcess(const Breakdown& breakdown, size_t period) {
  std::optional<std::pair<std::string, double>> best;
  for (const auto& [value, count] : breakdown[period]) {
    double earlier = 0;
    for (size_t p = 0; p < period; ++p) {
      const auto it = breakdown[p].find(value);
      earlier += it == breakdown[p].end() ? 0 : it->second;
    }
    const double excess = count - (period == 0 ? 0 : earlier / static_cast<double>(period));
    if (excess > 0 && (!best.has_value() || excess > best->second)) {
      best = {{value, excess}};
    }
  }
  return best;
}

}  // namespace

int64_t TrendScanEnd(const TrendSpec& spec, const ReportContext& context) {
  return spec.metric == v1::TREND_METRIC_BACKLOG
             ? std::max(spec.last_day, DayNumber(context.now, context.zone))
             : spec.last_day;
}

std::vector<v1::TrendSeries> BuildTrends(const TrendSpec& spec, const TrendInputs& inputs,
                                         const ReportContext& context) {
  const v1::Dimension period_dimension = spec.weekly ? v1::DIMENSION_WEEK : v1::DIMENSION_DAY;
  const int64_t period_days = spec.weekly ? 7 : 1;
  const int64_t origin = PeriodOf(period_dimension, spec.first_day).first;
  const size_t periods = spec.last_day < spec.first_day
                             ? 0
                             : static_cast<size_t>((spec.last_day - origin) / period_days + 1);
  const int64_t counter = CounterOf(spec.metric);
  const bool backlog = spec.metric == v1::TREND_METRIC_BACKLOG;

  const auto key_of = [&](const CellRow& row) {
    Key key;
    for (const v1::Dimension dimension : spec.split_by) {
      key.push_back(DimensionValueOf(dimension, row.day, row.dimensions));
    }
    return key;
  };
  absl::btree_map<Key, Series> all;
  const auto series_of = [&](const Key& key) -> Series& {
    Series& series = all[key];
    if (series.values.empty()) {
      series.values.assign(periods, 0);
      series.by_category.resize(periods);
      series.by_territory.resize(periods);
    }
    return series;
  };
  for (const CellRow& row : inputs.rows) {
    const double value = static_cast<double>(CellValue(row.cells, counter));
    if (value == 0) {
      continue;
    }
    Series& series = series_of(key_of(row));
    if (backlog) {
      series.net_arrivals[row.day] += value;
      continue;
    }
    if (row.day < origin || row.day > spec.last_day) {
      continue;
    }
    const size_t period = static_cast<size_t>((row.day - origin) / period_days);
    series.values[period] += value;
    series.by_category[period][row.dimensions.category] += value;
    series.by_territory[period][row.dimensions.department_code] += value;
  }
  if (backlog) {
    for (const CellRow& row : inputs.open_now) {
      Series& series = series_of(key_of(row));
      ForEachPackedDay(row.day, row.cells, [&](int64_t, int slot, int64_t count) {
        if (slot == 0) {
          series.open_now += static_cast<double>(count);
        }
      });
    }
    for (auto& [key, series] : all) {
      for (size_t period = 0; period < periods; ++period) {
        const int64_t end = origin + static_cast<int64_t>(period + 1) * period_days - 1;
        double value = series.open_now;
        for (auto it = series.net_arrivals.upper_bound(end); it != series.net_arrivals.end();
             ++it) {
          value -= it->second;
        }
        series.values[period] = value;
      }
    }
  }
  for (auto& [key, series] : all) {
    for (const double value : series.values) {
      series.total += value;
    }
  }

  std::vector<std::pair<const Key*, Series*>> ranked;
  for (auto& [key, series] : all) {
    ranked.emplace_back(&key, &series);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second->total > b.second->total; });
  if (ranked.size() > static_cast<size_t>(spec.max_series)) {
    ranked.resize(spec.max_series);
  }

  const SpikeOptions options{.z_threshold = spec.z_threshold,
                             .min_value = static_cast<double>(context.min_group_size)};
  std::vector<v1::TrendSeries> out;
  for (const auto& [key, series] : ranked) {
    v1::TrendSeries& trend = out.emplace_back();
    for (size_t i = 0; i < key->size(); ++i) {
      v1::DimensionValue* value = trend.add_dimension_values();
      value->set_dimension(spec.split_by[i]);
      value->set_value((*key)[i]);
    }
    const std::vector<ScoredPoint> scored = ScoreSeries(series->values, options);
    for (size_t period = 0; period < periods; ++period) {
      const int64_t start = origin + static_cast<int64_t>(period) * period_days;
      v1::TrendPoint* point = trend.add_points();
      *point->mutable_period_start() = DateOf(start);
      const double value = series->values[period];
      if (value > 0 && value < context.min_group_size) {
        point->set_suppressed(true);
        continue;
      }
      point->set_value(value);
      point->set_baseline(scored[period].baseline);
      point->set_z_score(scored[period].z_score);
      point->set_spike(scored[period].spike);
      if (!scored[period].spike) {
        continue;
      }
      v1::Spike* spike = trend.add_spikes();
      *spike->mutable_period_start() = DateOf(start);
      spike->set_value(value);
      spike->set_baseline(scored[period].baseline);
      spike->set_z_score(scored[period].z_score);
      std::string explanation = absl::StrFormat(
          "%s %.0f, %.1fx the baseline of %.1f (z = %.1f)", MetricWord(spec.metric), value,
          scored[period].baseline > 0 ? value / scored[period].baseline : 0.0,
          scored[period].baseline, scored[period].z_score);
      if (!backlog) {
        std::vector<std::string> parts;
        if (const auto category = TopExcess(series->by_category, period);
            category.has_value() && !category->first.empty()) {
          v1::DimensionValue* driver = spike->add_drivers();
          driver->set_dimension(v1::DIMENSION_CATEGORY);
          driver->set_value(category->first);
          parts.push_back(
              absl::StrFormat("category %s (+%.0f)", category->first, category->second));
        }
        if (const auto territory = TopExcess(series->by_territory, period);
            territory.has_value() && !territory->first.empty()) {
          v1::DimensionValue* driver = spike->add_drivers();
          driver->set_dimension(v1::DIMENSION_TERRITORY_DEPARTMENT);
          driver->set_value(territory->first);
          parts.push_back(
              absl::StrFormat("département %s (+%.0f)", territory->first, territory->second));
        }
        if (!parts.empty()) {
          explanation += ", mostly " + parts[0];
          if (parts.size() > 1) {
            explanation += " in " + parts[1];
          }
        }
      }
      spike->set_explanation(explanation);
    }
  }
  return out;
}

}  // namespace doleances::analytics
