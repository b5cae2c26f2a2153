#include "app/cli.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "app/backup.h"
#include "app/config.h"
#include "app/serve.h"
#include "core/file.h"
#include "feed/fetch/fetcher.h"
#include "feed/import/parser.h"
#include "http/query.h"
#include "model/output_format.h"
#include "model/permalink.h"
#include "model/user.h"
#include "service/accounts.h"
#include "service/attachments.h"
#include "service/editorial.h"
#include "service/export.h"
#include "service/feeds.h"
#include "service/import.h"
#include "service/news.h"
#include "service/site_settings.h"
#include "store/copy.h"
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

int cmd_init(const CommonFlags& flags) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  auto store = open_migrated(config->database_url);
  if (!store) return fail(store.error());
  auto version = (*store)->schema_version();
  if (!version) return fail(version.error());
  std::printf("newsdesk: %s is ready (schema version %d)\n",
              store::redacted_url(config->database_url).c_str(), *version);
  return 0;
}

int cmd_serve(const CommonFlags& flags, const std::string& listen, int threads,
              const std::string& log_level) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  if (!listen.empty()) config->listen = listen;
  if (threads > 0) config->server_threads = threads;
  if (!log_level.empty()) config->log_level = log_level;
  if (auto r = serve(*config); !r) return fail(r.error());
  return 0;
}

int cmd_backup(const CommonFlags& flags, const std::string& file, bool force) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  auto result = backup_database(config->database_url, file, force);
  if (!result) return fail(result.error());
  std::printf("newsdesk: backed up %s to %s (%.1f MB, integrity check ok)\n",
              config->database_url.c_str(), file.c_str(), static_cast<double>(result->bytes) / 1e6);
  return 0;
}

// Copies a whole site between two databases (SQLite <-> PostgreSQL). The
// URLs are not echoed: they may hold passwords.
int cmd_copy(const std::string& from_url, const std::string& to_url) {
  auto from = store::open_store(from_url);
  if (!from) return fail(wrap_error(from.error(), "copy: --from"));
  auto to = store::open_store(to_url);
  if (!to) return fail(wrap_error(to.error(), "copy: --to"));
  auto report = store::copy_store(**from, **to);
  if (!report) return fail(report.error());
  for (const auto& [table, rows] : report->tables) {
    std::printf("newsdesk: copied %lld rows of %s\n", static_cast<long long>(rows), table.c_str());
  }
  return 0;
}

// One source read for import: a file, streamed by the importer, or a URL
// fetched with conditional GET. A fetched body is parsed in memory
// (parse_feed): the fetcher bounds it (64 MB), and the importer then reads
// the parsed items instead of a file.
struct ReadSource {
  std::string url;            // empty for files
  bool not_modified = false;  // the URL answered 304
  feed::Validators validators;
  service::FeedReader reader;  // unset when not_modified
};

Result<ReadSource> read_source(const std::string& source, store::Store* store,
                               const feed::FetchOptions& fetch_options) {
  ReadSource out;
  if (!source.starts_with("http://") && !source.starts_with("https://")) {
    out.reader = service::file_feed_reader(source);
    return out;
  }
  out.url = source;
  feed::Validators previous;
  if (store != nullptr) {
    auto state = store->source_state(source);
    if (!state) return state.error();
    previous = {state->etag, state->last_modified};
  }
  auto fetched = feed::fetch_feed(source, previous, fetch_options);
  if (!fetched) return wrap_error(fetched.error(), "import");
  out.validators = fetched->validators;
  if (fetched->not_modified) {
    out.not_modified = true;
    return out;
  }
  // A mislabelled charset must not cost the feed: fall back to the bytes.
  auto decoded = feed::to_utf8(fetched->body, fetched->charset);
  const std::string& body = decoded ? *decoded : fetched->body;
  auto parsed = feed::parse_feed(body, fetched->final_url);
  if (!parsed) return wrap_error(parsed.error(), "import: " + source);
  out.reader = service::parsed_feed_reader(source, std::move(*parsed));
  return out;
}

