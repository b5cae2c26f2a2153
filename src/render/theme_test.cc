#include "render/theme.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/process.h"

namespace newsdesk::render {
namespace {

using newsdesk::testing::TempDir;

TEST(Theme, BuiltinRendersTemplatesInsideTheLayout) {
  const Theme theme = Theme::builtin();
  auto html = theme.render("error", mstch::map{{"heading", std::string("Oops")},
                                               {"message", std::string("Gone fishing")}});
  ASSERT_TRUE(html) << html.error().message;
  EXPECT_TRUE(html->starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html->find("<h1>Oops</h1>"), std::string::npos);
  EXPECT_NE(html->find("<main id=\"main\""), std::string::npos);
}

TEST(Theme, EscapesTheFiveHtmlCharactersButNotSlashes) {
  const Theme theme = Theme::builtin();
  auto html = theme.render("error", mstch::map{{"heading", std::string("<a href='/x'>&\"")},
                                               {"message", std::string("")}});
  ASSERT_TRUE(html);
  EXPECT_NE(html->find("<h1>&lt;a href=&#39;/x&#39;&gt;&amp;&quot;</h1>"), std::string::npos);
}

TEST(Theme, UnknownTemplateIsNotFound) {
  auto html = Theme::builtin().render("no-such-template", mstch::map{});
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().code, ErrorCode::kNotFound);
}

TEST(Theme, StylesheetHasAFingerprintedName) {
  const Theme theme = Theme::builtin();
  const std::string url = theme.asset_url("style.css");
  ASSERT_TRUE(url.starts_with("/static/style.")) << url;
  ASSERT_TRUE(url.ends_with(".css"));
  const StaticAsset* asset = theme.asset(url.substr(8));
  ASSERT_NE(asset, nullptr);
  EXPECT_EQ(asset->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(theme.asset("style.css"), nullptr);
  EXPECT_EQ(theme.asset_url("missing.css"), "");
}

TEST(Theme, FolderOverridesSingleFilesAndTheFingerprintFollowsContent) {
  TempDir folder;
  folder.write("templates/error.mustache", "<p class=\"own\">{{heading}}</p>");
  folder.write("static/style.css", "body{}");
  auto theme = Theme::load(folder.path());
  ASSERT_TRUE(theme) << theme.error().message;
  auto html = theme->render("error", mstch::map{{"heading", std::string("Mine")}});
  ASSERT_TRUE(html);
  EXPECT_NE(html->find("<p class=\"own\">Mine</p>"), std::string::npos);
  // The layout was not overridden: still the default's.
  EXPECT_NE(html->find("<a class=\"skip-link\""), std::string::npos);
  EXPECT_NE(theme->asset_url("style.css"), Theme::builtin().asset_url("style.css"));
  EXPECT_EQ(theme->asset(theme->asset_url("style.css").substr(8))->content, "body{}");
}

TEST(Theme, MissingFolderIsNotFound) {
  auto theme = Theme::load("/nonexistent/newsdesk-theme");
  ASSERT_FALSE(theme);
  EXPECT_EQ(theme.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace newsdesk::render
