#include "feed/fetch/fetcher.h"

#include <curl/curl.h>
#include <sys/socket.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>

#include "feed/fetch/address_policy.h"

namespace newsdesk::feed {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct ConverterDeleter {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// What the header and write callbacks see of the response being received.
// With redirects followed, curl calls the header callback for every response;
// a status line starts a new one, so only the last response's headers count.
struct Transfer {
  std::size_t max_bytes = 0;
  long status = 0;
  Validators validators;
  std::string content_type;
  std::string body;
  bool too_large = false;
  bool allow_private_addresses = false;
  const std::vector<std::string>* allowed_addresses = nullptr;
  // The first address refused by open_socket, and why; empty: none.
  std::string refused_address;
  AddressClass refused_class = AddressClass::kPublic;
};

void start_response(Transfer& t, std::string_view status_line) {
  t.validators = {};
  t.content_type.clear();
  t.body.clear();
  t.status = 0;
  // "HTTP/1.1 200 OK", "HTTP/2 304"
  const auto space = status_line.find(' ');
  if (space == std::string_view::npos) return;
  const auto code = trim(status_line.substr(space + 1));
  std::from_chars(code.data(), code.data() + code.size(), t.status);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  if (starts_with_nocase(line, "HTTP/")) {
    start_response(t, line);
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  const auto name = trim(line.substr(0, colon));
  const auto value = trim(line.substr(colon + 1));
  if (iequals(name, "etag")) {
    t.validators.etag = value;
  } else if (iequals(name, "last-modified")) {
    t.validators.last_modified = value;
  } else if (iequals(name, "content-type")) {
    t.content_type = value;
  } else if (iequals(name, "content-length") && t.status >= 200 && t.status < 300) {
    // Refuse before the first body byte when the server announces too much.
    // With a Content-Encoding this is the compressed size, which on_body
    // checks again once decoded.
    std::uint64_t length = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec == std::errc() && end == value.data() + value.size() && length > t.max_bytes) {
      t.too_large = true;
      return 0;  // aborts the transfer: CURLE_WRITE_ERROR
    }
  }
  return n;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const size_t n = size * count;
  // Counted after decoding: a small gzip or br bomb stops here too.
  if (n > t.max_bytes - t.body.size()) {
    t.too_large = true;
    return 0;
  }
  t.body.append(data, n);
  return n;
}

// curl asks here for the socket of every connection it makes, with the
// address it resolved: the one place that sees what is really connected to
// (after DNS, for each redirect, for each address of a host in turn).
curl_socket_t open_socket(void* user, curlsocktype /*purpose*/, curl_sockaddr* address) {
  auto& t = *static_cast<Transfer*>(user);
  const auto* addr = reinterpret_cast<const sockaddr*>(&address->addr);
  if (!t.allow_private_addresses) {
    const AddressClass c = classify_address(addr, address->addrlen);
    if (c != AddressClass::kPublic) {
      std::string text = address_text(addr, address->addrlen);
      const auto& allowed = *t.allowed_addresses;
      if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
        if (t.refused_address.empty()) {
          t.refused_address = std::move(text);
          t.refused_class = c;
        }
        return CURL_SOCKET_BAD;  // curl tries the host's next address, if any
      }
    }
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// A stored validator goes back verbatim into a request header: never let a
// line break in it add headers of its own.
bool header_safe(std::string_view value) {
  return !value.empty() && value.find_first_of("\r\n") == std::string_view::npos;
}

Error curl_failure(CURLcode rc, const char* detail, const std::string& url, const Transfer& t) {
  const std::string message = detail[0] != '\0' ? detail : curl_easy_strerror(rc);
  if (t.too_large) {
    return make_error(ErrorCode::kInvalid,
                      "fetch: " + url + ": larger than " + std::to_string(t.max_bytes) + " bytes");
  }
  if (!t.refused_address.empty() && rc == CURLE_COULDNT_CONNECT) {
    const std::string_view name = address_class_name(t.refused_class);
    const bool vowel = std::string_view("aeiou").find(name.front()) != std::string_view::npos;
    return make_error(ErrorCode::kInvalid,
                      "fetch: " + url + ": refused to connect to " + t.refused_address +
                          (vowel ? ", an " : ", a ") + std::string(name) +
                          " address (only public addresses are fetched unless private ones are "
                          "allowed: newsdesk import --allow-private-addresses)");
  }
  if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
    // The URL itself was checked: this is a redirect to another scheme.
    return make_error(ErrorCode::kInvalid,
                      "fetch: " + url + ": redirect to a non-http(s) URL refused: " + message);
  }
  return make_error(ErrorCode::kUnavailable, "fetch: " + url + ": " + message);
}

// ICU's default substitution writes U+001A (SUB) instead of U+FFFD for
// converters with a one-byte substitution character (several IBM code pages),
// and U+001A is not allowed in XML: always write U+FFFD.
void substitute_replacement_char(const void* /*context*/, UConverterToUnicodeArgs* args,
                                 const char* /*bytes*/, int32_t /*length*/,
                                 UConverterCallbackReason reason, UErrorCode* err) {
  if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL && reason != UCNV_IRREGULAR) return;
  static const UChar kReplacement = 0xFFFD;
  *err = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

bool names_utf8(std::string_view label) {
  return label == "utf-8" || label == "utf8" || label == "unicode-1-1-utf-8";
}

// WHATWG Encoding Standard labels of windows-1252: what servers saying
// latin-1 or ASCII actually send.
bool names_windows_1252(std::string_view label) {
  static constexpr std::array<std::string_view, 17> kLabels = {
      "ansi_x3.4-1968", "ascii",           "cp1252",     "cp819",     "csisolatin1",
      "ibm819",         "iso-8859-1",      "iso-ir-100", "iso8859-1", "iso88591",
      "iso_8859-1",     "iso_8859-1:1987", "l1",         "latin1",    "us-ascii",
      "windows-1252",   "x-cp1252"};
  return std::find(kLabels.begin(), kLabels.end(), label) != kLabels.end();
}

bool starts_with_bom(std::string_view body) {
  return body.starts_with("\xEF\xBB\xBF") || body.starts_with("\xFE\xFF") ||
         body.starts_with("\xFF\xFE") || body.starts_with(std::string_view("\0\0\xFE\xFF", 4));
}

// "<?xml" in UTF-16 without a BOM: libxml2 recognises these four bytes itself.
bool starts_utf16_xml(std::string_view body) {
  return body.starts_with(std::string_view("<\0?\0", 4)) ||
         body.starts_with(std::string_view("\0<\0?", 4));
}

bool declares_encoding(std::string_view body) {
  const auto start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || body.substr(start, 5) != "<?xml") return false;
  const auto decl = body.substr(start, body.find("?>", start) - start);  // to the end if unclosed
  return decl.find("encoding") != std::string_view::npos;
}

}  // namespace

