// Hostile requests against a real `newsdesk serve` with a disk theme:
// path traversal (plain, encoded, double-encoded, backslashes, NUL,
// overlong UTF-8) and a symlink escape out of the theme; missing, wrong and
// revoked credentials on every API route and every admin route, and forms
// without their CSRF token, none of which may change anything; and stored
// XSS through the API: payloads in every field an API client writes must
// reach no page and no feed as anything executable.

#include <gtest/gtest.h>
#include <gumbo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/ids.h"
#include "http/api.h"
#include "support/process.h"

namespace newsdesk {
namespace {

using nlohmann::json;
using testing::form;
using testing::http_get;
using testing::http_request;
using testing::HttpReply;
using testing::run_command;
using testing::url_encode;

const std::string kPdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
// In a file beside the theme and behind a symlink inside it: must never be served.
const std::string kSecret = "newsdesk-hostile-test-secret-7f3a9c";

// The theme's fingerprinted asset name ("style.css" -> "style.1a2b3c4d.css").
std::string fingerprinted(const std::string& file, const std::string& content) {
  char hash[9];
  std::snprintf(hash, sizeof hash, "%08llx",
                static_cast<unsigned long long>(fnv1a64(content) & 0xffffffffu));
  const auto dot = file.rfind('.');
  if (dot == std::string::npos) return file + "." + hash;
  return file.substr(0, dot) + "." + hash + file.substr(dot);
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Bytes sent exactly as given (no client library tidying the request line):
// the status of the reply, 0 when the server closed without one.
HttpReply raw_request(unsigned short port, const std::string& bytes) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  HttpReply reply;
  if (ec) return reply;
  asio::write(socket, asio::buffer(bytes), ec);
  socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  std::string all;
  char buf[4096];
  for (;;) {
    const std::size_t n = socket.read_some(asio::buffer(buf), ec);
    all.append(buf, n);
    if (ec) break;
  }
  if (all.starts_with("HTTP/1.1 ") && all.size() >= 12) reply.status = std::stoi(all.substr(9, 3));
  const auto body = all.find("\r\n\r\n");
  if (body != std::string::npos) reply.body = all.substr(body + 4);
  return reply;
}

// ---------------------------------------------------------------- HTML oracle

bool has_script_scheme(std::string_view url) {
  std::string cleaned;
  for (char c : url) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (cleaned.empty() && static_cast<unsigned char>(c) <= 0x20) continue;
    cleaned += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return cleaned.starts_with("javascript:") || cleaned.starts_with("vbscript:") ||
         cleaned.starts_with("data:text/html") || cleaned.starts_with("data:image/svg");
}

std::string text_of(const GumboNode* node) {
  std::string out;
  if (node->type != GUMBO_NODE_ELEMENT) return out;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
        child->type == GUMBO_NODE_WHITESPACE) {
      out += child->v.text.text;
    }
  }
  return out;
}

// What a browser would run in this HTML, as a list of findings (empty: none):
// <script> other than JSON-LD (which must hold valid JSON), on* attributes,
// javascript:/vbscript:/data: URLs in URL attributes, and elements that run
// or embed content (iframe, object, embed, base, frame). JSON-LD blocks are
// returned in `json_ld`.
std::vector<std::string> executable_parts(const std::string& html, bool fragment,
                                          std::vector<json>* json_ld = nullptr) {
  std::vector<std::string> found;
  GumboOptions options = kGumboDefaultOptions;
  if (fragment) {
    options.fragment_context = GUMBO_TAG_DIV;
    options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  }
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  std::vector<const GumboNode*> stack{output->root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
    const GumboElement& e = node->v.element;
    const std::string tag = e.tag == GUMBO_TAG_UNKNOWN
                                ? std::string(e.original_tag.data, e.original_tag.length)
                                : gumbo_normalized_tagname(e.tag);
    if (e.tag == GUMBO_TAG_SCRIPT) {
      const GumboAttribute* type = gumbo_get_attribute(&e.attributes, "type");
      const std::string text = text_of(node);
      if (type == nullptr || std::string_view(type->value) != "application/ld+json") {
        found.push_back("<script> " + text.substr(0, 80));
      } else {
        json doc = json::parse(text, nullptr, false);
        if (doc.is_discarded()) found.push_back("JSON-LD that is not JSON: " + text.substr(0, 200));
        if (json_ld != nullptr) json_ld->push_back(doc);
      }
    }
    for (GumboTag bad : {GUMBO_TAG_IFRAME, GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED, GUMBO_TAG_BASE,
                         GUMBO_TAG_FRAME, GUMBO_TAG_FRAMESET, GUMBO_TAG_APPLET}) {
      if (e.tag == bad) found.push_back("<" + tag + ">");
    }
    for (unsigned i = 0; i < e.attributes.length; ++i) {
      const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
      std::string name = a->name;
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name.starts_with("on")) found.push_back("<" + tag + " " + name + "=" + a->value + ">");
      if ((name == "href" || name == "src" || name == "action" || name == "formaction" ||
           name == "xlink:href" || name == "data" || name == "poster" || name == "srcdoc") &&
          (has_script_scheme(a->value) || name == "srcdoc")) {
        found.push_back("<" + tag + " " + name + "=" + a->value + ">");
      }
      if (name == "http-equiv") found.push_back("<" + tag + " http-equiv>");
    }
    for (unsigned i = 0; i < e.children.length; ++i) {
      stack.push_back(static_cast<const GumboNode*>(e.children.data[i]));
    }
  }
  gumbo_destroy_output(&options, output);
  return found;
}

