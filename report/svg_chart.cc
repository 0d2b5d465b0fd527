#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace adze::report {
namespace {

// Okabe–Ito, then a few more distinguishable hues.
constexpr const char* kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                                    "#000000", "#F0E442", "#882255", "#44AA99", "#999933", "#AA4499"};
constexpr int kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);

constexpr double kWidth = 760, kHeight = 300;
constexpr double kLeft = 64, kRight = 16, kTop = 34, kBottom = 46;

const char* Color(int i) { return kPalette[((i % kPaletteSize) + kPaletteSize) % kPaletteSize]; }

// Round tick step for a span.
double NiceStep(double span, int target) {
  if (span <= 0) return 1;
  const double raw = span / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

std::string Num(double v) {
  if (std::fabs(v) >= 1000) return fmt::format("{:.0f}", v);
  if (std::fabs(v - std::round(v)) < 1e-9) return fmt::format("{:.0f}", v);
  if (std::fabs(v) >= 10) return fmt::format("{:.1f}", v);
  return fmt::format("{:.2g}", v);
}

struct Scale {
  double lo, hi, px_lo, px_hi;
  bool log = false;
  double operator()(double v) const {
    if (log) {
      const double l = std::log10(std::max(v, lo));
      return px_lo + (l - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) * (px_hi - px_lo);
    }
    return hi == lo ? px_lo : px_lo + (v - lo) / (hi - lo) * (px_hi - px_lo);
  }
};

std::string Legend(const std::vector<std::pair<std::string, std::string>>& items, bool has_dash = false,
                   const std::vector<bool>& dashed = {}) {
  // Wraps below the plot; one entry ≈ 7 px per character.
  std::string out = "<g class=\"legend\" font-size=\"11\">";
  double x = kLeft, y = kHeight - 10;
  for (size_t i = 0; i < items.size(); ++i) {
    const double w = 30 + 6.5 * static_cast<double>(items[i].first.size());
    if (x + w > kWidth - kRight && x > kLeft) {
      x = kLeft;
      y += 14;
    }
    const bool d = has_dash && i < dashed.size() && dashed[i];
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"3\"{}/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
        x, y - 4, x + 18, y - 4, items[i].second, d ? " stroke-dasharray=\"5,3\"" : "", x + 22, y, Escape(items[i].first));
    x += w;
  }
  out += "</g>";
  return out;
}

std::string Frame(const std::string& id, const std::string& title, double height, int legend_rows) {
  return fmt::format(
      "<svg class=\"chart\" data-chart=\"{}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}\" "
      "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\">"
      "<title>{}</title><text x=\"{:.0f}\" y=\"20\" font-size=\"15\" font-weight=\"600\">{}</text>",
      id, kWidth, height + 14.0 * std::max(0, legend_rows - 1), Escape(title), Escape(title), kLeft, Escape(title));
}

int LegendRows(const std::vector<std::string>& names) {
  int rows = 1;
  double x = kLeft;
  for (const auto& n : names) {
    const double w = 30 + 6.5 * static_cast<double>(n.size());
    if (x + w > kWidth - kRight && x > kLeft) {
      x = kLeft;
      ++rows;
    }
    x += w;
  }
  return rows;
}

