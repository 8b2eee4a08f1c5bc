/* fuzz_manifest.c — libFuzzer target for the manifest: any bytes as manifest.tsv or
 * manifest.csv (the first byte chooses) beside a document, read whole (libcsv,
 * encodings) and applied to the document's metadata (doc_checks.h says what must
 * hold of the document). */
#include "doc_checks.h"
#include "doc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        strcpy(dir, "/tmp/wensou-fuzz-manifest-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    char tsv[128], csv[128], doc[128];
    snprintf(tsv, sizeof tsv, "%s/manifest.tsv", dir);
    snprintf(csv, sizeof csv, "%s/manifest.csv", dir);
    snprintf(doc, sizeof doc, "%s/a.txt", dir);
    unlink(tsv);
    unlink(csv);
    int as_csv = size > 0 && (data[0] & 1);
    FILE *f = fopen(as_csv ? csv : tsv, "wb");
    if (!f)
        abort();
    if (size > 1)
        fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    char *entry = idx_manifest_entry(doc);
    if (entry && !strchr(entry, '\n'))        /* an entry is a header line and a row */
        abort();
    free(entry);
    static const char text[] = "柯桥区政府工作报告\n\n各位代表：\n\n现在，我代表区人民政府向大会报告工作。\n";
    fuzz_model(doc, text, sizeof text - 1);
    return 0;
}
