# CI runs every libFuzzer target briefly: the ctest `fuzz.brief` runs
# fuzz/run.sh with 60 s shared by the targets (FUZZ_TOTAL_SECONDS; seven
# targets: 8 s each; fuzz/run.sh lists them),
# building them with clang into ${PROJECT_BINARY_DIR}/fuzz through the
# script's own ninja file (not through this CMake project, whose compiler may
# be GCC; and apart from `make fuzz`'s build/fuzz, so both can run at once).
# Included from CMakeLists.txt when tests are on; without clang++ there is
# no such test (fuzz/run.sh installs libFuzzer's runtime when it is missing).
#
# Time on 2 cores: the first build of the library with clang, ASan and
# coverage is the long part (minutes; incremental afterwards, and ccache
# helps); then 60 s of fuzzing in all. RUN_SERIAL: the build uses both cores and
# would slow the timing-sensitive tests beside it.
find_program(NEWSDESK_CLANGXX clang++)
if(NOT NEWSDESK_CLANGXX)
  message(STATUS "fuzz: no clang++, so no fuzz.brief test")
  return()
endif()
add_test(NAME fuzz.brief
  COMMAND ${CMAKE_COMMAND} -E env FUZZ_TOTAL_SECONDS=60 FUZZ_OUT=${PROJECT_BINARY_DIR}/fuzz
          ${PROJECT_SOURCE_DIR}/fuzz/run.sh)
set_tests_properties(fuzz.brief PROPERTIES TIMEOUT 2400 RUN_SERIAL TRUE LABELS fuzz)
