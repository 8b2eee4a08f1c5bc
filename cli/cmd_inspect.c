/* cmd_inspect.c — `wensou inspect [--text] FILE...`: the document model as JSON
 * lines ({"doc": …} then one line per passage), or with --text the text that the
 * passages' start/end index. */
#include "cli.h"
#include "intl.h"
#include "doc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_json_line(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT);
    if (s) {
        puts(s);
        free(s);
    }
}

static int inspect_file(const char *path, int text_only)
{
    idx_doc *d;
    idx_err err = {0};
    if (idx_doc_load(path, &d, &err) != 0) {
        fprintf(stderr, "wensou: %s\n", err.msg);
        return CLI_FAILED;
    }
    if (text_only) {
        if (d->extracted) {
            fwrite(d->extracted, 1, d->extracted_len, stdout);
        } else {
            FILE *f = fopen(d->path, "rb");
            char buf[65536];
            size_t n;
            while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
                fwrite(buf, 1, n, stdout);
            if (f)
                fclose(f);
        }
        idx_doc_free(d);
        return CLI_OK;
    }
    json_t *doc = json_pack("{s:o}", "doc", idx_doc_json(d));
    print_json_line(doc);
    json_decref(doc);
    for (size_t i = 0; i < d->npassages; i++) {
        json_t *p = idx_passage_json(d, &d->passages[i]);
        print_json_line(p);
        json_decref(p);
    }
    idx_doc_free(d);
    return CLI_OK;
}

int cmd_inspect(int argc, char **argv)
{
    static const struct option opts[] = {{"text", no_argument, 0, 't'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int text_only = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 't': text_only = 1; break;
        case 'h':
            fputs(_("usage: wensou inspect [--text] FILE...\n"
                    "Prints each file's document model as JSON lines: a {\"doc\": …} line, then one line per\n"
                    "passage (file, title, date, kind, section, page, page_end, page_source, start, end, line, text).\n"
                    "  --text   print the text that passages' start/end index instead\n"), stdout);
            return CLI_OK;
        default:
            return cli_getopt_error("inspect", c, optopt, argv[optind - 1]);
        }
    }
    if (optind == argc)
        return cli_usage_error("inspect", _("no FILE given"));
    int status = CLI_OK;
    for (int i = optind; i < argc; i++)
        if (inspect_file(argv[i], text_only) != CLI_OK)
            status = CLI_FAILED;
    return status;
}
