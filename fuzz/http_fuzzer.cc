// libFuzzer target: raw bytes as an HTTP request, through Beast's parser and
// then the handlers `newsdesk serve` wires up (site, API, admin, press), on
// an in-memory SQLite database with a few items, an editor's API token and
// an admin's login session.
//
// So that the fuzzer reaches what lies behind authentication, the input's
// "@TOKEN@", "@SESSION@" and "@CSRF@" are replaced by the live bearer token,
// session cookie value and CSRF token before parsing (the dictionary,
// http.dict, holds them in their usual places).
//
// Beyond crashes and sanitizer reports it checks: every request Beast
// accepts gets a response with a known status below 500 (a 500 is an
// unhandled case: hostile input must be refused, not break something), no
// header name or value holds CR, LF or NUL (response splitting), and the
// response serializes. When an input logged the session out or deleted an
// account, the world is built again for the next input.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "http/admin.h"
#include "http/api.h"
#include "http/cache.h"
#include "http/press.h"
#include "http/query.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/site.h"
#include "render/theme.h"
#include "service/accounts.h"
#include "service/attachments.h"
#include "service/change_watcher.h"
#include "service/editorial.h"
#include "service/feeds.h"
#include "service/languages.h"
#include "service/news.h"
#include "service/pages.h"
#include "store/store.h"

namespace {

namespace beast_http = boost::beast::http;
using namespace newsdesk;

[[noreturn]] void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "http_fuzzer: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

template <typename T>
T must(Result<T> r, std::string_view what) {
  if (!r) fail(what, r.error().message);
  return std::move(*r);
}

// Everything `newsdesk serve` builds, minus the socket and the background
// threads.
struct World {
  model::Site site;
  render::Theme theme = render::Theme::builtin();
  std::unique_ptr<store::Store> store;
  std::unique_ptr<service::NewsService> news;
  std::unique_ptr<service::FeedService> feeds;
  std::unique_ptr<service::LanguageSites> languages;
  std::unique_ptr<service::ChangeWatcher> watcher;
  std::unique_ptr<service::AccountService> accounts;
  std::unique_ptr<service::EditorialService> editorial;
  std::unique_ptr<service::AttachmentFiles> files;
  std::unique_ptr<http::ResponseCache> cache;
  http::Handler site_handler, api_handler, admin_handler, press_handler;
  std::string token, session, csrf, press_secret;

  World() {
    site.title = "Fuzz News";
    // Several languages, so that prefixes, hreflang and the switcher are
    // fuzzed too.
    site.languages = {"fr", "ar"};
    store = must(store::open_store("sqlite::memory:"), "open store");
    if (auto r = store->migrate(); !r) fail("migrate", r.error().message);
    const service::Clock clock = service::system_clock();
    news = std::make_unique<service::NewsService>(*store, clock);
    feeds = std::make_unique<service::FeedService>(site, *news);
    languages = std::make_unique<service::LanguageSites>(site, *store, theme, clock);
    watcher = std::make_unique<service::ChangeWatcher>(*store, clock);
    accounts = std::make_unique<service::AccountService>(*store, clock);
    editorial = std::make_unique<service::EditorialService>(site, *store, clock);
    files = std::make_unique<service::AttachmentFiles>(*store, *news);
    cache = std::make_unique<http::ResponseCache>(256);

    must(accounts->add_user("admin", model::Role::kAdmin, "fuzz-admin-password"), "add admin");
    const model::User editor =
        must(accounts->add_user("edna", model::Role::kEditor, ""), "add editor");
    token = must(accounts->create_token("edna", "fuzz"), "token").secret;
    auto login = must(accounts->login("admin", "fuzz-admin-password", "127.0.0.1"), "login");
    session = login.secret;
    csrf = login.csrf_token;
    press_secret = must(accounts->create_press_feed("fuzz press"), "press feed").secret;
    seed(editor);

    site_handler =
        http::make_site_handler({site, *languages, theme, *watcher, *cache, files.get()});
    api_handler = http::make_api_handler({site, *accounts, *editorial, *watcher, clock});
    admin_handler = http::make_admin_handler({site, theme, *accounts, *editorial, *watcher, clock});
    press_handler = http::make_press_handler({*accounts, *feeds});
  }

