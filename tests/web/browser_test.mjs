// The web page in Debian's headless Chromium (playwright-core drives it over the
// DevTools protocol), against a real `wensou serve --http` on the sample index:
// the page loads, a search shows results, a facet filters them, the reader opens at
// the passage, the citation is right, the URL holds the query. Screenshots go to
// SHOTS. usage: node browser_test.mjs URL SHOTS
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const [url, shots] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'] });
let failed = 0;
// the page marks #results aria-busy from the moment a search starts (synchronously,
// with the URL) until its answer is drawn: wait for that, never for hits alone,
// which may still be the previous search's on a slow (sanitized) daemon
async function settled(p) {
  await p.waitForFunction(() => !document.getElementById('results').hasAttribute('aria-busy'));
}
async function step(name, fn) {
  try { await fn(); console.log('ok   ' + name); }
  catch (e) { failed++; console.log('FAIL ' + name + '\n     ' + (e.generatedMessage ? e.message.split('\n')[0] : e.message)); }
}

const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
// every search answers 300 ms late, as from a loaded or sanitized daemon: a step that
// reads hits before the page has drawn its answer fails every run, not now and then
await page.route(/\/search\?/, async r => { await new Promise(z => setTimeout(z, 300)); await r.continue(); });
const errors = [];
page.on('pageerror', e => errors.push(e.message));
page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
// the citation goes to the clipboard: keep what is written there
await page.addInitScript(() => {
  window.__copied = [];
  Object.defineProperty(navigator, 'clipboard', { value: { writeText: t => { window.__copied.push(t); return Promise.resolve(); } } });
});

await step('the page loads, in Chinese, with no script error', async () => {
  await page.goto(url);
  assert.match(await page.title(), /文搜/);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.waitForSelector('#intro:not([hidden])');
});

await step('a search shows results with highlights, and the URL holds the query', async () => {
  await page.fill('#q', '营商环境');
  await page.press('#q', 'Enter');
  await settled(page);
  await page.waitForSelector('#hits li.hit');
  assert.ok(await page.locator('#hits li.hit').count() >= 5);
  assert.ok(await page.locator('#hits li.hit mark').count() >= 1, 'no highlighted words');
  assert.match(await page.textContent('#hits li.hit mark'), /营商环境/);
  assert.match(decodeURIComponent(page.url()), /q=营商环境/);
  await page.screenshot({ path: `${shots}/search.png` });
});

await step('a year facet filters the results', async () => {
  const before = await page.textContent('#totals');
  const year = page.locator('#facets button.facet-item', { hasText: '2021' }).first();
  await year.click();
  await page.waitForFunction(() => decodeURIComponent(location.search).includes('year=2021'));
  await settled(page);
  await page.waitForSelector('#hits li.hit');
  const metas = await page.locator('#hits li.hit .hit-meta').allTextContents();
  assert.ok(metas.length > 0);
  for (const m of metas) assert.match(m, /2021/, `a hit of another year: ${m}`);
  assert.notEqual(await page.textContent('#totals'), before);
  assert.ok(await page.locator('#chips button.chip').count() >= 1, 'no chip for the filter');
  await page.screenshot({ path: `${shots}/facet.png` });
});

await step('the reader opens at the passage, with the match marked', async () => {
  const first = page.locator('#hits li.hit').first();
  const snippet = (await first.locator('.hit-text').textContent()).replace(/^…|…$/g, '').slice(0, 12);
  await first.getByRole('button', { name: /阅读原文/ }).click();
  await page.waitForSelector('#reader:not([hidden]) .passage.current');
  const current = await page.textContent('#reader .passage.current');
  assert.ok(current.includes(snippet), `the reader's passage is not the hit's: ${snippet}`);
  assert.ok(await page.locator('#reader .passage.current mark').count() >= 1, 'no match marked in the reader');
  const inView = await page.locator('#reader .passage.current').evaluate(e => {
    const r = e.getBoundingClientRect(), b = e.closest('.reader-body').getBoundingClientRect();
    return r.top < b.bottom && r.bottom > b.top;
  });
  assert.ok(inView, 'the reader is not scrolled to the passage');
  await page.screenshot({ path: `${shots}/reader.png` });
  await page.keyboard.press('Escape');
  await page.waitForSelector('#reader', { state: 'hidden' });
});

await step('the citation is in GB/T 7714 form', async () => {
  const first = page.locator('#hits li.hit').first();
  const title = (await first.locator('.hit-title').textContent()).replace(/^\d+\.\s*/, '').trim();
  await first.getByRole('button', { name: /复制引用/ }).click();
  await page.waitForFunction(() => window.__copied.length > 0);
  const cite = (await page.evaluate(() => window.__copied))[0];
  assert.ok(cite.includes(`${title}[R]`), `no "${title}[R]" in ${cite}`);
  assert.match(cite, /2021/);
  assert.match(cite, /\.$/);
});

await step('a linked result page reloads as it was', async () => {
  const linked = page.url();
  const other = await browser.newPage();
  await other.goto(linked);
  await other.waitForSelector('#hits li.hit');
  assert.equal(await other.inputValue('#q'), '营商环境');
  assert.ok(await other.locator('#chips button.chip').count() >= 1);
  await other.close();
});

await step('a phone-wide page has no sideways scroll', async () => {
  const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await phone.goto(url + '?q=' + encodeURIComponent('各省 低空经济'));
  await phone.waitForSelector('#hits li.hit');
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 1, `scrolls sideways by ${wide}px`);
  await phone.screenshot({ path: `${shots}/phone.png` });
  await phone.close();
});

await step('no script errors', async () => {
  if (errors.length) throw new Error('script errors: ' + errors.join(' | '));
});

await browser.close();
console.log(failed ? `${failed} failed` : 'all passed');
process.exit(failed ? 1 : 0);
