#include "http/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "http/query.h"
#include "model/permalink.h"

namespace newsdesk::http {

namespace {

// Seconds. Pages come from the cache in well under a millisecond; a first
// render or an upload takes tens to hundreds.
const std::vector<double> kLatencyBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                            0.1,    0.25,  0.5,    1,     2.5,  5,     10};
// Seconds. One SQLite statement is usually tens of microseconds.
const std::vector<double> kStatementBounds = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                              0.005,   0.01,   0.025,   0.05,   0.1,   1};

// Methods as labels: the known ones, everything else "other" (a client may
// send any token as a method).
std::string_view method_label(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view m : kKnown) {
    if (m == method) return m;
  }
  return method == "-" ? "-" : "other";
}

std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  char buffer[64];
  // Integers print as integers; the rest with enough digits to round-trip.
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.9g", value);
  }
  return buffer;
}

void header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, std::string_view name, std::string_view labels, double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += number(value);
  out += '\n';
}

}  // namespace

std::string_view route_name(std::string_view target, std::string_view item_permalink) {
  if (target == "-") return "invalid";
  // path_of, with two memchr instead of find_first_of's one per byte (this
  // runs on every request).
  const std::string_view path = target.substr(0, std::min(target.find('?'), target.find('#')));
  if (path == "/") return "home";
  if (path == "/healthz") return "healthz";
  if (path == "/metrics") return "metrics";
  if (path == "/search") return "search";
  if (path == "/sitemap.xml" || path == "/news-sitemap.xml") return "sitemap";
  if (path == "/robots.txt") return "robots";
  if (path == "/feed.xsl" || path.starts_with("/static/")) return "static";
  if (path.starts_with("/files/")) return "files";
  if (path.starts_with("/api/")) return "api";
  if (path == "/admin" || path.starts_with("/admin/")) return "admin";
  if (path.starts_with("/press/")) return "press_feed";
  if (path.starts_with("/preview/")) return "preview";
  if (path.ends_with("/rss.xml") || path.ends_with("/atom.xml") || path.ends_with("/feed.json")) {
    return "feed";
  }
  if (path.starts_with("/category/")) return "category";
  if (path.starts_with("/archive/")) return "archive";
  if (path == "/news/" || path.starts_with("/news/page/")) return "news_list";
  if (model::matches_permalink(item_permalink, path)) return "item";
  return "other";
}

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Metrics::Metrics(std::string item_permalink) : item_permalink_(std::move(item_permalink)) {}

void Metrics::observe(Histogram& h, const std::vector<double>& bounds, double value) {
  if (h.buckets.empty()) h.buckets.assign(bounds.size(), 0);
  const auto it = std::lower_bound(bounds.begin(), bounds.end(), value);
  if (it != bounds.end()) ++h.buckets[static_cast<std::size_t>(it - bounds.begin())];
  ++h.count;
  h.sum += value;
}

void Metrics::record_request(const RequestRecord& record) {
  const std::string_view route = route_name(record.target, item_permalink_);
  const std::string_view method = method_label(record.method);
  std::lock_guard lock(mu_);
  // Looked up by views: a string key is made only the first time.
  auto count = requests_.find(
      std::tuple<std::string_view, std::string_view, int>(route, method, record.status));
  if (count == requests_.end()) {
    count = requests_.emplace(std::tuple(std::string(route), std::string(method), record.status), 0)
                .first;
  }
  ++count->second;
  auto latency = latency_.find(route);
  if (latency == latency_.end()) latency = latency_.emplace(std::string(route), Histogram{}).first;
  observe(latency->second, kLatencyBounds, record.duration.count());
  response_bytes_ += record.body_bytes;
}

void Metrics::record_statement(bool wrote, double seconds) {
  std::lock_guard lock(mu_);
  observe(statements_[wrote ? "write" : "read"], kStatementBounds, seconds);
}

void Metrics::write_histogram(std::string& out, std::string_view name, const std::string& labels,
                              const Histogram& h, const std::vector<double>& bounds) {
  const std::string prefix = labels.empty() ? "" : labels + ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    cumulative += h.buckets[i];
    sample(out, std::string(name) + "_bucket", prefix + "le=\"" + number(bounds[i]) + "\"",
           static_cast<double>(cumulative));
  }
  sample(out, std::string(name) + "_bucket", prefix + "le=\"+Inf\"", static_cast<double>(h.count));
  sample(out, std::string(name) + "_sum", labels, h.sum);
  sample(out, std::string(name) + "_count", labels, static_cast<double>(h.count));
}

std::string Metrics::render(const std::vector<MetricFamily>& extra) const {
  std::string out;
  {
    std::lock_guard lock(mu_);
    header(out, "newsdesk_http_requests_total",
           "HTTP requests answered, by route (a fixed set of names), method and status.",
           "counter");
    for (const auto& [key, count] : requests_) {
      const auto& [route, method, status] = key;
      sample(out, "newsdesk_http_requests_total",
             "route=\"" + escape_label(route) + "\",method=\"" + escape_label(method) +
                 "\",status=\"" + std::to_string(status) + "\"",
             static_cast<double>(count));
    }
    header(out, "newsdesk_http_request_duration_seconds",
           "From a request's first byte to its response's last, by route.", "histogram");
    for (const auto& [route, h] : latency_) {
      write_histogram(out, "newsdesk_http_request_duration_seconds",
                      "route=\"" + escape_label(route) + "\"", h, kLatencyBounds);
    }
    header(out, "newsdesk_http_response_body_bytes_total", "Response body bytes sent.", "counter");
    sample(out, "newsdesk_http_response_body_bytes_total", "",
           static_cast<double>(response_bytes_));
    header(out, "newsdesk_store_statement_duration_seconds",
           "Time SQL statements of this process ran, by kind (read or write).", "histogram");
    for (const auto& [kind, h] : statements_) {
      write_histogram(out, "newsdesk_store_statement_duration_seconds",
                      "kind=\"" + escape_label(kind) + "\"", h, kStatementBounds);
    }
  }
  for (const MetricFamily& family : extra) {
    header(out, family.name, family.help, family.type);
    for (const auto& [labels, value] : family.samples) sample(out, family.name, labels, value);
  }
  return out;
}

Response metrics_response(const Request& req, const Metrics& metrics,
                          const std::vector<MetricFamily>& extra) {
  if (req.method() != beast_http::verb::get && req.method() != beast_http::verb::head) {
    Response res{beast_http::status::method_not_allowed, req.version()};
    res.set(beast_http::field::content_type, "text/plain; charset=utf-8");
    res.set(beast_http::field::allow, "GET, HEAD");
    res.body() = "Method Not Allowed\n";
    res.keep_alive(true);
    return res;
  }
  Response res{beast_http::status::ok, req.version()};
  res.set(beast_http::field::content_type, kMetricsContentType);
  res.set(beast_http::field::cache_control, "no-store");
  res.body() = metrics.render(extra);
  res.keep_alive(true);
  return res;
}

}  // namespace newsdesk::http
