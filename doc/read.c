/* read.c — bytes → UTF-8 text with a map back to the source bytes. UTF-8 with or
 * without BOM is used as it is. GB18030/GBK (common for Chinese government files),
 * Big5 (told from GB18030 by uchardet; its traditional characters are folded to
 * simplified in the index terms, as every text's are) and UTF-16 (with a BOM, or
 * without one when a byte order reads as text) are converted with iconv one
 * character at a time, so every character keeps its source offset. Binary files and
 * other encodings are refused. */
#include "doc_int.h"
#include "intl.h"

#include <iconv.h>
#include <strings.h>
#include <uchardet/uchardet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int idx_fail(idx_err *err, int code, const char *path, const char *why)
{
    if (err) {
        err->code = code;
        snprintf(err->msg, sizeof err->msg, "%s: %s", path ? path : "?", why ? why : idx_strerror(code));
    }
    return code;
}

const char *idx_strerror(int code)
{
    switch (code) {
    case IDX_EOK: return _("success");
    case IDX_ENOMEM: return _("out of memory");
    case IDX_EIO: return _("cannot read file");
    case IDX_EENCODING: return _("not UTF-8 or GB18030 text");
    case IDX_EBINARY: return _("binary file, not text");
    case IDX_EEMPTY: return _("empty file (no text to index)");
    case IDX_EFORMAT: return _("cannot read this document format");
    case IDX_ETOOBIG: return _("file too large");
    }
    return _("unknown error");
}

/* Length of the GB18030 character at b, or 0 when it is not one. */
static size_t gb18030_len(const unsigned char *b, size_t left)
{
    if (b[0] < 0x80)
        return 1;
    if (b[0] == 0x80 || b[0] == 0xFF || left < 2)
        return 0;
    if (b[1] >= 0x40 && b[1] <= 0xFE && b[1] != 0x7F)
        return 2;
    if (b[1] >= 0x30 && b[1] <= 0x39 && left >= 4 && b[2] >= 0x81 && b[2] <= 0xFE && b[3] >= 0x30 && b[3] <= 0x39)
        return 4;
    return 0;
}

/* Length of the Big5 (HKSCS) character at b, or 0 when it is not one. */
static size_t big5_len(const unsigned char *b, size_t left)
{
    if (b[0] < 0x80)
        return 1;
    if (b[0] < 0x81 || b[0] == 0xFF || left < 2)
        return 0;
    return (b[1] >= 0x40 && b[1] <= 0x7E) || (b[1] >= 0xA1 && b[1] <= 0xFE) ? 2 : 0;
}

/* Whether uchardet takes the bytes (their first 64 KiB) for Big5. */
static int is_big5(const char *bytes, size_t len)
{
    uchardet_t ud = uchardet_new();
    if (!ud)
        return 0;
    uchardet_handle_data(ud, bytes, len < 65536 ? len : 65536);
    uchardet_data_end(ud);
    const char *cs = uchardet_get_charset(ud);
    int big5 = cs && strncasecmp(cs, "BIG5", 4) == 0;
    uchardet_delete(ud);
    return big5;
}

/* Length of the UTF-16 character at b (2, or 4 for a surrogate pair), 0 when none. */
static size_t utf16_len(const unsigned char *b, size_t left, int big_endian)
{
    if (left < 2)
        return 0;
    unsigned u = big_endian ? (unsigned)(b[0] << 8 | b[1]) : (unsigned)(b[1] << 8 | b[0]);
    if (u >= 0xD800 && u <= 0xDBFF)
        return left >= 4 ? 4 : 0;
    return u >= 0xDC00 && u <= 0xDFFF ? 0 : 2;
}

static size_t utf16le_len(const unsigned char *b, size_t left) { return utf16_len(b, left, 0); }
static size_t utf16be_len(const unsigned char *b, size_t left) { return utf16_len(b, left, 1); }

/* bytes[skip, len) in charset → UTF-8, one character (char_len bytes) at a time so
 * each keeps its source offset. */
static int decode_charset(const char *bytes, size_t len, size_t skip, const char *charset, const char *name,
                          size_t (*char_len)(const unsigned char *, size_t), idx_text *out)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return IDX_EENCODING;
    char *s = malloc(len * 2 + 4);
    size_t *orig = malloc((len * 2 + 4) * sizeof *orig);
    if (!s || !orig) {
        free(s);
        free(orig);
        iconv_close(cd);
        return IDX_ENOMEM;
    }
    size_t o = 0;
    int rc = 0;
    for (size_t i = skip; i < len;) {
        size_t n = char_len((const unsigned char *)bytes + i, len - i);
        if (n == 0) {
            rc = IDX_EENCODING;
            break;
        }
        char *in = (char *)bytes + i, *op = s + o;
        size_t inleft = n, outleft = 8;
        if (iconv(cd, &in, &inleft, &op, &outleft) == (size_t)-1 || inleft != 0) {
            rc = IDX_EENCODING;
            break;
        }
        for (size_t k = o; k < (size_t)(op - s); k++)
            orig[k] = i;
        o = (size_t)(op - s);
        i += n;
    }
    iconv_close(cd);
    if (rc) {
        free(s);
        free(orig);
        return rc;
    }
    s[o] = 0;
    orig[o] = len;
    out->s = s;
    out->len = o;
    out->orig = orig;
    out->base = 0;
    out->encoding = name;                 /* as `inspect` shows it */
    return 0;
}

