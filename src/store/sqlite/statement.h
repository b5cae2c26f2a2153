// Thin RAII helpers over the SQLite C API, shared by the SQLite store's
// query files and migrations. Internal to store/sqlite/.
//
// Thread-safety: none. A Statement, the connection it was prepared on and
// that connection's StatementCache are used by one thread at a time;
// SqliteStore's mutex guarantees that.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
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

// The prepared statements of one connection kept between uses, by SQL text
// (sqlite3_prepare_v3 with SQLITE_PREPARE_PERSISTENT): preparing the item
// queries costs more than running them.
//
// A statement is out of the cache while a Statement holds it, so no two
// Statements ever share one: a query that runs the same SQL while an outer
// one is still stepping (a nested call on the same connection) gets a
// statement of its own, and both come back when done. A statement comes
// back reset, without bindings and without a failed step's state.
// At most `capacity` statements wait in the cache (at most kPerSql of one
// SQL text); past that the least recently used SQL's go.
//
// REQUIRES: every Statement taken from the cache is gone before the cache,
// and the cache goes before its connection is closed.
class StatementCache {
 public:
  static constexpr std::size_t kDefaultCapacity = 128;
  static constexpr std::size_t kPerSql = 4;

  explicit StatementCache(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  ~StatementCache();  // finalizes the waiting statements
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // Statements waiting for reuse.
  std::size_t size() const { return size_; }
  // How many Statements were served by a statement prepared before.
  std::uint64_t reused() const { return reused_; }
  // Finalizes every waiting statement.
  void clear();

 private:
  friend class Statement;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Idle {
    std::vector<sqlite3_stmt*> statements;
    std::uint64_t last_used = 0;
  };

  // A waiting statement for sql, or null.
  sqlite3_stmt* take(std::string_view sql);
  // Keeps stmt for sql (or finalizes it when there is no room).
  void give_back(std::string sql, sqlite3_stmt* stmt);
  void evict_one();

  std::unordered_map<std::string, Idle, Hash, std::equal_to<>> idle_;
  std::size_t capacity_;
  std::size_t size_ = 0;
  std::uint64_t tick_ = 0;
  std::uint64_t reused_ = 0;
};

// A connection as the query files take it: the handle, and the cache its
// statements are kept in between uses (null: each statement is prepared
// anew and finalized after use). Converts from and to sqlite3*, so a plain
// handle (migrations, a backup's target) works wherever a Db does.
class Db {
 public:
  Db(sqlite3* handle, StatementCache* cache = nullptr)  // NOLINT(google-explicit-constructor)
      : handle_(handle), cache_(cache) {}
  operator sqlite3*() const { return handle_; }  // NOLINT(google-explicit-constructor)
  sqlite3* get() const { return handle_; }
  StatementCache* cache() const { return cache_; }

 private:
  sqlite3* handle_;
  StatementCache* cache_;
};

// One prepared statement: finalized on destruction, or, when it came from
// a StatementCache, given back to it.
class Statement {
 public:
  // Prepares the first statement in sql, or takes it from db's cache.
  // Errors: kInternal for bad SQL, kUnavailable when the schema is locked.
  static Result<Statement> prepare(Db db, std::string_view sql);

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

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
  Statement(sqlite3_stmt* stmt, StatementCache* cache, std::string sql)
      : stmt_(stmt), cache_(cache), sql_(std::move(sql)) {}
  void note_bind(int rc);
  // Finalizes the statement or gives it back to its cache.
  void release();

  sqlite3_stmt* stmt_;
  StatementCache* cache_;    // null: finalized on destruction
  std::string sql_;          // with cache_: its key there
  int bind_rc_ = SQLITE_OK;  // first failed bind, reported by step()
};

}  // namespace newsdesk::store::sqlite
