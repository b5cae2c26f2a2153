#include "store/sqlite/migrations.h"

#include <sqlite3.h>

#include <array>
#include <string>

#include "store/sqlite/queries.h"
#include "store/sqlite/statement.h"

namespace newsdesk::store::sqlite {
namespace {

// STRICT tables (SQLite >= 3.37) reject a string in an INTEGER column instead
// of storing it silently: a bug in a query shows as an error, not bad data.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  guid TEXT NOT NULL UNIQUE CHECK (guid <> ''),
  slug TEXT NOT NULL UNIQUE CHECK (slug <> ''),
  title TEXT NOT NULL DEFAULT '',
  teaser TEXT NOT NULL DEFAULT '',
  body_html TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
  published_at INTEGER,      -- epoch seconds; NULL for drafts
  published_offset INTEGER,  -- minutes east of UTC; NULL with published_at
  updated_at INTEGER NOT NULL,
  updated_offset INTEGER NOT NULL DEFAULT 0,
  source_link TEXT NOT NULL DEFAULT '',
  -- NULL, never '', for items that were not imported: UNIQUE lets NULLs
  -- repeat, so any number of hand-written items coexist.
  source_id TEXT UNIQUE CHECK (source_id <> '')
) STRICT;

-- Listing pages and feeds: newest published first, per status or overall.
CREATE INDEX items_status_published_idx ON items (status, published_at DESC);
CREATE INDEX items_published_idx ON items (published_at DESC);
-- last_change(), asked on every conditional GET of a feed.
CREATE INDEX items_status_updated_idx ON items (status, updated_at DESC);

CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE CHECK (slug <> ''),
  name TEXT NOT NULL
) STRICT;

CREATE TABLE item_categories (
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,  -- order of the categories within the item
  PRIMARY KEY (item_id, category_id)
) STRICT, WITHOUT ROWID;

-- Category archives and the category filter go from category to items.
CREATE INDEX item_categories_category_idx ON item_categories (category_id, item_id);

CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,  -- order of the attachments within the item
  url TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  media_type TEXT NOT NULL DEFAULT '',
  length INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX attachments_item_idx ON attachments (item_id, position);
)sql";

// Old URLs keep working: an imported item's original path, or a slug an
// item had before, answers with a redirect to the item. Fetched sources
// remember their HTTP validators.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE redirects (
  path TEXT PRIMARY KEY CHECK (path LIKE '/%'),
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX redirects_item_idx ON redirects (item_id);

-- Display names, one per line (names hold no line breaks).
ALTER TABLE items ADD COLUMN authors TEXT NOT NULL DEFAULT '';

-- Feeds imported from URLs: the validators of the last successful fetch,
-- for conditional GET next time.
CREATE TABLE sources (
  url TEXT PRIMARY KEY,
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
)sql";

// The public site: a lead image and related links per item, the slugs of
// deleted items (410 Gone rather than 404), and full-text search.
constexpr std::string_view kVersion3 = R"sql(
-- An empty url means no lead image.
ALTER TABLE items ADD COLUMN lead_image_url TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN lead_image_alt TEXT NOT NULL DEFAULT '';

CREATE TABLE related_links (
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,  -- order of the links within the item
  title TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL,
  PRIMARY KEY (item_id, position)
) STRICT, WITHOUT ROWID;

-- Slugs of deleted items, until an item takes the slug again.
CREATE TABLE gone_slugs (
  slug TEXT PRIMARY KEY CHECK (slug <> ''),
  deleted_at INTEGER NOT NULL  -- epoch seconds
) STRICT, WITHOUT ROWID;

-- Search over title, teaser and the text of body_html (tags stripped, which
-- SQL cannot do, so the store writes the rows; the rowid is the item id).
-- A table of its own rather than external content: snippet() needs the
-- text, and items store HTML, not text. porter: "migrants" finds
-- "migration"; remove_diacritics 2: "cafe" finds "café".
CREATE VIRTUAL TABLE items_fts USING fts5 (
  title, teaser, body,
  tokenize = 'porter unicode61 remove_diacritics 2'
);

-- However an item goes, its search row goes with it.
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
  DELETE FROM items_fts WHERE rowid = old.id;
END;
)sql";

// Attachment bytes live in the database, beside their metadata, so every
// instance sharing the database can serve /files/{id}/{name}. One row per
// attachment at most; the row goes with the attachment. `digest` is a hash
// of the bytes (the HTTP ETag); media_type was checked from the bytes.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE attachment_files (
  attachment_id INTEGER PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
  media_type TEXT NOT NULL CHECK (media_type <> ''),
  length INTEGER NOT NULL,
  digest TEXT NOT NULL,
  stored_at INTEGER NOT NULL,  -- epoch seconds
  bytes BLOB NOT NULL
) STRICT;
)sql";