// A one-line progress bar on stderr, drawn only on a terminal, at most ten
// times a second, and erased before anything else is printed.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void show(const std::string& text, bool force = false) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    std::fprintf(stderr, "\r\x1b[K%s", text.c_str());
    std::fflush(stderr);
  }
  void clear() {
    if (!drawn_) return;
    std::fprintf(stderr, "\r\x1b[K");
    std::fflush(stderr);
    drawn_ = false;
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

std::string bar(std::uint64_t done, std::uint64_t total) {
  constexpr int kWidth = 24;
  const int filled = total == 0 ? 0 : static_cast<int>(done * kWidth / total);
  return "[" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(kWidth - filled), '.') + "]";
}

std::string short_name(std::string_view name) {
  if (name.starts_with("http://") || name.starts_with("https://")) return std::string(name);
  const auto slash = name.rfind('/');
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

std::string progress_text(const service::ImportProgress& p) {
  char size[32] = "";
  if (p.source_bytes > 0) {
    std::snprintf(size, sizeof size, " (%.1f MB)", static_cast<double>(p.source_bytes) / 1e6);
  }
  const std::string name = short_name(p.name) + size;
  if (p.phase == service::ImportProgress::Phase::kReading) {
    return "newsdesk: reading " + name + ": " + std::to_string(p.items_done) + " items";
  }
  return "newsdesk: importing " + name + " " + bar(p.items_done, p.items_total) + " " +
         std::to_string(p.items_done) + "/" + std::to_string(p.items_total) + " items";
}

// "2 skipped: 1 without title or text, 1 duplicate of ..." or "".
std::string skipped_text(const service::ImportReport& report) {
  if (report.skipped_total() == 0) return "";
  std::string text = std::to_string(report.skipped_total()) + " skipped:";
  const char* sep = " ";
  for (const auto& [reason, count] : report.skipped) {
    text += sep + std::to_string(count) + " " + reason;
    sep = ", ";
  }
  return text;
}

// Dry run: every source is read before anything is printed, so a bad
// source prints nothing but its error. The JSON of a feed holds all its
// items, so --json buffers them (as text); without --json only counts are
// kept.
int dry_run_import(const std::vector<ReadSource>& read, bool json) {
  // First every source is read through once, printing nothing, so that a
  // bad one prints only its error; then each is read again and printed item
  // by item, so memory stays flat however large the feed.
  std::vector<std::optional<feed::ParsedFeed>> metas;
  std::vector<std::size_t> counts;
  for (const ReadSource& r : read) {
    metas.emplace_back();
    counts.push_back(0);
    if (r.not_modified) continue;
    std::size_t& count = counts.back();
    auto meta = r.reader.read([&](feed::ParsedItem) -> Result<void> {
      ++count;
      return {};
    });
    if (!meta) return fail(wrap_error(meta.error(), "import: " + r.reader.name));
    metas.back() = std::move(*meta);
  }
  for (std::size_t i = 0; i < read.size(); ++i) {
    if (!metas[i]) continue;
    if (!json) {
      std::cout << metas[i]->title << ": " << counts[i] << " items\n";
      continue;
    }
    std::cout << feed::to_json_head(*metas[i]);
    bool first = true;
    auto printed = read[i].reader.read([&](feed::ParsedItem item) -> Result<void> {
      if (!first) std::cout << ',';
      first = false;
      std::cout << feed::to_json(item);
      return {};
    });
    if (!printed) return fail(wrap_error(printed.error(), "import: " + read[i].reader.name));
    std::cout << feed::kJsonTail << "\n";
  }
  std::cout.flush();
  return 0;
}

struct ImportFlags {
  bool dry_run = false;
  bool json = false;
  bool fetch_attachments = false;
  bool allow_private_addresses = false;
};

int cmd_import(const CommonFlags& flags, const std::vector<std::string>& sources,
               const ImportFlags& import_flags) {
  const bool json = import_flags.json;
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  std::unique_ptr<store::Store> store;
  if (!import_flags.dry_run) {
    auto opened = open_migrated(config->database_url);
    if (!opened) return fail(opened.error());
    store = std::move(*opened);
  }
  // URLs are fetched before anything is written; files are read by the
  // importer, whose first pass over every source comes before its one
  // transaction: one bad source leaves the database as it was.
  // SSRF: feeds name URLs (redirects, attachments); only public addresses
  // unless the operator allows private ones (flag or [import]).
  const bool allow_private =
      import_flags.allow_private_addresses || config->import_allow_private_addresses;
  feed::FetchOptions feed_fetch;
  feed_fetch.allow_private_addresses = allow_private;
  std::vector<ReadSource> read;
  std::vector<service::FeedReader> readers;
  std::vector<std::string> not_modified;
  for (const std::string& source : sources) {
    auto one = read_source(source, store.get(), feed_fetch);
    if (!one) return fail(one.error());
    if (one->not_modified) {
      not_modified.push_back(source);
    } else {
      readers.push_back(one->reader);
    }
    read.push_back(std::move(*one));
  }
  if (import_flags.dry_run) return dry_run_import(read, json);

  ProgressLine progress(::isatty(STDERR_FILENO) == 1 && !json);
  service::ImportOptions options;
  options.category_prefixes = config->category_prefixes;
  options.now_epoch_seconds = service::system_clock()();
  options.unicode_slugs = config->site.unicode_slugs;
  options.on_progress = [&progress](const service::ImportProgress& p) {
    progress.show(progress_text(p), p.items_done == p.items_total);
  };
  auto report = service::import_sources(*store, readers, options);
  progress.clear();
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
  std::optional<service::AttachmentFetchReport> files;
  if (import_flags.fetch_attachments) {
    service::FetchAttachmentsOptions fetch_options;
    fetch_options.allow_private_addresses = allow_private;
    fetch_options.on_progress = [&progress](std::size_t done, std::size_t total) {
      progress.show("newsdesk: fetching attachments " + bar(done, total) + " " +
                        std::to_string(done) + "/" + std::to_string(total),
                    done == total);
    };
    auto fetched = service::fetch_attachments(*store, fetch_options);
    progress.clear();
    // The items are imported and committed: a store failure here is
    // reported, and the next --fetch-attachments picks up what is missing.
    if (!fetched) return fail(wrap_error(fetched.error(), "import: attachments"));
    files = std::move(*fetched);
  }
  if (json) {
    nlohmann::json skipped = nlohmann::json::object();
    for (const auto& [reason, count] : report->skipped) skipped[reason] = count;
    std::printf(
        "{\"added\": %d, \"updated\": %d, \"unchanged\": %d, \"not_modified\": %zu, "
        "\"skipped\": %s, \"not_modified_sources\": %s",
        report->added, report->updated, report->unchanged, not_modified.size(),
        skipped.dump().c_str(), nlohmann::json(not_modified).dump().c_str());
    if (files) {
      nlohmann::json failed = nlohmann::json::array();
      for (const auto& f : files->failed) failed.push_back({{"url", f.url}, {"reason", f.reason}});
      nlohmann::json attachments = {{"fetched", files->fetched},
                                    {"already_stored", files->already_stored},
                                    {"failed", failed}};
      std::printf(", \"attachments\": %s", attachments.dump().c_str());
    }
    std::printf("}\n");
    return 0;
  }
  std::printf("newsdesk: imported %zu source(s): %d added, %d updated, %d unchanged",
              sources.size(), report->added, report->updated, report->unchanged);
  if (report->skipped_total() > 0) std::printf(", %d skipped", report->skipped_total());
  if (!not_modified.empty()) std::printf(", %zu source(s) not modified", not_modified.size());
  std::printf("\n");
  if (const std::string skipped = skipped_text(*report); !skipped.empty()) {
    std::printf("newsdesk: %s\n", skipped.c_str());
  }
  for (const std::string& url : not_modified) {
    std::printf("newsdesk: %s: not modified (HTTP 304), nothing to import\n", url.c_str());
  }
  if (files) {
    std::printf("newsdesk: attachments: %d fetched, %d already stored, %zu failed\n",
                files->fetched, files->already_stored, files->failed.size());
    for (const auto& f : files->failed) {
      std::printf("newsdesk: attachment %s: %s\n", f.url.c_str(), f.reason.c_str());
    }
  }
  return 0;
}

int cmd_feed(const CommonFlags& flags, const std::string& format, const std::string& category) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  auto store = open_migrated(config->database_url);
  if (!store) return fail(store.error());
  // The settings saved in the admin UI, as the server would use them.
  auto site = service::effective_site(**store, config->site);
  if (!site) return fail(site.error());
  service::NewsService news(**store, service::system_clock());
  service::FeedService feeds(*site, news);
  service::FeedRequest request;
  request.format = model::feed_format_by_name(format).value_or(model::FeedFormat::kRss);
  request.category_slug = category;
  auto doc = feeds.render(request);
  if (!doc) return fail(doc.error());
  std::cout << doc->body;
  return 0;
}

