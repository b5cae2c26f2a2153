#include "http/cache.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <condition_variable>
#include <iterator>
#include <list>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "core/ids.h"
#include "text/date.h"

namespace newsdesk::http {

namespace {

// Variants below this size cost more in CPU and header bytes than they save.
constexpr std::size_t kMinCompressSize = 256;

// --- ETag -------------------------------------------------------------------

// A second 64-bit hash, unrelated to FNV-1a, so that the ETag carries 128
// bits from two independent functions (no SHA-1 needed: bodies are ours, the
// threat is accidental collision, not forgery). Word-wise with MurmurHash3's
// finalizer; bytes are assembled little-endian by hand so the value does not
// depend on the host.
class MixHash {
 public:
  void add(std::string_view data) {
    for (unsigned char c : data) {
      word_ |= static_cast<std::uint64_t>(c) << (8 * filled_);
      if (++filled_ == 8) flush();
    }
    length_ += data.size();
  }
  std::uint64_t finish() {
    if (filled_ > 0) flush();
    return fmix64(state_ ^ length_);
  }

 private:
  static std::uint64_t fmix64(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
  }
  void flush() {
    state_ = (state_ ^ fmix64(word_ + 0x9e3779b97f4a7c15ULL)) * 0x87c37b91114253d5ULL;
    state_ = (state_ << 31) | (state_ >> 33);
    word_ = 0;
    filled_ = 0;
  }

  std::uint64_t state_ = 0x52dce729da3ed7b5ULL;
  std::uint64_t word_ = 0;
  int filled_ = 0;
  std::uint64_t length_ = 0;
};

void append_hex64(std::string& out, std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out += kDigits[(v >> shift) & 0xf];
}

// The ETag covers everything a 304 tells a cache to keep using: status,
// content type, extra headers and body. Last-Modified is left out: it is a
// validator itself and every 304 carries it.
std::string compute_etag(const Rendered& r) {
  MixHash mix;
  mix.add(std::to_string(static_cast<unsigned>(r.status)));
  mix.add("\n");
  mix.add(r.content_type);
  mix.add("\n");
  for (const auto& [name, value] : r.headers) {
    mix.add(name);
    mix.add(":");
    mix.add(value);
    mix.add("\n");
  }
  mix.add("\n");
  mix.add(r.body);
  std::string etag = "\"";
  append_hex64(etag, fnv1a64(r.body));
  append_hex64(etag, mix.finish());
  etag += '"';
  return etag;
}

// --- Compression ------------------------------------------------------------

// gzip member (RFC 1952) via zlib; empty on failure.
std::string gzip_compress(std::string_view in) {
  if (in.size() > UINT_MAX) return {};  // zlib's avail_in is a uInt
  z_stream zs{};
  // windowBits 15 + 16 asks zlib for the gzip wrapper instead of zlib's own.
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, MAX_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  // deflateBound guarantees one Z_FINISH call completes the stream.
  const int rc = deflate(&zs, Z_FINISH);
  const std::size_t written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return {};
  out.resize(written);
  return out;
}

bool is_textual(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.find("xml") != content_type.npos ||
         content_type.find("json") != content_type.npos ||
         content_type.find("javascript") != content_type.npos;
}

// Brotli (RFC 7932) via libbrotlienc; empty on failure.
std::string brotli_compress(std::string_view in, std::string_view content_type) {
  const std::size_t bound = BrotliEncoderMaxCompressedSize(in.size());
  if (bound == 0) return {};
  std::string out(bound, '\0');
  std::size_t size = out.size();
  const BrotliEncoderMode mode = is_textual(content_type) ? BROTLI_MODE_TEXT : BROTLI_MODE_GENERIC;
  if (BrotliEncoderCompress(11, 22, mode, in.size(),
                            reinterpret_cast<const std::uint8_t*>(in.data()), &size,
                            reinterpret_cast<std::uint8_t*>(out.data())) != BROTLI_TRUE) {
    return {};
  }
  out.resize(size);
  return out;
}

// --- Content negotiation ----------------------------------------------------

enum class Encoding { kBrotli, kGzip, kIdentity };

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Splits on commas; empty members (RFC 9110 §5.6.1 allows "a, , b") are dropped.
std::vector<std::string_view> split_list(std::string_view s) {
  std::vector<std::string_view> parts;
  while (!s.empty()) {
    const std::size_t comma = s.find(',');
    const std::string_view part = trim(s.substr(0, comma));
    if (!part.empty()) parts.push_back(part);
    if (comma == s.npos) break;
    s.remove_prefix(comma + 1);
  }
  return parts;
}

// A qvalue (RFC 9110 §12.4.2) in thousandths; nullopt when malformed.
std::optional<int> parse_qvalue(std::string_view s) {
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  int q = (s[0] - '0') * 1000;
  if (s.size() == 1) return q;
  if (s[1] != '.' || s.size() > 5) return std::nullopt;
  int scale = 100;
  for (char c : s.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    q += (c - '0') * scale;
    scale /= 10;
  }
  return q > 1000 ? std::nullopt : std::optional<int>(q);
}

// The client's Accept-Encoding, reduced to what we can serve. RFC 9110 §12.5.3.
class AcceptedEncodings {
 public:
  explicit AcceptedEncodings(const Request& req) {
    auto [begin, end] = req.equal_range(beast_http::field::accept_encoding);
    if (begin == end) return;  // absent: we serve identity (see q())
    present_ = true;
    for (auto it = begin; it != end; ++it) {
      for (std::string_view member : split_list(it->value())) {
        const std::size_t semi = member.find(';');
        const std::string_view coding = trim(member.substr(0, semi));
        int q = 1000;
        bool valid = true;
        std::string_view params = semi == member.npos ? "" : member.substr(semi + 1);
        while (!params.empty()) {
          const std::size_t next = params.find(';');
          const std::string_view param = trim(params.substr(0, next));
          const std::size_t eq = param.find('=');
          if (eq != param.npos && iequals(trim(param.substr(0, eq)), "q")) {
            const auto parsed = parse_qvalue(trim(param.substr(eq + 1)));
            if (parsed) q = *parsed;
            valid = parsed.has_value();
          }
          if (next == params.npos) break;
          params.remove_prefix(next + 1);
        }
        if (!valid) continue;  // a member we cannot read says nothing
        if (iequals(coding, "br")) {
          br_ = q;
        } else if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
          gzip_ = q;
        } else if (iequals(coding, "identity")) {
          identity_ = q;
        } else if (coding == "*") {
          star_ = q;
        }
      }
    }
  }

