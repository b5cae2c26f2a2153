// The dispatcher: sniffs the format, then hands the input to rss.cc, atom.cc
// or jsonfeed.cc (Miniflux's reader/parser layout). parse_feed and
// parse_feed_file share one path for XML (parse_xml), over bytes in memory or
// a file read in chunks.

#include "feed/import/parser.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "feed/import/xml_util.h"

namespace newsdesk::feed {

namespace {

using internal::invalid;
using internal::XmlReader;

// What follows a UTF-8 byte order mark and whitespace. Other encodings are
// XML's business: libxml2 reads their BOM and declaration itself.
std::string_view skip_bom_and_space(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  const auto begin = s.find_first_not_of(" \t\r\n");
  return begin == std::string_view::npos ? std::string_view() : s.substr(begin);
}

// Where parse_xml reads from.
class XmlSource {
 public:
  virtual ~XmlSource() = default;
  // A streaming reader from the start of the input; null when libxml2 refuses.
  virtual XmlReader open() = 0;
  // The whole input, repaired, for the tree parser; valid while *this is.
  virtual Result<std::string_view> whole() = 0;
  // An error the streaming reader hit below libxml2 (I/O, size), if any.
  virtual std::optional<Error> failure() const { return std::nullopt; }
};

// REQUIRES: bytes are repaired (internal::repair_references) and outlive *this.
class MemorySource final : public XmlSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  XmlReader open() override { return internal::open_reader(bytes_); }
  Result<std::string_view> whole() override { return bytes_; }

 private:
  std::string_view bytes_;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// A file read in kChunk pieces, each repaired (internal::ReferenceRepairer)
// on its way to libxml2. Memory: one chunk, its repaired form and libxml2's
// own buffers.
class FileSource final : public XmlSource {
 public:
  FileSource(std::FILE* file, const ParseLimits& limits) : file_(file), limits_(limits) {}
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  XmlReader open() override {
    std::rewind(file_);
    repairer_ = std::make_unique<internal::ReferenceRepairer>();
    repaired_.clear();
    next_ = 0;
    read_ = 0;
    eof_ = false;
    failure_.reset();
    return internal::open_reader(&FileSource::read_callback, this);
  }

  Result<std::string_view> whole() override {
    std::rewind(file_);
    std::string bytes;
    for (;;) {
      const std::size_t n = std::fread(chunk_.get(), 1, kChunk, file_);
      if (bytes.size() + n > limits_.max_bytes) {
        return invalid(
            "the XML is ill-formed and reading it again whole is refused: the file is "
            "larger than the limit of " +
            std::to_string(limits_.max_bytes) + " bytes");
      }
      bytes.append(chunk_.get(), n);
      if (n < kChunk) break;
    }
    if (std::ferror(file_)) return invalid("cannot read the file");
    if (std::optional<std::string> repaired = internal::repair_references(bytes)) {
      bytes = std::move(*repaired);
    }
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) return invalid("input too large");
    whole_ = std::move(bytes);
    return std::string_view(whole_);
  }

  std::optional<Error> failure() const override { return failure_; }

 private:
  static constexpr std::size_t kChunk = 64 * 1024;

  static int read_callback(void* context, char* buffer, int len) {
    return static_cast<FileSource*>(context)->read(buffer, len);
  }

  int read(char* buffer, int len) {
    while (next_ == repaired_.size()) {
      if (eof_ || failure_) return failure_ ? -1 : 0;
      repaired_.clear();
      next_ = 0;
      const std::size_t n = std::fread(chunk_.get(), 1, kChunk, file_);
      if (n < kChunk) {
        if (std::ferror(file_)) {
          failure_ = invalid("cannot read the file");
          return -1;
        }
        eof_ = true;
      }
      read_ += n;
      if (read_ > limits_.max_file_bytes) {
        failure_ = invalid("the file is larger than the limit of " +
                           std::to_string(limits_.max_file_bytes) + " bytes");
        return -1;
      }
      repairer_->push(std::string_view(chunk_.get(), n), eof_, repaired_);
    }
    const std::size_t n = std::min(static_cast<std::size_t>(len), repaired_.size() - next_);
    std::memcpy(buffer, repaired_.data() + next_, n);
    next_ += n;
    return static_cast<int>(n);
  }

