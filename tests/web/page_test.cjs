// Tests for the pure helpers of web/app.js. Run: node tests/web/page_test.cjs [web/app.js] (no packages).
'use strict';
const assert = require('assert');
const path = require('path');
const w = require(path.resolve(process.argv[2] || path.join(__dirname, '..', '..', 'web', 'app.js')));

let passed = 0;
function test(name, fn) {
  try { fn(); passed++; console.log('ok   ' + name); }
  catch (e) { console.log('FAIL ' + name + '\n     ' + e.message); process.exitCode = 1; }
}
const marks = segs => segs.filter(s => s.mark).map(s => s.text);

test('segments: code-point ranges with non-BMP characters', () => {
  const text = '𠀀营商环境𠀀优化';          // 𠀀 is one code point, two UTF-16 units
  const segs = w.segments(text, [[1, 5], [6, 8]]);
  assert.deepStrictEqual(segs, [
    { text: '𠀀', mark: false }, { text: '营商环境', mark: true },
    { text: '𠀀', mark: false }, { text: '优化', mark: true }]);
  assert.strictEqual(segs.map(s => s.text).join(''), text);
});

test('segments: overlapping, unsorted and out-of-range ranges', () => {
  assert.deepStrictEqual(marks(w.segments('abcdef', [[3, 9], [0, 2], [1, 3]])), ['abcdef']);
  assert.deepStrictEqual(w.segments('abc', []), [{ text: 'abc', mark: false }]);
  assert.deepStrictEqual(w.segments('', [[0, 1]]), []);
});

test('byteToCharRanges: UTF-8 byte ranges to code points', () => {
  const text = 'a𠀀营商';   // bytes: a=1, 𠀀=4, 营=3, 商=3
  assert.deepStrictEqual(w.byteToCharRanges(text, [[5, 11], [1, 5]]), [[2, 4], [1, 2]]);
  assert.deepStrictEqual(w.byteToCharRanges(text, [[2, 5]]), []);   // not on a boundary
  const hit = { text, highlights: [[5, 8]] };
  assert.deepStrictEqual(w.hitRanges(hit), [[2, 3]]);
  assert.deepStrictEqual(w.hitRanges({ text, highlights: [[5, 8]], highlights_chars: [[3, 4]] }), [[3, 4]]);
});

test('snippet: short text unchanged', () => {
  const s = w.snippet('营商环境持续优化', [[0, 4]]);
  assert.deepStrictEqual(s, { text: '营商环境持续优化', ranges: [[0, 4]] });
});

test('snippet: long text cut around the first highlight, ranges moved', () => {
  const text = '甲'.repeat(300) + '营商环境' + '𠀀'.repeat(300);
  const s = w.snippet(text, [[300, 304], [600, 602]]);
  const cps = Array.from(s.text);
  assert.ok(s.text.startsWith('…') && s.text.endsWith('…'));
  assert.strictEqual(cps.length, 160 + 2);
  assert.deepStrictEqual(marks(w.segments(s.text, s.ranges)), ['营商环境']);
  assert.ok(s.ranges[0][0] > 40 && s.ranges[0][0] < 60, 'match about a third in');
});

test('snippet: highlight near the start or end, and no highlight', () => {
  const text = '营商' + '乙'.repeat(400) + '环境';
  const head = w.snippet(text, [[0, 2]]);
  assert.ok(!head.text.startsWith('…') && head.text.endsWith('…'));
  assert.deepStrictEqual(head.ranges, [[0, 2]]);
  const tail = w.snippet(text, [[402, 404]]);
  assert.ok(tail.text.startsWith('…') && !tail.text.endsWith('…'));
  assert.deepStrictEqual(marks(w.segments(tail.text, tail.ranges)), ['环境']);
  assert.strictEqual(Array.from(w.snippet(text, []).text).length, 161);
});

test('findTerms: every occurrence, code points, ASCII case-insensitive', () => {
  const text = '𠀀GDP增长，gdp和营商环境；营商';
  const r = w.findTerms(text, ['gdp', '营商', '营商环境']);
  assert.deepStrictEqual(marks(w.segments(text, r)), ['GDP', 'gdp', '营商环境', '营商']);
  assert.deepStrictEqual(r[0], [1, 4]);
});

test('queryTerms: words only, no filters, exclusions or OR', () => {
  assert.deepStrictEqual(w.queryTerms('"居民消费价格" -广东 营商环境， year:2021 A OR B doc:keqiao －杭州'),
    ['居民消费价格', '营商环境', 'A', 'B']);
  assert.deepStrictEqual(w.queryTerms('“数字 经济”　「双碳」 -"不要" "未闭合'), ['数字 经济', '双碳', '未闭合']);
});

test('CSV quoting', () => {
  assert.strictEqual(w.csvField('plain'), 'plain');
  assert.strictEqual(w.csvField('a,b'), '"a,b"');
  assert.strictEqual(w.csvField('他说"好"'), '"他说""好"""');
  assert.strictEqual(w.csvField('一\n二'), '"一\n二"');
  assert.strictEqual(w.csvField(null), '');
  assert.strictEqual(w.csvField(3), '3');
});

