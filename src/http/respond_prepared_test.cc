// respond_prepared must send what the server made of respond_cached (plus
// the route's presentation and secure_html): compared here field by field,
// over the variants a cached response has.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "http/cache.h"
#include "http/respond.h"

namespace newsdesk::http {
namespace {

using beast_http::field;
using beast_http::status;

std::string body_of(std::string_view word, int n) {
  std::string body;
  for (int i = 0; i < n; ++i)
    body += "<p>" + std::string(word) + " " + std::to_string(i) + "</p>\n";
  return body;
}

std::shared_ptr<const CachedResponse> entry(std::string content_type, status code = status::ok,
                                            bool headers = false) {
  Rendered r;
  r.status = code;
  r.content_type = std::move(content_type);
  r.body = body_of("item", 300);
  r.last_modified = 1700000000;
  if (headers) r.headers.emplace_back("Link", "<https://hub.example/>; rel=\"hub\"");
  return make_cached(std::move(r), 3);
}

Request request(beast_http::verb verb, std::vector<std::pair<field, std::string>> headers) {
  Request req{verb, "/", 11};
  for (const auto& [name, value] : headers) req.insert(name, value);
  return req;
}

// "Name: value" lines of a head, by lower-case name (each name once here).
struct Parsed {
  std::string status_line;
  std::multimap<std::string, std::string> fields;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

Parsed parse_head(std::string_view head) {
  Parsed p;
  EXPECT_TRUE(head.ends_with("\r\n"));
  std::size_t line_end = head.find("\r\n");
  p.status_line = std::string(head.substr(0, line_end));
  head.remove_prefix(line_end + 2);
  while (!head.empty()) {
    line_end = head.find("\r\n");
    const std::string_view line = head.substr(0, line_end);
    const std::size_t colon = line.find(": ");
    EXPECT_NE(colon, std::string_view::npos) << line;
    p.fields.emplace(lower(line.substr(0, colon)), std::string(line.substr(colon + 2)));
    head.remove_prefix(line_end + 2);
  }
  return p;
}

// What the slow path sends: respond_cached, the presentation and
// secure_html as routes.cc applies them, and the server's own fields.
Parsed expected(const Request& req, const CachedResponse& c, const CachePolicy& policy,
                Presentation presentation, std::string& body) {
  Response res = respond_cached(req, c, policy);
  if (presentation.vary_accept) res.set(field::vary, "Accept-Encoding, Accept");
  if (presentation.as_xml && res.result() == status::ok) {
    res.set(field::content_type, "application/xml; charset=utf-8");
  }
  respond::secure_html(res);
  res.set(field::server, "newsdesk");
  res.set("X-Content-Type-Options", "nosniff");
  if (res.result() != status::not_modified) res.content_length(res.body().size());
  Parsed p;
  p.status_line = "HTTP/1.1 " + std::to_string(res.result_int()) + " " +
                  std::string(beast_http::obsolete_reason(res.result()));
  for (const auto& f : res) p.fields.emplace(lower(f.name_string()), std::string(f.value()));
  body = std::string(res.body().bytes());
  return p;
}

void expect_same(const Request& req, const std::shared_ptr<const CachedResponse>& c,
                 const CachePolicy& policy, Presentation presentation = {}) {
  std::string want_body;
  const Parsed want = expected(req, *c, policy, presentation, want_body);
  const Response res = respond_prepared(req, c, policy, presentation);
  const PreparedResponse* prepared = res.body().prepared();
  ASSERT_NE(prepared, nullptr);
  const Parsed got = parse_head(prepared->head);
  EXPECT_EQ(got.status_line, want.status_line);
  EXPECT_EQ(got.fields, want.fields);
  EXPECT_EQ(prepared->body, want_body);
  EXPECT_EQ(static_cast<unsigned>(prepared->status), res.result_int());
}

TEST(RespondPrepared, SameAsTheServerMakesOfRespondCached) {
  const CachePolicy policy{300};
  const auto html = entry("text/html; charset=utf-8");
  const auto feed = entry("application/rss+xml; charset=utf-8", status::ok, /*headers=*/true);
  const auto missing = entry("text/html; charset=utf-8", status::not_found);
  const std::string tag = html->etag;
  const std::string gz = tag.substr(0, tag.size() - 1) + "-gz\"";
  const std::vector<std::vector<std::pair<field, std::string>>> requests = {
      {},
      {{field::accept_encoding, "gzip"}},
      {{field::accept_encoding, "br, gzip"}},
      {{field::accept_encoding, "gzip;q=0, identity"}},
      {{field::accept_encoding, "gzip"}, {field::if_none_match, gz}},
      {{field::accept_encoding, "gzip"}, {field::if_none_match, tag}},
      {{field::if_none_match, "\"other\""}},
      {{field::if_none_match, "*"}},
      {{field::if_modified_since, "Wed, 15 Nov 2023 00:00:00 GMT"}},
      {{field::if_modified_since, "Mon, 01 Jan 2001 00:00:00 GMT"}},
  };
  for (const auto& headers : requests) {
    for (const auto verb : {beast_http::verb::get, beast_http::verb::head}) {
      const Request req = request(verb, headers);
      std::string trace(req.method_string());
      for (const auto& [name, value] : headers) trace += " | " + value;
      SCOPED_TRACE(trace);
      expect_same(req, html, policy);
      expect_same(req, missing, policy);
      expect_same(req, feed, policy, {true, false});
      expect_same(req, feed, policy, {true, true});
      expect_same(req, html, CachePolicy{31536000, true});
    }
  }
}

TEST(RespondPrepared, KeepsEachVariantsHeadWithTheEntry) {
  const auto html = entry("text/html; charset=utf-8");
  const Request req = request(beast_http::verb::get, {{field::accept_encoding, "gzip"}});
  const Response first = respond_prepared(req, html, CachePolicy{300});
  const Response second = respond_prepared(req, html, CachePolicy{300});
  ASSERT_NE(first.body().prepared(), nullptr);
  ASSERT_NE(second.body().prepared(), nullptr);
  EXPECT_EQ(first.body().prepared()->head.data(), second.body().prepared()->head.data());
  EXPECT_EQ(first.body().prepared()->body.data(), html->gzip.data());  // not a copy
  // Another policy for the same variant gets its own head, not the kept one.
  const Response other = respond_prepared(req, html, CachePolicy{60});
  EXPECT_NE(other.body().prepared()->head.find("Cache-Control: public, max-age=60\r\n"),
            std::string_view::npos);
  EXPECT_NE(first.body().prepared()->head.find("Cache-Control: public, max-age=300\r\n"),
            std::string_view::npos);
}

TEST(RespondPrepared, OwnerKeepsTheBytesAliveAfterTheEntryIsDropped) {
  auto html = entry("text/html; charset=utf-8");
  const std::string want(html->identity);
  const Response res = respond_prepared(request(beast_http::verb::get, {}), html, CachePolicy{});
  html.reset();
  EXPECT_EQ(res.body().prepared()->body, want);
}

TEST(RespondPrepared, Http10GetsFieldsNotAPreparedHead) {
  const auto html = entry("text/html; charset=utf-8");
  Request req = request(beast_http::verb::get, {});
  req.version(10);
  const Response res = respond_prepared(req, html, CachePolicy{});
  EXPECT_EQ(res.body().prepared(), nullptr);
  EXPECT_EQ(res.body(), html->identity);
  EXPECT_EQ(res["X-Frame-Options"], "DENY");
}

}  // namespace
}  // namespace newsdesk::http
