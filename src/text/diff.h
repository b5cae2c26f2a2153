// Line diffs for the revision history: what a save changed, line by line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace newsdesk::text {

struct DiffLine {
  enum class Op { kSame, kRemoved, kAdded };
  Op op = Op::kSame;
  std::string text;  // the line without its '\n'

  friend bool operator==(const DiffLine&, const DiffLine&) = default;
};

// A shortest edit script from `before` to `after`, as lines (Myers' O(ND)
// algorithm): kSame lines in both, kRemoved only in `before`, kAdded only
// in `after`; within a change, removals come before additions. Text is split
// at '\n' (a final '\n' ends the last line rather than starting an empty
// one). When the two differ in more than `max_edits` lines, the result is
// every line of `before` removed and every line of `after` added, so a
// hostile pair of texts costs O((N+M) * max_edits) time and O(max_edits^2) memory at most.
std::vector<DiffLine> line_diff(std::string_view before, std::string_view after,
                                int max_edits = 1000);

}  // namespace newsdesk::text
