#include "http/body_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace newsdesk::http {

namespace {

std::atomic<std::size_t> g_open{0};

std::size_t soft_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1024;
  return static_cast<std::size_t>(limit.rlim_cur);
}

// The file's pages, written through a writable mapping that is gone before
// the seals go on (F_SEAL_WRITE refuses while one exists).
bool fill(int fd, std::string_view bytes) {
  if (::ftruncate(fd, static_cast<off_t>(bytes.size())) != 0) return false;
  void* out = ::mmap(nullptr, bytes.size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (out == MAP_FAILED) return false;
  std::memcpy(out, bytes.data(), bytes.size());
  ::munmap(out, bytes.size());
  return ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0;
}

}  // namespace

std::unique_ptr<const BodyFile> BodyFile::make(std::string_view bytes) {
  if (bytes.size() < kMinSize) return nullptr;
  if (g_open.fetch_add(1) >= budget()) {
    --g_open;
    return nullptr;
  }
  const int fd = ::memfd_create("newsdesk-body", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    --g_open;
    return nullptr;
  }
  // MAP_POPULATE: the pages are in the mapping from the start, so resident
  // memory shows them whether or not anything reads bytes().
  void* in = MAP_FAILED;
  if (fill(fd, bytes)) {
    in = ::mmap(nullptr, bytes.size(), PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
  }
  if (in == MAP_FAILED) {
    ::close(fd);
    --g_open;
    return nullptr;
  }
  return std::unique_ptr<const BodyFile>(
      new BodyFile(fd, static_cast<const char*>(in), bytes.size()));
}

BodyFile::~BodyFile() {
  ::munmap(const_cast<char*>(data_), size_);
  ::close(fd_);
  --g_open;
}

std::size_t BodyFile::open_count() { return g_open.load(); }

std::size_t BodyFile::budget() { return soft_limit() / 4; }

std::size_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  const rlim_t want = std::min<rlim_t>(limit.rlim_max, 1 << 20);
  if (limit.rlim_cur < want) {
    rlimit raised = limit;
    raised.rlim_cur = want;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? std::size_t{1} << 20
                                         : static_cast<std::size_t>(limit.rlim_cur);
}

}  // namespace newsdesk::http
