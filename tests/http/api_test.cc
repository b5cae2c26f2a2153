// The JSON API against a real `newsdesk serve`: tokens from the real CLI,
// every status the API promises, the permission matrix over HTTP, and what
// the API writes showing on the site and in the feeds.

#include "http/api.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/process.h"

namespace newsdesk {
namespace {

using nlohmann::json;
using testing::http_get;
using testing::http_request;
using testing::run_command;

class Api : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = "sqlite:" + dir_->path() + "/news.db";
    editor_token_ = token_for("edna", "editor");
    author_token_ = token_for("arthur", "author");
    server_ = new testing::ServerProcess({"--db", db_});
    ASSERT_TRUE(server_->started());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static std::string token_for(const std::string& name, const std::string& role) {
    auto added =
        run_command({testing::newsdesk_binary(), "user", "add", name, "--role", role, "--db", db_});
    EXPECT_EQ(added.exit_code, 0) << added.err;
    auto created = run_command({testing::newsdesk_binary(), "token", "create", name, "--db", db_});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return testing::last_word(created.out);
  }

  static testing::HttpReply call(const std::string& method, const std::string& target,
                                 const std::string& token, const std::string& body = "") {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return http_request(server_->port(), method, target, headers, body);
  }

  static json create(const json& body, const std::string& token = editor_token_) {
    auto reply = call("POST", "/api/v1/news", token, body.dump());
    EXPECT_EQ(reply.status, 201) << reply.body;
    return json::parse(reply.body, nullptr, false);
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static std::string db_;
  static std::string editor_token_;
  static std::string author_token_;
};

testing::TempDir* Api::dir_ = nullptr;
testing::ServerProcess* Api::server_ = nullptr;
std::string Api::db_;
std::string Api::editor_token_;
std::string Api::author_token_;

TEST_F(Api, TokenIsTheLastWordOfTheCliOutput) {
  EXPECT_TRUE(editor_token_.starts_with("nd_")) << editor_token_;
}

TEST_F(Api, PublishedItemShowsOnTheSiteAndInFeedsAtOnce) {
  const json item = create({{"title", "Published through the API"},
                            {"body_markdown", "A body with **bold** text."},
                            {"categories", {"Press Release"}},
                            {"status", "published"}});
  ASSERT_EQ(item["status"], "published");
  const std::string slug = item["slug"];
  EXPECT_EQ(slug, "published-through-the-api");
  const auto page = http_get(server_->port(), "/news/" + slug + "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<strong>bold</strong>"), std::string::npos);
  const auto rss = http_get(server_->port(), "/rss.xml");
  EXPECT_NE(rss.body.find("Published through the API"), std::string::npos);
  const auto category = http_get(server_->port(), "/category/press-release/");
  EXPECT_NE(category.body.find("Published through the API"), std::string::npos);
}

TEST_F(Api, DraftStaysOffTheSite) {
  const json item = create({{"title", "Just a draft"}, {"body_html", "<p>draft</p>"}});
  EXPECT_EQ(item["status"], "draft");
  EXPECT_EQ(http_get(server_->port(), "/news/just-a-draft/").status, 404);
  EXPECT_EQ(http_get(server_->port(), "/rss.xml").body.find("Just a draft"), std::string::npos);
}

TEST_F(Api, ScheduledItemGoesLiveAtItsTime) {
  const auto at = std::chrono::system_clock::now() + std::chrono::seconds(2);
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  const json item = create({{"title", "Scheduled release"},
                            {"body_markdown", "Later."},
                            {"status", "scheduled"},
                            {"publish_at", when}});
  ASSERT_EQ(item["status"], "scheduled");
  EXPECT_EQ(http_get(server_->port(), "/news/scheduled-release/").status, 404);
  std::this_thread::sleep_until(at + std::chrono::milliseconds(1100));
  EXPECT_EQ(http_get(server_->port(), "/news/scheduled-release/").status, 200);
  EXPECT_NE(http_get(server_->port(), "/rss.xml").body.find("Scheduled release"),
            std::string::npos);
}

TEST_F(Api, AtItsEndTimeAnItemIsTakenDownOrMovedToTheArchive) {
  const auto at = std::chrono::system_clock::now() + std::chrono::seconds(2);
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  char month[32];
  std::strftime(month, sizeof month, "/archive/%Y/%m/", std::gmtime(&t));
  const json archived = create({{"title", "Seasonal statement"},
                                {"body_markdown", "Zanzibarian words."},
                                {"status", "published"},
                                {"expires_at", when},
                                {"expiry_action", "archive"}});
  EXPECT_EQ(archived["expiry_action"], "archive");
  const json removed = create({{"title", "Withdrawn statement"},
                               {"body_markdown", "Zanzibarian too."},
                               {"status", "published"},
                               {"expires_at", when}});
  EXPECT_EQ(removed["expiry_action"], "take_down");
  EXPECT_EQ(call("POST", "/api/v1/news", author_token_,
                 R"({"title": "Author archive", "expiry_action": "archive"})")
                .status,
            403);
  EXPECT_EQ(call("POST", "/api/v1/news", editor_token_,
                 R"({"title": "Bad action", "expiry_action": "shred"})")
                .status,
            400);
  ASSERT_NE(http_get(server_->port(), "/news/").body.find("Seasonal statement"), std::string::npos);

  std::this_thread::sleep_until(at + std::chrono::milliseconds(1100));
  const auto page = http_get(server_->port(), "/news/seasonal-statement/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("class=\"archive-notice\""), std::string::npos) << page.body;
  EXPECT_EQ(http_get(server_->port(), "/news/withdrawn-statement/").status, 404);
  for (const std::string list : {"/", "/news/", "/rss.xml", "/atom.xml", "/feed.json"}) {
    EXPECT_EQ(http_get(server_->port(), list).body.find("Seasonal statement"), std::string::npos)
        << list;
  }
  EXPECT_NE(http_get(server_->port(), month).body.find("Seasonal statement"), std::string::npos)
      << month;
  const std::string found = http_get(server_->port(), "/search?q=zanzibarian").body;
  EXPECT_NE(found.find("Seasonal statement"), std::string::npos);
  EXPECT_EQ(found.find("Withdrawn statement"), std::string::npos);
}

