// The SQLite schema as an append-only list of migrations (Miniflux's
// internal/database/migrations.go). The database's version is kept in
// PRAGMA user_version: 0 for an empty database, N once migration N ran.
//
// To change the schema, append a migration; never edit or reorder one that
// has shipped, because databases in the field have already run it.
#pragma once

#include <span>
#include <string_view>

#include "core/result.h"

struct sqlite3;

namespace newsdesk::store::sqlite {

struct Migration {
  int version;           // 1, 2, 3, ... without gaps
  std::string_view sql;  // one or more statements, run in one transaction
  // Runs after sql in the same transaction, for steps SQL cannot do (text
  // extracted from HTML in C++); nullptr when there is none.
  Result<void> (*after_sql)(sqlite3* db);
};

// All migrations, oldest first.
std::span<const Migration> migrations();

// The newest version this binary knows.
int latest_schema_version();

// Reads PRAGMA user_version.
Result<int> read_schema_version(sqlite3* db);

// Applies every migration newer than the database's version, each in its own
// BEGIN IMMEDIATE transaction together with the user_version bump, so a
// failure leaves the database at the last complete version and two processes
// migrating at once do not run a step twice.
// REQUIRES: no transaction open on db.
// Errors: kInvalid when the database is newer than this binary; else as the
// failing SQL.
Result<void> apply_migrations(sqlite3* db);

}  // namespace newsdesk::store::sqlite
