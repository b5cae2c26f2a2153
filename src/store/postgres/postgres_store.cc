#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <utility>

#include "store/postgres/migrations.h"
#include "store/postgres/queries.h"

namespace newsdesk::store::postgres {
namespace {

constexpr auto kLeaseTimeout = std::chrono::seconds(10);
constexpr int kDefaultPoolSize = 8;
constexpr int kMaxPoolSize = 64;

// The connections bound to this thread, each for its store: a transaction()
// or read scope of one store may run calls of another (newsdesk copy).
struct Binding {
  const PostgresStore* store = nullptr;
  Connection* conn = nullptr;
};
thread_local std::vector<Binding> t_bindings;

// Binds a connection to this thread for a scope.
class BindGuard {
 public:
  BindGuard(const PostgresStore* store, Connection* conn) {
    t_bindings.push_back(Binding{store, conn});
  }
  BindGuard(const BindGuard&) = delete;
  BindGuard& operator=(const BindGuard&) = delete;
  ~BindGuard() { t_bindings.pop_back(); }
};

// Ends an open transaction when a scope is left early (an error or an
// exception), so a connection never goes back to the pool mid-transaction.
class RollbackGuard {
 public:
  explicit RollbackGuard(Connection* conn, const char* sql = "ROLLBACK") : conn_(conn), sql_(sql) {}
  RollbackGuard(const RollbackGuard&) = delete;
  RollbackGuard& operator=(const RollbackGuard&) = delete;
  ~RollbackGuard() {
    if (conn_ != nullptr && PQtransactionStatus(conn_->get()) != PQTRANS_IDLE) {
      (void)exec(*conn_, sql_);
    }
  }
  void dismiss() { conn_ = nullptr; }

 private:
  Connection* conn_;
  const char* sql_;
};

std::string context_of(std::string_view what) { return "store/postgres: " + std::string(what); }

// The schema the connection creates tables in: the channel of its NOTIFYs
// is named after it, so two sites in one database do not wake each other.
Result<std::string> current_schema(Connection& conn) {
  Result<Statement> stmt = Statement::prepare(conn, "SELECT current_schema()");
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->step();
  if (!row) return row.error();
  if (!*row || stmt->column_is_null(0)) {
    return make_error(ErrorCode::kInvalid, "no schema on the search_path exists");
  }
  return stmt->column_text(0);
}

}  // namespace

class PostgresStore::Lease {
 public:
  Lease(PostgresStore* store, std::unique_ptr<Connection> conn)
      : store_(store), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    if (conn_) store_->give_back(std::move(conn_));
  }
  Connection& operator*() const { return *conn_; }
  Connection* get() const { return conn_.get(); }

 private:
  PostgresStore* store_;
  std::unique_ptr<Connection> conn_;
};

PostgresStore::PostgresStore(std::string conninfo, std::unique_ptr<Connection> first, int pool_size)
    : conninfo_(std::move(conninfo)), pool_size_(static_cast<std::size_t>(pool_size)) {
  idle_.push_back(std::move(first));
  open_ = 1;
}

PostgresStore::~PostgresStore() = default;

Result<PostgresStore::Lease> PostgresStore::lease(std::string_view what) {
  std::unique_lock lock(pool_mu_);
  const auto deadline = std::chrono::steady_clock::now() + kLeaseTimeout;
  while (idle_.empty() && open_ >= pool_size_) {
    if (pool_cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= pool_size_) {
      return make_error(ErrorCode::kUnavailable,
                        context_of(what) + ": every database connection is busy");
    }
  }
  std::unique_ptr<Connection> conn;
  if (!idle_.empty()) {
    conn = std::move(idle_.back());
    idle_.pop_back();
  } else {
    ++open_;
    lock.unlock();
    Result<std::unique_ptr<Connection>> opened = Connection::open(conninfo_);
    lock.lock();
    if (!opened) {
      --open_;
      pool_cv_.notify_one();
      return wrap_error(opened.error(), context_of(what) + ": connect");
    }
    conn = std::move(opened).value();
  }
  conn->observer = observer_;
  lock.unlock();
  // A connection the server dropped (restart, idle timeout) is reopened
  // here rather than failing the caller's first statement.
  if (!conn->ok()) {
    if (auto r = conn->reset(); !r) {
      std::lock_guard relock(pool_mu_);
      --open_;
      pool_cv_.notify_one();
      return wrap_error(r.error(), context_of(what) + ": reconnect");
    }
  }
  return Lease(this, std::move(conn));
}

