'use strict';
// A site in English, French and Arabic in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core):
//   - the Arabic home page at 375 px is right-to-left (dir="rtl", the
//     header mirrored) with no horizontal overflow;
//   - the language switcher on an English item leads to its French
//     translation.
// The items and the translation group are made through the JSON API.
//
//   node languages.test.js NEWSDESK_BINARY
//
// Screenshots go to $BROWSER_SCREENSHOTS, else ./browser-screenshots.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const binary = process.argv[2] || process.env.NEWSDESK_BINARY;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshotDir = path.resolve(
  process.env.BROWSER_SCREENSHOTS || path.join(process.cwd(), 'browser-screenshots'));
const { chromium } = require('playwright-core');
const { tools, CHROMIUM_ARGS } = require('./support');
const { run, startServer, stopServer } = tools(binary);

const ARABIC_BODY = 'أصدر المركز الدولي لتطوير سياسات الهجرة اليوم تقريره السنوي الذي يعرض ' +
  'أنشطة المشاريع في أوروبا وأفريقيا وآسيا، مع أرقام مفصلة وتوصيات للحكومات الشريكة. ' +
  'كلمةطويلةجدابدونمسافاتلاختبارالتفافالنصفيالشاشاتالصغيرة';

test('languages in headless Chromium', { timeout: 120000 }, async (t) => {
  assert.ok(binary, 'usage: node languages.test.js NEWSDESK_BINARY');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-languages-'));
  fs.mkdirSync(screenshotDir, { recursive: true });
  const db = `sqlite:${path.join(dir, 'news.db')}`;
  const config = path.join(dir, 'newsdesk.toml');
  fs.writeFileSync(config, [
    '[site]',
    'title = "International news centre"',
    'description = "NEWS CENTRE"',
    'language = "en"',
    'languages = ["fr", "ar"]',
    'time_zone = "Europe/Vienna"',
    '',
  ].join('\n'));
  run(['init', '--db', db, '--config', config]);
  const added = spawnSync(binary, ['user', 'add', 'edna', '--role', 'editor', '--password-stdin',
                                   '--db', db, '--config', config],
                          { input: 'editor pass phrase\n', encoding: 'utf8' });
  assert.equal(added.status, 0, added.stderr);
  const token = run(['token', 'create', 'edna', '--db', db]).trim().split(/\s+/).pop();

  const server = await startServer(['serve', '--db', db, '--config', config,
                                    '--listen', '127.0.0.1:0']);
  let browser;
  try {
    async function create(body) {
      const res = await fetch(`${server.base}/api/v1/news`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'published', categories: ['Press Release'], ...body }),
      });
      const json = await res.json();
      assert.equal(res.status, 201, JSON.stringify(json));
      return json;
    }
    const en = await create({ title: 'Annual report 2018', language: 'en',
                              body_markdown: 'The annual report on migration governance.' });
    const fr = await create({ title: 'Rapport annuel 2018', language: 'fr', translation_of: en.id,
                              body_markdown: 'Le rapport annuel sur la gouvernance des migrations.' });
    const ar = await create({ title: 'التقرير السنوي لعام 2018 حول حوكمة الهجرة', language: 'ar',
                              translation_of: en.id, body_markdown: ARABIC_BODY });
    console.log(`# items: ${en.url} ${fr.url} ${ar.url}`);

    browser = await chromium.launch({ executablePath: chromiumPath, timeout: 60000,
                                      args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });
    const page = await (await browser.newContext({ viewport: { width: 375, height: 800 } })).newPage();

    await t.test('the Arabic home page at 375 px is right-to-left without overflow', async () => {
      const res = await page.goto(`${server.base}/ar/`, { waitUntil: 'load' });
      assert.equal(res.status(), 200);
      await page.screenshot({ path: path.join(screenshotDir, 'ar-home-375.png'), fullPage: true });
      const facts = await page.evaluate(() => {
        const title = document.querySelector('.site-title').getBoundingClientRect();
        const item = document.querySelector('main a[href^="/ar/news/"]');
        return {
          dir: document.documentElement.getAttribute('dir'),
          lang: document.documentElement.getAttribute('lang'),
          direction: getComputedStyle(document.body).direction,
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          titleLeft: title.left,
          titleRight: title.right,
          item: item ? item.textContent.trim() : null,
        };
      });
      assert.equal(facts.dir, 'rtl');
      assert.equal(facts.lang, 'ar');
      assert.equal(facts.direction, 'rtl');
      assert.ok(facts.scrollWidth <= facts.innerWidth,
                `horizontal overflow: scrollWidth ${facts.scrollWidth} > ${facts.innerWidth}`);
      // Mirrored: the site's name starts at the right edge.
      assert.ok(facts.innerWidth - facts.titleRight < 40 && facts.titleLeft > 0,
                `site title at ${facts.titleLeft}-${facts.titleRight} of ${facts.innerWidth}: not on the right`);
      assert.match(facts.item || '', /التقرير السنوي/);
    });

    await t.test('the Arabic item at 375 px has no overflow either', async () => {
      const res = await page.goto(`${server.base}${new URL(ar.url).pathname}`, { waitUntil: 'load' });
      assert.equal(res.status(), 200);
      await page.screenshot({ path: path.join(screenshotDir, 'ar-item-375.png'), fullPage: true });
      const sizes = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      assert.ok(sizes[0] <= sizes[1], `horizontal overflow: ${sizes[0]} > ${sizes[1]}`);
    });

    await t.test('the switcher goes from the English item to its French translation', async () => {
      await page.setViewportSize({ width: 1280, height: 800 });
      const res = await page.goto(`${server.base}${new URL(en.url).pathname}`, { waitUntil: 'load' });
      assert.equal(res.status(), 200);
      const link = page.locator('nav.language-switcher a[hreflang="fr"]');
      assert.equal(await link.count(), 1, 'one French link in the language switcher');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
      assert.equal(new URL(page.url()).pathname, new URL(fr.url).pathname);
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      assert.equal((await page.textContent('h1')).trim(), 'Rapport annuel 2018');
      await page.screenshot({ path: path.join(screenshotDir, 'fr-item-1280.png') });
    });
  } finally {
    if (browser) await browser.close();
    await stopServer(server.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