// Every element of an XML document (libxml2, no recovery: a feed a payload
// broke is not well-formed and fails here), as name -> text contents.
struct XmlDoc {
  bool ok = false;
  struct Element {
    std::string name;  // local name
    std::string type;  // its type attribute (Atom's text/html), or ""
    std::string text;  // text content
  };
  std::vector<Element> elements;
};

XmlDoc parse_xml(const std::string& text) {
  XmlDoc out;
  xmlDocPtr doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "feed.xml", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr) return out;
  out.ok = true;
  std::vector<xmlNodePtr> stack{xmlDocGetRootElement(doc)};
  while (!stack.empty()) {
    xmlNodePtr n = stack.back();
    stack.pop_back();
    if (n == nullptr) continue;
    if (n->type == XML_ELEMENT_NODE) {
      xmlChar* content = xmlNodeGetContent(n);
      xmlChar* type = xmlGetProp(n, reinterpret_cast<const xmlChar*>("type"));
      out.elements.push_back({reinterpret_cast<const char*>(n->name),
                              type ? reinterpret_cast<const char*>(type) : "",
                              content ? reinterpret_cast<const char*>(content) : ""});
      xmlFree(type);
      xmlFree(content);
      for (xmlNodePtr c = n->children; c != nullptr; c = c->next) stack.push_back(c);
    }
  }
  xmlFreeDoc(doc);
  return out;
}

// ---------------------------------------------------------------- fixture

