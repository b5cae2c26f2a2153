#include "app/cli.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

#include "app/config.h"
#include "core/file.h"
#include "feed/fetch/fetcher.h"
#include "feed/import/parser.h"
#include "http/cache.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/output_format.h"
#include "model/permalink.h"
#include "render/theme.h"
#include "service/change_watcher.h"
#include "service/feeds.h"
#include "service/import.h"
#include "service/news.h"
#include "service/pages.h"
#include "service/websub.h"
#include "store/store.h"

namespace newsdesk::app {

namespace {

// Flags every subcommand shares; they override the configuration file.
struct CommonFlags {
  std::string db;
  std::string config;
};

void add_common(CLI::App* cmd, CommonFlags& flags) {
  cmd->add_option("--db", flags.db,
                  "Database URL: sqlite:PATH, a plain path, or postgresql://... "
                  "(default: the config file's [database] url, else sqlite:newsdesk.db)");
  cmd->add_option("--config", flags.config, "Configuration file (TOML)");
}

int fail(const Error& error) {
  std::fprintf(stderr, "newsdesk: %s\n", error.message.c_str());
  return 1;
}

Result<Config> resolve_config(const CommonFlags& flags) {
  Config config;
  if (!flags.config.empty()) {
    auto loaded = load_config(flags.config);
    if (!loaded) return loaded.error();
    config = std::move(*loaded);
  }
  if (!flags.db.empty()) config.database_url = flags.db;
  return config;
}

Result<std::unique_ptr<store::Store>> open_migrated(const std::string& url) {
  auto store = store::open_store(url);
  if (!store) return store.error();
  if (auto r = (*store)->migrate(); !r) return r.error();
  return std::move(*store);
}

// The feeds a WebSub hub hears about: the site's and every category's.
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
  std::vector<std::string> urls;
  for (const std::string& p : paths) urls.push_back(model::absolute_url(site.base_url, p));
  return urls;
}

int cmd_init(const CommonFlags& flags) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  auto store = open_migrated(config->database_url);
  if (!store) return fail(store.error());
  auto version = (*store)->schema_version();
  if (!version) return fail(version.error());
  std::printf("newsdesk: %s is ready (schema version %d)\n", config->database_url.c_str(),
              *version);
  return 0;
}

int cmd_serve(const CommonFlags& flags, const std::string& listen, int threads) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  if (!listen.empty()) config->listen = listen;
  if (threads > 0) config->server_threads = threads;
  auto address = parse_listen(config->listen);
  if (!address) return fail(address.error());
  auto store = open_migrated(config->database_url);
  if (!store) return fail(store.error());

  auto theme = render::Theme::load(config->theme_dir);
  if (!theme) return fail(theme.error());

  const model::Site& site = config->site;
  service::NewsService news(**store, service::system_clock());
  service::FeedService feeds(site, news);
  service::PageService pages(site, *theme, news, service::system_clock());
  // WebSub: every change the watcher sees pings the hub about every feed.
  std::unique_ptr<service::WebSubPublisher> websub;
  if (!site.websub_hub.empty()) {
    service::WebSubOptions websub_options;
    websub_options.hub_url = site.websub_hub;
    websub = std::make_unique<service::WebSubPublisher>(
        websub_options, [&site, &news] { return websub_topics(site, news); });
  }
  service::ChangeWatcher watcher(**store, service::system_clock(), [&websub] {
    if (websub) websub->notify();
  });
  watcher.start(std::chrono::milliseconds(250));
  http::ResponseCache cache;
  http::ServerOptions options;
  options.host = address->host;
  options.port = address->port;
  options.threads = config->server_threads > 0
                        ? config->server_threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  http::Server server(options,
                      http::make_site_handler({site, news, feeds, pages, *theme, watcher, cache}));
  if (auto r = server.listen(); !r) return fail(r.error());
  // Tests and scripts read this line to learn the port when --listen asks for 0.
  std::printf("newsdesk: serving %s on http://%s:%u/ (%d threads)\n", config->database_url.c_str(),
              address->host.c_str(), server.port(), options.threads);
  std::fflush(stdout);
  server.run();
  watcher.stop();
  spdlog::info("newsdesk: stopped");
  return 0;
}

// One source read for import: a file, or a URL fetched with conditional GET.
struct ReadSource {
  std::string url;                       // empty for files
  std::optional<feed::ParsedFeed> feed;  // unset: the URL answered 304
  feed::Validators validators;
};

Result<ReadSource> read_source(const std::string& source, store::Store* store) {
  ReadSource out;
  if (!source.starts_with("http://") && !source.starts_with("https://")) {
    auto bytes = read_file(source);
    if (!bytes) return wrap_error(bytes.error(), "import");
    auto parsed = feed::parse_feed(*bytes);
    if (!parsed) return wrap_error(parsed.error(), "import: " + source);
    out.feed = std::move(*parsed);
    return out;
  }
  out.url = source;
  feed::Validators previous;
  if (store != nullptr) {
    auto state = store->source_state(source);
    if (!state) return state.error();
    previous = {state->etag, state->last_modified};
  }
  auto fetched = feed::fetch_feed(source, previous);
  if (!fetched) return wrap_error(fetched.error(), "import");
  out.validators = fetched->validators;
  if (fetched->not_modified) return out;
  // A mislabelled charset must not cost the feed: fall back to the bytes.
  auto decoded = feed::to_utf8(fetched->body, fetched->charset);
  const std::string& body = decoded ? *decoded : fetched->body;
  auto parsed = feed::parse_feed(body, fetched->final_url);
  if (!parsed) return wrap_error(parsed.error(), "import: " + source);
  out.feed = std::move(*parsed);
  return out;
}

