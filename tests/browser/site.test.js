'use strict';
// The public site in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), with an axe-core scan. Registered with ctest by
// browser.cmake; `make test` installs node_modules first (npm ci).
//
//   node site.test.js NEWSDESK_BINARY SOURCE_DIR
//
// (or NEWSDESK_BINARY / NEWSDESK_SOURCE_DIR in the environment). It imports the
// ICMPD sample plus fixtures/wide-image.rss.xml into a throwaway SQLite
// database, serves it on 127.0.0.1 (any free port), and checks:
//   - home, first detail page and the wide-image detail page at 375 and 1280 px
//     wide: no horizontal overflow, every image inside the viewport;
//   - axe-core (WCAG 2.0/2.1 A and AA, best practices) on home, detail,
//     /search?q=migration and a 404 page: no serious or critical violation;
//   - keyboard: the first Tab reaches a skip link, later Tabs the search box
//     and the first news link, each with a visible focus indicator.
// Screenshots go to $BROWSER_SCREENSHOTS, else ./browser-screenshots.
// CHROMIUM overrides the browser's path. Only 127.0.0.1 is ever contacted.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const binary = process.argv[2] || process.env.NEWSDESK_BINARY;
const sourceDir =
  process.argv[3] || process.env.NEWSDESK_SOURCE_DIR || path.resolve(__dirname, '..', '..');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshotDir = path.resolve(
  process.env.BROWSER_SCREENSHOTS || path.join(process.cwd(), 'browser-screenshots'));

const WIDTHS = [375, 1280];
const HEIGHT = 800;
const WIDE_TITLE = 'Browser test: a wide image and an unbreakable word';
const WIDE_SLUG = 'browser-test-a-wide-image-and-an-unbreakable-word';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const MAX_TABS = 40;

function requireTooling(name, resolveOnly = false) {
  try {
    return resolveOnly ? require.resolve(name) : require(name);
  } catch (e) {
    console.error(`browser tests: cannot load ${name} (${e.code || e.message}); ` +
                  `run \`npm ci\` in ${__dirname} (\`make test\` does)`);
    process.exit(1);
  }
}
const { chromium } = requireTooling('playwright-core');
const axePath = requireTooling('axe-core', true);

// ---------------------------------------------------------------- a PNG

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
// A width x height RGB test pattern (vertical stripes), 8 bits per channel.
function makePng(width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;  // bit depth
  header[9] = 2;  // colour type: RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; ++x) {
    const band = Math.floor(x / 100) % 2;
    row[1 + x * 3] = band ? 0x1f : 0xe0;
    row[2 + x * 3] = 0x6f;
    row[3 + x * 3] = band ? 0xd0 : 0x30;
  }
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- processes

const { tools, CHROMIUM_ARGS } = require('./support');
const { run, startServer, stopServer } = tools(binary);

// ---------------------------------------------------------------- page checks

// What overflows the viewport horizontally: scrollWidth and misplaced images,
// with the deepest overflowing elements named to help whoever fixes it.
async function layoutProblems(page) {
  return page.evaluate(() => {
    const describe = (e) => {
      let s = e.tagName.toLowerCase();
      if (e.id) s += `#${e.id}`;
      if (typeof e.className === 'string' && e.className.trim()) s += `.${e.className.trim().split(/\s+/).join('.')}`;
      const text = (e.getAttribute('src') || e.textContent || '').trim().replace(/\s+/g, ' ');
      return text ? `${s} "${text.slice(0, 60)}"` : s;
    };
    const problems = [];
    const vw = window.innerWidth;
    const sw = document.documentElement.scrollWidth;
    if (sw > vw) {
      // Boxes that stick out, and text that sticks out of its box (a long
      // word overflows its <p> without the <p> being any wider).
      const over = new Map();  // element -> how far right it, or its text, reaches
      for (const e of document.body.querySelectorAll('*')) {
        const right = e.getBoundingClientRect().right;
        if (right > vw + 1) over.set(e, right);
      }
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.trim() || !n.parentElement) continue;
        range.selectNodeContents(n);
        const right = range.getBoundingClientRect().right;
        if (right > vw + 1) over.set(n.parentElement, Math.max(right, over.get(n.parentElement) || 0));
      }
      const els = [...over.keys()];
      const deepest = els.filter((e) => !els.some((o) => o !== e && e.contains(o)));
      problems.push(`horizontal overflow: scrollWidth ${sw} > innerWidth ${vw}; overflowing: ` +
                    (deepest.slice(0, 5).map((e) => `${describe(e)} (reaches ${Math.round(over.get(e))} px)`).join(', ') || '?'));
    }
    for (const img of document.images) {
      const r = img.getBoundingClientRect();
      if (r.right > vw + 1 || r.left < -1) {
        problems.push(`image outside the viewport: ${describe(img)} left ${Math.round(r.left)} right ${Math.round(r.right)} (innerWidth ${vw})`);
      }
    }
    return problems;
  });
}

