#pragma once

#include <cstdint>
#include <string>

namespace newsdesk::model {

// Metadata of a downloadable file (a PDF press release, say). The bytes live
// elsewhere: at `url` for imported attachments, in the store for uploads.
struct Attachment {
  std::int64_t id = 0;      // 0 until stored
  std::string url;          // absolute URL of the file
  std::string name;         // file name shown to readers
  std::string media_type;   // "application/pdf"
  std::int64_t length = 0;  // bytes; 0 when unknown
  // Its bytes are in the store (an upload, or fetched with
  // --fetch-attachments): the site serves it at /files/{id}/{name}. Read
  // from the store; ignored when writing an item.
  bool stored = false;

  friend bool operator==(const Attachment&, const Attachment&) = default;
};

}  // namespace newsdesk::model