// `newsdesk export DIR`: the public site as static files (service/export.h).
int cmd_export(const CommonFlags& flags, const std::string& dir, bool gzip, int threads,
               bool full) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  // Migrated once here; each worker then opens its own connection.
  auto first = open_migrated(config->database_url);
  if (!first) return fail(first.error());
  // The settings saved in the admin UI, as the server would use them.
  auto site = service::effective_site(**first, config->site);
  if (!site) return fail(site.error());
  auto theme = render::Theme::load(config->theme_dir);
  if (!theme) return fail(theme.error());
  const std::string url = config->database_url;
  // A private in-memory database exists only in its one connection.
  const bool in_memory = url.find(":memory:") != std::string::npos;
  service::StoreOpener opener = [&first, &url]() -> Result<std::unique_ptr<store::Store>> {
    if (*first) return std::move(*first);
    return store::open_store(url);
  };
  ProgressLine progress(::isatty(STDERR_FILENO) == 1);
  service::ExportOptions options;
  options.gzip = gzip;
  options.full = full;
  options.threads = in_memory ? 1 : threads;
  options.theme_dir = config->theme_dir;
  options.on_progress = [&progress](std::size_t done, std::size_t total) {
    progress.show("newsdesk: exporting " + bar(done, total) + " " + std::to_string(done) + "/" +
                      std::to_string(total) + " files",
                  done == total);
  };
  auto report = service::export_site(*site, *theme, opener, dir, options);
  progress.clear();
  if (!report) return fail(report.error());
  std::printf(
      "newsdesk: exported %zu files (%.1f MB) to %s: %zu written, %zu unchanged, %zu removed "
      "in %.2f s (%zu rendered)\n",
      report->files, static_cast<double>(report->bytes) / 1e6, dir.c_str(), report->written,
      report->unchanged, report->removed, report->seconds, report->rendered);
  return 0;
}

