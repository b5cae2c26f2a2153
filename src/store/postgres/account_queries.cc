// Accounts, API tokens, sessions, login failures, revisions, settings,
// press feeds and category management of the PostgreSQL store: PostgresStore's members for them,
// each query beside the code that reads its rows.

#include <string>
#include <utility>

#include "store/postgres/postgres_store.h"
#include "store/postgres/statement.h"

namespace newsdesk::store::postgres {

namespace {

Result<model::User> read_user(const Statement& row) {
  model::User user;
  user.id = row.column_int64(0);
  user.name = row.column_text(1);
  const std::string role = row.column_text(2);
  auto parsed = model::parse_role(role);
  if (!parsed) {
    return make_error(ErrorCode::kInternal, "store/postgres: user " + std::to_string(user.id) +
                                                " has unknown role '" + role + "'");
  }
  user.role = *parsed;
  user.password_hash = row.column_text(3);
  user.created_at = row.column_int64(4);
  return user;
}

constexpr std::string_view kUserColumns =
    "SELECT id, name, role, password_hash, created_at FROM users";

model::ApiToken read_token(const Statement& row) {
  model::ApiToken token;
  token.id = row.column_int64(0);
  token.user_id = row.column_int64(1);
  token.label = row.column_text(2);
  token.digest = row.column_text(3);
  token.created_at = row.column_int64(4);
  token.last_used_at = row.column_optional_int64(5);
  return token;
}

constexpr std::string_view kTokenColumns =
    "SELECT id, user_id, label, digest, created_at, last_used_at FROM api_tokens";

Revision read_revision(const Statement& row) {
  Revision r;
  r.id = row.column_int64(0);
  r.item_id = row.column_int64(1);
  r.user_id = row.column_optional_int64(2).value_or(0);
  r.saved_at = row.column_int64(3);
  r.snapshot = row.column_text(4);
  return r;
}

constexpr std::string_view kRevisionColumns =
    "SELECT id, item_id, user_id, saved_at, snapshot FROM revisions";

// Runs a prepared statement to completion, mapping "nothing changed" to
// kNotFound when asked to.
Result<void> run_changing(Statement& stmt, std::string_view context,
                          std::string_view missing = "") {
  if (auto r = stmt.run(); !r)
    return wrap_error(r.error(), "store/postgres: " + std::string(context));
  if (!missing.empty() && stmt.affected_rows() == 0) {
    return make_error(ErrorCode::kNotFound,
                      "store/postgres: " + std::string(context) + ": " + std::string(missing));
  }
  return {};
}

// Steps a statement that returns one row and reads it with `read`.
template <typename T, typename Read>
Result<T> one_row(Statement& stmt, std::string_view context, std::string_view missing, Read read) {
  auto row = stmt.step();
  if (!row) return wrap_error(row.error(), "store/postgres: " + std::string(context));
  if (!*row) {
    return make_error(ErrorCode::kNotFound,
                      "store/postgres: " + std::string(context) + ": " + std::string(missing));
  }
  return read(stmt);
}

Error foreign_key_or(const Error& error, std::string_view context, std::string_view missing) {
  if (error.code == ErrorCode::kNotFound) {
    return make_error(ErrorCode::kNotFound,
                      "store/postgres: " + std::string(context) + ": " + std::string(missing));
  }
  return wrap_error(error, "store/postgres: " + std::string(context));
}

}  // namespace

Result<std::int64_t> PostgresStore::insert_user(const model::User& user) {
  if (user.name.empty()) {
    return make_error(ErrorCode::kInvalid, "store/postgres: insert user: empty name");
  }
  std::int64_t id = 0;
  auto r = write_scope("insert user", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db,
                                   "INSERT INTO users (name, role, password_hash, created_at)"
                                   " VALUES (?, ?, ?, ?) RETURNING id");
    if (!stmt) return stmt.error();
    stmt->bind(1, std::string_view(user.name))
        .bind(2, model::role_name(user.role))
        .bind(3, std::string_view(user.password_hash))
        .bind(4, user.created_at);
    auto row = stmt->step();
    if (!row) {
      if (row.error().code == ErrorCode::kConflict) {
        return make_error(ErrorCode::kConflict,
                          "store/postgres: insert user: the name '" + user.name + "' is taken");
      }
      return wrap_error(row.error(), "store/postgres: insert user");
    }
    id = stmt->column_int64(0);
    return stmt->run();
  });
  if (!r) return r.error();
  return id;
}