  // Preference in thousandths; 0: unacceptable. Identity that the client did
  // not name gets the least positive weight, so any coding it did name wins.
  int q(Encoding e) const {
    switch (e) {
      case Encoding::kBrotli:
        return br_ ? *br_ : star_ ? *star_ : 0;
      case Encoding::kGzip:
        return gzip_ ? *gzip_ : star_ ? *star_ : 0;
      case Encoding::kIdentity:
        if (identity_) return *identity_;
        return present_ && star_ == 0 ? 0 : 1;
    }
    return 0;
  }

 private:
  bool present_ = false;
  std::optional<int> br_, gzip_, identity_, star_;
};

const std::string& body_for(const CachedResponse& c, Encoding e) {
  switch (e) {
    case Encoding::kBrotli:
      return c.brotli;
    case Encoding::kGzip:
      return c.gzip;
    case Encoding::kIdentity:
      break;
  }
  return c.identity;
}

// The encodings this request may be answered with, best first: highest q,
// ties to br over gzip over identity. Never empty: when the client accepts
// nothing we have, identity goes anyway (RFC 9110 §12.5.3 prefers that to 406).
std::vector<Encoding> acceptable(const Request& req, const CachedResponse& c) {
  const AcceptedEncodings accepted(req);
  std::vector<Encoding> out;
  for (Encoding e : {Encoding::kBrotli, Encoding::kGzip, Encoding::kIdentity}) {
    if (accepted.q(e) > 0 && (e == Encoding::kIdentity || !body_for(c, e).empty())) {
      out.push_back(e);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [&](Encoding a, Encoding b) { return accepted.q(a) > accepted.q(b); });
  if (out.empty()) out.push_back(Encoding::kIdentity);
  return out;
}

// The variant's ETag: the base tag, suffixed inside the quotes for a coding.
std::string etag_for(const CachedResponse& c, Encoding e) {
  if (e == Encoding::kIdentity || c.etag.size() < 2) return c.etag;
  std::string tag = c.etag.substr(0, c.etag.size() - 1);
  tag += e == Encoding::kBrotli ? "-br\"" : "-gz\"";
  return tag;
}

// --- Conditional requests ---------------------------------------------------

// The entity-tags of If-None-Match (RFC 9110 §8.8.3, §13.1.2), W/ dropped:
// weak comparison ignores it. `star` is set for "*".
struct IfNoneMatch {
  bool present = false;
  bool star = false;
  std::vector<std::string_view> tags;  // with their quotes
};

IfNoneMatch parse_if_none_match(const Request& req) {
  IfNoneMatch inm;
  auto [begin, end] = req.equal_range(beast_http::field::if_none_match);
  for (auto it = begin; it != end; ++it) {
    inm.present = true;
    std::string_view s = it->value();
    // Not split_list: a comma may sit inside a quoted tag.
    while (true) {
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == ',')) {
        s.remove_prefix(1);
      }
      if (s.empty()) break;
      if (s.front() == '*') {
        inm.star = true;
        s.remove_prefix(1);
        continue;
      }
      if (s.starts_with("W/")) s.remove_prefix(2);
      if (!s.empty() && s.front() == '"') {
        const std::size_t close = s.find('"', 1);
        if (close == s.npos) break;  // unterminated: nothing after it can be read
        inm.tags.push_back(s.substr(0, close + 1));
        s.remove_prefix(close + 1);
      } else {
        // Not an entity-tag (e.g. unquoted): skip the member.
        const std::size_t comma = s.find(',');
        if (comma == s.npos) break;
        s.remove_prefix(comma);
      }
    }
  }
  return inm;
}

