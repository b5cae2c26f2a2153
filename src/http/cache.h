// The response cache: rendered pages and feeds kept in memory with their
// gzip and brotli variants, compressed once per change, served with strong
// ETags, Last-Modified, 304s and Cache-Control (Drogon: caching is not the
// handler's job; a handler only states freshness).
//
// Invalidation is by generation: the caller passes the current content
// generation (an integer bumped whenever anything public may have changed);
// an entry rendered for an older generation is rendered again. Concurrent
// requests for the same missing key render once (single flight): the
// others wait for that result.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/body_file.h"
#include "http/server.h"

namespace newsdesk::http {

// What a handler renders for the cache.
struct Rendered {
  beast_http::status status = beast_http::status::ok;
  std::string content_type;  // with charset
  std::string body;
  // Last-Modified (epoch seconds); unset: none is sent and only the ETag
  // validates.
  std::optional<std::int64_t> last_modified;
  // Extra headers sent with every variant (e.g. Link: <hub>; rel="hub").
  std::vector<std::pair<std::string, std::string>> headers;
};

// Response heads serialised for one CachedResponse, made on first use and
// kept with it (see respond_prepared). Thread-safe.
class PreparedHeads {
 public:
  // Variant (encoding x 200 or 304) x presentation (Vary with Accept, shown
  // as XML to a browser).
  static constexpr std::size_t kSlots = 3 * 2 * 2 * 2;
  struct Head {
    int max_age = 0;
    bool immutable = false;
    std::string bytes;
  };
  PreparedHeads() = default;
  ~PreparedHeads();
  PreparedHeads(const PreparedHeads&) = delete;
  PreparedHeads& operator=(const PreparedHeads&) = delete;

  // The head in `slot`, or null.
  const Head* find(std::size_t slot) const { return slots_[slot].load(std::memory_order_acquire); }
  // Keeps `head` in `slot` unless another thread was first; returns the kept one.
  const Head* keep(std::size_t slot, std::unique_ptr<Head> head) const;

 private:
  mutable std::array<std::atomic<const Head*>, kSlots> slots_{};
};

// An immutable cached response: bodies in each encoding, validators.
struct CachedResponse {
  beast_http::status status = beast_http::status::ok;
  std::string content_type;
  std::string identity;  // uncompressed body; empty when identity_file holds it
  // A large uncompressed body (BodyFile::kMinSize and more) lives here
  // instead, sent by sendfile(2); null for smaller ones or when no file
  // could be made.
  std::unique_ptr<const BodyFile> identity_file;
  std::string gzip;    // empty when not worth it (body < 256 bytes or no gain)
  std::string brotli;  // likewise
  // Strong, quoted: "\"<32 hex>\"", two independent 64-bit hashes of status,
  // content type, extra headers and identity body (a changed Link header
  // must change it too, or a 304 would keep the old one in caches). The
  // gzip and brotli variants are sent as "\"<32 hex>-gz\"" and "-br\"".
  std::string etag;
  std::optional<std::int64_t> last_modified;
  std::vector<std::pair<std::string, std::string>> headers;
  std::uint64_t generation = 0;
  // Last-Modified as sent (IMF-fixdate); empty without last_modified.
  std::string last_modified_text;
  PreparedHeads heads;

