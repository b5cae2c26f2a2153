// Secrets: password hashes (argon2id via libsodium), and random tokens for
// API access, sessions, CSRF and preview links, stored only as digests.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace newsdesk::service {

// An argon2id hash string ("$argon2id$v=19$m=...") with libsodium's
// interactive limits (64 MiB, 2 passes): about a tenth of a second, so a
// stolen database costs an attacker that much per guess.
// Errors: kInvalid for an empty password or one over 1024 bytes;
// kInternal when memory runs out.
Result<std::string> hash_password(std::string_view password);

// Whether the password matches the hash (constant time in the password).
// False for an empty or malformed hash.
bool verify_password(std::string_view password, const std::string& hash);

// A fresh secret: 32 random bytes as unpadded base64url (43 characters),
// after `prefix` ("nd_" for API tokens, so leaked ones are recognisable).
std::string new_secret(std::string_view prefix = "");

// What is stored instead of a secret: its BLAKE2b-256 digest in hex. A
// database thief cannot use the digest as the token.
std::string secret_digest(std::string_view secret);

// Compares two strings in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace newsdesk::service
