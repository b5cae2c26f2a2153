#include "app/backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "store/store.h"

namespace newsdesk::app {

namespace {

namespace fs = std::filesystem;

Error backup_error(ErrorCode code, const std::string& what) {
  return make_error(code, "backup: " + what);
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// The rename is durable only once the folder's entry is on disk.
void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<BackupResult> backup_database(const std::string& database_url, const std::string& file,
                                     bool force) {
  if (starts_with_nocase(database_url, "postgres://") ||
      starts_with_nocase(database_url, "postgresql://")) {
    return backup_error(ErrorCode::kInvalid,
                        "a PostgreSQL database is backed up with pg_dump, not newsdesk backup "
                        "(see README.md, Operations)");
  }
  if (file.empty()) return backup_error(ErrorCode::kInvalid, "no backup file named");
  std::string source = database_url;
  if (starts_with_nocase(source, "sqlite:")) source = source.substr(7);
  if (source == ":memory:") {
    return backup_error(ErrorCode::kInvalid, "an in-memory database has nothing to back up");
  }
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) {
    return backup_error(ErrorCode::kNotFound, "no database at '" + source + "'");
  }
  if (fs::exists(file, ec) && fs::equivalent(file, source, ec)) {
    return backup_error(ErrorCode::kInvalid, "'" + file + "' is the database itself");
  }
  if (!force && fs::symlink_status(file, ec).type() != fs::file_type::not_found) {
    return backup_error(ErrorCode::kConflict, "'" + file + "' exists; pass --force to replace it");
  }
  const fs::path target(file);
  const fs::path folder = target.parent_path();
  if (!fs::is_directory(folder.empty() ? fs::path(".") : folder, ec)) {
    return backup_error(ErrorCode::kUnavailable,
                        "cannot write '" + file + "': no such folder '" + folder.string() + "'");
  }
  if (::access(folder.empty() ? "." : folder.c_str(), W_OK) != 0) {
    return backup_error(ErrorCode::kUnavailable, "cannot write '" + file + "': folder '" +
                                                     (folder.empty() ? "." : folder.string()) +
                                                     "': " + std::strerror(errno));
  }
  // Hidden, beside the target (same file system, so the rename is atomic),
  // and unique to this process.
  const std::string temp =
      (folder / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();

  auto store = store::open_store(database_url);
  if (!store) return store.error();
  if (auto r = (*store)->backup_to(temp); !r) return wrap_error(r.error(), "backup");

  if (force) {
    if (std::rename(temp.c_str(), file.c_str()) != 0) {
      const std::string reason = std::strerror(errno);
      fs::remove(temp, ec);
      return backup_error(ErrorCode::kUnavailable, "rename to '" + file + "': " + reason);
    }
  } else {
    // link() refuses an existing name: nothing that appeared meanwhile is
    // replaced.
    if (::link(temp.c_str(), file.c_str()) != 0) {
      const int error = errno;
      fs::remove(temp, ec);
      if (error == EEXIST) {
        return backup_error(ErrorCode::kConflict,
                            "'" + file + "' exists; pass --force to replace it");
      }
      return backup_error(ErrorCode::kUnavailable,
                          "create '" + file + "': " + std::strerror(error));
    }
    fs::remove(temp, ec);
  }
  sync_folder(folder);
  BackupResult result;
  result.bytes = fs::file_size(file, ec);
  return result;
}

}  // namespace newsdesk::app
