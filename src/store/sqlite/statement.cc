#include "store/sqlite/statement.h"

#include <climits>
#include <utility>

namespace newsdesk::store::sqlite {

ErrorCode error_code_for(int rc) {
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return ErrorCode::kConflict;
  }
  // What a row points at is not there (as the PostgreSQL store says too).
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return ErrorCode::kNotFound;
  switch (rc & 0xff) {
    // The database is there but not usable right now, or the machine is the
    // problem (permissions, disk): the caller may retry or an operator must
    // act, which is what kUnavailable (HTTP 503) tells them.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      return ErrorCode::kUnavailable;
    default:
      return ErrorCode::kInternal;
  }
}

Error sqlite_error(sqlite3* db, int rc) {
  // sqlite3_errmsg describes the connection's latest failure, which is the
  // one we are reporting only when its code matches; else fall back to the
  // generic text for rc.
  const char* text = (db != nullptr && sqlite3_extended_errcode(db) == rc) ? sqlite3_errmsg(db)
                                                                           : sqlite3_errstr(rc);
  return make_error(error_code_for(rc), text != nullptr ? text : "unknown SQLite error");
}

Result<void> exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  Error error = make_error(error_code_for(rc), message != nullptr ? message : sqlite3_errstr(rc));
  sqlite3_free(message);
  return error;
}

StatementCache::~StatementCache() { clear(); }

void StatementCache::clear() {
  for (auto& [sql, idle] : idle_) {
    for (sqlite3_stmt* stmt : idle.statements) sqlite3_finalize(stmt);
  }
  idle_.clear();
  size_ = 0;
}

sqlite3_stmt* StatementCache::take(std::string_view sql) {
  const auto found = idle_.find(sql);
  if (found == idle_.end() || found->second.statements.empty()) return nullptr;
  sqlite3_stmt* stmt = found->second.statements.back();
  found->second.statements.pop_back();
  found->second.last_used = ++tick_;
  --size_;
  ++reused_;
  return stmt;
}

void StatementCache::give_back(std::string sql, sqlite3_stmt* stmt) {
  // Reset first: a statement stopped mid-rows still holds its read of the
  // database (and, in autocommit, a read transaction) until reset. Its
  // return value repeats a failed step's error, which step() reported.
  (void)sqlite3_reset(stmt);
  (void)sqlite3_clear_bindings(stmt);
  if (capacity_ == 0) {
    sqlite3_finalize(stmt);
    return;
  }
  auto found = idle_.find(sql);
  if (found != idle_.end() && found->second.statements.size() >= kPerSql) {
    sqlite3_finalize(stmt);
    return;
  }
  if (size_ >= capacity_) {
    evict_one();
    found = idle_.find(sql);  // eviction may have erased it
  }
  if (found == idle_.end()) found = idle_.emplace(std::move(sql), Idle{}).first;
  found->second.statements.push_back(stmt);
  found->second.last_used = ++tick_;
  ++size_;
}

void StatementCache::evict_one() {
  auto oldest = idle_.end();
  for (auto it = idle_.begin(); it != idle_.end(); ++it) {
    if (it->second.statements.empty()) continue;
    if (oldest == idle_.end() || it->second.last_used < oldest->second.last_used) oldest = it;
  }
  if (oldest == idle_.end()) return;
  sqlite3_finalize(oldest->second.statements.back());
  oldest->second.statements.pop_back();
  --size_;
  if (oldest->second.statements.empty()) idle_.erase(oldest);
}

Result<Statement> Statement::prepare(Db db, std::string_view sql) {
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) {
    return make_error(ErrorCode::kInternal, "SQL text too long");
  }
  StatementCache* cache = db.cache();
  if (cache != nullptr) {
    if (sqlite3_stmt* kept = cache->take(sql)) return Statement(kept, cache, std::string(sql));
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc =
      sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                         cache != nullptr ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sqlite_error(db, rc);
  }
  if (stmt == nullptr) return make_error(ErrorCode::kInternal, "empty SQL statement");
  return Statement(stmt, cache, cache != nullptr ? std::string(sql) : std::string());
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      cache_(std::exchange(other.cache_, nullptr)),
      sql_(std::move(other.sql_)),
      bind_rc_(other.bind_rc_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    stmt_ = std::exchange(other.stmt_, nullptr);
    cache_ = std::exchange(other.cache_, nullptr);
    sql_ = std::move(other.sql_);
    bind_rc_ = other.bind_rc_;
  }
  return *this;
}

Statement::~Statement() { release(); }

void Statement::release() {
  if (stmt_ == nullptr) return;
  sqlite3_stmt* stmt = std::exchange(stmt_, nullptr);
  if (cache_ != nullptr) {
    cache_->give_back(std::move(sql_), stmt);
  } else {
    sqlite3_finalize(stmt);
  }
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer may go away
  // before step(). Item bodies are small enough for the copy not to matter.
  // A null data pointer would bind NULL, so empty views bind "" explicitly.
  const char* data = value.empty() ? "" : value.data();
  note_bind(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_param(int index, const Param& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) return bind(index, *number);
  if (const auto* text = std::get_if<std::string>(&value)) {
    return bind(index, std::string_view(*text));
  }
  return bind_null(index);
}

Statement& Statement::bind_all(int first, const std::vector<Param>& params) {
  for (const Param& param : params) bind_param(first++, param);
  return *this;
}

Result<bool> Statement::step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_rc_ != SQLITE_OK) return wrap_error(sqlite_error(db, bind_rc_), "bind");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Reset so the statement holds no read lock while the caller reports the
  // error; finalize would do the same, a little later.
  Error error = sqlite_error(db, rc);
  sqlite3_reset(stmt_);
  return error;
}

Result<void> Statement::run() {
  for (;;) {
    Result<bool> row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

std::int64_t Statement::affected_rows() const {
  return sqlite3_changes64(sqlite3_db_handle(stmt_));
}

void Statement::reset() {
  // Its return value repeats the last step's error, which step() reported.
  (void)sqlite3_reset(stmt_);
  bind_rc_ = SQLITE_OK;
}

std::int64_t Statement::column_int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::optional<std::int64_t> Statement::column_optional_int64(int col) const {
  if (column_is_null(col)) return std::nullopt;
  return column_int64(col);
}

std::string Statement::column_text(int col) const {
  // Text first, then bytes: the documented order that keeps the pointer valid.
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  int size = sqlite3_column_bytes(stmt_, col);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

bool Statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

}  // namespace newsdesk::store::sqlite
