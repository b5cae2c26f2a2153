#include "feed/fetch/fetcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"

namespace newsdesk::feed {
namespace {

namespace bh = http::beast_http;

const std::string kRss = R"(<?xml version="1.0"?><rss version="2.0"><channel/></rss>)";

// A real HTTP server on loopback, any free port, answering with `handler`
// and remembering the last request it saw.
class LocalServer {
 public:
  explicit LocalServer(http::Handler handler) : handler_(std::move(handler)) {
    http::ServerOptions options;
    options.port = 0;
    options.threads = 2;  // a slow handler must not hold up shutdown or other requests
    server_ = std::make_unique<http::Server>(options, [this](const http::Request& req) {
      {
        std::lock_guard lock(mu_);
        last_ = req;
      }
      return handler_(req);
    });
    EXPECT_TRUE(server_->listen());
    thread_ = std::thread([this] { server_->run(); });
  }
  ~LocalServer() {
    server_->stop();
    thread_.join();
  }
  std::string url(const std::string& path = "/feed") const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }
  http::Request last_request() {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  http::Handler handler_;
  std::mutex mu_;
  http::Request last_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

// The servers of these tests are on loopback, which fetch_feed refuses by
// default (address_policy.h).
FetchOptions local() {
  FetchOptions options;
  options.allow_private_addresses = true;
  return options;
}

http::Response respond(bh::status status, std::string body = "",
                       std::string content_type = "application/rss+xml") {
  http::Response res{status, 11};
  if (!content_type.empty()) res.set(bh::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

http::Response redirect(bh::status status, const std::string& location) {
  http::Response res{status, 11};
  res.set(bh::field::location, location);
  return res;
}

// A zlib stream ("Content-Encoding: deflate") of 1 + 258 * runs zero bytes
// that is itself only about 1.6 * runs bytes long: one literal 0, then
// back-references of length 258 at distance 1, in a fixed-Huffman block
// (RFC 1951 §3.2.6). Built by hand so the test needs no zlib.
std::string zero_bomb(int runs, std::uint64_t* decoded_size) {
  std::string out = "\x78\x01";  // zlib header: deflate, 32K window, no dictionary
  std::uint32_t bits = 0;
  int nbits = 0;
  const auto put = [&](std::uint32_t value, int count) {  // LSB first
    bits |= value << nbits;
    nbits += count;
    while (nbits >= 8) {
      out += static_cast<char>(bits & 0xFF);
      bits >>= 8;
      nbits -= 8;
    }
  };
  const auto put_code = [&](std::uint32_t code, int count) {  // Huffman codes: MSB first
    for (int i = count - 1; i >= 0; --i) put((code >> i) & 1u, 1);
  };
  put(1, 1);          // BFINAL
  put(1, 2);          // BTYPE 01: fixed Huffman
  put_code(0x30, 8);  // literal 0
  for (int i = 0; i < runs; ++i) {
    put_code(0xC5, 8);  // length symbol 285: 258
    put_code(0, 5);     // distance symbol 0: 1
  }
  put_code(0, 7);  // end of block (256)
  if (nbits > 0) put(0, 8 - nbits);
  const std::uint64_t n = 1 + 258ull * runs;
  const std::uint32_t adler = static_cast<std::uint32_t>((n % 65521) << 16) | 1u;  // all zeros
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((adler >> shift) & 0xFF);
  *decoded_size = n;
  return out;
}

TEST(FetchFeed, ReturnsBodyValidatorsAndCharset) {
  LocalServer server([](const http::Request&) {
    auto res = respond(bh::status::ok, kRss, "application/rss+xml; charset=ISO-8859-1");
    res.set(bh::field::etag, "\"v1\"");
    res.set(bh::field::last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
    return res;
  });
  const auto result = fetch_feed(server.url(), {}, local());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(result->not_modified);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, kRss);
  EXPECT_EQ(result->final_url, server.url());
  EXPECT_EQ(result->content_type, "application/rss+xml; charset=ISO-8859-1");
  EXPECT_EQ(result->charset, "iso-8859-1");
  EXPECT_EQ(result->validators.etag, "\"v1\"");
  EXPECT_EQ(result->validators.last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
}

TEST(FetchFeed, SendsUserAgentAndFeedAcceptHeader) {
  LocalServer server([](const http::Request&) { return respond(bh::status::ok, kRss); });
  FetchOptions options = local();
  options.user_agent = "newsdesk-test/1";
  ASSERT_TRUE(fetch_feed(server.url(), {}, options));
  const auto req = server.last_request();
  EXPECT_EQ(req[bh::field::user_agent], "newsdesk-test/1");
  EXPECT_TRUE(req[bh::field::accept].starts_with("application/rss+xml, application/atom+xml"));
  EXPECT_FALSE(req[bh::field::accept_encoding].empty());
  EXPECT_TRUE(req[bh::field::if_none_match].empty());
  EXPECT_TRUE(req[bh::field::if_modified_since].empty());
}

TEST(FetchFeed, DefaultUserAgentNamesVersion) {
  EXPECT_EQ(FetchOptions{}.user_agent, std::string("newsdesk/") + NEWSDESK_VERSION);
}

TEST(FetchFeed, ConditionalGetAnswered304IsNotModified) {
  const Validators previous{"\"v1\"", "Wed, 21 Oct 2015 07:28:00 GMT"};
  LocalServer server([&](const http::Request& req) {
    if (req[bh::field::if_none_match] == previous.etag) {
      return respond(bh::status::not_modified, "", "");
    }
    return respond(bh::status::ok, kRss);
  });
  const auto result = fetch_feed(server.url(), previous, local());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->not_modified);
  EXPECT_EQ(result->status, 304);
  EXPECT_TRUE(result->body.empty());
  EXPECT_EQ(result->validators.etag, previous.etag);
  EXPECT_EQ(result->validators.last_modified, previous.last_modified);
  const auto req = server.last_request();
  EXPECT_EQ(req[bh::field::if_none_match], previous.etag);
  EXPECT_EQ(req[bh::field::if_modified_since], previous.last_modified);
}

TEST(FetchFeed, NotModifiedTakesValidatorsTheServerResends) {
  LocalServer server([](const http::Request&) {
    auto res = respond(bh::status::not_modified, "", "");
    res.set(bh::field::etag, "\"v2\"");
    return res;
  });
  const auto result =
      fetch_feed(server.url(), {"\"v1\"", "Wed, 21 Oct 2015 07:28:00 GMT"}, local());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->not_modified);
  EXPECT_EQ(result->validators.etag, "\"v2\"");
  EXPECT_EQ(result->validators.last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
}

TEST(FetchFeed, DropsValidatorsWithLineBreaks) {
  LocalServer server([](const http::Request&) { return respond(bh::status::ok, kRss); });
  ASSERT_TRUE(fetch_feed(server.url(), {"\"v1\"\r\nX-Injected: 1", "today"}, local()));
  const auto req = server.last_request();
  EXPECT_TRUE(req[bh::field::if_none_match].empty());
  EXPECT_TRUE(req["X-Injected"].empty());
  EXPECT_EQ(req[bh::field::if_modified_since], "today");
}

TEST(FetchFeed, FollowsRedirectsAndReportsFinalUrl) {
  LocalServer server([](const http::Request& req) {
    if (req.target() == "/old") return redirect(bh::status::moved_permanently, "/older");
    if (req.target() == "/older") return redirect(bh::status::found, "/feed");
    auto res = respond(bh::status::ok, kRss);
    res.set(bh::field::etag, "\"final\"");
    return res;
  });
  const auto result = fetch_feed(server.url("/old"), {}, local());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->body, kRss);
  EXPECT_EQ(result->final_url, server.url("/feed"));
  EXPECT_EQ(result->validators.etag, "\"final\"");
}

TEST(FetchFeed, ValidatorsOfARedirectAreNotKept) {
  LocalServer server([](const http::Request& req) {
    if (req.target() == "/old") {
      auto res = redirect(bh::status::found, "/feed");
      res.set(bh::field::etag, "\"redirect\"");
      return res;
    }
    return respond(bh::status::ok, kRss);
  });
  const auto result = fetch_feed(server.url("/old"), {}, local());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->validators.etag.empty());
}

TEST(FetchFeed, TooManyRedirectsIsAnError) {
  LocalServer server([](const http::Request&) { return redirect(bh::status::found, "/loop"); });
  FetchOptions options = local();
  options.max_redirects = 3;
  const auto result = fetch_feed(server.url("/loop"), {}, options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(result.error().message.starts_with("fetch: ")) << result.error().message;
}

TEST(FetchFeed, RefusesRedirectToFileUrl) {
  LocalServer server(
      [](const http::Request&) { return redirect(bh::status::found, "file:///etc/passwd"); });
  const auto result = fetch_feed(server.url(), {}, local());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_NE(result.error().message.find("redirect"), std::string::npos) << result.error().message;
}

TEST(FetchFeed, RefusesRedirectToFtpUrl) {
  LocalServer server(
      [](const http::Request&) { return redirect(bh::status::found, "ftp://127.0.0.1/feed"); });
  const auto result = fetch_feed(server.url(), {}, local());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
}

TEST(FetchFeed, RefusesBodyWhoseContentLengthIsTooLarge) {
  LocalServer server(
      [](const http::Request&) { return respond(bh::status::ok, std::string(4096, 'x')); });
  FetchOptions options = local();
  options.max_bytes = 1024;
  const auto result = fetch_feed(server.url(), {}, options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_NE(result.error().message.find("larger than 1024 bytes"), std::string::npos)
      << result.error().message;
}

TEST(FetchFeed, AcceptsBodyOfExactlyMaxBytes) {
  LocalServer server(
      [](const http::Request&) { return respond(bh::status::ok, std::string(1024, 'x')); });
  FetchOptions options = local();
  options.max_bytes = 1024;
  const auto result = fetch_feed(server.url(), {}, options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->body.size(), 1024u);
}

TEST(FetchFeed, CountsDecodedBytesAgainstMaxBytes) {
  std::uint64_t decoded = 0;
  const std::string bomb = zero_bomb(4096, &decoded);  // ~6.6 KB on the wire, ~1 MB decoded
  LocalServer server([&](const http::Request&) {
    auto res = respond(bh::status::ok, bomb);
    res.set(bh::field::content_encoding, "deflate");
    return res;
  });
  FetchOptions options = local();
  options.max_bytes = 64 * 1024;
  const auto result = fetch_feed(server.url(), {}, options);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_NE(result.error().message.find("larger than 65536 bytes"), std::string::npos)
      << result.error().message;

  // The same stream under a larger limit decodes in full: the bomb is valid.
  options.max_bytes = 2u << 20;
  const auto whole = fetch_feed(server.url(), {}, options);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->body, std::string(decoded, '\0'));
}

TEST(FetchFeed, NotFoundNamesTheStatus) {
  LocalServer server([](const http::Request&) { return respond(bh::status::not_found, "no"); });
  const auto result = fetch_feed(server.url(), {}, local());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(result.error().message, "fetch: " + server.url() + " answered 404");
}

TEST(FetchFeed, ServerErrorIsUnavailable) {
  LocalServer server(
      [](const http::Request&) { return respond(bh::status::service_unavailable, "busy"); });
  const auto result = fetch_feed(server.url(), {}, local());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(result.error().message.find("answered 503"), std::string::npos);
}

TEST(FetchFeed, ConnectionRefusedIsUnavailable) {
  const auto result = fetch_feed("http://127.0.0.1:1/feed", {}, local());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(result.error().message.starts_with("fetch: http://127.0.0.1:1/feed: "))
      << result.error().message;
}

TEST(FetchFeed, RefusesOtherSchemes) {
  for (const char* url :
       {"file:///etc/passwd", "ftp://example.org/feed", "gopher://x/", "feed", "/etc/passwd", ""}) {
    const auto result = fetch_feed(url, {});
    ASSERT_FALSE(result) << url;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalid) << url;
    EXPECT_TRUE(result.error().message.starts_with("fetch: only http and https URLs: "));
  }
}

TEST(FetchFeed, SlowServerTimesOut) {
  // The handler holds its pool thread up to 3 s, or until the test is done.
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  LocalServer server([&](const http::Request&) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(3), [&] { return done; });
    return respond(bh::status::ok, kRss);
  });
  FetchOptions options = local();
  options.total_timeout = std::chrono::seconds(1);
  const auto start = std::chrono::steady_clock::now();
  const auto result = fetch_feed(server.url(), {}, options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  {
    std::lock_guard lock(mu);
    done = true;
  }
  cv.notify_all();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(result.error().message.find("timed out"), std::string::npos) << result.error().message;
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
}

// SSRF: by default nothing on loopback is reached, whichever way the URL
// spells the address, and the server never sees a request.
TEST(FetchFeed, RefusesLoopbackByDefaultHoweverItIsSpelled) {
  std::atomic<int> requests{0};
  LocalServer server([&](const http::Request&) {
    ++requests;
    return respond(bh::status::ok, kRss);
  });
  const std::string port = server.url("").substr(std::string("http://127.0.0.1:").size());
  const std::vector<std::string> hosts = {"127.0.0.1",  "localhost",  "127.1",
                                          "2130706433", "0x7f000001", "[::ffff:127.0.0.1]",
                                          "0.0.0.0"};
  for (const std::string& host : hosts) {
    const std::string url = "http://" + host + ":" + port + "/feed";
    const auto result = fetch_feed(url, {});
    ASSERT_FALSE(result) << url;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalid) << url;
    const std::string& m = result.error().message;
    EXPECT_TRUE(m.starts_with("fetch: " + url + ": refused to connect to ")) << m;
    EXPECT_TRUE(m.find("a loopback address") != std::string::npos ||
                m.find("an unspecified address") != std::string::npos)
        << m;
  }
  EXPECT_EQ(requests.load(), 0);
  // Allowed: the same URL is fetched.
  EXPECT_TRUE(fetch_feed(server.url(), {}, local()));
  EXPECT_EQ(requests.load(), 1);
}

TEST(FetchFeed, RefusesARedirectToAPrivateAddress) {
  // A second loopback address (Linux routes all of 127/8 to lo): the origin
  // on 127.0.0.1 is let through by name, the redirect's target is not.
  std::atomic<int> inner_requests{0};
  http::ServerOptions inner_options;
  inner_options.host = "127.0.0.2";
  inner_options.port = 0;
  http::Server inner(inner_options, [&](const http::Request&) {
    ++inner_requests;
    return respond(bh::status::ok, kRss);
  });
  ASSERT_TRUE(inner.listen());
  std::thread inner_thread([&] { inner.run(); });
  const std::string target = "http://127.0.0.2:" + std::to_string(inner.port()) + "/feed";
  LocalServer origin([&](const http::Request&) { return redirect(bh::status::found, target); });
  FetchOptions options;
  options.allowed_addresses = {"127.0.0.1"};
  const auto refused = fetch_feed(origin.url("/old"), {}, options);
  // Allowed: the redirect is followed.
  options.allowed_addresses = {"127.0.0.1", "127.0.0.2"};
  const auto followed = fetch_feed(origin.url("/old"), {}, options);
  inner.stop();
  inner_thread.join();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("refused to connect to 127.0.0.2, a loopback address"),
            std::string::npos)
      << refused.error().message;
  ASSERT_TRUE(followed) << followed.error().message;
  EXPECT_EQ(followed->final_url, target);
  EXPECT_EQ(inner_requests.load(), 1);
}