test('CSV export: BOM, header, rows', () => {
  const csv = w.toCSV([{ rank: 1, title: '报告', date: '2020-01-08', kind: '政府工作报告',
    section: ['一、回顾', '（一）经济'], page: 6, page_end: 7, text: '增长"6%",好', file: '/c/a b.txt' }]);
  assert.strictEqual(csv.charCodeAt(0), 0xfeff);
  const lines = csv.slice(1).split('\r\n');
  assert.strictEqual(lines[0], '排名,题名,日期,类型,章节,页码,文本,文件');
  assert.strictEqual(lines[1], '1,报告,2020-01-08,政府工作报告,一、回顾 › （一）经济,6-7,"增长""6%"",好",/c/a b.txt');
  assert.strictEqual(lines[2], '');
  assert.strictEqual(w.csvFileName('营商环境 year:2021'), 'wensou-营商环境_year_2021.csv');
});

test('GB/T 7714 citation', () => {
  const hit = { title: '2020年柯桥区政府工作报告', date: '2020-01-08', page: 6, page_end: 6,
    meta: { issuer: '绍兴市柯桥区人民政府', region: '绍兴' } };
  assert.strictEqual(w.citation(hit),
    '绍兴市柯桥区人民政府. 2020年柯桥区政府工作报告[R]. 绍兴: 绍兴市柯桥区人民政府, 2020-01-08: 6.');
  assert.strictEqual(w.citation({ ...hit, page_end: 7, meta: {} }, { issuer: '某市人民政府' }),
    '某市人民政府. 2020年柯桥区政府工作报告[R]. 某市人民政府, 2020-01-08: 6-7.');
  assert.strictEqual(w.citation({ ...hit, meta: undefined }, { issuer: null }),
    '2020年柯桥区政府工作报告[R]. 2020-01-08: 6.');
  assert.strictEqual(w.citation({ title: 'T', date: null, page: null }), 'T[R].');
});

test('page and match labels', () => {
  assert.strictEqual(w.pageLabel({ page: 26, page_end: 27, page_source: 'estimated' }), '约第26–27页');
  assert.strictEqual(w.pageLabel({ page: 26, page_end: 26, page_source: 'pdf' }), '第26页');
  assert.strictEqual(w.pageLabel({ page: null, page_end: null }), '');
  assert.strictEqual(w.matchLabel({ type: 'literal' }), '字面匹配');
  assert.strictEqual(w.matchLabel({ type: 'synonym', via: ['生产总值'] }), '同义词匹配（经由 生产总值）');
  assert.strictEqual(w.matchLabel({ type: 'partial', missing: ['企业', '负担'], via: ['降本减负'] }),
    '部分匹配（缺少 企业、负担；经由 降本减负）');
  assert.strictEqual(w.matchLabel({ type: 'all_words' }), '全部词语');
  assert.strictEqual(w.matchLabel({ type: 'document' }), '文档内');
  assert.strictEqual(w.matchLabel(undefined), '');
});

test('URL state round trip and the query sent', () => {
  const state = { q: '营商环境 "a&b" -广东', doc: ['2021-keqiao.txt', 'x+y.txt'], kind: ['政府工作报告'],
    year: '2020..2022', region: '浙江', page: 3 };
  const search = w.buildSearch(state);
  assert.deepStrictEqual(w.parseState(search), state);
  assert.deepStrictEqual(w.parseState(''), w.emptyState());
  assert.strictEqual(w.buildSearch(w.emptyState()), '');
  assert.strictEqual(w.buildSearch({ ...w.emptyState(), q: '双碳' }), '?q=%E5%8F%8C%E7%A2%B3');
  assert.deepStrictEqual(w.parseState('?q=x&page=-2'), { ...w.emptyState(), q: 'x' });
  assert.strictEqual(w.apiQuery(state),
    '营商环境 "a&b" -广东 doc:2021-keqiao.txt doc:x+y.txt kind:政府工作报告 year:2020..2022 region:浙江');
  assert.strictEqual(w.searchPath('a b&c', 10, 20), 'search?q=a%20b%26c&limit=10&offset=20');
});

test('docPart, yearSeries, safeUrl', () => {
  assert.strictEqual(w.docPart('/abs/corpus/2021-02-keqiao.txt'), '2021-02-keqiao.txt');
  assert.strictEqual(w.docPart('C:\\d\\my long report.pdf'), 'report.pdf');
  assert.deepStrictEqual(w.yearSeries({ 2022: 3, 2019: 1 }), [['2019', 1], ['2020', 0], ['2021', 0], ['2022', 3]]);
  assert.deepStrictEqual(w.yearSeries({}), []);
  assert.strictEqual(w.safeUrl('javascript:alert(1)'), '');
  assert.strictEqual(w.safeUrl('https://gov.cn/a'), 'https://gov.cn/a');
});

console.log(`${passed} passed${process.exitCode ? ', some FAILED' : ''}`);
