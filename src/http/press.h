// Journalists' private feeds: /press/{secret}/rss.xml, atom.xml, feed.json.
// Each outlet gets its own secret URL (`newsdesk press create LABEL`); the
// feed carries embargoed press releases ahead of their time, marked with
// their embargo, so the press can prepare. Revoking the secret ends access.
#pragma once

#include "http/server.h"
#include "service/accounts.h"
#include "service/feeds.h"

namespace newsdesk::http {

struct PressDeps {
  service::AccountService& accounts;
  service::FeedService& feeds;
};

// Answers every request whose path starts with "/press/".
Handler make_press_handler(PressDeps deps);

}  // namespace newsdesk::http
