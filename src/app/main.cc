#include "app/cli.h"

int main(int argc, char** argv) { return newsdesk::app::run_cli(argc, argv); }
