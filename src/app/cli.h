// The `newsdesk` command line (CLI11): init, serve, import, feed.
#pragma once

namespace newsdesk::app {

// Runs the command line; returns the process exit code. Errors print one
// line on stderr: "newsdesk: ...".
int run_cli(int argc, char** argv);

}  // namespace newsdesk::app