// The editorial workflow (issue 6): accounts, API tokens and login sessions
// (secrets stored only as digests), failed logins for throttling, every saved
// revision of an item, site settings, and the press-release fields of items.
// An item outlives its author's account (author_id becomes NULL).
constexpr std::string_view kVersion5 = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (name <> ''),
  role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author')),
  password_hash TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  label TEXT NOT NULL DEFAULT '',
  digest TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
) STRICT;

CREATE TABLE sessions (
  digest TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- One row per failed login, keyed by "user:NAME" and "addr:IP".
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_key_idx ON login_failures (key, at);

CREATE TABLE revisions (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  saved_at INTEGER NOT NULL,
  snapshot TEXT NOT NULL  -- the item as JSON, as the service wrote it
) STRICT;
CREATE INDEX revisions_item_idx ON revisions (item_id, id DESC);

-- Private feeds for journalists: each outlet gets its own revocable URL.
CREATE TABLE press_feeds (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL,
  digest TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

ALTER TABLE items ADD COLUMN author_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE items ADD COLUMN review_requested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN embargoed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN preview_token TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN expires_at INTEGER;
ALTER TABLE items ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN body_markdown TEXT NOT NULL DEFAULT '';
CREATE INDEX items_expires_idx ON items (expires_at) WHERE expires_at IS NOT NULL;
)sql";

// An end time may move an item to the archive instead of taking it down;
// public queries get a covering index.
constexpr std::string_view kVersion6 = R"sql(
ALTER TABLE items ADD COLUMN archive_on_expiry INTEGER NOT NULL DEFAULT 0;
-- What every public list, count and Last-Modified filters and sorts on, in
-- one covering index: without it each test of expires_at reads the row,
-- and the row's body (overflow pages) comes before that column.
CREATE INDEX items_public_idx ON items
  (status, published_at, expires_at, archive_on_expiry, updated_at, updated_offset);
)sql";

// Translations: an item names the original of its group. Item languages
// are stored as canonical BCP 47 tags, so per-language listings compare
// them as text.
constexpr std::string_view kVersion7 = R"sql(
ALTER TABLE items ADD COLUMN translation_of INTEGER;
CREATE INDEX items_translation_idx ON items (translation_of) WHERE translation_of IS NOT NULL;
CREATE INDEX items_language_idx ON items (language, status, published_at);
)sql";

constexpr std::array kMigrations = {
    Migration{1, kVersion1, nullptr},
    Migration{2, kVersion2, nullptr},
    // Items that exist before search are indexed in the same transaction.
    Migration{3, kVersion3, &index_all_items},
    Migration{4, kVersion4, nullptr},
    Migration{5, kVersion5, nullptr},
    Migration{6, kVersion6, nullptr},
    // Re-indexed: Arabic diacritics are now stripped before tokenizing.
    Migration{7, kVersion7, &index_all_items},
};

Result<void> apply_one(sqlite3* db, const Migration& migration) {
  const std::string context = "migration " + std::to_string(migration.version);
  // IMMEDIATE takes the write lock before we read the version: a second
  // process waits here and then sees the step as done.
  if (auto r = exec(db, "BEGIN IMMEDIATE"); !r) return wrap_error(r.error(), context);
  Result<int> current = read_schema_version(db);
  Result<void> result;
  if (!current) {
    result = current.error();
  } else if (*current < migration.version) {
    const std::string sql(migration.sql);
    result = exec(db, sql.c_str());
    if (result && migration.after_sql != nullptr) result = migration.after_sql(db);
    if (result) {
      // PRAGMA takes no parameters; the version is our own integer.
      const std::string bump = "PRAGMA user_version = " + std::to_string(migration.version);
      result = exec(db, bump.c_str());
    }
  }
  if (result) result = exec(db, "COMMIT");
  if (!result) {
    if (sqlite3_get_autocommit(db) == 0) (void)exec(db, "ROLLBACK");
    return wrap_error(result.error(), context);
  }
  return {};
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int latest_schema_version() { return kMigrations.back().version; }

Result<int> read_schema_version(sqlite3* db) {
  Result<Statement> stmt = Statement::prepare(db, "PRAGMA user_version");
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->step();
  if (!row) return row.error();
  if (!*row) return make_error(ErrorCode::kInternal, "PRAGMA user_version returned no row");
  return static_cast<int>(stmt->column_int64(0));
}

Result<void> apply_migrations(sqlite3* db) {
  Result<int> version = read_schema_version(db);
  if (!version) return version.error();
  if (*version > latest_schema_version()) {
    return make_error(ErrorCode::kInvalid, "database schema version " + std::to_string(*version) +
                                               " is newer than this newsdesk knows (" +
                                               std::to_string(latest_schema_version()) +
                                               "): upgrade newsdesk");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *version) continue;
    if (auto r = apply_one(db, migration); !r) return r;
  }
  return {};
}

}  // namespace newsdesk::store::sqlite
