#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "store/sqlite/migrations.h"
#include "store/sqlite/queries.h"
#include "store/sqlite/statement.h"

namespace newsdesk::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Runs one statement without parameters or rows (BEGIN, COMMIT, ROLLBACK,
// SAVEPOINT) through the connection's statement cache: sqlite3_exec would
// parse it again every time, a tenth of a cached read's time.
Result<void> run(Db db, const char* sql) {
  Result<Statement> stmt = Statement::prepare(db, sql);
  if (!stmt) return stmt.error();
  return stmt->run();
}

// Ends an open transaction when a scope is left early (an error, or an
// exception from std such as bad_alloc), so the connection is never left
// inside a transaction nobody will finish.
class RollbackGuard {
 public:
  RollbackGuard(Db db, const char* sql) : db_(db), sql_(sql) {}
  RollbackGuard(const RollbackGuard&) = delete;
  RollbackGuard& operator=(const RollbackGuard&) = delete;
  ~RollbackGuard() {
    // SQLite ends the transaction itself after some errors (disk full, I/O);
    // ROLLBACK would then fail, so only roll back what is still open.
    if (db_.get() != nullptr && sqlite3_get_autocommit(db_) == 0) (void)run(db_, sql_);
  }
  void dismiss() { db_ = Db(nullptr); }

 private:
  Db db_;
  const char* sql_;
};

Result<void> commit(Db db, std::string_view what) {
  if (sqlite3_get_autocommit(db) != 0) {
    // An error inside (I/O, disk full) made SQLite roll back on its own;
    // COMMIT would fail with a less helpful "no transaction is active".
    return make_error(ErrorCode::kInternal, "store/sqlite: " + std::string(what) +
                                                ": SQLite rolled the transaction back");
  }
  if (auto r = run(db, "COMMIT"); !r) {
    return wrap_error(r.error(), "store/sqlite: " + std::string(what) + ": commit");
  }
  return {};
}

Error open_error(const std::string& path, sqlite3* db, int rc, std::string_view step) {
  Error error = sqlite_error(db, rc);
  std::string message = "store/sqlite: open '" + path + "': ";
  if (!step.empty()) message += std::string(step) + ": ";
  message += error.message;
  // "unable to open database file" alone does not say whether the directory
  // is missing or not writable; errno does.
  // Only for failures of the file itself: after others the last errno may
  // belong to an unrelated probe (a -wal file that does not exist yet).
  const int primary = rc & 0xff;
  const bool file_failure = primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR ||
                            primary == SQLITE_READONLY || primary == SQLITE_PERM;
  const int system_errno = (file_failure && db != nullptr) ? sqlite3_system_errno(db) : 0;
  if (system_errno != 0) message += " (" + std::system_category().message(system_errno) + ")";
  // Whatever went wrong, the database cannot be used: the interface promises
  // kUnavailable for that, whatever SQLite's own code.
  return make_error(ErrorCode::kUnavailable, std::move(message));
}

}  // namespace

void SqliteStore::Closer::operator()(sqlite3* db) const {
  // close_v2 never fails for busy statements; all of ours are finalized by
  // the time the store goes anyway.
  sqlite3_close_v2(db);
}

SqliteStore::SqliteStore(Connection db) : db_(std::move(db)) {}

SqliteStore::~SqliteStore() = default;

Result<void> SqliteStore::write_scope(std::string_view what,
                                      const std::function<Result<void>()>& body) {
  std::lock_guard lock(mu_);
  Db db = conn();
  const std::string context = "store/sqlite: " + std::string(what);
  if (in_transaction_) {
    if (auto r = run(db, "SAVEPOINT newsdesk_write"); !r) {
      return wrap_error(r.error(), context + ": savepoint");
    }
    Result<void> result = body();
    if (sqlite3_get_autocommit(db) == 0) {
      // ROLLBACK TO keeps the savepoint; RELEASE pops it either way.
      if (!result) (void)run(db, "ROLLBACK TO newsdesk_write");
      if (auto r = run(db, "RELEASE newsdesk_write"); !r && result) {
        return wrap_error(r.error(), context + ": release savepoint");
      }
    }
    return result;
  }

  // IMMEDIATE: take the write lock up front. A deferred transaction that
  // reads, then writes, can fail with SQLITE_BUSY at once, without waiting
  // for busy_timeout, when another connection wrote in between.
  if (auto r = run(db, "BEGIN IMMEDIATE"); !r) return wrap_error(r.error(), context + ": begin");
  RollbackGuard guard(db, "ROLLBACK");
  if (auto r = body(); !r) return r;
  if (auto r = commit(db, what); !r) return r;
  guard.dismiss();
  return {};
}

