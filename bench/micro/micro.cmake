# Google Benchmark micro-benchmarks (bench/micro/*_bench.cc), off by default:
#   cmake -B build/bench -DCMAKE_BUILD_TYPE=Release -DNEWSDESK_BENCH=ON
#   cmake --build build/bench --target newsdesk_micro
#   build/bench/newsdesk_micro --benchmark_repetitions=5
# Not part of the test suite; bench/micro/run.sh builds and runs them.
option(NEWSDESK_BENCH "Build the Google Benchmark micro-benchmarks (bench/micro)" OFF)

if(NEWSDESK_BENCH)
  find_package(benchmark REQUIRED)
  file(GLOB NEWSDESK_MICRO_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/bench/micro/*.cc)
  add_executable(newsdesk_micro ${NEWSDESK_MICRO_SOURCES})
  target_compile_options(newsdesk_micro PRIVATE ${NEWSDESK_WARNINGS})
  target_include_directories(newsdesk_micro PRIVATE ${PROJECT_SOURCE_DIR}/bench/micro)
  target_compile_definitions(newsdesk_micro PRIVATE NEWSDESK_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(newsdesk_micro PRIVATE newsdesk_lib benchmark::benchmark)
endif()
