// /files/{id}/{name} from a real `newsdesk serve`: stored attachment bytes
// of public items, as downloads under their checked type; 404 for anything
// else, 301 to the right name.

#include <gtest/gtest.h>

#include <fstream>

#include "store/store.h"
#include "support/process.h"

namespace newsdesk {
namespace {

using testing::http_get;
using testing::http_request;

const std::string kPdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

model::Item make_item(const std::string& slug, model::Status status,
                      const std::vector<std::string>& names) {
  model::Item item;
  item.guid = "urn:uuid:files-test-" + slug;
  item.slug = slug;
  item.title = "Item " + slug;
  item.body_html = "<p>Body.</p>";
  item.status = status;
  if (status != model::Status::kDraft) item.published_at = model::DateTime{1531210290, 120};
  item.updated_at = model::DateTime{1531210290, 120};
  for (const std::string& name : names) {
    model::Attachment a;
    a.url = "https://origin.example.org/files/" + name;
    a.name = name;
    a.media_type = "application/pdf";
    item.attachments.push_back(a);
  }
  return item;
}

class FilesRoute : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string db = "sqlite:" + dir_->path() + "/news.db";
    const std::string config = dir_->path() + "/newsdesk.toml";
    std::ofstream(config)
        << "[site]\ntitle = \"Files\"\nbase_url = \"https://news.example.org/\"\n";
    auto store = store::open_store(db);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->migrate());
    auto insert = [&](const model::Item& item) {
      auto id = (*store)->insert_item(item);
      EXPECT_TRUE(id) << id.error().message;
      return (*store)->item_by_id(id ? *id : 0)->attachments;
    };
    const auto published =
        insert(make_item("public", model::Status::kPublished,
                         {"report.pdf", "r\xC3\xA9sum\xC3\xA9.pdf", "later.pdf"}));
    report_ = published[0].id;
    resume_ = published[1].id;
    not_stored_ = published[2].id;
    draft_ = insert(make_item("draft", model::Status::kDraft, {"secret.pdf"}))[0].id;
    for (std::int64_t id : {report_, resume_, draft_}) {
      ASSERT_TRUE((*store)->save_attachment_file(id, "application/pdf", kPdf));
    }
    server_ = new testing::ServerProcess({"--config", config, "--db", db});
    ASSERT_TRUE(server_->started());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static std::string path(std::int64_t id, const std::string& name) {
    return "/files/" + std::to_string(id) + "/" + name;
  }
  static testing::HttpReply get(const std::string& target) {
    return http_get(server_->port(), target);
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline testing::ServerProcess* server_ = nullptr;
  static inline std::int64_t report_ = 0;
  static inline std::int64_t resume_ = 0;
  static inline std::int64_t not_stored_ = 0;
  static inline std::int64_t draft_ = 0;
};

TEST_F(FilesRoute, ServesStoredBytesAsADownload) {
  const auto reply = get(path(report_, "report.pdf"));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body, kPdf);
  EXPECT_EQ(reply.headers.at("content-type"), "application/pdf");
  EXPECT_EQ(reply.headers.at("content-disposition"), "attachment; filename=\"report.pdf\"");
  EXPECT_EQ(reply.headers.at("x-content-type-options"), "nosniff");
  EXPECT_EQ(reply.headers.at("cache-control"), "public, max-age=86400");
  EXPECT_NE(reply.headers.at("content-security-policy").find("sandbox"), std::string::npos);
  EXPECT_FALSE(reply.headers.at("etag").empty());
}

TEST_F(FilesRoute, RevalidatesWithItsETag) {
  const auto first = get(path(report_, "report.pdf"));
  ASSERT_EQ(first.status, 200);
  const auto again = http_request(server_->port(), "GET", path(report_, "report.pdf"),
                                  {{"If-None-Match", first.headers.at("etag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(FilesRoute, HeadSendsHeadersOnly) {
  const auto reply = http_request(server_->port(), "HEAD", path(report_, "report.pdf"));
  EXPECT_EQ(reply.status, 200);
  EXPECT_TRUE(reply.body.empty());
  EXPECT_EQ(reply.headers.at("content-type"), "application/pdf");
}

TEST_F(FilesRoute, NonAsciiNameIsEncodedInPathAndHeader) {
  const auto reply = get(path(resume_, "r%C3%A9sum%C3%A9.pdf"));
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.headers.at("content-disposition"),
            "attachment; filename=\"r__sum__.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
}

TEST_F(FilesRoute, AnotherNameRedirectsToTheRightOne) {
  for (const std::string wrong : {"old-name.pdf", "REPORT.pdf", "report%2Epdf"}) {
    const auto reply = get(path(report_, wrong));
    EXPECT_EQ(reply.status, 301) << wrong;
    EXPECT_EQ(reply.headers.at("location"), path(report_, "report.pdf")) << wrong;
  }
}

TEST_F(FilesRoute, DraftsFilesAreNotFound) {
  EXPECT_EQ(get(path(draft_, "secret.pdf")).status, 404);
}

TEST_F(FilesRoute, UnknownIdsAndUnstoredBytesAreNotFound) {
  EXPECT_EQ(get(path(not_stored_, "later.pdf")).status, 404);
  EXPECT_EQ(get(path(999999, "report.pdf")).status, 404);
  for (const std::string& target : std::vector<std::string>{
           "/files/", "/files/abc/report.pdf", "/files/" + std::to_string(report_),
           "/files//report.pdf", "/files/99999999999999999999999/x.pdf"}) {
    EXPECT_EQ(get(target).status, 404) << target;
  }
}

}  // namespace
}  // namespace newsdesk