Result<void> PostgresStore::update_user(const model::User& user) {
  return write_scope("update user", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(
        db, "UPDATE users SET name = ?, role = ?, password_hash = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, std::string_view(user.name))
        .bind(2, model::role_name(user.role))
        .bind(3, std::string_view(user.password_hash))
        .bind(4, user.id);
    return run_changing(*stmt, "update user", "no such user");
  });
}

Result<void> PostgresStore::delete_user(std::int64_t id) {
  return write_scope("delete user", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db, "DELETE FROM users WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, id);
    return run_changing(*stmt, "delete user", "no such user");
  });
}

Result<model::User> PostgresStore::user_by_id(std::int64_t id) {
  return single("user by id", [&](Connection& db) -> Result<model::User> {
    auto stmt = Statement::prepare(db, std::string(kUserColumns) + " WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, id);
    return one_row<model::User>(*stmt, "user by id", "no user " + std::to_string(id), read_user);
  });
}

Result<model::User> PostgresStore::user_by_name(std::string_view name) {
  return single("user by name", [&](Connection& db) -> Result<model::User> {
    auto stmt = Statement::prepare(db, std::string(kUserColumns) + " WHERE name = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, name);
    return one_row<model::User>(*stmt, "user by name", "no user '" + std::string(name) + "'",
                                read_user);
  });
}

Result<std::vector<model::User>> PostgresStore::users() {
  return single("users", [&](Connection& db) -> Result<std::vector<model::User>> {
    auto stmt = Statement::prepare(db, std::string(kUserColumns) + " ORDER BY name");
    if (!stmt) return stmt.error();
    std::vector<model::User> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return wrap_error(row.error(), "store/postgres: users");
      if (!*row) break;
      auto user = read_user(*stmt);
      if (!user) return user.error();
      out.push_back(std::move(*user));
    }
    return out;
  });
}

Result<std::int64_t> PostgresStore::insert_api_token(const model::ApiToken& token) {
  std::int64_t id = 0;
  auto r = write_scope("insert API token", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(
        db,
        "INSERT INTO api_tokens (user_id, label, digest, created_at) VALUES (?, ?, ?, ?)"
        " RETURNING id");
    if (!stmt) return stmt.error();
    stmt->bind(1, token.user_id)
        .bind(2, std::string_view(token.label))
        .bind(3, std::string_view(token.digest))
        .bind(4, token.created_at);
    auto row = stmt->step();
    if (!row) return foreign_key_or(row.error(), "insert API token", "no such user");
    id = stmt->column_int64(0);
    return stmt->run();
  });
  if (!r) return r.error();
  return id;
}

Result<model::ApiToken> PostgresStore::api_token_by_digest(std::string_view digest) {
  return single("api token by digest", [&](Connection& db) -> Result<model::ApiToken> {
    auto stmt = Statement::prepare(db, std::string(kTokenColumns) + " WHERE digest = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, digest);
    return one_row<model::ApiToken>(*stmt, "API token", "no such token",
                                    [](const Statement& row) { return read_token(row); });
  });
}

Result<std::vector<model::ApiToken>> PostgresStore::api_tokens(std::int64_t user_id) {
  return single("api tokens", [&](Connection& db) -> Result<std::vector<model::ApiToken>> {
    auto stmt = Statement::prepare(
        db, std::string(kTokenColumns) + " WHERE ?1::bigint = 0 OR user_id = ?1 ORDER BY id DESC");
    if (!stmt) return stmt.error();
    stmt->bind(1, user_id);
    std::vector<model::ApiToken> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return wrap_error(row.error(), "store/postgres: API tokens");
      if (!*row) break;
      out.push_back(read_token(*stmt));
    }
    return out;
  });
}

Result<void> PostgresStore::delete_api_token(std::int64_t id) {
  return write_scope("delete API token", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db, "DELETE FROM api_tokens WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, id);
    return run_changing(*stmt, "delete API token", "no token " + std::to_string(id));
  });
}

Result<void> PostgresStore::touch_api_token(std::int64_t id, std::int64_t when) {
  return write_scope("touch API token", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, when).bind(2, id);
    return run_changing(*stmt, "touch API token", "no such token");
  });
}

