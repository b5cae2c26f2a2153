#include "http/routes.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/query.h"
#include "http/respond.h"
#include "model/languages.h"
#include "model/output_format.h"
#include "model/permalink.h"
#include "render/feed_stylesheet.h"
#include "render/sitemap.h"
#include "service/attachments.h"

namespace newsdesk::http {

namespace {

// What one request sees: the site, news, feeds and pages of the language its
// path is in, and what every language shares.
struct Scope {
  const model::Site& site;  // the language's view
  service::NewsService& news;
  service::FeedService& feeds;
  service::PageService& pages;
  const render::Theme& theme;
  service::ChangeWatcher& watcher;
  ResponseCache& cache;
  service::AttachmentFiles* files;
  service::LanguageSites& languages;
  std::string_view prefix;  // "" at the root, "/fr" under the French prefix
};

constexpr std::string_view kXml = "application/xml; charset=utf-8";

// path_of with two memchr instead of find_first_of's one per byte: every
// request asks.
std::string_view target_path(std::string_view target) {
  return target.substr(0, std::min(target.find('?'), target.find('#')));
}

Rendered rendered(const service::Page& page, std::string_view content_type) {
  Rendered r;
  r.status = static_cast<beast_http::status>(page.status);
  r.content_type = std::string(content_type);
  r.body = page.body;
  r.last_modified = page.last_modified;
  return r;
}

using Render = std::function<Result<Rendered>()>;
using PageRender = std::function<Result<service::Page>()>;

Response failure(const Error& error) {
  spdlog::error("http: {}", error.message);
  const auto status = respond::status_for(error.code);
  return respond::with_body(status, respond::kText,
                            std::string(beast_http::obsolete_reason(status)) + "\n");
}

// The themed 404 or 410 page, cached like any page (a flood of 404s costs
// no more than a flood of home pages).
Response error_page(const Scope& deps, const Request& req, int status,
                    Presentation presentation = {}) {
  const std::uint64_t generation = deps.watcher.generation();
  auto entry = deps.cache.get("\x01error-" + std::to_string(status) + std::string(deps.prefix),
                              generation, [&]() -> Result<Rendered> {
                                auto page = deps.pages.error(status);
                                if (!page) return page.error();
                                return rendered(*page, respond::kHtml);
                              });
  if (!entry) return failure(entry.error());
  return respond_prepared(req, std::move(*entry), CachePolicy{deps.site.feed_max_age},
                          presentation);
}

Response redirect(std::string_view location, int max_age) {
  Response res = respond::with_body(beast_http::status::moved_permanently, respond::kText,
                                    "Moved to " + std::string(location) + "\n");
  res.set(beast_http::field::location, location);
  res.set(beast_http::field::cache_control, "public, max-age=" + std::to_string(max_age));
  return res;
}

// An address nothing answers to may be an old one (an imported site's URL, a
// changed slug): send the reader on with 301, else a 404 page.
Response moved_or_not_found(const Scope& deps, const Request& req, Presentation presentation = {}) {
  const std::string key = model::redirect_key(req.target());
  if (!key.empty()) {
    if (auto item = deps.languages.everything().redirected_item(key)) {
      const std::string location = model::item_path(deps.site, *item);
      if (location != key) return redirect(location, 86400);
    }
  }
  return error_page(deps, req, 404, presentation);
}

// Serves `key` from the cache, rendering it for the current generation when
// needed. `fixed` content (the stylesheet) never changes with the data.
Response cached(const Scope& deps, const Request& req, const std::string& key, const Render& render,
                bool fixed = false, Presentation presentation = {}) {
  const std::uint64_t generation = fixed ? 0 : deps.watcher.generation();
  auto entry = deps.cache.get(key, generation, render);
  if (!entry && entry.error().code == ErrorCode::kNotFound) {
    return moved_or_not_found(deps, req, presentation);
  }
  if (!entry) return failure(entry.error());
  return respond_prepared(req, std::move(*entry),
                          CachePolicy{fixed ? 86400 : deps.site.feed_max_age}, presentation);
}

Response cached_page(const Scope& deps, const Request& req, const std::string& key,
                     const PageRender& render, std::string_view content_type = respond::kHtml) {
  return cached(deps, req, key, [&]() -> Result<Rendered> {
    auto page = render();
    if (!page) return page.error();
    return rendered(*page, content_type);
  });
}

Result<Rendered> feed(const Scope& deps, const service::FeedRequest& request) {
  auto doc = deps.feeds.render(request);
  if (!doc) return doc.error();
  Rendered r;
  r.content_type = doc->content_type;
  r.body = std::move(doc->body);
  r.last_modified = doc->last_modified;
  if (!doc->hub_url.empty()) {
    // WebSub discovery by HTTP header: the hub and exactly one self link.
    r.headers.emplace_back(
        "Link", "<" + doc->hub_url + ">; rel=\"hub\", <" + doc->self_url + ">; rel=\"self\"");
  }
  return r;
}

Result<Rendered> stylesheet() {
  Rendered r;
  r.content_type = "text/xsl; charset=utf-8";
  r.body = std::string(render::feed_stylesheet());
  return r;
}

Response healthz(const Scope& deps) {
  // A health check that touches the store: a broken database is not healthy.
  auto last = deps.languages.everything().last_change();
  if (!last) return failure(last.error());
  Response res = respond::ok(respond::kText, "ok\n");
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

// Browsers show application/rss+xml and application/atom+xml as plain text
// and never run their xml-stylesheet; as application/xml they render the
// stylesheet's readable page. So a browser's navigation (it asks for
// text/html and names no feed type) gets the same bytes as application/xml;
// feed readers keep the feed's own media type.
bool is_browser_navigation(const Request& req) {
  const std::string_view accept = req[beast_http::field::accept];
  return accept.find("text/html") != std::string_view::npos &&
         accept.find("rss+xml") == std::string_view::npos &&
         accept.find("atom+xml") == std::string_view::npos;
}

// The same for a response not prepared by the cache (a redirect, a failure).
void show_xml_to_browsers(const Request& req, Response& res) {
  res.set(beast_http::field::vary, "Accept-Encoding, Accept");
  if (res.result() != beast_http::status::ok && res.result() != beast_http::status::not_modified) {
    return;
  }
  if (is_browser_navigation(req) && res.result() == beast_http::status::ok) {
    res.set(beast_http::field::content_type, "application/xml; charset=utf-8");
  }
}

// A listing path: "{prefix}" is page 1, "{prefix}page/N/" page N (N > 1;
// "page/1/" is not canonical and gets a redirect from the caller).
struct ListingPath {
  std::string_view rest;  // what follows the prefix, before "page/N/"
  int page = 1;
};

std::optional<ListingPath> split_page(std::string_view path) {
  ListingPath out{path, 1};
  const auto marker = path.rfind("page/");
  if (marker == std::string_view::npos || path.size() < marker + 7 || !path.ends_with("/")) {
    return out;
  }
  if (marker != 0 && path[marker - 1] != '/') return out;
  auto n = parse_page_number(path.substr(marker + 5, path.size() - marker - 6));
  if (!n) return std::nullopt;
  out.rest = path.substr(0, marker);
  out.page = *n;
  return out;
}

// "/category/{slug}/" (+ "page/N/") -> slug and page.
std::optional<ListingPath> category_path(std::string_view path) {
  constexpr std::string_view kPrefix = "/category/";
  if (!path.starts_with(kPrefix) || !path.ends_with("/")) return std::nullopt;
  auto listing = split_page(path.substr(kPrefix.size()));
  if (!listing || listing->rest.size() < 2) return std::nullopt;
  listing->rest.remove_suffix(1);  // the slug's '/'
  if (listing->rest.find('/') != std::string_view::npos) return std::nullopt;
  return listing;
}

struct ArchivePath {
  int year = 0;
  int month = 0;
  int page = 1;
};

// "/archive/", "/archive/YYYY/", "/archive/YYYY/MM/" (+ "page/N/").
std::optional<ArchivePath> archive_path(std::string_view path) {
  constexpr std::string_view kPrefix = "/archive/";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  auto listing = split_page(path.substr(kPrefix.size()));
  if (!listing) return std::nullopt;
  const std::string_view rest = listing->rest;
  ArchivePath out;
  out.page = listing->page;
  auto number = [](std::string_view digits, int lo, int hi) -> std::optional<int> {
    int n = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    if (n < lo || n > hi) return std::nullopt;
    return n;
  };
  if (rest.empty()) return out.page == 1 ? std::optional(out) : std::nullopt;
  if (rest.size() < 5 || rest[4] != '/') return std::nullopt;
  auto year = number(rest.substr(0, 4), 1, 9999);
  if (!year) return std::nullopt;
  out.year = *year;
  if (rest.size() == 5) return out;
  if (rest.size() != 8 || rest[7] != '/') return std::nullopt;
  auto month = number(rest.substr(5, 2), 1, 12);
  if (!month) return std::nullopt;
  out.month = *month;
  return out;
}

Response static_asset(const Scope& deps, const Request& req, std::string_view name) {
  const render::StaticAsset* asset = deps.theme.asset(name);
  if (asset == nullptr) return error_page(deps, req, 404);
  auto entry = deps.cache.get("\x01static/" + asset->name, 0, [asset]() -> Result<Rendered> {
    Rendered r;
    r.content_type = asset->content_type;
    r.body = asset->content;
    return r;
  });
  if (!entry) return failure(entry.error());
  // Fingerprinted names change with the content: cache for a year.
  return respond_prepared(req, std::move(*entry), CachePolicy{31536000, /*immutable=*/true});
}

Response search(const Scope& deps, const Request& req) {
  const std::string query = query_param(req.target(), "q").value_or("");
  int page = 1;
  if (auto p = query_param(req.target(), "page")) {
    auto n = parse_page_number(*p);
    if (!n) return error_page(deps, req, 404);
    page = *n;
  }
  // One cache entry per distinct question, however it was spelled.
  const std::string key = std::string(deps.prefix) + model::search_path(query, page);
  return cached_page(deps, req, key, [&] { return deps.pages.search(query, page); });
}

Response item(const Scope& deps, const Request& req, const std::string& slug) {
  const std::uint64_t generation = deps.watcher.generation();
  auto entry =
      deps.cache.get(std::string(target_path(req.target())), generation, [&]() -> Result<Rendered> {
        auto page = deps.pages.item(slug);
        if (!page) return page.error();
        return rendered(*page, respond::kHtml);
      });
  if (entry) return respond_prepared(req, std::move(*entry), CachePolicy{deps.site.feed_max_age});
  if (entry.error().code != ErrorCode::kNotFound) return failure(entry.error());
  // An item of another language asked for under this one's prefix (or an
  // old link from before its language changed): its own address.
  if (auto elsewhere = deps.languages.everything().public_item(slug)) {
    const std::string location = model::item_path(deps.site, *elsewhere);
    if (location != target_path(req.target())) return redirect(location, 3600);
  }
  // A deleted item's address says so (410), unless it was an old address
  // of an item that lives on elsewhere.
  auto gone = deps.pages.gone(slug);
  if (gone && *gone &&
      !deps.languages.everything().redirected_item(model::redirect_key(req.target()))) {
    return error_page(deps, req, 410);
  }
  return moved_or_not_found(deps, req);
}

// "/files/{id}/{name}": the stored bytes of a public item's attachment, as a
// download under its checked type (never rendered in the site's origin).
// Cache-Control is a day plus an ETag rather than "immutable": the bytes
// under an id never change, but SQLite may give a deleted attachment's id
// to a new one.
Response attachment_file(const Scope& deps, const Request& req, std::string_view path) {
  const std::string_view rest = path.substr(7);  // after "/files/"
  const auto slash = rest.find('/');
  std::int64_t id = 0;
  for (char c : rest.substr(0, slash)) {
    if (c < '0' || c > '9' || id > (INT64_MAX - 9) / 10) return error_page(deps, req, 404);
    id = id * 10 + (c - '0');
  }
  if (slash == 0 || slash == std::string_view::npos || deps.files == nullptr) {
    return error_page(deps, req, 404);
  }
  auto file = deps.files->public_file(id);
  if (!file && file.error().code == ErrorCode::kNotFound) return error_page(deps, req, 404);
  if (!file) return failure(file.error());
  const std::string canonical = service::attachment_file_path(id, file->name);
  if (canonical != path) return redirect(canonical, 3600);
  const std::string etag = "\"" + file->digest + "\"";
  const std::string_view if_none_match = req[beast_http::field::if_none_match];
  Response res = if_none_match == "*" || if_none_match.find(etag) != std::string_view::npos
                     ? Response{beast_http::status::not_modified, 11}
                     : respond::ok(file->media_type, std::move(file->bytes));
  res.set(beast_http::field::etag, etag);
  res.set(beast_http::field::cache_control, "public, max-age=86400");
  res.set(beast_http::field::content_disposition, service::content_disposition(file->name));
  res.set("Content-Security-Policy", "default-src 'none'; sandbox");
  return res;
}

// An embargoed item through its secret link: never cached anywhere (the
// secret is in the URL and the page must vanish when the embargo ends).
Response preview(const Scope& deps, const Request& req, std::string_view path) {
  std::string_view token = path.substr(std::string_view("/preview/").size());
  if (!token.ends_with("/")) return error_page(deps, req, 404);
  token.remove_suffix(1);
  auto page = deps.languages.whole_site().preview(token);
  if (!page) {
    if (page.error().code == ErrorCode::kNotFound) return error_page(deps, req, 404);
    return failure(page.error());
  }
  Response res = respond::ok(respond::kHtml, std::move(page->body));
  res.set(beast_http::field::cache_control, "no-store");
  res.set("X-Robots-Tag", "noindex");
  return res;
}

Response dispatch(const Scope& deps, const Request& req) {
  if (req.method() != beast_http::verb::get && req.method() != beast_http::verb::head) {
    Response res = respond::with_body(beast_http::status::method_not_allowed, respond::kText,
                                      "Method Not Allowed\n");
    res.set(beast_http::field::allow, "GET, HEAD");
    return res;
  }
  // Cache keys are whole paths; routes match the path inside the language.
  const std::string key(target_path(req.target()));
  const std::string path = deps.prefix.empty() ? key : key.substr(deps.prefix.size());
  // The route table: fixed paths first, then patterns.
  if (path == "/") return cached_page(deps, req, key, [&] { return deps.pages.home(); });
  // What only the root serves: one sitemap, one stylesheet, the files.
  if (deps.prefix.empty()) {
    if (path == "/healthz") return healthz(deps);
    if (path == "/feed.xsl") return cached(deps, req, path, stylesheet, /*fixed=*/true);
    if (path == "/sitemap.xml") {
      return cached_page(
          deps, req, path, [&] { return deps.languages.whole_site().sitemap(); }, kXml);
    }
    if (const auto part = render::sitemap_part_of(path)) {
      return cached_page(
          deps, req, path, [&] { return deps.languages.whole_site().sitemap_part(*part); }, kXml);
    }
    if (path == "/news-sitemap.xml") {
      return cached_page(
          deps, req, path, [&] { return deps.languages.whole_site().news_sitemap(); }, kXml);
    }
    if (path == "/robots.txt") {
      return cached_page(
          deps, req, path,
          [&]() -> Result<service::Page> { return deps.languages.whole_site().robots(); },
          respond::kText);
    }
    if (path.starts_with("/static/")) return static_asset(deps, req, path.substr(8));
    if (path.starts_with("/files/")) return attachment_file(deps, req, path);
    if (path.starts_with("/preview/")) return preview(deps, req, path);
  }
  if (path == "/search") return search(deps, req);
  if (auto request = service::parse_feed_path(path)) {
    const bool xml = request->format != model::FeedFormat::kJson;
    const Presentation presentation{xml, xml && is_browser_navigation(req)};
    Response res = cached(
        deps, req, key, [&] { return feed(deps, *request); }, false, presentation);
    if (xml && res.body().prepared() == nullptr) show_xml_to_browsers(req, res);
    return res;
  }
  if (path.starts_with("/news/")) {
    // Item permalinks may live under /news/ too ("/news/{slug}/"): a listing
    // page wins only for its exact shapes.
    auto listing = split_page(std::string_view(path).substr(5));
    if (listing && listing->rest == "/") {
      if (path == "/news/page/1/") {
        return redirect(std::string(deps.prefix) + model::news_list_path(), 86400);
      }
      const int page = listing->page;
      return cached_page(deps, req, key, [&] { return deps.pages.listing("", page); });
    }
  }
  if (auto listing = category_path(path)) {
    const std::string slug(listing->rest);
    const int page = listing->page;
    if (path.ends_with("/page/1/")) {
      return redirect(std::string(deps.prefix) + model::category_page_path(slug), 86400);
    }
    return cached_page(deps, req, key, [&] { return deps.pages.listing(slug, page); });
  }
  if (auto archive = archive_path(path)) {
    if (path.ends_with("/page/1/")) {
      return redirect(std::string(deps.prefix) + model::archive_path(archive->year, archive->month),
                      86400);
    }
    return cached_page(deps, req, key, [&] {
      return deps.pages.archive(archive->year, archive->month, archive->page);
    });
  }
  if (auto slug = model::match_permalink(deps.site.news_permalink, path)) {
    return item(deps, req, *slug);
  }
  return moved_or_not_found(deps, req);
}

}  // namespace

Handler make_site_handler(SiteDeps deps) {
  return [deps](const Request& req) {
    const std::string_view target = target_path(req.target());
    const model::LanguagePath in = model::split_language_path(deps.site, target);
    if (in.rest.empty()) {  // "/fr": the language's home is "/fr/"
      Response res = redirect(std::string(target) + "/", 86400);
      respond::secure_html(res);
      return res;
    }
    service::LanguageSite& language = deps.languages.in(in.language);
    const Scope scope{language.site,  language.news,
                      language.feeds, language.pages,
                      deps.theme,     deps.watcher,
                      deps.cache,     deps.files,
                      deps.languages, target.substr(0, target.size() - in.rest.size())};
    Response res = dispatch(scope, req);
    // A prepared response carries the security fields already.
    if (res.body().prepared() == nullptr) respond::secure_html(res);
    return res;
  };
}

}  // namespace newsdesk::http
