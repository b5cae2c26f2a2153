'use strict';
// Shared by the browser tests: running the newsdesk binary and serving a
// database with it on 127.0.0.1 (any free port).

const { spawn, spawnSync } = require('node:child_process');

// Chromium as the probe of this machine kind starts it: headless, no
// sandbox (root), and none of its own network traffic.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function tools(binary) {
  function run(args) {
    const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 60000 });
    if (r.error) throw new Error(`newsdesk ${args[0]}: ${r.error.message}`);
    if (r.status !== 0) {
      throw new Error(`newsdesk ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
    }
    return r.stdout + r.stderr;
  }

  // Starts `newsdesk serve` on port 0 and resolves with {child, base, log()}
  // once it prints "... on http://HOST:PORT/".
  function startServer(args) {
    return new Promise((resolve, reject) => {
      const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let seen = '';
      let done = false;
      const timer = setTimeout(() => finish(new Error(`newsdesk serve printed no address in 30 s:\n${seen}`)), 30000);
      function finish(err, value) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) {
          child.kill('SIGKILL');
          reject(err);
        } else {
          resolve(value);
        }
      }
      function onData(chunk) {
        seen += chunk;
        const m = /on http:\/\/([^:/\s]+):(\d+)\//.exec(seen);
        if (m) finish(null, { child, base: `http://127.0.0.1:${m[2]}`, log: () => seen });
      }
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', onData);
      child.on('error', (e) => finish(e));
      child.on('exit', (code, signal) =>
        finish(new Error(`newsdesk serve exited (${code ?? signal}) before listening:\n${seen}`)));
    });
  }

  function stopServer(child) {
    return new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  return { run, startServer, stopServer };
}

module.exports = { tools, CHROMIUM_ARGS };
