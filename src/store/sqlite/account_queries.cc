// The SQLite store's accounts, tokens, sessions, revisions, settings and
// press feeds: the shared members of store/account_queries.inc.

#include <sqlite3.h>

#include <string>
#include <utility>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/statement.h"

namespace newsdesk::store::sqlite {

using ThisStore = SqliteStore;

#define NEWSDESK_STORE "store/sqlite"
#include "store/account_queries.inc"
#undef NEWSDESK_STORE

}  // namespace newsdesk::store::sqlite