// Whether If-Modified-Since says the client's copy is current. RFC 9110
// §13.1.3: ignored unless exactly one valid date and a Last-Modified.
bool not_modified_since(const Request& req, const CachedResponse& c) {
  if (!c.last_modified) return false;
  auto [begin, end] = req.equal_range(beast_http::field::if_modified_since);
  if (begin == end || std::next(begin) != end) return false;
  const auto since = text::parse_http_date(begin->value());
  return since && *c.last_modified <= *since;
}

std::string cache_control(const CachePolicy& policy) {
  if (policy.max_age <= 0) return "no-cache";
  return "public, max-age=" + std::to_string(policy.max_age) +
         (policy.immutable ? ", immutable" : "");
}

}  // namespace

std::shared_ptr<const CachedResponse> make_cached(Rendered rendered, std::uint64_t generation) {
  auto c = std::make_shared<CachedResponse>();
  c->etag = compute_etag(rendered);
  if (rendered.body.size() >= kMinCompressSize) {
    c->gzip = gzip_compress(rendered.body);
    if (c->gzip.size() >= rendered.body.size()) c->gzip.clear();
    c->brotli = brotli_compress(rendered.body, rendered.content_type);
    if (c->brotli.size() >= rendered.body.size()) c->brotli.clear();
  }
  c->status = rendered.status;
  c->content_type = std::move(rendered.content_type);
  c->identity = std::move(rendered.body);
  c->last_modified = rendered.last_modified;
  c->headers = std::move(rendered.headers);
  c->generation = generation;
  return c;
}

Response respond_cached(const Request& req, const CachedResponse& cached,
                        const CachePolicy& policy) {
  const std::vector<Encoding> encodings = acceptable(req, cached);
  Response res{cached.status, req.version()};
  res.keep_alive(req.keep_alive());
  res.set(beast_http::field::vary, "Accept-Encoding");

  if (cached.status != beast_http::status::ok) {
    // An error page or redirect: no validators, so nothing to revalidate;
    // no-cache keeps a 404 from outliving the item's publication.
    res.set(beast_http::field::cache_control, "no-cache");
  } else {
    res.set(beast_http::field::cache_control, cache_control(policy));
    // Which variant's tag the client holds, if any; only variants it may
    // still be served count, so a cache is never told to reuse a coding the
    // client no longer accepts.
    std::optional<Encoding> validated;
    const IfNoneMatch inm = parse_if_none_match(req);
    if (inm.present) {
      if (inm.star) validated = encodings.front();
      for (Encoding e : encodings) {
        if (validated) break;
        const std::string tag = etag_for(cached, e);
        for (std::string_view t : inm.tags) {
          if (t == tag) validated = e;
        }
      }
    } else if (not_modified_since(req, cached)) {
      validated = encodings.front();
    }
    if (validated) {
      // RFC 9110 §15.4.5: the fields a 200 would carry for cache updating,
      // no content.
      res.result(beast_http::status::not_modified);
      res.set(beast_http::field::etag, etag_for(cached, *validated));
      if (cached.last_modified) {
        res.set(beast_http::field::last_modified, text::format_http_date(*cached.last_modified));
      }
      return res;
    }
    res.set(beast_http::field::etag, etag_for(cached, encodings.front()));
    if (cached.last_modified) {
      res.set(beast_http::field::last_modified, text::format_http_date(*cached.last_modified));
    }
  }

  const Encoding chosen = encodings.front();
  if (chosen == Encoding::kBrotli) res.set(beast_http::field::content_encoding, "br");
  if (chosen == Encoding::kGzip) res.set(beast_http::field::content_encoding, "gzip");
  res.set(beast_http::field::content_type, cached.content_type);
  for (const auto& [name, value] : cached.headers) res.insert(name, value);
  res.body() = body_for(cached, chosen);
  return res;
}