// Accounts and API tokens: `newsdesk user ...`, `newsdesk token ...`.
// Runs fn with the account service of the configured database; the exit
// code is fn's, or 1 with the error when the database cannot be opened.
int with_accounts(const CommonFlags& flags,
                  const std::function<int(service::AccountService&, const Config&)>& fn) {
  auto config = resolve_config(flags);
  if (!config) return fail(config.error());
  auto store = open_migrated(config->database_url);
  if (!store) return fail(store.error());
  service::AccountService accounts(**store, service::system_clock());
  return fn(accounts, *config);
}

int cmd_user_add(const CommonFlags& flags, const std::string& name, const std::string& role_name,
                 bool password_stdin) {
  auto role = model::parse_role(role_name);
  if (!role) return fail(make_error(ErrorCode::kInvalid, "role must be admin, editor or author"));
  std::string password;
  if (password_stdin) {
    // One line: what `echo pw | newsdesk user add ...` or a secrets manager sends.
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty()) {
      return fail(make_error(ErrorCode::kInvalid, "no password on standard input"));
    }
  }
  return with_accounts(flags, [&](service::AccountService& accounts, const Config&) {
    auto user = accounts.add_user(name, *role, password);
    if (!user) return fail(user.error());
    std::printf("newsdesk: added %s (%s)%s\n", user->name.c_str(),
                std::string(model::role_name(user->role)).c_str(),
                password.empty() ? ", without a password: it can use API tokens only" : "");
    return 0;
  });
}

