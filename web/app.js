/* 文搜 wensou — the search page. Plain script, no build step.
   Pure helpers first (tested by test/highlight_test.js under Node), then the page. */
'use strict';

const PAGE_SIZE = 10;
const EXPORT_LIMIT = 100;
const READER_WINDOW = 20000; // bytes either side of a hit that the reader loads
const SNIPPET_WIDTH = 160;   // characters of context around the first match
const TOKEN_KEY = 'wensou-token';

const ERROR_LABELS = {
  bad_request: '查询有误', timeout: '查询超时', no_index: '尚未建立索引',
  query_too_complex: '查询过于复杂', unauthorized: '需要访问令牌',
  index_version: '索引版本不符', index_error: '索引读取出错',
  too_many_connections: '服务器繁忙', internal: '服务器内部错误',
  not_found: '未找到', network: '无法连接服务器', bad_response: '服务器响应异常',
};

/* ---------- pure helpers ---------- */

const cpLen = s => Array.from(s).length;

// Clip to [0, len], sort and merge overlapping [start, end) ranges.
function normRanges(ranges, len) {
  const rs = (ranges || [])
    .map(([s, e]) => [Math.max(0, s), Math.min(len, e)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

// Cut text into [{text, mark}] pieces; ranges are in code points (not UTF-16 units).
function segments(text, ranges) {
  const cps = Array.from(text);
  const out = [];
  let pos = 0;
  for (const [s, e] of normRanges(ranges, cps.length)) {
    if (s > pos) out.push({ text: cps.slice(pos, s).join(''), mark: false });
    out.push({ text: cps.slice(s, e).join(''), mark: true });
    pos = e;
  }
  if (pos < cps.length) out.push({ text: cps.slice(pos).join(''), mark: false });
  return out;
}

// UTF-8 byte ranges → code-point ranges (fallback for a hit without highlights_chars).
function byteToCharRanges(text, ranges) {
  const at = new Map();
  let b = 0, i = 0;
  for (const c of text) {
    at.set(b, i++);
    const cp = c.codePointAt(0);
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  at.set(b, i);
  return (ranges || []).filter(([s, e]) => at.has(s) && at.has(e)).map(([s, e]) => [at.get(s), at.get(e)]);
}

const hitRanges = hit => Array.isArray(hit.highlights_chars)
  ? hit.highlights_chars : byteToCharRanges(hit.text || '', hit.highlights);

// Shorten long text to `width` characters around the first match, marking cuts with ….
// Returns {text, ranges} with ranges moved to the new text (code points).
function snippet(text, ranges, width = SNIPPET_WIDTH, slack = 80) {
  const cps = Array.from(text);
  const rs = normRanges(ranges, cps.length);
  if (cps.length <= width + slack) return { text, ranges: rs };
  const first = rs.length ? rs[0][0] : 0;
  const end = Math.min(cps.length, Math.max(0, first - Math.floor(width / 3)) + width);
  const start = Math.max(0, end - width);
  const pre = start > 0 ? '…' : '';
  const shift = pre.length - start; // '…' is one code point
  const moved = rs.filter(([s, e]) => e > start && s < end)
    .map(([s, e]) => [Math.max(s, start) + shift, Math.min(e, end) + shift]);
  return { text: pre + cps.slice(start, end).join('') + (end < cps.length ? '…' : ''), ranges: moved };
}

// Lower-case ASCII only, so string lengths (and offsets) stay the same.
const asciiLower = s => s.replace(/[A-Z]/g, c => c.toLowerCase());

// Code-point ranges of every occurrence of the terms in text.
function findTerms(text, terms) {
  const hay = asciiLower(text);
  const out = [];
  for (const term of terms) {
    const needle = asciiLower(term);
    if (!needle) continue;
    for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
      const s = cpLen(text.slice(0, i));
      out.push([s, s + cpLen(needle)]);
    }
  }
  return normRanges(out, cpLen(text));
}

// The words of a query worth marking in the reader: no filters, exclusions or OR.
function queryTerms(q) {
  const terms = [];
  const re = /([-－])?(?:"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+))/g;
  for (const m of String(q).matchAll(re)) {
    if (m[1]) continue;
    const quoted = m[2] !== undefined ? m[2] : m[3] !== undefined ? m[3] : m[4];
    if (quoted !== undefined) { if (quoted.trim()) terms.push(quoted.trim()); continue; }
    if (m[5] === 'OR' || /^(doc|kind|year|section|page):/i.test(m[5])) continue;
    const word = m[5].replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, '');
    if (word) terms.push(word);
  }
  return [...new Set(terms)];
}

// URL state: the user's words and the chosen filters, kept apart.
function emptyState() { return { q: '', doc: [], kind: [], year: '', region: '', page: 1 }; }

function parseState(search) {
  const p = new URLSearchParams(search);
  const page = parseInt(p.get('page'), 10);
  return {
    q: p.get('q') || '',
    doc: p.getAll('doc').filter(Boolean),
    kind: p.getAll('kind').filter(Boolean),
    year: p.get('year') || '',
    region: p.get('region') || '',
    page: page > 0 ? page : 1,
  };
}

function buildSearch(state) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  state.doc.forEach(v => p.append('doc', v));
  state.kind.forEach(v => p.append('kind', v));
  if (state.year) p.set('year', state.year);
  if (state.region) p.set('region', state.region);
  if (state.page > 1) p.set('page', String(state.page));
  const s = p.toString();
  return s ? '?' + s : '';
}

// The query text sent to /search: the words, then the filters in the query language.
function apiQuery(state) {
  return [state.q.trim(), ...state.doc.map(v => 'doc:' + v), ...state.kind.map(v => 'kind:' + v),
    state.year && 'year:' + state.year, state.region && 'region:' + state.region].filter(Boolean).join(' ');
}

const searchPath = (q, limit, offset) =>
  `search?q=${encodeURIComponent(q)}&limit=${limit}&offset=${offset}`;

// A `doc:` value for a file: its base name (its longest run without spaces).
function docPart(file) {
  const base = String(file).split(/[\\/]/).pop();
  return base.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), '');
}

