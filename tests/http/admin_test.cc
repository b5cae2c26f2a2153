// The admin interface over HTTP against a real `newsdesk serve`: login,
// sessions, CSRF, throttling, writing and publishing through forms, the
// embargo preview link, and the pages themselves (valid HTML, CSP).

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "support/html_check.h"
#include "support/process.h"

namespace newsdesk {
namespace {

using testing::form;
using testing::http_get;
using testing::http_request;
using testing::run_command;
using testing::url_encode;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

class Admin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = "sqlite:" + dir_->path() + "/news.db";
    add_user("edna", "editor", "editor-password");
    add_user("arthur", "author", "author-password");
    add_user("victim", "editor", "victim-password");
    server_ = new testing::ServerProcess({"--db", db_});
    ASSERT_TRUE(server_->started());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static void add_user(const std::string& name, const std::string& role,
                       const std::string& password) {
    auto r = testing::add_user(db_, name, role, password);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  static testing::HttpReply post(const std::string& target, const std::string& body,
                                 const std::string& cookie = "",
                                 std::map<std::string, std::string> headers = {}) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    if (!cookie.empty()) headers["Cookie"] = cookie;
    return http_request(server_->port(), "POST", target, headers, body);
  }

  static testing::HttpReply get(const std::string& target, const std::string& cookie = "") {
    std::map<std::string, std::string> headers;
    if (!cookie.empty()) headers["Cookie"] = cookie;
    return http_request(server_->port(), "GET", target, headers);
  }

  // Logs in and returns the Cookie header value to send.
  static std::string login(const std::string& name, const std::string& password) {
    auto reply = post("/admin/login", form({{"name", name}, {"password", password}}));
    EXPECT_EQ(reply.status, 303) << reply.body;
    const std::string set_cookie = reply.headers["set-cookie"];
    return set_cookie.substr(0, set_cookie.find(';'));
  }

