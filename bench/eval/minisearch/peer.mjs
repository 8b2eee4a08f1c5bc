// peer.mjs PASSAGES.jsonl QUERIES.txt — the MiniSearch peer of bench/eval: passages
// (the records `wensou inspect` prints) indexed as @node-rs/jieba search-mode words,
// the text and, as a second field, the title and heading path; each query (one a
// line) searched with OR and BM25. Prints one JSON array of passage indices a query.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import MiniSearch from 'minisearch';
import { Jieba } from '@node-rs/jieba';

const require = createRequire(import.meta.url);
const { dict } = require('@node-rs/jieba/dict.js');
const jieba = Jieba.withDict(dict);

const [passagesPath, queriesPath] = process.argv.slice(2);
const passages = readFileSync(passagesPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const queries = readFileSync(queriesPath, 'utf8').split('\n').filter(Boolean);

const punctuation = /^[\p{P}\p{S}\s]+$/u;
const tokenize = (s) => jieba.cutForSearch(s, true).map((w) => w.trim().toLowerCase()).filter((w) => w && !punctuation.test(w));

const ms = new MiniSearch({ fields: ['text', 'meta'], tokenize, processTerm: (t) => t });
ms.addAll(passages.map((p, id) => ({ id, text: p.text, meta: [p.title, ...(p.section || [])].join(' ') })));
for (const q of queries) {
  const hits = ms.search(q, { combineWith: 'OR' }).slice(0, 10).map((h) => h.id);
  process.stdout.write(JSON.stringify(hits) + '\n');
}
