#include "core/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace newsdesk {
namespace {

TEST(Ids, UuidUrnIsVersion4) {
  const std::regex shape(
      "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(new_uuid_urn(), shape));
}

TEST(Ids, UuidsDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(new_uuid_urn());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Ids, Fnv1aMatchesReferenceValues) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
}

}  // namespace
}  // namespace newsdesk
