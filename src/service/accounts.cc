#include "service/accounts.h"

#include "service/credentials.h"

namespace newsdesk::service {

namespace {

Error unauthorized() {
  return make_error(ErrorCode::kUnauthorized, "accounts: wrong name or password");
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

// Verifying against this when the account does not exist makes a wrong name
// take as long as a wrong password: timing does not reveal who has an account.
const std::string& dummy_hash() {
  static const std::string hash = [] {
    auto h = hash_password("not a password of anyone");
    return h ? *h : std::string();
  }();
  return hash;
}

}  // namespace

Result<model::User> AccountService::add_user(std::string_view name, model::Role role,
                                             std::string_view password) {
  if (!valid_name(name)) {
    return make_error(ErrorCode::kInvalid,
                      "accounts: a user name has 1 to 64 characters and no spaces");
  }
  model::User user;
  user.name = std::string(name);
  user.role = role;
  user.created_at = clock_();
  if (!password.empty()) {
    auto hash = hash_password(password);
    if (!hash) return hash.error();
    user.password_hash = std::move(*hash);
  }
  auto id = store_.insert_user(user);
  if (!id) return id.error();
  user.id = *id;
  return user;
}

Result<std::vector<model::User>> AccountService::users() { return store_.users(); }

Result<void> AccountService::delete_user(std::string_view name) {
  auto user = store_.user_by_name(name);
  if (!user) return user.error();
  return store_.delete_user(user->id);
}

Result<CreatedToken> AccountService::create_token(std::string_view user_name,
                                                  std::string_view label) {
  auto user = store_.user_by_name(user_name);
  if (!user) return user.error();
  CreatedToken created;
  created.secret = new_secret("nd_");
  model::ApiToken token;
  token.user_id = user->id;
  token.label = std::string(label);
  token.digest = secret_digest(created.secret);
  token.created_at = clock_();
  auto id = store_.insert_api_token(token);
  if (!id) return id.error();
  created.id = *id;
  return created;
}

Result<void> AccountService::revoke_token(std::int64_t id) { return store_.delete_api_token(id); }

Result<std::vector<model::ApiToken>> AccountService::tokens() { return store_.api_tokens(0); }

Result<CreatedToken> AccountService::create_press_feed(std::string_view label) {
  if (label.empty() || label.size() > 200) {
    return make_error(ErrorCode::kInvalid, "accounts: a press feed needs a label (who gets it)");
  }
  CreatedToken created;
  created.secret = new_secret();
  store::PressFeed feed;
  feed.label = std::string(label);
  feed.digest = secret_digest(created.secret);
  feed.created_at = clock_();
  auto id = store_.insert_press_feed(feed);
  if (!id) return id.error();
  created.id = *id;
  return created;
}

Result<void> AccountService::revoke_press_feed(std::int64_t id) {
  return store_.delete_press_feed(id);
}

Result<std::vector<store::PressFeed>> AccountService::press_feeds() { return store_.press_feeds(); }

Result<store::PressFeed> AccountService::press_feed(std::string_view secret) {
  if (secret.size() < 32 || secret.size() > 64) {
    return make_error(ErrorCode::kNotFound, "accounts: no such press feed");
  }
  return store_.press_feed_by_digest(secret_digest(secret));
}

Result<Authenticated> AccountService::authenticate_token(std::string_view secret) {
  if (!secret.starts_with("nd_") || secret.size() > 128) {
    return make_error(ErrorCode::kUnauthorized, "accounts: invalid token");
  }
  auto token = store_.api_token_by_digest(secret_digest(secret));
  if (!token) {
    if (token.error().code == ErrorCode::kNotFound) {
      return make_error(ErrorCode::kUnauthorized, "accounts: invalid token");
    }
    return token.error();
  }
  auto user = store_.user_by_id(token->user_id);
  if (!user) return make_error(ErrorCode::kUnauthorized, "accounts: invalid token");
  // Best effort: a failure to note the time does not refuse the request.
  (void)store_.touch_api_token(token->id, clock_());
  return Authenticated{std::move(*user), std::string()};
}

Result<LoginSession> AccountService::login(std::string_view name, std::string_view password,
                                           std::string_view client_address) {
  const std::int64_t now = clock_();
  const std::int64_t since = now - kFailureWindowSeconds;
  const std::string user_key = "user:" + std::string(name.substr(0, 64));
  const std::string addr_key = "addr:" + std::string(client_address.substr(0, 64));
  auto user_failures = store_.count_login_failures(user_key, since);
  if (!user_failures) return user_failures.error();
  auto addr_failures = store_.count_login_failures(addr_key, since);
  if (!addr_failures) return addr_failures.error();
  if (*user_failures >= kMaxFailuresPerAccount || *addr_failures >= kMaxFailuresPerAddress) {
    return make_error(ErrorCode::kTooManyRequests,
                      "accounts: too many failed logins; try again in 15 minutes");
  }
  auto user = store_.user_by_name(name);
  bool ok = false;
  if (user) {
    ok = verify_password(password, user->password_hash);
  } else if (user.error().code == ErrorCode::kNotFound) {
    (void)verify_password(password, dummy_hash());
  } else {
    return user.error();
  }
  if (!ok) {
    if (auto r = store_.record_login_failure(user_key, now); !r) return r.error();
    if (auto r = store_.record_login_failure(addr_key, now); !r) return r.error();
    return unauthorized();
  }
  (void)store_.clear_login_failures(user_key);
  (void)store_.delete_expired_sessions(now);
  LoginSession session;
  session.user = std::move(*user);
  session.secret = new_secret();
  session.csrf_token = new_secret();
  session.expires_at = now + kSessionSeconds;
  store::Session stored{secret_digest(session.secret), session.user.id, session.csrf_token, now,
                        session.expires_at};
  if (auto r = store_.insert_session(stored); !r) return r.error();
  return session;
}

Result<Authenticated> AccountService::authenticate_session(std::string_view secret) {
  if (secret.empty() || secret.size() > 128) {
    return make_error(ErrorCode::kUnauthorized, "accounts: not logged in");
  }
  auto session = store_.session_by_digest(secret_digest(secret));
  if (!session || session->expires_at <= clock_()) {
    if (!session && session.error().code != ErrorCode::kNotFound) return session.error();
    return make_error(ErrorCode::kUnauthorized, "accounts: not logged in");
  }
  auto user = store_.user_by_id(session->user_id);
  if (!user) return make_error(ErrorCode::kUnauthorized, "accounts: not logged in");
  return Authenticated{std::move(*user), session->csrf_token};
}

Result<void> AccountService::logout(std::string_view secret) {
  auto r = store_.delete_session(secret_digest(secret));
  if (!r && r.error().code == ErrorCode::kNotFound) return {};
  return r;
}

}  // namespace newsdesk::service