void PostgresStore::give_back(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(pool_mu_);
  // One left mid-transaction (it should not happen) is not reused.
  if (conn->ok() && PQtransactionStatus(conn->get()) == PQTRANS_IDLE) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  pool_cv_.notify_one();
}

Connection* PostgresStore::bound() const {
  for (auto it = t_bindings.rbegin(); it != t_bindings.rend(); ++it) {
    if (it->store == this) return it->conn;
  }
  return nullptr;
}

Result<void> PostgresStore::on_connection(std::string_view what,
                                          const std::function<Result<void>(Connection&)>& body) {
  if (Connection* conn = bound()) return body(*conn);
  Result<Lease> leased = lease(what);
  if (!leased) return leased.error();
  return body(**leased);
}

Result<void> PostgresStore::write_scope(std::string_view what,
                                        const std::function<Result<void>(Connection&)>& body) {
  const std::string context = context_of(what);
  if (Connection* conn = bound()) {
    if (auto r = exec(*conn, "SAVEPOINT newsdesk_write"); !r) {
      return wrap_error(r.error(), context + ": savepoint");
    }
    Result<void> result = body(*conn);
    if (!result) (void)exec(*conn, "ROLLBACK TO SAVEPOINT newsdesk_write");
    if (auto r = exec(*conn, "RELEASE SAVEPOINT newsdesk_write"); !r && result) {
      return wrap_error(r.error(), context + ": release savepoint");
    }
    return result;
  }
  Result<Lease> leased = lease(what);
  if (!leased) return leased.error();
  Connection& conn = **leased;
  if (auto r = exec(conn, "BEGIN"); !r) return wrap_error(r.error(), context + ": begin");
  RollbackGuard guard(&conn);
  {
    BindGuard bind(this, &conn);
    if (auto r = body(conn); !r) return r;
  }
  if (auto r = exec(conn, "COMMIT"); !r) return wrap_error(r.error(), context + ": commit");
  guard.dismiss();
  own_commits_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

Result<void> PostgresStore::read_scope(std::string_view what,
                                       const std::function<Result<void>(Connection&)>& body) {
  if (Connection* conn = bound()) return body(*conn);
  Result<Lease> leased = lease(what);
  if (!leased) return leased.error();
  Connection& conn = **leased;
  if (auto r = exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !r) {
    return wrap_error(r.error(), context_of(what) + ": begin");
  }
  RollbackGuard guard(&conn);
  BindGuard bind(this, &conn);
  return body(conn);
}

Result<void> PostgresStore::migrate() {
  if (bound() != nullptr) {
    return make_error(ErrorCode::kInvalid,
                      "store/postgres: migrate: not allowed inside transaction()");
  }
  Result<Lease> leased = lease("migrate");
  if (!leased) return leased.error();
  if (auto r = apply_migrations(**leased); !r)
    return wrap_error(r.error(), "store/postgres: migrate");
  return {};
}

Result<int> PostgresStore::schema_version() {
  return single("schema version", [](Connection& db) { return read_schema_version(db); });
}

Result<std::int64_t> PostgresStore::insert_item(const model::Item& item) {
  return write("insert item", [&](Connection& db) { return insert_item_rows(db, item); });
}

Result<void> PostgresStore::update_item(const model::Item& item) {
  return write_scope("update item", [&](Connection& db) { return update_item_rows(db, item); });
}

Result<model::Item> PostgresStore::item_by_id(std::int64_t id) {
  return read("item by id", [&](Connection& db) { return select_item_by_id(db, id); });
}

Result<model::Item> PostgresStore::item_by_slug(std::string_view slug) {
  return read("item by slug", [&](Connection& db) { return select_item_by_slug(db, slug); });
}

Result<model::Item> PostgresStore::item_by_source_id(std::string_view source_id) {
  return read("item by source_id",
              [&](Connection& db) { return select_item_by_source_id(db, source_id); });
}

Result<std::vector<model::Item>> PostgresStore::list_items(const ItemQuery& query) {
  return read("list items", [&](Connection& db) { return select_items(db, query); });
}

Result<std::vector<ItemStamp>> PostgresStore::list_stamps(const ItemQuery& query) {
  return single("list stamps", [&](Connection& db) { return select_stamps(db, query); });
}

Result<std::int64_t> PostgresStore::count_items(const ItemQuery& query) {
  return single("count items", [&](Connection& db) { return count_items_rows(db, query); });
}

Result<std::map<std::int64_t, std::int64_t>> PostgresStore::count_by_category(
    const ItemQuery& query) {
  return single("count items by category",
                [&](Connection& db) { return count_by_category_rows(db, query); });
}

Result<Neighbours> PostgresStore::neighbours(std::int64_t id, const ItemQuery& query) {
  return read("neighbours", [&](Connection& db) { return select_neighbours(db, id, query); });
}

Result<std::vector<std::int64_t>> PostgresStore::published_times(const ItemQuery& query) {
  return single("published times",
                [&](Connection& db) { return select_published_times(db, query); });
}

Result<SearchResults> PostgresStore::search(const model::SearchQuery& query,
                                            const ItemQuery& filter) {
  return read("search", [&](Connection& db) { return search_items(db, query, filter); });
}

Result<void> PostgresStore::delete_item(std::int64_t id) {
  return write_scope("delete item", [&](Connection& db) { return delete_item_rows(db, id); });
}

Result<bool> PostgresStore::slug_gone(std::string_view slug) {
  return single("slug gone", [&](Connection& db) { return select_slug_gone(db, slug); });
}

Result<std::vector<model::Category>> PostgresStore::categories() {
  return single("categories", [](Connection& db) { return select_categories(db); });
}

Result<std::optional<model::DateTime>> PostgresStore::last_change(const ItemQuery& query) {
  return single("last change", [&](Connection& db) { return select_last_change(db, query); });
}

Result<void> PostgresStore::add_redirect(std::string_view path, std::int64_t item_id) {
  if (!path.starts_with("/")) {
    return make_error(ErrorCode::kInvalid,
                      "store/postgres: add redirect: path must start with '/'");
  }
  return write_scope("add redirect", [&](Connection& db) -> Result<void> {
    Result<Statement> stmt =
        Statement::prepare(db,
                           "INSERT INTO redirects (path, item_id) VALUES (?1, ?2) "
                           "ON CONFLICT (path) DO UPDATE SET item_id = excluded.item_id");
    if (!stmt) return stmt.error();
    stmt->bind(1, path).bind(2, item_id);
    if (auto r = stmt->run(); !r) {
      // The only foreign key here is the item.
      if (r.error().code == ErrorCode::kNotFound) {
        return make_error(ErrorCode::kNotFound,
                          "store/postgres: add redirect: no item " + std::to_string(item_id));
      }
      return wrap_error(r.error(), "store/postgres: add redirect");
    }
    return {};
  });
}

Result<std::int64_t> PostgresStore::redirect_target(std::string_view path) {
  return single("redirect target", [&](Connection& db) -> Result<std::int64_t> {
    Result<Statement> stmt =
        Statement::prepare(db, "SELECT item_id FROM redirects WHERE path = ?1");
    if (!stmt) return stmt.error();
    stmt->bind(1, path);
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), "store/postgres: redirect target");
    if (!*row) {
      return make_error(ErrorCode::kNotFound,
                        "store/postgres: no redirect for " + std::string(path));
    }
    return stmt->column_int64(0);
  });
}

