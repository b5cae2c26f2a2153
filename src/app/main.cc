#include <libxml/parser.h>

#include "app/cli.h"

int main(int argc, char** argv) {
  // libxml2 2.9 must be initialised once before threads use it.
  xmlInitParser();
  return newsdesk::app::run_cli(argc, argv);
}
