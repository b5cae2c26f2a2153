#include "model/permissions.h"

namespace newsdesk::model {

bool may(Role role, Action action) {
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kEditor:
      return action != Action::kManageUsers && action != Action::kManageSettings;
    case Role::kAuthor:
      // Authors write and propose; an editor decides what goes out.
      return action == Action::kCreateDraft || action == Action::kEditOwnDraft ||
             action == Action::kSubmitForReview || action == Action::kUploadAttachment;
  }
  return false;
}

std::string_view action_name(Action action) {
  switch (action) {
    case Action::kCreateDraft:
      return "create_draft";
    case Action::kEditOwnDraft:
      return "edit_own_draft";
    case Action::kSubmitForReview:
      return "submit_for_review";
    case Action::kEditAnyItem:
      return "edit_any_item";
    case Action::kPublish:
      return "publish";
    case Action::kDeleteItem:
      return "delete_item";
    case Action::kShareEmbargoPreview:
      return "share_embargo_preview";
    case Action::kViewRevisions:
      return "view_revisions";
    case Action::kRestoreRevision:
      return "restore_revision";
    case Action::kUploadAttachment:
      return "upload_attachment";
    case Action::kManageCategories:
      return "manage_categories";
    case Action::kManageJournalistFeeds:
      return "manage_journalist_feeds";
    case Action::kManageUsers:
      return "manage_users";
    case Action::kManageSettings:
      return "manage_settings";
  }
  return "";
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kEditor:
      return "editor";
    case Role::kAuthor:
      return "author";
  }
  return "";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : kAllRoles) {
    if (role_name(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace newsdesk::model
