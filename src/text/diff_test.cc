#include "text/diff.h"

#include <gtest/gtest.h>

#include <random>

namespace newsdesk::text {
namespace {

using Op = DiffLine::Op;

std::string side(const std::vector<DiffLine>& diff, Op skip) {
  std::string out;
  for (const DiffLine& l : diff) {
    if (l.op != skip) out += l.text + "\n";
  }
  return out;
}

int edits(const std::vector<DiffLine>& diff) {
  int n = 0;
  for (const DiffLine& l : diff) n += l.op != Op::kSame;
  return n;
}

// Edits of a shortest script: n + m - 2 * LCS, by dynamic programming.
int minimal_edits(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      lcs[i][j] =
          a[i - 1] == b[j - 1] ? lcs[i - 1][j - 1] + 1 : std::max(lcs[i - 1][j], lcs[i][j - 1]);
    }
  }
  return static_cast<int>(a.size() + b.size()) - 2 * lcs[a.size()][b.size()];
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

TEST(LineDiff, EqualTextsAreAllSame) {
  const auto diff = line_diff("a\nb\nc", "a\nb\nc");
  ASSERT_EQ(diff.size(), 3u);
  EXPECT_EQ(edits(diff), 0);
}

TEST(LineDiff, AChangedLineIsRemovedThenAdded) {
  const auto diff = line_diff("Title\nold text\nend\n", "Title\nnew text\nend\n");
  const std::vector<DiffLine> expected = {{Op::kSame, "Title"},
                                          {Op::kRemoved, "old text"},
                                          {Op::kAdded, "new text"},
                                          {Op::kSame, "end"}};
  EXPECT_EQ(diff, expected);
}

TEST(LineDiff, EmptySides) {
  EXPECT_TRUE(line_diff("", "").empty());
  const auto added = line_diff("", "one\ntwo");
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0], (DiffLine{Op::kAdded, "one"}));
  const auto removed = line_diff("one\ntwo\n", "");
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[1], (DiffLine{Op::kRemoved, "two"}));
}

TEST(LineDiff, RandomPairsRebuildBothSidesWithAShortestScript) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> a;
    std::vector<std::string> b;
    const int na = static_cast<int>(rng() % 30);
    const int nb = static_cast<int>(rng() % 30);
    // Few distinct lines, so there is much to match and many ties.
    for (int i = 0; i < na; ++i) a.push_back(std::string(1, static_cast<char>('a' + rng() % 4)));
    for (int i = 0; i < nb; ++i) b.push_back(std::string(1, static_cast<char>('a' + rng() % 4)));
    const auto diff = line_diff(joined(a), joined(b));
    EXPECT_EQ(side(diff, Op::kAdded), joined(a)) << round;
    EXPECT_EQ(side(diff, Op::kRemoved), joined(b)) << round;
    EXPECT_EQ(edits(diff), minimal_edits(a, b)) << round;
  }
}

TEST(LineDiff, TooManyDifferencesGiveUpOnMinimality) {
  std::string a;
  std::string b;
  for (int i = 0; i < 50; ++i) {
    a += "a" + std::to_string(i) + "\n";
    b += "b" + std::to_string(i) + "\n";
  }
  const auto diff = line_diff(a, b, 10);
  EXPECT_EQ(edits(diff), 100);
  EXPECT_EQ(side(diff, Op::kAdded), a);
  EXPECT_EQ(side(diff, Op::kRemoved), b);
  // Still fast and exact for small changes in large texts.
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + "\n";
  std::string changed = big;
  changed.replace(changed.find("line 10000\n"), 11, "line ten thousand\n");
  EXPECT_EQ(edits(line_diff(big, changed, 10)), 2);
}

}  // namespace
}  // namespace newsdesk::text
