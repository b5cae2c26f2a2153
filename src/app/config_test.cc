#include "app/config.h"

#include <gtest/gtest.h>

namespace newsdesk::app {
namespace {

TEST(Config, EmptyFileGivesDefaults) {
  auto config = parse_config("", "test.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->database_url, "sqlite:newsdesk.db");
  EXPECT_EQ(config->listen, "127.0.0.1:8080");
  EXPECT_EQ(config->site.news_permalink, "/news/{slug}/");
  EXPECT_FALSE(config->site.image);
}

TEST(Config, ReadsEveryDesignKey) {
  auto config = parse_config(R"(
[site]
title = "www.icmpd.org"
description = "NEWS CENTRE"
base_url = "https://www.icmpd.org"
language = "en"
languages = ["en", "fr", "ar"]
time_zone = "Europe/Vienna"
image = { url = "https://x/i.gif", title = "t", link = "https://x/", width = 18, height = 16 }
[permalinks]
news = "/news-centre/news-detail/{slug}/"
[feeds]
items = 10
full_text = false
max_age = 60
stylesheet = false
websub_hub = "https://hub.example.org/"
[server]
listen = "0.0.0.0:9000"
[database]
url = "sqlite:data/n.db"
)",
                             "test.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->site.title, "www.icmpd.org");
  EXPECT_EQ(config->site.base_url, "https://www.icmpd.org/");  // slash added
  // The default language is served at the root, so it is not one of the
  // prefixed others even when the list names it.
  EXPECT_EQ(config->site.languages, (std::vector<std::string>{"fr", "ar"}));
  EXPECT_EQ(config->site.time_zone, "Europe/Vienna");
  ASSERT_TRUE(config->site.image);
  EXPECT_EQ(config->site.image->width, 18);
  EXPECT_EQ(config->site.news_permalink, "/news-centre/news-detail/{slug}/");
  EXPECT_EQ(config->site.feed_items, 10);
  EXPECT_FALSE(config->site.feed_full_text);
  EXPECT_EQ(config->site.feed_max_age, 60);
  EXPECT_FALSE(config->site.feed_stylesheet);
  EXPECT_EQ(config->site.websub_hub, "https://hub.example.org/");
  EXPECT_EQ(config->listen, "0.0.0.0:9000");
  EXPECT_EQ(config->database_url, "sqlite:data/n.db");
}

TEST(Config, LanguagesAreCanonicalAndPrefixesChecked) {
  auto config = parse_config(R"(
[site]
language = "EN"
languages = ["fr", "pt_br", "fr", "ar"]
language_prefixes = { pt-BR = "/portugues/" }
unicode_slugs = true
)",
                             "test.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->site.language, "en");
  EXPECT_EQ(config->site.languages, (std::vector<std::string>{"fr", "pt-BR", "ar"}));
  EXPECT_EQ(config->site.language_prefixes.at("pt-BR"), "/portugues/");
  EXPECT_TRUE(config->site.unicode_slugs);

  for (const char* bad : {
           "[site]\nlanguage = \"english!\"",
           "[site]\nlanguages = [\"fr\", \"not a tag\"]",
           "[site]\nlanguages = [\"fr\"]\nlanguage_prefixes = { de = \"/de/\" }",
           "[site]\nlanguages = [\"fr\"]\nlanguage_prefixes = { fr = \"fr\" }",
           "[site]\nlanguages = [\"fr\"]\nlanguage_prefixes = { fr = \"/news/\" }",
           "[site]\nlanguages = [\"fr\", \"ar\"]\nlanguage_prefixes = { ar = \"/fr/\" }",
       }) {
    auto r = parse_config(bad, "bad.toml");
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_NE(r.error().message.find("bad.toml"), std::string::npos) << r.error().message;
    }
  }
}

TEST(Config, SyntaxErrorNamesLine) {
  auto config = parse_config("[site]\ntitle = \n", "bad.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, ErrorCode::kInvalid);
  EXPECT_NE(config.error().message.find("bad.toml: line 2"), std::string::npos)
      << config.error().message;
}

TEST(Config, RejectsWrongTypesAndValues) {
  EXPECT_FALSE(parse_config("[site]\ntitle = 1\n", "t"));
  EXPECT_FALSE(parse_config("[site]\ntime_zone = \"Mars/Olympus\"\n", "t"));
  EXPECT_FALSE(parse_config("[site]\nbase_url = \"example.org\"\n", "t"));
  EXPECT_FALSE(parse_config("[permalinks]\nnews = \"/news/\"\n", "t"));
  EXPECT_FALSE(parse_config("[feeds]\nitems = 0\n", "t"));
  EXPECT_FALSE(parse_config("[feeds]\nfull_text = \"yes\"\n", "t"));
  EXPECT_FALSE(parse_config("[feeds]\nwebsub_hub = \"hub\"\n", "t"));
  EXPECT_FALSE(parse_config("[server]\nlisten = \"localhost\"\n", "t"));
  EXPECT_FALSE(parse_config("[sever]\nlisten = \"127.0.0.1:1\"\n", "t"));
}

TEST(Config, HardeningKeysAndTheirDefaults) {
  auto defaults = parse_config("", "t");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->limits.max_body_bytes, 1024 * 1024);
  EXPECT_EQ(defaults->limits.max_upload_bytes, 20 * 1024 * 1024);
  EXPECT_EQ(defaults->metrics_allow, (std::vector<std::string>{"127.0.0.1/32", "::1/128"}));
  EXPECT_FALSE(defaults->import_allow_private_addresses);
  auto config = parse_config(R"(
[server]
max_body_bytes = 2048
max_upload_bytes = 104857600
metrics_allow = ["10.0.0.0/8", "fd00::/8"]
[import]
allow_private_addresses = true
)",
                             "t");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->limits.max_body_bytes, 2048);
  EXPECT_EQ(config->limits.max_upload_bytes, 100 * 1024 * 1024);
  EXPECT_EQ(config->metrics_allow, (std::vector<std::string>{"10.0.0.0/8", "fd00::/8"}));
  EXPECT_TRUE(config->import_allow_private_addresses);
  auto empty = parse_config("[server]\nmetrics_allow = []\n", "t");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->metrics_allow.empty());
}

