/* env_count.h — a whole number from the environment, for the knobs documented in
 * docs/INTERFACE.md (WENSOU_EXACT_LIMIT, WENSOU_WIDE_POSTINGS, WENSOU_COMMIT_BYTES,
 * WENSOU_HALVES_BYTES). */
#ifndef WENSOU_ENV_COUNT_H
#define WENSOU_ENV_COUNT_H

#include <stddef.h>
#include <stdlib.h>

/* The decimal number in the environment variable name, or fallback when it is
 * unset, empty, not all digits (a sign included) or below least. */
static inline size_t wensou_env_count(const char *name, size_t fallback, size_t least)
{
    const char *v = getenv(name);
    char *end;
    unsigned long long n = v && *v ? strtoull(v, &end, 10) : 0;
    return v && *v && *v != '-' && !*end && n >= least ? (size_t)n : fallback;
}

#endif
