#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/address_filter.h"
#include "model/languages.h"
#include "model/permalink.h"
#include "text/date.h"

namespace newsdesk::app {

namespace {

Error invalid(std::string_view source, std::string_view what) {
  return make_error(ErrorCode::kInvalid,
                    "config: " + std::string(source) + ": " + std::string(what));
}

// Reads an optional string key; a present key of another type is an error.
Result<void> read_string(const toml::table& table, std::string_view key, std::string_view source,
                         std::string& out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return {};
  const auto* value = node->as_string();
  if (value == nullptr) return invalid(source, std::string(key) + " must be a string");
  out = value->get();
  return {};
}

Result<void> read_int(const toml::table& table, std::string_view key, std::string_view source,
                      int low, int high, int& out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return {};
  const auto* value = node->as_integer();
  if (value == nullptr || value->get() < low || value->get() > high) {
    return invalid(source, std::string(key) + " must be an integer from " + std::to_string(low) +
                               " to " + std::to_string(high));
  }
  out = static_cast<int>(value->get());
  return {};
}

Result<void> read_bool(const toml::table& table, std::string_view key, std::string_view source,
                       bool& out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return {};
  const auto* value = node->as_boolean();
  if (value == nullptr) return invalid(source, std::string(key) + " must be true or false");
  out = value->get();
  return {};
}

Result<void> read_strings(const toml::table& table, std::string_view key, std::string_view source,
                          std::vector<std::string>& out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return {};
  const auto* array = node->as_array();
  if (array == nullptr) return invalid(source, std::string(key) + " must be an array of strings");
  out.clear();
  for (const toml::node& element : *array) {
    const auto* value = element.as_string();
    if (value == nullptr) return invalid(source, std::string(key) + " must be an array of strings");
    out.push_back(value->get());
  }
  return {};
}

using StringKeys = std::initializer_list<std::pair<std::string_view, std::string*>>;

const toml::table* section(const toml::table& root, std::string_view name) {
  const toml::node* node = root.get(name);
  return node == nullptr ? nullptr : node->as_table();
}

// The default language, the further ones, and the prefixes of those:
// tags in their usual case, each served once, every prefix its own path.
Result<void> read_languages(const toml::table& t, std::string_view src, model::Site& site) {
  const std::string language = model::canonical_language(site.language);
  if (language.empty())
    return invalid(src, "site.language: '" + site.language + "' is no BCP 47 tag");
  site.language = language;
  std::vector<std::string> others;
  for (const std::string& l : site.languages) {
    const std::string tag = model::canonical_language(l);
    if (tag.empty()) return invalid(src, "site.languages: '" + l + "' is no BCP 47 tag");
    if (tag != site.language && std::find(others.begin(), others.end(), tag) == others.end()) {
      others.push_back(tag);
    }
  }
  site.languages = std::move(others);
  site.language_prefixes.clear();
  if (const toml::node* node = t.get("language_prefixes"); node != nullptr) {
    const toml::table* prefixes = node->as_table();
    if (prefixes == nullptr) return invalid(src, "site.language_prefixes must be a table");
    for (const auto& [key, value] : *prefixes) {
      const std::string tag = model::canonical_language(key.str());
      const auto* path = value.as_string();
      if (tag.empty() ||
          std::find(site.languages.begin(), site.languages.end(), tag) == site.languages.end()) {
        return invalid(src, "site.language_prefixes: '" + std::string(key.str()) +
                                "' is not one of site.languages");
      }
      const std::string p = path == nullptr ? "" : path->get();
      if (p.size() < 3 || p.front() != '/' || p.back() != '/' ||
          p.find_first_of("?#{} ") != std::string::npos || p.find("//") != std::string::npos) {
        return invalid(src,
                       "site.language_prefixes." + tag + " must be a path like \"/" + tag + "/\"");
      }
      site.language_prefixes[tag] = p;
    }
  }
  std::vector<std::string> seen;
  for (const std::string& l : site.languages) {
    const std::string prefix = model::language_prefix(site, l);
    for (const std::string& other : seen) {
      if (prefix.starts_with(other + "/") || other.starts_with(prefix + "/") || prefix == other) {
        return invalid(src,
                       "site.languages: the prefixes " + other + "/ and " + prefix + "/ overlap");
      }
    }
    static constexpr std::string_view kTaken[] = {"/news",    "/category", "/archive", "/search",
                                                  "/files",   "/static",   "/admin",   "/api",
                                                  "/preview", "/press",    "/healthz", "/metrics"};
    for (std::string_view taken : kTaken) {
      if (prefix == taken) {
        return invalid(src, "site.languages: the prefix " + prefix + "/ is a path of the site");
      }
    }
    seen.push_back(prefix);
  }
  return {};
}

Result<void> read_site(const toml::table& t, std::string_view src, model::Site& site) {
  for (auto [key, out] : StringKeys{{"title", &site.title},
                                    {"description", &site.description},
                                    {"base_url", &site.base_url},
                                    {"language", &site.language},
                                    {"time_zone", &site.time_zone}}) {
    if (auto r = read_string(t, key, src, *out); !r) return r;
  }
  if (auto r = read_strings(t, "languages", src, site.languages); !r) return r;
  if (auto r = read_languages(t, src, site); !r) return r;
  if (auto r = read_bool(t, "unicode_slugs", src, site.unicode_slugs); !r) return r;
  if (auto r = read_int(t, "page_items", src, 1, 100, site.page_items); !r) return r;
  if (auto r = read_int(t, "sitemap_urls", src, 1, 50000, site.sitemap_urls); !r) return r;
  if (!site.base_url.starts_with("http://") && !site.base_url.starts_with("https://")) {
    return invalid(src, "site.base_url must be an absolute http(s) URL");
  }
  if (!site.base_url.ends_with("/")) site.base_url += '/';
  if (auto offset = text::utc_offset_minutes(site.time_zone, 0); !offset) {
    return invalid(src, "site.time_zone: unknown time zone '" + site.time_zone + "'");
  }
  if (const toml::node* node = t.get("image"); node != nullptr) {
    const toml::table* image = node->as_table();
    if (image == nullptr) return invalid(src, "site.image must be a table");
    model::SiteImage img;
    for (auto [key, out] :
         StringKeys{{"url", &img.url}, {"title", &img.title}, {"link", &img.link}}) {
      if (auto r = read_string(*image, key, src, *out); !r) return r;
    }
    if (auto r = read_int(*image, "width", src, 0, 144, img.width); !r) return r;
    if (auto r = read_int(*image, "height", src, 0, 400, img.height); !r) return r;
    if (img.url.empty()) return invalid(src, "site.image.url is required");
    if (img.title.empty()) img.title = site.title;
    if (img.link.empty()) img.link = site.base_url;
    site.image = img;
  }
  return {};
}

Result<void> read_server_limits(const toml::table& t, std::string_view src, Config& config) {
  ServerLimits& l = config.limits;
  struct IntKey {
    std::string_view key;
    int low;
    int high;
    int* out;
  };
  for (const IntKey& k : {IntKey{"max_connections", 1, 1000000, &l.max_connections},
                          IntKey{"header_timeout", 1, 3600, &l.header_timeout},
                          IntKey{"body_timeout", 1, 86400, &l.body_timeout},
                          IntKey{"idle_timeout", 1, 3600, &l.idle_timeout},
                          IntKey{"shutdown_timeout", 0, 3600, &l.shutdown_timeout},
                          IntKey{"max_request_line", 256, 1 << 20, &l.max_request_line},
                          IntKey{"max_header_bytes", 1024, 1 << 20, &l.max_header_bytes},
                          IntKey{"max_body_bytes", 1024, 64 << 20, &l.max_body_bytes},
                          IntKey{"max_upload_bytes", 1024, 1 << 30, &l.max_upload_bytes},
                          IntKey{"max_cache_bytes", 1 << 20, 1 << 30, &config.max_cache_bytes}}) {
    if (auto r = read_int(t, k.key, src, k.low, k.high, *k.out); !r) return r;
  }
  if (auto r = read_strings(t, "trusted_proxies", src, config.trusted_proxies); !r) return r;
  if (auto r = read_strings(t, "metrics_allow", src, config.metrics_allow); !r) return r;
  if (auto r = http::AddressFilter::parse(config.metrics_allow); !r) {
    return invalid(src, "metrics_allow: " + r.error().message);
  }
  return read_bool(t, "metrics", src, config.metrics);
}

Result<void> read_log(const toml::table& t, std::string_view src, Config& config) {
  if (auto r = read_string(t, "level", src, config.log_level); !r) return r;
  if (config.log_level != "debug" && config.log_level != "info" && config.log_level != "warn" &&
      config.log_level != "error") {
    return invalid(src, "log.level must be \"debug\", \"info\", \"warn\" or \"error\"");
  }
  if (auto r = read_string(t, "access", src, config.access_log); !r) return r;
  if (config.access_log.empty()) {
    return invalid(src, "log.access must be \"off\", \"stderr\" or a file path");
  }
  if (auto r = read_string(t, "format", src, config.access_log_format); !r) return r;
  if (config.access_log_format != "text" && config.access_log_format != "json") {
    return invalid(src, "log.format must be \"text\" or \"json\"");
  }
  return {};
}

}  // namespace

Result<Config> parse_config(std::string_view toml_text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << "line " << e.source().begin.line << ": " << e.description();
    return invalid(source_name, where.str());
  }
  static constexpr std::string_view kSections[] = {"site",     "permalinks", "feeds", "server",
                                                   "database", "import",     "log"};
  for (const auto& [key, node] : root) {
    bool known = false;
    for (std::string_view s : kSections) known = known || key.str() == s;
    if (!known) return invalid(source_name, "unknown section [" + std::string(key.str()) + "]");
  }

