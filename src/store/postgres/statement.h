// Thin RAII helpers over libpq, shared by the PostgreSQL store's query files
// and migrations, shaped like their SQLite twins (store/sqlite/statement.h)
// so that a query reads the same in both backends. Internal to
// store/postgres/.
//
// Thread-safety: none. A Connection and the Statements run on it are used by
// one thread at a time; PostgresStore's pool hands each connection to one
// caller at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/result.h"

struct pg_conn;
struct pg_result;

namespace newsdesk::store::postgres {

// One open connection with its cache of prepared statements (one server-side
// statement per distinct SQL text, prepared on first use).
class Connection {
 public:
  // Connects with a libpq connection string or URI. Errors: kUnavailable
  // with libpq's reason (never the password).
  static Result<std::unique_ptr<Connection>> open(const std::string& conninfo);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  pg_conn* get() const { return conn_; }
  // Whether the connection is usable; a lost one is reset on the next lease.
  bool ok() const;
  // Reconnects a lost connection (prepared statements are gone with it).
  Result<void> reset();

  // The name of the server-side statement for sql, preparing it when new.
  Result<std::string> prepared_name(const std::string& sql);

  // After every statement: whether it could write, and how long it ran.
  std::function<void(bool wrote, double seconds)> observer;

 private:
  explicit Connection(pg_conn* conn) : conn_(conn) {}

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;
  std::uint64_t next_name_ = 0;
};

// The error of a failed result (or connection), mapped to an ErrorCode by
// SQLSTATE: unique violations are kConflict, foreign keys kNotFound, bad
// text or numbers kInvalid, lost connections, deadlocks, serialization
// failures and exhausted resources kUnavailable, everything else kInternal.
// The message is PostgreSQL's, with the constraint name for constraint
// violations ("duplicate key value violates unique constraint
// \"items_slug_key\"").
Error pg_error(pg_conn* conn, const pg_result* result);

// Runs one or more SQL statements without parameters (BEGIN, COMMIT,
// migrations).
Result<void> exec(Connection& conn, std::string_view sql);

// A value bound to a parameter: int64 for integers, string for text,
// monostate for NULL.
using Param = std::variant<std::monostate, std::int64_t, std::string>;

// SQL written with SQLite's parameters ('?' in order, or '?N') in
// PostgreSQL's ($1, $N). Quoted strings and identifiers are left alone.
std::string numbered_parameters(std::string_view sql);

// One statement with its parameters and, once run, its rows.
class Statement {
 public:
  // Takes sql with '?' or '?N' parameters (see numbered_parameters); runs
  // as a prepared statement on conn when stepped or run.
  static Result<Statement> prepare(Connection& conn, std::string_view sql);

  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Bind to the 1-based parameter index.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind_param(int index, const Param& value);
  Statement& bind_all(int first, const std::vector<Param>& params);
  // Raw bytes for a bytea parameter (sent in binary: no escaping).
  Statement& bind_bytes(int index, std::string_view bytes);

  // Runs the statement on the first call, then advances: true when a row is
  // ready, false when there are no more.
  Result<bool> step();
  // Runs the statement if it has not run, ignoring any rows.
  Result<void> run();
  // Makes the statement ready to run again; bindings stay until rebound.
  void reset();
  // Rows changed by an INSERT, UPDATE or DELETE that ran.
  std::int64_t affected_rows() const;

  // Column readers for the current row; col is 0-based.
  std::int64_t column_int64(int col) const;
  std::optional<std::int64_t> column_optional_int64(int col) const;
  std::string column_text(int col) const;  // "" for NULL
  bool column_is_null(int col) const;
  // A bytea column's bytes.
  std::string column_bytes(int col) const;

 private:
  Statement(Connection& conn, std::string sql) : conn_(&conn), sql_(std::move(sql)) {}
  void set(int index, std::optional<std::string> value, bool binary);
  Result<void> execute();

  Connection* conn_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> binary_;
  pg_result* result_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
};

}  // namespace newsdesk::store::postgres