int cmd_user_list(const CommonFlags& flags) {
  return with_accounts(flags, [&](service::AccountService& accounts, const Config&) {
    auto users = accounts.users();
    if (!users) return fail(users.error());
    for (const model::User& u : *users) {
      std::printf("%s\t%s\t%s\n", u.name.c_str(), std::string(model::role_name(u.role)).c_str(),
                  u.password_hash.empty() ? "no password" : "password");
    }
    return 0;
  });
}

int cmd_user_delete(const CommonFlags& flags, const std::string& name) {
  return with_accounts(flags, [&](service::AccountService& accounts, const Config&) {
    if (auto r = accounts.delete_user(name); !r) return fail(r.error());
    std::printf("newsdesk: deleted %s; its sessions and tokens no longer work\n", name.c_str());
    return 0;
  });
}

int cmd_token_create(const CommonFlags& flags, const std::string& name, const std::string& label) {
  return with_accounts(flags, [&](service::AccountService& accounts, const Config&) {
    auto token = accounts.create_token(name, label);
    if (!token) return fail(token.error());
    // The token is the last word, so scripts can take it with `awk '{print $NF}'`.
    std::printf(
        "newsdesk: token %lld for %s (shown only now, revoke with `newsdesk token revoke "
        "%lld`): %s\n",
        static_cast<long long>(token->id), name.c_str(), static_cast<long long>(token->id),
        token->secret.c_str());
    return 0;
  });
}

int cmd_token_revoke(const CommonFlags& flags, std::int64_t id) {
  return with_accounts(flags, [&](service::AccountService& accounts, const Config&) {
    if (auto r = accounts.revoke_token(id); !r) return fail(r.error());
    std::printf("newsdesk: revoked token %lld\n", static_cast<long long>(id));
    return 0;
  });
}

int cmd_token_list(const CommonFlags& flags) {
  return with_accounts(flags, [&](service::AccountService& accounts, const Config&) {
    auto tokens = accounts.tokens();
    if (!tokens) return fail(tokens.error());
    auto users = accounts.users();
    if (!users) return fail(users.error());
    for (const model::ApiToken& t : *tokens) {
      std::string owner = "?";
      for (const model::User& u : *users) {
        if (u.id == t.user_id) owner = u.name;
      }
      std::printf("%lld\t%s\t%s\n", static_cast<long long>(t.id), owner.c_str(), t.label.c_str());
    }
    return 0;
  });
}