Result<void> SqliteStore::read_scope(std::string_view what,
                                     const std::function<Result<void>()>& body) {
  std::lock_guard lock(mu_);
  if (in_transaction_) return body();
  Db db = conn();
  if (auto r = run(db, "BEGIN"); !r) {
    return wrap_error(r.error(), "store/sqlite: " + std::string(what) + ": begin");
  }
  // A read-only transaction has nothing to keep: end it the same way on
  // every path.
  RollbackGuard guard(db, "ROLLBACK");
  return body();
}

Result<void> SqliteStore::migrate() {
  std::lock_guard lock(mu_);
  if (in_transaction_) {
    return make_error(ErrorCode::kInvalid,
                      "store/sqlite: migrate: not allowed inside transaction()");
  }
  if (auto r = apply_migrations(db_.get()); !r)
    return wrap_error(r.error(), "store/sqlite: migrate");
  return {};
}

Result<int> SqliteStore::schema_version() {
  std::lock_guard lock(mu_);
  Result<int> version = read_schema_version(db_.get());
  if (!version) return wrap_error(version.error(), "store/sqlite: schema version");
  return version;
}

Result<std::int64_t> SqliteStore::insert_item(const model::Item& item) {
  std::int64_t id = 0;
  Result<void> r = write_scope("insert item", [&]() -> Result<void> {
    Result<std::int64_t> inserted = insert_item_rows(conn(), item);
    if (!inserted) return inserted.error();
    id = *inserted;
    return {};
  });
  if (!r) return r.error();
  return id;
}

Result<void> SqliteStore::update_item(const model::Item& item) {
  return write_scope("update item", [&] { return update_item_rows(conn(), item); });
}

Result<model::Item> SqliteStore::item_by_id(std::int64_t id) {
  std::optional<model::Item> item;
  Result<void> r = read_scope("item by id", [&]() -> Result<void> {
    Result<model::Item> found = select_item_by_id(conn(), id);
    if (!found) return found.error();
    item = std::move(found).value();
    return {};
  });
  if (!r) return r.error();
  return std::move(*item);
}

Result<model::Item> SqliteStore::item_by_slug(std::string_view slug) {
  std::optional<model::Item> item;
  Result<void> r = read_scope("item by slug", [&]() -> Result<void> {
    Result<model::Item> found = select_item_by_slug(conn(), slug);
    if (!found) return found.error();
    item = std::move(found).value();
    return {};
  });
  if (!r) return r.error();
  return std::move(*item);
}

Result<model::Item> SqliteStore::item_by_source_id(std::string_view source_id) {
  std::optional<model::Item> item;
  Result<void> r = read_scope("item by source_id", [&]() -> Result<void> {
    Result<model::Item> found = select_item_by_source_id(conn(), source_id);
    if (!found) return found.error();
    item = std::move(found).value();
    return {};
  });
  if (!r) return r.error();
  return std::move(*item);
}

Result<std::vector<model::Item>> SqliteStore::list_items(const ItemQuery& query) {
  std::vector<model::Item> items;
  Result<void> r = read_scope("list items", [&]() -> Result<void> {
    Result<std::vector<model::Item>> found = select_items(conn(), query);
    if (!found) return found.error();
    items = std::move(found).value();
    return {};
  });
  if (!r) return r.error();
  return items;
}

Result<std::vector<ItemStamp>> SqliteStore::list_stamps(const ItemQuery& query) {
  std::lock_guard lock(mu_);
  return select_stamps(conn(), query);
}

Result<std::int64_t> SqliteStore::count_items(const ItemQuery& query) {
  std::lock_guard lock(mu_);
  return count_items_rows(conn(), query);
}

Result<std::map<std::int64_t, std::int64_t>> SqliteStore::count_by_category(
    const ItemQuery& query) {
  std::lock_guard lock(mu_);
  return count_by_category_rows(conn(), query);
}

Result<Neighbours> SqliteStore::neighbours(std::int64_t id, const ItemQuery& query) {
  Neighbours found;
  Result<void> r = read_scope("neighbours", [&]() -> Result<void> {
    Result<Neighbours> selected = select_neighbours(conn(), id, query);
    if (!selected) return selected.error();
    found = std::move(selected).value();
    return {};
  });
  if (!r) return r.error();
  return found;
}

Result<std::vector<std::int64_t>> SqliteStore::published_times(const ItemQuery& query) {
  std::lock_guard lock(mu_);
  return select_published_times(conn(), query);
}

