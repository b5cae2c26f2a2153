#include "model/permalink.h"

#include <gtest/gtest.h>

namespace newsdesk::model {
namespace {

TEST(Permalink, ValidatesPattern) {
  EXPECT_TRUE(is_valid_permalink_pattern("/news/{slug}/"));
  EXPECT_TRUE(is_valid_permalink_pattern("/news-centre/news-detail/{slug}/"));
  EXPECT_FALSE(is_valid_permalink_pattern("news/{slug}/"));
  EXPECT_FALSE(is_valid_permalink_pattern("/news/"));
  EXPECT_FALSE(is_valid_permalink_pattern("/news/{slug}/{slug}/"));
  EXPECT_FALSE(is_valid_permalink_pattern("/{year}/{slug}/"));
}

TEST(Permalink, ExpandsSlug) {
  EXPECT_EQ(expand_permalink("/news-centre/news-detail/{slug}/", "abc"),
            "/news-centre/news-detail/abc/");
}

TEST(Permalink, MatchesPathBackToSlug) {
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/abc-1/"), "abc-1");
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/"), std::nullopt);
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/a/b/"), std::nullopt);
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/abc"), std::nullopt);
  EXPECT_EQ(match_permalink("/news/{slug}/", "/other/abc/"), std::nullopt);
}

TEST(Permalink, AbsoluteUrlHasExactlyOneSlash) {
  EXPECT_EQ(absolute_url("https://www.icmpd.org/", "/news-centre/x/"),
            "https://www.icmpd.org/news-centre/x/");
  EXPECT_EQ(absolute_url("https://www.icmpd.org", "news-centre/x/"),
            "https://www.icmpd.org/news-centre/x/");
  EXPECT_EQ(absolute_url("https://www.icmpd.org//", "//rss.xml"), "https://www.icmpd.org/rss.xml");
}

TEST(Permalink, RedirectKeyNormalisesOldUrls) {
  EXPECT_EQ(redirect_key("https://www.icmpd.org//news-centre/news-detail/x/"),
            "/news-centre/news-detail/x/");
  EXPECT_EQ(redirect_key("//news-centre//x/?id=1&b=2#top"), "/news-centre/x/?id=1&b=2");
  EXPECT_EQ(redirect_key("https://example.org"), "/");
  EXPECT_EQ(redirect_key("https://example.org?id=3"), "/?id=3");
  EXPECT_EQ(redirect_key("news/x/"), "");
  EXPECT_EQ(redirect_key(""), "");
}

TEST(Permalink, ItemUrlUsesSitePattern) {
  Site site;
  site.base_url = "https://www.icmpd.org/";
  site.news_permalink = "/news-centre/news-detail/{slug}/";
  EXPECT_EQ(item_url(site, "x"), "https://www.icmpd.org/news-centre/news-detail/x/");
}

}  // namespace
}  // namespace newsdesk::model

namespace newsdesk::model {
namespace {

TEST(ListingPaths, PageOneIsTheListingItself) {
  EXPECT_EQ(news_list_path(), "/news/");
  EXPECT_EQ(news_list_path(1), "/news/");
  EXPECT_EQ(news_list_path(2), "/news/page/2/");
  EXPECT_EQ(category_page_path("press-release", 3), "/category/press-release/page/3/");
}

TEST(ListingPaths, ArchivePathsPadTheMonth) {
  EXPECT_EQ(archive_path(), "/archive/");
  EXPECT_EQ(archive_path(2018), "/archive/2018/");
  EXPECT_EQ(archive_path(2018, 7), "/archive/2018/07/");
  EXPECT_EQ(archive_path(2018, 11, 2), "/archive/2018/11/page/2/");
}

TEST(ListingPaths, SearchPathEncodesTheQuery) {
  EXPECT_EQ(search_path("migration policy"), "/search?q=migration+policy");
  EXPECT_EQ(search_path("\"a&b\"", 2), "/search?q=%22a%26b%22&page=2");
  EXPECT_EQ(search_path("миграция"), "/search?q=%D0%BC%D0%B8%D0%B3%D1%80%D0%B0%D1%86%D0%B8%D1%8F");
}

}  // namespace
}  // namespace newsdesk::model
