#include "http/metrics.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace newsdesk::http {
namespace {

RequestRecord record(std::string target, int status, double seconds, std::string method = "GET") {
  RequestRecord r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.status = status;
  r.duration = std::chrono::duration<double>(seconds);
  r.body_bytes = 10;
  return r;
}

// Every line is a comment (# HELP / # TYPE) or `name{labels} value`.
void expect_exposition_format(const std::string& text) {
  const std::regex sample(
      R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$)re");
  const std::regex comment(R"re(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$)re");
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(std::regex_match(line, sample) || std::regex_match(line, comment)) << line;
  }
  EXPECT_TRUE(text.ends_with("\n"));
}

TEST(RouteName, NamesAFixedSetNeverThePath) {
  EXPECT_EQ(route_name("/", "/news/{slug}/"), "home");
  EXPECT_EQ(route_name("/news/some-item/", "/news/{slug}/"), "item");
  EXPECT_EQ(route_name("/news/page/3/", "/news/{slug}/"), "news_list");
  EXPECT_EQ(route_name("/news-centre/news-detail/x/", "/news-centre/news-detail/{slug}/"), "item");
  EXPECT_EQ(route_name("/category/press/rss.xml", "/news/{slug}/"), "feed");
  EXPECT_EQ(route_name("/feed.json?x=1", "/news/{slug}/"), "feed");
  EXPECT_EQ(route_name("/category/press/", "/news/{slug}/"), "category");
  EXPECT_EQ(route_name("/api/v1/news/12", "/news/{slug}/"), "api");
  EXPECT_EQ(route_name("/press/SECRET/rss.xml", "/news/{slug}/"), "press_feed");
  EXPECT_EQ(route_name("/search?q=x", "/news/{slug}/"), "search");
  EXPECT_EQ(route_name("/wp-login.php", "/news/{slug}/"), "other");
  EXPECT_EQ(route_name("-", "/news/{slug}/"), "invalid");
}

TEST(Metrics, CountsRequestsByRouteMethodAndStatus) {
  Metrics metrics("/news/{slug}/");
  metrics.record_request(record("/", 200, 0.002));
  metrics.record_request(record("/", 200, 0.003));
  metrics.record_request(record("/nope", 404, 0.001));
  metrics.record_request(record("/", 200, 0.001, "BREW"));
  const std::string text = metrics.render({});
  EXPECT_NE(
      text.find("newsdesk_http_requests_total{route=\"home\",method=\"GET\",status=\"200\"} 2\n"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("newsdesk_http_requests_total{route=\"other\",method=\"GET\",status=\"404\"} 1\n"),
      std::string::npos);
  EXPECT_NE(text.find("method=\"other\""), std::string::npos);  // unknown methods are not labels
  EXPECT_EQ(text.find("/nope"), std::string::npos);
  EXPECT_NE(text.find("newsdesk_http_response_body_bytes_total 40\n"), std::string::npos);
  expect_exposition_format(text);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Metrics metrics("/news/{slug}/");
  metrics.record_request(record("/", 200, 0.0004));
  metrics.record_request(record("/", 200, 0.02));
  metrics.record_request(record("/", 200, 30));
  metrics.record_statement(false, 0.00003);
  metrics.record_statement(true, 0.002);
  const std::string text = metrics.render({});
  EXPECT_NE(
      text.find("newsdesk_http_request_duration_seconds_bucket{route=\"home\",le=\"0.0005\"} 1\n"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("newsdesk_http_request_duration_seconds_bucket{route=\"home\",le=\"0.025\"} 2\n"),
      std::string::npos);
  EXPECT_NE(
      text.find("newsdesk_http_request_duration_seconds_bucket{route=\"home\",le=\"10\"} 2\n"),
      std::string::npos);
  EXPECT_NE(
      text.find("newsdesk_http_request_duration_seconds_bucket{route=\"home\",le=\"+Inf\"} 3\n"),
      std::string::npos);
  EXPECT_NE(text.find("newsdesk_http_request_duration_seconds_count{route=\"home\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("newsdesk_store_statement_duration_seconds_count{kind=\"write\"} 1\n"),
            std::string::npos);
  EXPECT_NE(
      text.find("newsdesk_store_statement_duration_seconds_bucket{kind=\"read\",le=\"5e-05\"} 1\n"),
      std::string::npos);
  expect_exposition_format(text);
}

TEST(Metrics, ExtraFamiliesAreEscapedAndParse) {
  Metrics metrics("/news/{slug}/");
  const std::string text = metrics.render(
      {{"newsdesk_items",
        "Items.",
        "gauge",
        {{"status=\"" + escape_label("a\"b\\c\nd") + "\"", 3}, {"status=\"x\"", 0.5}}}});
  EXPECT_NE(text.find("newsdesk_items{status=\"a\\\"b\\\\c\\nd\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE newsdesk_items gauge\n"), std::string::npos);
  expect_exposition_format(text);
}

TEST(Metrics, ResponseHasTheExpositionContentType) {
  Metrics metrics("/news/{slug}/");
  Request get{beast_http::verb::get, "/metrics", 11};
  const Response res = metrics_response(get, metrics, {});
  EXPECT_EQ(res.result(), beast_http::status::ok);
  EXPECT_EQ(res[beast_http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  Request post{beast_http::verb::post, "/metrics", 11};
  EXPECT_EQ(metrics_response(post, metrics, {}).result(), beast_http::status::method_not_allowed);
}

}  // namespace
}  // namespace newsdesk::http