Result<SearchResults> SqliteStore::search(const model::SearchQuery& query,
                                          const ItemQuery& filter) {
  SearchResults results;
  Result<void> r = read_scope("search", [&]() -> Result<void> {
    Result<SearchResults> found = search_items(conn(), query, filter);
    if (!found) return found.error();
    results = std::move(found).value();
    return {};
  });
  if (!r) return r.error();
  return results;
}

Result<void> SqliteStore::delete_item(std::int64_t id) {
  return write_scope("delete item", [&] { return delete_item_rows(conn(), id); });
}

Result<bool> SqliteStore::slug_gone(std::string_view slug) {
  std::lock_guard lock(mu_);
  return select_slug_gone(conn(), slug);
}

Result<std::vector<model::Category>> SqliteStore::categories() {
  std::lock_guard lock(mu_);
  return select_categories(conn());
}

Result<std::optional<model::DateTime>> SqliteStore::last_change(const ItemQuery& query) {
  std::lock_guard lock(mu_);
  return select_last_change(conn(), query);
}

Result<void> SqliteStore::add_redirect(std::string_view path, std::int64_t item_id) {
  std::lock_guard lock(mu_);
  if (!path.starts_with("/")) {
    return make_error(ErrorCode::kInvalid, "store/sqlite: add redirect: path must start with '/'");
  }
  return write_scope("add redirect", [&]() -> Result<void> {
    auto prepared =
        Statement::prepare(conn(),
                           "INSERT INTO redirects (path, item_id) VALUES (?1, ?2) "
                           "ON CONFLICT (path) DO UPDATE SET item_id = excluded.item_id");
    if (!prepared) return prepared.error();
    prepared->bind(1, path).bind(2, item_id);
    auto step = prepared->step();
    if (!step) {
      // The only foreign key here is the item.
      if (sqlite3_extended_errcode(db_.get()) == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return make_error(ErrorCode::kNotFound,
                          "store/sqlite: add redirect: no item " + std::to_string(item_id));
      }
      return wrap_error(step.error(), "store/sqlite: add redirect");
    }
    return {};
  });
}

Result<std::int64_t> SqliteStore::redirect_target(std::string_view path) {
  std::lock_guard lock(mu_);
  auto prepared = Statement::prepare(conn(), "SELECT item_id FROM redirects WHERE path = ?1");
  if (!prepared) return prepared.error();
  prepared->bind(1, path);
  auto step = prepared->step();
  if (!step) return wrap_error(step.error(), "store/sqlite: redirect target");
  if (!*step) {
    return make_error(ErrorCode::kNotFound, "store/sqlite: no redirect for " + std::string(path));
  }
  return prepared->column_int64(0);
}

Result<SourceState> SqliteStore::source_state(std::string_view url) {
  std::lock_guard lock(mu_);
  auto prepared =
      Statement::prepare(conn(), "SELECT etag, last_modified FROM sources WHERE url = ?1");
  if (!prepared) return prepared.error();
  prepared->bind(1, url);
  auto step = prepared->step();
  if (!step) return wrap_error(step.error(), "store/sqlite: source state");
  SourceState state;
  if (*step) {
    state.etag = prepared->column_text(0);
    state.last_modified = prepared->column_text(1);
  }
  return state;
}

Result<void> SqliteStore::save_source_state(std::string_view url, const SourceState& state) {
  std::lock_guard lock(mu_);
  return write_scope("save source state", [&]() -> Result<void> {
    auto prepared =
        Statement::prepare(conn(),
                           "INSERT INTO sources (url, etag, last_modified) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
                           "last_modified = excluded.last_modified");
    if (!prepared) return prepared.error();
    prepared->bind(1, url).bind(2, state.etag).bind(3, state.last_modified);
    if (auto step = prepared->step(); !step) {
      return wrap_error(step.error(), "store/sqlite: save source state");
    }
    return {};
  });
}

Result<std::uint64_t> SqliteStore::change_token() {
  std::lock_guard lock(mu_);
  auto prepared = Statement::prepare(conn(), "PRAGMA data_version");
  if (!prepared) return prepared.error();
  Statement& stmt = *prepared;
  auto step = stmt.step();
  if (!step) return wrap_error(step.error(), "store/sqlite: change token");
  const auto data_version = static_cast<std::uint64_t>(stmt.column_int64(0));
  const auto own = static_cast<std::uint64_t>(sqlite3_total_changes64(db_.get()));
  return (data_version << 40) ^ own;
}