// Years in order, gaps (up to 30 years wide) filled with 0.
function yearSeries(years) {
  const keys = Object.keys(years || {});
  const nums = keys.filter(k => /^\d{4}$/.test(k)).map(Number).sort((a, b) => a - b);
  const out = [];
  if (nums.length && nums[nums.length - 1] - nums[0] <= 30) {
    for (let y = nums[0]; y <= nums[nums.length - 1]; y++) out.push([String(y), years[y] || 0]);
  } else nums.forEach(y => out.push([String(y), years[y]]));
  keys.filter(k => !/^\d{4}$/.test(k)).sort().forEach(k => out.push([k, years[k]]));
  return out;
}

const pagesText = (page, end) =>
  page == null ? '' : end != null && end !== page ? `${page}-${end}` : String(page);

function pageLabel(hit) {
  if (hit.page == null) return '';
  const r = hit.page_end != null && hit.page_end !== hit.page ? `${hit.page}–${hit.page_end}` : `${hit.page}`;
  return (hit.page_source === 'estimated' ? '约' : '') + `第${r}页`;
}

function matchLabel(match) {
  const m = match || {};
  const list = a => (a || []).join('、');
  const has = a => Array.isArray(a) && a.length > 0;
  switch (m.type) {
    case 'literal': return '字面匹配';
    case 'synonym': return has(m.via) ? `同义词匹配（经由 ${list(m.via)}）` : '同义词匹配';
    case 'all_words': return '全部词语';
    case 'partial': {
      const why = [has(m.missing) && '缺少 ' + list(m.missing), has(m.via) && '经由 ' + list(m.via)].filter(Boolean);
      return why.length ? `部分匹配（${why.join('；')}）` : '部分匹配';
    }
    case 'document': return '文档内';
    default: return '';
  }
}

// GB/T 7714-2015 reference for a report: 发布者. 题名[R]. 出版地: 发布者, 日期: 页码.
function citation(hit, doc) {
  const meta = hit.meta || {};
  const issuer = meta.issuer || (doc && doc.issuer) || '';
  const place = meta.region || '';
  let pub = issuer ? (place ? `${place}: ${issuer}` : issuer) : '';
  if (hit.date) pub = pub ? `${pub}, ${hit.date}` : hit.date;
  const pages = pagesText(hit.page, hit.page_end);
  if (pages) pub = pub ? `${pub}: ${pages}` : pages;
  return `${issuer ? issuer + '. ' : ''}${hit.title}[R]${pub ? '. ' + pub : ''}.`;
}