  Config config;
  if (const toml::table* t = section(root, "site")) {
    if (auto r = read_site(*t, source_name, config.site); !r) return r.error();
    if (auto r = read_string(*t, "theme", source_name, config.theme_dir); !r) return r.error();
  }
  if (const toml::table* t = section(root, "permalinks")) {
    if (auto r = read_string(*t, "news", source_name, config.site.news_permalink); !r) {
      return r.error();
    }
    if (!model::is_valid_permalink_pattern(config.site.news_permalink)) {
      return invalid(source_name, "permalinks.news must start with '/' and hold {slug} once: '" +
                                      config.site.news_permalink + "'");
    }
  }
  if (const toml::table* t = section(root, "feeds")) {
    if (auto r = read_int(*t, "items", source_name, 1, 1000, config.site.feed_items); !r) {
      return r.error();
    }
    if (auto r = read_bool(*t, "full_text", source_name, config.site.feed_full_text); !r) {
      return r.error();
    }
    if (auto r = read_bool(*t, "stylesheet", source_name, config.site.feed_stylesheet); !r) {
      return r.error();
    }
    if (auto r = read_int(*t, "max_age", source_name, 0, 86400, config.site.feed_max_age); !r) {
      return r.error();
    }
    if (auto r = read_string(*t, "websub_hub", source_name, config.site.websub_hub); !r) {
      return r.error();
    }
    const std::string& hub = config.site.websub_hub;
    if (!hub.empty() && !hub.starts_with("http://") && !hub.starts_with("https://")) {
      return invalid(source_name, "feeds.websub_hub must be an absolute http(s) URL");
    }
  }
  if (const toml::table* t = section(root, "server")) {
    if (auto r = read_string(*t, "listen", source_name, config.listen); !r) return r.error();
    if (auto r = parse_listen(config.listen); !r) return invalid(source_name, r.error().message);
    if (auto r = read_int(*t, "threads", source_name, 0, 256, config.server_threads); !r) {
      return r.error();
    }
    if (auto r = read_server_limits(*t, source_name, config); !r) return r.error();
  }
  if (const toml::table* t = section(root, "log")) {
    if (auto r = read_log(*t, source_name, config); !r) return r.error();
  }
  if (const toml::table* t = section(root, "database")) {
    if (auto r = read_string(*t, "url", source_name, config.database_url); !r) return r.error();
  }
  if (const toml::table* t = section(root, "import")) {
    if (auto r = read_strings(*t, "category_prefixes", source_name, config.category_prefixes); !r) {
      return r.error();
    }
    if (auto r = read_bool(*t, "allow_private_addresses", source_name,
                           config.import_allow_private_addresses);
        !r) {
      return r.error();
    }
  }
  return config;
}

