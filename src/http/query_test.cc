#include "http/query.h"

#include <gtest/gtest.h>

namespace newsdesk::http {
namespace {

TEST(PathOf, DropsQueryAndFragment) {
  EXPECT_EQ(path_of("/search?q=x#top"), "/search");
  EXPECT_EQ(path_of("/news/#a"), "/news/");
  EXPECT_EQ(path_of("/"), "/");
}

TEST(QueryParam, DecodesPercentEscapesAndPlus) {
  EXPECT_EQ(query_param("/search?q=migration+policy", "q"), "migration policy");
  EXPECT_EQ(query_param("/search?page=2&q=%22a%26b%22", "q"), "\"a&b\"");
  EXPECT_EQ(query_param("/search?q=%D0%BC%D0%B8%D1%80", "q"), "мир");
}

TEST(QueryParam, AbsentEmptyAndFirstOfSeveral) {
  EXPECT_EQ(query_param("/search", "q"), std::nullopt);
  EXPECT_EQ(query_param("/search?x=1", "q"), std::nullopt);
  EXPECT_EQ(query_param("/search?q", "q"), "");
  EXPECT_EQ(query_param("/search?q=&q=b", "q"), "");
  EXPECT_EQ(query_param("/search?q=a&q=b", "q"), "a");
}

TEST(QueryParam, KeepsMalformedEscapesAndDropsNul) {
  EXPECT_EQ(query_param("/search?q=100%", "q"), "100%");
  EXPECT_EQ(query_param("/search?q=%zz%4", "q"), "%zz%4");
  EXPECT_EQ(query_param("/search?q=a%00b", "q"), "ab");
}

TEST(PageNumber, AcceptsOnlyCanonicalPositiveNumbers) {
  EXPECT_EQ(parse_page_number("2"), 2);
  EXPECT_EQ(parse_page_number("123456789"), 123456789);
  EXPECT_EQ(parse_page_number("0"), std::nullopt);
  EXPECT_EQ(parse_page_number("02"), std::nullopt);
  EXPECT_EQ(parse_page_number("-1"), std::nullopt);
  EXPECT_EQ(parse_page_number("1e3"), std::nullopt);
  EXPECT_EQ(parse_page_number("1234567890"), std::nullopt);
  EXPECT_EQ(parse_page_number(""), std::nullopt);
}

}  // namespace
}  // namespace newsdesk::http
