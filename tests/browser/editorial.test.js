'use strict';
// The editorial workflow end to end in headless Chromium: an editor logs in,
// writes a news item with an attachment, schedules it with an embargo a
// minute ahead, previews it through the secret link, and sees it appear on
// the site and in /rss.xml at its time; an author cannot publish.
//
//   node editorial.test.js NEWSDESK_BINARY
//
// Takes a little over a minute: the schedule has minute precision, as the
// editor's form does.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const binary = process.argv[2] || process.env.NEWSDESK_BINARY;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const { chromium } = require('playwright-core');
const { tools, CHROMIUM_ARGS } = require('./support');
const { run, startServer, stopServer } = tools(binary);

const TITLE = 'Browser-made press release';
const SLUG = 'browser-made-press-release';

// "YYYY-MM-DDTHH:MM" in UTC (the test site's zone) for the next whole
// minute that is at least `lead` seconds away.
function nextMinute(lead) {
  const t = new Date(Date.now() + lead * 1000);
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  return { at: t, value: t.toISOString().slice(0, 16) };
}

async function fetchText(url) {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

test('editorial workflow in headless Chromium', { timeout: 170000 }, async (t) => {
  assert.ok(binary, 'usage: node editorial.test.js NEWSDESK_BINARY');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-editorial-'));
  const db = `sqlite:${path.join(dir, 'news.db')}`;
  const config = path.join(dir, 'newsdesk.toml');
  fs.writeFileSync(config, '[site]\ntitle = "Editorial test"\ntime_zone = "UTC"\n');
  const pdf = path.join(dir, 'statement.pdf');
  fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
  run(['init', '--db', db, '--config', config]);
  for (const [name, role, password] of [['edna', 'editor', 'editor pass phrase'],
                                        ['arthur', 'author', 'author pass phrase']]) {
    const r = require('node:child_process').spawnSync(
      binary, ['user', 'add', name, '--role', role, '--password-stdin', '--db', db, '--config', config],
      { input: password + '\n', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const server = await startServer(['serve', '--db', db, '--config', config, '--listen', '127.0.0.1:0']);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  try {
    const editor = await (await browser.newContext()).newPage();
    await editor.goto(`${server.base}/admin/login`);
    await editor.fill('#login-name', 'edna');
    await editor.fill('#login-password', 'editor pass phrase');
    await Promise.all([editor.waitForURL(`${server.base}/admin/`), editor.click('button[type=submit]')]);

    const when = nextMinute(20);
    await editor.goto(`${server.base}/admin/news/new`);
    await editor.fill('#f-title', TITLE);
    await editor.fill('#f-body', 'Under **embargo** until the minute.<script>window.pwned = 1</script>');
    // The live preview renders what a save would, sanitized, while typing.
    await editor.waitForSelector('#live-preview:not([hidden]) .body strong', { timeout: 10000 });
    assert.equal(await editor.textContent('#live-preview .body strong'), 'embargo');
    assert.equal(await editor.locator('#live-preview script').count(), 0);
    assert.equal(await editor.evaluate(() => window.pwned), undefined);
    await editor.fill('#f-categories', 'Press Release');
    await editor.selectOption('#f-status', 'scheduled');
    await editor.fill('#f-publish-at', when.value);
    await editor.check('#f-embargo');
    await Promise.all([editor.waitForURL(/\/admin\/news\/\d+\?saved=1$/),
                       editor.click('form.admin-form button[type=submit] >> nth=0')]);
    assert.match(await editor.textContent('main'), /Status: scheduled/);

    await editor.setInputFiles('#f-file', pdf);
    await Promise.all([editor.waitForURL(/saved=1$/),
                       editor.click('section.attachments button[type=submit]')]);
    assert.match(await editor.textContent('section.attachments'), /statement\.pdf/);

    const preview = await editor.getAttribute('a:has-text("embargo preview link")', 'href');
    assert.ok(preview && preview.includes('/preview/'), `no preview link: ${preview}`);
    const previewPath = new URL(preview).pathname;
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(`${server.base}${previewPath}`);
    assert.match(await reader.textContent('.embargo-notice'), /Embargoed until/);
    assert.match(await reader.textContent('.body'), /Under embargo until the minute/);

    assert.equal((await fetchText(`${server.base}/news/${SLUG}/`)).status, 404);
    assert.ok(!(await fetchText(`${server.base}/rss.xml`)).body.includes(TITLE));

    // At its minute it is on the site and in the feed, with its download.
    const deadline = when.at.getTime() + 15000;
    let page;
    while (Date.now() < deadline) {
      page = await fetchText(`${server.base}/news/${SLUG}/`);
      if (page.status === 200) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(page.status, 200, 'the item went live at its time');
    assert.ok(Date.now() >= when.at.getTime() - 1000, 'not before its time');
    assert.match(page.body, /statement\.pdf/);
    assert.ok((await fetchText(`${server.base}/rss.xml`)).body.includes(TITLE));
    await reader.goto(`${server.base}/news/${SLUG}/`);
    const download = await reader.getAttribute('.downloads a', 'href');
    assert.equal((await fetch(`${server.base}${download}`)).status, 200);

    // An author has no publishing controls, and what they save stays a draft.
    const author = await (await browser.newContext()).newPage();
    await author.goto(`${server.base}/admin/login`);
    await author.fill('#login-name', 'arthur');
    await author.fill('#login-password', 'author pass phrase');
    await Promise.all([author.waitForURL(`${server.base}/admin/`), author.click('button[type=submit]')]);
    await author.goto(`${server.base}/admin/news/new`);
    assert.equal(await author.locator('#f-status').count(), 0);
    await author.fill('#f-title', 'Author draft');
    await author.check('#f-review');
    await Promise.all([author.waitForURL(/saved=1$/),
                       author.click('form.admin-form button[type=submit] >> nth=0')]);
    assert.match(await author.textContent('main'), /Status: draft/);
    assert.equal((await fetchText(`${server.base}/news/author-draft/`)).status, 404);
  } finally {
    await browser.close();
    await stopServer(server.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
