# Sourced by the benchmarks: summaries of figures given as "v1 v2 ..." (any order).

# stats VALUES [DECIMALS] [WIDTH]: "min X  median X  max X", each X printed with
# DECIMALS (default 1) in WIDTH (default 9) characters; the median of an even
# count is its upper middle figure.
stats() { echo "$1" | tr ' ' '\n' | grep . | sort -g | awk -v d="${2:-1}" -v w="${3:-9}" '{a[NR]=$1} END {f = "%" w "." d "f"; printf "min " f "  median " f "  max " f, a[1], a[int((NR+1)/2)], a[NR]}'; }

# median VALUES: the median figure, as it was given.
median() { echo "$1" | tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
