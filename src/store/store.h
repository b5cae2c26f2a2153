// The storage interface. Implementations: SQLite (store/sqlite/), later
// PostgreSQL. Nothing backend-specific crosses this interface: callers see
// model types, Result and ItemQuery only.
//
// Thread-safety: a Store may be called from several threads at once; an
// implementation serialises or pools internally. Calls made inside
// `transaction()` run on the Store& passed to the callback, which belongs to
// the calling thread until the callback returns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/category.h"
#include "model/datetime.h"
#include "model/item.h"
#include "model/search.h"

namespace newsdesk::store {

struct ItemQuery {
  std::optional<model::Status> status;  // unset: every status
  std::string category_slug;            // empty: every category
  // Only items whose published_at is at or before this instant (epoch seconds).
  std::optional<std::int64_t> published_before;
  // Only items whose published_at is in [published_from, published_until)
  // (epoch seconds; either may be unset): archive pages of a year or month.
  std::optional<std::int64_t> published_from;
  std::optional<std::int64_t> published_until;
  int limit = 20;  // at most this many; <= 0 means no limit
  int offset = 0;
};

// The items beside one item in the listing order (newest first by
// published_at, then id), for "previous / next" links.
struct Neighbours {
  std::optional<model::Item> newer;  // the item listed just before it
  std::optional<model::Item> older;  // the item listed just after it
};

// One search result: the item, and a short extract of its text around the
// matched words, HTML-escaped, with each match inside <mark>...</mark>.
struct SearchHit {
  model::Item item;
  std::string snippet_html;
};

struct SearchResults {
  std::vector<SearchHit> hits;  // best match first (bm25: title over teaser over body)
  std::int64_t total = 0;       // all matches, for paging
};

// What the last successful fetch of a feed URL returned, for conditional GET.
struct SourceState {
  std::string etag;
  std::string last_modified;
};

class Store {
 public:
  virtual ~Store() = default;
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Creates or upgrades the schema to the newest version. Idempotent.
  virtual Result<void> migrate() = 0;
  // The schema version the database is at (0 when empty).
  virtual Result<int> schema_version() = 0;

  // Inserts a new item with its categories (created by slug when missing,
  // name taken from the item on creation) and attachments, keeping the order
  // of both. A category slug listed twice is stored once, at its first
  // position. Attachment ids in `item` are ignored. Returns the new id.
  // All or nothing, also inside transaction().
  // REQUIRES: item.id == 0; item.guid, item.slug and category slugs non-empty
  // (else kInvalid).
  // Errors: kConflict when guid, slug or source_id is taken.
  virtual Result<std::int64_t> insert_item(const model::Item& item) = 0;
  // Replaces the stored item with this id (fields, categories, attachments).
  // The guid never changes: it must equal the stored one (else kInvalid).
  // Attachments whose id belongs to this item keep their id; the rest are
  // created anew, and stored attachments not listed are removed.
  // Errors: kNotFound, kConflict, kInvalid.
  virtual Result<void> update_item(const model::Item& item) = 0;

  // Errors: kNotFound when absent.
  virtual Result<model::Item> item_by_id(std::int64_t id) = 0;
  virtual Result<model::Item> item_by_slug(std::string_view slug) = 0;
  virtual Result<model::Item> item_by_source_id(std::string_view source_id) = 0;

  // Newest first by published_at (then id); items without published_at last.
  // Items carry all their categories, also when filtered by one.
  virtual Result<std::vector<model::Item>> list_items(const ItemQuery& query) = 0;
  // How many items match status, category_slug, published_before and the
  // published_from/until range; limit and offset are ignored, so this is the
  // total for paging.
  virtual Result<std::int64_t> count_items(const ItemQuery& query) = 0;

  // The neighbours of item `id` among the items matching the query's
  // status, category_slug and published_before (limit, offset and the
  // published_from/until range ignored). The item itself need not match.
  // Errors: kNotFound when no item has this id or it has no published_at.
  virtual Result<Neighbours> neighbours(std::int64_t id, const ItemQuery& query) = 0;

  // The published_at of every item matching the query (limit and offset
  // ignored), newest first: archives group them by month in the site's
  // time zone.
  virtual Result<std::vector<std::int64_t>> published_times(const ItemQuery& query) = 0;

  // Full-text search over title, teaser and body text (tags stripped) of the
  // items matching `filter` (status, category_slug, published_before,
  // published_from/until), paged by filter.limit and filter.offset.
  // A query that matches_nothing() gives no hits and no error; anything a
  // reader can type parses into a query that never fails here.
  virtual Result<SearchResults> search(const model::SearchQuery& query,
                                       const ItemQuery& filter) = 0;

  // Deletes the item with its categories links, attachments and redirects,
  // and remembers its slug as gone (a 410 for its old address) until an
  // item takes that slug again. Errors: kNotFound.
  virtual Result<void> delete_item(std::int64_t id) = 0;
  // Whether an item with this slug was deleted and no item has it now.
  virtual Result<bool> slug_gone(std::string_view slug) = 0;

  // All categories, ordered by name.
  virtual Result<std::vector<model::Category>> categories() = 0;

  // The newest updated_at (with its offset) among items matching the query's
  // status, category_slug and published_before (limit/offset ignored);
  // nullopt when none match.
  virtual Result<std::optional<model::DateTime>> last_change(const ItemQuery& query) = 0;

  // Makes an old path ("/news-centre/news-detail/x/") lead to an item.
  // Replaces an earlier redirect of the same path. REQUIRES: path starts
  // with '/'. Errors: kNotFound when the item does not exist.
  virtual Result<void> add_redirect(std::string_view path, std::int64_t item_id) = 0;
  // The item an old path leads to. Errors: kNotFound.
  virtual Result<std::int64_t> redirect_target(std::string_view path) = 0;

  // The state of a fetched source; empty fields when it was never fetched.
  virtual Result<SourceState> source_state(std::string_view url) = 0;
  virtual Result<void> save_source_state(std::string_view url, const SourceState& state) = 0;

  // A value that changes whenever a change may have been committed to the
  // database, by this Store or by another process; cheap enough to poll
  // several times a second. Only equality is meaningful.
  virtual Result<std::uint64_t> change_token() = 0;

  // The earliest published_at strictly after `after` (epoch seconds) among
  // published items: when the public site changes next without a write.
  virtual Result<std::optional<std::int64_t>> next_publication(std::int64_t after) = 0;

  // Runs fn inside one transaction: committed when fn succeeds, rolled back
  // when it returns an error (which is then returned). Not reentrant: a
  // nested call fails with kInvalid.
  virtual Result<void> transaction(const std::function<Result<void>(Store&)>& fn) = 0;
};

// Opens a store from a URL: "sqlite:PATH", "sqlite::memory:" (a private
// in-memory database), a plain path (SQLite; it may contain ':' unless it
// starts like "scheme://"), or "postgresql://..." / "postgres://..." (not yet
// supported: kInvalid). Does not migrate.
// Errors: kInvalid for an empty URL or path, an unknown "scheme://" or
// "sqlite://..." (ambiguous: write sqlite:PATH); kUnavailable, naming the
// path, when the database cannot be opened. Messages never repeat the URL
// beyond its scheme, since it may hold a password.
Result<std::unique_ptr<Store>> open_store(std::string_view url);

}  // namespace newsdesk::store