Result<std::optional<std::int64_t>> SqliteStore::next_publication(std::int64_t after) {
  std::lock_guard lock(mu_);
  auto prepared = Statement::prepare(conn(),
                                     "SELECT MIN(t) FROM ("
                                     " SELECT MIN(published_at) AS t FROM items"
                                     "  WHERE status = 'published' AND published_at > ?1"
                                     " UNION ALL SELECT MIN(expires_at) FROM items"
                                     "  WHERE status = 'published' AND expires_at > ?1)");
  if (!prepared) return prepared.error();
  Statement& stmt = *prepared;
  stmt.bind(1, after);
  auto step = stmt.step();
  if (!step) return wrap_error(step.error(), "store/sqlite: next publication");
  if (stmt.column_is_null(0)) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(stmt.column_int64(0));
}

Result<void> SqliteStore::transaction(const std::function<Result<void>(Store&)>& fn) {
  std::lock_guard lock(mu_);
  if (in_transaction_) {
    return make_error(ErrorCode::kInvalid,
                      "store/sqlite: transaction: already inside a transaction (not reentrant)");
  }
  Db db = conn();
  if (auto r = run(db, "BEGIN IMMEDIATE"); !r) {
    return wrap_error(r.error(), "store/sqlite: transaction: begin");
  }
  RollbackGuard guard(db, "ROLLBACK");
  in_transaction_ = true;
  struct ResetFlag {
    bool& flag;
    ~ResetFlag() { flag = false; }
  } reset_flag{in_transaction_};

  if (auto r = fn(*this); !r) return r;  // the guard rolls back
  if (auto r = commit(db, "transaction"); !r) return r;
  guard.dismiss();
  return {};
}

Result<std::int64_t> SqliteStore::count_imported_items() {
  std::lock_guard lock(mu_);
  auto prepared =
      Statement::prepare(conn(), "SELECT count(*) FROM items WHERE source_id IS NOT NULL");
  if (!prepared) return wrap_error(prepared.error(), "store/sqlite: count imported items");
  auto step = prepared->step();
  if (!step) return wrap_error(step.error(), "store/sqlite: count imported items");
  return prepared->column_int64(0);
}

Result<void> SqliteStore::backup_to(const std::string& path) {
  const std::string context = "store/sqlite: backup to '" + path + "'";
  std::error_code exists_ec;
  if (std::filesystem::symlink_status(path, exists_ec).type() !=
      std::filesystem::file_type::not_found) {
    return make_error(ErrorCode::kConflict, context + ": it already exists");
  }
  // Whatever fails from here on, no half-written copy stays behind.
  struct RemoveOnFailure {
    const std::string& path;
    bool keep = false;
    ~RemoveOnFailure() {
      if (keep) return;
      std::error_code ec;
      for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
        std::filesystem::remove(path + suffix, ec);
      }
    }
  } cleanup{path};

  sqlite3* raw = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int open_rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Connection copy(raw);
  if (open_rc != SQLITE_OK) return open_error(path, copy.get(), open_rc, "backup");
  sqlite3_busy_timeout(copy.get(), kBusyTimeoutMs);
  {
    std::lock_guard lock(mu_);
    if (in_transaction_) {
      return make_error(ErrorCode::kInvalid, context + ": not allowed inside transaction()");
    }
    sqlite3_backup* backup = sqlite3_backup_init(copy.get(), "main", db_.get(), "main");
    if (backup == nullptr) {
      return make_error(
          ErrorCode::kUnavailable,
          context + ": " + sqlite_error(copy.get(), sqlite3_errcode(copy.get())).message);
    }
    // -1: every page in one step, inside one read transaction of the source.
    // Busy only while another connection recovers the WAL: wait a little.
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 50; ++attempt) {
      rc = sqlite3_backup_step(backup, -1);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
      sqlite3_sleep(100);
    }
    const int finish_rc = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      return make_error(
          ErrorCode::kUnavailable,
          context + ": " + sqlite_error(copy.get(), rc).message +
              (rc == SQLITE_IOERR || rc == SQLITE_FULL || rc == SQLITE_READONLY
                   ? " (" + std::system_category().message(sqlite3_system_errno(copy.get())) + ")"
                   : ""));
    }
    if (finish_rc != SQLITE_OK) {
      return make_error(ErrorCode::kUnavailable,
                        context + ": " + sqlite_error(copy.get(), finish_rc).message);
    }
  }
  // One self-contained file: no -wal beside it to forget when copying it.
  if (auto r = exec(copy.get(), "PRAGMA journal_mode=DELETE"); !r) {
    return wrap_error(r.error(), context + ": journal mode");
  }
  {
    auto check = Statement::prepare(copy.get(), "PRAGMA integrity_check");
    if (!check) return wrap_error(check.error(), context + ": integrity check");
    auto row = check->step();
    if (!row) return wrap_error(row.error(), context + ": integrity check");
    const std::string verdict = *row ? check->column_text(0) : std::string("no answer");
    if (verdict != "ok") {
      return make_error(ErrorCode::kInternal,
                        context + ": the copy fails its integrity check: " + verdict);
    }
  }
  if (const int rc = sqlite3_close(copy.release()); rc != SQLITE_OK) {
    return make_error(ErrorCode::kUnavailable, context + ": close: " + sqlite3_errstr(rc));
  }
  cleanup.keep = true;
  return {};
}

