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

// Whom journalists call about a press release.
struct MediaContact {
  std::string name;
  std::string email;
  std::string phone;

  bool empty() const { return name.empty() && email.empty() && phone.empty(); }
  friend bool operator==(const MediaContact&, const MediaContact&) = default;
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
  // The Markdown body_html was rendered from, kept so that editors edit what
  // they wrote; empty when the body came as HTML (an import, the API).
  std::string body_markdown;
  std::string language;              // BCP 47; empty means the site's default
  std::vector<std::string> authors;  // display names ("Jane Doe"), in order
  Status status = Status::kDraft;
  std::optional<DateTime> published_at;  // set for published and scheduled items
  DateTime updated_at;                   // last change of content
  std::vector<Category> categories;
  std::vector<Attachment> attachments;
  std::optional<LeadImage> lead_image;
  std::vector<RelatedLink> related_links;  // in order
  // Editorial workflow.
  std::int64_t author_id = 0;     // the account that created it; 0: none (imported)
  bool review_requested = false;  // an author asked an editor to publish it
  // An embargoed item is published with published_at in the future: hidden
  // from the site and public feeds until then, readable before only through
  // its preview link and the journalists' feeds.
  bool embargoed = false;
  std::string preview_token;  // the secret of its preview link; empty: none
  // When set, the item leaves the site at this instant (epoch seconds):
  // taken down, or with archive_on_expiry moved to the archive (it leaves
  // the lists and feeds; its page, the month archive and search keep it).
  std::optional<std::int64_t> expires_at;
  bool archive_on_expiry = false;
  MediaContact contact;
  std::string source_link;  // the original URL of an imported item; empty otherwise
  std::string source_id;    // the importer's identity for it (guid, link or hash); empty otherwise
  // Translations: the id of the item this one is a translation of (the
  // original of its group); 0 for an original or an item without any. A
  // group is its original and every item naming it here.
  std::int64_t translation_of = 0;

  friend bool operator==(const Item&, const Item&) = default;
};

}  // namespace newsdesk::model
