// A large cached body kept in a sealed anonymous memory file (Linux memfd),
// so that the server can hand it to the socket with sendfile(2) instead of
// copying it from the heap into the kernel on every request. nginx sends its
// files the same way; on a 73 KB feed that copy was 17 % of the server's
// cycles (bench/RESULTS.md, "Large cached bodies by sendfile").
//
// The bytes are written once through a shared read-only mapping of the file,
// which is what bytes() shows: the pages count in the process's resident
// memory once, as the heap copy they replace did.
//
// Open files are bounded: a process keeps at most a quarter of its
// RLIMIT_NOFILE soft limit in BodyFiles, so the cache can never starve the
// server of sockets; beyond that, make() gives null and the caller keeps the
// bytes on the heap (sent by copy, as before).
//
// Thread-safety: make() may be called from any thread; a BodyFile is
// immutable.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace newsdesk::http {

class BodyFile {
 public:
  // Bodies below this many bytes stay on the heap: copying them costs less
  // than the page references sendfile takes.
  static constexpr std::size_t kMinSize = 32 * 1024;

  // A sealed file holding `bytes`, or null when `bytes` is below kMinSize,
  // the process's budget of BodyFiles is used up, or the system refuses
  // (no memfd, no memory): then the caller keeps the bytes itself.
  static std::unique_ptr<const BodyFile> make(std::string_view bytes);

  ~BodyFile();
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;

  // The file descriptor, for sendfile; open while this object lives.
  int fd() const { return fd_; }
  // The bytes, through the read-only mapping.
  std::string_view bytes() const { return {data_, size_}; }

  // BodyFiles alive in this process now, and the most there may be.
  static std::size_t open_count();
  static std::size_t budget();

 private:
  BodyFile(int fd, const char* data, std::size_t size) : fd_(fd), data_(data), size_(size) {}
  int fd_;
  const char* data_;
  std::size_t size_;
};

// Raises this process's soft limit of open files to its hard limit (at most
// 1,048,576): a server with many connections and cached files needs more
// than the 1024 a shell usually gives. Returns the soft limit in force.
std::size_t raise_open_file_limit();

}  // namespace newsdesk::http
