// The PostgreSQL schema as an append-only list of migrations with the same
// versions as the SQLite store's (store/sqlite/migrations.h), so one version
// number means one set of features in both. The version is kept in the
// table newsdesk_schema: 0 for an empty database, N once migration N ran.
//
// To change the schema, append a migration here and in the SQLite store;
// never edit or reorder one that has shipped.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "store/postgres/statement.h"

namespace newsdesk::store::postgres {

// The newest version this binary knows.
int latest_schema_version();

// The text search configuration (items_search) for text in `language`, a
// BCP 47 tag whose primary subtag decides: "newsdesk_search_french" for
// "fr" and "fr-CA"; "newsdesk_search" (English) for English, for an empty
// tag and for languages outside PostgreSQL 15's snowball list. The
// configurations exist from schema version 7 on.
std::string search_configuration_of(std::string_view language);

// Reads newsdesk_schema (0 when it does not exist yet).
Result<int> read_schema_version(Connection& conn);

// Applies every migration newer than the database's version, each in its own
// transaction together with the version bump. A transaction-scoped advisory
// lock makes instances that migrate at once take turns, and each then sees
// the steps the other ran. REQUIRES: no transaction open on conn.
// Errors: kInvalid when the database is newer than this binary; else as the
// failing SQL.
Result<void> apply_migrations(Connection& conn);
// As above, but stops at version up_to: tests build older databases with it.
Result<void> apply_migrations(Connection& conn, int up_to);

}  // namespace newsdesk::store::postgres
