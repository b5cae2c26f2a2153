#include "service/attachments.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "feed/fetch/fetcher.h"
#include "model/permalink.h"

namespace newsdesk::service {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "Report.PDF" -> "pdf"; "" when there is no extension.
std::string extension_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return "";
  return lower(name.substr(dot + 1));
}

// The type without parameters, lower-cased: "Application/PDF; x=y" -> "application/pdf".
std::string bare_type(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return lower(type);
}

struct Family {
  std::string_view extension;
  std::string_view media_type;
};

constexpr Family kZipDocuments[] = {
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
    {"odp", "application/vnd.oasis.opendocument.presentation"},
};

constexpr Family kOleDocuments[] = {
    {"doc", "application/msword"},
    {"xls", "application/vnd.ms-excel"},
    {"ppt", "application/vnd.ms-powerpoint"},
};

template <std::size_t N>
std::optional<std::string> pick(const Family (&family)[N], std::string_view name,
                                std::string_view declared) {
  const std::string ext = extension_of(name);
  const std::string type = bare_type(declared);
  for (const Family& f : family) {
    if (ext == f.extension || type == f.media_type) return std::string(f.media_type);
  }
  return std::nullopt;
}

// An ODF package names its own type: its first entry is "mimetype", stored
// uncompressed, so the local header's sizes frame the type itself.
std::optional<std::string> odf_type(std::string_view bytes) {
  auto le = [bytes](std::size_t at, int n) {
    std::size_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  if (bytes.size() < 38 || le(26, 2) != 8 || bytes.substr(30, 8) != "mimetype") {
    return std::nullopt;
  }
  const std::size_t start = 38 + le(28, 2);
  const std::size_t size = le(18, 4);
  if (size == 0 || size > 100 || start + size > bytes.size()) return std::nullopt;
  const std::string_view type = bytes.substr(start, size);
  if (!type.starts_with("application/vnd.oasis.opendocument.")) return std::nullopt;
  for (char c : type) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '/') {
      return std::nullopt;
    }
  }
  return std::string(type);
}

// What markup or script content is, for the refusal's reason; "" if none.
std::string_view markup_kind(std::string_view bytes) {
  std::string_view s = bytes;
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  const std::string head = lower(s.substr(0, 512));
  if (head.starts_with("#!")) return "a script";
  if (!head.starts_with("<")) {
    if (head.starts_with("{") || head.starts_with("[")) return "JSON";
    return "";
  }
  if (head.find("<svg") != std::string::npos) return "SVG";
  if (head.starts_with("<!doctype html") || head.find("<html") != std::string::npos ||
      head.find("<head") != std::string::npos || head.find("<body") != std::string::npos ||
      head.find("<script") != std::string::npos) {
    return "HTML";
  }
  if (head.starts_with("<?xml")) return "XML";
  return "HTML";  // browsers sniff any leading tag as HTML
}

std::string megabytes(std::size_t bytes) {
  const std::size_t mb = bytes >> 20;
  if (mb > 0 && (mb << 20) == bytes) return std::to_string(mb) + " MB";
  return std::to_string(bytes) + " bytes";
}

// A fetch error as a short reason for the summary.
std::string reason_for(const Error& error, const FetchAttachmentsOptions& options) {
  const std::string& m = error.message;
  if (const auto at = m.rfind(" answered "); at != std::string::npos) {
    return "HTTP " + m.substr(at + 10);
  }
  if (m.find(": larger than ") != std::string::npos) {
    return "larger than " + megabytes(options.max_bytes);
  }
  std::string reason = m;
  if (reason.starts_with("fetch: ")) reason.erase(0, 7);
  return reason;
}

bool is_http_url(std::string_view url) {
  const std::string head = lower(url.substr(0, 8));
  return head.starts_with("http://") || head.starts_with("https://");
}

}  // namespace

Result<std::string> sniff_attachment_type(std::string_view bytes, std::string_view name,
                                          std::string_view declared) {
  if (bytes.empty()) return make_error(ErrorCode::kInvalid, "the file is empty");
  if (bytes.starts_with("%PDF-")) return std::string("application/pdf");
  if (bytes.starts_with(std::string_view("PK\x03\x04", 4))) {
    if (auto odf = odf_type(bytes)) return *odf;
    return pick(kZipDocuments, name, declared).value_or("application/zip");
  }
  if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return pick(kOleDocuments, name, declared).value_or("application/octet-stream");
  }
  if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return std::string("image/png");
  if (bytes.starts_with("\xFF\xD8\xFF")) return std::string("image/jpeg");
  if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) return std::string("image/gif");
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") {
    return std::string("image/webp");
  }
  const std::string said = bare_type(declared);
  const std::string claim = said.empty() ? "" : ", not " + said;
  if (std::string_view kind = markup_kind(bytes); !kind.empty()) {
    return make_error(ErrorCode::kInvalid, "content is " + std::string(kind) + claim);
  }
  return make_error(ErrorCode::kInvalid, "content is no known document or image type" + claim);
}