Result<void> PostgresStore::insert_session(const Session& session) {
  return write_scope("insert session", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db,
                                   "INSERT INTO sessions (digest, user_id, csrf_token, created_at,"
                                   " expires_at) VALUES (?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, std::string_view(session.digest))
        .bind(2, session.user_id)
        .bind(3, std::string_view(session.csrf_token))
        .bind(4, session.created_at)
        .bind(5, session.expires_at);
    if (auto r = stmt->run(); !r) {
      return foreign_key_or(r.error(), "insert session", "no such user");
    }
    return {};
  });
}

Result<Session> PostgresStore::session_by_digest(std::string_view digest) {
  return single("session by digest", [&](Connection& db) -> Result<Session> {
    auto stmt = Statement::prepare(db,
                                   "SELECT digest, user_id, csrf_token, created_at, expires_at"
                                   " FROM sessions WHERE digest = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, digest);
    return one_row<Session>(*stmt, "session", "no such session", [](const Statement& row) {
      Session s;
      s.digest = row.column_text(0);
      s.user_id = row.column_int64(1);
      s.csrf_token = row.column_text(2);
      s.created_at = row.column_int64(3);
      s.expires_at = row.column_int64(4);
      return s;
    });
  });
}

Result<void> PostgresStore::delete_session(std::string_view digest) {
  return write_scope("delete session", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db, "DELETE FROM sessions WHERE digest = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, digest);
    return run_changing(*stmt, "delete session", "no such session");
  });
}

Result<std::int64_t> PostgresStore::delete_expired_sessions(std::int64_t now) {
  std::int64_t removed = 0;
  auto r = write_scope("delete expired sessions", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db, "DELETE FROM sessions WHERE expires_at <= ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, now);
    if (auto run = stmt->run(); !run) return run;
    removed = stmt->affected_rows();
    return {};
  });
  if (!r) return r.error();
  return removed;
}

Result<void> PostgresStore::record_login_failure(std::string_view key, std::int64_t at) {
  return write_scope("record login failure", [&](Connection& db) -> Result<void> {
    // Old records say nothing about throttling any more; a day is far past
    // any window the service uses, and keeps the table small under attack.
    auto prune = Statement::prepare(db, "DELETE FROM login_failures WHERE at < ?");
    if (!prune) return prune.error();
    prune->bind(1, at - 86400);
    if (auto r = prune->run(); !r) return r;
    auto stmt = Statement::prepare(db, "INSERT INTO login_failures (key, at) VALUES (?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, key).bind(2, at);
    return stmt->run();
  });
}

Result<std::int64_t> PostgresStore::count_login_failures(std::string_view key, std::int64_t since) {
  return single("count login failures", [&](Connection& db) -> Result<std::int64_t> {
    auto stmt =
        Statement::prepare(db, "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, key).bind(2, since);
    return one_row<std::int64_t>(*stmt, "count login failures", "no count",
                                 [](const Statement& row) { return row.column_int64(0); });
  });
}

Result<void> PostgresStore::clear_login_failures(std::string_view key) {
  return write_scope("clear login failures", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db, "DELETE FROM login_failures WHERE key = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, key);
    return stmt->run();
  });
}

Result<std::int64_t> PostgresStore::insert_revision(const Revision& revision) {
  std::int64_t id = 0;
  auto r = write_scope("insert revision", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db,
                                   "INSERT INTO revisions (item_id, user_id, saved_at, snapshot)"
                                   " VALUES (?, ?, ?, ?) RETURNING id");
    if (!stmt) return stmt.error();
    stmt->bind(1, revision.item_id);
    if (revision.user_id == 0) {
      stmt->bind_null(2);
    } else {
      stmt->bind(2, revision.user_id);
    }
    stmt->bind(3, revision.saved_at).bind(4, std::string_view(revision.snapshot));
    auto row = stmt->step();
    if (!row) {
      return foreign_key_or(row.error(), "insert revision", "no such item or user");
    }
    id = stmt->column_int64(0);
    return stmt->run();
  });
  if (!r) return r.error();
  return id;
}

Result<std::vector<Revision>> PostgresStore::revisions(std::int64_t item_id) {
  return single("revisions", [&](Connection& db) -> Result<std::vector<Revision>> {
    auto stmt = Statement::prepare(
        db, std::string(kRevisionColumns) + " WHERE item_id = ? ORDER BY id DESC");
    if (!stmt) return stmt.error();
    stmt->bind(1, item_id);
    std::vector<Revision> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return wrap_error(row.error(), "store/postgres: revisions");
      if (!*row) break;
      out.push_back(read_revision(*stmt));
    }
    return out;
  });
}

