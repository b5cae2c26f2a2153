// Fetches a feed over HTTP(S) with libcurl, conditionally, within bounds:
// http and https only (redirects included), public addresses only unless
// allowed (address_policy.h), a bounded number of redirects,
// connect and total timeouts, a size limit on the decoded body, a User-Agent,
// and If-None-Match / If-Modified-Since from the validators remembered for
// the source. Then, because servers label and feeds declare their encoding
// independently, to_utf8() decides which one to believe.
//
// Thread-safety: fetch_feed() is safe to call from several threads at once
// (one curl easy handle per call; curl_global_init runs once).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace newsdesk::feed {

struct FetchOptions {
  int max_redirects = 5;  // 0: a redirect is an error
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds total_timeout{60};  // the whole transfer, redirects included
  std::size_t max_bytes = 64u << 20;       // of the body after Content-Encoding is undone
  std::string user_agent = "newsdesk/" NEWSDESK_VERSION;
  // false: connecting to a loopback, private, link-local, unspecified,
  // multicast or reserved address (IPv4-mapped forms included) is refused,
  // judged on the address curl connects to, after DNS and for every
  // redirect (address_policy.h). With a proxy (http_proxy and friends),
  // that is the proxy's address. true: for intranet sources and tests.
  bool allow_private_addresses = false;
  // Addresses allowed even though not public, exactly as written by
  // inet_ntop ("10.1.2.3", "fd00::7"): one intranet host, not all of them.
  std::vector<std::string> allowed_addresses;
};

// HTTP validators exactly as the server sent them (ETag with its quotes and
// W/ prefix; Last-Modified as an HTTP date). Empty: none. The caller stores
// them per source and passes them back on the next fetch.
struct Validators {
  std::string etag;
  std::string last_modified;
};

struct FetchResult {
  // 304: the feed is unchanged since `previous`; body is empty.
  bool not_modified = false;
  std::string body;          // as received, Content-Encoding (gzip, br...) undone
  std::string final_url;     // after redirects: the base for relative links
  std::string content_type;  // the Content-Type header as sent, "" if none
  std::string charset;       // charset_of(content_type)
  // 2xx: the validators of this response (empty fields if the server sent
  // none). 304: each field the server re-sent, else the previous one.
  Validators validators;
  long status = 0;  // the final HTTP status: 2xx or 304
};

// GETs `url`, following at most options.max_redirects redirects, each to
// http or https only. Sends If-None-Match / If-Modified-Since from
// `previous` (fields containing CR or LF are dropped, not sent).
// Errors:
//   kInvalid      "fetch: only http and https URLs: ..." for any other scheme;
//                 "fetch: <url>: larger than N bytes" when the body (its
//                 Content-Length, or the bytes decoded so far) exceeds
//                 options.max_bytes — the transfer stops there;
//                 a redirect to another scheme (file:, ftp:...) is refused;
//                 "fetch: <url>: refused to connect to 127.0.0.1, a loopback
//                 address ..." when every address the host (or a redirect)
//                 resolved to is one options.allow_private_addresses would
//                 have to allow.
//   kNotFound     "fetch: <url> answered 404" for 404 and 410: the feed is
//                 gone, which a scheduler may treat differently from a
//                 passing failure.
//   kUnavailable  "fetch: <url> answered 503" for any other status that is
//                 neither 2xx nor 304; network errors, timeouts and too many
//                 redirects with curl's message.
//   kInternal     "fetch: curl_easy_init failed".
// Error messages contain the URL as given: do not pass URLs with credentials
// in them if errors are logged.
Result<FetchResult> fetch_feed(const std::string& url, const Validators& previous,
                               const FetchOptions& options = {});

// The charset parameter of a Content-Type value, unquoted and lower-cased:
// `text/xml; Charset="ISO-8859-1"` -> "iso-8859-1". "" if there is none.
std::string charset_of(std::string_view content_type);

// Converts a fetched body to UTF-8 when the HTTP charset is the only word on
// its encoding, replacing bytes invalid in that charset with U+FFFD.
// The body is returned unchanged when:
//   - charset is empty, or names UTF-8;
//   - the body starts with a byte order mark (UTF-8, UTF-16 or UTF-32): a BOM
//     cannot be mislabelled, and the parser reads it;
//   - the body is XML whose declaration names an encoding: libxml2 honours
//     the declaration itself.
// That last rule departs from RFC 7303 §3, where the charset parameter beats
// the XML declaration. We chose the declaration because in the wild servers
// mislabel feeds (a default "text/xml; charset=iso-8859-1" or "utf-8" from a
// web server config) far more often than a feed misdeclares itself: the
// feed's author or generator wrote the declaration together with the bytes,
// while the server's label is often a site-wide default.
// So the charset converts JSON bodies and XML bodies without an encoding in
// their declaration (or without a declaration), which libxml2 would
// otherwise take for UTF-8.
// Labels follow the WHATWG Encoding Standard where it matters: us-ascii,
// iso-8859-1 and latin1 are decoded as windows-1252, a superset whose bytes
// 0x80-0x9F (curly quotes, dashes, the euro) servers mean when they say
// latin-1.
// Errors: kInvalid "fetch: unknown charset ..." when ICU knows no such
// charset; a caller may then fall back to the body as it is.
Result<std::string> to_utf8(std::string_view body, std::string_view charset);

}  // namespace newsdesk::feed
