// Reading request targets: the path, and parameters of the query string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace newsdesk::http {

// The path without query or fragment: "/search?q=x" -> "/search".
std::string_view path_of(std::string_view target);

// The first value of a query parameter, percent-decoded, '+' read as a
// space (HTML forms send it so); nullopt when absent. Malformed escapes
// ("%zz", a lone '%') are kept as they are; a decoded NUL is dropped.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

// "N" in a path segment: a positive decimal without sign or leading zero,
// at most 9 digits; nullopt otherwise.
std::optional<int> parse_page_number(std::string_view digits);

}  // namespace newsdesk::http
