// The JSON API (/api/v1/): news items for other systems, with bearer tokens
// (`newsdesk token create`). JSON in and out; errors as
// application/problem+json (RFC 9457); the OpenAPI description at
// /api/v1/openapi.json. Handlers parse and validate, make one service call
// and turn its Result into a response; the rules live in EditorialService.
#pragma once

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

// The largest request body a route takes: uploads (POST .../attachments,
// in the API and the admin interface) up to the upload limit plus room for
// the multipart framing, everything else 1 MiB. For ServerOptions.
std::size_t body_limit_for(beast_http::verb method, std::string_view target);

// The OpenAPI 3.0 document of the API.
std::string_view openapi_json();

}  // namespace newsdesk::http
