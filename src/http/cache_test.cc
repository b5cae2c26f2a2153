#include "http/cache.h"

#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "text/date.h"

namespace newsdesk::http {
namespace {

using beast_http::field;
using beast_http::status;

// A page-like body that compresses well and is well above 256 bytes.
std::string big_body(std::string_view word = "news") {
  std::string body = "<!doctype html><html><body>\n";
  for (int i = 0; i < 200; ++i) {
    body += "<p class=\"teaser\">" + std::string(word) + " item " + std::to_string(i) + "</p>\n";
  }
  return body + "</body></html>\n";
}

Rendered page(std::string body) {
  Rendered r;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  return r;
}

std::shared_ptr<const CachedResponse> cached_page(std::string body = big_body()) {
  return make_cached(page(std::move(body)), 1);
}

Request get(std::vector<std::pair<field, std::string>> headers = {}) {
  Request req{beast_http::verb::get, "/", 11};
  for (const auto& [name, value] : headers) req.insert(name, value);
  return req;
}

// The ETag with a suffix before the closing quote: "abc" -> "abc-gz".
std::string variant_tag(const std::string& etag, std::string_view suffix) {
  return etag.substr(0, etag.size() - 1) + std::string(suffix) + "\"";
}

std::string gunzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

std::string unbrotli(const std::string& in) {
  std::string out(1 << 20, '\0');
  std::size_t size = out.size();
  EXPECT_EQ(BrotliDecoderDecompress(in.size(), reinterpret_cast<const std::uint8_t*>(in.data()),
                                    &size, reinterpret_cast<std::uint8_t*>(out.data())),
            BROTLI_DECODER_RESULT_SUCCESS);
  out.resize(size);
  return out;
}

// --- make_cached ---

TEST(MakeCached, EtagIsStableForSameBody) {
  EXPECT_EQ(cached_page(big_body("a"))->etag, cached_page(big_body("a"))->etag);
}

TEST(MakeCached, EtagDiffersForDifferentBody) {
  EXPECT_NE(cached_page(big_body("a"))->etag, cached_page(big_body("b"))->etag);
}

TEST(MakeCached, EtagIsStrongAndQuoted) {
  const std::string etag = cached_page()->etag;
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  EXPECT_EQ(etag.find('"', 1), etag.size() - 1);
}

TEST(MakeCached, EtagDiffersForDifferentExtraHeaders) {
  Rendered with_link = page(big_body());
  with_link.headers.emplace_back("Link", "<https://hub.example/>; rel=\"hub\"");
  EXPECT_NE(make_cached(with_link, 1)->etag, cached_page()->etag);
}

TEST(MakeCached, GzipVariantRoundTrips) {
  const auto c = cached_page();
  ASSERT_FALSE(c->gzip.empty());
  EXPECT_LT(c->gzip.size(), c->identity.size());
  EXPECT_EQ(gunzip(c->gzip), c->identity);
}

TEST(MakeCached, BrotliVariantRoundTrips) {
  const auto c = cached_page();
  ASSERT_FALSE(c->brotli.empty());
  EXPECT_LT(c->brotli.size(), c->identity.size());
  EXPECT_EQ(unbrotli(c->brotli), c->identity);
}

TEST(MakeCached, SmallBodyHasNoVariants) {
  const auto c = cached_page(std::string(255, 'a'));
  EXPECT_TRUE(c->gzip.empty());
  EXPECT_TRUE(c->brotli.empty());
}

TEST(MakeCached, IncompressibleBodyHasNoVariants) {
  std::mt19937 rng(42);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  const auto c = cached_page(noise);
  EXPECT_TRUE(c->gzip.empty());
  EXPECT_TRUE(c->brotli.empty());
}

TEST(MakeCached, KeepsNoSpareCapacity) {
  // A body grown by appending, as renderers do, below BodyFile::kMinSize so
  // that it stays on the heap; the compressors' buffers start at about its size.
  std::string grown;
  for (int i = 0; grown.size() < 20000; ++i)
    grown += "<p>news item " + std::to_string(i) + "</p>\n";
  ASSERT_GT(grown.capacity(), grown.size() + 1000);  // else the test proves nothing
  const std::string body = grown;
  const auto c = cached_page(std::move(grown));
  ASSERT_FALSE(c->identity.empty());
  ASSERT_FALSE(c->gzip.empty());
  ASSERT_FALSE(c->brotli.empty());
  EXPECT_EQ(c->identity, body);
  EXPECT_LE(c->identity.capacity(), c->identity.size() + 16);
  EXPECT_LE(c->gzip.capacity(), c->gzip.size() + 16);
  EXPECT_LE(c->brotli.capacity(), c->brotli.size() + 16);
  EXPECT_EQ(gunzip(c->gzip), body);
  EXPECT_EQ(unbrotli(c->brotli), body);
}

TEST(MakeCached, EntryBytesCountEveryEncoding) {
  const auto c = cached_page();
  const std::string key = "/news/";
  const std::size_t bodies = c->identity_bytes().size() + c->gzip.size() + c->brotli.size();
  EXPECT_GE(entry_bytes(key, *c), bodies);
  EXPECT_LE(entry_bytes(key, *c), bodies + 4096);
  // A large body (kept in a file when one can be made) counts all the same.
  const auto large = cached_page(big_body(std::string(300, 'x')));
  ASSERT_GT(large->identity_bytes().size(), BodyFile::kMinSize);
  EXPECT_GE(entry_bytes(key, *large), large->identity_bytes().size() + large->gzip.size());
}

TEST(MakeCached, KeepsFieldsAndGeneration) {
  Rendered r = page(big_body());
  r.last_modified = 1'000'000;
  const auto c = make_cached(r, 7);
  EXPECT_EQ(c->generation, 7u);
  EXPECT_EQ(c->identity, r.body);
  EXPECT_EQ(c->content_type, r.content_type);
  EXPECT_EQ(c->last_modified, 1'000'000);
}

// --- respond_cached: conditional GET ---

const CachePolicy kPolicy{};

TEST(RespondCached, NotModifiedOnMatchingEtag) {
  const auto c = cached_page();
  const Response res = respond_cached(get({{field::if_none_match, c->etag}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::not_modified);
}

TEST(RespondCached, NotModifiedOnEtagInList) {
  const auto c = cached_page();
  const Response res = respond_cached(
      get({{field::if_none_match, "\"other\", \"a,b\" , " + c->etag + ", \"more\""}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::not_modified);
}

TEST(RespondCached, NotModifiedOnEtagInSecondHeaderLine) {
  const auto c = cached_page();
  const Response res = respond_cached(
      get({{field::if_none_match, "\"other\""}, {field::if_none_match, c->etag}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::not_modified);
}

TEST(RespondCached, NotModifiedOnWeakEtag) {
  const auto c = cached_page();
  const Response res = respond_cached(get({{field::if_none_match, "W/" + c->etag}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::not_modified);
}

TEST(RespondCached, NotModifiedOnStar) {
  const auto c = cached_page();
  const Response res = respond_cached(get({{field::if_none_match, "*"}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::not_modified);
}

TEST(RespondCached, OkOnEtagMismatch) {
  const auto c = cached_page();
  const Response res =
      respond_cached(get({{field::if_none_match, "\"stale\", W/\"older\""}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::ok);
  EXPECT_EQ(res.body(), c->identity);
}

TEST(RespondCached, OkOnUnquotedEtag) {
  const auto c = cached_page();
  const std::string bare = c->etag.substr(1, c->etag.size() - 2);
  const Response res = respond_cached(get({{field::if_none_match, bare}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::ok);
}

TEST(RespondCached, NotModifiedOnGzipVariantEtag) {
  const auto c = cached_page();
  const std::string gz = variant_tag(c->etag, "-gz");
  const Response res = respond_cached(
      get({{field::if_none_match, gz}, {field::accept_encoding, "gzip, br"}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::not_modified);
  EXPECT_EQ(res[field::etag], gz);  // the copy the client holds stays valid
}

TEST(RespondCached, OkOnVariantEtagForCodingNoLongerAccepted) {
  const auto c = cached_page();
  const Response res =
      respond_cached(get({{field::if_none_match, variant_tag(c->etag, "-br")}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::ok);
  EXPECT_EQ(res[field::etag], c->etag);
}

TEST(RespondCached, NotModifiedCarriesValidatorsAndNoBody) {
  Rendered r = page(big_body());
  r.last_modified = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
  r.headers.emplace_back("Link", "<https://hub.example/>; rel=\"hub\"");
  const auto c = make_cached(r, 1);
  const Response res = respond_cached(
      get({{field::if_none_match, variant_tag(c->etag, "-br")}, {field::accept_encoding, "br"}}),
      *c, kPolicy);
  ASSERT_EQ(res.result(), status::not_modified);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res[field::etag], variant_tag(c->etag, "-br"));
  EXPECT_EQ(res[field::last_modified], "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(res[field::cache_control], "public, max-age=300");
  EXPECT_EQ(res[field::vary], "Accept-Encoding");
  EXPECT_EQ(res.count(field::content_encoding), 0u);
}

TEST(RespondCached, NotModifiedSurvivesPreparePayload) {
  const auto c = cached_page();
  Response res = respond_cached(get({{field::if_none_match, "*"}}), *c, kPolicy);
  EXPECT_NO_THROW(res.prepare_payload());  // what the server does to a GET's response
}

Rendered dated_page(std::int64_t last_modified) {
  Rendered r = page(big_body());
  r.last_modified = last_modified;
  return r;
}

TEST(RespondCached, NotModifiedOnIfModifiedSinceAtLastModified) {
  const auto c = make_cached(dated_page(784111777), 1);
  const Response res = respond_cached(
      get({{field::if_modified_since, "Sun, 06 Nov 1994 08:49:37 GMT"}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::not_modified);
}

TEST(RespondCached, OkOnIfModifiedSinceBeforeLastModified) {
  const auto c = make_cached(dated_page(784111777), 1);
  const Response res = respond_cached(
      get({{field::if_modified_since, "Sun, 06 Nov 1994 08:49:36 GMT"}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::ok);
}

TEST(RespondCached, IfModifiedSinceIgnoredWhenIfNoneMatchPresent) {
  const auto c = make_cached(dated_page(784111777), 1);
  const Response res =
      respond_cached(get({{field::if_none_match, "\"stale\""},
                          {field::if_modified_since, text::format_http_date(784111777 + 3600)}}),
                     *c, kPolicy);
  EXPECT_EQ(res.result(), status::ok);
}

TEST(RespondCached, IfModifiedSinceIgnoredWithoutLastModified) {
  const auto c = cached_page();
  const Response res = respond_cached(
      get({{field::if_modified_since, "Sun, 06 Nov 2094 08:49:37 GMT"}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::ok);
  EXPECT_EQ(res.count(field::last_modified), 0u);
}

TEST(RespondCached, IfModifiedSinceIgnoredWhenUnparseable) {
  const auto c = make_cached(dated_page(784111777), 1);
  const Response res = respond_cached(get({{field::if_modified_since, "yesterday"}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::ok);
}

// --- respond_cached: Accept-Encoding ---

Response with_accept_encoding(const CachedResponse& c, std::string value) {
  return respond_cached(get({{field::accept_encoding, std::move(value)}}), c, kPolicy);
}

TEST(RespondCached, BrotliPreferredOverGzip) {
  const auto c = cached_page();
  const Response res = with_accept_encoding(*c, "br, gzip");
  EXPECT_EQ(res[field::content_encoding], "br");
  EXPECT_EQ(res.body(), c->brotli);
  EXPECT_EQ(res[field::etag], variant_tag(c->etag, "-br"));
}

TEST(RespondCached, GzipWhenOnlyGzipAccepted) {
  const auto c = cached_page();
  const Response res = with_accept_encoding(*c, "gzip");
  EXPECT_EQ(res[field::content_encoding], "gzip");
  EXPECT_EQ(res.body(), c->gzip);
  EXPECT_EQ(res[field::etag], variant_tag(c->etag, "-gz"));
}

TEST(RespondCached, IdentityWhenCodingsRefused) {
  const auto c = cached_page();
  const Response res = with_accept_encoding(*c, "gzip;q=0, br;q=0");
  EXPECT_EQ(res.count(field::content_encoding), 0u);
  EXPECT_EQ(res.body(), c->identity);
  EXPECT_EQ(res[field::etag], c->etag);
}

TEST(RespondCached, IdentityWithoutAcceptEncoding) {
  const auto c = cached_page();
  const Response res = respond_cached(get(), *c, kPolicy);
  EXPECT_EQ(res.count(field::content_encoding), 0u);
  EXPECT_EQ(res.body(), c->identity);
}

TEST(RespondCached, BrotliForStar) {
  const auto c = cached_page();
  EXPECT_EQ(with_accept_encoding(*c, "*")[field::content_encoding], "br");
}

TEST(RespondCached, HigherQualityWins) {
  const auto c = cached_page();
  EXPECT_EQ(with_accept_encoding(*c, "br;q=0.5, GZIP;Q=0.8")[field::content_encoding], "gzip");
}

TEST(RespondCached, StarRefusalExcludesUnnamedCodings) {
  const auto c = cached_page();
  EXPECT_EQ(with_accept_encoding(*c, "gzip, *;q=0")[field::content_encoding], "gzip");
}

TEST(RespondCached, IdentityWhenVariantMissing) {
  const auto c = cached_page("short");
  const Response res = with_accept_encoding(*c, "br, gzip");
  EXPECT_EQ(res.count(field::content_encoding), 0u);
  EXPECT_EQ(res.body(), "short");
}

TEST(RespondCached, IdentitySentEvenWhenRefused) {
  const auto c = cached_page("short");
  const Response res = with_accept_encoding(*c, "identity;q=0");
  EXPECT_EQ(res.result(), status::ok);
  EXPECT_EQ(res.body(), "short");
}

TEST(RespondCached, MalformedQualityIgnored) {
  const auto c = cached_page();
  EXPECT_EQ(with_accept_encoding(*c, "br;q=2, gzip")[field::content_encoding], "gzip");
}

// --- respond_cached: other headers ---

TEST(RespondCached, VaryPresent) {
  const auto c = cached_page();
  EXPECT_EQ(with_accept_encoding(*c, "gzip")[field::vary], "Accept-Encoding");
  EXPECT_EQ(respond_cached(get(), *c, kPolicy)[field::vary], "Accept-Encoding");
}

TEST(RespondCached, CacheControlMaxAge) {
  const auto c = cached_page();
  EXPECT_EQ(respond_cached(get(), *c, CachePolicy{60})[field::cache_control], "public, max-age=60");
}

TEST(RespondCached, CacheControlNoCacheForZeroMaxAge) {
  const auto c = cached_page();
  EXPECT_EQ(respond_cached(get(), *c, CachePolicy{0})[field::cache_control], "no-cache");
}

TEST(RespondCached, ContentTypeAndExtraHeadersSent) {
  Rendered r = page(big_body());
  r.headers.emplace_back("Link", "<https://hub.example/>; rel=\"hub\"");
  r.headers.emplace_back("Link", "<https://example.com/feed>; rel=\"self\"");
  const auto c = make_cached(r, 1);
  const Response res = respond_cached(get(), *c, kPolicy);
  EXPECT_EQ(res[field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(res.count(field::link), 2u);
}

TEST(RespondCached, NonOkStatusHasNoValidatorsNorNotModified) {
  Rendered r = page(big_body());
  r.status = status::not_found;
  r.last_modified = 784111777;
  const auto c = make_cached(r, 1);
  const Response res = respond_cached(get({{field::if_none_match, "*"}}), *c, kPolicy);
  EXPECT_EQ(res.result(), status::not_found);
  EXPECT_EQ(res.body(), c->identity);
  EXPECT_EQ(res.count(field::etag), 0u);
  EXPECT_EQ(res.count(field::last_modified), 0u);
  EXPECT_EQ(res[field::cache_control], "no-cache");
}

TEST(RespondCached, HeadAnsweredLikeGet) {
  const auto c = cached_page();
  Request head = get({{field::accept_encoding, "gzip"}});
  head.method(beast_http::verb::head);
  const Response res = respond_cached(head, *c, kPolicy);
  EXPECT_EQ(res.result(), status::ok);
  EXPECT_EQ(res[field::content_encoding], "gzip");
  EXPECT_EQ(res.body().size(), c->gzip.size());  // the server turns it into Content-Length
}

// --- ResponseCache ---

Result<Rendered> render_ok(std::string body) { return page(std::move(body)); }

TEST(ResponseCache, RendersOnceForConcurrentRequests) {
  ResponseCache cache;
  std::atomic<int> renders{0};
  const auto render = [&]() -> Result<Rendered> {
    ++renders;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return page(big_body());
  };
  constexpr int kThreads = 8;
  std::vector<std::shared_ptr<const CachedResponse>> got(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto r = cache.get("/", 1, render);
      ASSERT_TRUE(r.has_value());
      got[i] = *r;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(renders.load(), 1);
  for (const auto& g : got) EXPECT_EQ(g, got[0]);
}

// Runs `render` for key "/" on one thread and, once it has started, asks
// for the same key on `waiters` more threads; returns every thread's result.
std::vector<Result<std::shared_ptr<const CachedResponse>>> get_while_rendering(
    ResponseCache& cache, int waiters, const std::function<Result<Rendered>()>& render) {
  std::atomic<bool> started{false};
  const std::function<Result<Rendered>()> first = [&] {
    started = true;
    // Long enough for the waiters to arrive while the render is in flight.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return render();
  };
  std::vector<Result<std::shared_ptr<const CachedResponse>>> results(
      waiters + 1, make_error(ErrorCode::kInternal, "test: not run"));
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    try {
      results[0] = cache.get("/", 1, first);
    } catch (const std::exception&) {
      results[0] = make_error(ErrorCode::kInternal, "test: threw");
    }
  });
  while (!started) std::this_thread::yield();
  for (int i = 1; i <= waiters; ++i) {
    threads.emplace_back([&, i] { results[i] = cache.get("/", 1, render); });
  }
  for (auto& t : threads) t.join();
  return results;
}

TEST(ResponseCache, PropagatesErrorToConcurrentWaiters) {
  ResponseCache cache;
  std::atomic<int> renders{0};
  const auto results = get_while_rendering(cache, 4, [&]() -> Result<Rendered> {
    ++renders;
    return make_error(ErrorCode::kUnavailable, "store: busy");
  });
  EXPECT_EQ(renders.load(), 1);
  for (const auto& r : results) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  }
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ResponseCache, ThrowingRenderFailsConcurrentWaiters) {
  ResponseCache cache;
  std::atomic<int> renders{0};
  const auto results = get_while_rendering(cache, 3, [&]() -> Result<Rendered> {
    if (++renders == 1) throw std::runtime_error("render bug");
    return page("v");
  });
  EXPECT_EQ(renders.load(), 1);
  for (const auto& r : results) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  }
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ResponseCache, ServesCachedEntryForSameGeneration) {
  ResponseCache cache;
  int renders = 0;
  const auto render = [&] {
    ++renders;
    return render_ok("v");
  };
  ASSERT_TRUE(cache.get("/", 1, render).has_value());
  ASSERT_TRUE(cache.get("/", 1, render).has_value());
  EXPECT_EQ(renders, 1);
}

TEST(ResponseCache, RerendersOnNewerGeneration) {
  ResponseCache cache;
  int renders = 0;
  const auto render = [&] { return render_ok("v" + std::to_string(++renders)); };
  ASSERT_TRUE(cache.get("/", 1, render).has_value());
  auto second = cache.get("/", 2, render);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(renders, 2);
  EXPECT_EQ((*second)->identity, "v2");
  EXPECT_EQ((*second)->generation, 2u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(ResponseCache, ServesNewerEntryForOlderGeneration) {
  ResponseCache cache;
  int renders = 0;
  const auto render = [&] {
    ++renders;
    return render_ok("v");
  };
  ASSERT_TRUE(cache.get("/", 5, render).has_value());
  auto older = cache.get("/", 4, render);
  ASSERT_TRUE(older.has_value());
  EXPECT_EQ((*older)->generation, 5u);
  EXPECT_EQ(renders, 1);
}

TEST(ResponseCache, NewerGenerationWaitsForOlderRenderThenRendersAgain) {
  ResponseCache cache;
  std::atomic<int> renders{0};
  std::atomic<bool> started{false};
  std::thread old_request([&] {
    auto r = cache.get("/", 1, [&]() -> Result<Rendered> {
      ++renders;
      started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return page("old");
    });
    EXPECT_TRUE(r.has_value());
  });
  while (!started) std::this_thread::yield();
  auto fresh = cache.get("/", 2, [&]() -> Result<Rendered> {
    ++renders;
    return page("new");
  });
  old_request.join();
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ((*fresh)->identity, "new");
  EXPECT_EQ((*fresh)->generation, 2u);
  EXPECT_EQ(renders.load(), 2);
}

TEST(ResponseCache, DoesNotCacheFailures) {
  ResponseCache cache;
  int renders = 0;
  const auto failing = [&]() -> Result<Rendered> {
    ++renders;
    return make_error(ErrorCode::kUnavailable, "store: busy");
  };
  EXPECT_FALSE(cache.get("/", 1, failing).has_value());
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.get("/", 1, failing).has_value());
  EXPECT_EQ(renders, 2);
  EXPECT_TRUE(cache.get("/", 1, [] { return render_ok("v"); }).has_value());
  EXPECT_EQ(cache.size(), 1u);
}

TEST(ResponseCache, ThrowingRenderRethrowsAndCachesNothing) {
  ResponseCache cache;
  EXPECT_THROW((void)cache.get("/", 1, []() -> Result<Rendered> { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_TRUE(cache.get("/", 1, [] { return render_ok("v"); }).has_value());
}

TEST(ResponseCache, EvictsLeastRecentlyUsed) {
  ResponseCache cache(2);
  int renders = 0;
  const auto render = [&] {
    ++renders;
    return render_ok("v");
  };
  ASSERT_TRUE(cache.get("/a", 1, render).has_value());
  ASSERT_TRUE(cache.get("/b", 1, render).has_value());
  ASSERT_TRUE(cache.get("/a", 1, render).has_value());  // /b is now least recent
  ASSERT_TRUE(cache.get("/c", 1, render).has_value());
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(renders, 3);
  ASSERT_TRUE(cache.get("/a", 1, render).has_value());
  EXPECT_EQ(renders, 3);  // kept
  ASSERT_TRUE(cache.get("/b", 1, render).has_value());
  EXPECT_EQ(renders, 4);  // evicted, rendered again
}

TEST(ResponseCache, FailedRenderDropsTheOlderEntry) {
  // A deleted item: its page rendered once, then the render fails (404).
  ResponseCache cache;
  ASSERT_TRUE(cache.get("/news/gone/", 1, [] { return render_ok("v"); }).has_value());
  const auto gone = cache.get("/news/gone/", 2, []() -> Result<Rendered> {
    return make_error(ErrorCode::kNotFound, "service: no such item");
  });
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ResponseCache, ClearDropsEntries) {
  ResponseCache cache;
  ASSERT_TRUE(cache.get("/", 1, [] { return render_ok("v"); }).has_value());
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

// Pages of about 10 KB that compress badly, so that each entry costs about
// 20 KB or more (identity, gzip and brotli).
Result<Rendered> render_large(int seed) {
  std::mt19937 rng(static_cast<unsigned>(seed));
  std::string body = "<!doctype html>";
  while (body.size() < 10000) body += std::to_string(rng()) + " ";
  return page(std::move(body));
}

std::size_t large_entry_bytes(const std::string& key, int seed) {
  return entry_bytes(key, *make_cached(*render_large(seed), 1));
}

TEST(ResponseCache, EvictsLeastRecentlyUsedToStayWithinBytes) {
  // Room for three of the pages, far below the entry bound.
  const std::size_t one = large_entry_bytes("/0", 0);
  ASSERT_GT(one, 20000u);
  ResponseCache cache(100, 3 * one + one / 2);
  int renders = 0;
  const auto get = [&](int n) {
    return cache
        .get("/" + std::to_string(n), 1,
             [&] {
               ++renders;
               return render_large(n);
             })
        .has_value();
  };
  ASSERT_TRUE(get(0));
  ASSERT_TRUE(get(1));
  ASSERT_TRUE(get(2));
  EXPECT_EQ(cache.size(), 3u);
  ASSERT_TRUE(get(0));  // /1 is now least recent
  ASSERT_TRUE(get(3));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_LE(cache.bytes(), 3 * one + one / 2);
  EXPECT_EQ(cache.bytes(),
            large_entry_bytes("/0", 0) + large_entry_bytes("/2", 2) + large_entry_bytes("/3", 3));
  EXPECT_EQ(cache.stats().bytes, cache.bytes());
  EXPECT_EQ(renders, 4);
  ASSERT_TRUE(get(0));
  ASSERT_TRUE(get(2));
  EXPECT_EQ(renders, 4);  // kept
  ASSERT_TRUE(get(1));
  EXPECT_EQ(renders, 5);  // evicted, rendered again
  EXPECT_EQ(cache.size(), 3u);
}

TEST(ResponseCache, EntryLargerThanTheByteBoundIsServedButNotKept) {
  ResponseCache cache(100, large_entry_bytes("/big", 1) - 1);
  int renders = 0;
  const auto render = [&] {
    ++renders;
    return render_large(1);
  };
  auto first = cache.get("/big", 1, render);
  ASSERT_TRUE(first.has_value());
  EXPECT_GE((*first)->identity_bytes().size(), 10000u);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
  ASSERT_TRUE(cache.get("/big", 1, render).has_value());
  EXPECT_EQ(renders, 2);
  // Smaller entries are kept meanwhile.
  ASSERT_TRUE(cache.get("/small", 1, [] { return render_ok("v"); }).has_value());
  EXPECT_EQ(cache.size(), 1u);
}

TEST(ResponseCache, BytesFollowReplacementsAndDrops) {
  ResponseCache cache;
  ASSERT_TRUE(cache.get("/a", 1, [] { return render_large(1); }).has_value());
  EXPECT_EQ(cache.bytes(), large_entry_bytes("/a", 1));
  // A newer generation replaces the entry: its bytes, not both.
  ASSERT_TRUE(cache.get("/a", 2, [] { return render_ok("v"); }).has_value());
  EXPECT_EQ(cache.bytes(), entry_bytes("/a", *make_cached(*render_ok("v"), 2)));
  // A failed render drops it.
  ASSERT_FALSE(
      cache
          .get("/a", 3,
               []() -> Result<Rendered> { return make_error(ErrorCode::kNotFound, "gone"); })
          .has_value());
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

}  // namespace
}  // namespace newsdesk::http
