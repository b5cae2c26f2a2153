#include "http/respond.h"

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
    case ErrorCode::kUnavailable:
      return beast_http::status::service_unavailable;
    case ErrorCode::kInternal:
      return beast_http::status::internal_server_error;
  }
  return beast_http::status::internal_server_error;
}

}  // namespace newsdesk::http::respond