std::string Axes(const Scale& xs, const Scale& ys, const std::string& x_label, const std::string& y_label) {
  std::string out = "<g class=\"axes\" font-size=\"11\" fill=\"#333\">";
  const double y0 = ys.px_lo, x0 = xs.px_lo;
  out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>", x0, y0, xs.px_hi, y0);
  out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>", x0, y0, x0, ys.px_hi);
  // y ticks with light grid lines.
  const double ystep = NiceStep(ys.hi - ys.lo, 5);
  for (double v = std::ceil(ys.lo / ystep) * ystep; v <= ys.hi + 1e-9; v += ystep) {
    const double y = ys(v);
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>",
        x0, y, xs.px_hi, y, x0 - 6, y + 4, Num(v));
  }
  if (xs.log) {
    for (double v = std::pow(10.0, std::ceil(std::log10(xs.lo))); v <= xs.hi * 1.0001; v *= 10) {
      const double x = xs(v);
      out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>"
                         "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                         x, y0, x, y0 + 4, x, y0 + 16, Num(v));
    }
  } else {
    const double xstep = NiceStep(xs.hi - xs.lo, 8);
    for (double v = std::ceil(xs.lo / xstep) * xstep; v <= xs.hi + 1e-9; v += xstep) {
      const double x = xs(v);
      out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>"
                         "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                         x, y0, x, y0 + 4, x, y0 + 16, Num(v));
    }
  }
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", (xs.px_lo + xs.px_hi) / 2,
                     y0 + 31, Escape(x_label));
  out += fmt::format("<text transform=\"translate(14,{:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
                     (ys.px_lo + ys.px_hi) / 2, Escape(y_label));
  out += "</g>";
  return out;
}

}  // namespace

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<std::pair<double, double>> Cdf(std::vector<double> sample) {
  std::sort(sample.begin(), sample.end());
  std::vector<std::pair<double, double>> out;
  const double n = static_cast<double>(sample.size());
  for (size_t i = 0; i < sample.size(); ++i) {
    if (i + 1 < sample.size() && sample[i + 1] == sample[i]) continue;  // one point per distinct value
    out.emplace_back(sample[i], static_cast<double>(i + 1) / n);
  }
  return out;
}

std::string RenderChart(const ChartSpec& spec) {
  std::vector<std::string> names;
  for (const auto& s : spec.series) names.push_back(s.name);
  const int rows = LegendRows(names);
  const double legend_extra = 14.0 * (rows - 1);
  // Extent.
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_hi = 0;
  std::vector<double> stack_top;
  for (const auto& s : spec.series) {
    for (size_t i = 0; i < s.points.size(); ++i) {
      const auto& [x, y] = s.points[i];
      if (spec.x_log && x <= 0) continue;
      x_lo = std::min(x_lo, x);
      x_hi = std::max(x_hi, x);
      if (spec.stacked) {
        if (stack_top.size() <= i) stack_top.resize(i + 1, 0);
        stack_top[i] += y;
        y_hi = std::max(y_hi, stack_top[i]);
      } else {
        y_hi = std::max(y_hi, y);
      }
    }
  }
  if (!(x_lo <= x_hi)) {
    x_lo = spec.x_log ? 1 : 0;
    x_hi = spec.x_log ? 10 : 1;
  }
  if (spec.x_log) {
    x_lo = std::pow(10.0, std::floor(std::log10(x_lo)));
    x_hi = std::pow(10.0, std::ceil(std::log10(x_hi)));
  } else {
    x_lo = std::min(x_lo, 0.0);
  }
  if (x_hi <= x_lo) x_hi = x_lo + 1;
  y_hi = y_hi <= 0 ? 1 : y_hi * 1.08;
  const double plot_bottom = kHeight - kBottom - 12;
  Scale xs{x_lo, x_hi, kLeft, kWidth - kRight, spec.x_log};
  Scale ys{0, y_hi, plot_bottom, kTop};
  ys.hi = NiceStep(y_hi, 5) * std::ceil(y_hi / NiceStep(y_hi, 5));

  std::string out = "<figure>" + Frame(spec.id, spec.title, kHeight, rows);
  out += Axes(xs, ys, spec.x_label, spec.y_label);
  std::vector<double> base;
  std::vector<std::pair<std::string, std::string>> legend;
  std::vector<bool> dashed;
  for (size_t si = 0; si < spec.series.size(); ++si) {
    const Series& s = spec.series[si];
    const char* color = Color(s.color >= 0 ? s.color : static_cast<int>(si));
    legend.emplace_back(s.name, color);
    dashed.push_back(s.dashed);
    if (s.points.empty()) continue;
    std::string d;
    if (spec.stacked) {
      if (base.size() < s.points.size()) base.resize(s.points.size(), 0);
      std::vector<double> top(s.points.size());
      for (size_t i = 0; i < s.points.size(); ++i) top[i] = base[i] + s.points[i].second;
      for (size_t i = 0; i < s.points.size(); ++i) {
        d += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "M" : "L", xs(s.points[i].first), ys(top[i]));
      }
      for (size_t i = s.points.size(); i-- > 0;) d += fmt::format("L{:.1f},{:.1f}", xs(s.points[i].first), ys(base[i]));
      d += "Z";
      out += fmt::format("<path class=\"series\" d=\"{}\" fill=\"{}\" fill-opacity=\"0.8\" stroke=\"none\"><title>{}</title></path>",
                         d, color, Escape(s.name));
      base = top;
      continue;
    }
    double prev_y = 0;
    bool first = true;
    for (const auto& [x, y] : s.points) {
      if (spec.x_log && x <= 0) continue;
      if (first) {
        d += fmt::format("M{:.1f},{:.1f}", xs(x), ys(y));
      } else if (spec.step) {
        d += fmt::format("L{:.1f},{:.1f}L{:.1f},{:.1f}", xs(x), ys(prev_y), xs(x), ys(y));
      } else {
        d += fmt::format("L{:.1f},{:.1f}", xs(x), ys(y));
      }
      prev_y = y;
      first = false;
    }
    out += fmt::format("<path class=\"series\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}><title>{}</title></path>",
                       d, color, s.dashed ? " stroke-dasharray=\"6,4\"" : "", Escape(s.name));
  }
  out += Legend(legend, true, dashed);
  (void)legend_extra;
  out += "</svg></figure>\n";
  return out;
}

