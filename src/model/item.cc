#include "model/item.h"

namespace newsdesk::model {

std::string_view status_name(Status status) {
  switch (status) {
    case Status::kDraft:
      return "draft";
    case Status::kScheduled:
      return "scheduled";
    case Status::kPublished:
      return "published";
  }
  return "draft";
}

std::optional<Status> parse_status(std::string_view name) {
  if (name == "draft") return Status::kDraft;
  if (name == "scheduled") return Status::kScheduled;
  if (name == "published") return Status::kPublished;
  return std::nullopt;
}

}  // namespace newsdesk::model