/* Whether decoded text is mostly Chinese, printable ASCII and line ends (a guessed
 * encoding that gives anything else was a wrong guess). */
static int looks_like_text(const idx_text *t)
{
    size_t good = 0, all = 0;
    for (size_t i = 0; i < t->len;) {
        int n;
        int32_t cp = idx_cp_at(t->s, t->len, i, &n);
        good += idx_is_cjk(cp) || (cp >= 0x20 && cp < 0x7F) || cp == '\n' || cp == '\r' || cp == '\t' || idx_is_space(cp);
        all++;
        i += (size_t)n;
    }
    return all > 0 && good * 10 >= all * 9;
}

/* UTF-16 by its BOM (*skip 2), or, without one, a guess (*skip 0) when it has NULs
 * (its ASCII characters and line ends hold them, mostly on odd offsets in
 * little-endian text): the likelier byte order first. NULL: not UTF-16. */
static const char *utf16_charset(const char *bytes, size_t len, size_t probe, size_t nul, size_t *skip,
                                 const char **other)
{
    *skip = 2;
    *other = NULL;
    if (len >= 2 && memcmp(bytes, "\xFF\xFE", 2) == 0)
        return "UTF-16LE";
    if (len >= 2 && memcmp(bytes, "\xFE\xFF", 2) == 0)
        return "UTF-16BE";
    *skip = 0;
    if (len % 2 || nul == 0)
        return NULL;
    size_t odd = 0;
    for (size_t i = 1; i < probe; i += 2)
        odd += !bytes[i];
    int le = odd * 2 >= nul;
    *other = le ? "UTF-16BE" : "UTF-16LE";
    return le ? "UTF-16LE" : "UTF-16BE";
}

/* bytes as UTF-16 of that byte order; without a BOM only when the result reads as
 * text. 0, IDX_ENOMEM, or IDX_EENCODING (not this). */
static int decode_utf16(const char *bytes, size_t len, size_t skip, const char *charset, idx_text *out)
{
    int le = strcmp(charset, "UTF-16LE") == 0;
    int rc = decode_charset(bytes, len, skip, charset, le ? "utf-16le" : "utf-16be", le ? utf16le_len : utf16be_len, out);
    if (rc == 0 && !skip && !looks_like_text(out)) {
        idx_text_free(out);
        memset(out, 0, sizeof *out);
        rc = IDX_EENCODING;
    }
    return rc;
}

int idx_text_decode(const char *bytes, size_t len, idx_text *out, const char *path, idx_err *err)
{
    memset(out, 0, sizeof *out);
    if (len == 0)
        return idx_fail(err, IDX_EEMPTY, path, NULL);
    if (len > IDX_MAX_FILE_BYTES)
        return idx_fail(err, IDX_ETOOBIG, path, _("file too large (over 256 MiB)"));

    size_t nul = 0, ctrl = 0, invalid = 0, probe = len < 65536 ? len : 65536;
    for (size_t i = 0; i < probe; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c == 0)
            nul++;
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            ctrl++;
    }
    size_t skip;
    const char *other, *utf16 = utf16_charset(bytes, len, probe, nul, &skip, &other);
    if (utf16) {
        int rc = decode_utf16(bytes, len, skip, utf16, out);
        if (rc == IDX_EENCODING && other)
            rc = decode_utf16(bytes, len, skip, other, out);
        if (rc == 0)
            return 0;
        if (rc == IDX_ENOMEM || skip)
            return idx_fail(err, rc, path, rc == IDX_EENCODING ? _("not valid UTF-16 text") : NULL);
    }
    if (nul * 100 > probe || (nul + ctrl) * 20 > probe)
        return idx_fail(err, IDX_EBINARY, path, NULL);

    size_t bom = (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    for (size_t i = bom; i < len;) {
        int n;
        if (idx_cp_at(bytes, len, i, &n) < 0)
            invalid++;
        i += (size_t)n;
    }
    if (invalid > 0 && !bom) {
        /* Big5 text decodes as GB18030 too, into nonsense: uchardet tells them apart */
        int big5 = is_big5(bytes, len);
        int rc = big5 ? decode_charset(bytes, len, 0, "BIG5-HKSCS", "big5", big5_len, out)
                      : decode_charset(bytes, len, 0, "GB18030", "gb18030", gb18030_len, out);
        if (rc == 0)
            return 0;
        if (rc == IDX_ENOMEM)
            return idx_fail(err, rc, path, NULL);
    }
    if (invalid > 8 && invalid * 1000 > len)
        return idx_fail(err, IDX_EENCODING, path, NULL);

    /* UTF-8: the text is the file's bytes after the BOM; the few invalid bytes and
     * NULs become spaces so offsets stay identical */
    out->len = len - bom;
    out->s = malloc(out->len + 1);
    if (!out->s)
        return idx_fail(err, IDX_ENOMEM, path, NULL);
    memcpy(out->s, bytes + bom, out->len);
    out->s[out->len] = 0;
    for (size_t i = 0; i < out->len;) {
        int n;
        if (idx_cp_at(out->s, out->len, i, &n) < 0 || out->s[i] == 0)
            out->s[i] = ' ';
        i += (size_t)n;
    }
    out->base = bom;
    out->encoding = "utf-8";
    return 0;
}

void idx_text_free(idx_text *t)
{
    if (!t)
        return;
    free(t->s);
    free(t->orig);
    memset(t, 0, sizeof *t);
}
