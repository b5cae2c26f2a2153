// The storage interface. Implementations: SQLite (store/sqlite/) and
// PostgreSQL (store/postgres/). Nothing backend-specific crosses this
// interface: callers see model types, Result and ItemQuery only.
//
// Thread-safety: a Store may be called from several threads at once; an
// implementation serialises or pools internally. Calls made inside
// `transaction()` run on the Store& passed to the callback, which belongs to
// the calling thread until the callback returns.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
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
#include "model/user.h"

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
  // Only items not taken down at this instant: expires_at unset or later.
  std::optional<std::int64_t> live_at;
  // With live_at: items whose end time moved them to the archive pass too
  // (their pages, the month archive and search keep them).
  bool keep_archived = false;
  std::optional<std::int64_t> author_id;  // only this account's items
  // Only items in this language or an extension of it ("fr" takes
  // "fr-CA"); empty: every language.
  std::string language;
  // Only items in none of these languages (nor their extensions): the
  // default language's listings leave out what other languages serve.
  std::vector<std::string> excluded_languages;
  // search(): the language whose word rules (stemming) read the query and
  // the text; empty: the language of the filter, else English.
  std::string text_language;
  // Only the items of one translation group: the original with this id and
  // its translations.
  std::optional<std::int64_t> translation_group;
  // Only the items of these translation groups (as translation_group, any
  // of them); empty: no such filter.
  std::vector<std::int64_t> translation_groups;
  std::string preview_token;  // only the item with this preview secret
  // With published_before: embargoed items count too, whatever their time
  // (the journalists' feeds carry them ahead of the embargo).
  bool include_embargoed = false;
  int limit = 20;  // at most this many; <= 0 means no limit
  int offset = 0;
};

// An item's address and last change, without the rest of it. list_stamps
// pages them as list_items does (newest first by published_at, then id;
// limit and offset), so the sitemap's parts read one page each.
struct ItemStamp {
  std::string slug;
  model::DateTime updated_at;
  std::int64_t id = 0;
  std::string language;
  std::int64_t translation_of = 0;
};

// What a page shows of an item it links to: its title and what its address
// is made of (model::item_path: the slug, and the language for the prefix).
struct ItemLink {
  std::int64_t id = 0;
  std::string slug;
  std::string title;
  std::string language;
  std::int64_t published_at = 0;  // epoch seconds
};

// The items beside one item in the listing order (newest first by
// published_at, then id), for "previous / next" links.
struct Neighbours {
  std::optional<ItemLink> newer;  // the item listed just before it
  std::optional<ItemLink> older;  // the item listed just after it
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

// A login session. The browser holds the secret; the store only its digest.
struct Session {
  std::string digest;  // secret_digest() of the cookie's secret
  std::int64_t user_id = 0;
  std::string csrf_token;  // sent back in every state-changing form
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

// A journalist's private feed: its URL holds a secret, stored as a digest.
struct PressFeed {
  std::int64_t id = 0;
  std::string label;  // the outlet or journalist
  std::string digest;
  std::int64_t created_at = 0;
};

// One saved state of an item, as the service serialised it.
struct Revision {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::int64_t user_id = 0;  // 0: unknown (an import, a deleted account)
  std::int64_t saved_at = 0;
  std::string snapshot;  // JSON
};

// What the last successful fetch of a feed URL returned, for conditional GET.
struct SourceState {
  std::string etag;
  std::string last_modified;
};

// An attachment as the file fetcher sees it: where its bytes come from and
// whether they are stored yet.
struct AttachmentRef {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::string url;
  std::string name;
  bool has_file = false;  // its bytes are stored (attachment_file() finds them)
};

// The digest of an attachment's bytes as both stores record it (16 hex
// digits of FNV-1a 64): the same bytes get the same ETag in either.
std::string attachment_digest(std::string_view bytes);

// The stored bytes of one attachment.
struct AttachmentFile {
  std::int64_t attachment_id = 0;
  std::int64_t item_id = 0;    // the item the attachment belongs to
  std::string name;            // the attachment's current name (it may change)
  std::string media_type;      // as checked from the bytes when they were saved
  std::string digest;          // 16 hex digits of a hash of the bytes: an ETag
  std::int64_t stored_at = 0;  // epoch seconds
  std::string bytes;
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
  // As list_items, but only each item's slug and updated_at: cheap for tens
  // of thousands (the sitemap).
  virtual Result<std::vector<ItemStamp>> list_stamps(const ItemQuery& query) = 0;
  // How many items match status, category_slug, published_before and the
  // published_from/until range; limit and offset are ignored, so this is the
  // total for paging.
  virtual Result<std::int64_t> count_items(const ItemQuery& query) = 0;
  // count_items for every category in one walk over the items (the query's
  // category_slug ignored): how many items of each category match, by
  // category id. A category no item matches is left out.
  virtual Result<std::map<std::int64_t, std::int64_t>> count_by_category(
      const ItemQuery& query) = 0;

