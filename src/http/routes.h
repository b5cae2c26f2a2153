// Every public route in one table (Miniflux api.go style), and the handler
// that dispatches to them. Pages and feeds go through the response cache,
// keyed on the content generation.
#pragma once

#include "http/cache.h"
#include "http/server.h"
#include "model/site.h"
#include "render/theme.h"
#include "service/attachments.h"
#include "service/change_watcher.h"
#include "service/languages.h"

namespace newsdesk::http {

// Everything a handler may use. All must outlive the handler; all are
// thread-safe.
struct SiteDeps {
  const model::Site& site;  // the root view: the default language
  // The news, feeds and pages of each served language; a path under a
  // language's prefix goes to that language's.
  service::LanguageSites& languages;
  const render::Theme& theme;
  service::ChangeWatcher& watcher;
  ResponseCache& cache;
  // Stored attachment files (/files/{id}/{name}); null: every such path is 404.
  service::AttachmentFiles* files;
};

Handler make_site_handler(SiteDeps deps);

}  // namespace newsdesk::http