Result<Config> load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, "config: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto config = parse_config(text.str(), path);
  if (config && config->access_log != "off" && config->access_log != "stderr" &&
      !config->access_log.starts_with("/")) {
    config->access_log = (std::filesystem::path(path).parent_path() / config->access_log)
                             .lexically_normal()
                             .string();
  }
  if (config && !config->theme_dir.empty() && !config->theme_dir.starts_with("/")) {
    config->theme_dir =
        (std::filesystem::path(path).parent_path() / config->theme_dir).lexically_normal().string();
  }
  return config;
}

Result<ListenAddress> parse_listen(std::string_view listen) {
  ListenAddress out;
  std::string_view port_text;
  if (listen.starts_with("[")) {
    const auto close = listen.find("]:");
    if (close == std::string_view::npos) {
      return make_error(ErrorCode::kInvalid, "listen address must be HOST:PORT");
    }
    out.host = std::string(listen.substr(1, close - 1));
    port_text = listen.substr(close + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return make_error(ErrorCode::kInvalid, "listen address must be HOST:PORT");
    }
    out.host = std::string(listen.substr(0, colon));
    port_text = listen.substr(colon + 1);
  }
  unsigned int port = 0;
  const auto [ptr, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535) {
    return make_error(ErrorCode::kInvalid,
                      "listen address has a bad port: '" + std::string(port_text) + "'");
  }
  out.port = static_cast<unsigned short>(port);
  return out;
}

}  // namespace newsdesk::app
