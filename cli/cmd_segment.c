/* cmd_segment.c — `wensou segment`: one output line per input line, the tokens
 * joined by " / ", or a JSON array of {token, start, end[, norm]} per line. */
#include "cli.h"
#include "intl.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    FILE *out;
    const char *line;
    int json;
    int first;
    json_t *array;
} line_out;

static int print_token(void *ctx, const seg_token *t)
{
    line_out *o = ctx;
    if (o->json) {
        json_t *tok = json_stringn(o->line + t->start, t->end - t->start);
        if (!tok)                                   /* an invalid byte */
            tok = json_string("\xEF\xBF\xBD");
        json_t *obj = json_pack("{s:o, s:I, s:I}", "token", tok, "start", (json_int_t)t->start,
                                "end", (json_int_t)t->end);
        if (t->normalised)
            json_object_set_new(obj, "norm", json_stringn(t->norm, t->norm_len));
        if (t->sub)
            json_object_set_new(obj, "sub", json_true());
        json_array_append_new(o->array, obj);
        return 0;
    }
    if (!o->first)
        fputs(" / ", o->out);
    o->first = 0;
    fwrite(o->line + t->start, 1, t->end - t->start, o->out);
    return 0;
}

static int segment_stream(FILE *in, const char *name, seg_state *st, enum seg_mode mode,
                          unsigned flags, int json)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int status = CLI_OK;
    while ((got = getline(&line, &cap, in)) >= 0) {
        size_t len = (size_t)got;
        if (len && line[len - 1] == '\n')
            len--;
        line_out o = {stdout, line, json, 1, json ? json_array() : NULL};
        int rc = seg_cut(st, line, len, mode, flags, print_token, &o);
        if (rc < 0) {
            cli_error(name, seg_strerror(rc));
            status = CLI_FAILED;
        }
        if (json) {
            char *s = json_dumps(o.array, JSON_ENCODE_ANY);
            if (s)
                fputs(s, stdout);
            free(s);
            json_decref(o.array);
        }
        putchar('\n');
    }
    if (ferror(in)) {
        cli_error(name, strerror(errno));
        status = CLI_FAILED;
    }
    free(line);
    return status;
}

static void usage(FILE *f)
{
    fputs(_("usage: wensou segment [--mode accurate|search] [--no-hmm] [--no-user-dict] [-j] [FILE...]\n"
            "Cuts Chinese text into words, one output line per input line (stdin when no FILE).\n"
            "      --mode accurate   tokens tile the text (default)\n"
            "      --mode search     also the shorter dictionary words inside long words\n"
            "      --no-hmm          no HMM for unknown words\n"
            "      --no-user-dict    only jieba's base dictionary\n"
            "  -j, --json            a JSON array of {token, start, end[, norm]} per line\n"), f);
}

int cmd_segment(int argc, char **argv)
{
    static const struct option opts[] = {
        {"mode", required_argument, 0, 'm'}, {"no-hmm", no_argument, 0, 'H'},
        {"no-user-dict", no_argument, 0, 'U'}, {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    enum seg_mode mode = SEG_MODE_ACCURATE;
    unsigned flags = 0;
    int json = 0, with_user = 1, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":jh", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (strcmp(optarg, "accurate") == 0)
                mode = SEG_MODE_ACCURATE;
            else if (strcmp(optarg, "search") == 0)
                mode = SEG_MODE_SEARCH;
            else
                return cli_usage_error("segment", _("--mode takes accurate or search, not '%s'"), optarg);
            break;
        case 'H': flags |= SEG_FLAG_NO_HMM; break;
        case 'U': with_user = 0; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CLI_OK;
        default: return cli_getopt_error("segment", c, optopt, argv[optind - 1]);
        }
    }
    seg_dict *d;
    if (cli_open_dict(with_user, &d) != CLI_OK)
        return CLI_FAILED;
    seg_state *st;
    if (seg_state_new(d, &st) != 0) {
        cli_error("segment", seg_strerror(SEG_ENOMEM));
        seg_dict_close(d);
        return CLI_FAILED;
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    int status = CLI_OK;
    if (optind == argc) {
        status = segment_stream(stdin, "stdin", st, mode, flags, json);
    } else {
        for (int i = optind; i < argc; i++) {
            FILE *f = fopen(argv[i], "rb");
            if (!f) {
                cli_error(argv[i], strerror(errno));
                status = CLI_FAILED;
                continue;
            }
            if (segment_stream(f, argv[i], st, mode, flags, json) != CLI_OK)
                status = CLI_FAILED;
            fclose(f);
        }
    }
    if (fflush(stdout) != 0)
        status = CLI_FAILED;
    seg_state_free(st);
    seg_dict_close(d);
    return status;
}
