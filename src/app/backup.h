// `newsdesk backup FILE`: a consistent copy of a SQLite database, taken while
// servers go on reading and writing it, checked, and put in place atomically.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace newsdesk::app {

struct BackupResult {
  std::uint64_t bytes = 0;  // size of the copy
};

// Copies the database at `database_url` into `file`: first into a temporary
// file beside it (the store's backup_to: online backup, integrity check),
// then renamed over `file`, so `file` is never half-written. Without
// `force`, an existing `file` is left alone and is an error.
// Errors: kInvalid for a PostgreSQL URL (pg_dump backs those up), an
// in-memory database, or `file` naming the database itself; kNotFound when
// no database exists at the URL; kConflict when `file` exists and not
// `force`; kUnavailable when `file`'s folder cannot be written.
Result<BackupResult> backup_database(const std::string& database_url, const std::string& file,
                                     bool force);

}  // namespace newsdesk::app
