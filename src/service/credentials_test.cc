#include "service/credentials.h"

#include <gtest/gtest.h>

namespace newsdesk::service {
namespace {

TEST(Credentials, PasswordHashIsArgon2idAndVerifies) {
  auto hash = hash_password("correct horse battery staple");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(verify_password("correct horse battery staple", *hash));
  EXPECT_FALSE(verify_password("correct horse battery stapl", *hash));
  EXPECT_FALSE(verify_password("", *hash));
}

TEST(Credentials, SamePasswordHashesDifferently) {
  auto a = hash_password("secret");
  auto b = hash_password("secret");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);  // salted
}

TEST(Credentials, RejectsEmptyAndHugePasswordsAndBadHashes) {
  EXPECT_FALSE(hash_password(""));
  EXPECT_FALSE(hash_password(std::string(1025, 'x')));
  EXPECT_FALSE(verify_password("x", ""));
  EXPECT_FALSE(verify_password("x", "$argon2id$garbage"));
  EXPECT_FALSE(verify_password("x", std::string(500, '$')));
}

TEST(Credentials, SecretsAreRandomUrlSafeAndPrefixed) {
  const std::string a = new_secret("nd_");
  const std::string b = new_secret("nd_");
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("nd_"));
  EXPECT_EQ(a.size(), 3u + 43u);
  EXPECT_EQ(
      a.find_first_not_of("nd_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"),
      std::string::npos);
}

TEST(Credentials, DigestIsStableHexAndDiffersPerSecret) {
  EXPECT_EQ(secret_digest("abc"), secret_digest("abc"));
  EXPECT_NE(secret_digest("abc"), secret_digest("abd"));
  EXPECT_EQ(secret_digest("abc").size(), 64u);
}

TEST(Credentials, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

}  // namespace
}  // namespace newsdesk::service
