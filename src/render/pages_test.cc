#include "render/pages.h"

#include <gtest/gtest.h>

namespace newsdesk::render {
namespace {

model::Site test_site() {
  model::Site site;
  site.title = "Test";
  site.base_url = "https://news.example.org/";
  site.time_zone = "Europe/Vienna";
  return site;
}

model::Item test_item(const std::string& slug) {
  model::Item item;
  item.slug = slug;
  item.title = "Title " + slug;
  item.status = model::Status::kPublished;
  item.published_at = model::DateTime{1530691890, 0};
  return item;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

TEST(Pages, RightToLeftLanguageSetsDir) {
  model::Site site = test_site();
  site.language = "ar";
  auto html = home_page(Theme::builtin(), site, Chrome{}, HomeView{});
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_NE(html->find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos);
  site.language = "en-GB";
  html = home_page(Theme::builtin(), site, Chrome{}, HomeView{});
  ASSERT_TRUE(html);
  EXPECT_NE(html->find("<html lang=\"en-GB\" dir=\"ltr\">"), std::string::npos);
}

TEST(Pages, TextDirectionByPrimarySubtag) {
  EXPECT_EQ(text_direction("ar"), "rtl");
  EXPECT_EQ(text_direction("he-IL"), "rtl");
  EXPECT_EQ(text_direction("FA"), "rtl");
  EXPECT_EQ(text_direction("ur_PK"), "rtl");
  EXPECT_EQ(text_direction("en"), "ltr");
  EXPECT_EQ(text_direction("ru"), "ltr");
  EXPECT_EQ(text_direction("arn"), "ltr");  // Mapudungun, not Arabic
  EXPECT_EQ(text_direction(""), "ltr");
}

TEST(Pages, DatesAreShownInTheSiteTimeZone) {
  // 2018-06-30T23:30:00Z is 1 July in Vienna.
  EXPECT_EQ(display_date(test_site(), model::DateTime{1530401400, 0}), "1 July 2018");
  model::Site utc = test_site();
  utc.time_zone = "UTC";
  EXPECT_EQ(display_date(utc, model::DateTime{1530401400, 120}), "30 June 2018");
}

TEST(Pages, FileLabels) {
  EXPECT_EQ(file_type_label("application/pdf", "x.pdf"), "PDF");
  EXPECT_EQ(file_type_label(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""),
            "Word");
  EXPECT_EQ(file_type_label("application/vnd.ms-excel", ""), "Excel");
  EXPECT_EQ(file_type_label("image/png", ""), "Image");
  EXPECT_EQ(file_type_label("", "annex.zip"), "ZIP");
  EXPECT_EQ(file_type_label("", "report.final.docx"), "DOCX");
  EXPECT_EQ(file_type_label("", "README"), "File");
  EXPECT_EQ(file_size_label(850), "850 bytes");
  EXPECT_EQ(file_size_label(12345), "12 KB");
  EXPECT_EQ(file_size_label(1234567), "1.2 MB");
  EXPECT_EQ(file_size_label(3400000000), "3.4 GB");
}

TEST(Pages, PaginationShowsEndsAndNeighboursWithGaps) {
  ListView view;
  for (int i = 0; i < 3; ++i) view.items.push_back(test_item("s" + std::to_string(i)));
  view.paging = Paging{10, 20};
  auto html = list_page(Theme::builtin(), test_site(), Chrome{}, view);
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_NE(html->find("<a href=\"/news/\">1</a>"), std::string::npos);
  for (int n : {8, 9, 11, 12, 20}) {
    EXPECT_NE(html->find("<a href=\"/news/page/" + std::to_string(n) + "/\">"), std::string::npos)
        << n;
  }
  EXPECT_NE(html->find("<a href=\"/news/page/10/\" aria-current=\"page\">10</a>"),
            std::string::npos);
  EXPECT_EQ(html->find("/news/page/5/"), std::string::npos);
  EXPECT_EQ(count(*html, "<li class=\"gap\""), 2u);
  EXPECT_NE(html->find("<a href=\"/news/page/9/\" rel=\"prev\">"), std::string::npos);
  EXPECT_NE(html->find("<a href=\"/news/page/11/\" rel=\"next\">"), std::string::npos);
}

TEST(Pages, SinglePageHasNoPagination) {
  ListView view;
  view.items.push_back(test_item("only"));
  auto html = list_page(Theme::builtin(), test_site(), Chrome{}, view);
  ASSERT_TRUE(html);
  EXPECT_EQ(html->find("class=\"pagination\""), std::string::npos);
}

TEST(Pages, CroppedTeaserIsNotRepeatedAsTheLead) {
  ItemView view;
  view.item = test_item("x");
  view.item.teaser = "The first words of the body...";
  auto html = item_page(Theme::builtin(), test_site(), Chrome{}, view);
  ASSERT_TRUE(html);
  EXPECT_EQ(html->find("class=\"lead\""), std::string::npos);
  view.item.teaser = "A summary an editor wrote.";
  html = item_page(Theme::builtin(), test_site(), Chrome{}, view);
  ASSERT_TRUE(html);
  EXPECT_NE(html->find("<p class=\"lead\">A summary an editor wrote.</p>"), std::string::npos);
}

TEST(Pages, NewsCardNeverBorrowsThePageContext) {
  // The item has no teaser and no categories; the page has both keys in
  // its own context (the search box's query, the sidebar's categories).
  HomeView view;
  view.items.push_back(test_item("bare"));
  Chrome chrome;
  model::Category c;
  c.slug = "press";
  c.name = "Press";
  chrome.categories.push_back(CategoryCount{c, 1});
  auto html = home_page(Theme::builtin(), test_site(), chrome, view);
  ASSERT_TRUE(html);
  const auto card = html->find("<article class=\"news-card\">");
  ASSERT_NE(card, std::string::npos);
  const std::string card_html = html->substr(card, html->find("</article>", card) - card);
  EXPECT_EQ(card_html.find("class=\"teaser\""), std::string::npos);
  EXPECT_EQ(card_html.find("/category/press/"), std::string::npos);
}

}  // namespace
}  // namespace newsdesk::render