  // The uncompressed body, wherever it is kept.
  std::string_view identity_bytes() const {
    return identity_file ? identity_file->bytes() : std::string_view(identity);
  }
};

// Builds a CachedResponse: computes the ETag and compresses (gzip level 9
// via zlib, brotli quality 5 via libbrotlienc), once per change and paid by
// the one request that renders it. Quality 11 would save about 12 % more
// but costs 16 ms for a 12 KB page, more than rendering it (cache.cc).
std::shared_ptr<const CachedResponse> make_cached(Rendered rendered, std::uint64_t generation);

struct CachePolicy {
  int max_age = 300;  // Cache-Control: public, max-age=N; 0: no-cache
  // Adds "immutable": the URL's content never changes (fingerprinted assets),
  // so browsers need not revalidate even on reload.
  bool immutable = false;
};

// Answers a GET or HEAD from a cached response: 304 when If-None-Match
// matches (weak comparison, lists and "*", RFC 9110 §13.1.2) or, when
// If-None-Match is absent, If-Modified-Since is not older than
// Last-Modified; otherwise 200 with the best encoding the request's
// Accept-Encoding allows (br over gzip over identity, q=0 honoured), with
// Content-Encoding, Vary: Accept-Encoding, ETag (the same for every
// encoding's variant but suffixed -gz / -br so caches keep them apart),
// Last-Modified (IMF-fixdate) and Cache-Control. Non-200 statuses are
// served without validators or 304.
//
// Details:
// - Accept-Encoding absent: identity. Codings the client did not name are
//   refused ("*" names them all); identity is acceptable unless refused by
//   "identity;q=0" or "*;q=0". Highest q wins, ties br > gzip > identity; when
//   nothing acceptable exists, identity is sent anyway (RFC 9110 §12.5.3).
// - If-None-Match matches the tag of any variant this request accepts (base,
//   -gz, -br), so a client keeping its "...-gz" copy gets a 304 even when it
//   now also accepts br, but never one for a coding it has stopped accepting.
// - A 304 carries the matched variant's ETag (for "*" and If-Modified-Since,
//   the one a 200 would carry), Last-Modified, Cache-Control and Vary; no
//   body, no Content-Type, no extra headers (they are covered by the ETag).
// - Non-200 responses get Cache-Control: no-cache whatever the policy, so a
//   404 does not outlive a publication in browsers.
// - HEAD is answered exactly like GET; the server drops the body.
// REQUIRES: req is a GET or HEAD (other methods get no conditional handling).
Response respond_cached(const Request& req, const CachedResponse& cached,
                        const CachePolicy& policy);

// How a route shows a cached response beyond CachePolicy (routes.cc).
struct Presentation {
  // Vary: "Accept-Encoding, Accept" instead of "Accept-Encoding" (feeds).
  bool vary_accept = false;
  // A 200 goes out as application/xml (a feed opened by a browser).
  bool as_xml = false;
};

// respond_cached for HTTP/1.1, serialised once per variant and kept with
// the entry: the server writes the bytes without building header fields or
// copying the body (a PreparedResponse in the Response's body; its fields
// are empty). The head holds what respond_cached sets, then `presentation`'s
// changes, the security fields of respond::secure_html when the response has
// an HTML Content-Type, Server, X-Content-Type-Options and Content-Length:
// byte for byte what the server makes of the respond_cached answer.
// HTTP/1.0 requests get respond_cached with those fields added as fields.
Response respond_prepared(const Request& req, std::shared_ptr<const CachedResponse> cached,
                          const CachePolicy& policy, Presentation presentation = {});

// Since the cache was made: lookups answered from it (also by waiting for
// another request's render), lookups that rendered, and entries now with
// the bytes they are charged (entry_bytes).
struct CacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::size_t entries = 0;
  std::size_t bytes = 0;
};

// The bounds of a ResponseCache: entries, and bytes as entry_bytes counts
// them. The bytes bound the memory: 4096 entries alone let a crawler of a
// 100k-item site's feed archive pages (about 100 KB each with their gzip and
// brotli copies) keep over 400 MB (bench/RESULTS.md, "100k items: resident
// memory and start-up"). [server] max_cache_bytes sets max_bytes.
inline constexpr std::size_t kDefaultCacheEntries = 4096;
inline constexpr std::size_t kDefaultCacheBytes = 64 * 1024 * 1024;

// What an entry under `key` costs the cache: its key, bodies (in every
// encoding, a file-held one included), header strings, and a fixed
// allowance for the entry's bookkeeping and its prepared heads.
std::size_t entry_bytes(const std::string& key, const CachedResponse& cached);

class ResponseCache {
 public:
  explicit ResponseCache(std::size_t max_entries = kDefaultCacheEntries,
                         std::size_t max_bytes = kDefaultCacheBytes);
  // REQUIRES: no get() in progress.
  ~ResponseCache();
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  // The entry for key at this generation, rendering it with `render` when
  // missing or older. `render` runs without the cache's lock held, at most
  // once at a time per key; when it fails the error is returned to every
  // waiter, nothing is cached and an older entry for the key is dropped
  // (never served again). When the cache is over either bound, the least
  // recently used entries go; an entry larger than the whole byte bound is
  // returned but not kept. An entry of a newer generation than asked for is
  // served; a caller asking for a newer generation than the render in flight
  // waits for it, then renders again. A render started before clear() still stores its
  // result. If `render` throws, the exception reaches this caller and the
  // waiters get kInternal; nothing is cached.
  // REQUIRES: render does not call get() for the same key (it would wait for
  // itself).
  Result<std::shared_ptr<const CachedResponse>> get(
      const std::string& key, std::uint64_t generation,
      const std::function<Result<Rendered>()>& render);

  std::size_t size() const;
  // The entries' entry_bytes, summed.
  std::size_t bytes() const;
  CacheStats stats() const;
  void clear();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsdesk::http