  // The neighbours of item `id` among the items matching the query's
  // filter (limit, offset and the published_from/until range ignored): one
  // index range per side, reading no more of a neighbour than ItemLink.
  // The item itself need not match.
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

  // Renames a category (its slug, and so its address, stays).
  // Errors: kNotFound; kInvalid for an empty name.
  virtual Result<void> rename_category(std::int64_t id, std::string_view name) = 0;
  // Deletes a category; its items stay, without it. Errors: kNotFound.
  virtual Result<void> delete_category(std::int64_t id) = 0;

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

  // Attachment files. The bytes of an attachment (a downloaded enclosure, an
  // upload) live in the database so that every instance sharing it serves
  // them; they go when the attachment goes (deleted item, or an update that
  // drops the attachment).
  //
  // Every attachment, by id, with whether its bytes are stored.
  virtual Result<std::vector<AttachmentRef>> attachment_refs() = 0;
  // Stores the bytes of attachment `attachment_id` with the media type the
  // caller checked from them. Write-once: bytes under an attachment id never
  // change, so the files route may let browsers keep them.
  // REQUIRES: media_type non-empty (else kInvalid).
  // Errors: kNotFound when no attachment has this id; kConflict when its
  // bytes are already stored.
  virtual Result<void> save_attachment_file(std::int64_t attachment_id, std::string_view media_type,
                                            std::string_view bytes) = 0;
  // The stored bytes with the attachment's name and item.
  // Errors: kNotFound when no attachment has this id or none are stored.
  virtual Result<AttachmentFile> attachment_file(std::int64_t attachment_id) = 0;

  // A value that changes whenever a change may have been committed to the
  // database, by this Store or by another process; cheap enough to poll
  // several times a second. Only equality is meaningful.
  virtual Result<std::uint64_t> change_token() = 0;

  // The earliest published_at or expires_at strictly after `after` (epoch
  // seconds) among published items: when the public site changes next
  // without a write (an item goes live or is taken down).
  virtual Result<std::optional<std::int64_t>> next_publication(std::int64_t after) = 0;

  // Whether this process should do the site's once-only work (telling the
  // WebSub hub that feeds changed): of the instances sharing one database,
  // one at a time answers true, and when it goes another takes over.
  virtual Result<bool> leads() = 0;

  // Accounts (store/sqlite/account_queries.cc). Each write is all or
  // nothing, also inside transaction().
  //
  // Errors: kConflict when the name is taken; kInvalid for an empty name.
  virtual Result<std::int64_t> insert_user(const model::User& user) = 0;
  // Replaces name, role and password hash. Errors: kNotFound, kConflict.
  virtual Result<void> update_user(const model::User& user) = 0;
  // Deletes the account with its sessions and API tokens; its items stay
  // (author unknown) and its revisions keep no author. Errors: kNotFound.
  virtual Result<void> delete_user(std::int64_t id) = 0;
  // Errors: kNotFound.
  virtual Result<model::User> user_by_id(std::int64_t id) = 0;
  virtual Result<model::User> user_by_name(std::string_view name) = 0;
  // All accounts, by name.
  virtual Result<std::vector<model::User>> users() = 0;

