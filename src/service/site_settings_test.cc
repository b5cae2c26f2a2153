#include "service/site_settings.h"

#include <gtest/gtest.h>

#include <memory>

namespace newsdesk::service {
namespace {

class SiteSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store("sqlite::memory:");
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->migrate());
    base_.title = "Example News";
    base_.description = "From the configuration";
    base_.language = "en";
    base_.time_zone = "Europe/Vienna";
    base_.feed_items = 20;
    base_.base_url = "https://news.example/";
  }

  SiteSettings valid() const { return {"Centre", "Desc", "fr", "Europe/Paris", 5}; }

  std::unique_ptr<store::Store> store_;
  model::Site base_;
};

TEST_F(SiteSettingsTest, WithoutSavedSettingsTheConfigurationStands) {
  auto site = effective_site(*store_, base_);
  ASSERT_TRUE(site);
  EXPECT_EQ(*site, base_);
}

TEST_F(SiteSettingsTest, SavedSettingsWinOverTheConfigurationButNotTheAddress) {
  ASSERT_TRUE(save_site_settings(*store_, valid()));
  auto site = effective_site(*store_, base_);
  ASSERT_TRUE(site);
  EXPECT_EQ(settings_of(*site), valid());
  EXPECT_EQ(site->base_url, "https://news.example/");
}

TEST_F(SiteSettingsTest, TextIsTrimmedAndCollapsed) {
  SiteSettings s = valid();
  s.title = "  Centre \n de   presse ";
  s.time_zone = " America/New_York ";
  auto checked = validate_site_settings(s);
  ASSERT_TRUE(checked);
  EXPECT_EQ(checked->title, "Centre de presse");
  EXPECT_EQ(checked->time_zone, "America/New_York");
}

TEST_F(SiteSettingsTest, EachWrongFieldIsNamedAndNothingIsSaved) {
  struct Case {
    SiteSettings settings;
    std::string says;
  };
  std::vector<Case> cases;
  SiteSettings s = valid();
  s.title = "   ";
  cases.push_back({s, "title is empty"});
  s = valid();
  s.title = std::string(201, 'x');
  cases.push_back({s, "title is longer"});
  s = valid();
  s.description = std::string(501, 'x');
  cases.push_back({s, "description is longer"});
  for (const std::string tag : {"", "e", "english-language-tag", "en_GB", "12", "en--GB", "en-",
                                "fr-<script>", "toolongsubtag-abcdefghi"}) {
    s = valid();
    s.language = tag;
    cases.push_back({s, "language"});
  }
  for (const std::string zone : {"", "Mars/Olympus", "Etc/Unknown", "Europe/Viena"}) {
    s = valid();
    s.time_zone = zone;
    cases.push_back({s, "time zone"});
  }
  for (int n : {0, -1, 1001}) {
    s = valid();
    s.feed_items = n;
    cases.push_back({s, "feed size"});
  }
  for (const Case& c : cases) {
    auto r = save_site_settings(*store_, c.settings);
    ASSERT_FALSE(r) << c.says;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
  auto site = effective_site(*store_, base_);
  ASSERT_TRUE(site);
  EXPECT_EQ(*site, base_);
}

TEST_F(SiteSettingsTest, LanguageTagsOfTheCommonShapesPass) {
  for (const std::string tag : {"en", "fr", "pt-BR", "zh-Hant-TW", "sr-Latn", "ast", "es-419"}) {
    SiteSettings s = valid();
    s.language = tag;
    EXPECT_TRUE(validate_site_settings(s)) << tag;
  }
}

TEST_F(SiteSettingsTest, ABrokenStoredValueFallsBackToTheConfiguration) {
  ASSERT_TRUE(save_site_settings(*store_, valid()));
  ASSERT_TRUE(store_->save_setting("site.time_zone", "Nowhere/Land"));
  auto site = effective_site(*store_, base_);
  ASSERT_TRUE(site);
  EXPECT_EQ(*site, base_);
  ASSERT_TRUE(store_->save_setting("site.time_zone", "Europe/Paris"));
  ASSERT_TRUE(store_->save_setting("feeds.items", "lots"));
  site = effective_site(*store_, base_);
  ASSERT_TRUE(site);
  EXPECT_EQ(site->title, "Centre");
  EXPECT_EQ(site->feed_items, 20) << "the unreadable feed size alone is ignored";
}

}  // namespace
}  // namespace newsdesk::service
