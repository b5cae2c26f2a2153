#include "service/attachments.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "http/server.h"

namespace newsdesk::service {
namespace {

const std::string kPdf =
    "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

// --- sniffing -------------------------------------------------------------------

TEST(SniffAttachmentType, PdfByItsMagic) {
  EXPECT_EQ(*sniff_attachment_type(kPdf, "x.bin", "text/html"), "application/pdf");
}

TEST(SniffAttachmentType, ImagesByTheirMagic) {
  EXPECT_EQ(*sniff_attachment_type("\x89PNG\r\n\x1A\n....", "", ""), "image/png");
  EXPECT_EQ(*sniff_attachment_type("\xFF\xD8\xFF\xE0....", "", ""), "image/jpeg");
  EXPECT_EQ(*sniff_attachment_type("GIF89a....", "", ""), "image/gif");
  EXPECT_EQ(*sniff_attachment_type(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16), "", ""),
            "image/webp");
}

TEST(SniffAttachmentType, ZipDocumentsByNameOrDeclaredType) {
  const std::string zip("PK\x03\x04\x14\0\0\0", 8);
  EXPECT_EQ(*sniff_attachment_type(zip + "....", "Report.DOCX", ""),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(*sniff_attachment_type(
                zip, "data", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(*sniff_attachment_type(zip, "archive", ""), "application/zip");
}

TEST(SniffAttachmentType, OdfNamesItsOwnType) {
  const std::string type = "application/vnd.oasis.opendocument.text";
  std::string odt("PK\x03\x04", 4);
  odt += std::string(14, '\0');                                                  // version .. crc
  odt += std::string(1, static_cast<char>(type.size())) + std::string(3, '\0');  // compressed
  odt += std::string(1, static_cast<char>(type.size())) + std::string(3, '\0');  // size
  odt += std::string("\x08\0\0\0", 4) + "mimetype" + type + "PK\x03\x04";
  EXPECT_EQ(*sniff_attachment_type(odt, "x.zip", ""), "application/vnd.oasis.opendocument.text");
}

TEST(SniffAttachmentType, OldOfficeByName) {
  const std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1....", 12);
  EXPECT_EQ(*sniff_attachment_type(ole, "minutes.doc", ""), "application/msword");
  EXPECT_EQ(*sniff_attachment_type(ole, "table.xls", ""), "application/vnd.ms-excel");
  EXPECT_EQ(*sniff_attachment_type(ole, "unknown", ""), "application/octet-stream");
}

TEST(SniffAttachmentType, HtmlPretendingToBeAPdfIsRefused) {
  auto r = sniff_attachment_type("<!DOCTYPE html><html><body>Login</body></html>", "report.pdf",
                                 "application/pdf");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(r.error().message, "content is HTML, not application/pdf");
}

TEST(SniffAttachmentType, SvgXmlScriptsAndUnknownAreRefused) {
  EXPECT_EQ(sniff_attachment_type("<?xml version=\"1.0\"?><svg xmlns=\"...\"/>", "a.svg", "")
                .error()
                .message,
            "content is SVG");
  EXPECT_EQ(sniff_attachment_type("\xEF\xBB\xBF <?xml version=\"1.0\"?><doc/>", "a.xml", "")
                .error()
                .message,
            "content is XML");
  EXPECT_EQ(sniff_attachment_type("#!/bin/sh\nrm -rf /", "a.pdf", "").error().message,
            "content is a script");
  EXPECT_EQ(sniff_attachment_type("<script>alert(1)</script>", "a.pdf", "").error().message,
            "content is HTML");
  EXPECT_FALSE(sniff_attachment_type("just some text", "a.txt", "text/plain"));
  EXPECT_FALSE(sniff_attachment_type("", "a.pdf", "application/pdf"));
}

// --- names ----------------------------------------------------------------------

TEST(AttachmentFilePath, EncodesTheNameAsOneSegment) {
  EXPECT_EQ(attachment_file_path(7, "report.pdf"), "/files/7/report.pdf");
  EXPECT_EQ(attachment_file_path(7, "a b/c?.pdf"), "/files/7/a%20b%2Fc%3F.pdf");
  EXPECT_EQ(attachment_file_path(7, ""), "/files/7/file");
  EXPECT_EQ(attachment_file_path(7, "r\xC3\xA9sum\xC3\xA9.pdf"), "/files/7/r%C3%A9sum%C3%A9.pdf");
}

TEST(ContentDisposition, AsciiNameIsQuoted) {
  EXPECT_EQ(content_disposition("report.pdf"), "attachment; filename=\"report.pdf\"");
}

TEST(ContentDisposition, QuotesAndBackslashesAreReplaced) {
  EXPECT_EQ(content_disposition("a\"b\\c.pdf"),
            "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf");
}

TEST(ContentDisposition, NonAsciiNameGetsFilenameStar) {
  EXPECT_EQ(content_disposition("r\xC3\xA9sum\xC3\xA9 1.pdf"),
            "attachment; filename=\"r__sum__ 1.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.pdf");
}

// --- fetching -------------------------------------------------------------------

std::unique_ptr<store::Store> memory_store() {
  auto store = store::open_store("sqlite::memory:");
  if (!store || !(*store)->migrate()) return nullptr;
  return std::move(*store);
}

// An origin on loopback that serves fixed bodies by path.
class Origin {
 public:
  Origin() {
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, [this](const http::Request& req) {
      namespace bh = http::beast_http;
      ++requests_;
      const std::string target(req.target());
      if (target == "/report.pdf") return body(bh::status::ok, "application/pdf", kPdf);
      if (target == "/fake.pdf") {
        return body(bh::status::ok, "application/pdf", "<html><body>Sign in</body></html>");
      }
      if (target == "/big.pdf") {
        return body(bh::status::ok, "application/pdf", "%PDF-1.4\n" + std::string(4096, 'x'));
      }
      return body(bh::status::not_found, "text/html", "<html>404</html>");
    });
    EXPECT_TRUE(server_->listen());
    thread_ = std::thread([this] { server_->run(); });
  }
  ~Origin() {
    server_->stop();
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }
  int requests() const { return requests_; }

 private:
  static http::Response body(http::beast_http::status status, const std::string& type,
                             const std::string& text) {
    http::Response res{status, 11};
    res.set(http::beast_http::field::content_type, type);
    res.body() = text;
    return res;
  }
  std::atomic<int> requests_{0};
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

model::Item item_with(const std::string& slug, const std::vector<std::string>& urls,
                      model::Status status = model::Status::kPublished) {
  model::Item item;
  item.guid = "urn:uuid:" + slug;
  item.slug = slug;
  item.title = slug;
  item.status = status;
  if (status == model::Status::kPublished) item.published_at = model::DateTime{1531210290, 120};
  item.updated_at = model::DateTime{1531210290, 120};
  for (const std::string& url : urls) {
    model::Attachment a;
    a.url = url;
    a.name = url.substr(url.rfind('/') + 1);
    a.media_type = "application/pdf";
    item.attachments.push_back(a);
  }
  return item;
}

// The origin of these tests is on loopback, which is refused by default.
FetchAttachmentsOptions local() {
  FetchAttachmentsOptions options;
  options.allow_private_addresses = true;
  return options;
}

TEST(FetchAttachments, StoresDocumentsAndReportsEveryFailure) {
  Origin origin;
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  auto id = store->insert_item(item_with(
      "one", {origin.url("/report.pdf"), origin.url("/fake.pdf"), origin.url("/missing.pdf"),
              origin.url("/big.pdf"), "ftp://example.org/x.pdf"}));
  ASSERT_TRUE(id);
  FetchAttachmentsOptions options = local();
  options.max_bytes = 1024;
  std::vector<std::size_t> progress;
  options.on_progress = [&](std::size_t done, std::size_t total) {
    progress.push_back(done);
    EXPECT_EQ(total, 5u);
  };
  auto report = fetch_attachments(*store, options);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->fetched, 1);
  EXPECT_EQ(report->already_stored, 0);
  ASSERT_EQ(report->failed.size(), 4u);
  std::map<std::string, std::string> reasons;
  for (const auto& f : report->failed) reasons[f.url] = f.reason;
  EXPECT_EQ(reasons[origin.url("/fake.pdf")], "content is HTML, not application/pdf");
  EXPECT_EQ(reasons[origin.url("/missing.pdf")], "HTTP 404");
  EXPECT_EQ(reasons[origin.url("/big.pdf")], "larger than 1024 bytes");
  EXPECT_EQ(reasons["ftp://example.org/x.pdf"], "not an http or https URL");
  EXPECT_EQ(progress, (std::vector<std::size_t>{1, 2, 3, 4, 5}));

  const auto item = store->item_by_id(*id);
  auto file = store->attachment_file(item->attachments[0].id);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->bytes, kPdf);
  EXPECT_EQ(file->media_type, "application/pdf");
  EXPECT_FALSE(store->attachment_file(item->attachments[1].id));
}

TEST(FetchAttachments, SecondRunFetchesOnlyWhatIsMissing) {
  Origin origin;
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(item_with("one", {origin.url("/report.pdf")})));
  ASSERT_TRUE(fetch_attachments(*store, local()));
  const int after_first = origin.requests();
  auto again = fetch_attachments(*store, local());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->fetched, 0);
  EXPECT_EQ(again->already_stored, 1);
  EXPECT_EQ(origin.requests(), after_first);
}

