#include "service/import.h"

#include <gtest/gtest.h>

namespace newsdesk::service {
namespace {

const std::vector<std::string> kPrefixes = {"Press Release:", "Project News:"};

TEST(TitlePrefixCategory, ConfiguredPrefixNamesCategory) {
  EXPECT_EQ(title_prefix_category("Press Release: First centre opened", {}, kPrefixes),
            "Press Release");
}

TEST(TitlePrefixCategory, UnconfiguredLabelNeedsTwoUses) {
  const std::vector<std::string> titles = {"Expert Voice: One", "Expert Voice: Two",
                                           "Kabul: A city"};
  EXPECT_EQ(title_prefix_category("Expert Voice: One", titles, {}), "Expert Voice");
  EXPECT_EQ(title_prefix_category("Kabul: A city", titles, {}), "");
}

TEST(TitlePrefixCategory, SentencesAreNotLabels) {
  const std::vector<std::string> titles = {"Why we did it, and how: a story",
                                           "Why we did it, and how: a story"};
  EXPECT_EQ(title_prefix_category(titles[0], titles, {}), "");
  EXPECT_EQ(title_prefix_category("Statement on the occasion of World Day", titles, {}), "");
}

TEST(SlugForImport, TakesTheLinksLastSegment) {
  EXPECT_EQ(slug_for_import("https://www.icmpd.org//news-centre/news-detail/project-news-9th/",
                            "ignored"),
            "project-news-9th");
}

TEST(SlugForImport, FallsBackToTitle) {
  EXPECT_EQ(slug_for_import("https://example.org/index.php?id=123", "ICMPD's News"), "icmpds-news");
  EXPECT_EQ(slug_for_import("https://example.org/2018/07/04/", "Hello World"), "hello-world");
  EXPECT_EQ(slug_for_import("", "Hello World"), "hello-world");
  EXPECT_EQ(slug_for_import("", ""), "item");
}

TEST(SlugForImport, DropsPageExtensions) {
  EXPECT_EQ(slug_for_import("https://example.org/news/big-news.html", "x"), "big-news");
}

TEST(SourceId, GuidThenLinkThenHash) {
  feed::ParsedItem item;
  item.title = "T";
  const std::string hash = source_id_for(item);
  EXPECT_TRUE(hash.starts_with("hash:"));
  EXPECT_EQ(source_id_for(item), hash);  // stable
  item.link = "https://example.org/a/";
  EXPECT_EQ(source_id_for(item), "https://example.org/a/");
  item.guid = "g-1";
  EXPECT_EQ(source_id_for(item), "g-1");
}

}  // namespace
}  // namespace newsdesk::service
