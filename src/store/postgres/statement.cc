#include "store/postgres/statement.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <utility>

namespace newsdesk::store::postgres {
namespace {

// More distinct SQL texts than this on one connection (dynamic IN lists)
// and the cache starts again: server-side statements cost memory.
constexpr std::size_t kMaxPrepared = 512;

ErrorCode code_for_sqlstate(std::string_view state) {
  if (state == "23505") return ErrorCode::kConflict;  // unique_violation
  if (state == "23503") return ErrorCode::kNotFound;  // foreign_key_violation
  // data exceptions: bad encoding, a NUL in text, a number out of range
  if (state.starts_with("22")) return ErrorCode::kInvalid;
  if (state.starts_with("08") ||  // connection exception
      state.starts_with("53") ||  // insufficient resources
      state.starts_with("57") ||  // operator intervention (shutdown)
      state == "40001" ||         // serialization_failure
      state == "40P01" ||         // deadlock_detected
      state == "55P03") {         // lock_not_available
    return ErrorCode::kUnavailable;
  }
  return ErrorCode::kInternal;
}

std::string trimmed(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo) {
  pg_conn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return make_error(ErrorCode::kUnavailable, "out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    Error error = make_error(ErrorCode::kUnavailable, trimmed(PQerrorMessage(conn)));
    PQfinish(conn);
    return error;
  }
  // Notices ("relation already exists, skipping") are not errors; keep
  // them off stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::ok() const { return PQstatus(conn_) == CONNECTION_OK; }

Result<void> Connection::reset() {
  prepared_.clear();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return make_error(ErrorCode::kUnavailable, trimmed(PQerrorMessage(conn_)));
  }
  return {};
}

Result<std::string> Connection::prepared_name(const std::string& sql) {
  if (auto found = prepared_.find(sql); found != prepared_.end()) return found->second;
  if (prepared_.size() >= kMaxPrepared) {
    if (auto r = exec(*this, "DEALLOCATE ALL"); !r) return r.error();
    prepared_.clear();
  }
  std::string name = "nd" + std::to_string(++next_name_);
  pg_result* result = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
  const bool ok = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
  Error error = ok ? Error{} : pg_error(conn_, result);
  PQclear(result);
  if (!ok) return error;
  prepared_.emplace(sql, name);
  return name;
}

Error pg_error(pg_conn* conn, const pg_result* result) {
  if (result == nullptr || PQstatus(conn) != CONNECTION_OK) {
    return make_error(ErrorCode::kUnavailable, "connection lost: " + trimmed(PQerrorMessage(conn)));
  }
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string message = trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
  if (message.empty()) message = trimmed(PQresultErrorMessage(result));
  if (message.empty()) message = trimmed(PQerrorMessage(conn));
  return make_error(code_for_sqlstate(state != nullptr ? state : ""), std::move(message));
}

Result<void> exec(Connection& conn, std::string_view sql) {
  const auto started = std::chrono::steady_clock::now();
  pg_result* result = PQexec(conn.get(), std::string(sql).c_str());
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  Error error = ok ? Error{} : pg_error(conn.get(), result);
  PQclear(result);
  if (conn.observer) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    conn.observer(true, took.count());
  }
  if (!ok) return error;
  return {};
}

std::string numbered_parameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  char quote = 0;  // inside '...' or "..." when set
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote reopens at once
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    std::size_t digits = i + 1;
    while (digits < sql.size() && sql[digits] >= '0' && sql[digits] <= '9') ++digits;
    out += '$';
    if (digits > i + 1) {
      out.append(sql.substr(i + 1, digits - i - 1));
      i = digits - 1;
    } else {
      out += std::to_string(++next);
    }
  }
  return out;
}

Result<Statement> Statement::prepare(Connection& conn, std::string_view sql) {
  return Statement(conn, numbered_parameters(sql));
}

Statement::Statement(Statement&& other) noexcept
    : conn_(other.conn_),
      sql_(std::move(other.sql_)),
      values_(std::move(other.values_)),
      binary_(std::move(other.binary_)),
      result_(std::exchange(other.result_, nullptr)),
      row_(other.row_),
      rows_(other.rows_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    conn_ = other.conn_;
    sql_ = std::move(other.sql_);
    values_ = std::move(other.values_);
    binary_ = std::move(other.binary_);
    result_ = std::exchange(other.result_, nullptr);
    row_ = other.row_;
    rows_ = other.rows_;
  }
  return *this;
}

Statement::~Statement() { PQclear(result_); }