TEST(CharsetOf, ReadsTheCharsetParameter) {
  EXPECT_EQ(charset_of("text/xml; charset=ISO-8859-1"), "iso-8859-1");
  EXPECT_EQ(charset_of("text/xml;charset=utf-8"), "utf-8");
  EXPECT_EQ(charset_of("application/rss+xml; Charset=\"Windows-1252\""), "windows-1252");
  EXPECT_EQ(charset_of("text/xml; q=1; charset = koi8-r ; format=flowed"), "koi8-r");
  EXPECT_EQ(charset_of("text/xml; name=\"a;charset=x\"; charset=utf-8"), "utf-8");
}

TEST(CharsetOf, EmptyWithoutCharset) {
  EXPECT_EQ(charset_of(""), "");
  EXPECT_EQ(charset_of("application/rss+xml"), "");
  EXPECT_EQ(charset_of("text/xml; format=flowed"), "");
  EXPECT_EQ(charset_of("text/xml; charset"), "");
}

TEST(ToUtf8, ConvertsIso88591) {
  const auto out = to_utf8("<rss><title>Caf\xE9</title></rss>", "iso-8859-1");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out, "<rss><title>Caf\xC3\xA9</title></rss>");
}

TEST(ToUtf8, ReadsLatin1LabelAsWindows1252) {
  // 0x93/0x94 are curly quotes in windows-1252, C1 controls in ISO-8859-1.
  const auto out = to_utf8("<?xml version=\"1.0\"?><t>\x93hi\x94</t>", "ISO-8859-1");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out, "<?xml version=\"1.0\"?><t>\xE2\x80\x9Chi\xE2\x80\x9D</t>");
}

