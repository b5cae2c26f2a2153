// Building responses, and the one mapping from ErrorCode to HTTP status.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "http/server.h"

namespace newsdesk::http::respond {

inline constexpr std::string_view kHtml = "text/html; charset=utf-8";
inline constexpr std::string_view kRss = "application/rss+xml; charset=utf-8";
inline constexpr std::string_view kText = "text/plain; charset=utf-8";

Response with_body(beast_http::status status, std::string_view content_type, std::string body);
inline Response ok(std::string_view content_type, std::string body) {
  return with_body(beast_http::status::ok, content_type, std::move(body));
}

beast_http::status status_for(ErrorCode code);

// Security headers for an HTML response: a Content-Security-Policy without
// inline script or style, Referrer-Policy and X-Frame-Options. Responses of
// other types are left alone.
void secure_html(Response& res);

// The same fields as header lines ("Name: value\r\n" each), for responses
// serialised ahead (cache.cc).
std::string_view secure_html_lines();

}  // namespace newsdesk::http::respond
