// /metrics: counters and histograms in the Prometheus text exposition
// format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// What the server itself counts (requests by route, method and status;
// request latency; store statement time) lives in Metrics; what is read at
// scrape time (open connections, response-cache hits, item counts) comes in
// as MetricFamily values from whoever composes the server.
//
// Thread-safety: every method of Metrics may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "http/server.h"

namespace newsdesk::http {

// A low-cardinality name for what a request asked for: "home", "item",
// "feed", "api", ... never the raw path (a label per path would let anyone
// grow the metrics without bound). `item_permalink` is the site's pattern
// ("/news/{slug}/"); a target of "-" (unreadable request line) is "invalid".
std::string_view route_name(std::string_view target, std::string_view item_permalink);

// One metric read at scrape time: a gauge or a counter with labelled values.
struct MetricFamily {
  std::string name;  // "newsdesk_items"
  std::string help;
  std::string type;  // "gauge" or "counter"
  // Label set ("status=\"published\"", already escaped, or "") and value.
  std::vector<std::pair<std::string, double>> samples;
};

// A label value escaped for the exposition format (\\, \", \n).
std::string escape_label(std::string_view value);

class Metrics {
 public:
  explicit Metrics(std::string item_permalink);
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered request (the server's on_request).
  void record_request(const RequestRecord& record);
  // One store statement: whether it wrote, and how long it ran.
  void record_statement(bool wrote, double seconds);

  // The exposition text: everything recorded, then `extra`.
  std::string render(const std::vector<MetricFamily>& extra) const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // per upper bound, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  static void observe(Histogram& h, const std::vector<double>& bounds, double value);
  static void write_histogram(std::string& out, std::string_view name, const std::string& labels,
                              const Histogram& h, const std::vector<double>& bounds);

  using RequestKey = std::tuple<std::string, std::string, int>;
  using RequestView = std::tuple<std::string_view, std::string_view, int>;
  // Orders keys and views alike, so a lookup needs no strings. (std::less<>
  // would compare the tuples directly, which clang 14 with libstdc++ 12
  // refuses for string against string_view.)
  struct RequestLess {
    using is_transparent = void;
    static RequestView view(const RequestKey& k) {
      return {std::get<0>(k), std::get<1>(k), std::get<2>(k)};
    }
    static RequestView view(const RequestView& v) { return v; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
  };

  const std::string item_permalink_;
  mutable std::mutex mu_;
  // (route, method, status) -> count; guarded by mu_
  std::map<RequestKey, std::uint64_t, RequestLess> requests_;
  std::map<std::string, Histogram, std::less<>> latency_;  // by route; guarded by mu_
  std::map<std::string, Histogram> statements_;            // "read" / "write"; guarded by mu_
  std::uint64_t response_bytes_ = 0;                       // guarded by mu_
};

// The /metrics response (GET and HEAD; other methods 405).
Response metrics_response(const Request& req, const Metrics& metrics,
                          const std::vector<MetricFamily>& extra);

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace newsdesk::http
