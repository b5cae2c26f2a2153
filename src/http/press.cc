#include "http/press.h"

#include <spdlog/spdlog.h>

#include "http/query.h"
#include "http/respond.h"
#include "model/output_format.h"

namespace newsdesk::http {

namespace {

Response not_found() {
  Response res = respond::with_body(beast_http::status::not_found, respond::kText, "Not Found\n");
  res.set(beast_http::field::cache_control, "no-store");
  return res;
}

Response dispatch(const PressDeps& deps, const Request& req) {
  if (req.method() != beast_http::verb::get && req.method() != beast_http::verb::head) {
    Response res = respond::with_body(beast_http::status::method_not_allowed, respond::kText,
                                      "Method Not Allowed\n");
    res.set(beast_http::field::allow, "GET, HEAD");
    return res;
  }
  const std::string path(path_of(req.target()));
  constexpr std::string_view kPrefix = "/press/";
  const std::string_view rest = std::string_view(path).substr(kPrefix.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return not_found();
  const auto format = model::feed_format_by_file(rest.substr(slash + 1));
  if (!format) return not_found();
  // A wrong secret and a revoked one look the same as a missing page.
  if (auto feed = deps.accounts.press_feed(rest.substr(0, slash)); !feed) {
    if (feed.error().code != ErrorCode::kNotFound) spdlog::error("press: {}", feed.error().message);
    return not_found();
  }
  auto doc = deps.feeds.render_press(*format, path);
  if (!doc) {
    spdlog::error("press: {}", doc.error().message);
    return respond::with_body(beast_http::status::internal_server_error, respond::kText,
                              "Internal Server Error\n");
  }
  Response res = respond::ok(doc->content_type, std::move(doc->body));
  // The secret is in the URL: no shared cache may keep or index it.
  res.set(beast_http::field::cache_control, "private, no-store");
  res.set("X-Robots-Tag", "noindex");
  return res;
}

}  // namespace

Handler make_press_handler(PressDeps deps) {
  return [deps](const Request& req) { return dispatch(deps, req); };
}

}  // namespace newsdesk::http
