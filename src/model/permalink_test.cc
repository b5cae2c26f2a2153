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

TEST(Permalink, MatchesPermalinkAgreesWithMatchPermalink) {
  const std::string_view patterns[] = {"/news/{slug}/", "/n-{slug}.html", "/{slug}"};
  const std::string_view paths[] = {"/news/abc-1/",
                                    "/news/",
                                    "/news/a/b/",
                                    "/news/abc",
                                    "/other/abc/",
                                    "/news/%D0%BF/",
                                    "/news/%d0%bf/",
                                    "/news/%2F/",
                                    "/news/%2f/",
                                    "/news/%G0/",
                                    "/news/%D/",
                                    "/news/\xff/",
                                    "/news/%FF/",
                                    "/news/caf\xc3\xa9/",
                                    "/n-x.html",
                                    "/n-.html",
                                    "/n-a/b.html",
                                    "/x",
                                    "/",
                                    "",
                                    "/%41"};
  for (const auto pattern : patterns) {
    for (const auto path : paths) {
      EXPECT_EQ(matches_permalink(pattern, path), match_permalink(pattern, path).has_value())
          << pattern << " " << path;
    }
  }
  EXPECT_TRUE(matches_permalink("/news/{slug}/", "/news/abc/"));
  EXPECT_FALSE(matches_permalink("/news/{slug}/", "/news/\xff/"));
}

TEST(Permalink, ExpandsUnicodeSlugPercentEncoded) {
  EXPECT_EQ(expand_permalink("/news/{slug}/", "пресс-релиз"),
            "/news/%D0%BF%D1%80%D0%B5%D1%81%D1%81-%D1%80%D0%B5%D0%BB%D0%B8%D0%B7/");
  EXPECT_EQ(expand_permalink("/news/{slug}/", "新闻稿"), "/news/%E6%96%B0%E9%97%BB%E7%A8%BF/");
  EXPECT_EQ(expand_permalink("/news/{slug}/", "café-2018"), "/news/caf%C3%A9-2018/");
  // Whatever a slug holds, nothing in it can end the path segment.
  EXPECT_EQ(expand_permalink("/n/{slug}/", "a/b?c#d%e f"), "/n/a%2Fb%3Fc%23d%25e%20f/");
  EXPECT_EQ(expand_permalink("/n/{slug}/", "a.b_c~d-e"), "/n/a.b_c~d-e/");
}

TEST(Permalink, ItemUrlOfUnicodeSlugIsPercentEncoded) {
  Site site;
  site.base_url = "https://news.example.org/";
  site.news_permalink = "/novosti/{slug}/";
  EXPECT_EQ(item_url(site, "δελτίο"),
            "https://news.example.org/novosti/%CE%B4%CE%B5%CE%BB%CF%84%CE%AF%CE%BF/");
}

TEST(Permalink, MatchesPercentEncodedPathBackToUnicodeSlug) {
  for (const char* slug :
       {"пресс-релиз", "新闻稿", "بيان-صحفي", "δελτίο-τύπου", "abc-1", "\U00020000-\u0928\u094D"}) {
    EXPECT_EQ(match_permalink("/news/{slug}/", expand_permalink("/news/{slug}/", slug)), slug)
        << slug;
  }
  // Lower-case hex and raw UTF-8, as some clients send, find the same slug.
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/%d0%bf%D1%80-x/"), "пр-x");
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/пресс/"), "пресс");
}

TEST(Permalink, RejectsEncodedSlashMalformedEscapesAndInvalidUtf8) {
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/a%2Fb/"), std::nullopt);
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/a%2fb/"), std::nullopt);
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/a%2/"), std::nullopt);
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/a%/"), std::nullopt);
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/a%G0/"), std::nullopt);
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/%D0/"), std::nullopt);        // cut short
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/%FF%FE/"), std::nullopt);     // no UTF-8
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/%C0%AF/"), std::nullopt);     // overlong '/'
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/%ED%A0%80/"), std::nullopt);  // surrogate
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/%F4%90%80%80/"), std::nullopt);
  EXPECT_EQ(match_permalink("/news/{slug}/", "/news/\xD0/"), std::nullopt);
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