  std::FILE* file_;  // not owned
  const ParseLimits& limits_;
  // On the heap: read() runs deep inside libxml2, maybe on a small stack.
  std::unique_ptr<char[]> chunk_ = std::make_unique<char[]>(kChunk);
  std::unique_ptr<internal::ReferenceRepairer> repairer_;
  std::string repaired_;  // repaired bytes not yet given to libxml2 start at next_
  std::size_t next_ = 0;
  std::size_t read_ = 0;  // bytes read from the file
  bool eof_ = false;
  std::optional<Error> failure_;
  std::string whole_;
};

enum class Format { kRss, kAtom };

std::optional<Format> format_of(std::string_view root_name) {
  if (root_name == "rss" || root_name == "RDF") return Format::kRss;
  // atom.cc checks the namespace (Atom 1.0 or 0.3).
  if (root_name == "feed") return Format::kAtom;
  return std::nullopt;
}

Error not_a_feed(std::string_view root_name) {
  return invalid("not a feed: the root element is <" + std::string(root_name) + ">");
}

// Reads XML from `source`: the streaming reader first, the recovering tree
// parser over the whole input when the streaming reader gives up. Items go
// to `sink`. When the streaming reader gave up after items were given,
// `rewind` is asked to forget them (parse_feed can: it collects); when it
// cannot, the tree parser's first that many items are skipped.
Result<ParsedFeed> parse_xml(XmlSource& source, std::string_view base_url,
                             const ParseLimits& limits, const ItemSink& sink,
                             const std::function<bool()>& rewind) {
  std::size_t given = 0;
  const ItemSink counting = [&](ParsedItem item) -> Result<void> {
    ++given;
    return sink(std::move(item));
  };
  if (XmlReader reader = source.open()) {
    xmlTextReaderPtr r = reader.get();
    int ret = xmlTextReaderRead(r);
    while (ret == 1 && xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
      ret = xmlTextReaderRead(r);
    }
    if (ret == 1) {
      const std::string_view root_name = internal::view(xmlTextReaderConstLocalName(r));
      const std::optional<Format> format = format_of(root_name);
      if (!format) return not_a_feed(root_name);
      bool gave_up = false;
      Result<ParsedFeed> feed = *format == Format::kRss
                                    ? internal::stream_rss(r, base_url, limits, counting, gave_up)
                                    : internal::stream_atom(r, base_url, limits, counting, gave_up);
      if (std::optional<Error> failure = source.failure()) return *failure;
      if (!feed || !gave_up) return feed;
    }
    if (std::optional<Error> failure = source.failure()) return *failure;
  }
  // The streaming reader gives up on some ill-formed input (an undefined
  // entity, a broken tag early on) that the recovering tree parser reads.
  std::size_t skip = 0;
  if (given > 0 && !rewind()) skip = given;
  const Result<std::string_view> bytes = source.whole();
  if (!bytes) return bytes.error();
  bool too_deep = false;
  const internal::XmlDoc doc = internal::read_tree(*bytes, &too_deep);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr) {
    return invalid(bytes->empty() ? "empty input" : "not a feed: no XML found");
  }
  const std::optional<Format> format = format_of(internal::local_name(root));
  if (!format) return not_a_feed(internal::local_name(root));
  if (too_deep) return invalid("elements nested too deeply");
  const ItemSink skipping = [&](ParsedItem item) -> Result<void> {
    if (skip > 0) {
      --skip;
      return {};
    }
    return sink(std::move(item));
  };
  return *format == Format::kRss ? internal::tree_rss(root, base_url, limits, skipping)
                                 : internal::tree_atom(root, base_url, limits, skipping);
}

