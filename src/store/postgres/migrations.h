// The PostgreSQL schema as an append-only list of migrations with the same
// versions as the SQLite store's (store/sqlite/migrations.h), so one version
// number means one set of features in both. The version is kept in the
// table newsdesk_schema: 0 for an empty database, N once migration N ran.
//
// To change the schema, append a migration here and in the SQLite store;
// never edit or reorder one that has shipped.
#pragma once

#include "core/result.h"
#include "store/postgres/statement.h"

namespace newsdesk::store::postgres {

// The newest version this binary knows.
int latest_schema_version();

// Reads newsdesk_schema (0 when it does not exist yet).
Result<int> read_schema_version(Connection& conn);

// Applies every migration newer than the database's version, each in its own
// transaction together with the version bump. A transaction-scoped advisory
// lock makes instances that migrate at once take turns, and each then sees
// the steps the other ran. REQUIRES: no transaction open on conn.
// Errors: kInvalid when the database is newer than this binary; else as the
// failing SQL.
Result<void> apply_migrations(Connection& conn);

}  // namespace newsdesk::store::postgres
