// Every cell of the permission matrix in docs/permissions.md, tried over
// HTTP against a real `newsdesk serve`: each role attempts each action
// through the API or the admin forms, and what happened (the status and the
// state of the site afterwards) must match the document.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/process.h"

namespace newsdesk {
namespace {

using nlohmann::json;
using testing::http_get;
using testing::http_request;
using testing::run_command;
using testing::url_encode;

const std::vector<std::string> kRoles = {"admin", "editor", "author"};

// action name -> role -> allowed, from the document's table.
std::map<std::string, std::map<std::string, bool>> documented_matrix() {
  std::ifstream in(testing::source_dir() + "/docs/permissions.md");
  std::map<std::string, std::map<std::string, bool>> matrix;
  static const std::regex row(R"re(^\| `([a-z_]+)`[^|]*\| (yes|no) \| (yes|no) \| (yes|no) \|)re");
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    for (std::size_t i = 0; i < kRoles.size(); ++i) matrix[m[1]][kRoles[i]] = m[i + 2] == "yes";
  }
  return matrix;
}

class PermissionsOverHttp : public ::testing::Test {
 protected:
  struct Account {
    std::string token;   // API bearer token
    std::string cookie;  // admin session
    std::string csrf;
  };

  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = "sqlite:" + dir_->path() + "/news.db";
    server_ = new testing::ServerProcess({"--db", db_});
    ASSERT_TRUE(server_->started());
    for (const std::string& role : kRoles) (*accounts_)[role] = account("p-" + role, role);
    // Owns the items that belong to someone else.
    (*accounts_)["owner"] = account("p-owner", "editor");
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static Account account(const std::string& name, const std::string& role) {
    const std::string password = name + " pass phrase";
    auto added = testing::add_user(db_, name, role, password);
    EXPECT_EQ(added.exit_code, 0) << added.err;
    auto token = run_command({testing::newsdesk_binary(), "token", "create", name, "--db", db_});
    EXPECT_EQ(token.exit_code, 0) << token.err;
    Account a;
    const auto end = token.out.find_last_not_of(" \n");
    a.token = token.out.substr(token.out.find_last_of(' ', end) + 1,
                               end - token.out.find_last_of(' ', end));
    auto login =
        form_post("/admin/login", "name=" + name + "&password=" + url_encode(password), "");
    EXPECT_EQ(login.status, 303) << login.body;
    const std::string cookie = login.headers["set-cookie"];
    a.cookie = cookie.substr(0, cookie.find(';'));
    static const std::regex csrf(R"re(name="csrf" value="([^"]+)")re");
    std::smatch m;
    const std::string page = admin_get("/admin/", a.cookie).body;
    if (std::regex_search(page, m, csrf)) a.csrf = m[1];
    EXPECT_FALSE(a.csrf.empty()) << page;
    return a;
  }

  static testing::HttpReply form_post(const std::string& target, const std::string& body,
                                      const std::string& cookie) {
    std::map<std::string, std::string> headers{
        {"Content-Type", "application/x-www-form-urlencoded"}};
    if (!cookie.empty()) headers["Cookie"] = cookie;
    return http_request(server_->port(), "POST", target, headers, body);
  }
  static testing::HttpReply admin_get(const std::string& target, const std::string& cookie) {
    return http_request(server_->port(), "GET", target, {{"Cookie", cookie}});
  }
  // An admin form, as `who`, with the session's CSRF token added.
  static testing::HttpReply admin_post(const std::string& who, const std::string& target,
                                       const std::string& fields) {
    const Account& a = accounts_->at(who);
    return form_post(target, "csrf=" + a.csrf + (fields.empty() ? "" : "&" + fields), a.cookie);
  }
  static testing::HttpReply api(const std::string& who, const std::string& method,
                                const std::string& target, const json& body = nullptr) {
    return http_request(server_->port(), method, target,
                        {{"Authorization", "Bearer " + accounts_->at(who).token},
                         {"Content-Type", "application/json"}},
                        body.is_null() ? "" : body.dump());
  }
  static json read(const std::string& who, std::int64_t id) {
    auto reply = api(who, "GET", "/api/v1/news/" + std::to_string(id));
    return reply.status == 200 ? json::parse(reply.body) : json();
  }
  // A draft created through the API by `who` (every role may).
  static std::int64_t draft(const std::string& who, const std::string& title) {
    auto reply = api(who, "POST", "/api/v1/news", {{"title", title}, {"body_markdown", "Text."}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.status == 201 ? json::parse(reply.body)["id"].get<std::int64_t>() : 0;
  }
  static std::string path_of(std::int64_t id) { return "/api/v1/news/" + std::to_string(id); }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static std::string db_;
  static std::map<std::string, Account>* accounts_;
};

testing::TempDir* PermissionsOverHttp::dir_ = nullptr;
testing::ServerProcess* PermissionsOverHttp::server_ = nullptr;
std::string PermissionsOverHttp::db_;
std::map<std::string, PermissionsOverHttp::Account>* PermissionsOverHttp::accounts_ =
    new std::map<std::string, PermissionsOverHttp::Account>();

// A refusal is a 403, or a 404 where the item is not even the role's to see;
// never a success, and the state checks below confirm nothing changed.
bool refused(int status) { return status == 403 || status == 404; }

TEST_F(PermissionsOverHttp, EveryCellOfTheDocumentedMatrixHoldsOverHttp) {
  const auto matrix = documented_matrix();
  ASSERT_EQ(matrix.size(), 14u) << "the table in docs/permissions.md";
  int n = 0;
  const auto unique = [&n](const std::string& role, const std::string& what) {
    return what + " " + role + " " + std::to_string(++n);
  };

  // Each attempt returns whether the role was let through, after checking
  // that the outcome is consistent (a success changed the state, a refusal
  // did not).
  std::map<std::string, std::function<bool(const std::string&)>> attempts;
  attempts["create_draft"] = [&](const std::string& role) {
    auto reply = api(role, "POST", "/api/v1/news", {{"title", unique(role, "Created")}});
    EXPECT_TRUE(reply.status == 201 || refused(reply.status)) << reply.status;
    return reply.status == 201;
  };
  attempts["edit_own_draft"] = [&](const std::string& role) {
    const auto id = draft(role, unique(role, "Own draft"));
    auto reply = api(role, "PATCH", path_of(id), {{"teaser", "Changed by its author."}});
    EXPECT_EQ(read(role, id)["teaser"] == "Changed by its author.", reply.status == 200);
    return reply.status == 200;
  };
  attempts["submit_for_review"] = [&](const std::string& role) {
    const auto id = draft(role, unique(role, "For review"));
    auto reply = api(role, "PATCH", path_of(id), {{"review_requested", true}});
    EXPECT_EQ(read("owner", id)["review_requested"] == true, reply.status == 200);
    return reply.status == 200;
  };
  attempts["edit_any_item"] = [&](const std::string& role) {
    const auto id = draft("owner", unique(role, "Someone else's"));
    auto reply = api(role, "PATCH", path_of(id), {{"teaser", "Changed by another."}});
    EXPECT_EQ(read("owner", id)["teaser"] == "Changed by another.", reply.status == 200);
    EXPECT_TRUE(reply.status == 200 || refused(reply.status)) << reply.status;
    return reply.status == 200;
  };
  attempts["publish"] = [&](const std::string& role) {
    const auto id = draft(role, unique(role, "To publish"));
    auto reply = api(role, "PATCH", path_of(id), {{"status", "published"}});
    const std::string slug = read("owner", id)["slug"];
    const bool live = http_get(server_->port(), "/news/" + slug + "/").status == 200;
    EXPECT_EQ(live, reply.status == 200) << reply.body;
    return reply.status == 200;
  };
  attempts["delete_item"] = [&](const std::string& role) {
    const auto id = draft("owner", unique(role, "To delete"));
    auto reply = api(role, "DELETE", path_of(id));
    EXPECT_EQ(read("owner", id).is_null(), reply.status == 204) << reply.status;
    return reply.status == 204;
  };
  attempts["share_embargo_preview"] = [&](const std::string& role) {
    // The role's own item, embargoed by an editor: does its editor page
    // hand out the secret link?
    const auto id = draft(role, unique(role, "Embargoed"));
    const auto when = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count() +
                      86400;
    const std::time_t t = when;
    char at[32];
    std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    auto embargoed = api("owner", "PATCH", path_of(id),
                         {{"status", "scheduled"}, {"publish_at", at}, {"embargo", true}});
    EXPECT_EQ(embargoed.status, 200) << embargoed.body;
    auto page = admin_get("/admin/news/" + std::to_string(id), accounts_->at(role).cookie);
    EXPECT_EQ(page.status, 200);
    return page.body.find("/preview/") != std::string::npos;
  };
  attempts["view_revisions"] = [&](const std::string& role) {
    const auto id = draft("owner", unique(role, "History"));
    auto reply = api(role, "GET", path_of(id) + "/revisions");
    auto page =
        admin_get("/admin/news/" + std::to_string(id) + "/revisions", accounts_->at(role).cookie);
    EXPECT_EQ(reply.status == 200, page.status == 200) << "the API and the admin UI agree";
    return reply.status == 200;
  };
  attempts["restore_revision"] = [&](const std::string& role) {
    const auto id = draft(role, unique(role, "Restorable"));
    EXPECT_EQ(api(role, "PATCH", path_of(id), {{"teaser", "Second save."}}).status, 200);
    auto revisions = api("owner", "GET", path_of(id) + "/revisions");
    const json list = json::parse(revisions.body);
    const std::string first = std::to_string(list["revisions"].back()["id"].get<std::int64_t>());
    auto reply = api(role, "POST", path_of(id) + "/revisions/" + first + "/restore");
    EXPECT_EQ(read("owner", id)["teaser"] != "Second save.", reply.status == 200) << reply.body;
    return reply.status == 200;
  };
  attempts["upload_attachment"] = [&](const std::string& role) {
    const auto id = draft(role, unique(role, "With a file"));
    const std::string boundary = "perm-boundary";
    const std::string pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    const std::string body = "--" + boundary +
                             "\r\nContent-Disposition: form-data; name=\"file\"; "
                             "filename=\"release.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
                             pdf + "\r\n--" + boundary + "--\r\n";
    auto reply = http_request(server_->port(), "POST", path_of(id) + "/attachments",
                              {{"Authorization", "Bearer " + accounts_->at(role).token},
                               {"Content-Type", "multipart/form-data; boundary=" + boundary}},
                              body);
    EXPECT_EQ(read("owner", id)["attachments"].size() == 1, reply.status == 201) << reply.body;
    return reply.status == 201;
  };
  attempts["manage_categories"] = [&](const std::string& role) {
    const std::string name = unique(role, "Category");
    const auto id = draft("owner", unique(role, "Categorised"));
    EXPECT_EQ(api("owner", "PATCH", path_of(id), {{"categories", {name}}}).status, 200);
    // Its id, from the rename form on the owner's categories page.
    const std::string page = admin_get("/admin/categories", accounts_->at("owner").cookie).body;
    const std::regex form_of("/admin/categories/(\\d+)/rename\"[^\n]*value=\"" + name + "\"");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(page, m, form_of)) << page;
    const std::string category_id = m.empty() ? "0" : std::string(m[1]);
    auto reply = admin_post(role, "/admin/categories/" + category_id + "/rename",
                            "name=" + url_encode(name + " renamed"));
    const std::string after = api("owner", "GET", "/api/v1/categories").body;
    EXPECT_EQ(after.find(name + " renamed") != std::string::npos, reply.status == 200);
    return reply.status == 200;
  };
  attempts["manage_journalist_feeds"] = [&](const std::string& role) {
    const std::string label = unique(role, "Outlet");
    auto reply = admin_post(role, "/admin/press", "label=" + url_encode(label));
    const std::string list = admin_get("/admin/press", accounts_->at("owner").cookie).body;
    EXPECT_EQ(list.find(label) != std::string::npos, reply.status == 200);
    return reply.status == 200;
  };
  attempts["manage_users"] = [&](const std::string& role) {
    const std::string name = "made-by-" + role;
    auto reply = admin_post(role, "/admin/users",
                            "name=" + name + "&role=author&password=a+long+enough+passphrase");
    const std::string list = admin_get("/admin/users", accounts_->at("admin").cookie).body;
    EXPECT_EQ(list.find(name) != std::string::npos, reply.status == 200);
    return reply.status == 200;
  };
  attempts["manage_settings"] = [&](const std::string& role) {
    const std::string text = unique(role, "About us by");
    auto reply = admin_post(role, "/admin/settings", "boilerplate=" + url_encode(text));
    const std::string page = admin_get("/admin/settings", accounts_->at("admin").cookie).body;
    EXPECT_EQ(page.find(text) != std::string::npos, reply.status == 200);
    return reply.status == 200;
  };

  for (const auto& [action, roles] : matrix) {
    ASSERT_TRUE(attempts.count(action)) << "no HTTP attempt for documented action " << action;
    for (const auto& [role, allowed] : roles) {
      EXPECT_EQ(attempts[action](role), allowed)
          << role << " " << (allowed ? "may" : "may not") << " " << action;
    }
  }
  EXPECT_EQ(attempts.size(), matrix.size()) << "an attempt for an action the document lacks";
}

}  // namespace
}  // namespace newsdesk
