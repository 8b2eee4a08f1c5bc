/* read.c — bytes → UTF-8 text with a map back to the source bytes. UTF-8 with or
 * without BOM is used as it is; GB18030/GBK (common for Chinese government files)
 * is converted with iconv one character at a time so every character keeps its
 * source offset; binary files and other encodings are refused. */
#include "idx_int.h"
#include "intl.h"

#include <iconv.h>
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

static int decode_gb18030(const char *bytes, size_t len, idx_text *out)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
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
    for (size_t i = 0; i < len;) {
        size_t n = gb18030_len((const unsigned char *)bytes + i, len - i);
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
    out->encoding = "gb18030";
    return 0;
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
        int rc = decode_gb18030(bytes, len, out);
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