std::string RenderTimeline(const std::string& id, const std::string& title, const std::string& x_label, double x_max,
                           const std::vector<std::string>& kinds, const std::vector<TimelineRow>& rows) {
  const double row_h = 26;
  const double plot_top = kTop + 6;
  const double plot_bottom = plot_top + row_h * static_cast<double>(std::max<size_t>(rows.size(), 1));
  const double height = plot_bottom + kBottom + 12;
  const int legend_rows = LegendRows(kinds);
  const double left = 150;
  Scale xs{0, x_max > 0 ? x_max : 1, left, kWidth - kRight};
  std::string out = "<figure>" + fmt::format(
      "<svg class=\"chart\" data-chart=\"{}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}\" "
      "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\">"
      "<title>{}</title><text x=\"{:.0f}\" y=\"20\" font-size=\"15\" font-weight=\"600\">{}</text>",
      id, kWidth, height + 14.0 * (legend_rows - 1), Escape(title), Escape(title), kLeft, Escape(title));
  out += "<g class=\"axes\" font-size=\"11\" fill=\"#333\">";
  out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>", left, plot_bottom,
                     kWidth - kRight, plot_bottom);
  const double xstep = NiceStep(xs.hi, 8);
  for (double v = 0; v <= xs.hi + 1e-9; v += xstep) {
    out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>",
                       xs(v), plot_top, plot_bottom + 4, plot_bottom + 16, Num(v));
  }
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", (left + kWidth - kRight) / 2,
                     plot_bottom + 31, Escape(x_label));
  for (size_t r = 0; r < rows.size(); ++r) {
    const double y = plot_top + row_h * (static_cast<double>(r) + 0.5);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", left - 8, y + 4,
                       Escape(rows[r].label));
    out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#eee\"/>", left, y,
                       kWidth - kRight, y);
  }
  out += "</g>";
  for (size_t r = 0; r < rows.size(); ++r) {
    const double y = plot_top + row_h * (static_cast<double>(r) + 0.5);
    for (const auto& [x, kind] : rows[r].marks) {
      const double jitter = (static_cast<double>(kind % 3) - 1) * 5;
      out += fmt::format("<circle class=\"mark\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\" fill-opacity=\"0.75\">"
                         "<title>{}</title></circle>",
                         xs(x), y + jitter, Color(kind), Escape(kinds[static_cast<size_t>(kind)]));
    }
  }
  // Legend below the axis label.
  std::string legend = "<g class=\"legend\" font-size=\"11\">";
  double lx = kLeft, ly = height - 10;
  for (size_t i = 0; i < kinds.size(); ++i) {
    const double w = 30 + 6.5 * static_cast<double>(kinds[i].size());
    if (lx + w > kWidth - kRight && lx > kLeft) {
      lx = kLeft;
      ly += 14;
    }
    legend += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"{}\"/><text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
                          lx + 8, ly - 4, Color(static_cast<int>(i)), lx + 18, ly, Escape(kinds[i]));
    lx += w;
  }
  out += legend + "</g></svg></figure>\n";
  return out;
}

}  // namespace adze::report
