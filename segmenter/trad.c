/* trad.c — traditional → simplified folding through OpenCC's t2s configuration.
 * OpenCC is opened lazily, once per process, and only for text that holds a
 * character the compiled bitmap marks as one t2s changes: simplified text never
 * pays for it. 這個問題 → 这个问题 */
#include "seg_int.h"

#include <opencc/opencc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t opencc_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t opencc_lock = PTHREAD_MUTEX_INITIALIZER;
static opencc_t opencc_handle = (opencc_t)-1;

static void open_opencc(void)
{
    opencc_handle = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
}

int seg_trad_marked(const uint8_t *bitmap, int32_t cp)
{
    return cp >= 0 && cp < SEG_CP_LIMIT && (bitmap[cp >> 3] >> (cp & 7)) & 1;
}

/* Converts UTF-8 text with OpenCC and decodes the result into at most cap code
 * points. Returns the count, or -1 on failure. */
static long convert(const char *utf8, size_t len, int32_t *out, size_t cap)
{
    pthread_once(&opencc_once, open_opencc);
    if (opencc_handle == (opencc_t)-1)
        return -1;
    pthread_mutex_lock(&opencc_lock);
    char *res = opencc_convert_utf8(opencc_handle, utf8, len);
    pthread_mutex_unlock(&opencc_lock);
    if (!res)
        return -1;
    size_t n = 0, rlen = strlen(res);
    for (size_t i = 0; i < rlen;) {
        int32_t cp;
        int k = seg_utf8_decode((const unsigned char *)res + i, rlen - i, &cp);
        if (k == 0) { k = 1; }
        if (n < cap)
            out[n] = cp;
        n++;
        i += (size_t)k;
    }
    opencc_convert_utf8_free(res);
    return (long)n;
}

int seg_trad_fold(const uint8_t *bitmap, int32_t *cps, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (seg_trad_marked(bitmap, cps[i]))
            break;
    if (i == n)
        return 0;

    char *utf8 = malloc(n * 4 + 1);
    int32_t *conv = malloc((n + 1) * sizeof *conv);
    if (!utf8 || !conv) {
        free(utf8);
        free(conv);
        return SEG_ENOMEM;
    }
    size_t len = 0;
    for (i = 0; i < n; i++)
        len += (size_t)seg_utf8_encode(cps[i] < 0 ? 0xFFFD : cps[i], utf8 + len);
    int rc = 0;
    long got = convert(utf8, len, conv, n);
    if (got == (long)n) {
        /* phrase-aware conversion kept one character per character: take it */
        for (i = 0; i < n; i++)
            if (cps[i] >= 0)
                cps[i] = conv[i];
    } else if (got < 0) {
        rc = SEG_EOPENCC;
    } else {
        /* lengths differ: fold character by character so offsets stay exact */
        for (i = 0; i < n && rc == 0; i++) {
            if (!seg_trad_marked(bitmap, cps[i]))
                continue;
            int k = seg_utf8_encode(cps[i], utf8);
            int32_t one[4];
            long g = convert(utf8, (size_t)k, one, 4);
            if (g < 0)
                rc = SEG_EOPENCC;
            else if (g == 1)
                cps[i] = one[0];
        }
    }
    free(utf8);
    free(conv);
    return rc;
}
