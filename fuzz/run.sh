#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (Debian 12's clang 14) under
# AddressSanitizer and UBSan, then runs each for FUZZ_SECONDS (default 60).
#
#   fuzz/run.sh                     build, then run every target
#   FUZZ_SECONDS=600 fuzz/run.sh    longer runs
#   FUZZ_TOTAL_SECONDS=60 fuzz/run.sh  60 s shared by the targets run
#   fuzz/run.sh sanitize_fuzzer     only this target
#   fuzz/run.sh --build-only        build, run nothing
#   FUZZ_OUT=DIR fuzz/run.sh        build and work in DIR (default build/fuzz)
#
# The library sources are compiled directly (not through CMake) into
# build/fuzz/, by a ninja file this script writes: incremental, -j2 (ccache
# when it is installed). Each run starts from a fresh copy of
# fuzz/corpus/<target>/ in build/fuzz/work/; the committed seed corpus is
# never written to. Crash inputs land in build/fuzz/artifacts/<target>/.
# Exit status: 0 when every target ran its time without a finding, 1
# otherwise.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
out="${FUZZ_OUT:-$root/build/fuzz}"
case "$out" in /*) ;; *) out="$root/$out" ;; esac
seconds="${FUZZ_SECONDS:-60}"
jobs="${FUZZ_JOBS:-2}"
all_targets=(feed_parser_fuzzer sanitize_fuzzer sanitize_diff_fuzzer markdown_fuzzer
  search_query_fuzzer http_fuzzer mustache_diff_fuzzer)
# Targets that need the whole library (store, services, HTTP, render), not
# only the importer and the text functions.
full_targets=(search_query_fuzzer http_fuzzer mustache_diff_fuzzer)

build_only=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --build-only) build_only=1 ;;
    *) targets+=("$arg") ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
# FUZZ_TOTAL_SECONDS: a budget for the whole run, shared by the targets
# (what the ctest fuzz.brief gives, so that a new target does not make the
# suite longer).
if [ -n "${FUZZ_TOTAL_SECONDS:-}" ]; then
  seconds=$((FUZZ_TOTAL_SECONDS / ${#targets[@]}))
  [ "$seconds" -lt 1 ] && seconds=1
fi

# ---------------------------------------------------------------- toolchain
# libFuzzer's runtime is in libclang-rt-14-dev, which clang-14 only
# recommends: an install with --no-install-recommends lacks it.
scripts/install-deps
missing=()
for p in clang libclang-rt-14-dev ninja-build; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fuzz: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ---------------------------------------------------------------- build
# What the importer and the sanitizer need, and nothing that pulls in the
# store, HTTP or the CLI.
sources=()
for f in src/core/*.cc src/model/item.cc src/text/*.cc src/feed/import/*.cc; do
  [[ "$f" == *_test.cc ]] && continue
  sources+=("$f")
done
# Everything else of the library (as CMake's newsdesk_lib: src/ without
# tests and main.cc), plus the embedded default theme.
rest_sources=()
for f in $(find src -name '*.cc' | sort); do
  [[ "$f" == *_test.cc || "$f" == src/app/main.cc ]] && continue
  [[ " ${sources[*]} " == *" $f "* ]] && continue
  rest_sources+=("$f")
done

mkdir -p "$out"
cmake -DTHEME_DIR="$root/themes/default" -DOUT="$out/default_theme.cc" -P cmake/embed_theme.cmake
deps_libs="$(pkg-config --libs libxml-2.0 icu-uc icu-i18n gumbo libcmark-gfm) -lcmark-gfm-extensions"
# The packages and definitions CMakeLists.txt gives newsdesk_lib.
all_pkgs=(sqlite3 libxml-2.0 icu-uc icu-i18n tomlplusplus spdlog fmt gumbo zlib libbrotlienc
  libbrotlidec libcurl libcmark-gfm libsodium libpq)
all_libs="$(pkg-config --libs "${all_pkgs[@]}") -lcmark-gfm-extensions -lmstch -pthread"
# -fsanitize=fuzzer-no-link instruments the library for coverage; only the
# final link takes libFuzzer's main.
common="-std=c++20 -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all -I$root/src
  $(pkg-config --cflags "${all_pkgs[@]}") -DBOOST_ASIO_NO_DEPRECATED
  -DBOOST_BEAST_USE_STD_STRING_VIEW -DSPDLOG_FMT_EXTERNAL"
cxx=clang++
command -v ccache >/dev/null && cxx="ccache clang++"
{
  echo "# Written by fuzz/run.sh; do not edit."
  echo "cxx = $cxx"
  echo "cflags = $(xargs <<<"$common")"  # on one line
  # ninja runs commands through sh: the quotes reach the compiler.
  echo 'version = -DNEWSDESK_VERSION=\"fuzz\"'
  echo "libs = $deps_libs"
  echo "all_libs = $all_libs"
  echo "rule cc"
  echo "  command = \$cxx \$cflags \$version \$extra -MMD -MF \$out.d -c \$in -o \$out"
  echo "  depfile = \$out.d"
  echo "  deps = gcc"
  echo "  description = CXX \$out"
  echo "rule link"
  echo "  command = \$cxx -fsanitize=fuzzer,address,undefined \$in \$libs -o \$out"
  echo "  description = LINK \$out"
  echo "rule link_all"
  echo "  command = \$cxx -fsanitize=fuzzer,address,undefined \$in_first -Wl,--start-group \$in_libs -Wl,--end-group \$all_libs -o \$out"
  echo "  description = LINK \$out"
  objects=()
  for f in "${sources[@]}"; do
    obj="obj/${f%.cc}.o"
    objects+=("$obj")
    echo "build $obj: cc $root/$f"
    echo "  extra = -fsanitize=fuzzer-no-link,address,undefined"
  done
  # An archive, so that only what the targets use is linked (src/text holds
  # more than the importer needs, with dependencies of its own).
  echo "rule ar"
  echo "  command = rm -f \$out && ar rcs \$out \$in"
  echo "  description = AR \$out"
  echo "build libimport.a: ar ${objects[*]}"
  rest_objects=()
  for f in "${rest_sources[@]}" default_theme.cc; do
    src="$root/$f"
    [ "$f" = default_theme.cc ] && src="$out/$f"
    obj="obj/${f%.cc}.o"
    rest_objects+=("$obj")
    echo "build $obj: cc $src"
    echo "  extra = -fsanitize=fuzzer-no-link,address,undefined"
  done
  echo "build librest.a: ar ${rest_objects[*]}"
  for t in "${all_targets[@]}"; do
    echo "build obj/fuzz/$t.o: cc $root/fuzz/$t.cc"
    echo "  extra = -fsanitize=fuzzer,address,undefined"
    if [[ " ${full_targets[*]} " == *" $t "* ]]; then
      echo "build $t: link_all obj/fuzz/$t.o librest.a libimport.a"
      echo "  in_first = obj/fuzz/$t.o"
      echo "  in_libs = librest.a libimport.a"
    else
      echo "build $t: link obj/fuzz/$t.o libimport.a"
    fi
  done
} > "$out/build.ninja.new"
# Only replace the file when it changed, so ninja's state stays valid.
if ! cmp -s "$out/build.ninja.new" "$out/build.ninja" 2>/dev/null; then
  mv "$out/build.ninja.new" "$out/build.ninja"
else
  rm "$out/build.ninja.new"
fi
ninja -C "$out" -j "$jobs" "${targets[@]}"
[ "$build_only" -eq 1 ] && exit 0

# ---------------------------------------------------------------- run
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
summary=()
for t in "${targets[@]}"; do
  name="${t%_fuzzer}"
  work="$out/work/$name"
  artifacts="$out/artifacts/$name"
  rm -rf "$work"
  mkdir -p "$work" "$artifacts"
  cp "fuzz/corpus/$name/"* "$work/"
  dict=()
  [ -f "fuzz/$name.dict" ] && dict=("-dict=fuzz/$name.dict")
  log="$out/$name.log"
  echo "fuzz: $t for ${seconds}s (log: $log)"
  set +e
  "$out/$t" "$work" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" || true
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "fuzz: $t FAILED (exit $rc); the report:"
    grep -n -E 'ERROR|SUMMARY|runtime error|html_oracle|Test unit written|#[0-9]+ 0x' "$log" | head -60
    summary+=("$t: FAILED, inputs in $artifacts")
  else
    summary+=("$t: ok, $(grep -c . <(ls "$work")) inputs in the working corpus")
  fi
done
printf 'fuzz: %s\n' "${summary[@]}"
exit "$status"
