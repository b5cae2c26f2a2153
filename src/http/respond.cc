#include "http/respond.h"

#include <string>

namespace newsdesk::http::respond {

Response with_body(beast_http::status status, std::string_view content_type, std::string body) {
  Response res{status, 11};
  res.set(beast_http::field::content_type, content_type);
  res.body() = std::move(body);
  res.keep_alive(true);
  return res;
}

beast_http::status status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return beast_http::status::not_found;
    case ErrorCode::kInvalid:
      return beast_http::status::bad_request;
    case ErrorCode::kConflict:
      return beast_http::status::conflict;
    case ErrorCode::kUnauthorized:
      return beast_http::status::unauthorized;
    case ErrorCode::kForbidden:
      return beast_http::status::forbidden;
    case ErrorCode::kTooManyRequests:
      return beast_http::status::too_many_requests;
    case ErrorCode::kUnavailable:
      return beast_http::status::service_unavailable;
    case ErrorCode::kInternal:
      return beast_http::status::internal_server_error;
  }
  return beast_http::status::internal_server_error;
}

namespace {

// No script runs but the site's own files (the default theme has none;
// JSON-LD is a data block, which CSP does not execute), no inline style, no
// framing by other sites, no plugins; images from anywhere (items' lead
// images and bodies point to other hosts; an image runs no code).
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

constexpr std::string_view kReferrerPolicy = "strict-origin-when-cross-origin";
constexpr std::string_view kFrameOptions = "DENY";

}  // namespace

std::string_view secure_html_lines() {
  static const std::string lines =
      "Content-Security-Policy: " + std::string(kContentSecurityPolicy) +
      "\r\nReferrer-Policy: " + std::string(kReferrerPolicy) +
      "\r\nX-Frame-Options: " + std::string(kFrameOptions) + "\r\n";
  return lines;
}

void secure_html(Response& res) {
  if (!res[beast_http::field::content_type].starts_with("text/html")) return;
  res.set("Content-Security-Policy", kContentSecurityPolicy);
  res.set("Referrer-Policy", kReferrerPolicy);
  res.set("X-Frame-Options", kFrameOptions);
}

}  // namespace newsdesk::http::respond
