#include <libxml/parser.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "app/cli.h"

namespace {

// `export` renders every page of the site, each a burst of small,
// same-sized allocations (template contexts, item copies) freed together.
// glibc's per-thread cache keeps 7 free blocks of a size; the rest go
// through the arena and its consolidation. With 100 the full export of 10k
// items takes 5-10 % less time (bench/RESULTS.md, issue 7, session 7).
// The export also holds every public item at once (some 100 MB for 10k):
// with hugetlb=1 malloc asks for transparent huge pages, and the kernel
// handles a third as many page faults; on a VM an export that changed
// nothing took a sixth less time (bench/RESULTS.md, issue 7, session 9).
// glibc before 2.35 ignores the name it does not know.
// glibc reads this only from the environment at start-up, so `export`
// runs itself once more with it, unless the caller set GLIBC_TUNABLES
// (then the caller's settings stand). If that fails, it runs as it is.
constexpr const char* kExportTunables = "glibc.malloc.tcache_count=100:glibc.malloc.hugetlb=1";

void tune_allocator_for_export(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "export") != 0) return;
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  if (::setenv("GLIBC_TUNABLES", kExportTunables, 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  ::unsetenv("GLIBC_TUNABLES");  // execv failed: carry on untuned
}

}  // namespace

int main(int argc, char** argv) {
  tune_allocator_for_export(argc, argv);
  // libxml2 2.9 must be initialised once before threads use it.
  xmlInitParser();
  return newsdesk::app::run_cli(argc, argv);
}