Result<Revision> PostgresStore::revision(std::int64_t id) {
  return single("revision", [&](Connection& db) -> Result<Revision> {
    auto stmt = Statement::prepare(db, std::string(kRevisionColumns) + " WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, id);
    return one_row<Revision>(*stmt, "revision", "no revision " + std::to_string(id),
                             [](const Statement& row) { return read_revision(row); });
  });
}

namespace {

PressFeed read_press_feed(const Statement& row) {
  PressFeed f;
  f.id = row.column_int64(0);
  f.label = row.column_text(1);
  f.digest = row.column_text(2);
  f.created_at = row.column_int64(3);
  return f;
}

}  // namespace

Result<void> PostgresStore::rename_category(std::int64_t id, std::string_view name) {
  if (name.empty()) {
    return make_error(ErrorCode::kInvalid, "store/postgres: rename category: empty name");
  }
  return write_scope("rename category", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db, "UPDATE categories SET name = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, name).bind(2, id);
    return run_changing(*stmt, "rename category", "no such category");
  });
}

Result<void> PostgresStore::delete_category(std::int64_t id) {
  return write_scope("delete category", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db, "DELETE FROM categories WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, id);
    return run_changing(*stmt, "delete category", "no such category");
  });
}

Result<std::int64_t> PostgresStore::insert_press_feed(const PressFeed& feed) {
  std::int64_t id = 0;
  auto r = write_scope("insert press feed", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(
        db, "INSERT INTO press_feeds (label, digest, created_at) VALUES (?, ?, ?) RETURNING id");
    if (!stmt) return stmt.error();
    stmt->bind(1, std::string_view(feed.label))
        .bind(2, std::string_view(feed.digest))
        .bind(3, feed.created_at);
    auto row = stmt->step();
    if (!row) return wrap_error(row.error(), "store/postgres: insert press feed");
    id = stmt->column_int64(0);
    return stmt->run();
  });
  if (!r) return r.error();
  return id;
}

Result<PressFeed> PostgresStore::press_feed_by_digest(std::string_view digest) {
  return single("press feed by digest", [&](Connection& db) -> Result<PressFeed> {
    auto stmt = Statement::prepare(
        db, "SELECT id, label, digest, created_at FROM press_feeds WHERE digest = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, digest);
    return one_row<PressFeed>(*stmt, "press feed", "no such feed",
                              [](const Statement& row) { return read_press_feed(row); });
  });
}

Result<std::vector<PressFeed>> PostgresStore::press_feeds() {
  return single("press feeds", [&](Connection& db) -> Result<std::vector<PressFeed>> {
    auto stmt = Statement::prepare(
        db, "SELECT id, label, digest, created_at FROM press_feeds ORDER BY id DESC");
    if (!stmt) return stmt.error();
    std::vector<PressFeed> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return wrap_error(row.error(), "store/postgres: press feeds");
      if (!*row) break;
      out.push_back(read_press_feed(*stmt));
    }
    return out;
  });
}

Result<void> PostgresStore::delete_press_feed(std::int64_t id) {
  return write_scope("delete press feed", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db, "DELETE FROM press_feeds WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, id);
    return run_changing(*stmt, "delete press feed", "no feed " + std::to_string(id));
  });
}

Result<std::string> PostgresStore::setting(std::string_view key) {
  return single("setting", [&](Connection& db) -> Result<std::string> {
    auto stmt = Statement::prepare(db, "SELECT value FROM settings WHERE key = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, key);
    return one_row<std::string>(*stmt, "setting", "no setting '" + std::string(key) + "'",
                                [](const Statement& row) { return row.column_text(0); });
  });
}

Result<void> PostgresStore::save_setting(std::string_view key, std::string_view value) {
  return write_scope("save setting", [&](Connection& db) -> Result<void> {
    auto stmt = Statement::prepare(db,
                                   "INSERT INTO settings (key, value) VALUES (?, ?)"
                                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.error();
    stmt->bind(1, key).bind(2, value);
    return stmt->run();
  });
}

}  // namespace newsdesk::store::postgres
