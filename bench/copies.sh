# copies.sh — sourced by the benchmarks. corpus_copies N DIR PREFIX [link|copy]: N
# copies of corpus/*.txt in DIR, named PREFIX<i>-<name> (i zero-padded to N's width),
# hard-linked (link, falling back to copies where the file system cannot link) or
# copied (copy: files of their own, as a user's would be), and a manifest.tsv that
# gives each copy its original's row: every copy is the corpus document it repeats
# (its title, date and kind), not a document without a manifest whose title is
# inferred from its text. Text sizes and file counts are those of DIR/*.txt.
corpus_copies() {
  local n=$1 dir=$2 prefix=$3 mode=${4:-copy} i f name
  mkdir -p "$dir"
  for i in $(seq -w 1 "$n"); do
    for f in corpus/*.txt; do
      name="$dir/$prefix$i-$(basename "$f")"
      if [ "$mode" = link ]; then ln "$f" "$name" 2>/dev/null || cp "$f" "$name"; else cp "$f" "$name"; fi
    done
  done
  awk -F'\t' -v OFS='\t' -v n="$n" -v p="$prefix" '
    NR == 1 { print; next }
    { rows[NR] = $0 }
    END {
      w = length(n "")
      for (i = 1; i <= n; i++)
        for (r = 2; r <= NR; r++) { split(rows[r], c, "\t"); c[1] = sprintf("%s%0*d-%s", p, w, i, c[1]); line = c[1]; for (k = 2; k <= length(c); k++) line = line OFS c[k]; print line }
    }' corpus/manifest.tsv > "$dir/manifest.tsv"
}
