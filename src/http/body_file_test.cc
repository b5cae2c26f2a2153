#include "http/body_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace newsdesk::http {
namespace {

std::string bytes_of(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
  return s;
}

TEST(BodyFile, SmallBodiesStayOnTheHeap) {
  EXPECT_EQ(BodyFile::make(bytes_of(BodyFile::kMinSize - 1)), nullptr);
  EXPECT_EQ(BodyFile::make(""), nullptr);
}

TEST(BodyFile, ALargeBodyIsInASealedFileWithTheSameBytes) {
  const std::string body = bytes_of(BodyFile::kMinSize * 3 + 17);
  const std::size_t before = BodyFile::open_count();
  auto file = BodyFile::make(body);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(BodyFile::open_count(), before + 1);
  EXPECT_EQ(file->bytes(), body);

  // What sendfile would read: the file's own bytes, from its start.
  std::string read(body.size(), '\0');
  ASSERT_EQ(::pread(file->fd(), read.data(), read.size(), 0), static_cast<ssize_t>(body.size()));
  EXPECT_EQ(read, body);

  // Nobody can change it under a response being sent.
  const int seals = ::fcntl(file->fd(), F_GET_SEALS);
  EXPECT_TRUE(seals & F_SEAL_WRITE);
  EXPECT_TRUE(seals & F_SEAL_SHRINK);
  EXPECT_TRUE(seals & F_SEAL_GROW);
  EXPECT_EQ(::pwrite(file->fd(), "x", 1, 0), -1);
  EXPECT_EQ(::ftruncate(file->fd(), 1), -1);

  const int fd = file->fd();
  file.reset();
  EXPECT_EQ(BodyFile::open_count(), before);
  EXPECT_EQ(::fcntl(fd, F_GETFD), -1) << "the descriptor is closed with the file";
}

// The cache cannot take the descriptors sockets need: at most a quarter of
// the soft limit, then bodies stay on the heap.
TEST(BodyFile, AtMostAQuarterOfTheOpenFileLimit) {
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = 128;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  EXPECT_EQ(BodyFile::budget(), 32u);
  const std::string body = bytes_of(BodyFile::kMinSize);
  const std::size_t room = 32 - std::min<std::size_t>(32, BodyFile::open_count());
  std::vector<std::unique_ptr<const BodyFile>> files;
  std::size_t made = 0;
  for (std::size_t i = 0; i < room + 5; ++i) {
    files.push_back(BodyFile::make(body));
    if (files.back()) ++made;
  }
  EXPECT_EQ(made, room);
  files.clear();
  EXPECT_NE(BodyFile::make(body), nullptr) << "room again once files are gone";
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
}

TEST(BodyFile, RaisingTheOpenFileLimitReachesTheHardLimit) {
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = std::min<rlim_t>(saved.rlim_max, 256);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  const std::size_t now = raise_open_file_limit();
  rlimit after{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &after), 0);
  EXPECT_EQ(now, static_cast<std::size_t>(after.rlim_cur));
  EXPECT_EQ(after.rlim_cur, std::min<rlim_t>(saved.rlim_max, 1 << 20));
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
}

}  // namespace
}  // namespace newsdesk::http
