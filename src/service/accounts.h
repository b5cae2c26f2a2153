// Accounts and access: users with roles, API bearer tokens, login sessions
// with CSRF tokens, and login throttling. Secrets are shown once and stored
// only as digests (service/credentials.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/user.h"
#include "service/news.h"
#include "store/store.h"

namespace newsdesk::service {

struct CreatedToken {
  std::int64_t id = 0;
  std::string secret;  // "nd_...": shown once, never stored
};

struct LoginSession {
  model::User user;
  std::string secret;      // the session cookie's value
  std::string csrf_token;  // for every state-changing form
  std::int64_t expires_at = 0;
};

struct Authenticated {
  model::User user;
  std::string csrf_token;  // empty for API tokens (no cookies, no CSRF)
};

// Thread-safe when the store is.
class AccountService {
 public:
  // Login throttling: at most this many failures per account, and per
  // client address, within the window; then kTooManyRequests until the
  // oldest failure leaves the window.
  static constexpr int kMaxFailuresPerAccount = 5;
  static constexpr int kMaxFailuresPerAddress = 20;
  static constexpr std::int64_t kFailureWindowSeconds = 15 * 60;
  static constexpr std::int64_t kSessionSeconds = 12 * 60 * 60;

  AccountService(store::Store& store, Clock clock) : store_(store), clock_(std::move(clock)) {}

  // An empty password makes an account that cannot log in (API only).
  // Errors: kInvalid for a bad name (1-64 characters, no spaces or
  // controls); kConflict when taken.
  Result<model::User> add_user(std::string_view name, model::Role role, std::string_view password);
  Result<std::vector<model::User>> users();
  // Deletes the account; its sessions and tokens stop working at once.
  Result<void> delete_user(std::string_view name);

  Result<CreatedToken> create_token(std::string_view user_name, std::string_view label);
  Result<void> revoke_token(std::int64_t id);
  Result<std::vector<model::ApiToken>> tokens();

  // Journalists' feeds: a secret URL per outlet, shown once.
  Result<CreatedToken> create_press_feed(std::string_view label);
  Result<void> revoke_press_feed(std::int64_t id);
  Result<std::vector<store::PressFeed>> press_feeds();
  // Errors: kNotFound for an unknown or revoked secret.
  Result<store::PressFeed> press_feed(std::string_view secret);

  // The user a bearer token belongs to. Errors: kUnauthorized.
  Result<Authenticated> authenticate_token(std::string_view secret);

  // Errors: kUnauthorized for a wrong name or password (the same message
  // either way), kTooManyRequests when throttled.
  Result<LoginSession> login(std::string_view name, std::string_view password,
                             std::string_view client_address);
  // The user of a live session. Errors: kUnauthorized.
  Result<Authenticated> authenticate_session(std::string_view secret);
  Result<void> logout(std::string_view secret);

 private:
  store::Store& store_;
  Clock clock_;
};

}  // namespace newsdesk::service