async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, AXE_TAGS);
  return result;
}

function formatViolation(v) {
  const targets = v.targets.slice(0, 8).join(' | ') + (v.targets.length > 8 ? ` | ... (${v.targets.length} in all)` : '');
  return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n    targets: ${targets}`;
}

// The element that has focus, described for the keyboard test.
async function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { tag: 'body' };
    const cs = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return {
      tag: e.tagName.toLowerCase(),
      href: e.getAttribute('href'),
      type: e.getAttribute('type'),
      name: e.getAttribute('name'),
      id: e.id,
      cls: typeof e.className === 'string' ? e.className : '',
      text: (e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60),
      outline: `${cs.outlineStyle} ${cs.outlineWidth}`,
      outlineVisible: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
      boxShadow: cs.boxShadow,
      shadowVisible: !!cs.boxShadow && cs.boxShadow !== 'none',
      onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
                r.left < window.innerWidth && r.top < window.innerHeight,
    };
  });
}
const describeFocus = (f) =>
  f.tag === 'body' ? 'body' :
  `${f.tag}${f.id ? '#' + f.id : ''}${f.cls ? '.' + f.cls.trim().split(/\s+/).join('.') : ''}` +
  `${f.href ? ` href=${f.href}` : ''}${f.type ? ` type=${f.type}` : ''}${f.name ? ` name=${f.name}` : ''}` +
  `${f.text ? ` "${f.text}"` : ''}`;
const hasFocusIndicator = (f) => f.outlineVisible || f.shadowVisible;

// ---------------------------------------------------------------- the test

test('public site in headless Chromium', { timeout: 170000 }, async (t) => {
  assert.ok(binary, 'usage: node site.test.js NEWSDESK_BINARY SOURCE_DIR');
  assert.ok(fs.existsSync(binary), `no newsdesk binary at ${binary}`);
  assert.ok(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium; scripts/install-deps does)`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-browser-'));
  fs.mkdirSync(screenshotDir, { recursive: true });
  let imageServer;
  let server;
  let browser;
  const killServer = () => server && server.child.kill('SIGKILL');
  process.once('exit', killServer);  // also when something throws past finally
  try {
    // A tiny image server for the fixture's wide image.
    const png = makePng(2000, 400);
    imageServer = http.createServer((req, res) => {
      if (req.url === '/wide.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
        res.end(png);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    });
    await new Promise((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
    const imageBase = `http://127.0.0.1:${imageServer.address().port}`;

    const feed = path.join(work, 'wide-image.rss.xml');
    fs.writeFileSync(feed, fs.readFileSync(path.join(__dirname, 'fixtures', 'wide-image.rss.xml'), 'utf8')
      .replaceAll('@IMAGE_BASE@', imageBase).replaceAll('@IMAGE_LENGTH@', String(png.length)));
    const config = path.join(work, 'newsdesk.toml');
    fs.writeFileSync(config, [
      '[site]',
      'title = "Newsdesk browser test"',
      'description = "NEWS CENTRE"',
      'language = "en"',
      'time_zone = "Europe/Vienna"',
      '',
    ].join('\n'));
    const db = `sqlite:${path.join(work, 'db.sqlite')}`;
    run(['init', '--db', db, '--config', config]);
    run(['import', '--db', db, '--config', config,
         path.join(sourceDir, 'examples', 'icmpd', 'news-centre.rss.xml'), feed]);
    server = await startServer(['serve', '--db', db, '--config', config,
                                '--listen', '127.0.0.1:0', '--threads', '2']);
    const base = server.base;
    console.log(`# newsdesk at ${base}, image server at ${imageBase}, work dir ${work}`);
    console.log(`# screenshots in ${screenshotDir}`);

    browser = await chromium.launch({
      executablePath: chromiumPath,
      timeout: 60000,
      args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    });
    // axe-core is injected as an inline script, which the site's
    // Content-Security-Policy rightly forbids; the browser context lets it in
    // (the policy itself is checked by tests/http/site_test.cc).
    const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHT }, bypassCSP: true });
    // Nothing leaves 127.0.0.1: other requests (the sample's images on
    // icmpd.org, say) are aborted and listed, not waited for.
    const blocked = new Set();
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      blocked.add(url.origin);
      return route.abort();
    });
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    async function open(url, width = 1280) {
      await page.setViewportSize({ width, height: HEIGHT });
      const response = await page.goto(base + url, { waitUntil: 'load' });
      return response;
    }
    async function shoot(name) {
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    }

    // The pages: home, the first news item, the wide-image item.
    const home = await open('/');
    assert.equal(home.status(), 200, 'GET / answers 200');
    const firstNews = await page.evaluate(() => {
      const a = document.querySelector('main article h2 a[href]') ||
                [...document.querySelectorAll('main a[href]')].find((l) => l.getAttribute('href').startsWith('/news/'));
      return a ? a.getAttribute('href') : null;
    });
    assert.ok(firstNews, 'the home page links a news item (main article h2 a, or a main link to /news/...)');
    const wideNews = (await page.evaluate((title) => {
      const a = [...document.querySelectorAll('a[href]')].find((l) => l.textContent.trim() === title);
      return a ? a.getAttribute('href') : null;
    }, WIDE_TITLE)) || `/news/${WIDE_SLUG}/`;
    console.log(`# first news item ${firstNews}; wide-image item ${wideNews}`);

    const pages = [['home', '/'], ['detail', firstNews], ['wide', wideNews]];

    await t.test('pages fit 375 px and 1280 px without horizontal overflow', async () => {
      const failures = [];
      for (const [name, url] of pages) {
        for (const width of WIDTHS) {
          const response = await open(url, width);
          if (response.status() !== 200) failures.push(`${name} ${url} @${width}: HTTP ${response.status()}`);
          // Let lazy images and fonts settle before measuring.
          await page.waitForLoadState('networkidle').catch(() => {});
          const problems = await layoutProblems(page);
          const shot = await shoot(`${name}-${width}`);
          console.log(`# ${name} @${width}px: ${problems.length ? 'OVERFLOW' : 'ok'} (${shot})`);
          for (const p of problems) failures.push(`${name} ${url} @${width}px: ${p}`);
        }
      }
      if (failures.length) assert.fail(`layout problems:\n${failures.join('\n')}`);
    });

    await t.test('the wide-image item shows its image from the fixture', async () => {
      const response = await open(wideNews, 375);
      assert.equal(response.status(), 200, `GET ${wideNews}`);
      // Bring it into view (and wait for it) in case the theme loads lazily.
      await page.evaluate(() => Promise.all([...document.images].map((i) => {
        i.scrollIntoView();
        return i.decode().catch(() => {});
      })));
      const imgs = await page.evaluate(() => [...document.images].map((i) => ({
        src: i.currentSrc || i.src, natural: i.naturalWidth, width: Math.round(i.getBoundingClientRect().width),
      })));
      const wide = imgs.find((i) => i.src.endsWith('/wide.png'));
      assert.ok(wide, `no <img> of wide.png on ${wideNews}; images: ${JSON.stringify(imgs)}`);
      assert.equal(wide.natural, 2000, 'wide.png loaded (naturalWidth 2000)');
      assert.ok(wide.width <= 375, `wide.png drawn ${wide.width} px wide in a 375 px viewport`);
    });

    await t.test('axe-core: no serious or critical violations', async () => {
      const failures = [];
      const targets = [...pages, ['search', '/search?q=migration'], ['not-found', '/no-such-page/'],
        ['admin-login', '/admin/login']];
      for (const [name, url] of targets) {
        const response = await open(url, 1280);
        const type = response.headers()['content-type'] || '';
        if (!type.startsWith('text/html')) {
          console.log(`# axe ${name} ${url}: HTTP ${response.status()} ${type}, not HTML: skipped`);
          continue;
        }
        if (name === 'search' || name === 'not-found') await shoot(`${name}-1280`);
        const violations = await axeViolations(page);
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        const minor = violations.filter((v) => !bad.includes(v));
        console.log(`# axe ${name} ${url} (HTTP ${response.status()}): ${bad.length} serious/critical, ` +
                    `${minor.length} minor/moderate${minor.length ? ' (' + minor.map((v) => v.id).join(', ') + ')' : ''}`);
        if (bad.length) failures.push(`${name} ${url}:\n${bad.map(formatViolation).join('\n')}`);
      }
      if (failures.length) assert.fail(`axe-core violations:\n${failures.join('\n')}`);
    });

    await t.test('keyboard: skip link, search box and first news link are reachable', async () => {
      await open('/', 1280);
      const sequence = [];
      let search = null;
      let news = null;
      for (let i = 0; i < MAX_TABS && !(search && news); ++i) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        sequence.push(f);
        if (i > 0 && f.tag === 'body') break;  // went round the whole page
        if (!search && f.tag === 'input' && (f.type === 'search' || f.name === 'q')) search = { ...f, tab: i + 1 };
        if (!news && f.tag === 'a' && f.href === firstNews) news = { ...f, tab: i + 1 };
      }
      await shoot('home-keyboard-1280');
      const trail = sequence.map((f, i) => `  Tab ${i + 1}: ${describeFocus(f)} [outline ${f.outline}; box-shadow ${f.boxShadow || '-'}]`).join('\n');
      console.log(`# focus order on /:\n${trail.replace(/^/gm, '# ')}`);

      const failures = [];
      const first = sequence[0];
      const skipOk = first && first.tag === 'a' && first.href && first.href.startsWith('#') &&
                     (first.href === '#main' || /skip/i.test(first.cls + ' ' + first.text));
      if (!skipOk) {
        failures.push(`the first Tab focuses ${first ? describeFocus(first) : 'nothing'}, not a skip link (a href="#main")`);
      } else {
        const target = await page.evaluate((h) => !!document.getElementById(h.slice(1)), first.href);
        if (!target) failures.push(`the skip link points to ${first.href}, which no element has as id`);
        if (!first.onScreen) failures.push('the skip link stays off screen when focused');
        if (!hasFocusIndicator(first)) failures.push(`the focused skip link shows no outline or box-shadow (${first.outline}; ${first.boxShadow})`);
      }
      if (!search) {
        failures.push(`${sequence.length} Tabs (${sequence.length < MAX_TABS ? 'round the whole page' : 'the most tried'}) never reach a search box (input[type=search] or input[name=q])`);
      } else if (!hasFocusIndicator(search)) {
        failures.push(`the focused search box shows no outline or box-shadow (outline ${search.outline}; box-shadow ${search.boxShadow})`);
      }
      if (!news) {
        failures.push(`${sequence.length} Tabs never reach the first news link (${firstNews})`);
      } else if (!hasFocusIndicator(news)) {
        failures.push(`the focused first news link shows no outline or box-shadow (outline ${news.outline}; box-shadow ${news.boxShadow})`);
      }
      if (failures.length) assert.fail(`keyboard navigation:\n${failures.join('\n')}`);
    });

    if (blocked.size) console.log(`# requests aborted (not 127.0.0.1): ${[...blocked].join(', ')}`);
    if (pageErrors.length) console.log(`# JavaScript errors on the pages: ${pageErrors.join(' | ')}`);
  } catch (e) {
    if (server) console.error(`newsdesk serve said:\n${server.log()}`);
    throw e;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await stopServer(server.child);
    if (imageServer) {
      imageServer.closeAllConnections();
      await new Promise((resolve) => imageServer.close(resolve));
    }
    process.removeListener('exit', killServer);
    fs.rmSync(work, { recursive: true, force: true });
  }
});