std::string charset_of(std::string_view content_type) {
  // type/subtype *( ";" name "=" ( token / quoted-string ) ), RFC 9110 §8.3.1
  std::size_t pos = content_type.find(';');
  while (pos != std::string_view::npos) {
    ++pos;
    const auto eq = content_type.find('=', pos);
    if (eq == std::string_view::npos) return "";
    const auto name = trim(content_type.substr(pos, eq - pos));
    std::string value;
    std::size_t next = eq + 1;
    while (next < content_type.size() && (content_type[next] == ' ' || content_type[next] == '\t'))
      ++next;
    if (next < content_type.size() && content_type[next] == '"') {
      for (++next; next < content_type.size() && content_type[next] != '"'; ++next) {
        if (content_type[next] == '\\' && next + 1 < content_type.size()) ++next;
        value += content_type[next];
      }
      pos = content_type.find(';', next);
    } else {
      pos = content_type.find(';', next);
      value = trim(content_type.substr(next, pos == std::string_view::npos ? pos : pos - next));
    }
    if (iequals(name, "charset")) return lower(trim(value));
  }
  return "";
}

Result<std::string> to_utf8(std::string_view body, std::string_view charset) {
  std::string label = lower(trim(charset));
  if (label.empty() || names_utf8(label) || starts_with_bom(body) || starts_utf16_xml(body) ||
      declares_encoding(body)) {
    return std::string(body);
  }
  if (names_windows_1252(label)) label = "windows-1252";
  if (body.size() > static_cast<std::size_t>(INT32_MAX)) {
    return make_error(ErrorCode::kInvalid, "fetch: body too large to convert");
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterDeleter> converter(ucnv_open(label.c_str(), &status));
  if (U_FAILURE(status) || !converter) {
    return make_error(ErrorCode::kInvalid, "fetch: unknown charset \"" + label + "\"");
  }
  ucnv_setToUCallBack(converter.get(), substitute_replacement_char, nullptr, nullptr, nullptr,
                      &status);
  const icu::UnicodeString text(body.data(), static_cast<int32_t>(body.size()), converter.get(),
                                status);
  if (U_FAILURE(status)) {
    return make_error(ErrorCode::kInvalid,
                      "fetch: cannot convert from \"" + label + "\": " + u_errorName(status));
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

Result<FetchResult> fetch_feed(const std::string& url, const Validators& previous,
                               const FetchOptions& options) {
  if (!starts_with_nocase(url, "http://") && !starts_with_nocase(url, "https://")) {
    return make_error(ErrorCode::kInvalid, "fetch: only http and https URLs: " + url);
  }
  global_init();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return make_error(ErrorCode::kInternal, "fetch: curl_easy_init failed");

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  const auto add_header = [&headers](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown != nullptr) {
      (void)headers.release();  // grown is the same list, one node longer
      headers.reset(grown);
    }
  };
  add_header(
      "Accept: application/rss+xml, application/atom+xml, application/feed+json, "
      "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8");
  if (header_safe(previous.etag)) add_header("If-None-Match: " + previous.etag);
  if (header_safe(previous.last_modified)) {
    add_header("If-Modified-Since: " + previous.last_modified);
  }

  Transfer transfer;
  transfer.max_bytes = options.max_bytes;
  transfer.allow_private_addresses = options.allow_private_addresses;
  transfer.allowed_addresses = &options.allowed_addresses;
  std::array<char, CURL_ERROR_SIZE> detail{};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::chrono::milliseconds(options.connect_timeout).count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::chrono::milliseconds(options.total_timeout).count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // every decoder built in: gzip, br, zstd
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail.data());
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &transfer);

  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) return curl_failure(rc, detail.data(), url, transfer);

  FetchResult result;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &result.status);
  char* effective = nullptr;
  curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective);
  result.final_url = effective != nullptr ? effective : url;

  if (result.status == 304) {
    result.not_modified = true;
    result.validators = previous;
    if (!transfer.validators.etag.empty()) result.validators.etag = transfer.validators.etag;
    if (!transfer.validators.last_modified.empty()) {
      result.validators.last_modified = transfer.validators.last_modified;
    }
    return result;
  }
  if (result.status < 200 || result.status >= 300) {
    // 3xx here: a redirect without a Location curl could follow.
    const ErrorCode code = result.status == 404 || result.status == 410 ? ErrorCode::kNotFound
                                                                        : ErrorCode::kUnavailable;
    return make_error(code, "fetch: " + url + " answered " + std::to_string(result.status));
  }
  result.body = std::move(transfer.body);
  result.content_type = std::move(transfer.content_type);
  result.charset = charset_of(result.content_type);
  result.validators = std::move(transfer.validators);
  return result;
}

}  // namespace newsdesk::feed