TEST(ToUtf8, ConvertsWindows1252) {
  const auto out = to_utf8("{\"title\":\"5 \x80 \x96 na\xEFve\"}", "windows-1252");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out, "{\"title\":\"5 \xE2\x82\xAC \xE2\x80\x93 na\xC3\xAFve\"}");
}

TEST(ToUtf8, ReplacesInvalidBytesWithReplacementCharacter) {
  // 0xD2 has no character in windows-1253; 0xFF is no Shift_JIS byte.
  const auto cp1253 = to_utf8("a\xD2z", "windows-1253");
  ASSERT_TRUE(cp1253) << cp1253.error().message;
  EXPECT_EQ(*cp1253, "a\xEF\xBF\xBDz");
  const auto sjis = to_utf8("a\xFFz", "shift_jis");
  ASSERT_TRUE(sjis) << sjis.error().message;
  EXPECT_EQ(*sjis, "a\xEF\xBF\xBDz");
}

TEST(ToUtf8, LeavesBodyWithEncodingDeclarationAlone) {
  const std::string body = "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><t>\xA4</t>";
  const auto out = to_utf8(body, "windows-1252");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, body);
}

TEST(ToUtf8, LeavesUtf8AndUnlabelledBodiesAlone) {
  const std::string body = "<t>caf\xC3\xA9 \xFF</t>";
  EXPECT_EQ(*to_utf8(body, ""), body);
  EXPECT_EQ(*to_utf8(body, "UTF-8"), body);
  EXPECT_EQ(*to_utf8(body, "utf8"), body);
}

TEST(ToUtf8, LeavesBodyWithByteOrderMarkAlone) {
  const std::string body = "\xEF\xBB\xBF<t>caf\xC3\xA9</t>";
  EXPECT_EQ(*to_utf8(body, "iso-8859-1"), body);
}

TEST(ToUtf8, ConvertsUtf16WithoutByteOrderMark) {
  const auto out = to_utf8(std::string_view("{\0\"\0\xE9\0\"\0}\0", 10), "utf-16le");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out, "{\"\xC3\xA9\"}");
}

TEST(ToUtf8, UnknownCharsetIsInvalid) {
  const auto out = to_utf8("<t/>", "x-no-such-charset");
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kInvalid);
  EXPECT_TRUE(out.error().message.starts_with("fetch: unknown charset"));
}

}  // namespace
}  // namespace newsdesk::feed
