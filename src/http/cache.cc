#include "http/cache.h"

#include <brotli/encode.h>

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <climits>
#include <condition_variable>
#include <iterator>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

#include "core/gzip.h"
#include "core/ids.h"
#include "http/respond.h"
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

bool is_textual(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.find("xml") != content_type.npos ||
         content_type.find("json") != content_type.npos ||
         content_type.find("javascript") != content_type.npos;
}

// Brotli (RFC 7932) via libbrotlienc; empty on failure.
std::string brotli_compress(std::string_view in, std::string_view content_type) {
  const BrotliEncoderMode mode = is_textual(content_type) ? BROTLI_MODE_TEXT : BROTLI_MODE_GENERIC;
  std::unique_ptr<BrotliEncoderState, decltype(&BrotliEncoderDestroyInstance)> state(
      BrotliEncoderCreateInstance(nullptr, nullptr, nullptr), &BrotliEncoderDestroyInstance);
  if (!state) return {};
  // Quality 5, not 11: every cache miss pays this. On a 12 KB page (2 cores,
  // 2026-11-27) quality 11 took 16 ms for 2.3 KB, quality 5 0.3 ms for
  // 2.6 KB, still smaller than gzip's 3.0 KB; 11 made brotli the whole cost
  // of rendering a page.
  BrotliEncoderSetParameter(state.get(), BROTLI_PARAM_QUALITY, 5);
  BrotliEncoderSetParameter(state.get(), BROTLI_PARAM_LGWIN, 22);
  BrotliEncoderSetParameter(state.get(), BROTLI_PARAM_MODE, mode);
  BrotliEncoderSetParameter(state.get(), BROTLI_PARAM_SIZE_HINT,
                            static_cast<std::uint32_t>(std::min<std::size_t>(in.size(), 1 << 30)));
  // Streamed out of the encoder's own buffer rather than into one of
  // BrotliEncoderMaxCompressedSize (the body's size): for the 10 MB sitemap
  // of a 100k-item site that buffer was 10 MB more at the peak.
  std::string out;
  std::size_t available_in = in.size();
  const auto* next_in = reinterpret_cast<const std::uint8_t*>(in.data());
  while (!BrotliEncoderIsFinished(state.get())) {
    std::size_t available_out = 0;
    if (BrotliEncoderCompressStream(state.get(), BROTLI_OPERATION_FINISH, &available_in, &next_in,
                                    &available_out, nullptr, nullptr) != BROTLI_TRUE) {
      return {};
    }
    std::size_t size = 0;
    const std::uint8_t* data = BrotliEncoderTakeOutput(state.get(), &size);
    out.append(reinterpret_cast<const char*>(data), size);
  }
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

std::string_view body_for(const CachedResponse& c, Encoding e) {
  switch (e) {
    case Encoding::kBrotli:
      return c.brotli;
    case Encoding::kGzip:
      return c.gzip;
    case Encoding::kIdentity:
      break;
  }
  return c.identity_bytes();
}

// At most the three encodings, in order (no allocation per request).
struct Encodings {
  std::array<Encoding, 3> list{};
  std::size_t count = 0;
  Encoding front() const { return list[0]; }
  const Encoding* begin() const { return list.data(); }
  const Encoding* end() const { return list.data() + count; }
};

// The encodings this request may be answered with, best first: highest q,
// ties to br over gzip over identity. Never empty: when the client accepts
// nothing we have, identity goes anyway (RFC 9110 §12.5.3 prefers that to 406).
Encodings acceptable(const Request& req, const CachedResponse& c) {
  const AcceptedEncodings accepted(req);
  Encodings out;
  for (Encoding e : {Encoding::kBrotli, Encoding::kGzip, Encoding::kIdentity}) {
    if (accepted.q(e) > 0 && (e == Encoding::kIdentity || !body_for(c, e).empty())) {
      out.list[out.count++] = e;
    }
  }
  // A stable insertion sort of at most three (std::stable_sort would ask
  // for a buffer from the heap on every request).
  for (std::size_t i = 1; i < out.count; ++i) {
    for (std::size_t j = i; j > 0 && accepted.q(out.list[j]) > accepted.q(out.list[j - 1]); --j) {
      std::swap(out.list[j], out.list[j - 1]);
    }
  }
  if (out.count == 0) out.list[out.count++] = Encoding::kIdentity;
  return out;
}

std::string_view etag_suffix(Encoding e) {
  return e == Encoding::kBrotli ? "-br\"" : e == Encoding::kGzip ? "-gz\"" : "\"";
}

// The variant's ETag: the base tag, suffixed inside the quotes for a coding.
std::string etag_for(const CachedResponse& c, Encoding e) {
  if (e == Encoding::kIdentity || c.etag.size() < 2) return c.etag;
  std::string tag = c.etag.substr(0, c.etag.size() - 1);
  tag += etag_suffix(e);
  return tag;
}

// Whether `tag` (quoted) is the variant's ETag, without building it.
bool is_etag_of(const CachedResponse& c, Encoding e, std::string_view tag) {
  if (e == Encoding::kIdentity || c.etag.size() < 2) return tag == c.etag;
  const std::string_view base = std::string_view(c.etag).substr(0, c.etag.size() - 1);
  const std::string_view suffix = etag_suffix(e);
  return tag.size() == base.size() + suffix.size() && tag.starts_with(base) &&
         tag.ends_with(suffix);
}

// --- Conditional requests ---------------------------------------------------

// The entity-tags of If-None-Match (RFC 9110 §8.8.3, §13.1.2), W/ dropped:
// weak comparison ignores it. `star` is set for "*".
struct IfNoneMatch {
  bool present = false;
  bool star = false;
  // With their quotes; a client sends one or two (no allocation for those).
  boost::container::small_vector<std::string_view, 4> tags;
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

// What a GET or HEAD gets: a 200 (or the cached status) in `chosen`, or a
// 304 for the variant `validated`.
struct Decision {
  Encoding chosen = Encoding::kIdentity;
  std::optional<Encoding> validated;
};

Decision decide(const Request& req, const CachedResponse& cached) {
  const Encodings encodings = acceptable(req, cached);
  Decision d{encodings.front(), std::nullopt};
  // An error page or redirect has no validators, so nothing to revalidate.
  if (cached.status != beast_http::status::ok) return d;
  // Which variant's tag the client holds, if any; only variants it may
  // still be served count, so a cache is never told to reuse a coding the
  // client no longer accepts.
  if (req.find(beast_http::field::if_none_match) != req.end()) {
    const IfNoneMatch inm = parse_if_none_match(req);
    if (inm.star) {
      d.validated = encodings.front();
      return d;
    }
    for (Encoding e : encodings) {
      for (std::string_view t : inm.tags) {
        if (is_etag_of(cached, e, t)) {
          d.validated = e;
          return d;
        }
      }
    }
  } else if (not_modified_since(req, cached)) {
    d.validated = encodings.front();
  }
  return d;
}

constexpr std::string_view kXmlForBrowsers = "application/xml; charset=utf-8";

void add_line(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

// The head respond_prepared sends for decision `d` (see cache.h for what
// goes in, and respond_cached for the same in header fields).
std::string build_head(const CachedResponse& cached, const Decision& d, const CachePolicy& policy,
                       Presentation presentation) {
  const auto status = d.validated ? beast_http::status::not_modified : cached.status;
  std::string out = "HTTP/1.1 ";
  out += std::to_string(static_cast<unsigned>(status));
  out += ' ';
  out += beast_http::obsolete_reason(status);
  out += "\r\n";
  add_line(out, "Vary", presentation.vary_accept ? "Accept-Encoding, Accept" : "Accept-Encoding");
  if (cached.status != beast_http::status::ok) {
    add_line(out, "Cache-Control", "no-cache");
  } else {
    add_line(out, "Cache-Control", cache_control(policy));
    add_line(out, "ETag", etag_for(cached, d.validated ? *d.validated : d.chosen));
    if (cached.last_modified) add_line(out, "Last-Modified", cached.last_modified_text);
  }
  std::string_view body;
  if (!d.validated) {
    if (d.chosen == Encoding::kBrotli) add_line(out, "Content-Encoding", "br");
    if (d.chosen == Encoding::kGzip) add_line(out, "Content-Encoding", "gzip");
    const std::string_view type = presentation.as_xml && cached.status == beast_http::status::ok
                                      ? kXmlForBrowsers
                                      : std::string_view(cached.content_type);
    add_line(out, "Content-Type", type);
    for (const auto& [name, value] : cached.headers) add_line(out, name, value);
    if (type.starts_with("text/html")) out += respond::secure_html_lines();
    body = body_for(cached, d.chosen);
  }
  add_line(out, "Server", kServerName);
  add_line(out, "X-Content-Type-Options", "nosniff");
  if (!d.validated) add_line(out, "Content-Length", std::to_string(body.size()));
  return out;
}

}  // namespace

PreparedHeads::~PreparedHeads() {
  for (auto& slot : slots_) delete slot.load(std::memory_order_acquire);
}

const PreparedHeads::Head* PreparedHeads::keep(std::size_t slot, std::unique_ptr<Head> head) const {
  const Head* expected = nullptr;
  if (slots_[slot].compare_exchange_strong(expected, head.get(), std::memory_order_acq_rel)) {
    return head.release();
  }
  return expected;  // another thread's, equal to ours
}

std::shared_ptr<const CachedResponse> make_cached(Rendered rendered, std::uint64_t generation) {
  auto c = std::make_shared<CachedResponse>();
  c->etag = compute_etag(rendered);
  if (rendered.body.size() >= kMinCompressSize) {
    c->gzip = gzip_compress(rendered.body);
    if (c->gzip.size() >= rendered.body.size()) c->gzip.clear();
    c->gzip.shrink_to_fit();  // before brotli's buffer of the same size comes
    c->brotli = brotli_compress(rendered.body, rendered.content_type);
    if (c->brotli.size() >= rendered.body.size()) c->brotli.clear();
  }
  c->status = rendered.status;
  c->content_type = std::move(rendered.content_type);
  c->identity_file = BodyFile::make(rendered.body);
  if (!c->identity_file) c->identity = std::move(rendered.body);
  // The compressors write into a buffer of the worst case's size (about the
  // body's) and renderers grow theirs by doubling: kept as they come, an
  // entry held two to three times its bytes (bench/serve/memory.sh: 100 MB
  // for 400 feed archive pages of 86 KB, 2026-11-27).
  for (std::string* s : {&c->identity, &c->brotli}) s->shrink_to_fit();
  c->last_modified = rendered.last_modified;
  if (c->last_modified) c->last_modified_text = text::format_http_date(*c->last_modified);
  c->headers = std::move(rendered.headers);
  c->generation = generation;
  return c;
}

Response respond_cached(const Request& req, const CachedResponse& cached,
                        const CachePolicy& policy) {
  const Decision d = decide(req, cached);
  Response res{cached.status, req.version()};
  res.keep_alive(req.keep_alive());
  res.set(beast_http::field::vary, "Accept-Encoding");

  if (cached.status != beast_http::status::ok) {
    // An error page or redirect: no validators, so nothing to revalidate;
    // no-cache keeps a 404 from outliving the item's publication.
    res.set(beast_http::field::cache_control, "no-cache");
  } else {
    res.set(beast_http::field::cache_control, cache_control(policy));
    if (d.validated) {
      // RFC 9110 §15.4.5: the fields a 200 would carry for cache updating,
      // no content.
      res.result(beast_http::status::not_modified);
      res.set(beast_http::field::etag, etag_for(cached, *d.validated));
      if (cached.last_modified) {
        res.set(beast_http::field::last_modified, cached.last_modified_text);
      }
      return res;
    }
    res.set(beast_http::field::etag, etag_for(cached, d.chosen));
    if (cached.last_modified) {
      res.set(beast_http::field::last_modified, cached.last_modified_text);
    }
  }

  if (d.chosen == Encoding::kBrotli) res.set(beast_http::field::content_encoding, "br");
  if (d.chosen == Encoding::kGzip) res.set(beast_http::field::content_encoding, "gzip");
  res.set(beast_http::field::content_type, cached.content_type);
  for (const auto& [name, value] : cached.headers) res.insert(name, value);
  res.body() = std::string(body_for(cached, d.chosen));
  return res;
}

Response respond_prepared(const Request& req, std::shared_ptr<const CachedResponse> cached,
                          const CachePolicy& policy, Presentation presentation) {
  if (req.version() != 11) {
    Response res = respond_cached(req, *cached, policy);
    if (presentation.vary_accept) res.set(beast_http::field::vary, "Accept-Encoding, Accept");
    if (presentation.as_xml && res.result() == beast_http::status::ok) {
      res.set(beast_http::field::content_type, kXmlForBrowsers);
    }
    respond::secure_html(res);
    return res;
  }
  const Decision d = decide(req, *cached);
  const Encoding variant = d.validated ? *d.validated : d.chosen;
  const std::size_t slot = static_cast<std::size_t>(variant) * 8 + (d.validated ? 4 : 0) +
                           (presentation.vary_accept ? 2 : 0) + (presentation.as_xml ? 1 : 0);
  const PreparedHeads::Head* head = cached->heads.find(slot);
  std::shared_ptr<const void> owner = cached;
  if (head == nullptr || head->max_age != policy.max_age || head->immutable != policy.immutable) {
    auto fresh = std::make_unique<PreparedHeads::Head>(PreparedHeads::Head{
        policy.max_age, policy.immutable, build_head(*cached, d, policy, presentation)});
    if (head == nullptr) {
      head = cached->heads.keep(slot, std::move(fresh));
    } else {
      // Another policy for the same entry than the kept head's (no route
      // does this): a head of its own, kept alive with the entry.
      auto both = std::make_shared<
          std::pair<std::shared_ptr<const CachedResponse>, std::unique_ptr<PreparedHeads::Head>>>(
          cached, std::move(fresh));
      head = both->second.get();
      owner = both;
    }
  }
  const auto status = d.validated ? beast_http::status::not_modified : cached->status;
  const std::string_view body = d.validated ? std::string_view() : body_for(*cached, d.chosen);
  Response res{status, 11};
  // The file only where the whole identity body goes out.
  const int file = !d.validated && d.chosen == Encoding::kIdentity && cached->identity_file
                       ? cached->identity_file->fd()
                       : -1;
  res.body().set_prepared({std::move(owner), head->bytes, body, status, file});
  return res;
}

// --- ResponseCache ------------------------------------------------------------

std::size_t entry_bytes(const std::string& key, const CachedResponse& c) {
  // The entry and map node, the CachedResponse and its control block, and
  // the heads respond_prepared keeps (three or four of about 400 bytes in
  // practice): measured per entry, rounded up.
  constexpr std::size_t kOverhead = 2048;
  std::size_t n = kOverhead + key.capacity() + c.content_type.capacity() + c.etag.capacity() +
                  c.last_modified_text.capacity() + c.identity.capacity() + c.gzip.capacity() +
                  c.brotli.capacity();
  if (c.identity.empty()) n += c.identity_bytes().size();  // in a BodyFile
  for (const auto& [name, value] : c.headers) n += name.capacity() + value.capacity();
  return n;
}

namespace {

using CacheResult = Result<std::shared_ptr<const CachedResponse>>;

// One render in progress for a key; waiters block on `done`.
struct Flight {
  explicit Flight(std::uint64_t g) : generation(g) {}
  std::uint64_t generation;
  bool done = false;
  std::optional<CacheResult> result;
  std::condition_variable_any cv;  // with ResponseCache::Impl::mu
};

}  // namespace

struct ResponseCache::Impl {
  // A hit only reads the map (under a shared lock) and stamps its entry's
  // `used` from a counter: no list to reorder, so hits on two threads do not
  // wait for each other. Eviction, on a miss, looks for the oldest stamp.
  struct Entry {
    Entry(std::shared_ptr<const CachedResponse> v, std::uint64_t stamp, std::size_t size)
        : value(std::move(v)), used(stamp), bytes(size) {}
    std::shared_ptr<const CachedResponse> value;  // written under the exclusive lock
    std::atomic<std::uint64_t> used;              // the last use's stamp
    std::size_t bytes;                            // entry_bytes(key, *value)
  };

  Impl(std::size_t entries_max, std::size_t bytes_max)
      : max_entries(entries_max), max_bytes(bytes_max) {}

  std::uint64_t stamp() { return clock.fetch_add(1, std::memory_order_relaxed) + 1; }

  // REQUIRES: mu held exclusively.
  void store(const std::string& key, std::shared_ptr<const CachedResponse> value) {
    const std::size_t size = entry_bytes(key, *value);
    auto it = entries.find(key);
    if (it != entries.end()) {
      if (it->second.value->generation > value->generation) return;
      // The older entry is never served again, whether this one fits or not.
      erase(it);
    }
    if (size > max_bytes) return;  // would push out everything else
    entries.try_emplace(key, std::move(value), stamp(), size);
    bytes += size;
    while (entries.size() > max_entries || bytes > max_bytes) {
      auto oldest = entries.begin();
      for (auto e = entries.begin(); e != entries.end(); ++e) {
        if (e->second.used.load(std::memory_order_relaxed) <
            oldest->second.used.load(std::memory_order_relaxed)) {
          oldest = e;
        }
      }
      erase(oldest);
    }
  }

  // REQUIRES: mu held exclusively.
  template <typename Iterator>
  void erase(Iterator it) {
    bytes -= it->second.bytes;
    entries.erase(it);
  }

  // REQUIRES: mu held. Publishes the result to the flight's waiters.
  void land(const std::string& key, const std::shared_ptr<Flight>& flight, CacheResult result) {
    flight->result.emplace(std::move(result));
    flight->done = true;
    flights.erase(key);
    flight->cv.notify_all();
  }

  const std::size_t max_entries;
  const std::size_t max_bytes;
  mutable std::shared_mutex mu;
  std::size_t bytes = 0;  // the entries' Entry::bytes, summed; guarded by mu
  std::unordered_map<std::string, Entry> entries;                    // guarded by mu
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights;  // guarded by mu
  std::atomic<std::uint64_t> clock{0};
  std::atomic<std::uint64_t> hits{0};
  std::uint64_t misses = 0;  // guarded by mu
};

ResponseCache::ResponseCache(std::size_t max_entries, std::size_t max_bytes)
    : impl_(std::make_unique<Impl>(max_entries, max_bytes)) {}

ResponseCache::~ResponseCache() = default;

Result<std::shared_ptr<const CachedResponse>> ResponseCache::get(
    const std::string& key, std::uint64_t generation,
    const std::function<Result<Rendered>()>& render) {
  Impl& im = *impl_;
  {
    std::shared_lock shared(im.mu);
    auto hit = im.entries.find(key);
    if (hit != im.entries.end() && hit->second.value->generation >= generation) {
      hit->second.used.store(im.stamp(), std::memory_order_relaxed);
      im.hits.fetch_add(1, std::memory_order_relaxed);
      return hit->second.value;
    }
  }
  std::unique_lock lock(im.mu);
  while (true) {
    auto hit = im.entries.find(key);
    if (hit != im.entries.end() && hit->second.value->generation >= generation) {
      hit->second.used.store(im.stamp(), std::memory_order_relaxed);
      im.hits.fetch_add(1, std::memory_order_relaxed);
      return hit->second.value;
    }
    auto running = im.flights.find(key);
    if (running == im.flights.end()) break;
    const std::shared_ptr<Flight> flight = running->second;
    flight->cv.wait(lock, [&] { return flight->done; });
    // A render for an older generation is of no use: look again, and render
    // ourselves once the key is free.
    if (flight->generation >= generation) {
      im.hits.fetch_add(1, std::memory_order_relaxed);  // served by another request's render
      return *flight->result;
    }
  }

  ++im.misses;
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
  if (*result) {
    im.store(key, **result);
  } else if (auto old = im.entries.find(key);
             old != im.entries.end() && old->second.value->generation < generation) {
    // Generations only grow, so an entry older than this one is never served
    // again. Dropped now, or every deleted item's page would stay until LRU
    // eviction: bench/soak measured +30 % RSS in 10 minutes of deletes.
    im.erase(old);
  }
  im.land(key, flight, *result);
  return std::move(*result);
}

CacheStats ResponseCache::stats() const {
  std::lock_guard lock(impl_->mu);
  return {impl_->hits.load(), impl_->misses, impl_->entries.size(), impl_->bytes};
}

std::size_t ResponseCache::bytes() const {
  std::lock_guard lock(impl_->mu);
  return impl_->bytes;
}

std::size_t ResponseCache::size() const {
  std::lock_guard lock(impl_->mu);
  return impl_->entries.size();
}

void ResponseCache::clear() {
  std::lock_guard lock(impl_->mu);
  impl_->entries.clear();
  impl_->bytes = 0;
}

}  // namespace newsdesk::http
