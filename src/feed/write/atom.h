// Atom 1.0 writer (RFC 4287, https://www.rfc-editor.org/rfc/rfc4287), with
// RFC 5005 archive links and WebSub hub links. A pure function of its
// arguments: no I/O, no clock.
#pragma once

#include <string>
#include <vector>

#include "feed/write/rss.h"
#include "model/item.h"
#include "model/site.h"

namespace newsdesk::feed {

// The feed's atom:id is info.self_url, or info.current_url on an archive page
// (RFC 5005: archive documents are parts of the live feed, so they share its
// id). Entry ids are the items' guids, never their URLs, so a slug change
// does not make readers see a new entry. Each entry's updated is never before
// its published; the body goes into content type="html" only when
// info.full_text; every attachment becomes a link rel="enclosure".
// REQUIRES: every item has a guid and slug; info.self_url is set.
std::string write_atom(const model::Site& site, const FeedInfo& info,
                       const std::vector<model::Item>& items);

}  // namespace newsdesk::feed
