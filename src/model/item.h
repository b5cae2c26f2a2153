// A news item: press release, project news, statement, expert opinion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/attachment.h"
#include "model/category.h"
#include "model/datetime.h"

namespace newsdesk::model {

enum class Status { kDraft, kScheduled, kPublished };

// The picture shown above an item and in social previews. The alt text is
// required for a lead image (accessibility): readers of screen readers get
// it instead of the picture.
struct LeadImage {
  std::string url;  // absolute http(s) URL
  std::string alt;  // plain text

  friend bool operator==(const LeadImage&, const LeadImage&) = default;
};

// A link under an item: "Related: the 2017 annual report".
struct RelatedLink {
  std::string title;  // plain text; the URL is shown when empty
  std::string url;    // absolute http(s) URL

  friend bool operator==(const RelatedLink&, const RelatedLink&) = default;
};

// "draft", "scheduled", "published".
std::string_view status_name(Status status);
std::optional<Status> parse_status(std::string_view name);

struct Item {
  std::int64_t id = 0;    // 0 until stored
  std::string guid;       // stable for life; never changes with the slug ("urn:uuid:...")
  std::string slug;       // unique among items; lowercase ASCII, digits, hyphens
  std::string title;      // plain text
  std::string teaser;     // plain text summary
  std::string body_html;  // sanitized HTML
  std::string language;   // BCP 47; empty means the site's default
  std::vector<std::string> authors;  // display names ("Jane Doe"), in order
  Status status = Status::kDraft;
  std::optional<DateTime> published_at;  // set for published and scheduled items
  DateTime updated_at;                   // last change of content
  std::vector<Category> categories;
  std::vector<Attachment> attachments;
  std::optional<LeadImage> lead_image;
  std::vector<RelatedLink> related_links;  // in order
  std::string source_link;                 // the original URL of an imported item; empty otherwise
  std::string source_id;  // the importer's identity for it (guid, link or hash); empty otherwise

  friend bool operator==(const Item&, const Item&) = default;
};

}  // namespace newsdesk::model
