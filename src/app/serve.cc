#include "app/serve.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

#include "app/operations.h"
#include "http/admin.h"
#include "http/api.h"
#include "http/cache.h"
#include "http/press.h"
#include "http/query.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/languages.h"
#include "model/output_format.h"
#include "model/permalink.h"
#include "render/theme.h"
#include "service/accounts.h"
#include "service/attachments.h"
#include "service/change_watcher.h"
#include "service/editorial.h"
#include "service/feeds.h"
#include "service/languages.h"
#include "service/news.h"
#include "service/pages.h"
#include "service/site_settings.h"
#include "service/websub.h"
#include "store/store.h"

namespace newsdesk::app {
namespace {

// The feeds a WebSub hub hears about: the site's and every category's, in
// every language.
std::vector<std::string> websub_topics(const model::Site& site, service::NewsService& news) {
  std::vector<std::string> paths;
  for (const model::OutputFormat& f : model::kFeedFormats) {
    paths.push_back(service::feed_path({f.format, "", 0}));
  }
  if (auto categories = news.categories()) {
    for (const model::Category& c : *categories) {
      for (const model::OutputFormat& f : model::kFeedFormats) {
        paths.push_back(service::feed_path({f.format, c.slug, 0}));
      }
    }
  }
  // The same feeds of every served language, under its prefix.
  std::vector<std::string> urls;
  for (const std::string& language : model::served_languages(site)) {
    const std::string prefix = model::language_prefix(site, language);
    for (const std::string& p : paths) {
      urls.push_back(model::absolute_url(site.base_url, prefix + p));
    }
  }
  return urls;
}

// What lives as long as the process, whatever the site settings say.
struct Shared {
  store::Store& store;
  const render::Theme& theme;
  service::AccountService& accounts;
  service::ChangeWatcher& watcher;
  std::size_t max_upload_bytes;  // [server] max_upload_bytes
  std::size_t max_cache_bytes;   // [server] max_cache_bytes
};

// Everything that depends on the site's settings (title, language, time
// zone, feed size), built for one effective Site. Saving the settings in
// the admin UI builds a new one; a request in flight finishes on the one it
// started with, which lives until its last request lets go of it.
class SiteInstance {
 public:
  SiteInstance(const model::Site& site, const Shared& shared)
      : site_(site),
        news_(shared.store, service::system_clock()),
        feeds_(site_, news_),
        languages_(site_, shared.store, shared.theme, service::system_clock(),
                   [&watcher = shared.watcher] { return watcher.generation(); }),
        editorial_(site_, shared.store, service::system_clock(), shared.max_upload_bytes),
        files_(shared.store, news_),
        cache_(http::kDefaultCacheEntries, shared.max_cache_bytes) {
    http::Handler site_handler =
        http::make_site_handler({site_, languages_, shared.theme, shared.watcher, cache_, &files_});
    http::Handler api_handler = http::make_api_handler(
        {site_, shared.accounts, editorial_, shared.watcher, service::system_clock()});
    http::Handler admin_handler =
        http::make_admin_handler({site_, shared.theme, shared.accounts, editorial_, shared.watcher,
                                  service::system_clock()});
    http::Handler press_handler = http::make_press_handler({shared.accounts, feeds_});
    handler_ = [site_handler, api_handler, admin_handler, press_handler](const http::Request& req) {
      const std::string_view path = http::path_of(req.target());
      if (path.starts_with("/api/")) return api_handler(req);
      if (path.starts_with("/press/")) return press_handler(req);
      if (path == "/admin" || path.starts_with("/admin/")) return admin_handler(req);
      return site_handler(req);
    };
  }
  SiteInstance(const SiteInstance&) = delete;
  SiteInstance& operator=(const SiteInstance&) = delete;

  const model::Site& site() const { return site_; }
  http::CacheStats cache_stats() const { return cache_.stats(); }
  http::Response handle(const http::Request& req) const { return handler_(req); }

