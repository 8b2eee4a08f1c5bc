/* fuzz_docx.c — libFuzzer target for the Word reader and the model of its text.
 * An input whose first byte is even is the body of word/document.xml, packed into
 * a .docx here (so mutations reach the XML, not only zip checksums); one whose
 * first byte is odd is the .docx file itself (the zip container, bombs included).
 * doc_checks.h says what must hold. */
#include "doc_checks.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
    "wordprocessingml.document.main+xml\"/></Types>";

/* A .docx (malloc'd) holding xml as its document part. */
static char *pack(const uint8_t *xml, size_t len, size_t *out_len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        abort();
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!z)
        abort();
    zip_file_add(z, "[Content_Types].xml", zip_source_buffer(z, content_types, sizeof content_types - 1, 0), 0);
    zip_file_add(z, "word/document.xml", zip_source_buffer(z, xml, len, 0), 0);
    if (zip_close(z) != 0 || zip_source_open(src) != 0)
        abort();
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t n = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    char *bytes = malloc(n > 0 ? (size_t)n : 1);
    if (!bytes || zip_source_read(src, bytes, (zip_uint64_t)n) != n)
        abort();
    zip_source_close(src);
    zip_source_free(src);
    *out_len = (size_t)n;
    return bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t len = size - 1;
    char *bytes = (data[0] & 1) ? NULL : pack(data + 1, size - 1, &len);
    const char *docx = bytes ? bytes : (const char *)data + 1;
    fuzz_model("/fuzz/input.docx", docx, len);
    free(bytes);
    return 0;
}
