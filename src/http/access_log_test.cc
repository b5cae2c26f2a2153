#include "http/access_log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace newsdesk::http {
namespace {

RequestRecord sample() {
  RequestRecord r;
  r.method = "GET";
  r.target = "/rss.xml?x=1";
  r.version = 11;
  r.status = 200;
  r.body_bytes = 5123;
  r.duration = std::chrono::duration<double>(0.000412);
  r.started = std::chrono::system_clock::from_time_t(1795775200);  // 2026-11-27 10:26:40 UTC
  r.client_address = "203.0.113.7";
  r.user_agent = "curl/8";
  return r;
}

TEST(AccessLog, TextIsTheCombinedFormatWithADuration) {
  EXPECT_EQ(format_access_text(sample()),
            "203.0.113.7 - - [27/Nov/2026:10:26:40 +0000] \"GET /rss.xml?x=1 HTTP/1.1\" 200 5123 "
            "\"-\" \"curl/8\" 0.000412");
}

TEST(AccessLog, ClientBytesCannotForgeALine) {
  RequestRecord r = sample();
  r.user_agent = "evil\" 200 0\n127.0.0.1 - - \"GET / HTTP/1.1\"\x1b[31m";
  const std::string line = format_access_text(r);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_NE(line.find("\"evil\\\" 200 0\\x0a127.0.0.1"), std::string::npos) << line;
}

TEST(AccessLog, SecretsInPathsAreRedacted) {
  EXPECT_EQ(redact_target("/press/abcdef0123/rss.xml"), "/press/[secret]/rss.xml");
  EXPECT_EQ(redact_target("/preview/tok3n/"), "/preview/[secret]/");
  EXPECT_EQ(redact_target("/preview/tok3n?x"), "/preview/[secret]?x");
  EXPECT_EQ(redact_target("/news/press/"), "/news/press/");
  RequestRecord r = sample();
  r.target = "/press/abcdef0123/atom.xml";
  EXPECT_EQ(format_access_text(r).find("abcdef0123"), std::string::npos);
  EXPECT_EQ(format_access_json(r).find("abcdef0123"), std::string::npos);
}

TEST(AccessLog, JsonLinesParse) {
  RequestRecord r = sample();
  r.target = std::string("/bad\xff\xfeutf8");
  const auto line = nlohmann::json::parse(format_access_json(r));
  EXPECT_EQ(line["time"], "2026-11-27T10:26:40.000Z");
  EXPECT_EQ(line["client"], "203.0.113.7");
  EXPECT_EQ(line["method"], "GET");
  EXPECT_EQ(line["status"], 200);
  EXPECT_EQ(line["bytes"], 5123);
  EXPECT_DOUBLE_EQ(line["duration_seconds"].get<double>(), 0.000412);
  EXPECT_EQ(line["user_agent"], "curl/8");
}

TEST(AccessLog, UnwritablePathIsAClearError) {
  auto log = AccessLog::open("/nonexistent-dir/access.log", AccessLogFormat::kText);
  ASSERT_FALSE(log);
  EXPECT_NE(log.error().message.find("/nonexistent-dir/access.log"), std::string::npos);
}

}  // namespace
}  // namespace newsdesk::http