TEST_F(Api, GetPatchPutDeleteAndTheGoneAddress) {
  const json item =
      create({{"title", "Lifecycle"}, {"body_markdown", "v1"}, {"status", "published"}});
  const std::string target = "/api/v1/news/" + std::to_string(item["id"].get<int>());
  auto got = call("GET", target, editor_token_);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body)["title"], "Lifecycle");
  auto patched = call("PATCH", target, editor_token_, R"({"teaser": "A new summary."})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json::parse(patched.body)["teaser"], "A new summary.");
  EXPECT_EQ(json::parse(patched.body)["title"], "Lifecycle");
  auto put = call("PUT", target, editor_token_, R"({"title": "Lifecycle, replaced"})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto revisions = call("GET", target + "/revisions", editor_token_);
  ASSERT_EQ(revisions.status, 200);
  EXPECT_EQ(json::parse(revisions.body)["revisions"].size(), 3u);
  // Restore the first revision: the title comes back, as a new revision.
  const json all = json::parse(revisions.body)["revisions"];
  const std::string first = std::to_string(all.back()["id"].get<int>());
  auto restored = call("POST", target + "/revisions/" + first + "/restore", editor_token_);
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(json::parse(restored.body)["title"], "Lifecycle");
  EXPECT_EQ(json::parse(call("GET", target + "/revisions", editor_token_).body)["revisions"].size(),
            4u);
  EXPECT_EQ(call("POST", target + "/revisions/999999/restore", editor_token_).status, 404);
  EXPECT_EQ(call("POST", target + "/revisions/" + first + "/restore", author_token_).status, 403);
  auto deleted = call("DELETE", target, editor_token_);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(call("GET", target, editor_token_).status, 404);
  EXPECT_EQ(http_get(server_->port(), "/news/lifecycle/").status, 410);
}

TEST_F(Api, SlugChangeRedirectsTheOldAddress) {
  const json item =
      create({{"title", "Old name"}, {"body_markdown", "x"}, {"status", "published"}});
  const std::string target = "/api/v1/news/" + std::to_string(item["id"].get<int>());
  ASSERT_EQ(call("PATCH", target, editor_token_, R"({"slug": "new-name"})").status, 200);
  const auto old = http_get(server_->port(), "/news/old-name/");
  EXPECT_EQ(old.status, 301);
  EXPECT_EQ(old.headers.at("location"), "/news/new-name/");
}

TEST_F(Api, MissingOrWrongCredentialsAre401) {
  for (const std::string& token :
       std::vector<std::string>{"", "nd_wrong", "garbage", editor_token_ + "x"}) {
    for (const auto& [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/news"},
                                                          {"POST", "/api/v1/news"},
                                                          {"GET", "/api/v1/news/1"},
                                                          {"PATCH", "/api/v1/news/1"},
                                                          {"PUT", "/api/v1/news/1"},
                                                          {"DELETE", "/api/v1/news/1"},
                                                          {"GET", "/api/v1/news/1/revisions"}}) {
      const auto reply = call(method, target, token, R"({"title": "x"})");
      EXPECT_EQ(reply.status, 401) << method << " " << target << " with '" << token << "'";
      EXPECT_EQ(reply.headers.at("content-type"), "application/problem+json");
    }
  }
}

TEST_F(Api, AuthorMayDraftButNotPublishOrDelete) {
  auto publish = call("POST", "/api/v1/news", author_token_,
                      R"({"title": "Author tries", "status": "published"})");
  EXPECT_EQ(publish.status, 403) << publish.body;
  const json draft = create({{"title", "Author draft"}, {"review_requested", true}}, author_token_);
  const std::string target = "/api/v1/news/" + std::to_string(draft["id"].get<int>());
  EXPECT_EQ(call("PATCH", target, author_token_, R"({"title": "Author draft 2"})").status, 200);
  EXPECT_EQ(call("DELETE", target, author_token_).status, 403);
  EXPECT_EQ(call("PATCH", target, author_token_, R"({"status": "published"})").status, 403);
  // An editor's items do not exist for the author.
  const json editors = create({{"title", "Editor only"}});
  EXPECT_EQ(
      call("GET", "/api/v1/news/" + std::to_string(editors["id"].get<int>()), author_token_).status,
      404);
  // The editor publishes the author's draft.
  EXPECT_EQ(call("PATCH", target, editor_token_, R"({"status": "published"})").status, 200);
  EXPECT_EQ(call("PATCH", target, author_token_, R"({"title": "too late"})").status, 403);
}

TEST_F(Api, BadInputGetsAClearProblem) {
  struct Case {
    std::string body;
    std::string detail;
  };
  for (const Case& c : std::vector<Case>{
           {"not json", "not JSON"},
           {"[1,2]", "must be an object"},
           {R"({"title": 5})", "'title' must be a string"},
           {R"({"title": "x", "tittle": "y"})", "unknown field 'tittle'"},
           {R"({"title": ""})", "title is required"},
           {R"({"title": "x", "status": "live"})", "status is draft"},
           {R"({"title": "x", "publish_at": "tomorrow"})", "RFC 3339"},
           {R"({"title": "x", "slug": "Not A Slug"})", "slug"},
           {R"({"title": "x", "body_html": "a", "body_markdown": "b"})", "not both"},
           {R"({"title": "x", "lead_image": {"url": "https://e.org/a.jpg"}})", "alt text"}}) {
    const auto reply = call("POST", "/api/v1/news", editor_token_, c.body);
    EXPECT_EQ(reply.status, 400) << c.body << " -> " << reply.body;
    EXPECT_NE(reply.body.find(c.detail), std::string::npos) << c.body << " -> " << reply.body;
  }
  EXPECT_EQ(call("GET", "/api/v1/news/999999", editor_token_).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/news/abc", editor_token_).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/nothing", editor_token_).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/news", editor_token_).status, 405);
}

TEST_F(Api, StoredXssNeverReachesAPageOrAFeed) {
  const json item =
      create({{"title", "<script>alert('t')</script>Title"},
              {"teaser", "<img src=x onerror=alert(1)>Teaser"},
              {"body_html",
               "<p>ok</p><script>alert(2)</script><a href=\"javascript:alert(3)\">x</a>"
               "<iframe src=\"https://evil.example\"></iframe><p onclick=\"alert(4)\">p</p>"},
              {"status", "published"}});
  const std::string slug = item["slug"];
  for (const std::string& target : std::vector<std::string>{"/news/" + slug + "/", "/", "/rss.xml",
                                                            "/atom.xml", "/search?q=title"}) {
    const auto reply = http_get(server_->port(), target);
    ASSERT_EQ(reply.status, 200) << target;
    for (const std::string bad :
         {"<script>alert", "onerror=", "javascript:alert", "<iframe", "onclick=", "<img src=x"}) {
      EXPECT_EQ(reply.body.find(bad), std::string::npos) << target << " contains " << bad;
    }
  }
  // JSON Feed titles are plain text by the spec (a reader shows the
  // characters); its HTML fields must be clean like any page.
  const json feed = json::parse(http_get(server_->port(), "/feed.json").body);
  for (const json& entry : feed["items"]) {
    if (entry["url"].get<std::string>().find(slug) == std::string::npos) continue;
    for (const char* field : {"content_html", "summary"}) {
      if (!entry.contains(field)) continue;
      const std::string html = entry[field];
      for (const std::string bad : {"<script", "onerror=", "javascript:", "<iframe", "onclick="}) {
        EXPECT_EQ(html.find(bad), std::string::npos) << field << " contains " << bad;
      }
    }
  }
}

TEST_F(Api, RevokedTokenAndDeletedUserStopAtOnce) {
  const std::string token = token_for("temp", "editor");
  EXPECT_EQ(call("GET", "/api/v1/news", token).status, 200);
  auto deleted = run_command({testing::newsdesk_binary(), "user", "delete", "temp", "--db", db_});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(call("GET", "/api/v1/news", token).status, 401);

  const std::string second = token_for("temp2", "editor");
  auto listed = run_command({testing::newsdesk_binary(), "token", "list", "--db", db_});
  const auto line = listed.out.find("\ttemp2\t");
  ASSERT_NE(line, std::string::npos) << listed.out;
  const std::string id =
      listed.out.substr(listed.out.rfind('\n', line) + 1, line - listed.out.rfind('\n', line) - 1);
  auto revoked = run_command({testing::newsdesk_binary(), "token", "revoke", id, "--db", db_});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(call("GET", "/api/v1/news", second).status, 401);
}

TEST_F(Api, OpenApiDocumentDescribesThePaths) {
  const auto reply = http_get(server_->port(), "/api/v1/openapi.json");
  ASSERT_EQ(reply.status, 200);
  const json doc = json::parse(reply.body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  // Every route of the router is documented, with its method.
  for (const std::string& route : http::api_routes()) {
    const std::string method = route.substr(0, route.find(' '));
    const std::string path = route.substr(route.find(' ') + 1);
    if (path == "/api/v1/openapi.json") continue;
    std::string documented = path.substr(std::string("/api/v1").size());
    std::string lower = method;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_TRUE(doc["paths"].contains(documented)) << route;
    EXPECT_TRUE(doc["paths"][documented].contains(lower)) << route;
    // And answers: without a token it asks for one (401), never 404 or 405.
    std::string target = path;
    for (const std::string param : {"{id}", "{revision}"}) {
      const auto brace = target.find(param);
      if (brace != std::string::npos) target.replace(brace, param.size(), "1");
    }
    EXPECT_EQ(http_request(server_->port(), method, target).status, 401) << route;
  }
  for (const auto& [path, item] : doc["paths"].items()) {
    std::string target = "/api/v1" + path;
    for (const std::string param : {"{id}", "{revision}"}) {
      const auto brace = target.find(param);
      if (brace != std::string::npos) target.replace(brace, param.size(), "1");
    }
    // Paths without GET (restore, attachments) only answer POST.
    const bool post_only = !item.contains("get");
    if (post_only) {
      EXPECT_EQ(http_request(server_->port(), "POST", target).status, 401) << target;
      continue;
    }
    // Every documented path exists: without a token it asks for one
    // rather than answering 404.
    EXPECT_EQ(http_get(server_->port(), target).status, 401) << target;
  }
}

TEST_F(Api, JournalistsFeedCarriesEmbargoedItemsUntilRevoked) {
  const auto at = std::chrono::system_clock::now() + std::chrono::hours(2);
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  create({{"title", "Under embargo"},
          {"body_markdown", "Strictly for the press."},
          {"status", "scheduled"},
          {"publish_at", when},
          {"embargo", true}});
  auto created =
      run_command({testing::newsdesk_binary(), "press", "create", "Vienna Times", "--db", db_});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string url = testing::last_word(created.out);
  const std::string path = url.substr(url.find("/press/"));
  for (const std::string file : {"rss.xml", "atom.xml", "feed.json"}) {
    const std::string target = path.substr(0, path.rfind('/') + 1) + file;
    const auto reply = http_get(server_->port(), target);
    ASSERT_EQ(reply.status, 200) << target;
    EXPECT_NE(reply.body.find("EMBARGOED until"), std::string::npos) << target;
    EXPECT_NE(reply.body.find("Under embargo"), std::string::npos) << target;
    EXPECT_EQ(reply.headers.at("cache-control"), "private, no-store");
  }
  EXPECT_EQ(http_get(server_->port(), "/rss.xml").body.find("Under embargo"), std::string::npos);
  EXPECT_EQ(http_get(server_->port(), "/press/" + std::string(43, 'a') + "/rss.xml").status, 404);
  auto listed = run_command({testing::newsdesk_binary(), "press", "list", "--db", db_});
  const std::string id = listed.out.substr(0, listed.out.find('\t'));
  auto revoked = run_command({testing::newsdesk_binary(), "press", "revoke", id, "--db", db_});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(http_get(server_->port(), path).status, 404);
}

testing::HttpReply upload(unsigned short port, const std::string& target, const std::string& token,
                          const std::string& filename, const std::string& type,
                          const std::string& bytes) {
  const std::string boundary = "----newsdesk-test-boundary";
  std::string body = "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
                     "\"\r\nContent-Type: " + type + "\r\n\r\n" + bytes + "\r\n--" + boundary +
                     "--\r\n";
  return http_request(port, "POST", target,
                      {{"Authorization", "Bearer " + token},
                       {"Content-Type", "multipart/form-data; boundary=" + boundary}},
                      body);
}

TEST_F(Api, UploadedPdfIsCheckedStoredAndServed) {
  const json item = create({{"title", "With a download"}, {"body_markdown", "See the file."}});
  const std::string target =
      "/api/v1/news/" + std::to_string(item["id"].get<int>()) + "/attachments";
  const std::string pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
  auto reply = upload(server_->port(), target, editor_token_, "Annual report.pdf",
                      "application/octet-stream", pdf);
  ASSERT_EQ(reply.status, 201) << reply.body;
  const json attachment = json::parse(reply.body);
  EXPECT_EQ(attachment["type"], "application/pdf");
  EXPECT_EQ(attachment["length"], pdf.size());
  const std::string url = attachment["url"];
  const std::string path = url.substr(url.find("/files/"));
  // Not served while the item is a draft.
  EXPECT_EQ(http_get(server_->port(), path).status, 404);
  ASSERT_EQ(call("PATCH", "/api/v1/news/" + std::to_string(item["id"].get<int>()), editor_token_,
                 R"({"status": "published"})")
                .status,
            200);
  const auto file = http_get(server_->port(), path);
  ASSERT_EQ(file.status, 200) << path;
  EXPECT_EQ(file.body, pdf);
  EXPECT_EQ(file.headers.at("content-type"), "application/pdf");
  EXPECT_NE(file.headers.at("content-disposition").find("attachment"), std::string::npos);
  const auto page = http_get(server_->port(), "/news/with-a-download/");
  EXPECT_NE(page.body.find("(PDF"), std::string::npos);
  // The page links to the copy the site serves.
  EXPECT_NE(page.body.find("href=\"" + path + "\" download>"), std::string::npos) << page.body;
}

TEST_F(Api, UploadsThatAreNotDocumentsAreRefused) {
  const json item = create({{"title", "Upload target"}});
  const std::string target =
      "/api/v1/news/" + std::to_string(item["id"].get<int>()) + "/attachments";
  auto html = upload(server_->port(), target, editor_token_, "report.pdf", "application/pdf",
                     "<html><script>alert(1)</script></html>");
  EXPECT_EQ(html.status, 400) << html.body;
  auto svg = upload(server_->port(), target, editor_token_, "logo.svg", "image/svg+xml",
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");
  EXPECT_EQ(svg.status, 400) << svg.body;
  auto empty = upload(server_->port(), target, editor_token_, "empty.pdf", "application/pdf", "");
  EXPECT_EQ(empty.status, 400);
  // An oversized upload is refused from its Content-Length, before any of
  // the body is read: send the header only and read the answer.
  {
    namespace asio = boost::asio;
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), server_->port()});
    const std::string head = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                             "Authorization: Bearer " + editor_token_ +
                             "\r\nContent-Type: multipart/form-data; boundary=b\r\n" +
                             "Content-Length: 30000000\r\n\r\n";
    asio::write(socket, asio::buffer(head));
    std::string answer(64, '\0');
    boost::system::error_code ec;
    const std::size_t n = socket.read_some(asio::buffer(answer), ec);
    answer.resize(n);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << answer;
  }
  auto not_multipart = call("POST", target, editor_token_, R"({"file": "x"})");
  EXPECT_EQ(not_multipart.status, 415);
  auto author =
      upload(server_->port(), target, author_token_, "a.pdf", "application/pdf", "%PDF-1");
  EXPECT_EQ(author.status, 404);
}

TEST_F(Api, SearchAndCategories) {
  create({{"title", "Searchable zebra news"}, {"categories", {"Wildlife"}}});
  auto found = call("GET", "/api/v1/news?q=zebra", editor_token_);
  ASSERT_EQ(found.status, 200);
  const json body = json::parse(found.body);
  EXPECT_EQ(body["total"], 1);
  EXPECT_EQ(body["items"][0]["title"], "Searchable zebra news");
  EXPECT_EQ(call("GET", "/api/v1/news?q=%22", editor_token_).status, 200);
  auto categories = call("GET", "/api/v1/categories", editor_token_);
  ASSERT_EQ(categories.status, 200);
  EXPECT_NE(categories.body.find("\"slug\":\"wildlife\""), std::string::npos) << categories.body;
}

TEST_F(Api, ListFiltersByStatus) {
  create({{"title", "Listed draft"}});
  auto drafts = call("GET", "/api/v1/news?status=draft", editor_token_);
  ASSERT_EQ(drafts.status, 200);
  // Named: a range-for over a member of a temporary would outlive it (C++20).
  const json listed = json::parse(drafts.body);
  ASSERT_FALSE(listed["items"].empty());
  for (const json& item : listed["items"]) EXPECT_EQ(item["status"], "draft");
  EXPECT_EQ(call("GET", "/api/v1/news?status=bogus", editor_token_).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/news?page=0", editor_token_).status, 400);
}

}  // namespace
}  // namespace newsdesk