int cmd_import(const CommonFlags& flags, const std::vector<std::string>& sources, bool dry_run,
               bool json) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  std::unique_ptr<store::Store> store;
  if (!dry_run) {
    auto opened = open_migrated(config->database_url);
    if (!opened) return fail(opened.error());
    store = std::move(*opened);
  }
  // Every source is read and parsed before anything is written: one bad
  // source leaves the database as it was.
  std::vector<ReadSource> read;
  std::vector<feed::ParsedFeed> feeds;
  int not_modified = 0;
  for (const std::string& source : sources) {
    auto one = read_source(source, store.get());
    if (!one) return fail(one.error());
    if (one->feed) {
      feeds.push_back(*one->feed);
    } else {
      ++not_modified;
    }
    read.push_back(std::move(*one));
  }
  if (dry_run) {
    for (const feed::ParsedFeed& f : feeds) {
      if (json) {
        std::cout << feed::to_json(f) << "\n";
      } else {
        std::cout << f.title << ": " << f.items.size() << " items\n";
      }
    }
    return 0;
  }
  service::ImportOptions options;
  options.category_prefixes = config->category_prefixes;
  options.now_epoch_seconds = service::system_clock()();
  auto report = service::import_feeds(*store, feeds, options);
  if (!report) return fail(report.error());
  // Validators are remembered only once their content is safely stored:
  // otherwise a failed import would look "not modified" next time.
  for (const ReadSource& r : read) {
    if (r.url.empty()) continue;
    if (auto saved =
            store->save_source_state(r.url, {r.validators.etag, r.validators.last_modified});
        !saved) {
      return fail(saved.error());
    }
  }
  if (json) {
    std::printf("{\"added\": %d, \"updated\": %d, \"unchanged\": %d, \"not_modified\": %d}\n",
                report->added, report->updated, report->unchanged, not_modified);
  } else {
    std::printf("newsdesk: imported %zu source(s): %d added, %d updated, %d unchanged",
                sources.size(), report->added, report->updated, report->unchanged);
    if (not_modified > 0) std::printf(", %d source(s) not modified", not_modified);
    std::printf("\n");
  }
  return 0;
}

int cmd_feed(const CommonFlags& flags, const std::string& format, const std::string& category) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  auto store = open_migrated(config->database_url);
  if (!store) return fail(store.error());
  service::NewsService news(**store, service::system_clock());
  service::FeedService feeds(config->site, news);
  service::FeedRequest request;
  request.format = model::feed_format_by_name(format).value_or(model::FeedFormat::kRss);
  request.category_slug = category;
  auto doc = feeds.render(request);
  if (!doc) return fail(doc.error());
  std::cout << doc->body;
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("newsdesk");
  spdlog::set_default_logger(logger);

  CLI::App app{"newsdesk: a self-hosted news centre (pages, feeds, search) on SQLite"};
  app.set_version_flag("--version", std::string("newsdesk ") + NEWSDESK_VERSION);
  app.require_subcommand(1);

  CommonFlags init_flags;
  CLI::App* init = app.add_subcommand("init", "Create or migrate the database");
  add_common(init, init_flags);

  CommonFlags serve_flags;
  std::string listen;
  int threads = 0;
  CLI::App* serve = app.add_subcommand("serve", "Serve the news centre over HTTP");
  add_common(serve, serve_flags);
  serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)");
  serve->add_option("--threads", threads, "Server threads (default: one per core)")
      ->check(CLI::Range(1, 256));

  CommonFlags import_flags;
  std::vector<std::string> sources;
  bool dry_run = false;
  bool json = false;
  CLI::App* import = app.add_subcommand(
      "import", "Import news from feed files or http(s) URLs (RSS, Atom, JSON Feed)");
  add_common(import, import_flags);
  import->add_option("SOURCE", sources, "Feed files or http(s) URLs")->required();
  import->add_flag("--dry-run", dry_run, "Parse and print, touch no database");
  import->add_flag("--json", json, "Print JSON");

  CommonFlags feed_flags;
  std::string format = "rss";
  std::string category;
  CLI::App* feed_cmd = app.add_subcommand("feed", "Write a feed to standard output");
  add_common(feed_cmd, feed_flags);
  feed_cmd->add_option("--format", format, "rss, atom or json")
      ->check(CLI::IsMember({"rss", "atom", "json"}));
  feed_cmd->add_option("--category", category, "Only this category (its slug)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (init->parsed()) return cmd_init(init_flags);
  if (serve->parsed()) return cmd_serve(serve_flags, listen, threads);
  if (import->parsed()) return cmd_import(import_flags, sources, dry_run, json);
  if (feed_cmd->parsed()) return cmd_feed(feed_flags, format, category);
  return 2;
}

}  // namespace newsdesk::app
