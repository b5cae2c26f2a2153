#include "store/sqlite/statement.h"

#include <climits>

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

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) {
    return make_error(ErrorCode::kInternal, "SQL text too long");
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return sqlite_error(db, rc);
  }
  if (stmt == nullptr) return make_error(ErrorCode::kInternal, "empty SQL statement");
  return Statement(stmt);
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_.get(), index, value));
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer may go away
  // before step(). Item bodies are small enough for the copy not to matter.
  // A null data pointer would bind NULL, so empty views bind "" explicitly.
  const char* data = value.empty() ? "" : value.data();
  note_bind(
      sqlite3_bind_text64(stmt_.get(), index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_.get(), index));
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
  sqlite3* db = sqlite3_db_handle(stmt_.get());
  if (bind_rc_ != SQLITE_OK) return wrap_error(sqlite_error(db, bind_rc_), "bind");
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Reset so the statement holds no read lock while the caller reports the
  // error; finalize would do the same, a little later.
  Error error = sqlite_error(db, rc);
  sqlite3_reset(stmt_.get());
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
  return sqlite3_changes64(sqlite3_db_handle(stmt_.get()));
}

void Statement::reset() {
  // Its return value repeats the last step's error, which step() reported.
  (void)sqlite3_reset(stmt_.get());
  bind_rc_ = SQLITE_OK;
}

std::int64_t Statement::column_int64(int col) const {
  return sqlite3_column_int64(stmt_.get(), col);
}

std::optional<std::int64_t> Statement::column_optional_int64(int col) const {
  if (column_is_null(col)) return std::nullopt;
  return column_int64(col);
}

std::string Statement::column_text(int col) const {
  // Text first, then bytes: the documented order that keeps the pointer valid.
  const unsigned char* text = sqlite3_column_text(stmt_.get(), col);
  int size = sqlite3_column_bytes(stmt_.get(), col);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

bool Statement::column_is_null(int col) const {
  return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL;
}

}  // namespace newsdesk::store::sqlite
