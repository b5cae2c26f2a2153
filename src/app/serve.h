// `newsdesk serve`: composes the store, the services and the HTTP handlers
// into one running server.
#pragma once

#include "app/config.h"
#include "core/result.h"

namespace newsdesk::app {

// Serves until the server stops. Errors before serving (a bad listen
// address, a store that cannot be opened or migrated, a broken theme)
// come back; the caller prints them.
Result<void> serve(const Config& config);

}  // namespace newsdesk::app
