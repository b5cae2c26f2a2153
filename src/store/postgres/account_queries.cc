// The PostgreSQL store's accounts, tokens, sessions, revisions, settings
// and press feeds: the shared members of store/account_queries.inc.

#include <string>
#include <utility>

#include "store/postgres/postgres_store.h"
#include "store/postgres/statement.h"

namespace newsdesk::store::postgres {

using ThisStore = PostgresStore;
using Db = Connection&;

#define NEWSDESK_STORE "store/postgres"
#include "store/account_queries.inc"
#undef NEWSDESK_STORE

}  // namespace newsdesk::store::postgres
