/* formats.c — the file formats as one table that the folder walk (which files to
 * take), detection (magic bytes, then the extension) and dispatch all read, and
 * the formats wensou knows it cannot read, each with what to do about it. */
#include "doc.h"
#include "intl.h"

#include <string.h>
#include <strings.h>

typedef struct {
    idx_format format;
    const char *magic;           /* first bytes, or NULL */
    size_t magic_len;
    const char *extensions[4];   /* lower case, with the dot; matched in any case */
} format_row;

static const format_row formats[] = {
    {IDX_FORMAT_PDF, "%PDF-", 5, {".pdf"}},
    {IDX_FORMAT_DOCX, "PK\x03\x04", 4, {".docx"}},
    {IDX_FORMAT_HTML, NULL, 0, {".html", ".htm", ".shtml", ".xhtml"}},
    {IDX_FORMAT_TEXT, NULL, 0, {".txt", ".text", ".md"}},
};

typedef struct {
    const char *extensions[8];
    const char *reason;
} unread_row;

static const unread_row unread[] = {
    {{".doc"}, N_("old Word format: convert it to .docx")},
    {{".wps", ".wpt"}, N_("WPS format: save it as .docx")},
    {{".rtf"}, N_("RTF: save it as .docx or .txt")},
    {{".ofd"}, N_("OFD format: export it as PDF")},
    {{".xls", ".xlsx", ".et", ".csv"}, N_("a spreadsheet")},
    {{".ppt", ".pptx", ".dps"}, N_("slides")},
    {{".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp"}, N_("an image: wensou reads text, not pictures")},
    {{".zip", ".rar", ".7z", ".gz", ".tar"}, N_("an archive: unpack it first")},
};

/* Whether name ends in one of exts (any case). */
static int has_extension(const char *name, const char *const *exts, size_t n)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < n && exts[i]; i++)
        if (strcasecmp(dot, exts[i]) == 0)
            return 1;
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

idx_format idx_format_detect(const char *name, const char *bytes, size_t len)
{
    for (size_t i = 0; i < COUNT(formats); i++)
        if (formats[i].magic && len >= formats[i].magic_len && memcmp(bytes, formats[i].magic, formats[i].magic_len) == 0)
            return formats[i].format;
    for (size_t i = 0; i < COUNT(formats); i++)
        if (has_extension(name, formats[i].extensions, COUNT(formats[i].extensions)))
            return formats[i].format;
    return IDX_FORMAT_TEXT;
}

int idx_format_listed(const char *name)
{
    for (size_t i = 0; i < COUNT(formats); i++)
        if (has_extension(name, formats[i].extensions, COUNT(formats[i].extensions)))
            return 1;
    return 0;
}

const char *idx_format_skip_reason(const char *name)
{
    for (size_t i = 0; i < COUNT(unread); i++)
        if (has_extension(name, unread[i].extensions, COUNT(unread[i].extensions)))
            return _(unread[i].reason);
    return _("not a format wensou reads (text, PDF, Word .docx)");
}
