#include "store/store.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

#include "core/ids.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace newsdesk::store {
namespace {

// The scheme of url when it starts like one (RFC 3986: ALPHA *( ALPHA /
// DIGIT / "+" / "-" / "." ) ":"), lower-cased since schemes are
// case-insensitive; "" otherwise.
std::string scheme_of(std::string_view url) {
  std::string scheme;
  for (std::size_t i = 0; i < url.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(url[i]);
    if (c == ':') return i == 0 ? std::string() : scheme;
    const bool allowed =
        i == 0 ? std::isalpha(c) != 0 : std::isalnum(c) != 0 || c == '+' || c == '-' || c == '.';
    if (!allowed) return std::string();
    scheme += static_cast<char>(std::tolower(c));
  }
  return std::string();
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(std::string_view url) {
  if (url.empty()) return make_error(ErrorCode::kInvalid, "store: empty database URL");
  const std::string scheme = scheme_of(url);
  // Error messages name the scheme only: the rest of a URL may hold a password.
  if (scheme == "sqlite") {
    std::string_view path = url.substr(scheme.size() + 1);
    // "sqlite://data/x.db" would silently mean the absolute path "//data/x.db"
    // and "sqlite:///x.db" is SQLAlchemy's spelling with a different meaning:
    // refuse both rather than guess.
    if (path.starts_with("//")) {
      return make_error(ErrorCode::kInvalid,
                        "store: write sqlite:PATH (e.g. sqlite:data/newsdesk.db), not sqlite://");
    }
    // "sqlite::memory:" leaves ":memory:", which SQLite itself reads as an
    // in-memory database.
    return sqlite::open_sqlite_store(std::string(path));
  }
  if (scheme == "postgres" || scheme == "postgresql") {
    return postgres::open_postgres_store(url);
  }
  if (!scheme.empty() && url.substr(scheme.size() + 1).starts_with("//")) {
    return make_error(ErrorCode::kInvalid, "store: unsupported database URL scheme '" + scheme +
                                               "' (use sqlite:PATH or a file path)");
  }
  // Everything else is a file path, including ones with a ':' such as
  // "backup:2024.db".
  return sqlite::open_sqlite_store(std::string(url));
}

std::string attachment_digest(std::string_view bytes) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(bytes)));
  return hex;
}

std::string redacted_url(std::string_view url) {
  std::string out(url);
  if (const std::size_t authority = out.find("://"); authority != std::string::npos) {
    const std::size_t start = authority + 3;
    const std::size_t end = std::min(out.find_first_of("/?#", start), out.size());
    const std::size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (std::size_t key = out.find("password="); key != std::string::npos;
       key = out.find("password=", key + 1)) {
    const std::size_t value = key + 9;
    const std::size_t end = std::min(out.find('&', value), out.size());
    out.replace(value, end - value, "***");
  }
  return out;
}

}  // namespace newsdesk::store