TEST(Config, BadHardeningValuesNameTheKey) {
  for (const std::string& text : std::vector<std::string>{
           "[server]\nmax_body_bytes = 1023\n", "[server]\nmax_body_bytes = 67108865\n",
           "[server]\nmax_upload_bytes = 0\n", "[server]\nmax_upload_bytes = 1073741825\n",
           "[server]\nmetrics_allow = \"127.0.0.1\"\n", "[server]\nmetrics_allow = [\"*\"]\n",
           "[server]\nmetrics_allow = [\"::1/200\"]\n",
           "[import]\nallow_private_addresses = \"yes\"\n"}) {
    auto config = parse_config(text, "t");
    ASSERT_FALSE(config) << text;
    const std::string key = text.substr(text.find('\n') + 1, text.find(' ') - text.find('\n') - 1);
    EXPECT_NE(config.error().message.find(key), std::string::npos)
        << text << ": " << config.error().message;
  }
}

TEST(Config, ParsesListenAddresses) {
  auto v4 = parse_listen("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = parse_listen("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_FALSE(parse_listen("127.0.0.1:99999"));
  EXPECT_FALSE(parse_listen("127.0.0.1:"));
}

TEST(Config, MaxCacheBytes) {
  auto defaults = parse_config("", "t");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->max_cache_bytes, 64 * 1024 * 1024);
  auto set = parse_config("[server]\nmax_cache_bytes = 16777216\n", "t");
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->max_cache_bytes, 16777216);
  for (const char* bad :
       {"[server]\nmax_cache_bytes = 1000\n", "[server]\nmax_cache_bytes = 2147483648\n",
        "[server]\nmax_cache_bytes = \"64M\"\n"}) {
    auto config = parse_config(bad, "t");
    ASSERT_FALSE(config) << bad;
    EXPECT_NE(config.error().message.find("max_cache_bytes"), std::string::npos)
        << config.error().message;
  }
}

}  // namespace
}  // namespace newsdesk::app
