// SvgChart: line, stacked-area and timeline charts drawn as inline SVG for
// the self-contained HTML report — axes with ticks and units, a title and a
// legend on every chart, no script and no external resource. Each chart's
// <svg> carries class "chart" and data-chart="<id>", and every drawn series
// is a <path class="series"> (or <circle class="mark">), which is what the
// headless-browser test counts.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

namespace adze::report {

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), x ascending
  bool dashed = false;
  int color = -1;  // palette index; -1: the series' position
};

struct ChartSpec {
  std::string id;       // data-chart
  std::string title;
  std::string x_label;  // with unit, e.g. "time (h)"
  std::string y_label;
  std::vector<Series> series;
  bool stacked = false;  // areas stacked in series order (series share x)
  bool step = false;     // step lines (counts that change at instants)
  bool x_log = false;
};

// An empirical CDF's points for a sample (x sorted, y from 1/n to 1).
std::vector<std::pair<double, double>> Cdf(std::vector<double> sample);

std::string RenderChart(const ChartSpec& spec);

// Rows of marks: each row a label and its (x, kind) marks, drawn on a shared
// time axis, with a legend of kinds.
struct TimelineRow {
  std::string label;
  std::vector<std::pair<double, int>> marks;  // (x, kind index)
};
std::string RenderTimeline(const std::string& id, const std::string& title, const std::string& x_label, double x_max,
                           const std::vector<std::string>& kinds, const std::vector<TimelineRow>& rows);

// HTML-escapes text.
std::string Escape(const std::string& text);

}  // namespace adze::report