TEST(FetchAttachments, ASharedUrlIsDownloadedOnce) {
  Origin origin;
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(item_with("one", {origin.url("/report.pdf")})));
  ASSERT_TRUE(store->insert_item(item_with("two", {origin.url("/report.pdf")})));
  auto report = fetch_attachments(*store, local());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->fetched, 2);
  EXPECT_EQ(origin.requests(), 1);
  auto refs = store->attachment_refs();
  ASSERT_TRUE(refs);
  for (const auto& ref : *refs) EXPECT_EQ(store->attachment_file(ref.id)->bytes, kPdf);
}

// --- serving --------------------------------------------------------------------

TEST(FetchAttachments, PrivateAddressesAreRefusedByDefault) {
  Origin origin;
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insert_item(
      item_with("one", {origin.url("/report.pdf"), "http://169.254.169.254/latest/meta-data/"})));
  auto report = fetch_attachments(*store, {});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->fetched, 0);
  ASSERT_EQ(report->failed.size(), 2u);
  std::map<std::string, std::string> reasons;
  for (const auto& f : report->failed) reasons[f.url] = f.reason;
  EXPECT_NE(reasons[origin.url("/report.pdf")].find(
                "refused to connect to 127.0.0.1, a loopback address"),
            std::string::npos)
      << reasons[origin.url("/report.pdf")];
  EXPECT_NE(reasons["http://169.254.169.254/latest/meta-data/"].find(
                "refused to connect to 169.254.169.254, a link-local address"),
            std::string::npos)
      << reasons["http://169.254.169.254/latest/meta-data/"];
  EXPECT_EQ(origin.requests(), 0);
}