int SqliteStore::on_trace(unsigned type, void* self, void* p, void* x) {
  // Called by SQLite inside a call that holds mu_.
  auto* store = static_cast<SqliteStore*>(self);
  auto& running = store->running_;
  if (type == SQLITE_TRACE_STMT) {
    // Also called at the start of each trigger: keep the first start.
    for (const auto& [stmt, started] : running) {
      if (stmt == p) return 0;
    }
    if (running.size() > 256) running.clear();  // never grow without bound
    running.emplace_back(p, std::chrono::steady_clock::now());
    return 0;
  }
  if (type == SQLITE_TRACE_PROFILE) {
    (void)x;
    for (auto it = running.begin(); it != running.end(); ++it) {
      if (it->first != p) continue;
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - it->second;
      running.erase(it);
      const bool wrote = sqlite3_stmt_readonly(static_cast<sqlite3_stmt*>(p)) == 0;
      if (store->observer_) store->observer_(wrote, took.count());
      break;
    }
  }
  return 0;
}

void SqliteStore::observe_statements(StatementObserver observer) {
  std::lock_guard lock(mu_);
  observer_ = std::move(observer);
  running_.clear();
  if (observer_) {
    sqlite3_trace_v2(db_.get(), SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, &SqliteStore::on_trace,
                     this);
  } else {
    sqlite3_trace_v2(db_.get(), 0, nullptr, nullptr);
  }
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
  if (path.empty()) {
    // SQLite would open a private temporary file for "", which looks like it
    // works and then loses everything: almost certainly a configuration slip.
    return make_error(ErrorCode::kInvalid, "store/sqlite: open: empty database path");
  }
  sqlite3* raw = nullptr;
  // NOMUTEX: SqliteStore serialises all use of the connection itself.
  // EXRESCODE: extended codes tell a unique violation from other constraints.
  // No SQLITE_OPEN_URI: a path is a path, even if it starts with "file:".
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 hands out a handle even on failure; it must be closed.
  SqliteStore::Connection db(raw);
  if (rc != SQLITE_OK) return open_error(path, db.get(), rc, "");
  if (db == nullptr)
    return make_error(ErrorCode::kUnavailable, "store/sqlite: open: out of memory");
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);

  // The first statement reads the file: a missing directory, a file that is
  // not a database or a read-only location shows here, at open time, rather
  // than on the first request.
  {
    Result<Statement> stmt = Statement::prepare(db.get(), "PRAGMA journal_mode=WAL");
    if (!stmt)
      return open_error(path, db.get(), sqlite3_extended_errcode(db.get()), "journal_mode");
    Result<bool> row = stmt->step();
    if (!row) return open_error(path, db.get(), sqlite3_extended_errcode(db.get()), "journal_mode");
    const std::string mode = *row ? stmt->column_text(0) : std::string();
    // In-memory and temporary databases have no file name and stay in
    // "memory" mode. A file must get WAL: readers then never block the
    // writer, which the server relies on.
    const char* filename = sqlite3_db_filename(db.get(), "main");
    const bool is_file = filename != nullptr && filename[0] != '\0';
    if (is_file && mode != "wal") {
      return make_error(
          ErrorCode::kUnavailable,
          "store/sqlite: open '" + path + "': journal_mode=WAL refused (mode is '" + mode + "')");
    }
  }
  // synchronous=NORMAL is safe in WAL mode (a power cut may lose the last
  // commits, never corrupt) and saves an fsync per commit.
  for (const char* pragma : {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
    if (auto r = exec(db.get(), pragma); !r) {
      return open_error(path, db.get(), sqlite3_extended_errcode(db.get()), pragma);
    }
  }
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(db)));
}

}  // namespace newsdesk::store::sqlite
