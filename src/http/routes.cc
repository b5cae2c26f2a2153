#include "http/routes.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <vector>

#include "http/respond.h"
#include "model/output_format.h"
#include "model/permalink.h"
#include "render/html.h"

namespace newsdesk::http {

namespace {

// The path without query or fragment.
std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

Response not_found(const SiteDeps& deps) {
  return respond::with_body(beast_http::status::not_found, respond::kHtml,
                            render::not_found_page(deps.site));
}

// An address nothing answers to may be an old one (an imported site's URL, a
// changed slug): send the reader on with 301, else a 404 page.
Response moved_or_not_found(const SiteDeps& deps, std::string_view target) {
  const std::string key = model::redirect_key(target);
  if (!key.empty()) {
    if (auto item = deps.news.redirected_item(key)) {
      const std::string location = model::item_path(deps.site, item->slug);
      if (location != key) {
        Response res = respond::with_body(beast_http::status::moved_permanently, respond::kText,
                                          "Moved to " + location + "\n");
        res.set(beast_http::field::location, location);
        res.set(beast_http::field::cache_control, "public, max-age=86400");
        return res;
      }
    }
  }
  return not_found(deps);
}

Response failure(const SiteDeps& deps, const Error& error) {
  if (error.code == ErrorCode::kNotFound) return not_found(deps);
  spdlog::error("http: {}", error.message);
  const auto status = respond::status_for(error.code);
  return respond::with_body(status, respond::kText,
                            std::string(beast_http::obsolete_reason(status)) + "\n");
}

using Render = std::function<Result<Rendered>()>;

// Serves `key` from the cache, rendering it for the current generation when
// needed. `fixed` content (the stylesheet) never changes with the data.
Response cached(const SiteDeps& deps, const Request& req, const std::string& key,
                const Render& render, bool fixed = false) {
  const std::uint64_t generation = fixed ? 0 : deps.watcher.generation();
  auto entry = deps.cache.get(key, generation, render);
  if (!entry && entry.error().code == ErrorCode::kNotFound) {
    return moved_or_not_found(deps, req.target());
  }
  if (!entry) return failure(deps, entry.error());
  return respond_cached(req, **entry, CachePolicy{fixed ? 86400 : deps.site.feed_max_age});
}

Rendered html(std::string body, std::optional<model::DateTime> modified) {
  Rendered r;
  r.content_type = std::string(respond::kHtml);
  r.body = std::move(body);
  if (modified) r.last_modified = modified->epoch_seconds;
  return r;
}

Result<Rendered> home(const SiteDeps& deps) {
  auto items = deps.news.latest(deps.site.feed_items);
  if (!items) return items.error();
  auto last = deps.news.last_change();
  if (!last) return last.error();
  return html(render::home_page(deps.site, *items), *last);
}

Result<Rendered> item(const SiteDeps& deps, const std::string& slug) {
  auto found = deps.news.public_item(slug);
  if (!found) return found.error();
  return html(render::item_page(deps.site, *found), found->updated_at);
}

Result<Rendered> category(const SiteDeps& deps, const std::string& slug) {
  auto found = deps.news.category(slug);
  if (!found) return found.error();
  auto items = deps.news.latest(deps.site.feed_items, 0, slug);
  if (!items) return items.error();
  auto last = deps.news.last_change(slug);
  if (!last) return last.error();
  return html(render::category_page(deps.site, *found, *items), *last);
}

Result<Rendered> feed(const SiteDeps& deps, const service::FeedRequest& request) {
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

Response healthz(const SiteDeps& deps) {
  // A health check that touches the store: a broken database is not healthy.
  auto last = deps.news.last_change();
  if (!last) return failure(deps, last.error());
  Response res = respond::ok(respond::kText, "ok\n");
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

// Browsers show application/rss+xml and application/atom+xml as plain text
// and never run their xml-stylesheet; as application/xml they render the
// stylesheet's readable page. So a browser's navigation (it asks for
// text/html and names no feed type) gets the same bytes as application/xml;
// feed readers keep the feed's own media type.
void show_xml_to_browsers(const Request& req, Response& res) {
  res.set(beast_http::field::vary, "Accept-Encoding, Accept");
  if (res.result() != beast_http::status::ok && res.result() != beast_http::status::not_modified) {
    return;
  }
  const std::string_view accept = req[beast_http::field::accept];
  const bool browser = accept.find("text/html") != std::string_view::npos &&
                       accept.find("rss+xml") == std::string_view::npos &&
                       accept.find("atom+xml") == std::string_view::npos;
  if (browser && res.result() == beast_http::status::ok) {
    res.set(beast_http::field::content_type, "application/xml; charset=utf-8");
  }
}

// "/category/{slug}/" -> slug.
std::optional<std::string> category_slug(std::string_view path) {
  constexpr std::string_view kPrefix = "/category/";
  if (!path.starts_with(kPrefix) || !path.ends_with("/")) return std::nullopt;
  const std::string_view slug = path.substr(kPrefix.size(), path.size() - kPrefix.size() - 1);
  if (slug.empty() || slug.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(slug);
}

Response dispatch(const SiteDeps& deps, const Request& req) {
  if (req.method() != beast_http::verb::get && req.method() != beast_http::verb::head) {
    Response res = respond::with_body(beast_http::status::method_not_allowed, respond::kText,
                                      "Method Not Allowed\n");
    res.set(beast_http::field::allow, "GET, HEAD");
    return res;
  }
  const std::string path(path_of(req.target()));
  // The route table: fixed paths first, then patterns.
  if (path == "/") return cached(deps, req, path, [&] { return home(deps); });
  if (path == "/healthz") return healthz(deps);
  if (path == "/feed.xsl") return cached(deps, req, path, stylesheet, /*fixed=*/true);
  if (auto request = service::parse_feed_path(path)) {
    Response res = cached(deps, req, path, [&] { return feed(deps, *request); });
    if (request->format != model::FeedFormat::kJson) show_xml_to_browsers(req, res);
    return res;
  }
  if (auto slug = category_slug(path)) {
    return cached(deps, req, path, [&] { return category(deps, *slug); });
  }
  if (auto slug = model::match_permalink(deps.site.news_permalink, path)) {
    return cached(deps, req, path, [&] { return item(deps, *slug); });
  }
  return moved_or_not_found(deps, req.target());
}

}  // namespace

Handler make_site_handler(SiteDeps deps) {
  return [deps](const Request& req) { return dispatch(deps, req); };
}

}  // namespace newsdesk::http