TEST(AttachmentFilesService, OnlyFilesOfPublicItems) {
  auto store = memory_store();
  ASSERT_NE(store, nullptr);
  auto published = store->insert_item(item_with("pub", {"https://example.org/a.pdf"}));
  auto draft =
      store->insert_item(item_with("draft", {"https://example.org/b.pdf"}, model::Status::kDraft));
  ASSERT_TRUE(published && draft);
  const std::int64_t public_file = store->item_by_id(*published)->attachments[0].id;
  const std::int64_t draft_file = store->item_by_id(*draft)->attachments[0].id;
  ASSERT_TRUE(store->save_attachment_file(public_file, "application/pdf", kPdf));
  ASSERT_TRUE(store->save_attachment_file(draft_file, "application/pdf", kPdf));

  NewsService news(*store, [] { return std::int64_t{2000000000}; });
  AttachmentFiles files(*store, news);
  auto ok = files.public_file(public_file);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->name, "a.pdf");
  EXPECT_EQ(files.public_file(draft_file).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(files.public_file(9999).error().code, ErrorCode::kNotFound);

  // Not yet public: its time has not come.
  NewsService early(*store, [] { return std::int64_t{1000000000}; });
  AttachmentFiles early_files(*store, early);
  EXPECT_EQ(early_files.public_file(public_file).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace newsdesk::service
