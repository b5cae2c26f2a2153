// Translations in the admin and the JSON API against a real `newsdesk
// serve` on a site in English that also serves French and Arabic: the edit
// page shows the group side by side (missing, outdated), its button makes a
// draft translation; the API carries language, translation_of and the group.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "support/html_check.h"
#include "support/process.h"

namespace newsdesk {
namespace {

using nlohmann::json;
using testing::form;
using testing::http_request;
using testing::run_command;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// Updated times count in whole seconds: a change to count as later than
// another must come in a later second.
void next_second() { std::this_thread::sleep_for(std::chrono::milliseconds(1100)); }

class AdminApiTranslations : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = "sqlite:" + dir_->path() + "/news.db";
    config_ = dir_->path() + "/newsdesk.toml";
    std::ofstream(config_) << R"toml([site]
title = "News Centre"
base_url = "https://news.example.org/"
language = "en"
languages = ["fr", "ar"]
)toml";
    auto added = testing::add_user(db_, "edna", "editor", "editor-password");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    auto token = run_command(
        {testing::newsdesk_binary(), "token", "create", "edna", "--db", db_, "--config", config_});
    ASSERT_EQ(token.exit_code, 0) << token.err;
    token_ = testing::last_word(token.out);
    server_ = new testing::ServerProcess({"--db", db_, "--config", config_});
    ASSERT_TRUE(server_->started());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static testing::HttpReply get(const std::string& target, const std::string& cookie) {
    return http_request(server_->port(), "GET", target, {{"Cookie", cookie}});
  }
  static testing::HttpReply post(const std::string& target, const std::string& body,
                                 const std::string& cookie) {
    return http_request(server_->port(), "POST", target,
                        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}},
                        body);
  }
  static testing::HttpReply call(const std::string& method, const std::string& target,
                                 const json& body = nullptr) {
    return http_request(
        server_->port(), method, target,
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token_}},
        body.is_null() ? std::string() : body.dump());
  }
  static json call_json(const std::string& method, const std::string& target, int want,
                        const json& body = nullptr) {
    const auto reply = call(method, target, body);
    EXPECT_EQ(reply.status, want) << method << " " << target << ": " << reply.body;
    return json::parse(reply.body, nullptr, false);
  }

  static std::string login() {
    auto reply = http_request(server_->port(), "POST", "/admin/login",
                              {{"Content-Type", "application/x-www-form-urlencoded"}},
                              form({{"name", "edna"}, {"password", "editor-password"}}));
    EXPECT_EQ(reply.status, 303) << reply.body;
    const std::string set_cookie = reply.headers["set-cookie"];
    return set_cookie.substr(0, set_cookie.find(';'));
  }

  static std::string csrf_of(const std::string& html) {
    static const std::regex csrf(R"re(name="csrf" value="([^"]+)")re");
    std::smatch m;
    return std::regex_search(html, m, csrf) ? std::string(m[1]) : std::string();
  }

  // The column of one language in the edit page's translations grid.
  static std::string column(const std::string& html, const std::string& language) {
    const auto start = html.find("aria-labelledby=\"tr-" + language + "\"");
    if (start == std::string::npos) return "";
    return html.substr(start, html.find("</article>", start) - start);
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static std::string db_;
  static std::string config_;
  static std::string token_;
};

testing::TempDir* AdminApiTranslations::dir_ = nullptr;
testing::ServerProcess* AdminApiTranslations::server_ = nullptr;
std::string AdminApiTranslations::db_;
std::string AdminApiTranslations::config_;
std::string AdminApiTranslations::token_;

TEST_F(AdminApiTranslations, EditorCreatesAMissingTranslationAndSeesItOutdated) {
  const std::string cookie = login();
  const std::string csrf = csrf_of(get("/admin/", cookie).body);
  auto created = post("/admin/news",
                      form({{"csrf", csrf},
                            {"title", "Annual report"},
                            {"teaser", "What we did this year."},
                            {"body", "The **report**."},
                            {"language", "en"},
                            {"status", "draft"}}),
                      cookie);
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string original =
      created.headers.at("location").substr(0, created.headers.at("location").find('?'));
  const std::string original_id = original.substr(std::string("/admin/news/").size());

  auto page = get(original, cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(testing::html_parse_errors(page.body), 0u);
  EXPECT_TRUE(contains(page.body, "<h2 id=\"translations-heading\">Translations</h2>"));
  EXPECT_TRUE(contains(page.body, "<select id=\"f-language\" name=\"language\">"));
  EXPECT_TRUE(contains(page.body, "<option value=\"en\" selected>English (en)</option>"));
  EXPECT_TRUE(contains(column(page.body, "en"), "Original"));
  const std::string fr = column(page.body, "fr");
  EXPECT_TRUE(contains(fr, "Français")) << fr;
  EXPECT_TRUE(contains(fr, "Missing")) << fr;
  EXPECT_TRUE(contains(fr, "action=\"/admin/news/" + original_id + "/translations\"")) << fr;
  EXPECT_TRUE(contains(fr, "Create translation")) << fr;
  EXPECT_TRUE(contains(column(page.body, "ar"), "Missing"));

  // Press "Create translation" in the French column.
  auto made = post(original + "/translations", form({{"csrf", csrf}, {"language", "fr"}}), cookie);
  ASSERT_EQ(made.status, 303) << made.body;
  const std::string draft = made.headers.at("location");
  EXPECT_TRUE(draft.starts_with("/admin/news/")) << draft;
  EXPECT_NE(draft.substr(0, draft.find('?')), original);
  page = get(draft, cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(testing::html_parse_errors(page.body), 0u);
  EXPECT_TRUE(contains(page.body, "A draft translation, copied from the original"));
  EXPECT_TRUE(contains(page.body, "<option value=\"fr\" selected>Français (fr)</option>"));
  EXPECT_TRUE(contains(page.body, "translation of <a href=\"" + original + "\">Annual report</a>"));
  EXPECT_TRUE(contains(
      page.body, "name=\"slug\" pattern=\"[a-z0-9]+(-[a-z0-9]+)*\" value=\"annual-report-fr\""))
      << page.body;
  EXPECT_TRUE(contains(page.body, "The **report**."));  // the body, to translate
  EXPECT_TRUE(contains(column(page.body, "fr"), "Up to date"));
  EXPECT_TRUE(contains(column(page.body, "fr"), "this item"));
  EXPECT_TRUE(contains(column(page.body, "fr"), "Status: draft"));
  EXPECT_TRUE(contains(column(page.body, "en"), "href=\"" + original + "\""));
  // The same language twice is refused, with the reason.
  auto twice = post(original + "/translations", form({{"csrf", csrf}, {"language", "fr"}}), cookie);
  EXPECT_EQ(twice.status, 409);
  EXPECT_TRUE(contains(twice.body, "Français (fr) version of this item already")) << twice.body;
  // Without the session's token nothing is made.
  EXPECT_EQ(post(original + "/translations", form({{"language", "ar"}}), cookie).status, 403);

  // Editing the original makes the translation outdated.
  next_second();
  auto edited = post(original,
                     form({{"csrf", csrf},
                           {"title", "Annual report"},
                           {"body", "The **report**, with a correction."},
                           {"language", "en"},
                           {"status", "draft"}}),
                     cookie);
  ASSERT_EQ(edited.status, 303) << edited.body;
  page = get(draft, cookie);
  const std::string outdated = column(page.body, "fr");
  EXPECT_TRUE(contains(outdated, "Outdated — the original changed on ")) << outdated;
  EXPECT_FALSE(contains(outdated, "Up to date"));
  // Translating the change brings it up to date.
  next_second();
  auto translated = post(draft.substr(0, draft.find('?')),
                         form({{"csrf", csrf},
                               {"title", "Rapport annuel"},
                               {"body", "Le **rapport**, corrigé."},
                               {"language", "fr"},
                               {"status", "draft"}}),
                         cookie);
  ASSERT_EQ(translated.status, 303) << translated.body;
  page = get(original, cookie);
  EXPECT_TRUE(contains(column(page.body, "fr"), "Up to date"));
  EXPECT_TRUE(contains(column(page.body, "fr"), "Rapport annuel"));
}

TEST_F(AdminApiTranslations, ApiCarriesLanguagesAndTheGroup) {
  const json original = call_json(
      "POST", "/api/v1/news", 201,
      {{"title", "Statement on migration"}, {"body_markdown", "Text."}, {"status", "published"}});
  const std::int64_t id = original["id"];
  EXPECT_EQ(original["language"], "en");
  EXPECT_TRUE(original["translation_of"].is_null());
  const std::string one = "/api/v1/news/" + std::to_string(id);
  EXPECT_EQ(call_json("GET", one, 200)["translations"], json::array());

  const json fr = call_json("POST", one + "/translations", 201, {{"language", "fr"}});
  EXPECT_EQ(fr["language"], "fr");
  EXPECT_EQ(fr["translation_of"], id);
  EXPECT_EQ(fr["status"], "draft");
  EXPECT_EQ(fr["slug"], "statement-on-migration-fr");
  EXPECT_EQ(fr["url"], "https://news.example.org/fr/news/statement-on-migration-fr/");
  EXPECT_EQ(fr["title"], "Statement on migration");
  const std::int64_t fr_id = fr["id"];
  EXPECT_EQ(call("POST", one + "/translations", {{"language", "fr"}}).status, 409);
  EXPECT_EQ(call("POST", one + "/translations", {{"language", "de"}}).status, 400);
  EXPECT_EQ(call("POST", one + "/translations", {{"lang", "ar"}}).status, 400);

  // Naming any member puts an item into the group of its original.
  const json ar = call_json("POST", "/api/v1/news", 201,
                            {{"title", "بيان"},
                             {"body_html", "<p>نص</p>"},
                             {"language", "AR"},
                             {"translation_of", fr_id}});
  EXPECT_EQ(ar["language"], "ar");
  EXPECT_EQ(ar["translation_of"], id);
  const std::int64_t ar_id = ar["id"];
  const auto missing = call("POST", "/api/v1/news",
                            {{"title", "x"}, {"language", "de"}, {"translation_of", 999999}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(contains(missing.body, "translation_of")) << missing.body;
  EXPECT_EQ(call("POST", "/api/v1/news", {{"title", "x"}, {"translation_of", "one"}}).status, 400);
  EXPECT_EQ(call("PATCH", "/api/v1/news/" + std::to_string(ar_id), {{"language", "fr"}}).status,
            409);
  EXPECT_EQ(
      call("PATCH", "/api/v1/news/" + std::to_string(ar_id), {{"language", "no tag!"}}).status,
      400);

  json group = call_json("GET", "/api/v1/news/" + std::to_string(fr_id), 200)["translations"];
  ASSERT_EQ(group.size(), 3u) << group.dump();
  EXPECT_EQ(group[0]["id"], id);
  EXPECT_EQ(group[0]["language"], "en");
  EXPECT_EQ(group[0]["original"], true);
  EXPECT_EQ(group[0]["status"], "published");
  EXPECT_EQ(group[1]["id"], fr_id);
  EXPECT_EQ(group[1]["slug"], "statement-on-migration-fr");
  EXPECT_EQ(group[1]["outdated"], false);
  EXPECT_EQ(group[2]["id"], ar_id);

  next_second();
  call_json("PATCH", one, 200, {{"teaser", "A new summary."}});
  group = call_json("GET", one, 200)["translations"];
  EXPECT_EQ(group[1]["outdated"], true);
  EXPECT_EQ(group[2]["outdated"], true);
  next_second();
  call_json("PATCH", "/api/v1/news/" + std::to_string(fr_id), 200,
            {{"title", "Déclaration sur la migration"}});
  group = call_json("GET", one, 200)["translations"];
  EXPECT_EQ(group[1]["outdated"], false);
  EXPECT_EQ(group[2]["outdated"], true);

  // A PUT keeps the group and the language.
  const json put = call_json("PUT", "/api/v1/news/" + std::to_string(ar_id), 200,
                             {{"title", "بيان"}, {"body_html", "<p>نص جديد</p>"}});
  EXPECT_EQ(put["translation_of"], id);
  EXPECT_EQ(put["language"], "ar");

  // The list by language.
  const json french = call_json("GET", "/api/v1/news?language=fr", 200);
  ASSERT_GE(french["items"].size(), 1u);
  for (const json& item : french["items"]) EXPECT_EQ(item["language"], "fr");
  bool has_fr = false;
  for (const json& item : french["items"]) has_fr = has_fr || item["id"] == fr_id;
  EXPECT_TRUE(has_fr);
  const json english = call_json("GET", "/api/v1/news?language=en", 200);
  for (const json& item : english["items"]) EXPECT_EQ(item["language"], "en") << item.dump();
  EXPECT_EQ(call("GET", "/api/v1/news?language=%3F%3F").status, 400);

  // Leaving the group.
  const json left = call_json("PATCH", "/api/v1/news/" + std::to_string(ar_id), 200,
                              {{"translation_of", nullptr}});
  EXPECT_TRUE(left["translation_of"].is_null());
  EXPECT_EQ(call_json("GET", one, 200)["translations"].size(), 2u);
}

}  // namespace
}  // namespace newsdesk
