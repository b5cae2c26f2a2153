#include "http/routes.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <vector>

#include "feed/write/rss.h"
#include "http/respond.h"
#include "model/permalink.h"
#include "render/html.h"

namespace newsdesk::http {

namespace {

struct Context {
  const model::Site& site;
  service::NewsService& news;
};

// The path without query or fragment.
std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

Response not_found(const Context& ctx) {
  return respond::with_body(beast_http::status::not_found, respond::kHtml,
                            render::not_found_page(ctx.site));
}

Response failure(const Context& ctx, const Error& error) {
  if (error.code == ErrorCode::kNotFound) return not_found(ctx);
  spdlog::error("http: {}", error.message);
  return respond::with_body(
      respond::status_for(error.code), respond::kText,
      std::string(beast_http::obsolete_reason(respond::status_for(error.code))));
}

Response home(const Context& ctx, std::string_view) {
  auto items = ctx.news.latest(ctx.site.feed_items);
  if (!items) return failure(ctx, items.error());
  return respond::ok(respond::kHtml, render::home_page(ctx.site, *items));
}

Response rss(const Context& ctx, std::string_view) {
  auto items = ctx.news.latest(ctx.site.feed_items);
  if (!items) return failure(ctx, items.error());
  auto last = ctx.news.last_change();
  if (!last) return failure(ctx, last.error());
  return respond::ok(respond::kRss,
                     feed::write_rss(ctx.site, feed::site_feed_info(ctx.site, *last), *items));
}

Response healthz(const Context& ctx, std::string_view) {
  // A health check that touches the store: a broken database is not healthy.
  auto last = ctx.news.last_change();
  if (!last) return failure(ctx, last.error());
  return respond::ok(respond::kText, "ok\n");
}

Response item(const Context& ctx, std::string_view slug) {
  auto found = ctx.news.public_item(slug);
  if (!found) return failure(ctx, found.error());
  return respond::ok(respond::kHtml, render::item_page(ctx.site, *found));
}

using Route = Response (*)(const Context&, std::string_view);

struct FixedRoute {
  std::string_view path;
  Route handler;
};

constexpr FixedRoute kFixedRoutes[] = {
    {"/", home},
    {model::kRssPath, rss},
    {"/healthz", healthz},
};

Response dispatch(const Context& ctx, const Request& req) {
  if (req.method() != beast_http::verb::get && req.method() != beast_http::verb::head) {
    Response res = respond::with_body(beast_http::status::method_not_allowed, respond::kText,
                                      "Method Not Allowed\n");
    res.set(beast_http::field::allow, "GET, HEAD");
    return res;
  }
  const std::string_view path = path_of(req.target());
  for (const FixedRoute& route : kFixedRoutes) {
    if (route.path == path) return route.handler(ctx, path);
  }
  if (auto slug = model::match_permalink(ctx.site.news_permalink, path)) return item(ctx, *slug);
  return not_found(ctx);
}

}  // namespace

Handler make_site_handler(const model::Site& site, service::NewsService& news) {
  return [ctx = Context{site, news}](const Request& req) { return dispatch(ctx, req); };
}

}  // namespace newsdesk::http
