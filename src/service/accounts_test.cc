#include "service/accounts.h"

#include <gtest/gtest.h>

namespace newsdesk::service {
namespace {

class Accounts : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store("sqlite::memory:");
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->migrate());
    accounts_ = std::make_unique<AccountService>(*store_, [this] { return now_; });
  }

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AccountService> accounts_;
  std::int64_t now_ = 1'000'000;
};

TEST_F(Accounts, LoginWithTheRightPasswordGivesASession) {
  ASSERT_TRUE(accounts_->add_user("jane", model::Role::kEditor, "s3cret pass"));
  auto session = accounts_->login("jane", "s3cret pass", "10.0.0.1");
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->user.name, "jane");
  EXPECT_FALSE(session->csrf_token.empty());
  EXPECT_NE(session->secret, session->csrf_token);
  auto who = accounts_->authenticate_session(session->secret);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->user.role, model::Role::kEditor);
  EXPECT_EQ(who->csrf_token, session->csrf_token);
}

TEST_F(Accounts, WrongPasswordAndUnknownUserLookAlike) {
  ASSERT_TRUE(accounts_->add_user("jane", model::Role::kEditor, "right"));
  auto wrong = accounts_->login("jane", "wrong", "10.0.0.1");
  auto unknown = accounts_->login("nobody", "right", "10.0.0.1");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(Accounts, SessionsExpireAndLogoutEndsThem) {
  ASSERT_TRUE(accounts_->add_user("jane", model::Role::kEditor, "pw"));
  auto a = accounts_->login("jane", "pw", "1.1.1.1");
  auto b = accounts_->login("jane", "pw", "1.1.1.1");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(accounts_->logout(a->secret));
  EXPECT_EQ(accounts_->authenticate_session(a->secret).error().code, ErrorCode::kUnauthorized);
  EXPECT_TRUE(accounts_->authenticate_session(b->secret));
  now_ += AccountService::kSessionSeconds;
  EXPECT_EQ(accounts_->authenticate_session(b->secret).error().code, ErrorCode::kUnauthorized);
  EXPECT_FALSE(accounts_->authenticate_session(""));
}

TEST_F(Accounts, ThrottlesPerAccountThenLetsGoAfterTheWindow) {
  ASSERT_TRUE(accounts_->add_user("jane", model::Role::kEditor, "pw"));
  for (int i = 0; i < AccountService::kMaxFailuresPerAccount; ++i) {
    EXPECT_EQ(accounts_->login("jane", "guess", "10.0.0." + std::to_string(i)).error().code,
              ErrorCode::kUnauthorized);
  }
  // Even the right password is refused while throttled.
  EXPECT_EQ(accounts_->login("jane", "pw", "10.9.9.9").error().code, ErrorCode::kTooManyRequests);
  now_ += AccountService::kFailureWindowSeconds + 1;
  EXPECT_TRUE(accounts_->login("jane", "pw", "10.9.9.9"));
}

TEST_F(Accounts, ThrottlesPerAddressAcrossAccounts) {
  for (int i = 0; i < AccountService::kMaxFailuresPerAddress; ++i) {
    (void)accounts_->login("user" + std::to_string(i), "guess", "6.6.6.6");
  }
  ASSERT_TRUE(accounts_->add_user("jane", model::Role::kEditor, "pw"));
  EXPECT_EQ(accounts_->login("jane", "pw", "6.6.6.6").error().code, ErrorCode::kTooManyRequests);
  EXPECT_TRUE(accounts_->login("jane", "pw", "7.7.7.7"));
}

TEST_F(Accounts, TokensAuthenticateUntilRevoked) {
  ASSERT_TRUE(accounts_->add_user("cms", model::Role::kEditor, ""));
  auto token = accounts_->create_token("cms", "publishing system");
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE(token->secret.starts_with("nd_"));
  auto who = accounts_->authenticate_token(token->secret);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->user.name, "cms");
  // Stored as a digest only.
  auto stored = accounts_->tokens();
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().digest.find(token->secret), std::string::npos);
  EXPECT_EQ(stored->front().last_used_at, now_);
  ASSERT_TRUE(accounts_->revoke_token(token->id));
  EXPECT_EQ(accounts_->authenticate_token(token->secret).error().code, ErrorCode::kUnauthorized);
  EXPECT_FALSE(accounts_->authenticate_token("nd_madeup"));
  EXPECT_FALSE(accounts_->authenticate_token("not-a-token"));
}

TEST_F(Accounts, AccountWithoutPasswordCannotLogIn) {
  ASSERT_TRUE(accounts_->add_user("robot", model::Role::kEditor, ""));
  EXPECT_EQ(accounts_->login("robot", "", "1.1.1.1").error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(accounts_->login("robot", "x", "1.1.1.1").error().code, ErrorCode::kUnauthorized);
}

TEST_F(Accounts, DeletingAUserEndsSessionsAndTokensAtOnce) {
  ASSERT_TRUE(accounts_->add_user("jane", model::Role::kEditor, "pw"));
  auto session = accounts_->login("jane", "pw", "1.1.1.1");
  auto token = accounts_->create_token("jane", "");
  ASSERT_TRUE(session && token);
  ASSERT_TRUE(accounts_->delete_user("jane"));
  EXPECT_FALSE(accounts_->authenticate_session(session->secret));
  EXPECT_FALSE(accounts_->authenticate_token(token->secret));
  EXPECT_EQ(accounts_->delete_user("jane").error().code, ErrorCode::kNotFound);
}

TEST_F(Accounts, NamesAreCheckedAndUnique) {
  EXPECT_EQ(accounts_->add_user("", model::Role::kAuthor, "pw").error().code, ErrorCode::kInvalid);
  EXPECT_EQ(accounts_->add_user("two words", model::Role::kAuthor, "pw").error().code,
            ErrorCode::kInvalid);
  ASSERT_TRUE(accounts_->add_user("jane", model::Role::kAuthor, "pw"));
  EXPECT_EQ(accounts_->add_user("jane", model::Role::kAdmin, "pw").error().code,
            ErrorCode::kConflict);
}

}  // namespace
}  // namespace newsdesk::service
