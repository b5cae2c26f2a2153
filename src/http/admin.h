// The admin interface (/admin/): log in, list and search news, write and
// edit items, publish, schedule, embargo, delete, see revisions. Pages are
// rendered by the theme (templates/admin_*.mustache in layouts/admin) and
// work without JavaScript. A session cookie (HttpOnly, SameSite=Lax, Secure
// when the site is https) identifies the user; every state-changing form
// carries the session's CSRF token.
#pragma once

#include "http/server.h"
#include "model/site.h"
#include "render/theme.h"
#include "service/accounts.h"
#include "service/change_watcher.h"
#include "service/editorial.h"

namespace newsdesk::http {

// All must outlive the handler; all are thread-safe.
struct AdminDeps {
  const model::Site& site;
  const render::Theme& theme;
  service::AccountService& accounts;
  service::EditorialService& editorial;
  service::ChangeWatcher& watcher;
  service::Clock clock;
};

// Answers every request whose path starts with "/admin".
Handler make_admin_handler(AdminDeps deps);

// The session cookie's name.
inline constexpr std::string_view kSessionCookie = "nd_session";

// The value of one cookie in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace newsdesk::http