Result<ParsedFeed> json_to_sink(std::string_view body, std::string_view base_url,
                                const ParseLimits& limits, const ItemSink& sink) {
  Result<ParsedFeed> feed = internal::parse_json_feed(body, base_url, limits);
  if (!feed) return feed;
  std::vector<ParsedItem> items = std::move(feed->items);
  feed->items.clear();
  for (ParsedItem& item : items) {
    if (auto r = sink(std::move(item)); !r) return r.error();
  }
  return feed;
}

}  // namespace

Result<ParsedFeed> parse_feed(std::string_view bytes, std::string_view base_url,
                              const ParseLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return invalid("input is larger than the limit of " + std::to_string(limits.max_bytes) +
                   " bytes");
  }
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) return invalid("input too large");
  const std::string_view body = skip_bom_and_space(bytes);
  if (body.empty()) return invalid("empty input");
  // A JSON Feed is an object; '[' is sniffed too, so that a JSON array is
  // reported as JSON that is no feed rather than as broken XML.
  if (body.front() == '{' || body.front() == '[') {
    return internal::parse_json_feed(body, base_url, limits);
  }
  // Kept alive here: the readers below parse from it.
  const std::optional<std::string> repaired = internal::repair_references(bytes);
  if (repaired) {
    // "&" -> "&amp;" grows the input up to fivefold.
    if (repaired->size() > static_cast<std::size_t>(INT32_MAX)) return invalid("input too large");
    bytes = *repaired;
  }
  MemorySource source(bytes);
  std::vector<ParsedItem> items;
  const ItemSink collect = [&](ParsedItem item) -> Result<void> {
    items.push_back(std::move(item));
    return {};
  };
  Result<ParsedFeed> feed = parse_xml(source, base_url, limits, collect, [&] {
    items.clear();
    return true;
  });
  if (!feed) return feed;
  feed->items = std::move(items);
  return feed;
}

Result<ParsedFeed> parse_feed_file(const std::string& path, std::string_view base_url,
                                   const ItemSink& sink, const ParseLimits& limits) {
  const File file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return make_error(ErrorCode::kNotFound,
                      "feed: cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(::fileno(file.get()), &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::uint64_t>(st.st_size) > limits.max_file_bytes) {
    return invalid("the file is larger than the limit of " + std::to_string(limits.max_file_bytes) +
                   " bytes");
  }
  // Sniffed as parse_feed does: the first byte after a BOM and whitespace.
  char head[4096];
  std::size_t n = 0;
  std::string_view body;
  bool at_start = true;
  while ((n = std::fread(head, 1, sizeof head, file.get())) > 0) {
    std::string_view piece(head, n);
    if (at_start && piece.starts_with("\xEF\xBB\xBF")) piece.remove_prefix(3);
    at_start = false;
    body = skip_bom_and_space(piece);
    if (!body.empty()) break;
  }
  if (std::ferror(file.get())) return invalid("cannot read the file");
  if (body.empty()) return invalid("empty input");
  if (body.front() == '{' || body.front() == '[') {
    // JSON is parsed whole (nlohmann), so the memory limit applies.
    std::rewind(file.get());
    std::string bytes;
    std::string chunk(64 * 1024, '\0');
    while ((n = std::fread(chunk.data(), 1, chunk.size(), file.get())) > 0) {
      if (bytes.size() + n > limits.max_bytes) {
        return invalid("a JSON Feed is read whole, and this one is larger than the limit of " +
                       std::to_string(limits.max_bytes) + " bytes");
      }
      bytes.append(chunk.data(), n);
    }
    if (std::ferror(file.get())) return invalid("cannot read the file");
    return json_to_sink(skip_bom_and_space(bytes), base_url, limits, sink);
  }
  FileSource source(file.get(), limits);
  return parse_xml(source, base_url, limits, sink, [] { return false; });
}

}  // namespace newsdesk::feed
