// The configuration file (TOML, every key optional) and the defaults it
// overrides. Command-line flags override the file in app/cli.cc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/site.h"

namespace newsdesk::app {

inline constexpr std::string_view kDefaultDatabaseUrl = "sqlite:newsdesk.db";
inline constexpr std::string_view kDefaultListen = "127.0.0.1:8080";

// Limits of the HTTP server; the defaults are http::ServerOptions's.
struct ServerLimits {
  int max_connections = 1024;
  int header_timeout = 10;  // seconds
  int body_timeout = 30;
  int idle_timeout = 15;
  int shutdown_timeout = 10;
  int max_request_line = 8 * 1024;  // bytes
  int max_header_bytes = 16 * 1024;
  // The largest request body of forms and JSON (every route but uploads).
  int max_body_bytes = 1024 * 1024;
  // The largest file uploaded as an attachment (API and admin); its request
  // may be larger by the multipart framing (http::kMultipartFraming).
  int max_upload_bytes = 20 * 1024 * 1024;
};

struct Config {
  model::Site site;
  std::string listen{kDefaultListen};
  std::string database_url{kDefaultDatabaseUrl};
  int server_threads = 0;  // 0: one per core
  // A theme folder whose files replace the default theme's one by one; a
  // relative path is taken from the configuration file's folder. Empty: the
  // built-in default theme.
  std::string theme_dir;
  // Title prefixes ("Press Release:") that name a category on import.
  std::vector<std::string> category_prefixes;
  // [import] allow_private_addresses: `newsdesk import` may fetch feeds and
  // attachments from loopback, private and link-local addresses.
  bool import_allow_private_addresses = false;
  // [server] limits and timeouts (see http::ServerOptions for each).
  ServerLimits limits;
  // [server] trusted_proxies: peers whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
  // [server] metrics: whether /metrics answers (else it is a 404).
  bool metrics = true;
  // [server] max_cache_bytes: what the response cache may hold, in bytes of
  // bodies (all encodings) and bookkeeping (http::entry_bytes); it also keeps
  // at most 4096 entries. The default is http::kDefaultCacheBytes.
  int max_cache_bytes = 64 * 1024 * 1024;
  // [server] metrics_allow: the client addresses (CIDR networks, see
  // http::AddressFilter) /metrics answers; anyone else gets the site's 404.
  // The client address is the peer's, or X-Forwarded-For's when the peer is
  // a trusted proxy. Empty: nobody.
  std::vector<std::string> metrics_allow{"127.0.0.1/32", "::1/128"};
  // [log] level: "debug", "info", "warn" or "error".
  std::string log_level = "info";
  // [log] access: "off", "stderr" or a file path (relative to the
  // configuration file's folder); format: "text" or "json".
  std::string access_log = "off";
  std::string access_log_format = "text";
};

// Parses TOML text. source_name appears in error messages.
// Errors: kInvalid with the file, line and what is wrong.
Result<Config> parse_config(std::string_view toml_text, std::string_view source_name);

// Reads and parses a file. Errors: kNotFound when it cannot be read, kInvalid.
Result<Config> load_config(const std::string& path);

// Splits "HOST:PORT" ("[::1]:8080" for IPv6). Errors: kInvalid.
struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};
Result<ListenAddress> parse_listen(std::string_view listen);

}  // namespace newsdesk::app
