// Every public route in one table (Miniflux api.go style), and the handler
// that dispatches to them.
#pragma once

#include "http/server.h"
#include "model/site.h"
#include "service/news.h"

namespace newsdesk::http {

// `site` and `news` must outlive the handler. Thread-safe when news is.
Handler make_site_handler(const model::Site& site, service::NewsService& news);

}  // namespace newsdesk::http