  // API tokens. The digest is unique. Errors: kNotFound (user or token).
  virtual Result<std::int64_t> insert_api_token(const model::ApiToken& token) = 0;
  virtual Result<model::ApiToken> api_token_by_digest(std::string_view digest) = 0;
  // Tokens of one user (0: of every user), newest first.
  virtual Result<std::vector<model::ApiToken>> api_tokens(std::int64_t user_id) = 0;
  virtual Result<void> delete_api_token(std::int64_t id) = 0;
  virtual Result<void> touch_api_token(std::int64_t id, std::int64_t when) = 0;

  // Sessions. Errors: kNotFound.
  virtual Result<void> insert_session(const Session& session) = 0;
  virtual Result<Session> session_by_digest(std::string_view digest) = 0;
  virtual Result<void> delete_session(std::string_view digest) = 0;
  // Removes sessions that expired at or before `now`; returns how many.
  virtual Result<std::int64_t> delete_expired_sessions(std::int64_t now) = 0;

  // Failed logins, for throttling: one record per failure under a key
  // ("user:NAME", "addr:IP"); counting those at or after `since`.
  virtual Result<void> record_login_failure(std::string_view key, std::int64_t at) = 0;
  virtual Result<std::int64_t> count_login_failures(std::string_view key, std::int64_t since) = 0;
  virtual Result<void> clear_login_failures(std::string_view key) = 0;

  // Revisions: every save of an item. Newest first. Errors: kNotFound.
  virtual Result<std::int64_t> insert_revision(const Revision& revision) = 0;
  virtual Result<std::vector<Revision>> revisions(std::int64_t item_id) = 0;
  virtual Result<Revision> revision(std::int64_t id) = 0;

  // Journalists' feeds. Errors: kNotFound; kConflict for a repeated digest.
  virtual Result<std::int64_t> insert_press_feed(const PressFeed& feed) = 0;
  virtual Result<PressFeed> press_feed_by_digest(std::string_view digest) = 0;
  virtual Result<std::vector<PressFeed>> press_feeds() = 0;  // newest first
  virtual Result<void> delete_press_feed(std::int64_t id) = 0;

  // Site settings edited in the admin UI (key -> text). Missing: kNotFound.
  virtual Result<std::string> setting(std::string_view key) = 0;
  virtual Result<void> save_setting(std::string_view key, std::string_view value) = 0;

  // Runs fn inside one transaction: committed when fn succeeds, rolled back
  // when it returns an error (which is then returned). Not reentrant: a
  // nested call fails with kInvalid.
  virtual Result<void> transaction(const std::function<Result<void>(Store&)>& fn) = 0;

  // Operations.
  //
  // How many items came from a feed import (they carry a source id).
  virtual Result<std::int64_t> count_imported_items() = 0;
  // Writes a consistent copy of the whole database to a new file at `path`
  // while other connections go on reading and writing, then checks the
  // copy's integrity; a failed copy is removed. Not inside transaction().
  // Errors: kConflict when something exists at path; kUnavailable when path
  // cannot be written; kInternal when the copy fails its integrity check;
  // kInvalid for a backend that is backed up by its own tools.
  virtual Result<void> backup_to(const std::string& path) = 0;
  // After every SQL statement the store runs, `observer` hears whether it
  // could write and how long it ran (seconds), on the thread that ran it.
  // Empty: nobody. REQUIRES: no other call on this store in progress.
  using StatementObserver = std::function<void(bool wrote, double seconds)>;
  virtual void observe_statements(StatementObserver observer) = 0;
};

// Opens a store from a URL: "sqlite:PATH", "sqlite::memory:" (a private
// in-memory database), a plain path (SQLite; it may contain ':' unless it
// starts like "scheme://"), or "postgresql://..." / "postgres://..." (a libpq
// URI; store/postgres/postgres_store.h). Does not migrate.
// Errors: kInvalid for an empty URL or path, an unknown "scheme://" or
// "sqlite://..." (ambiguous: write sqlite:PATH); kUnavailable, naming the
// path, when the database cannot be opened. Messages never repeat the URL
// beyond its scheme, since it may hold a password.
Result<std::unique_ptr<Store>> open_store(std::string_view url);

// The URL fit for a log or a terminal: a password in "scheme://user:PASSWORD@
// host/..." and a "password=" query parameter become "***".
std::string redacted_url(std::string_view url);

}  // namespace newsdesk::store