Result<SourceState> PostgresStore::source_state(std::string_view url) {
  return single("source state", [&](Connection& db) -> Result<SourceState> {
    Result<Statement> stmt =
        Statement::prepare(db, "SELECT etag, last_modified FROM sources WHERE url = ?1");
    if (!stmt) return stmt.error();
    stmt->bind(1, url);
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), "store/postgres: source state");
    SourceState state;
    if (*row) {
      state.etag = stmt->column_text(0);
      state.last_modified = stmt->column_text(1);
    }
    return state;
  });
}

Result<void> PostgresStore::save_source_state(std::string_view url, const SourceState& state) {
  return write_scope("save source state", [&](Connection& db) -> Result<void> {
    Result<Statement> stmt =
        Statement::prepare(db,
                           "INSERT INTO sources (url, etag, last_modified) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
                           "last_modified = excluded.last_modified");
    if (!stmt) return stmt.error();
    stmt->bind(1, url).bind(2, state.etag).bind(3, state.last_modified);
    if (auto r = stmt->run(); !r) return wrap_error(r.error(), "store/postgres: save source state");
    return {};
  });
}

Result<std::uint64_t> PostgresStore::change_token() {
  std::lock_guard lock(listen_mu_);
  if (!listener_ || !listener_->ok()) {
    // (Re)connect and LISTEN. Whatever was committed while nobody listened
    // is unknown: count the new connection itself as a change.
    listener_.reset();
    Result<std::unique_ptr<Connection>> conn = Connection::open(conninfo_);
    if (!conn) return wrap_error(conn.error(), "store/postgres: change token: connect");
    Result<std::string> schema = current_schema(**conn);
    if (!schema) return wrap_error(schema.error(), "store/postgres: change token");
    const std::string channel = "newsdesk_" + *schema;
    char* quoted = PQescapeIdentifier((*conn)->get(), channel.data(), channel.size());
    if (quoted == nullptr) {
      return make_error(ErrorCode::kInternal, "store/postgres: change token: bad channel name");
    }
    const std::string listen = std::string("LISTEN ") + quoted;
    PQfreemem(quoted);
    if (auto r = exec(**conn, listen); !r) return wrap_error(r.error(), "store/postgres: listen");
    listener_ = std::move(conn).value();
    leader_ = false;  // a lock of an earlier connection went with it
    ++notified_;
  }
  // Reads what has arrived, without waiting.
  if (PQconsumeInput(listener_->get()) == 0) {
    listener_.reset();
    ++notified_;
    return notified_ + own_commits_.load(std::memory_order_relaxed);
  }
  while (PGnotify* note = PQnotifies(listener_->get())) {
    ++notified_;
    PQfreemem(note);
  }
  return notified_ + own_commits_.load(std::memory_order_relaxed);
}

