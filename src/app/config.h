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
