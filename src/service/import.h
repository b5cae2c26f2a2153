// Turns parsed feeds into stored news items. Idempotent: an item is matched
// by its source guid, else its link, else a hash of title and date; changed
// items are updated, unchanged ones skipped.
//
// Streaming: feeds are read item by item through FeedReader, so a feed file
// of any size is imported with memory bounded by ImportOptions::window_bytes
// plus about 50 bytes per item (its size and identity hash, for the passes
// and the duplicate check) and a counter per distinct title label, never by
// the file's size. Measured (debug build): a 20 MB feed of 5,500 items peaks
// at 48 MB, a 200 MB feed of 55,000 items at 72 MB.
//   1. a first pass over every source (before the transaction) counts the
//      title labels the category rule needs, notes each item's size and
//      identity hash, and marks the items to skip (empty, duplicate); it keeps
//      the items too while they fit in the window, which is the whole feed
//      for every ordinary feed, so that one reads the file once;
//   2. inside one transaction (all sources: all or nothing), the items are
//      imported oldest first, as feeds list newest first. A feed larger than
//      the window is read again once per window, from its end: each pass
//      keeps only the items of its window and imports them in reverse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "feed/import/parsed_feed.h"
#include "feed/import/parser.h"
#include "model/item.h"
#include "store/store.h"

namespace newsdesk::service {

// Where an import is, for a progress bar. Reported after every item; the
// receiver throttles its drawing.
struct ImportProgress {
  enum class Phase {
    kReading,    // the first pass: items_total is not known yet
    kImporting,  // writing items: items_done of items_total
  };
  Phase phase = Phase::kReading;
  std::size_t source = 0;          // index of the source in the import
  std::string_view name;           // the source's name (path or URL)
  std::uint64_t source_bytes = 0;  // the source's size when known (files), else 0
  std::uint64_t items_done = 0;
  std::uint64_t items_total = 0;
};

struct ImportOptions {
  // Title prefixes that name a category, with their colon: "Press Release:".
  std::vector<std::string> category_prefixes;
  std::int64_t now_epoch_seconds = 0;  // stands in for absent dates
  // New items get Unicode slugs (model::Site::unicode_slugs, text::slugify).
  bool unicode_slugs = false;
  // Parsed items kept in memory at once (their text, roughly). A feed whose
  // items fit is read once; a larger one once more per window.
  std::size_t window_bytes = std::size_t{32} << 20;
  // Called from the importing thread; may be empty.
  std::function<void(const ImportProgress&)> on_progress;
};

// Why items were not imported (ImportReport::skipped keys).
inline constexpr std::string_view kSkippedEmpty = "without title or text";
inline constexpr std::string_view kSkippedDuplicate =
    "duplicate of an earlier item in the same import";

struct ImportReport {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  // Reason (kSkipped...) -> how many items it kept out.
  std::map<std::string, int, std::less<>> skipped;

  int skipped_total() const {
    int n = 0;
    for (const auto& [reason, count] : skipped) n += count;
    return n;
  }
};

// One feed to import, readable more than once: each call of `read` streams
// the feed's items to the sink in document order and returns the feed's
// metadata (items empty). Every call must give the same items.
struct FeedReader {
  std::string name;              // path or URL, for errors and progress
  std::uint64_t size_bytes = 0;  // for progress; 0 when unknown
  std::function<Result<feed::ParsedFeed>(const feed::ItemSink& sink)> read;
};

// A feed file streamed with feed::parse_feed_file (relative links resolved
// against the feed's own link). size_bytes is the file's size (0 if it
// cannot be read yet: the read reports the error).
FeedReader file_feed_reader(const std::string& path, const feed::ParseLimits& limits = {});
// A feed already parsed in memory (a fetched URL), which the reader owns.
FeedReader parsed_feed_reader(std::string name, feed::ParsedFeed feed);

// The category a title prefix names, or "" when none does: a configured
// prefix, or (the conservative rule) a short capitalised phrase before ": "
// that at least two titles of the same feed start with. `feed_titles` are
// all titles of the feed being imported.
std::string title_prefix_category(const std::string& title,
                                  const std::vector<std::string>& feed_titles,
                                  const std::vector<std::string>& configured_prefixes);

// The slug an imported item gets before clashes are resolved: the source
// link's last path segment when it is a usable slug, else one made from the
// title. With unicode_slugs a percent-encoded segment is taken decoded and
// slugs keep every script (text::SlugScript::kUnicode).
std::string slug_for_import(const std::string& link, const std::string& title,
                            bool unicode_slugs = false);

// The importer's identity of an item: its guid, else its link, else a hash
// of title and date.
std::string source_id_for(const feed::ParsedItem& item);

// Imports every item of every feed in one transaction: all or nothing.
// Items without title, summary and content are skipped (kSkippedEmpty), and
// so is an item whose identity (source_id_for) an earlier item of the same
// import already had, in this source or an earlier one (kSkippedDuplicate):
// the first one listed wins.
// Errors: the first error of a reader ("import: <name>: feed: ...") or of
// the store; kInvalid when a source gives other items on a later pass
// ("changed while it was imported"). Nothing is written then.
Result<ImportReport> import_sources(store::Store& store, const std::vector<FeedReader>& sources,
                                    const ImportOptions& options);

// The same for feeds parsed in memory.
Result<ImportReport> import_feeds(store::Store& store, const std::vector<feed::ParsedFeed>& feeds,
                                  const ImportOptions& options);

}  // namespace newsdesk::service