  static std::string csrf_of(const std::string& html) {
    static const std::regex csrf(R"re(name="csrf" value="([^"]+)")re");
    std::smatch m;
    return std::regex_search(html, m, csrf) ? std::string(m[1]) : std::string();
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static std::string db_;
};

testing::TempDir* Admin::dir_ = nullptr;
testing::ServerProcess* Admin::server_ = nullptr;
std::string Admin::db_;

TEST_F(Admin, WithoutASessionPagesSendToLoginAndFormsAreRefused) {
  for (const std::string target :
       {"/admin/", "/admin", "/admin/news/new", "/admin/news/1", "/admin/news/1/revisions"}) {
    const auto reply = get(target);
    EXPECT_EQ(reply.status, 303) << target;
    EXPECT_EQ(reply.headers.at("location"), "/admin/login") << target;
  }
  for (const std::string target :
       {"/admin/news", "/admin/news/1", "/admin/news/1/delete", "/admin/logout"}) {
    EXPECT_EQ(post(target, "title=x").status, 401) << target;
    EXPECT_EQ(post(target, "title=x", "nd_session=forged").status, 401) << target;
  }
}

TEST_F(Admin, LoginSetsAHardenedCookieAndWrongPasswordsDoNot) {
  auto wrong = post("/admin/login", form({{"name", "edna"}, {"password", "nope"}}));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(contains(wrong.body, "Wrong name or password."));
  EXPECT_EQ(wrong.headers.count("set-cookie"), 0u);
  auto right = post("/admin/login", form({{"name", "edna"}, {"password", "editor-password"}}));
  ASSERT_EQ(right.status, 303);
  const std::string cookie = right.headers.at("set-cookie");
  EXPECT_TRUE(contains(cookie, "nd_session="));
  EXPECT_TRUE(contains(cookie, "HttpOnly"));
  EXPECT_TRUE(contains(cookie, "SameSite=Lax"));
  EXPECT_TRUE(contains(cookie, "Path=/admin"));
}

TEST_F(Admin, LoginFromAnotherSiteIsRefused) {
  auto reply = post("/admin/login", form({{"name", "edna"}, {"password", "editor-password"}}), "",
                    {{"Origin", "https://evil.example"}});
  EXPECT_EQ(reply.status, 403);
}

TEST_F(Admin, RepeatedFailuresAreThrottled) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(post("/admin/login", form({{"name", "victim"}, {"password", "guess"}})).status, 401);
  }
  auto blocked = post("/admin/login", form({{"name", "victim"}, {"password", "victim-password"}}));
  EXPECT_EQ(blocked.status, 429);
  EXPECT_TRUE(contains(blocked.body, "Too many failed attempts"));
}

TEST_F(Admin, FormsNeedTheSessionsCsrfToken) {
  const std::string cookie = login("edna", "editor-password");
  EXPECT_EQ(post("/admin/news", form({{"title", "No token"}}), cookie).status, 403);
  EXPECT_EQ(post("/admin/news", form({{"csrf", "forged"}, {"title", "Bad token"}}), cookie).status,
            403);
  // Another session's token does not do either.
  const std::string other = login("arthur", "author-password");
  const std::string other_csrf = csrf_of(get("/admin/", other).body);
  ASSERT_FALSE(other_csrf.empty());
  EXPECT_EQ(
      post("/admin/news", form({{"csrf", other_csrf}, {"title", "Wrong session"}}), cookie).status,
      403);
}

TEST_F(Admin, EditorWritesAndPublishesThroughTheForm) {
  const std::string cookie = login("edna", "editor-password");
  const auto list = get("/admin/", cookie);
  ASSERT_EQ(list.status, 200);
  const std::string csrf = csrf_of(list.body);
  auto created = post("/admin/news",
                      form({{"csrf", csrf},
                            {"title", "Written in the admin"},
                            {"body", "Some **news**."},
                            {"categories", "Press Release, Statement"},
                            {"contact_name", "Press Office"},
                            {"contact_email", "press@example.org"},
                            {"related_links",
                             "https://example.org/report Annual report\r\n"
                             "https://example.org/bare\r\n"},
                            {"status", "published"}}),
                      cookie);
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location = created.headers.at("location");
  EXPECT_TRUE(location.starts_with("/admin/news/")) << location;
  const auto public_page = http_get(server_->port(), "/news/written-in-the-admin/");
  ASSERT_EQ(public_page.status, 200);
  EXPECT_TRUE(contains(public_page.body, "<strong>news</strong>"));
  EXPECT_TRUE(contains(public_page.body, "Media contact"));
  EXPECT_TRUE(contains(public_page.body, "mailto:press@example.org"));
  EXPECT_TRUE(
      contains(public_page.body, "<a href=\"https://example.org/report\">Annual report</a>"));
  EXPECT_TRUE(contains(public_page.body,
                       "<a href=\"https://example.org/bare\">https://example.org/bare</a>"));
  const auto edit = get(location, cookie);
  ASSERT_EQ(edit.status, 200);
  EXPECT_TRUE(contains(edit.body, "Saved."));
  EXPECT_TRUE(contains(edit.body, "Some **news**."));  // the Markdown, not the HTML
  EXPECT_EQ(testing::html_parse_errors(edit.body), 0u);
  EXPECT_TRUE(contains(edit.headers.at("content-security-policy"), "frame-ancestors 'none'"));
  EXPECT_EQ(edit.headers.at("cache-control"), "no-store");
}

TEST_F(Admin, ASiteInOneLanguageShowsNoTranslationsOrLanguageField) {
  const std::string cookie = login("edna", "editor-password");
  auto created = post("/admin/news",
                      form({{"csrf", csrf_of(get("/admin/", cookie).body)},
                            {"title", "Only in English"},
                            {"status", "draft"}}),
                      cookie);
  ASSERT_EQ(created.status, 303) << created.body;
  const auto edit = get(created.headers.at("location"), cookie);
  ASSERT_EQ(edit.status, 200);
  EXPECT_TRUE(contains(edit.body, "Only in English"));
  EXPECT_FALSE(contains(edit.body, "translations-heading"));
  EXPECT_FALSE(contains(edit.body, "name=\"language\""));
}

TEST_F(Admin, SavingAPublishedItemKeepsItsSecond) {
  // Published through the API at a time with seconds; saved in the form,
  // which shows minutes only.
  auto token = run_command({testing::newsdesk_binary(), "token", "create", "edna", "--db", db_});
  ASSERT_EQ(token.exit_code, 0);
  const std::string secret = token.out.substr(token.out.rfind(' ') + 1, 46);
  auto created =
      http_request(server_->port(), "POST", "/api/v1/news",
                   {{"Authorization", "Bearer " + secret}, {"Content-Type", "application/json"}},
                   R"({"title": "Exact second", "status": "published",
                                  "publish_at": "2018-07-04T10:11:30Z"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.body.substr(created.body.find("\"id\":") + 5);
  const std::string item = "/admin/news/" + id.substr(0, id.find_first_not_of("0123456789"));
  const std::string cookie = login("edna", "editor-password");
  const auto page = get(item, cookie);
  ASSERT_EQ(page.status, 200);
  static const std::regex at(R"re(name="publish_at" type="datetime-local" value="([^"]*)")re");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page.body, m, at));
  EXPECT_EQ(std::string(m[1]), "2018-07-04T10:11");
  ASSERT_EQ(post(item,
                 form({{"csrf", csrf_of(page.body)},
                       {"title", "Exact second, edited"},
                       {"status", "published"},
                       {"publish_at", m[1]}}),
                 cookie)
                .status,
            303);
  const auto rss = http_get(server_->port(), "/rss.xml");
  EXPECT_TRUE(contains(rss.body, "10:11:30")) << rss.body.substr(0, 3000);
}

TEST_F(Admin, ValidationErrorsComeBackInTheForm) {
  const std::string cookie = login("edna", "editor-password");
  const std::string csrf = csrf_of(get("/admin/", cookie).body);
  auto reply = post("/admin/news",
                    form({{"csrf", csrf},
                          {"title", "With image"},
                          {"lead_image_url", "https://example.org/a.jpg"},
                          {"lead_image_alt", ""}}),
                    cookie);
  EXPECT_EQ(reply.status, 400);
  EXPECT_TRUE(contains(reply.body, "alt text"));
  EXPECT_TRUE(contains(reply.body, "value=\"With image\""));  // what was typed stays
}

TEST_F(Admin, AuthorsCannotPublishFromTheForm) {
  const std::string cookie = login("arthur", "author-password");
  const auto page = get("/admin/news/new", cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(contains(page.body, "name=\"status\""));
  EXPECT_TRUE(contains(page.body, "name=\"review_requested\""));
  const std::string csrf = csrf_of(page.body);
  auto created =
      post("/admin/news",
           form({{"csrf", csrf}, {"title", "Author wants out"}, {"status", "published"}}), cookie);
  ASSERT_EQ(created.status, 303);
  // The status field is not the author's to send: the item stays a draft.
  EXPECT_EQ(http_get(server_->port(), "/news/author-wants-out/").status, 404);
}

TEST_F(Admin, LogoutEndsTheSession) {
  const std::string cookie = login("edna", "editor-password");
  const std::string csrf = csrf_of(get("/admin/", cookie).body);
  auto out = post("/admin/logout", form({{"csrf", csrf}}), cookie);
  EXPECT_EQ(out.status, 303);
  EXPECT_TRUE(contains(out.headers.at("set-cookie"), "Max-Age=0"));
  EXPECT_EQ(get("/admin/", cookie).status, 303);
}

TEST_F(Admin, EmbargoedItemIsVisibleOnlyThroughItsPreviewUntilItsTime) {
  const std::string cookie = login("edna", "editor-password");
  const std::string csrf = csrf_of(get("/admin/", cookie).body);
  // datetime-local in the site's zone (UTC by default), a whole minute ahead.
  const auto at = std::chrono::system_clock::now() + std::chrono::seconds(62);
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  char local[32];
  std::strftime(local, sizeof local, "%Y-%m-%dT%H:%M", std::gmtime(&t));
  auto created = post("/admin/news",
                      form({{"csrf", csrf},
                            {"title", "Embargoed statement"},
                            {"body", "Secret until then."},
                            {"status", "scheduled"},
                            {"publish_at", local},
                            {"embargo", "1"}}),
                      cookie);
  ASSERT_EQ(created.status, 303) << created.body;
  const auto edit = get(created.headers.at("location"), cookie);
  static const std::regex link(R"re(href="https?://[^/"]+(/preview/[^"]+/)")re");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(edit.body, m, link)) << edit.body;
  const std::string preview = m[1];
  const auto seen = http_get(server_->port(), preview);
  ASSERT_EQ(seen.status, 200);
  EXPECT_TRUE(contains(seen.body, "Embargoed until"));
  EXPECT_TRUE(contains(seen.body, "Secret until then."));
  EXPECT_TRUE(contains(seen.body, "<meta name=\"robots\" content=\"noindex\">"));
  EXPECT_EQ(seen.headers.at("cache-control"), "no-store");
  EXPECT_EQ(http_get(server_->port(), "/news/embargoed-statement/").status, 404);
  EXPECT_EQ(http_get(server_->port(), "/rss.xml").body.find("Embargoed statement"),
            std::string::npos);
  EXPECT_EQ(http_get(server_->port(), "/preview/" + std::string(43, 'x') + "/").status, 404);
}

TEST_F(Admin, BoilerplateFromTheSettingsGoesUnderPressReleases) {
  const std::string editor = login("edna", "editor-password");
  EXPECT_EQ(get("/admin/settings", editor).status, 403);
  add_user("root", "admin", "admin-password");
  const std::string admin = login("root", "admin-password");
  const std::string csrf = csrf_of(get("/admin/settings", admin).body);
  auto saved = post("/admin/settings",
                    form({{"csrf", csrf}, {"boilerplate", "We are the Example Centre."}}), admin);
  ASSERT_EQ(saved.status, 200);
  EXPECT_TRUE(contains(saved.body, "We are the Example Centre."));
  auto created = post("/admin/news",
                      form({{"csrf", csrf},
                            {"title", "A press release"},
                            {"categories", "Press Release"},
                            {"status", "published"}}),
                      admin);
  ASSERT_EQ(created.status, 303);
  auto other =
      post("/admin/news",
           form({{"csrf", csrf}, {"title", "Project news"}, {"status", "published"}}), admin);
  ASSERT_EQ(other.status, 303);
  EXPECT_TRUE(contains(http_get(server_->port(), "/news/a-press-release/").body,
                       "We are the Example Centre."));
  EXPECT_FALSE(contains(http_get(server_->port(), "/news/project-news/").body,
                        "We are the Example Centre."));
}

// The value="..." of the input named `name`, "" when there is none.
std::string input_value(const std::string& html, const std::string& name) {
  const std::regex input("<input[^>]* name=\"" + name + "\"[^>]* value=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(html, m, input) ? std::string(m[1]) : std::string();
}

std::size_t count_of(const std::string& s, const std::string& part) {
  std::size_t n = 0;
  for (auto at = s.find(part); at != std::string::npos; at = s.find(part, at + 1)) ++n;
  return n;
}

TEST_F(Admin, AdminsChangeTheSiteSettingsAndTheSiteFollowsAtOnce) {
  add_user("settler", "admin", "settler-password");
  const std::string admin = login("settler", "settler-password");
  const std::string before = get("/admin/settings", admin).body;
  const std::string csrf = csrf_of(before);
  const std::vector<std::pair<std::string, std::string>> original = {
      {"csrf", csrf},
      {"title", input_value(before, "title")},
      {"description", input_value(before, "description")},
      {"language", input_value(before, "language")},
      {"time_zone", input_value(before, "time_zone")},
      {"feed_items", input_value(before, "feed_items")}};
  ASSERT_FALSE(original[1].second.empty()) << before;
  ASSERT_EQ(original[5].second, "20");
  for (const std::string title : {"Settings one", "Settings two", "Settings three"}) {
    ASSERT_EQ(post("/admin/news", form({{"csrf", csrf}, {"title", title}, {"status", "published"}}),
                   admin)
                  .status,
              303);
  }

  // A wrong field is named, and nothing of the form is saved.
  auto bad = post(
      "/admin/settings",
      form({{"csrf", csrf}, {"title", "Centre de presse"}, {"time_zone", "Mars/Olympus"}}), admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "time zone &#39;Mars/Olympus&#39; is unknown") ||
              contains(bad.body, "time zone 'Mars/Olympus' is unknown"))
      << bad.body;
  EXPECT_TRUE(contains(bad.body, "value=\"Mars/Olympus\"")) << "the form keeps what was typed";
  EXPECT_FALSE(contains(http_get(server_->port(), "/").body, "Centre de presse"));
  const std::string editor = login("edna", "editor-password");
  EXPECT_EQ(
      post("/admin/settings",
           form({{"csrf", csrf_of(get("/admin/", editor).body)}, {"title", "Taken over"}}), editor)
          .status,
      403);

  auto saved = post("/admin/settings",
                    form({{"csrf", csrf},
                          {"title", "Centre de presse"},
                          {"description", "Communiqués et actualités"},
                          {"language", "fr"},
                          {"time_zone", "America/New_York"},
                          {"feed_items", "2"}}),
                    admin);
  ASSERT_EQ(saved.status, 200) << saved.body;
  // No waiting: the response came after the site was rebuilt.
  const std::string home = http_get(server_->port(), "/").body;
  EXPECT_TRUE(contains(home, "<html lang=\"fr\"")) << home.substr(0, 300);
  EXPECT_TRUE(contains(home, "Centre de presse"));
  const std::string rss = http_get(server_->port(), "/rss.xml").body;
  EXPECT_TRUE(contains(rss, "<title>Centre de presse</title>")) << rss.substr(0, 600);
  EXPECT_TRUE(contains(rss, "<description>Communiqués et actualités</description>"));
  EXPECT_TRUE(contains(rss, "<language>fr</language>"));
  EXPECT_EQ(count_of(rss, "<item>"), 2u);
  EXPECT_TRUE(contains(get("/admin/settings", admin).body, "value=\"America/New_York\""));

  ASSERT_EQ(post("/admin/settings", form(original), admin).status, 200);
  EXPECT_FALSE(contains(http_get(server_->port(), "/").body, "Centre de presse"));
}

TEST_F(Admin, FilesUploadThroughTheEditorWithTheCsrfToken) {
  const std::string cookie = login("edna", "editor-password");
  const std::string csrf = csrf_of(get("/admin/", cookie).body);
  auto created = post("/admin/news", form({{"csrf", csrf}, {"title", "Has files"}}), cookie);
  ASSERT_EQ(created.status, 303);
  std::string target = created.headers.at("location");
  target = target.substr(0, target.find('?'));
  auto multipart = [&](const std::string& token) {
    const std::string b = "xxBOUNDARYxx";
    std::string body =
        "--" + b + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + token + "\r\n--" +
        b +
        "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"brief.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7 brief\r\n--" +
        b + "--\r\n";
    return http_request(
        server_->port(), "POST", target + "/attachments",
        {{"Cookie", cookie}, {"Content-Type", "multipart/form-data; boundary=" + b}}, body);
  };
  EXPECT_EQ(multipart("forged").status, 403);
  auto uploaded = multipart(csrf);
  ASSERT_EQ(uploaded.status, 303) << uploaded.body;
  const auto page = get(target, cookie);
  EXPECT_TRUE(contains(page.body, "brief.pdf</a> (PDF")) << page.body;
}

TEST_F(Admin, AdminsManageAccountsAndEditorsCannot) {
  const std::string editor = login("edna", "editor-password");
  EXPECT_EQ(get("/admin/users", editor).status, 403);
  add_user("boss", "admin", "boss-password-long");
  const std::string admin = login("boss", "boss-password-long");
  const std::string csrf = csrf_of(get("/admin/users", admin).body);
  EXPECT_EQ(
      post("/admin/users",
           form({{"csrf", csrf}, {"name", "newbie"}, {"role", "author"}, {"password", "short"}}),
           admin)
          .status,
      400);
  auto added = post("/admin/users",
                    form({{"csrf", csrf},
                          {"name", "newbie"},
                          {"role", "author"},
                          {"password", "a long enough passphrase"}}),
                    admin);
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_TRUE(contains(added.body, "Added newbie."));
  const std::string newbie = login("newbie", "a long enough passphrase");
  EXPECT_EQ(get("/admin/", newbie).status, 200);
  const std::string list = get("/admin/users", admin).body;
  const auto button = list.find("Delete newbie</button>");
  ASSERT_NE(button, std::string::npos) << list;
  const auto action = list.rfind("action=\"", button) + 8;
  const std::string delete_path = list.substr(action, list.find('"', action) - action);
  ASSERT_TRUE(delete_path.starts_with("/admin/users/")) << delete_path;
  ASSERT_EQ(post(delete_path, form({{"csrf", csrf}}), admin).status, 200);
  // The deleted account's session ended at once.
  EXPECT_EQ(get("/admin/", newbie).status, 303);
}

TEST_F(Admin, EditorsRenameAndDeleteCategories) {
  const std::string cookie = login("edna", "editor-password");
  const std::string csrf = csrf_of(get("/admin/", cookie).body);
  ASSERT_EQ(post("/admin/news",
                 form({{"csrf", csrf},
                       {"title", "Categorised"},
                       {"categories", "Expert Voice"},
                       {"status", "published"}}),
                 cookie)
                .status,
            303);
  const std::string list = get("/admin/categories", cookie).body;
  const auto at = list.find("value=\"Expert Voice\"");
  ASSERT_NE(at, std::string::npos) << list;
  const auto action = list.rfind("action=\"", at) + 8;
  const std::string rename = list.substr(action, list.find('"', action) - action);
  ASSERT_TRUE(rename.ends_with("/rename")) << rename;
  ASSERT_EQ(post(rename, form({{"csrf", csrf}, {"name", "Expert Opinion"}}), cookie).status, 200);
  const auto category = http_get(server_->port(), "/category/expert-voice/");
  ASSERT_EQ(category.status, 200);
  EXPECT_TRUE(contains(category.body, "<h1>Expert Opinion</h1>"));
  const std::string remove = rename.substr(0, rename.size() - 7) + "/delete";
  ASSERT_EQ(post(remove, form({{"csrf", csrf}}), cookie).status, 200);
  EXPECT_EQ(http_get(server_->port(), "/category/expert-voice/").status, 404);
  EXPECT_EQ(http_get(server_->port(), "/news/categorised/").status, 200);
  const std::string author = login("arthur", "author-password");
  EXPECT_EQ(get("/admin/categories", author).status, 403);
}

TEST_F(Admin, EditorsGiveOutAndRevokePressFeeds) {
  const std::string author = login("arthur", "author-password");
  EXPECT_EQ(get("/admin/press", author).status, 403);
  const std::string cookie = login("edna", "editor-password");
  const std::string csrf = csrf_of(get("/admin/press", cookie).body);
  auto created = post("/admin/press", form({{"csrf", csrf}, {"label", "Daily Bugle"}}), cookie);
  ASSERT_EQ(created.status, 200);
  const auto start = created.body.find("/press/");
  ASSERT_NE(start, std::string::npos) << created.body;
  const std::string feed = created.body.substr(start, created.body.find('<', start) - start);
  EXPECT_TRUE(feed.ends_with("/rss.xml")) << feed;
  EXPECT_EQ(http_get(server_->port(), feed).status, 200);
  const std::string list = get("/admin/press", cookie).body;
  EXPECT_EQ(list.find(feed), std::string::npos);  // shown only once
  const auto button = list.find("Revoke Daily Bugle");
  ASSERT_NE(button, std::string::npos);
  const auto action = list.rfind("action=\"", button) + 8;
  const std::string revoke = list.substr(action, list.find('"', action) - action);
  ASSERT_EQ(post(revoke, form({{"csrf", csrf}}), cookie).status, 200);
  EXPECT_EQ(http_get(server_->port(), feed).status, 404);
}

TEST_F(Admin, RevisionsListEverySave) {
  const std::string cookie = login("edna", "editor-password");
  const std::string csrf = csrf_of(get("/admin/", cookie).body);
  auto created = post("/admin/news", form({{"csrf", csrf}, {"title", "Revised"}}), cookie);
  ASSERT_EQ(created.status, 303);
  std::string target = created.headers.at("location");
  target = target.substr(0, target.find('?'));
  ASSERT_EQ(post(target, form({{"csrf", csrf}, {"title", "Revised twice"}}), cookie).status, 303);
  const auto revisions = get(target + "/revisions", cookie);
  ASSERT_EQ(revisions.status, 200);
  EXPECT_TRUE(contains(revisions.body, "“Revised twice”"));
  EXPECT_TRUE(contains(revisions.body, "“Revised”"));
  EXPECT_TRUE(contains(revisions.body, "changed: "));
  EXPECT_EQ(testing::html_parse_errors(revisions.body), 0u);
  // Restore the first save: the old title is current again.
  static const std::regex restore(R"re(action="(/admin/news/\d+/revisions/\d+/restore)")re");
  std::vector<std::string> actions;
  for (std::sregex_iterator it(revisions.body.begin(), revisions.body.end(), restore), end;
       it != end; ++it) {
    actions.push_back((*it)[1]);
  }
  ASSERT_EQ(actions.size(), 2u);
  ASSERT_EQ(post(actions.back(), form({{"csrf", csrf}}), cookie).status, 303);
  EXPECT_TRUE(contains(get(target, cookie).body, "value=\"Revised\""));
}

TEST_F(Admin, ARevisionShowsWhatItsSaveChangedLineByLine) {
  const std::string cookie = login("edna", "editor-password");
  const std::string csrf = csrf_of(get("/admin/", cookie).body);
  std::string body;
  for (int i = 1; i <= 12; ++i) body += "Paragraph " + std::to_string(i) + ".\n\n";
  auto created =
      post("/admin/news", form({{"csrf", csrf}, {"title", "Diffed"}, {"body", body}}), cookie);
  ASSERT_EQ(created.status, 303);
  std::string target = created.headers.at("location");
  target = target.substr(0, target.find('?'));
  std::string edited = body;
  edited.replace(edited.find("Paragraph 7."), 12, "Paragraph <seven>.");
  ASSERT_EQ(
      post(target, form({{"csrf", csrf}, {"title", "Diffed"}, {"body", edited}}), cookie).status,
      303);
  const std::string list = get(target + "/revisions", cookie).body;
  static const std::regex link(R"re(href="(/admin/news/\d+/revisions/\d+)">see the changes)re");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(list, m, link)) << list;
  const auto changes = get(m[1], cookie);
  ASSERT_EQ(changes.status, 200);
  EXPECT_EQ(testing::html_parse_errors(changes.body), 0u);
  const std::string& page = changes.body;
  const auto start = page.find("<h2>body_markdown</h2>");
  ASSERT_NE(start, std::string::npos) << page;
  const std::string markdown = page.substr(start, page.find("</section>", start) - start);
  EXPECT_TRUE(contains(markdown, "removed: </span>− Paragraph 7.</del>")) << markdown;
  EXPECT_TRUE(contains(markdown, "added: </span>+ Paragraph &lt;seven&gt;.</ins>")) << markdown;
  EXPECT_TRUE(contains(markdown, "… 10 unchanged lines …")) << markdown;
  EXPECT_FALSE(contains(markdown, "Paragraph 2.")) << "far from the change";
  EXPECT_TRUE(contains(markdown, "Paragraph 6.")) << "context next to the change";
  EXPECT_FALSE(contains(page, "<h2>title</h2>")) << "the title did not change";
  EXPECT_EQ(get(target + "/revisions/999999", cookie).status, 404);
  // An author cannot look at another's item's history.
  EXPECT_EQ(get(std::string(m[1]), login("arthur", "author-password")).status, 404);
}

TEST_F(Admin, LivePreviewRendersMarkdownAsASaveWouldForASessionOnly) {
  const std::string body = "**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>";
  EXPECT_EQ(post("/admin/preview", form({{"body", body}})).status, 401);
  const std::string cookie = login("arthur", "author-password");
  EXPECT_EQ(post("/admin/preview", form({{"body", body}}), cookie).status, 403) << "no CSRF token";
  const std::string csrf = csrf_of(get("/admin/news/new", cookie).body);
  auto reply = post("/admin/preview", form({{"csrf", csrf}, {"body", body}}), cookie);
  ASSERT_EQ(reply.status, 200);
  EXPECT_TRUE(contains(reply.headers.at("content-type"), "text/html"));
  EXPECT_EQ(reply.headers.at("cache-control"), "no-store");
  EXPECT_TRUE(contains(reply.body, "<strong>bold</strong>")) << reply.body;
  EXPECT_FALSE(contains(reply.body, "<script")) << reply.body;
  EXPECT_FALSE(contains(reply.body, "onerror")) << reply.body;
  EXPECT_EQ(get("/admin/preview", cookie).status, 405);
  // The editor page loads the script that asks for it.
  const std::string editor = get("/admin/news/new", cookie).body;
  static const std::regex script(R"re(<script src="(/static/admin\.[0-9a-f]+\.js)" defer>)re");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(editor, m, script)) << editor.substr(0, 800);
  const auto js = get(m[1]);
  EXPECT_EQ(js.status, 200);
  EXPECT_TRUE(contains(js.body, "/admin/preview"));
  EXPECT_TRUE(contains(editor, "id=\"live-preview\""));
}

TEST_F(Admin, HtmlBodiesAreEditedAsSanitizedHtml) {
  const std::string cookie = login("edna", "editor-password");
  const std::string csrf = csrf_of(get("/admin/", cookie).body);
  auto created = post("/admin/news",
                      form({{"csrf", csrf},
                            {"title", "Written in HTML"},
                            {"body_format", "html"},
                            {"body", "<p>First <em>para</em>.</p><script>alert(1)</script>"},
                            {"status", "published"}}),
                      cookie);
  ASSERT_EQ(created.status, 303) << created.body;
  std::string target = created.headers.at("location");
  target = target.substr(0, target.find('?'));
  const std::string page = http_get(server_->port(), "/news/written-in-html/").body;
  EXPECT_TRUE(contains(page, "<p>First <em>para</em>.</p>")) << page;
  EXPECT_FALSE(contains(page, "alert(1)"));
  // The editor opens it as HTML, with the sanitized body to change.
  const std::string editor = get(target, cookie).body;
  EXPECT_TRUE(contains(editor, "<option value=\"html\" selected>HTML</option>")) << editor;
  EXPECT_TRUE(contains(editor, "&lt;p&gt;First &lt;em&gt;para&lt;/em&gt;.&lt;/p&gt;")) << editor;
  ASSERT_EQ(post(target,
                 form({{"csrf", csrf},
                       {"title", "Written in HTML"},
                       {"body_format", "html"},
                       {"body", "<p>Second <a href=\"javascript:alert(1)\">try</a>.</p>"},
                       {"status", "published"}}),
                 cookie)
                .status,
            303);
  const std::string after = http_get(server_->port(), "/news/written-in-html/").body;
  EXPECT_TRUE(contains(after, "Second")) << after;
  EXPECT_FALSE(contains(after, "javascript:"));
  // The live preview sanitizes HTML the same way.
  auto preview = post("/admin/preview",
                      form({{"csrf", csrf},
                            {"body_format", "html"},
                            {"body", "<p onclick=\"x()\">Hi</p><style>p{}</style>"}}),
                      cookie);
  ASSERT_EQ(preview.status, 200);
  EXPECT_TRUE(contains(preview.body, "<p>Hi</p>")) << preview.body;
  EXPECT_FALSE(contains(preview.body, "onclick"));
  EXPECT_FALSE(contains(preview.body, "<style"));
}

}  // namespace
}  // namespace newsdesk
