#include "app/operations.h"

#include <spdlog/spdlog.h>

#include <string>
#include <utility>

#include "http/query.h"

namespace newsdesk::app {

namespace {

http::Response text_response(http::beast_http::status status, unsigned version, std::string body) {
  http::Response res{status, version};
  res.set(http::beast_http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::beast_http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.keep_alive(true);
  return res;
}

}  // namespace

Operations::Operations(const Config& config, store::Store& store)
    : config_(config), store_(store), metrics_(config.site.news_permalink) {}

Operations::~Operations() { store_.observe_statements(nullptr); }

Result<std::unique_ptr<Operations>> Operations::start(const Config& config, store::Store& store) {
  const auto level = spdlog::level::from_str(config.log_level);
  if (level == spdlog::level::off && config.log_level != "off") {
    return make_error(ErrorCode::kInvalid, "log level must be debug, info, warn or error, not '" +
                                               config.log_level + "'");
  }
  spdlog::set_level(level);
  std::unique_ptr<Operations> ops(new Operations(config, store));
  auto allow = http::AddressFilter::parse(config.metrics_allow);
  if (!allow) return wrap_error(allow.error(), "metrics_allow");
  ops->metrics_allow_ = std::move(*allow);
  if (config.access_log != "off") {
    const auto format = http::parse_access_log_format(config.access_log_format);
    if (!format) {
      return make_error(ErrorCode::kInvalid,
                        "log format must be text or json, not '" + config.access_log_format + "'");
    }
    auto log = http::AccessLog::open(config.access_log, *format);
    if (!log) return log.error();
    ops->access_log_ = std::move(*log);
  }
  http::Metrics& metrics = ops->metrics_;
  store.observe_statements(
      [&metrics](bool wrote, double seconds) { metrics.record_statement(wrote, seconds); });
  return ops;
}

void Operations::configure(http::ServerOptions& options) {
  const ServerLimits& l = config_.limits;
  options.max_connections = static_cast<std::size_t>(l.max_connections);
  options.header_timeout = std::chrono::seconds(l.header_timeout);
  options.body_timeout = std::chrono::seconds(l.body_timeout);
  options.idle_timeout = std::chrono::seconds(l.idle_timeout);
  options.shutdown_timeout = std::chrono::seconds(l.shutdown_timeout);
  options.request_line_limit = static_cast<std::size_t>(l.max_request_line);
  options.header_limit = static_cast<std::size_t>(l.max_header_bytes);
  options.trusted_proxies = config_.trusted_proxies;
  options.on_request = [this](const http::RequestRecord& record) {
    metrics_.record_request(record);
    if (access_log_) access_log_->write(record);
  };
}

http::Handler Operations::wrap(http::Handler inner) {
  return [this, inner = std::move(inner)](const http::Request& req) -> http::Response {
    const std::string_view target = req.target();
    // Only these two targets need their path (path_of scans every byte).
    const std::string_view path = target.starts_with("/healthz") || target.starts_with("/metrics")
                                      ? http::path_of(target)
                                      : std::string_view();
    if (path == "/healthz") {
      // A cheap indexed query: the newest change among published items.
      store::ItemQuery query;
      query.status = model::Status::kPublished;
      if (auto r = store_.last_change(query); !r) {
        spdlog::error("healthz: {}", r.error().message);
        return text_response(http::beast_http::status::service_unavailable, req.version(),
                             "store unavailable\n");
      }
      return text_response(http::beast_http::status::ok, req.version(), "ok\n");
    }
    // The client address the server set: the peer's, or a trusted proxy's
    // X-Forwarded-For (never a header the client chose).
    if (path == "/metrics" && config_.metrics &&
        metrics_allow_.allows(req[http::kClientAddressHeader])) {
      return http::metrics_response(req, metrics_, scrape());
    }
    return inner(req);
  };
}

void Operations::watch(const http::Server* server, std::function<http::CacheStats()> cache_stats) {
  server_ = server;
  cache_stats_ = std::move(cache_stats);
}

std::vector<http::MetricFamily> Operations::scrape() {
  std::vector<http::MetricFamily> out;
  if (server_ != nullptr) {
    out.push_back({"newsdesk_http_connections_open",
                   "Connections open now.",
                   "gauge",
                   {{"", static_cast<double>(server_->open_connections())}}});
    out.push_back({"newsdesk_http_connections_rejected_total",
                   "Connections refused with 503 because max_connections were open.",
                   "counter",
                   {{"", static_cast<double>(server_->rejected_connections())}}});
  }
  if (cache_stats_) {
    const http::CacheStats stats = cache_stats_();
    out.push_back({"newsdesk_cache_lookups_total",
                   "Response-cache lookups by result (hit: served from memory; miss: rendered). "
                   "Restarts from zero when the site settings change.",
                   "counter",
                   {{"result=\"hit\"", static_cast<double>(stats.hits)},
                    {"result=\"miss\"", static_cast<double>(stats.misses)}}});
    out.push_back({"newsdesk_cache_entries",
                   "Responses held in the cache now.",
                   "gauge",
                   {{"", static_cast<double>(stats.entries)}}});
  }
  http::MetricFamily items{
      "newsdesk_items", "Items in the database by status (read at scrape time).", "gauge", {}};
  for (const auto status :
       {model::Status::kDraft, model::Status::kScheduled, model::Status::kPublished}) {
    store::ItemQuery query;
    query.status = status;
    if (auto n = store_.count_items(query)) {
      items.samples.emplace_back(
          "status=\"" + http::escape_label(model::status_name(status)) + "\"",
          static_cast<double>(*n));
    }
  }
  out.push_back(std::move(items));
  if (auto imported = store_.count_imported_items()) {
    out.push_back({"newsdesk_items_imported",
                   "Items in the database that came from a feed import (by any process, at any "
                   "time; read at scrape time).",
                   "gauge",
                   {{"", static_cast<double>(*imported)}}});
  }
  return out;
}

}  // namespace newsdesk::app