function csvField(v) {
  const s = v == null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// The hits as CSV, UTF-8 with a BOM so that Excel reads it as UTF-8.
function toCSV(hits) {
  const head = ['排名', '题名', '日期', '类型', '章节', '页码', '文本', '文件'];
  const rows = hits.map(h => [h.rank, h.title, h.date, h.kind, (h.section || []).join(' › '),
    pagesText(h.page, h.page_end), h.text, h.file]);
  return '\uFEFF' + [head, ...rows].map(r => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const csvFileName = q => `wensou-${q.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 60) || 'export'}.csv`;

// Only http(s) links from document metadata become links.
const safeUrl = u => (/^https?:\/\//i.test(String(u || '')) ? String(u) : '');

/* ---------- the page ---------- */

const app = { state: emptyState(), result: null, docs: new Map(), controller: null, reader: null };
const $ = id => document.getElementById(id);

// Build an element: props (class, text, on<event>, attributes) and children (nodes or text).
function el(tag, props, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') n.className = v;
    else if (k === 'text') n.textContent = v;
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? '' : v);
  }
  kids.flat().forEach(c => { if (c != null && c !== false && c !== '') n.append(c); });
  return n;
}

// Text with <mark> around the given code-point ranges.
function marked(text, ranges) {
  const f = document.createDocumentFragment();
  segments(text, ranges).forEach(s => f.append(s.mark ? el('mark', { text: s.text }) : s.text));
  return f;
}

/* --- API --- */

class ApiError extends Error {
  constructor(code, message, status) { super(message); this.code = code; this.status = status; }
}

function storedToken() {
  try { return localStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return ''; }
}

async function api(path, signal) {
  const headers = { Accept: 'application/json' };
  const token = storedToken();
  if (token) headers.Authorization = 'Bearer ' + token;
  let res;
  try {
    res = await fetch(path, { headers, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError('network', '请求未能送达服务器，请检查服务是否在运行。', 0);
  }
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    const err = (body && body.error) || {};
    const code = err.code || (res.status === 401 ? 'unauthorized' : res.status === 404 ? 'not_found' : 'http');
    throw new ApiError(code, err.message || `HTTP ${res.status}`, res.status);
  }
  if (!body) throw new ApiError('bad_response', '服务器返回的不是 JSON。', res.status);
  return body;
}

const errorText = e => `${ERROR_LABELS[e.code] || '出错了'}：${e.message}`;

function handleError(e, where) {
  if (e.code === 'unauthorized') showTokenForm(e.message);
  where.replaceChildren(el('p', { class: 'error', role: 'alert', text: errorText(e) }));
}

/* --- access token --- */

function showTokenForm(message) {
  $('token-why').textContent = storedToken()
    ? `令牌无效或已过期（${message}），请重新输入。` : '此服务需要访问令牌，请粘贴后保存。';
  $('token-form').hidden = false;
  $('token').focus();
}

function saveToken(e) {
  e.preventDefault();
  try { localStorage.setItem(TOKEN_KEY, $('token').value.trim()); } catch (err) { /* private mode */ }
  $('token').value = '';
  $('token-form').hidden = true;
  updateTokenButton();
  loadDocuments();
  runSearch();
}

function clearToken() {
  try { localStorage.removeItem(TOKEN_KEY); } catch (err) { /* ignore */ }
  updateTokenButton();
}

function updateTokenButton() { $('token-clear').hidden = !storedToken(); }

/* --- document list (titles and issuers) --- */

async function loadDocuments() {
  try {
    const data = await api('documents');
    app.docs = new Map((data.documents || []).map(d => [d.file, d]));
    $('doc-count').textContent = `目前收录 ${app.docs.size} 份文件。`;
    renderChips();
    if (app.result) renderFacets(app.result);
  } catch (e) {
    if (e.code === 'unauthorized') showTokenForm(e.message);
  }
}

const docTitle = file => (app.docs.get(file) || {}).title || docPart(file);

function docTitleByPart(part) {
  for (const d of app.docs.values()) if (docPart(d.file) === part) return d.title;
  return part;
}

/* --- navigation and URL state --- */

function navigate(state) {
  app.state = state;
  history.pushState(null, '', location.pathname + buildSearch(state));
  runSearch();
}

function toggleFilter(key, value) {
  const s = Object.assign(emptyState(), app.state, { page: 1 });
  if (Array.isArray(s[key])) {
    s[key] = s[key].includes(value) ? s[key].filter(v => v !== value) : [...s[key], value];
  } else s[key] = s[key] === value ? '' : value;
  navigate(s);
}

function goToPage(page) {
  navigate(Object.assign({}, app.state, { page }));
  $('results').focus();
}

/* --- searching --- */

async function runSearch() {
  const s = app.state;
  $('q').value = s.q;
  const q = apiQuery(s);
  document.title = q ? `${q} · 文搜` : '文搜 · 政策文件全文检索';
  if (app.controller) app.controller.abort();
  renderChips();
  if (!q) return showIntro();
  $('intro').hidden = true;
  const ctl = new AbortController();
  app.controller = ctl;
  $('status').replaceChildren(el('p', { class: 'loading', text: '正在搜索……' }));
  $('results').setAttribute('aria-busy', 'true');
  try {
    const r = await api(searchPath(q, PAGE_SIZE, (s.page - 1) * PAGE_SIZE), ctl.signal);
    app.result = r;
    renderResult(r);
  } catch (e) {
    if (e.name === 'AbortError') return;
    app.result = null;
    clearResults();
    handleError(e, $('status'));
  } finally {
    if (app.controller === ctl) $('results').removeAttribute('aria-busy');
  }
}

function clearResults() {
  $('hits').replaceChildren();
  $('facets').replaceChildren();
  ['summary', 'histogram', 'pager', 'facet-toggle'].forEach(id => { $(id).hidden = true; });
}

function showIntro() {
  app.result = null;
  clearResults();
  $('status').replaceChildren();
  $('intro').hidden = false;
}

/* --- rendering results --- */

function renderResult(r) {
  const hits = r.hits || [];
  $('status').replaceChildren();
  if (!hits.length) {
    clearResults();
    const tip = apiQuery(app.state) !== app.state.q.trim() ? '可以移除筛选条件，或换用其他词语再试。' : '可以换用其他词语再试。';
    const text = app.state.page > 1 ? `第 ${app.state.page} 页没有结果。` : `没有找到与“${apiQuery(app.state)}”相关的段落。`;
    $('status').replaceChildren(el('div', { class: 'empty' }, el('p', { text }),
      app.state.page > 1
        ? el('button', { type: 'button', text: '回到第一页', onclick: () => goToPage(1) })
        : el('p', { class: 'muted', text: tip })));
    renderFacets(r);
    return;
  }
  const note = r.total === 0 ? '（没有段落包含全部词语，以下是最接近的结果）' : '';
  const took = r.took_ms != null ? ` · 用时 ${Number(r.took_ms).toFixed(2)} 毫秒` : '';
  $('totals').textContent = `${r.total_is_estimate ? '约' : '共'} ${r.total} 条${took}${note}`;
  $('summary').hidden = false;
  $('hits').replaceChildren(...hits.map(renderHit));
  renderFacets(r);
  renderHistogram((r.facets || {}).years || {});
  renderPager(r, hits.length);
}

function renderHit(hit, i) {
  const sn = snippet(hit.text || '', hitRanges(hit));
  const section = (hit.section || []).join(' › ');
  const page = pageLabel(hit);
  const url = safeUrl((hit.meta || {}).url);
  const status = el('span', { class: 'copied', role: 'status' });
  const li = el('li', { class: 'hit', tabindex: '-1', 'data-index': String(i) },
    el('h2', { class: 'hit-title' }, el('span', { class: 'rank', text: `${hit.rank}.` }), ' ', hit.title),
    el('p', { class: 'hit-meta' },
      [hit.date, hit.kind].filter(Boolean).join(' · '),
      section && el('span', { class: 'section', text: ` · ${section}` }),
      page && el('span', { class: 'page', title: hit.page_source === 'estimated' ? '页码为估算' : null, text: ` · ${page}` })),
    el('p', { class: 'hit-text' }, marked(sn.text, sn.ranges)),
    el('div', { class: 'hit-foot' },
      el('span', { class: 'why', text: matchLabel(hit.match) }),
      el('button', { type: 'button', text: '阅读原文', 'aria-label': `阅读原文：${hit.title}`, onclick: () => openReader(hit) }),
      el('button', { type: 'button', text: '复制引用', 'aria-label': `复制引用：${hit.title}`, onclick: e => copyCitation(hit, e.currentTarget, status) }),
      url && el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: '来源网页' }),
      status));
  li.addEventListener('click', e => {
    if (e.target.closest('button, a') || String(window.getSelection())) return;
    openReader(hit);
  });
  return li;
}

function facetGroup(title, entries, key, active, label) {
  if (!entries.length) return null;
  return el('section', { class: 'facet' }, el('h3', { text: title }),
    el('ul', {}, entries.map(([value, count]) => el('li', {},
      el('button', { type: 'button', class: 'facet-item', 'aria-pressed': String(active(value)),
        onclick: () => toggleFilter(key, value) },
      el('span', { class: 'facet-label', text: label ? label(value) : value }),
      el('span', { class: 'count', text: String(count) }))))));
}

function renderFacets(r) {
  const f = r.facets || {};
  const s = app.state;
  const byCount = o => Object.entries(o || {}).sort((a, b) => b[1] - a[1]);
  // the server's regions facet (each document's region, from its title), else the page's hits
  const regions = f.regions ? { ...f.regions } : {};
  if (!f.regions) (r.hits || []).forEach(h => { const g = (h.meta || {}).region; if (g) regions[g] = (regions[g] || 0) + 1; });
  const docs = byCount(f.documents).map(([file, n]) => [docPart(file), n, file]);
  $('facets').replaceChildren(...[
    facetGroup('文件', docs, 'doc', v => s.doc.includes(v),
      v => docTitle((docs.find(d => d[0] === v) || [])[2] || v)),
    facetGroup('类型', byCount(f.kinds), 'kind', v => s.kind.includes(v)),
    facetGroup('年份', yearSeries(f.years).filter(e => e[1] > 0).reverse(), 'year', v => s.year === v),
    facetGroup(f.regions ? '地区' : '地区（本页结果）', byCount(regions), 'region', v => s.region === v),
  ].filter(Boolean));
  $('facet-toggle').hidden = !$('facets').childElementCount;
}

function renderChips() {
  const s = app.state;
  const chips = [
    ...s.doc.map(v => ['doc', v, `文件：${docTitleByPart(v)}`]),
    ...s.kind.map(v => ['kind', v, `类型：${v}`]),
    s.year && ['year', s.year, `年份：${s.year}`],
    s.region && ['region', s.region, `地区：${s.region}`],
  ].filter(Boolean);
  $('chips').replaceChildren(...chips.map(([key, value, label]) => el('button',
    { type: 'button', class: 'chip', 'aria-label': `移除筛选 ${label}`, onclick: () => toggleFilter(key, value) },
    label, el('span', { class: 'x', 'aria-hidden': 'true', text: '×' }))));
}

function renderHistogram(years) {
  const series = yearSeries(years);
  $('histogram').hidden = series.length === 0;
  const max = Math.max(1, ...series.map(e => e[1]));
  const short = series.length > 10, sparse = series.length > 20;
  $('bars').replaceChildren(...series.map(([year, n], i) => {
    const fill = el('span', { class: 'fill' });
    fill.style.height = `${(100 * n) / max}%`;
    const label = !sparse || i % 5 === 0 || i === series.length - 1 ? (short ? `’${year.slice(2)}` : year) : '';
    return el('button', { type: 'button', class: 'bar', 'aria-pressed': String(app.state.year === year),
      'aria-label': `${year}年：${n} 条`, title: `${year}年：${n} 条`, disabled: n === 0,
      onclick: () => toggleFilter('year', year) },
    el('span', { class: 'bar-count', text: series.length <= 16 ? String(n) : '' }),
    el('span', { class: 'track' }, fill),
    el('span', { class: 'bar-year', text: label }));
  }));
}

function renderPager(r, shown) {
  const page = app.state.page;
  const hasNext = shown === PAGE_SIZE;
  $('pager').hidden = page === 1 && !hasNext;
  $('prev').disabled = page <= 1;
  $('next').disabled = !hasNext;
  const pages = r.total > 0 ? ` / 共 ${Math.ceil(r.total / PAGE_SIZE)} 页` : '';
  $('page-info').textContent = `第 ${page} 页${pages}`;
}

/* --- reader --- */

async function openReader(hit, whole = false) {
  const returnTo = app.reader ? app.reader.returnTo : document.activeElement;
  app.reader = { hit, whole, returnTo };
  $('reader').hidden = false;
  setBackground(false);
  $('reader-title').textContent = hit.title;
  $('reader-meta').textContent = '';
  $('reader-whole').hidden = whole;
  $('reader-body').replaceChildren(el('p', { class: 'loading', text: '正在载入原文……' }));
  $('reader-close').focus();
  const win = whole ? null : { start: Math.max(0, hit.start - READER_WINDOW), end: hit.end + READER_WINDOW };
  const query = win ? `?start=${win.start}&end=${win.end}` : '';
  try {
    const data = await api(`documents/${encodeURIComponent(hit.doc_id)}/text${query}`);
    if (app.reader && app.reader.hit === hit) renderReader(data, hit, win);
  } catch (e) {
    if (e.code === 'unauthorized') closeReader(); // the token field is behind the reader
    handleError(e, e.code === 'unauthorized' ? $('status') : $('reader-body'));
  }
}

// While the reader is open, the page behind it neither scrolls nor takes focus.
function setBackground(active) {
  document.querySelectorAll('body > :not(#reader)').forEach(n => { n.inert = !active; });
  document.body.classList.toggle('reader-open', !active);
}

function closeReader() {
  if (!app.reader) return;
  const back = app.reader.returnTo;
  app.reader = null;
  $('reader').hidden = true;
  setBackground(true);
  if (back && back.isConnected) back.focus();
}

// Terms to mark: the query's words and whatever the search marked in the hit.
function readerTerms(hit) {
  const found = segments(hit.text || '', hitRanges(hit)).filter(s => s.mark).map(s => s.text);
  return [...new Set([...queryTerms(apiQuery(app.state)), ...found])];
}

// The passages with their headings and pages; win is the byte window asked for (null: all).
function renderReader(data, hit, win) {
  $('reader-meta').textContent = [data.date, data.kind, data.issuer,
    data.pages ? `共 ${data.pages} 页` : ''].filter(Boolean).join(' · ');
  const terms = readerTerms(hit);
  const passages = data.passages || [];
  const body = [];
  let prevSection = [], prevPage = null, current = null;
  const last = passages[passages.length - 1];
  if (win && win.start > 0) body.push(moreNote('前文已省略。', hit));
  for (const p of passages) {
    const sec = p.section || [];
    let from = 0;
    while (from < sec.length && sec[from] === prevSection[from]) from++;
    sec.slice(from).forEach((h, i) => body.push(el('h3', { class: `lvl lvl-${Math.min(from + i, 3)}`, text: h })));
    prevSection = sec;
    const isHit = p.start < hit.end && p.end > hit.start;
    const page = p.page != null && p.page !== prevPage
      ? el('span', { class: 'pg', text: `第${p.page_end != null && p.page_end !== p.page ? `${p.page}–${p.page_end}` : p.page}页` }) : null;
    prevPage = p.page;
    const para = el('p', { class: isHit ? 'passage current' : 'passage' }, page, marked(p.text, findTerms(p.text, terms)));
    if (isHit && !current) current = para;
    body.push(para);
  }
  if (win && last && last.end >= win.end) body.push(moreNote('后文已省略。', hit));
  $('reader-body').replaceChildren(...body);
  if (current) current.scrollIntoView({ block: 'center' });
}

function moreNote(text, hit) {
  return el('p', { class: 'more muted' }, text,
    el('button', { type: 'button', text: '显示全文', onclick: () => openReader(hit, true) }));
}

/* --- copy citation and CSV export --- */

async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return true; }
  } catch (e) { /* fall back below */ }
  const back = document.activeElement;
  const ta = el('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
  ta.value = text;
  document.body.append(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  ta.remove();
  if (back) back.focus();
  return ok;
}

async function copyCitation(hit, button, status) {
  const text = citation(hit, app.docs.get(hit.file));
  const ok = await copyText(text);
  status.textContent = ok ? '已复制' : `复制失败，请手动复制：${text}`;
  if (ok) setTimeout(() => { status.textContent = ''; }, 2000);
}

async function exportCSV() {
  const q = apiQuery(app.state);
  const button = $('export');
  button.disabled = true;
  try {
    const r = await api(searchPath(q, EXPORT_LIMIT, 0));
    const url = URL.createObjectURL(new Blob([toCSV(r.hits || [])], { type: 'text/csv;charset=utf-8' }));
    const a = el('a', { href: url, download: csvFileName(q), class: 'offscreen' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (e) {
    handleError(e, $('status'));
  } finally {
    button.disabled = false;
  }
}

/* --- keyboard --- */

function moveFocus(step) {
  const items = Array.from($('hits').children);
  if (!items.length) return;
  const at = items.indexOf(document.activeElement && document.activeElement.closest('.hit'));
  const next = at < 0 ? (step > 0 ? 0 : items.length - 1) : Math.max(0, Math.min(items.length - 1, at + step));
  items[next].focus();
}

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (app.reader) { if (e.key === 'Escape') { e.preventDefault(); closeReader(); } return; }
  const t = e.target;
  if (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) {
    if (e.key === 'Escape' && t.id === 'q') t.blur();
    return;
  }
  const onHit = t.classList && t.classList.contains('hit');
  const free = onHit || t === document.body || t.id === 'results';
  if (e.key === '/') { e.preventDefault(); $('q').focus(); $('q').select(); }
  else if (e.key === 'j' || (e.key === 'ArrowDown' && free)) { e.preventDefault(); moveFocus(1); }
  else if (e.key === 'k' || (e.key === 'ArrowUp' && free)) { e.preventDefault(); moveFocus(-1); }
  else if (e.key === 'Enter' && onHit) {
    e.preventDefault();
    openReader(app.result.hits[Number(t.dataset.index)]);
  }
}

/* --- start --- */

// Same-page links (?q=…) are followed without reloading.
function onLinkClick(e) {
  const a = e.target.closest('a[href^="?"]');
  if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault();
  navigate(parseState(a.getAttribute('href')));
}

function init() {
  $('search-form').addEventListener('submit', e => {
    e.preventDefault();
    navigate(Object.assign({}, app.state, { q: $('q').value.trim(), page: 1 }));
  });
  $('token-form').addEventListener('submit', saveToken);
  $('token-clear').addEventListener('click', clearToken);
  $('export').addEventListener('click', exportCSV);
  $('prev').addEventListener('click', () => goToPage(app.state.page - 1));
  $('next').addEventListener('click', () => goToPage(app.state.page + 1));
  $('reader-close').addEventListener('click', closeReader);
  $('reader-whole').addEventListener('click', () => app.reader && openReader(app.reader.hit, true));
  $('reader').addEventListener('click', e => { if (e.target === $('reader')) closeReader(); });
  $('facet-toggle').addEventListener('click', () => {
    const open = $('facets').classList.toggle('open');
    $('facet-toggle').setAttribute('aria-expanded', String(open));
  });
  document.addEventListener('click', onLinkClick);
  document.addEventListener('keydown', onKey);
  window.addEventListener('popstate', () => { closeReader(); app.state = parseState(location.search); runSearch(); });
  updateTokenButton();
  app.state = parseState(location.search);
  loadDocuments();
  runSearch();
}

if (typeof document !== 'undefined') init();

if (typeof module !== 'undefined') {
  module.exports = {
    normRanges, segments, byteToCharRanges, hitRanges, snippet, findTerms, queryTerms,
    emptyState, parseState, buildSearch, apiQuery, searchPath, docPart, yearSeries,
    pagesText, pageLabel, matchLabel, citation, csvField, toCSV, csvFileName, safeUrl,
  };
}