class Hostile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    namespace fs = std::filesystem;
    dir_ = new testing::TempDir();
    const std::string root = dir_->path();
    db_ = "sqlite:" + root + "/news.db";
    // A disk theme with one real extra file, and a symlink that stays
    // inside it; a file beside it that must never be served.
    fs::create_directories(root + "/theme/static");
    fs::create_directories(root + "/theme/shared");
    std::ofstream(root + "/theme/static/extra.css") << "body { color: black; }\n";
    std::ofstream(root + "/theme/shared/print.css") << "@media print { nav { display: none } }\n";
    fs::create_symlink("../shared/print.css", root + "/theme/static/print.css");
    std::ofstream(root + "/secret.txt") << kSecret << "\n";
    std::ofstream(root + "/newsdesk.toml")
        << "[site]\ntitle = \"Hostile\"\nbase_url = \"http://127.0.0.1/\"\ntheme = \"theme\"\n";

    add_user("root", "admin", "root-password-long");
    add_user("edna", "editor", "editor-password-long");
    editor_token_ = token_for("edna").second;
    auto [revoked_id, revoked] = token_for("edna");
    revoked_token_ = revoked;
    auto r = run_command({testing::newsdesk_binary(), "token", "revoke", revoked_id, "--db", db_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto press =
        run_command({testing::newsdesk_binary(), "press", "create", "Outlet", "--db", db_});
    EXPECT_EQ(press.exit_code, 0) << press.err;

    server_ = new testing::ServerProcess({"--config", root + "/newsdesk.toml", "--db", db_});
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

  // {id, secret} of a new token: "newsdesk: token ID for NAME (...): SECRET".
  static std::pair<std::string, std::string> token_for(const std::string& name) {
    auto r = run_command({testing::newsdesk_binary(), "token", "create", name, "--db", db_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    static const std::regex kLine(R"(token (\d+) for .*: (\S+)\s*$)");
    EXPECT_TRUE(std::regex_search(r.out, m, kLine)) << r.out;
    return {m[1], m[2]};
  }

  static unsigned short port() { return server_->port(); }

  static HttpReply api(const std::string& method, const std::string& target,
                       const std::string& authorization, const std::string& body = "",
                       const std::string& content_type = "application/json") {
    std::map<std::string, std::string> headers{{"Content-Type", content_type}};
    if (!authorization.empty()) headers["Authorization"] = authorization;
    return http_request(port(), method, target, headers, body);
  }

  static json create(const json& body) {
    auto reply = api("POST", "/api/v1/news", "Bearer " + editor_token_, body.dump());
    EXPECT_EQ(reply.status, 201) << reply.body;
    return json::parse(reply.body, nullptr, false);
  }

  // The Cookie header value of a fresh admin session, and its CSRF token.
  static std::pair<std::string, std::string> login(const std::string& name,
                                                   const std::string& password) {
    auto reply = http_request(port(), "POST", "/admin/login",
                              {{"Content-Type", "application/x-www-form-urlencoded"}},
                              form({{"name", name}, {"password", password}}));
    EXPECT_EQ(reply.status, 303) << reply.body;
    const std::string set_cookie = reply.headers["set-cookie"];
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    auto page = http_request(port(), "GET", "/admin/", {{"Cookie", cookie}});
    static const std::regex kCsrf(R"re(name="csrf" value="([^"]+)")re");
    std::smatch m;
    EXPECT_TRUE(std::regex_search(page.body, m, kCsrf)) << page.body.substr(0, 500);
    return {cookie, m[1]};
  }

  // Everything an editor can see through the API, to compare before and after.
  static std::string state() {
    std::string out;
    for (const std::string status : {"draft", "scheduled", "published"}) {
      out += api("GET", "/api/v1/news?status=" + status, "Bearer " + editor_token_).body;
    }
    out += api("GET", "/api/v1/categories", "Bearer " + editor_token_).body;
    out += run_command({testing::newsdesk_binary(), "user", "list", "--db", db_}).out;
    out += run_command({testing::newsdesk_binary(), "token", "list", "--db", db_}).out;
    out += run_command({testing::newsdesk_binary(), "press", "list", "--db", db_}).out;
    return out;
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline testing::ServerProcess* server_ = nullptr;
  static inline std::string db_;
  static inline std::string editor_token_;
  static inline std::string revoked_token_;
};

// ---------------------------------------------------------------- traversal

TEST_F(Hostile, TheThemesOwnStaticFilesAreServedUnderTheirFingerprints) {
  // Proves the names below are computed right: the same rule finds these,
  // the second through a symlink that stays inside the theme.
  const std::string extra = dir_->path() + "/theme/static/extra.css";
  auto reply = http_get(port(), "/static/" + fingerprinted("extra.css", read_whole(extra)));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "body { color: black; }\n");
  const std::string print = dir_->path() + "/theme/shared/print.css";
  reply = http_get(port(), "/static/" + fingerprinted("print.css", read_whole(print)));
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, read_whole(print));
}

// A theme whose static folder links to /etc/passwd or to a file beside the
// theme: `serve` must not serve it (it refuses the theme, naming the link).
TEST_F(Hostile, ASymlinkOutOfTheThemeIsNotServed) {
  namespace fs = std::filesystem;
  testing::TempDir dir;
  const std::string root = dir.path();
  fs::create_directories(root + "/evil/static");
  std::ofstream(root + "/evil/static/ok.css") << "p { }\n";
  std::ofstream(root + "/secret.txt") << kSecret << "\n";
  std::ofstream(root + "/newsdesk.toml") << "[site]\ntheme = \"evil\"\n";
  const std::string db = "sqlite:" + root + "/news.db";
  const std::vector<std::pair<std::string, std::string>> links = {
      {"passwd", "/etc/passwd"},
      {"leak.txt", root + "/secret.txt"},
      {"up.txt", "../../secret.txt"}};
  for (const auto& [name, target] : links) {
    SCOPED_TRACE(name + " -> " + target);
    for (const auto& link : links) fs::remove(root + "/evil/static/" + link.first);
    fs::create_symlink(target, root + "/evil/static/" + name);
    testing::ServerProcess server({"--config", root + "/newsdesk.toml", "--db", db});
    if (server.started()) {
      const std::string content = read_whole(name == "passwd" ? target : root + "/secret.txt");
      for (const std::string& asset : std::vector<std::string>{
               fingerprinted(name, content), name, fingerprinted("ok.css", "p { }\n")}) {
        const auto reply = http_get(server.port(), "/static/" + asset);
        EXPECT_NE(reply.status, 200) << asset;
        EXPECT_EQ(reply.body.find(kSecret), std::string::npos) << asset;
        EXPECT_EQ(reply.body.find("root:x:0:0"), std::string::npos) << asset;
      }
    } else {
      // It did not start: it must say why (and so it exits at once here too).
      auto run = run_command({testing::newsdesk_binary(), "serve", "--config",
                              root + "/newsdesk.toml", "--db", db, "--listen", "127.0.0.1:0"});
      EXPECT_NE(run.exit_code, 0);
      EXPECT_NE(run.err.find("static/" + name + ": links to a file outside the theme folder"),
                std::string::npos)
          << run.err;
    }
  }
}

TEST_F(Hostile, TraversalOnStaticAndFilesGetsNoFile) {
  const std::vector<std::string> tails = {
      "../../../../../../etc/passwd",
      "..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
      "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
      "%252e%252e%252f%252e%252e%252fetc%252fpasswd",
      "..%252f..%252f..%252fetc%252fpasswd",
      "..\\..\\..\\..\\etc\\passwd",
      "..%5c..%5c..%5c..%5cetc%5cpasswd",
      "%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
      "%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
      "%e0%80%ae%e0%80%ae/%e0%80%ae%e0%80%ae/etc/passwd",
      "..%c0%af..%c0%af..%c0%afetc%c0%afpasswd",
      "%2fetc%2fpasswd",
      "/etc/passwd",
      "....//....//....//etc/passwd",
      "extra.css%00/../../../etc/passwd",
      "passwd%00.css",
      "../secret.txt",
      "..%2fsecret.txt",
      "..%2f..%2fsecret.txt",
      "../theme/static/leak.txt",
      "1/../../../../etc/passwd",
      "1/..%2f..%2f..%2fetc%2fpasswd",
      "1/%2e%2e/%2e%2e/secret.txt",
  };
  for (const std::string prefix : {"/static/", "/files/", "/files/1/", "/"}) {
    for (const std::string& tail : tails) {
      const std::string target = prefix + tail;
      const auto reply = http_get(port(), target);
      EXPECT_TRUE(reply.status == 404 || reply.status == 400) << target << " -> " << reply.status;
      EXPECT_EQ(reply.body.find("root:x:0:0"), std::string::npos) << target;
      EXPECT_EQ(reply.body.find(kSecret), std::string::npos) << target;
    }
  }
}

TEST_F(Hostile, RawNulAndOverlongBytesInTheRequestLineGetNoFile) {
  for (const std::string& target : std::vector<std::string>{
           std::string("/static/extra.css\0/../../etc/passwd", 34),
           std::string("/files/1/\0../../etc/passwd", 26),
           std::string("/static/\xc0\xae\xc0\xae/etc/passwd"),
           std::string("/static/\xc0\xae\xc0\xae\xc0\xaf\xc0\xae\xc0\xae\xc0\xafsecret.txt"),
           std::string("/files/\xe0\x80\xae\xe0\x80\xae/secret.txt"),
           std::string("/static/..\\..\\secret.txt"), std::string("/static/../../secret.txt")}) {
    const auto reply = raw_request(
        port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(reply.status == 404 || reply.status == 400 || reply.status == 0)
        << json(target).dump(-1, ' ', true, json::error_handler_t::replace) << " -> "
        << reply.status;
    EXPECT_EQ(reply.body.find("root:x:0:0"), std::string::npos);
    EXPECT_EQ(reply.body.find(kSecret), std::string::npos);
  }
}

// ---------------------------------------------------------------- credentials

// Every route of api_routes() with its parameters filled in.
std::vector<std::pair<std::string, std::string>> api_calls(std::int64_t id) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& route : http::api_routes()) {
    const auto space = route.find(' ');
    std::string path = route.substr(space + 1);
    path = std::regex_replace(path, std::regex(R"(\{id\})"), std::to_string(id));
    path = std::regex_replace(path, std::regex(R"(\{revision\})"), "1");
    out.emplace_back(route.substr(0, space), path);
  }
  return out;
}

TEST_F(Hostile, EveryApiRouteRefusesMissingWrongAndRevokedTokens) {
  const json item = create({{"title", "Target of the credential tests"},
                            {"body_markdown", "Untouched."},
                            {"status", "published"}});
  const std::int64_t id = item["id"];
  const std::string before = state();
  const std::vector<std::string> credentials = {
      "",
      "Bearer",
      "Bearer ",
      "Bearer wrong",
      "Bearer nd_0000000000000000000000000000000000000000",
      "Bearer " + revoked_token_,
      "Bearer " + editor_token_ + "x",
      "Bearer " + editor_token_.substr(0, editor_token_.size() - 1),
      "Bearer " + editor_token_ + " " + editor_token_,
      "Basic " + editor_token_,
      "Token " + editor_token_,
      editor_token_,
  };
  int checked = 0;
  for (const auto& [method, path] : api_calls(id)) {
    if (path == "/api/v1/openapi.json") {
      // The API's description is public by design.
      EXPECT_EQ(api("GET", path, "").status, 200);
      continue;
    }
    for (const std::string& authorization : credentials) {
      const std::string body =
          method == "POST" && path.ends_with("/attachments")
              ? "--b\r\nContent-Disposition: form-data; name=\"file\"; "
                "filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
                    kPdf + "\r\n--b--\r\n"
              : R"({"title": "Changed by an intruder", "status": "published"})";
      const std::string type =
          path.ends_with("/attachments") ? "multipart/form-data; boundary=b" : "application/json";
      auto reply = api(method, path, authorization, body, type);
      EXPECT_EQ(reply.status, 401) << method << " " << path << " with '" << authorization << "'";
      EXPECT_TRUE(reply.headers["content-type"].starts_with("application/problem+json"))
          << method << " " << path;
      EXPECT_EQ(reply.headers["www-authenticate"], "Bearer realm=\"newsdesk\"") << path;
      ++checked;
    }
    // Other methods on the same path: never a success without a token.
    for (const std::string other : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
      const auto reply = api(other, path, "", R"({"title": "x"})");
      EXPECT_TRUE(reply.status == 401 || reply.status == 405)
          << other << " " << path << " -> " << reply.status;
    }
  }
  EXPECT_EQ(checked, static_cast<int>((http::api_routes().size() - 1) * credentials.size()));
  EXPECT_EQ(state(), before) << "a refused request changed something";
  // And the right token still works on the item (the test could fail).
  EXPECT_EQ(api("GET", "/api/v1/news/" + std::to_string(id), "Bearer " + editor_token_).status,
            200);
}

// The admin routes of src/http/admin.cc, parameters filled in.
struct AdminRoute {
  std::string method;
  std::string path;
};

std::vector<AdminRoute> admin_routes(std::int64_t item, std::int64_t category, std::int64_t user,
                                     std::int64_t press) {
  const std::string i = std::to_string(item);
  return {
      {"GET", "/admin"},
      {"GET", "/admin/"},
      {"GET", "/admin/settings"},
      {"GET", "/admin/categories"},
      {"GET", "/admin/press"},
      {"GET", "/admin/users"},
      {"GET", "/admin/news/new"},
      {"GET", "/admin/news/" + i},
      {"GET", "/admin/news/" + i + "/revisions"},
      {"POST", "/admin/logout"},
      {"POST", "/admin/settings"},
      {"POST", "/admin/press"},
      {"POST", "/admin/press/" + std::to_string(press) + "/revoke"},
      {"POST", "/admin/categories/" + std::to_string(category) + "/rename"},
      {"POST", "/admin/categories/" + std::to_string(category) + "/delete"},
      {"POST", "/admin/users"},
      {"POST", "/admin/users/" + std::to_string(user) + "/delete"},
      {"POST", "/admin/news"},
      {"POST", "/admin/news/" + i},
      {"POST", "/admin/news/" + i + "/delete"},
      {"POST", "/admin/news/" + i + "/attachments"},
      {"POST", "/admin/news/" + i + "/revisions/1/restore"},
  };
}

// A form that would change something on any of the POST routes.
const std::string kIntruderForm =
    "title=Changed+by+an+intruder&body_markdown=x&status=published&name=intruder&role=admin&"
    "password=intruder-password-long&label=Intruder&site_title=Owned";

TEST_F(Hostile, EveryAdminRouteRefusesRequestsWithoutAValidSession) {
  const json item = create({{"title", "Target of the admin tests"},
                            {"body_markdown", "Untouched."},
                            {"categories", {"Untouched category"}},
                            {"status", "published"}});
  const std::int64_t id = item["id"];
  const json categories =
      json::parse(api("GET", "/api/v1/categories", "Bearer " + editor_token_).body);
  ASSERT_FALSE(categories["categories"].empty());
  // A session that existed and was logged out.
  auto [old_cookie, old_csrf] = login("edna", "editor-password-long");
  ASSERT_EQ(
      http_request(port(), "POST", "/admin/logout",
                   {{"Cookie", old_cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
                   form({{"csrf", old_csrf}}))
          .status,
      303);
  const std::string before = state();
  const std::vector<std::string> cookies = {"",
                                            "nd_session=",
                                            "nd_session=forged",
                                            old_cookie,
                                            "nd_session=" + editor_token_,
                                            "other=1; nd_session=" + std::string(64, 'a')};
  for (const AdminRoute& route : admin_routes(id, 1, 1, 1)) {
    for (const std::string& cookie : cookies) {
      std::map<std::string, std::string> headers{
          {"Content-Type", "application/x-www-form-urlencoded"},
          {"Authorization", "Bearer " + editor_token_}};
      if (!cookie.empty()) headers["Cookie"] = cookie;
      auto reply = http_request(port(), route.method, route.path, headers,
                                kIntruderForm + "&csrf=" + url_encode(old_csrf));
      if (route.method == "GET") {
        EXPECT_EQ(reply.status, 303) << route.path << " with '" << cookie << "'";
        EXPECT_EQ(reply.headers["location"], "/admin/login") << route.path;
      } else {
        EXPECT_EQ(reply.status, 401) << route.path << " with '" << cookie << "'";
      }
    }
    // Other methods are never a success either.
    for (const std::string other : {"PUT", "PATCH", "DELETE", "OPTIONS"}) {
      const auto status = http_request(port(), other, route.path, {}, kIntruderForm).status;
      EXPECT_TRUE(status == 405 || status == 401 || status == 303) << other << " " << route.path;
    }
  }
  EXPECT_EQ(state(), before) << "a refused request changed something";
}

TEST_F(Hostile, EveryAdminFormRefusesAMissingOrWrongCsrfToken) {
  const json item = create({{"title", "Target of the CSRF tests"},
                            {"body_markdown", "Untouched."},
                            {"categories", {"CSRF category"}},
                            {"status", "published"}});
  const std::int64_t id = item["id"];
  auto [cookie, csrf] = login("root", "root-password-long");
  auto [other_cookie, other_csrf] = login("edna", "editor-password-long");
  ASSERT_NE(csrf, other_csrf);
  const std::string before = state();
  const std::vector<std::string> tokens = {"",
                                           "csrf=",
                                           "csrf=wrong",
                                           "csrf=" + other_csrf,
                                           "csrf=" + csrf.substr(0, csrf.size() - 1),
                                           "csrf=" + csrf + "x",
                                           "CSRF=" + csrf};
  for (const AdminRoute& route : admin_routes(id, 1, 2, 1)) {
    if (route.method != "POST") continue;
    for (const std::string& token : tokens) {
      const auto reply =
          http_request(port(), "POST", route.path,
                       {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
                       kIntruderForm + "&" + token);
      EXPECT_EQ(reply.status, 403) << route.path << " with '" << token << "'";
    }
    // A multipart body (as uploads send) without the csrf part, too.
    const auto multipart = http_request(
        port(), "POST", route.path,
        {{"Cookie", cookie}, {"Content-Type", "multipart/form-data; boundary=b"}},
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n" +
            kPdf +
            "\r\n--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nOwned\r\n--b--\r\n");
    EXPECT_EQ(multipart.status, 403) << route.path << " (multipart)";
  }
  EXPECT_EQ(state(), before) << "a refused form changed something";
  // The session itself still works (the test could fail): logging out with
  // its token is accepted.
  EXPECT_EQ(
      http_request(port(), "POST", "/admin/logout",
                   {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
                   form({{"csrf", csrf}}))
          .status,
      303);
}

// ---------------------------------------------------------------- stored XSS

const std::vector<std::string> kPayloads = {
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=alert('xss-2')>",
    "<svg onload=alert('xss-3')>",
    "\"><script>alert('xss-4')</script>",
    "'><img src=x onerror=alert('xss-5')>",
    "</script><script>alert('xss-6')</script>",
    "</title><script>alert('xss-7')</script>",
    "]]><script>alert('xss-8')</script><![CDATA[",
    "<a href=\"javascript:alert('xss-9')\">click</a>",
    "<iframe src=\"javascript:alert('xss-10')\"></iframe>",
    "<!--<script>alert('xss-11')</script>-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-12')>",
    "{{{title}}} {{#x}}<script>alert('xss-13')</script>{{/x}}",
    "\u2028\u2029</script><!--<script>",
};

std::string payloads(const std::string& prefix) {
  std::string out = prefix;
  for (const auto& p : kPayloads) out += " " + p;
  return out;
}

TEST_F(Hostile, StoredXssThroughTheApiReachesNoPageAndNoFeed) {
  // Titles are at most 500 bytes: the sharpest payloads.
  const std::string title = "XSS title " + kPayloads[0] + " " + kPayloads[3] + " " + kPayloads[5] +
                            " " + kPayloads[6] + " " + kPayloads[7];
  const std::string category = "Cat <script>alert('xss-cat')</script> \"onmouseover=alert(1)";
  const json a = create({
      {"title", title},
      {"teaser", payloads("XSS teaser")},
      {"body_html",
       payloads("<p>XSS body</p>") +
           "<p><a href=\"JaVaScRiPt:alert('b1')\">x</a><a href=\" javascript:alert(1)\">"
           "y</a><img src=\"data:text/html,<script>alert(1)</script>\">"
           "<form action=\"javascript:alert(1)\"><button formaction=javascript:alert(1)>"
           "</button></form><object data=\"javascript:alert(1)\"></object>"
           "<base href=\"javascript:alert(1)//\"><meta http-equiv=refresh "
           "content=\"0;url=javascript:alert(1)\"><style>*{x:expression(alert(1))}</style>"},
      {"categories", {category, "Safe"}},
      {"status", "published"},
      {"contact",
       {{"name", payloads("Contact")},
        {"email", "\"><script>alert('mail')</script>@example.org"},
        {"phone", "<img src=x onerror=alert('phone')>"}}},
      {"related_links",
       {{{"title", payloads("Link")}, {"url", "https://example.org/\"><script>alert(1)</script>"}},
        {{"title", "Quote"}, {"url", "https://example.org/' onmouseover='alert(1)"}}}},
      {"lead_image",
       {{"url", "https://example.org/x.jpg\" onerror=\"alert('lead')"},
        {"alt", "\" onerror=\"alert('alt')"}}},
  });
  ASSERT_TRUE(a.contains("slug")) << a.dump();
  // Script URLs where the API takes a URL are refused outright.
  for (const json& refused :
       {json{{"related_links", {{{"title", "x"}, {"url", "javascript:alert('related')"}}}}},
        json{{"related_links", {{{"title", "x"}, {"url", " JaVaScRiPt:alert(1)"}}}}},
        json{{"related_links", {{{"title", "x"}, {"url", "data:text/html,<script>x</script>"}}}}},
        json{{"lead_image", {{"url", "javascript:alert('lead')"}, {"alt", "a"}}}},
        json{{"lead_image", {{"url", "vbscript:x"}, {"alt", "a"}}}}}) {
    json body = refused;
    body["title"] = "Refused";
    body["status"] = "published";
    const auto reply = api("POST", "/api/v1/news", "Bearer " + editor_token_, body.dump());
    EXPECT_EQ(reply.status, 400) << refused.dump() << " -> " << reply.body;
  }
  const json b = create(
      {{"title", "Markdown " + kPayloads[0]},
       {"body_markdown", payloads("Markdown body") + "\n\n[md link](javascript:alert('md'))\n\n"
                                                     "![img](javascript:alert('img'))\n\n"
                                                     "<javascript:alert('auto')>\n"},
       {"categories", {category}},
       {"status", "published"}});
  ASSERT_TRUE(b.contains("slug")) << b.dump();
  // An attachment whose file name is a payload.
  const std::string id = std::to_string(a["id"].get<std::int64_t>());
  const auto upload =
      api("POST", "/api/v1/news/" + id + "/attachments", "Bearer " + editor_token_,
          "--b\r\nContent-Disposition: form-data; name=\"file\"; "
          "filename=\"\\\"><svg onload=alert('file')>.pdf\"\r\nContent-Type: application/pdf"
          "\r\n\r\n" +
              kPdf + "\r\n--b--\r\n",
          "multipart/form-data; boundary=b");
  EXPECT_EQ(upload.status, 201) << upload.body;

  std::string category_slug;
  const json all_categories =
      json::parse(api("GET", "/api/v1/categories", "Bearer " + editor_token_).body);
  for (const auto& c : all_categories["categories"]) {
    if (c["name"] == category) category_slug = c["slug"];
  }
  ASSERT_FALSE(category_slug.empty())
      << api("GET", "/api/v1/categories", "Bearer " + editor_token_).body;

  // Pages: no executable parts, and JSON-LD that still says the title (so
  // no payload broke out of it).
  const std::vector<std::string> pages = {
      "/news/" + a["slug"].get<std::string>() + "/",
      "/news/" + b["slug"].get<std::string>() + "/",
      "/",
      "/news/",
      "/category/" + category_slug + "/",
      "/archive/",
      "/search?q=XSS",
      "/search?q=" + url_encode("<script>alert('q')</script>\"><svg onload=alert(1)>"),
      "/search?q=" + url_encode(kPayloads[5]),
  };
  int json_ld_with_title = 0;
  for (const std::string& page : pages) {
    const auto reply = http_get(port(), page);
    ASSERT_EQ(reply.status, 200) << page;
    std::vector<json> json_ld;
    for (const std::string& f : executable_parts(reply.body, /*fragment=*/false, &json_ld)) {
      ADD_FAILURE() << page << ": " << f;
    }
    for (const json& doc : json_ld) {
      // The headline is cropped to 110 characters; its start holds a
      // </script> that must have stayed inside the JSON.
      if (doc.value("headline", std::string()).starts_with("XSS title " + kPayloads[0])) {
        ++json_ld_with_title;
      }
    }
  }
  EXPECT_GE(json_ld_with_title, 1) << "the item's JSON-LD does not carry its title intact";

  // Feeds: well-formed XML (no payload broke a CDATA section or an element),
  // and the HTML they carry for readers to render is inert: RSS's
  // description and content:encoded, Atom's content and summary when
  // type="html" (type="text" is shown as text).
  const std::set<std::string> html_elements = {"description", "encoded", "content", "summary"};
  for (const std::string& feed : std::vector<std::string>{
           "/rss.xml", "/atom.xml", "/category/" + category_slug + "/rss.xml",
           "/category/" + category_slug + "/atom.xml", "/sitemap.xml", "/news-sitemap.xml"}) {
    const auto reply = http_get(port(), feed);
    ASSERT_EQ(reply.status, 200) << feed;
    const XmlDoc doc = parse_xml(reply.body);
    ASSERT_TRUE(doc.ok) << feed << " is not well-formed XML";
    bool saw_payload = false;
    for (const auto& [name, type, text] : doc.elements) {
      if (text.find("xss-") != std::string::npos) saw_payload = true;
      if (name == "loc" || name == "link" || name == "id" || name == "guid") {
        EXPECT_FALSE(has_script_scheme(text)) << feed << " <" << name << ">" << text;
      }
      if (!html_elements.contains(name) || type == "text") continue;
      for (const std::string& f : executable_parts(text, /*fragment=*/true)) {
        ADD_FAILURE() << feed << " <" << name << ">: " << f;
      }
    }
    if (!feed.ends_with("sitemap.xml")) {
      EXPECT_TRUE(saw_payload) << feed << " lost the items";
    }
  }
  for (const std::string& feed :
       std::vector<std::string>{"/feed.json", "/category/" + category_slug + "/feed.json"}) {
    const auto reply = http_get(port(), feed);
    ASSERT_EQ(reply.status, 200) << feed;
    const json doc = json::parse(reply.body, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << feed;
    ASSERT_TRUE(doc.contains("items")) << feed;
    bool found_title = false;
    for (const json& entry : doc["items"]) {
      if (entry.value("title", std::string()) == title) found_title = true;
      // JSON Feed's summary is plain text; content_html is HTML.
      for (const char* key : {"content_html"}) {
        if (!entry.contains(key) || !entry[key].is_string()) continue;
        for (const std::string& f :
             executable_parts(entry[key].get<std::string>(), /*fragment=*/true)) {
          ADD_FAILURE() << feed << " " << key << ": " << f;
        }
      }
      for (const char* key : {"url", "external_url", "image"}) {
        if (entry.contains(key) && entry[key].is_string()) {
          EXPECT_FALSE(has_script_scheme(entry[key].get<std::string>())) << feed << " " << key;
        }
      }
      if (entry.contains("attachments")) {
        for (const json& att : entry["attachments"]) {
          EXPECT_FALSE(has_script_scheme(att.value("url", std::string()))) << feed;
        }
      }
    }
    EXPECT_TRUE(found_title) << feed << " lost the item's title";
  }
}

}  // namespace
}  // namespace newsdesk