Result<bool> PostgresStore::leads() {
  // The LISTEN connection lives as long as the process, and reconnects.
  if (auto token = change_token(); !token) return token.error();
  std::lock_guard lock(listen_mu_);
  if (leader_) return true;
  if (!listener_) return false;
  Result<Statement> stmt =
      Statement::prepare(*listener_, "SELECT pg_try_advisory_lock(hashtext(current_schema()), 1)");
  if (!stmt) return stmt.error();
  Result<bool> row = stmt->step();
  if (!row) return wrap_error(row.error(), "store/postgres: leads");
  leader_ = *row && stmt->column_int64(0) != 0;
  return leader_;
}

Result<std::optional<std::int64_t>> PostgresStore::next_publication(std::int64_t after) {
  return single("next publication", [&](Connection& db) -> Result<std::optional<std::int64_t>> {
    Result<Statement> stmt =
        Statement::prepare(db,
                           "SELECT MIN(t) FROM ("
                           " SELECT MIN(published_at) AS t FROM items"
                           "  WHERE status = 'published' AND published_at > ?1"
                           " UNION ALL SELECT MIN(expires_at) FROM items"
                           "  WHERE status = 'published' AND expires_at > ?1) AS times");
    if (!stmt) return stmt.error();
    stmt->bind(1, after);
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), "store/postgres: next publication");
    return stmt->column_optional_int64(0);
  });
}