 private:
  const model::Site site_;
  service::NewsService news_;
  service::FeedService feeds_;  // journalists' feeds: every language
  service::LanguageSites languages_;
  service::EditorialService editorial_;
  service::AttachmentFiles files_;
  http::ResponseCache cache_;
  http::Handler handler_;
};

}  // namespace

Result<void> serve(const Config& config) {
#ifdef __GLIBC__
  // Blocks of 256 KiB and more straight from mmap, so that they go back to
  // the system when freed. glibc's default threshold follows the largest
  // block freed (up to 32 MiB): after one 10 MB sitemap of a 100k-item site,
  // its buffers came from the threads' heaps and about 35 MB stayed resident
  // for good (bench/RESULTS.md, "100k items: resident memory and start-up").
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
  auto address = parse_listen(config.listen);
  if (!address) return address.error();
  auto opened = store::open_store(config.database_url);
  if (!opened) return opened.error();
  store::Store& store = **opened;
  if (auto r = store.migrate(); !r) return r.error();
  // Log level, access log, /metrics, /healthz; it outlives the server.
  auto ops = Operations::start(config, store);
  if (!ops) return ops.error();
  auto theme = render::Theme::load(config.theme_dir);
  if (!theme) return theme.error();

  // WebSub: every change the watcher sees pings the hub about every feed.
  service::NewsService websub_news(store, service::system_clock());
  std::unique_ptr<service::WebSubPublisher> websub;
  if (!config.site.websub_hub.empty()) {
    service::WebSubOptions websub_options;
    websub_options.hub_url = config.site.websub_hub;
    websub = std::make_unique<service::WebSubPublisher>(websub_options, [&config, &websub_news] {
      return websub_topics(config.site, websub_news);
    });
  }

  std::atomic<std::shared_ptr<const SiteInstance>> current;
  std::mutex rebuild_mu;
  std::function<void()> rebuild;  // set below, once `shared` exists
  service::ChangeWatcher watcher(store, service::system_clock(), [&] {
    if (rebuild) rebuild();
    // Once per change, however many instances share the database.
    if (!websub) return;
    if (auto leads = store.leads(); leads && *leads) websub->notify();
  });
  service::AccountService accounts(store, service::system_clock());
  const http::BodyLimits body_limits{static_cast<std::size_t>(config.limits.max_body_bytes),
                                     static_cast<std::size_t>(config.limits.max_upload_bytes)};
  const Shared shared{store,
                      *theme,
                      accounts,
                      watcher,
                      body_limits.upload,
                      static_cast<std::size_t>(config.max_cache_bytes)};

  auto site = service::effective_site(store, config.site);
  if (!site) return site.error();
  current.store(std::make_shared<const SiteInstance>(*site, shared));
  // Any change to the store may be a change to the settings (from this
  // instance's admin UI or another's): the new values take effect at once.
  rebuild = [&] {
    std::lock_guard lock(rebuild_mu);
    auto now = service::effective_site(store, config.site);
    if (!now) {
      spdlog::warn("site settings: {}", now.error().message);
      return;
    }
    if (*now == current.load()->site()) return;
    current.store(std::make_shared<const SiteInstance>(*now, shared));
    spdlog::info("site settings changed: \"{}\", {}, {}, {} feed items", now->title, now->language,
                 now->time_zone, now->feed_items);
  };
  watcher.start(std::chrono::milliseconds(250));

  http::ServerOptions options;
  options.host = address->host;
  options.port = address->port;
  options.threads = config.server_threads > 0
                        ? config.server_threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Decided from the request line, before the body is read (413 unread).
  options.body_limit = body_limits.body;
  options.body_limit_for = [body_limits](http::beast_http::verb method, std::string_view target) {
    return http::body_limit_for(method, target, body_limits);
  };
  (*ops)->configure(options);
  http::Server server(options, (*ops)->wrap([&current](const http::Request& req) {
    return current.load()->handle(req);
  }));
  (*ops)->watch(&server, [&current] { return current.load()->cache_stats(); });
  if (auto r = server.listen(); !r) return r.error();
  // Tests and scripts read this line to learn the port when --listen asks for 0.
  std::printf("newsdesk: serving %s on http://%s:%u/ (%d threads)\n", config.database_url.c_str(),
              address->host.c_str(), server.port(), options.threads);
  std::fflush(stdout);
  server.run();
  watcher.stop();
  spdlog::info("newsdesk: stopped");
  return {};
}

}  // namespace newsdesk::app
