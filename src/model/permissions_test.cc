#include "model/permissions.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>

namespace newsdesk::model {
namespace {

// The matrix as docs/permissions.md shows it, read from the document
// itself: the code and what operators read cannot drift apart.
std::map<std::string, std::array<bool, 3>> read_documented_matrix() {
  std::ifstream in(std::string(NEWSDESK_SOURCE_DIR) + "/docs/permissions.md");
  std::map<std::string, std::array<bool, 3>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("| `")) continue;
    const auto name_end = line.find('`', 3);
    const std::string name = line.substr(3, name_end - 3);
    std::array<bool, 3> cells{};
    std::size_t column = 0;
    std::size_t pos = line.find('|', name_end);
    while (column < 3 && pos != std::string::npos) {
      const auto next = line.find('|', pos + 1);
      if (next == std::string::npos) break;
      const std::string cell = line.substr(pos + 1, next - pos - 1);
      cells[column++] = cell.find("yes") != std::string::npos;
      pos = next;
    }
    if (column == 3) out[name] = cells;
  }
  return out;
}

const std::map<std::string, std::array<bool, 3>>& expected_matrix() {
  static const auto m = read_documented_matrix();
  return m;
}

class PermissionCell : public ::testing::TestWithParam<std::tuple<Role, Action>> {};

TEST_P(PermissionCell, MatchesTheDocumentedMatrix) {
  const auto [role, action] = GetParam();
  const auto row = expected_matrix().find(std::string(action_name(action)));
  ASSERT_NE(row, expected_matrix().end()) << action_name(action) << " is not documented";
  EXPECT_EQ(may(role, action), row->second[static_cast<std::size_t>(role)])
      << role_name(role) << " / " << action_name(action);
}

INSTANTIATE_TEST_SUITE_P(EveryCell, PermissionCell,
                         ::testing::Combine(::testing::ValuesIn(kAllRoles),
                                            ::testing::ValuesIn(kAllActions)),
                         [](const auto& cell) {
                           return std::string(role_name(std::get<0>(cell.param))) + "_" +
                                  std::string(action_name(std::get<1>(cell.param)));
                         });

TEST(Permissions, EveryDocumentedActionExists) {
  EXPECT_EQ(expected_matrix().size(), kAllActions.size());
}

TEST(Roles, NamesRoundTrip) {
  for (Role r : kAllRoles) EXPECT_EQ(parse_role(role_name(r)), r);
  EXPECT_EQ(parse_role("root"), std::nullopt);
  EXPECT_EQ(parse_role("Admin"), std::nullopt);
}

}  // namespace
}  // namespace newsdesk::model