Result<void> PostgresStore::transaction(const std::function<Result<void>(Store&)>& fn) {
  if (bound() != nullptr) {
    return make_error(ErrorCode::kInvalid,
                      "store/postgres: transaction: already inside a transaction (not reentrant)");
  }
  Result<Lease> leased = lease("transaction");
  if (!leased) return leased.error();
  Connection& conn = **leased;
  if (auto r = exec(conn, "BEGIN"); !r) {
    return wrap_error(r.error(), "store/postgres: transaction: begin");
  }
  RollbackGuard guard(&conn);
  {
    BindGuard bind(this, &conn);
    if (auto r = fn(*this); !r) return r;  // the guard rolls back
  }
  if (auto r = exec(conn, "COMMIT"); !r) {
    return wrap_error(r.error(), "store/postgres: transaction: commit");
  }
  guard.dismiss();
  own_commits_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

Result<std::int64_t> PostgresStore::count_imported_items() {
  return single("count imported items", [](Connection& db) -> Result<std::int64_t> {
    Result<Statement> stmt =
        Statement::prepare(db, "SELECT count(*) FROM items WHERE source_id IS NOT NULL");
    if (!stmt) return stmt.error();
    Result<bool> row = stmt->step();
    if (!row) return wrap_error(row.error(), "store/postgres: count imported items");
    return stmt->column_int64(0);
  });
}

Result<void> PostgresStore::backup_to(const std::string& path) {
  (void)path;
  return make_error(ErrorCode::kInvalid,
                    "store/postgres: backup: back up a PostgreSQL database with pg_dump "
                    "(docs/postgresql.md)");
}

void PostgresStore::observe_statements(StatementObserver observer) {
  std::lock_guard lock(pool_mu_);
  observer_ = std::move(observer);
  for (auto& conn : idle_) conn->observer = observer_;
}

Result<std::unique_ptr<Store>> open_postgres_store(std::string_view url) {
  // pool_size is ours: libpq refuses query parameters it does not know.
  std::string conninfo(url);
  int pool_size = kDefaultPoolSize;
  if (const std::size_t query = conninfo.find('?'); query != std::string::npos) {
    std::string kept;
    std::size_t start = query + 1;
    while (start <= conninfo.size()) {
      std::size_t end = conninfo.find('&', start);
      if (end == std::string::npos) end = conninfo.size();
      const std::string_view pair = std::string_view(conninfo).substr(start, end - start);
      if (pair.starts_with("pool_size=")) {
        const std::string_view value = pair.substr(10);
        int n = 0;
        const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || ptr != value.data() + value.size() || n < 1 || n > kMaxPoolSize) {
          return make_error(ErrorCode::kInvalid,
                            "store/postgres: pool_size must be 1-" + std::to_string(kMaxPoolSize));
        }
        pool_size = n;
      } else if (!pair.empty()) {
        kept += kept.empty() ? "" : "&";
        kept += pair;
      }
      start = end + 1;
    }
    conninfo = conninfo.substr(0, query) + (kept.empty() ? "" : "?" + kept);
  }
  Result<std::unique_ptr<Connection>> first = Connection::open(conninfo);
  if (!first) return wrap_error(first.error(), "store/postgres: open");
  return std::unique_ptr<Store>(
      std::make_unique<PostgresStore>(std::move(conninfo), std::move(first).value(), pool_size));
}

}  // namespace newsdesk::store::postgres
