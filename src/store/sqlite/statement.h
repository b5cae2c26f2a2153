// Thin RAII helpers over the SQLite C API, shared by the SQLite store's
// query files and migrations. Internal to store/sqlite/.
//
// Thread-safety: none. A Statement and the connection it was prepared on are
// used by one thread at a time; SqliteStore's mutex guarantees that.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace newsdesk::store::sqlite {

// Maps an SQLite (extended) result code to an ErrorCode: unique violations
// are kConflict; foreign-key violations kNotFound; busy, locked and environment failures (cannot
// open, read only, I/O, disk full) are kUnavailable; everything else is kInternal.
ErrorCode error_code_for(int rc);

// An Error for a failed call on db, worded by SQLite ("UNIQUE constraint
// failed: items.slug"), without a module prefix: callers wrap it.
// db may be null, then only rc is used.
Error sqlite_error(sqlite3* db, int rc);

// Runs one or more SQL statements that return no rows we need (BEGIN,
// COMMIT, migrations). Errors come from sqlite_error().
Result<void> exec(sqlite3* db, const char* sql);

// A value bound to a '?' parameter. int64 for integers, string for text,
// monostate for NULL.
using Param = std::variant<std::monostate, std::int64_t, std::string>;

// One prepared statement, finalized on destruction.
class Statement {
 public:
  // Prepares the first statement in sql. Errors: kInternal for bad SQL,
  // kUnavailable when the schema is locked.
  static Result<Statement> prepare(sqlite3* db, std::string_view sql);

  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() = default;

  // Bind to the 1-based parameter index. A failed bind is remembered and
  // reported by the next step()/run(), so call sites can bind in a row.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind_param(int index, const Param& value);
  // Binds params to indexes first, first + 1, ...
  Statement& bind_all(int first, const std::vector<Param>& params);

  // Advances: true when a row is ready, false when the statement is done.
  Result<bool> step();
  // Steps until done, ignoring any rows.
  Result<void> run();
  // Makes the statement ready to run again and forgets a failed bind.
  // Bindings stay until rebound; callers rebind every parameter.
  void reset();
  // Rows changed by the last INSERT, UPDATE or DELETE on this statement's
  // connection (sqlite3_changes).
  std::int64_t affected_rows() const;

  // Column readers for the current row; col is 0-based.
  std::int64_t column_int64(int col) const;
  std::optional<std::int64_t> column_optional_int64(int col) const;
  std::string column_text(int col) const;  // "" for NULL
  bool column_is_null(int col) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };

  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  void note_bind(int rc);

  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  int bind_rc_ = SQLITE_OK;  // first failed bind, reported by step()
};

}  // namespace newsdesk::store::sqlite