int cmd_press(const CommonFlags& flags, const std::string& action, const std::string& label,
              std::int64_t id) {
  return with_accounts(flags, [&](service::AccountService& accounts, const Config& config) {
    if (action == "create") {
      auto feed = accounts.create_press_feed(label);
      if (!feed) return fail(feed.error());
      const std::string url =
          model::absolute_url(config.site.base_url, "/press/" + feed->secret + "/rss.xml");
      std::printf(
          "newsdesk: press feed %lld for %s (shown only now; also atom.xml, feed.json): %s\n",
          static_cast<long long>(feed->id), label.c_str(), url.c_str());
      return 0;
    }
    if (action == "revoke") {
      if (auto r = accounts.revoke_press_feed(id); !r) return fail(r.error());
      std::printf("newsdesk: revoked press feed %lld\n", static_cast<long long>(id));
      return 0;
    }
    auto feeds = accounts.press_feeds();
    if (!feeds) return fail(feeds.error());
    for (const store::PressFeed& f : *feeds) {
      std::printf("%lld\t%s\n", static_cast<long long>(f.id), f.label.c_str());
    }
    return 0;
  });
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
  std::string log_level;
  serve->add_option("--log-level", log_level, "debug, info, warn or error (default: [log] level)")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));

  CommonFlags backup_flags;
  std::string backup_file;
  bool backup_force = false;
  CLI::App* backup = app.add_subcommand(
      "backup",
      "Copy a SQLite database to FILE while it is in use (checked, then renamed into "
      "place); PostgreSQL: use pg_dump");
  add_common(backup, backup_flags);
  backup->add_option("FILE", backup_file, "Where the copy goes")->required();
  backup->add_flag("--force", backup_force, "Replace FILE if it exists");

  std::string copy_from;
  std::string copy_to;
  CLI::App* copy = app.add_subcommand(
      "copy",
      "Copy a whole site (items, revisions, attachments, users, tokens, redirects, settings) "
      "from one database into an empty one: SQLite to PostgreSQL or back");
  copy->add_option("--from", copy_from, "Database URL to copy from (not changed)")->required();
  copy->add_option("--to", copy_to, "Database URL to copy into (migrated; must hold no site)")
      ->required();

  CommonFlags import_common;
  std::vector<std::string> sources;
  ImportFlags import_flags;
  CLI::App* import = app.add_subcommand(
      "import", "Import news from feed files or http(s) URLs (RSS, Atom, JSON Feed)");
  add_common(import, import_common);
  import->add_option("SOURCE", sources, "Feed files or http(s) URLs")->required();
  import->add_flag("--dry-run", import_flags.dry_run, "Parse and print, touch no database");
  import->add_flag("--json", import_flags.json, "Print JSON");
  import->add_flag("--fetch-attachments", import_flags.fetch_attachments,
                   "After importing, download every attachment not stored yet (PDF, office "
                   "documents, images; checked by content) into the database; not with --dry-run");
  import->add_flag("--allow-private-addresses", import_flags.allow_private_addresses,
                   "Fetch from loopback, private and link-local addresses too (intranet "
                   "sources); by default only public addresses are fetched (also [import] "
                   "allow_private_addresses)");

  CommonFlags feed_flags;
  std::string format = "rss";
  std::string category;
  CLI::App* feed_cmd = app.add_subcommand("feed", "Write a feed to standard output");
  add_common(feed_cmd, feed_flags);
  feed_cmd->add_option("--format", format, "rss, atom or json")
      ->check(CLI::IsMember({"rss", "atom", "json"}));
  feed_cmd->add_option("--category", category, "Only this category (its slug)");

  CommonFlags export_flags;
  std::string export_dir;
  bool export_gzip = false;
  int export_threads = 0;
  bool export_full = false;
  CLI::App* export_cmd = app.add_subcommand(
      "export", "Write the public site as static files (incremental when DIR holds an export)");
  add_common(export_cmd, export_flags);
  export_cmd->add_option("DIR", export_dir, "Folder to write into (created when missing)")
      ->required();
  export_cmd->add_flag("--gzip", export_gzip,
                       "Also write FILE.gz beside each compressible file (nginx gzip_static)");
  export_cmd->add_option("--threads", export_threads, "Workers (default: one per core)")
      ->check(CLI::Range(1, 64));
  export_cmd->add_flag("--full", export_full,
                       "Render every file, not only those whose inputs changed since DIR's export");

  CLI::App* user_cmd = app.add_subcommand("user", "Manage accounts (admin, editor, author)");
  user_cmd->require_subcommand(1);
  CommonFlags user_add_flags;
  std::string user_name;
  std::string user_role;
  bool password_stdin = false;
  CLI::App* user_add = user_cmd->add_subcommand("add", "Add an account");
  add_common(user_add, user_add_flags);
  user_add->add_option("NAME", user_name, "Login name")->required();
  user_add->add_option("--role", user_role, "admin, editor or author")
      ->required()
      ->check(CLI::IsMember({"admin", "editor", "author"}));
  user_add->add_flag("--password-stdin", password_stdin,
                     "Read the password from the first line of standard input (without it, the "
                     "account can only use API tokens)");
  CommonFlags user_list_flags;
  CLI::App* user_list = user_cmd->add_subcommand("list", "List accounts");
  add_common(user_list, user_list_flags);
  CommonFlags user_delete_flags;
  std::string delete_name;
  CLI::App* user_delete = user_cmd->add_subcommand(
      "delete", "Delete an account; its sessions end and its tokens stop working at once");
  add_common(user_delete, user_delete_flags);
  user_delete->add_option("NAME", delete_name, "Login name")->required();

  CLI::App* token_cmd = app.add_subcommand("token", "Manage API bearer tokens");
  token_cmd->require_subcommand(1);
  CommonFlags token_create_flags;
  std::string token_user;
  std::string token_label;
  CLI::App* token_create = token_cmd->add_subcommand(
      "create", "Create a token for an account; prints it once, as the last word");
  add_common(token_create, token_create_flags);
  token_create->add_option("NAME", token_user, "The account the token acts as")->required();
  token_create->add_option("--label", token_label, "What the token is for");
  CommonFlags token_revoke_flags;
  std::int64_t token_id = 0;
  CLI::App* token_revoke = token_cmd->add_subcommand("revoke", "Revoke a token by its id");
  add_common(token_revoke, token_revoke_flags);
  token_revoke->add_option("ID", token_id, "The token's id")->required();
  CommonFlags token_list_flags;
  CLI::App* token_list = token_cmd->add_subcommand("list", "List tokens (ids, owners, labels)");
  add_common(token_list, token_list_flags);

  CLI::App* press_cmd =
      app.add_subcommand("press", "Manage journalists' private feeds (embargoed items ahead)");
  press_cmd->require_subcommand(1);
  CommonFlags press_flags;
  std::string press_label;
  std::int64_t press_id = 0;
  CLI::App* press_create =
      press_cmd->add_subcommand("create", "Create a feed URL for an outlet; prints it once");
  add_common(press_create, press_flags);
  press_create->add_option("LABEL", press_label, "Who gets it (\"Vienna Times, J. Doe\")")
      ->required();
  CLI::App* press_revoke = press_cmd->add_subcommand("revoke", "Revoke a press feed by its id");
  add_common(press_revoke, press_flags);
  press_revoke->add_option("ID", press_id, "The feed's id")->required();
  CLI::App* press_list = press_cmd->add_subcommand("list", "List press feeds");
  add_common(press_list, press_flags);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (press_create->parsed()) return cmd_press(press_flags, "create", press_label, 0);
  if (press_revoke->parsed()) return cmd_press(press_flags, "revoke", "", press_id);
  if (press_list->parsed()) return cmd_press(press_flags, "list", "", 0);
  if (user_add->parsed()) {
    return cmd_user_add(user_add_flags, user_name, user_role, password_stdin);
  }
  if (user_list->parsed()) return cmd_user_list(user_list_flags);
  if (user_delete->parsed()) return cmd_user_delete(user_delete_flags, delete_name);
  if (token_create->parsed()) return cmd_token_create(token_create_flags, token_user, token_label);
  if (token_revoke->parsed()) return cmd_token_revoke(token_revoke_flags, token_id);
  if (token_list->parsed()) return cmd_token_list(token_list_flags);
  if (init->parsed()) return cmd_init(init_flags);
  if (serve->parsed()) return cmd_serve(serve_flags, listen, threads, log_level);
  if (backup->parsed()) return cmd_backup(backup_flags, backup_file, backup_force);
  if (copy->parsed()) return cmd_copy(copy_from, copy_to);
  if (import->parsed()) return cmd_import(import_common, sources, import_flags);
  if (feed_cmd->parsed()) return cmd_feed(feed_flags, format, category);
  if (export_cmd->parsed()) {
    return cmd_export(export_flags, export_dir, export_gzip, export_threads, export_full);
  }
  return 2;
}

}  // namespace newsdesk::app
