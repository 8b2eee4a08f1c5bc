/* rank.h — how wensou orders passages, in one place: BM25's parameters, the
 * weight of each kind of evidence in the best-match tier, and the tier order.
 * Tuned on bench/eval (judged queries over corpus/); change them there. */
#ifndef WENSOU_RANK_H
#define WENSOU_RANK_H

typedef struct {
    /* BM25. b = 0: no length normalisation. Passages are already cut to 150-400
     * characters, and normalising penalised the fuller passages that discuss a
     * topic (nDCG@10 0.816 at Xapian's b = 0.5, 0.820 at 0.3, 0.888 at 0 on the
     * keyword set). k1 shapes repeated words: Xapian's default. */
    double k1, b, k3, min_normlen;
    /* The best-match tier (below the passages holding every word literally):
     * a passage holding a query word's whole literal outranks its words apart;
     * one holding all the content words outranks one holding some (coordination);
     * a synonym of a word, or the word in the document's fields (title, kind,
     * year, headings), counts less than the word in the passage's own text. */
    double literal_boost, all_words_boost, synonym_weight, field_weight;
    /* Among the documents a query names, the words that named them only fill the
     * page after the passages holding its other words. */
    double named_weight;
    /* A word inside a longer query word (垃圾 in 垃圾处理) earns part of its credit. */
    double inner_weight;
    /* A synonym's own words earn it (农业 农村 农民 of 三农 = 农业农村农民) only when
     * it has at most this many: a longer one spells a slogan out (两重 = 国家 重大 战略
     * 实施 重点 领域 安全 能力 建设), whose words any report says. Summing them walked
     * 86 % of the x1000 index for 两重 含义 (19 ms, the benchmark's p99: 19.8–20.1 →
     * 16.1–16.6 ms, mean −5 to −10 %); bench/eval is the same at 6 or more (at 4 the
     * abbreviations fall 0.871 → 0.814). */
    unsigned inner_max_words;
    /* A query asking what a term means (什么是…) favours glossary entries (名词解释). */
    double definition_weight;
    /* A related expression of a word (dict/related.txt) counts for less than a synonym. */
    double related_weight;
    /* A content word's literal in the best match weighs as this many of its terms
     * at most: a word of n > word_terms bigrams is scaled by word_terms / n, so a
     * long word (中国轻纺城, four bigrams) counts as one word beside a short one
     * (成交额) instead of outweighing holding more of the query's words. On
     * bench/eval (no scaling → 2): keyword half 0.957 → 0.959, natural 0.841 →
     * 0.842, held-out questions 0.602 → 0.670; 1.5 and 3 did no better. */
    double word_terms;
    /* A query word in more than this share of the passages (建设, 发展, 推进) is a
     * frame word beside the topic's words: the every-word boost does not ask for it. */
    double generic_share;
    /* In the literal tiers (every slot held) a slot whose literals all say a word
     * of three or more characters (营商环境, 高质量发展, 柯桥北环快速通道) is ranked by
     * those words (unit_rank); its n-grams, which find it, weigh this much (in
     * tier 1 only when its synonyms say such words too). The bigrams' sum counted
     * 发展 wherever a passage said it, and its bound (each bigram's own highest
     * weight, added up) was above any passage's weight, so the ranked AND weighed
     * every passage holding the literal (高质量发展 at x1000: 32,000); the word's
     * own list has a bound the page reaches. bench/eval at 1 → 0: keyword 0.873 →
     * 0.874, keyword half 0.952 → 0.956, natural half 0.857 → 0.860, held-out 0.532
     * either way; bench/queries.txt x1000 median 740-759 → 403-410 us (3
     * interleaved rounds). Asking that the long words say the whole literal gave
     * keyword half 0.952, natural half 0.859 (柯桥北环快速通道, ranked by 快速通道,
     * 0.797 → 1.000, is one it leaves out). A slot with an alternative that says no
     * such word keeps its n-grams' weight: 具身智能 OR 人形机器人 fell 1.000 → 0.743
     * when 人形机器人 alone was ranked by 机器人. */
    double worded_literal_weight;
    /* A pasted quotation is matched by this many of its words, the rarest (Xapian's
     * elite set): its source holds them, and the rest only cost time (DESIGN.md,
     * session 25: 16 → 10). */
    unsigned quotation_words;
    /* (Two neighbouring query words said together, 养老服务体系 for 养老 服务体系, as
     * a bonus of 0.5 lowered the natural half, 0.841 → 0.840: it favours generic
     * pairs such as 现代化建设. A word's literal weighed as one term (OP_SYNONYM)
     * lowered it to 0.838.) */
    /* (The fields add nothing to the rank of the tiers above: on bench/eval a
     * weight of 0.1 or 0.3 there lowered both halves.) */
} qry_rank;

/* The parameters in use. */
const qry_rank *qry_rank_default(void);

#endif
