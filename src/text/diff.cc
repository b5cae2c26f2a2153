#include "text/diff.h"

#include <algorithm>

namespace newsdesk::text {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) {
      lines.push_back(text);
      break;
    }
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return lines;
}

void append(std::vector<DiffLine>& out, DiffLine::Op op, std::string_view line) {
  out.push_back({op, std::string(line)});
}

}  // namespace

std::vector<DiffLine> line_diff(std::string_view before, std::string_view after, int max_edits) {
  const std::vector<std::string_view> a = split_lines(before);
  const std::vector<std::string_view> b = split_lines(after);
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int limit = std::min(n + m, std::max(0, max_edits));
  const int offset = limit + 1;
  // v[k + offset]: the furthest x on diagonal k (x - y == k) after d edits.
  // trace[d] keeps diagonals -d..d of it (at index k + d), so the path can
  // be walked back: O(D^2) memory.
  std::vector<int> v(2 * static_cast<std::size_t>(offset) + 1, 0);
  std::vector<std::vector<int>> trace;
  int found = -1;
  for (int d = 0; d <= limit && found < 0; ++d) {
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[k - 1 + offset] < v[k + 1 + offset]))
                  ? v[k + 1 + offset]       // down: an insertion
                  : v[k - 1 + offset] + 1;  // right: a deletion
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) {
        ++x;
        ++y;
      }
      v[k + offset] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
  }

  std::vector<DiffLine> out;
  if (found < 0) {  // too many differences to be worth a minimal script
    for (std::string_view line : a) append(out, DiffLine::Op::kRemoved, line);
    for (std::string_view line : b) append(out, DiffLine::Op::kAdded, line);
    return out;
  }
  // Walk back from (n, m), collecting the script in reverse.
  std::vector<DiffLine> reversed;
  int x = n;
  int y = m;
  for (int d = found; d > 0; --d) {
    const std::vector<int>& prev = trace[static_cast<std::size_t>(d - 1)];
    const auto at = [&prev, d](int diagonal) {
      return prev[static_cast<std::size_t>(diagonal + d - 1)];
    };
    const int k = x - y;
    const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = at(prev_k);
    const int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      append(reversed, DiffLine::Op::kSame, a[static_cast<std::size_t>(--x)]);
      --y;
    }
    if (down) {
      append(reversed, DiffLine::Op::kAdded, b[static_cast<std::size_t>(--y)]);
    } else {
      append(reversed, DiffLine::Op::kRemoved, a[static_cast<std::size_t>(--x)]);
    }
  }
  while (x > 0 && y > 0) {
    append(reversed, DiffLine::Op::kSame, a[static_cast<std::size_t>(--x)]);
    --y;
  }
  out.assign(std::make_move_iterator(reversed.rbegin()), std::make_move_iterator(reversed.rend()));
  // Within each run of changes, removals first: easier to read.
  for (std::size_t i = 0; i < out.size();) {
    if (out[i].op == DiffLine::Op::kSame) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < out.size() && out[j].op != DiffLine::Op::kSame) ++j;
    std::stable_partition(out.begin() + static_cast<std::ptrdiff_t>(i),
                          out.begin() + static_cast<std::ptrdiff_t>(j),
                          [](const DiffLine& l) { return l.op == DiffLine::Op::kRemoved; });
    i = j;
  }
  return out;
}

}  // namespace newsdesk::text