  void seed(const model::User& editor) {
    const char* kTitles[] = {"Border management training", "Migration dialogue in Vienna",
                             "Embargoed release", "A draft"};
    for (int i = 0; i < 4; ++i) {
      service::NewsInput in;
      in.title = kTitles[i];
      in.body_markdown =
          "Body of *item* " + std::to_string(i) + " with a [link](https://a.example/).";
      in.teaser = "Teaser " + std::to_string(i);
      in.categories = std::vector<std::string>{i % 2 ? "Press Release" : "News"};
      in.status = i == 3 ? "draft" : "published";
      if (i == 2) {
        // Embargoed until tomorrow: only its preview link and the press feeds show it.
        in.status = "scheduled";
        in.publish_at = service::system_clock()() + 86400;
        in.embargo = true;
      }
      auto created = must(editorial->create(editor, in), "seed item");
      if (i == 0) {
        // A French translation of the first, published: a group to link.
        auto fr = must(editorial->create_translation(editor, created.id, "fr"), "translation");
        service::NewsInput publish;
        publish.status = "published";
        must(editorial->update(editor, fr.id, publish, /*partial=*/true), "publish translation");
      }
    }
  }

  // The dispatch `newsdesk serve` does (src/app/serve.cc).
  http::Response handle(const http::Request& req) {
    const std::string_view path = http::path_of(req.target());
    if (path.starts_with("/api/")) return api_handler(req);
    if (path.starts_with("/press/")) return press_handler(req);
    if (path == "/admin" || path.starts_with("/admin/")) return admin_handler(req);
    return site_handler(req);
  }

  // Whether the credentials the inputs name still work.
  bool intact() {
    return accounts->authenticate_token(token).has_value() &&
           accounts->authenticate_session(session).has_value() &&
           accounts->press_feed(press_secret).has_value();
  }
};

std::unique_ptr<World>& world() {
  static std::unique_ptr<World> w;
  return w;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

bool clean_header_text(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

void check_response(const http::Request& req, http::Response& res) {
  const unsigned status = res.result_int();
  const std::string request_line =
      std::string(req.method_string()) + " " + std::string(req.target());
  if (status < 100 || status > 599 ||
      beast_http::obsolete_reason(res.result()) == "<unknown-status>") {
    fail("a response with an invalid status " + std::to_string(status), request_line);
  }
  if (status >= 500) {
    fail("a " + std::to_string(status) + " for a request",
         request_line + "\n" + std::string(std::string_view(res.body())));
  }
  for (const auto& field : res) {
    if (!clean_header_text(field.name_string()) || !clean_header_text(field.value())) {
      fail("a response header with CR, LF or NUL", request_line + "\n" +
                                                       std::string(field.name_string()) + ": " +
                                                       std::string(field.value()));
    }
  }
  res.prepare_payload();
  beast_http::response_serializer<http::Response::body_type> serializer(res);
  boost::beast::error_code ec;
  std::size_t bytes = 0;
  do {
    serializer.next(ec, [&](boost::beast::error_code&, const auto& buffers) {
      const std::size_t n = boost::asio::buffer_size(buffers);
      bytes += n;
      serializer.consume(n);
    });
  } while (!ec && !serializer.is_done());
  if (ec) fail("the response does not serialize", request_line + "\n" + ec.message());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::unique_ptr<World>& w = world();
  if (!w) w = std::make_unique<World>();
  std::string input(reinterpret_cast<const char*>(data), size);
  replace_all(input, "@TOKEN@", w->token);
  replace_all(input, "@SESSION@", w->session);
  replace_all(input, "@CSRF@", w->csrf);
  replace_all(input, "@PRESS@", w->press_secret);

  // The limits of ServerOptions' defaults and api.h's body_limit_for.
  beast_http::request_parser<beast_http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!ec && !parser.is_done() && used < input.size()) {
    used += parser.put(boost::asio::buffer(input.data() + used, input.size() - used), ec);
    if (ec == beast_http::error::need_more) break;
  }
  // A parse error: the server answers 400 and closes. An incomplete request:
  // the server waits for the rest until its read timeout.
  if (ec || !parser.is_done()) return 0;

  http::Request req = parser.release();
  req.erase(http::kClientAddressHeader);
  req.set(http::kClientAddressHeader, "127.0.0.1");
  http::Response res = w->handle(req);
  check_response(req, res);
  if (!w->intact()) w.reset();
  return 0;
}
