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
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace newsdesk::service {

struct FetchAttachmentsOptions {
  std::size_t max_bytes = 50u << 20;  // per file; larger ones are skipped with a reason
  std::chrono::seconds total_timeout{120};
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
// (http and https URLs only, with the feed fetcher's limits), checks its
// type from its content (a PDF must start with %PDF-, HTML and SVG are
// refused, ...) and stores the bytes. Failures are reported, never fatal.
// Errors: only store errors.
Result<AttachmentFetchReport> fetch_attachments(store::Store& store,
                                                const FetchAttachmentsOptions& options);

}  // namespace newsdesk::service
