// The JSON API (/api/v1/): news items for other systems, with bearer tokens
// (`newsdesk token create`). JSON in and out; errors as
// application/problem+json (RFC 9457); the OpenAPI description at
// /api/v1/openapi.json. Handlers parse and validate, make one service call
// and turn its Result into a response; the rules live in EditorialService.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "http/server.h"
#include "model/site.h"
#include "service/accounts.h"
#include "service/change_watcher.h"
#include "service/editorial.h"

namespace newsdesk::http {

// All must outlive the handler; all are thread-safe.
struct ApiDeps {
  const model::Site& site;
  service::AccountService& accounts;
  service::EditorialService& editorial;
  service::ChangeWatcher& watcher;  // told at once about this process's writes
  service::Clock clock;
};

// Answers every request whose path starts with "/api/".
Handler make_api_handler(ApiDeps deps);

// Room for the multipart framing around an uploaded file: part headers,
// boundaries, other form fields (the admin form's CSRF token).
inline constexpr std::size_t kMultipartFraming = 64 * 1024;

// The operator's body limits ([server] max_body_bytes, max_upload_bytes).
struct BodyLimits {
  std::size_t body = 1024 * 1024;                                   // forms, JSON
  std::size_t upload = service::EditorialService::kMaxUploadBytes;  // one uploaded file
};

// The largest request body a route takes: uploads (POST .../attachments,
// in the API and the admin interface) up to limits.upload plus
// kMultipartFraming, everything else limits.body. For ServerOptions.
std::size_t body_limit_for(beast_http::verb method, std::string_view target,
                           const BodyLimits& limits = {});

// Every route the API answers, as "METHOD /api/v1/path/{param}": the
// router's table, which tests compare with the OpenAPI document.
const std::vector<std::string>& api_routes();

// The OpenAPI 3.1 document of the API.
std::string_view openapi_json();

}  // namespace newsdesk::http
