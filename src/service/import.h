// Turns parsed feeds into stored news items. Idempotent: an item is matched
// by its source guid, else its link, else a hash of title and date; changed
// items are updated, unchanged ones skipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "feed/import/parsed_feed.h"
#include "model/item.h"
#include "store/store.h"

namespace newsdesk::service {

struct ImportOptions {
  // Title prefixes that name a category, with their colon: "Press Release:".
  std::vector<std::string> category_prefixes;
  std::int64_t now_epoch_seconds = 0;  // stands in for absent dates
};

struct ImportReport {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
};

// The category a title prefix names, or "" when none does: a configured
// prefix, or (the conservative rule) a short capitalised phrase before ": "
// that at least two titles of the same feed start with. `feed_titles` are
// all titles of the feed being imported.
std::string title_prefix_category(const std::string& title,
                                  const std::vector<std::string>& feed_titles,
                                  const std::vector<std::string>& configured_prefixes);

// The slug an imported item gets before clashes are resolved: the source
// link's last path segment when it is a usable slug, else one made from the
// title.
std::string slug_for_import(const std::string& link, const std::string& title);

// The importer's identity of an item: its guid, else its link, else a hash
// of title and date.
std::string source_id_for(const feed::ParsedItem& item);

// Imports every item of every feed in one transaction: all or nothing.
Result<ImportReport> import_feeds(store::Store& store, const std::vector<feed::ParsedFeed>& feeds,
                                  const ImportOptions& options);

}  // namespace newsdesk::service