// --- ResponseCache ------------------------------------------------------------

namespace {

using CacheResult = Result<std::shared_ptr<const CachedResponse>>;

// One render in progress for a key; waiters block on `done`.
struct Flight {
  explicit Flight(std::uint64_t g) : generation(g) {}
  std::uint64_t generation;
  bool done = false;
  std::optional<CacheResult> result;
  std::condition_variable cv;
};

}  // namespace

struct ResponseCache::Impl {
  struct Entry {
    std::shared_ptr<const CachedResponse> value;
    std::list<std::string>::iterator lru;  // position in lru_
  };

  explicit Impl(std::size_t max) : max_entries(max) {}

  // REQUIRES: mu held.
  void store(const std::string& key, std::shared_ptr<const CachedResponse> value) {
    auto it = entries.find(key);
    if (it != entries.end()) {
      if (it->second.value->generation > value->generation) return;
      it->second.value = std::move(value);
      lru.splice(lru.begin(), lru, it->second.lru);
    } else {
      lru.push_front(key);
      entries.emplace(key, Entry{std::move(value), lru.begin()});
    }
    while (entries.size() > max_entries) {
      entries.erase(lru.back());
      lru.pop_back();
    }
  }

  // REQUIRES: mu held. Publishes the result to the flight's waiters.
  void land(const std::string& key, const std::shared_ptr<Flight>& flight, CacheResult result) {
    flight->result.emplace(std::move(result));
    flight->done = true;
    flights.erase(key);
    flight->cv.notify_all();
  }

  const std::size_t max_entries;
  mutable std::mutex mu;
  std::unordered_map<std::string, Entry> entries;  // guarded by mu
  std::list<std::string> lru;                      // most recent first; guarded by mu
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights;  // guarded by mu
};

ResponseCache::ResponseCache(std::size_t max_entries)
    : impl_(std::make_unique<Impl>(max_entries)) {}

ResponseCache::~ResponseCache() = default;

Result<std::shared_ptr<const CachedResponse>> ResponseCache::get(
    const std::string& key, std::uint64_t generation,
    const std::function<Result<Rendered>()>& render) {
  Impl& im = *impl_;
  std::unique_lock lock(im.mu);
  while (true) {
    auto hit = im.entries.find(key);
    if (hit != im.entries.end() && hit->second.value->generation >= generation) {
      im.lru.splice(im.lru.begin(), im.lru, hit->second.lru);
      return hit->second.value;
    }
    auto running = im.flights.find(key);
    if (running == im.flights.end()) break;
    const std::shared_ptr<Flight> flight = running->second;
    flight->cv.wait(lock, [&] { return flight->done; });
    // A render for an older generation is of no use: look again, and render
    // ourselves once the key is free.
    if (flight->generation >= generation) return *flight->result;
  }

  auto flight = std::make_shared<Flight>(generation);
  im.flights.emplace(key, flight);
  lock.unlock();

  std::optional<CacheResult> result;
  try {
    Result<Rendered> rendered = render();
    if (rendered) {
      result.emplace(make_cached(std::move(*rendered), generation));
    } else {
      result.emplace(rendered.error());
    }
  } catch (...) {
    // Waiters must not block forever: they get an error, the caller the
    // exception (for the session's catch-all to log).
    lock.lock();
    im.land(key, flight,
            make_error(ErrorCode::kInternal, "http/cache: render of " + key + " threw"));
    throw;
  }

  lock.lock();
  if (*result) im.store(key, **result);
  im.land(key, flight, *result);
  return std::move(*result);
}

std::size_t ResponseCache::size() const {
  std::lock_guard lock(impl_->mu);
  return impl_->entries.size();
}

void ResponseCache::clear() {
  std::lock_guard lock(impl_->mu);
  impl_->entries.clear();
  impl_->lru.clear();
}

}  // namespace newsdesk::http
