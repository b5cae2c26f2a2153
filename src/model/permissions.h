// The permission matrix: what each role may do. docs/permissions.md shows
// the same matrix as a table; src/model/permissions_test.cc checks every
// cell against its own copy of it.
#pragma once

#include <array>
#include <string_view>

#include "model/user.h"

namespace newsdesk::model {

enum class Action {
  kCreateDraft,            // start a news item
  kEditOwnDraft,           // change one's own item while it is not public
  kSubmitForReview,        // ask an editor to publish one's own item
  kEditAnyItem,            // change any item, public ones included
  kPublish,                // publish now, schedule, embargo, take down
  kDeleteItem,             // delete an item (its address answers 410)
  kShareEmbargoPreview,    // hand out the secret preview link of an embargoed item
  kViewRevisions,          // list and compare revisions of any item
  kRestoreRevision,        // make an old revision current
  kUploadAttachment,       // attach files to an item one may edit
  kManageCategories,       // create, rename, delete categories
  kManageJournalistFeeds,  // create and revoke private press feeds
  kManageUsers,            // add, change and delete accounts and their tokens
  kManageSettings,         // site title, description, language, time zone, boilerplate
};

inline constexpr std::array kAllActions = {
    Action::kCreateDraft,         Action::kEditOwnDraft,     Action::kSubmitForReview,
    Action::kEditAnyItem,         Action::kPublish,          Action::kDeleteItem,
    Action::kShareEmbargoPreview, Action::kViewRevisions,    Action::kRestoreRevision,
    Action::kUploadAttachment,    Action::kManageCategories, Action::kManageJournalistFeeds,
    Action::kManageUsers,         Action::kManageSettings,
};

inline constexpr std::array kAllRoles = {Role::kAdmin, Role::kEditor, Role::kAuthor};

// Whether a role may take an action. Rules about a particular item (an
// author's "own draft") are the caller's to check before asking about
// kEditOwnDraft; the role decides the rest.
bool may(Role role, Action action);

// "create_draft", ... (the names docs/permissions.md uses).
std::string_view action_name(Action action);

}  // namespace newsdesk::model
