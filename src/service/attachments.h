// Attachment files: downloading imported enclosures into the store
// (`newsdesk import --fetch-attachments`) and handing their bytes to
// /files/{id}/{name}. An attachment whose bytes are stored is served by the
// site itself; one without stays a link to its original URL.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "service/news.h"
#include "store/store.h"

namespace newsdesk::service {

struct FetchAttachmentsOptions {
  std::size_t max_bytes = 50u << 20;  // per file; larger ones are skipped with a reason
  // For each file, redirects included (connecting: 10 s at most).
  std::chrono::seconds total_timeout{120};
  int max_redirects = 5;
  // Whether files on loopback, private and link-local addresses may be
  // fetched (feed::FetchOptions::allow_private_addresses).
  bool allow_private_addresses = false;
  // Called after each attachment (done of total) so a terminal can show progress.
  std::function<void(std::size_t done, std::size_t total)> on_progress;
};

struct AttachmentFetchFailure {
  std::string url;
  std::string reason;  // "HTTP 404", "larger than 50 MB", "type text/html is not a document", ...
};

struct AttachmentFetchReport {
  int fetched = 0;
  int already_stored = 0;
  std::vector<AttachmentFetchFailure> failed;
};

// Downloads every attachment of every item that has no stored bytes yet
// (http and https URLs only, with the feed fetcher: public addresses only
// unless allowed, bounded redirects, timeouts, the size limit, a
// User-Agent), checks its type from its content
// (sniff_attachment_type) and stores the bytes with that type. Each URL is
// fetched once per call, however many attachments share it. Failures are
// reported, never fatal.
// Errors: only store errors.
Result<AttachmentFetchReport> fetch_attachments(store::Store& store,
                                                const FetchAttachmentsOptions& options);

// The media type of a downloaded file, decided by its first bytes, never by
// what the server or the feed said: only documents and images a site may
// serve as downloads. `name` (the file name) and `declared` (the feed's or
// server's type) only pick among the members of one family: a zip
// container (.docx, .xlsx, .pptx; ODF names its own type) or an OLE2
// container (.doc, .xls, .ppt).
//   %PDF-                       application/pdf
//   PK\3\4                      OOXML / ODF types, else application/zip
//   D0 CF 11 E0 A1 B1 1A E1     application/msword, vnd.ms-excel, vnd.ms-powerpoint,
//                               else application/octet-stream
//   PNG, JPEG, GIF, WebP        image/png, image/jpeg, image/gif, image/webp
// Errors: kInvalid with the reason for anything else: markup (HTML, SVG,
// XML: "content is HTML, not application/pdf"), scripts, an empty file, an
// unknown format.
Result<std::string> sniff_attachment_type(std::string_view bytes, std::string_view name,
                                          std::string_view declared);

// The site path of an attachment's stored file: "/files/{id}/{name}", the
// name percent-encoded as one path segment ("file" when it is empty). The
// one place that spells this path; the route redirects any other spelling
// here.
std::string attachment_file_path(std::int64_t id, std::string_view name);

// A Content-Disposition value that makes browsers download the file under
// its name (RFC 6266): `attachment; filename="..."` with an ASCII fallback
// (quotes, backslashes, control and non-ASCII bytes replaced by '_'), plus
// `filename*=UTF-8''...` (RFC 8187) when the name is not plain ASCII.
std::string content_disposition(std::string_view name);

// The files readers may download: stored bytes of attachments of public
// items (NewsService's rule: published and time reached).
// Thread-safe when the store is. Both references must outlive the service.
class AttachmentFiles {
 public:
  AttachmentFiles(store::Store& store, NewsService& news) : store_(store), news_(news) {}

  // Errors: kNotFound when no attachment has this id, its bytes are not
  // stored, or its item is not public; store errors otherwise.
  Result<store::AttachmentFile> public_file(std::int64_t id);

 private:
  store::Store& store_;
  NewsService& news_;
};

}  // namespace newsdesk::service
