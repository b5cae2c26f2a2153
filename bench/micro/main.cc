// newsdesk_micro: Google Benchmark's main, after the process set-up the
// newsdesk binary does (libxml2 initialised before any thread uses it).
#include <benchmark/benchmark.h>
#include <libxml/parser.h>

int main(int argc, char** argv) {
  xmlInitParser();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  xmlCleanupParser();
  return 0;
}
