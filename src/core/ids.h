// Identifiers that must never repeat.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace newsdesk {

// A random version-4 UUID as a URN ("urn:uuid:..."), from std::random_device.
// Used as the permanent id of an item: RSS guid, Atom id, JSON Feed id.
std::string new_uuid_urn();

// 64-bit FNV-1a: stable across runs and builds (unlike std::hash), for
// identities derived from content.
std::uint64_t fnv1a64(std::string_view data);

}  // namespace newsdesk
