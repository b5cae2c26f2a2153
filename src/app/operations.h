// The operator's side of `newsdesk serve`, built from the configuration:
// the log level, the server's limits and timeouts, the access log, /metrics
// and /healthz. serve() makes one before the server and keeps it until the
// server is gone.
#pragma once

#include <functional>
#include <memory>

#include "app/config.h"
#include "core/result.h"
#include "http/access_log.h"
#include "http/address_filter.h"
#include "http/cache.h"
#include "http/metrics.h"
#include "http/server.h"
#include "store/store.h"

namespace newsdesk::app {

class Operations {
 public:
  // Sets spdlog's level, opens the access log, and times the store's
  // statements for /metrics. Errors: kUnavailable when the access log file
  // cannot be opened; kInvalid for a bad level, format or metrics_allow.
  // REQUIRES: no other call on `store` in progress.
  static Result<std::unique_ptr<Operations>> start(const Config& config, store::Store& store);
  ~Operations();  // stops timing the store's statements
  Operations(const Operations&) = delete;
  Operations& operator=(const Operations&) = delete;

  // Limits, timeouts, trusted proxies, and the observer that feeds the
  // access log and the metrics. REQUIRES: this outlives the server.
  void configure(http::ServerOptions& options);

  // `inner`, with /healthz (a cheap store query; 503 when it fails) and,
  // unless [server] metrics = false, /metrics answered first: to clients
  // in [server] metrics_allow only; for anyone else /metrics goes to
  // `inner` like any unknown path (its 404 does not reveal the endpoint).
  http::Handler wrap(http::Handler inner);

  // What /metrics reads when asked, besides what it counted: the server's
  // connections and the response cache's hits. Either may be left out.
  // REQUIRES: both outlive every request.
  void watch(const http::Server* server, std::function<http::CacheStats()> cache_stats);

 private:
  Operations(const Config& config, store::Store& store);
  std::vector<http::MetricFamily> scrape();

  const Config& config_;
  store::Store& store_;
  http::Metrics metrics_;
  http::AddressFilter metrics_allow_;
  std::unique_ptr<http::AccessLog> access_log_;
  const http::Server* server_ = nullptr;
  std::function<http::CacheStats()> cache_stats_;
};

}  // namespace newsdesk::app
