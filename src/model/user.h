// People who run the news centre, and the keys other systems use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace newsdesk::model {

// What a person may do is decided by one role (model/permissions.h).
enum class Role { kAdmin, kEditor, kAuthor };

// "admin", "editor", "author".
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

struct User {
  std::int64_t id = 0;  // 0 until stored
  std::string name;     // unique login name
  Role role = Role::kAuthor;
  std::string password_hash;    // argon2id string (libsodium); empty: cannot log in
  std::int64_t created_at = 0;  // epoch seconds

  friend bool operator==(const User&, const User&) = default;
};

// An API bearer token. Only its digest is stored; the token itself is shown
// once, when it is created.
struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;  // the token acts with this user's role
  std::string label;
  std::string digest;  // hex BLAKE2b of the token
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;

  friend bool operator==(const ApiToken&, const ApiToken&) = default;
};

}  // namespace newsdesk::model