void Statement::set(int index, std::optional<std::string> value, bool binary) {
  if (index < 1) return;
  const auto at = static_cast<std::size_t>(index - 1);
  if (values_.size() <= at) {
    values_.resize(at + 1);
    binary_.resize(at + 1, 0);
  }
  values_[at] = std::move(value);
  binary_[at] = binary ? 1 : 0;
}

Statement& Statement::bind(int index, std::int64_t value) {
  set(index, std::to_string(value), false);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  set(index, std::string(value), false);
  return *this;
}

Statement& Statement::bind_null(int index) {
  set(index, std::nullopt, false);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_param(int index, const Param& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) return bind(index, *number);
  if (const auto* text = std::get_if<std::string>(&value)) return bind(index, *text);
  return bind_null(index);
}

Statement& Statement::bind_all(int first, const std::vector<Param>& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    bind_param(first + static_cast<int>(i), params[i]);
  }
  return *this;
}

Statement& Statement::bind_bytes(int index, std::string_view bytes) {
  set(index, std::string(bytes), true);
  return *this;
}

Result<void> Statement::execute() {
  Result<std::string> name = conn_->prepared_name(sql_);
  if (!name) return name.error();
  std::vector<const char*> values(values_.size());
  std::vector<int> lengths(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) {
    values[i] = values_[i] ? values_[i]->c_str() : nullptr;
    lengths[i] = values_[i] ? static_cast<int>(values_[i]->size()) : 0;
  }
  const auto started = std::chrono::steady_clock::now();
  PQclear(result_);
  result_ = PQexecPrepared(conn_->get(), name->c_str(), static_cast<int>(values.size()),
                           values.data(), lengths.data(), binary_.data(), 0);
  const ExecStatusType status = result_ != nullptr ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
  if (conn_->observer) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    const char* tag = result_ != nullptr ? PQcmdStatus(result_) : "";
    conn_->observer(std::strncmp(tag, "SELECT", 6) != 0, took.count());
  }
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error error = pg_error(conn_->get(), result_);
    PQclear(result_);
    result_ = nullptr;
    return error;
  }
  row_ = -1;
  rows_ = PQntuples(result_);
  return {};
}

Result<bool> Statement::step() {
  if (result_ == nullptr) {
    if (auto r = execute(); !r) return r.error();
  }
  if (row_ + 1 >= rows_) {
    row_ = rows_;
    return false;
  }
  ++row_;
  return true;
}

Result<void> Statement::run() {
  if (result_ == nullptr) {
    if (auto r = execute(); !r) return r;
  }
  row_ = rows_;
  return {};
}

void Statement::reset() {
  PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  rows_ = 0;
}

std::int64_t Statement::affected_rows() const {
  if (result_ == nullptr) return 0;
  const char* tuples = PQcmdTuples(result_);
  std::int64_t n = 0;
  std::from_chars(tuples, tuples + std::strlen(tuples), n);
  return n;
}

bool Statement::column_is_null(int col) const {
  return result_ == nullptr || row_ < 0 || row_ >= rows_ || PQgetisnull(result_, row_, col) != 0;
}

std::int64_t Statement::column_int64(int col) const {
  if (column_is_null(col)) return 0;
  const char* text = PQgetvalue(result_, row_, col);
  const std::size_t length = static_cast<std::size_t>(PQgetlength(result_, row_, col));
  // Booleans read as 0 or 1 (EXISTS (...) answers 't' or 'f').
  if (length == 1 && (text[0] == 't' || text[0] == 'f')) return text[0] == 't' ? 1 : 0;
  std::int64_t n = 0;
  std::from_chars(text, text + length, n);
  return n;
}

std::optional<std::int64_t> Statement::column_optional_int64(int col) const {
  if (column_is_null(col)) return std::nullopt;
  return column_int64(col);
}

std::string Statement::column_text(int col) const {
  if (column_is_null(col)) return std::string();
  return std::string(PQgetvalue(result_, row_, col),
                     static_cast<std::size_t>(PQgetlength(result_, row_, col)));
}

std::string Statement::column_bytes(int col) const {
  if (column_is_null(col)) return std::string();
  // Text results give bytea as "\x" and two hex digits per byte.
  const std::string_view hex(PQgetvalue(result_, row_, col),
                             static_cast<std::size_t>(PQgetlength(result_, row_, col)));
  if (!hex.starts_with("\\x")) return std::string(hex);
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 0;
  };
  std::string bytes;
  bytes.reserve((hex.size() - 2) / 2);
  for (std::size_t i = 2; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1]));
  }
  return bytes;
}

}  // namespace newsdesk::store::postgres