std::string attachment_file_path(std::int64_t id, std::string_view name) {
  return model::attachment_path(id, name);
}

std::string content_disposition(std::string_view name) {
  if (name.empty()) name = "file";
  std::string fallback;
  bool plain = true;
  for (unsigned char c : name) {
    const bool safe = c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
    if (!safe) plain = false;
    fallback += safe ? static_cast<char>(c) : '_';
  }
  std::string value = "attachment; filename=\"" + fallback + "\"";
  if (!plain) {
    // RFC 8187 ext-value: attr-char stays, everything else is %XX of UTF-8.
    static constexpr char kHex[] = "0123456789ABCDEF";
    value += "; filename*=UTF-8''";
    for (unsigned char c : name) {
      if (std::isalnum(c) ||
          std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
        value += static_cast<char>(c);
      } else {
        value += '%';
        value += kHex[c >> 4];
        value += kHex[c & 15];
      }
    }
  }
  return value;
}

Result<AttachmentFetchReport> fetch_attachments(store::Store& store,
                                                const FetchAttachmentsOptions& options) {
  auto refs = store.attachment_refs();
  if (!refs) return refs.error();
  AttachmentFetchReport report;
  std::vector<const store::AttachmentRef*> pending;
  for (const store::AttachmentRef& ref : *refs) {
    if (ref.has_file) {
      ++report.already_stored;
    } else {
      pending.push_back(&ref);
    }
  }
  feed::FetchOptions fetch_options;
  fetch_options.max_redirects = options.max_redirects;
  fetch_options.total_timeout = options.total_timeout;
  fetch_options.connect_timeout = std::min(fetch_options.connect_timeout, options.total_timeout);
  fetch_options.max_bytes = options.max_bytes;
  fetch_options.allow_private_addresses = options.allow_private_addresses;
  // The same file attached to several items is downloaded once.
  struct Outcome {
    std::string media_type;  // empty: failed
    std::string bytes;
  };
  std::map<std::string, Outcome, std::less<>> by_url;
  std::size_t done = 0;
  for (const store::AttachmentRef* ref : pending) {
    auto known = by_url.find(ref->url);
    if (known == by_url.end()) {
      Outcome outcome;
      if (!is_http_url(ref->url)) {
        report.failed.push_back({ref->url, "not an http or https URL"});
      } else if (auto fetched = feed::fetch_feed(ref->url, {}, fetch_options); !fetched) {
        report.failed.push_back({ref->url, reason_for(fetched.error(), options)});
      } else if (auto type = sniff_attachment_type(fetched->body, ref->name, fetched->content_type);
                 !type) {
        report.failed.push_back({ref->url, type.error().message});
      } else {
        outcome.media_type = std::move(*type);
        outcome.bytes = std::move(fetched->body);
      }
      known = by_url.emplace(ref->url, std::move(outcome)).first;
    }
    if (!known->second.media_type.empty()) {
      auto saved =
          store.save_attachment_file(ref->id, known->second.media_type, known->second.bytes);
      if (saved) {
        ++report.fetched;
      } else if (saved.error().code == ErrorCode::kConflict) {
        ++report.already_stored;  // another process stored it meanwhile
      } else if (saved.error().code != ErrorCode::kNotFound) {
        return saved.error();
      }  // kNotFound: its item went meanwhile; nothing to store
    }
    // Keep at most one file's bytes in memory: later attachments of the same
    // URL are rare, and a failure is remembered without bytes.
    if (std::none_of(pending.begin(), pending.end(), [&](const store::AttachmentRef* other) {
          return other != ref && other->url == ref->url && other->id > ref->id;
        })) {
      std::string().swap(known->second.bytes);
    }
    ++done;
    if (options.on_progress) options.on_progress(done, pending.size());
  }
  return report;
}

Result<store::AttachmentFile> AttachmentFiles::public_file(std::int64_t id) {
  auto file = store_.attachment_file(id);
  if (!file) return file.error();
  auto item = store_.item_by_id(file->item_id);
  if (!item) return item.error();
  // One rule for what readers may see: NewsService's.
  if (auto visible = news_.public_item(item->slug); !visible) return visible.error();
  return file;
}

}  // namespace newsdesk::service
