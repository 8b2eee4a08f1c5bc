/* cmd_search.c — `wensou search [--db DIR | --connect ADDR] [--limit N] [--offset N]
 * [--per-doc N] [--json] QUERY...`: ranked passages, as JSON for scripts or as a
 * view a person reads. */
#include "cli.h"
#include "qry.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_count(const char *opt, const char *v, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (!*v || *end || errno || n > max || v[0] == '-') {
        char why[96];
        snprintf(why, sizeof why, "%s takes a whole number from 0 to %zu", opt, max);
        cli_error("search", why);
        return -1;
    }
    *out = n;
    return 0;
}

static void usage(FILE *f)
{
    fputs("usage: wensou search [--db DIR | --connect ADDR] [--limit N] [--offset N] [--per-doc N] [--json] QUERY...\n"
          "Finds the passages that say what you ask. Words separated by spaces must all appear\n"
          "(passages with only some follow below); \"quoted phrase\" or “…”; -word excludes;\n"
          "A OR B; filters doc:NAME kind:KIND year:2020 year:2019..2021 section:WORD.\n"
          "  --limit N     passages to show (default 10)\n"
          "  --offset N    skip the first N\n"
          "  --per-doc N   at most N passages from one document\n"
          "  --json        one JSON object (INTERFACE.md)\n", f);
}

/* The query words joined by spaces, malloc'd. */
static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *q = malloc(len);
    if (!q)
        return NULL;
    q[0] = 0;
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, argv[i]);
    }
    return q;
}

int cmd_search(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"connect", required_argument, 0, 'c'},
        {"limit", required_argument, 0, 'l'}, {"offset", required_argument, 0, 'o'},
        {"per-doc", required_argument, 0, 'p'}, {"json", no_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL, *connect = NULL;
    qry_request req = {NULL, 10, 0, 0};
    int json = 0, c;
    optind = 1;
    /* "+": options end at the first query word, so -杭州 later in a query excludes */
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'c': connect = optarg; break;
        case 'l': if (parse_count("--limit", optarg, QRY_MAX_LIMIT, &req.limit)) return CLI_USAGE; break;
        case 'o': if (parse_count("--offset", optarg, 1000000, &req.offset)) return CLI_USAGE; break;
        case 'p': if (parse_count("--per-doc", optarg, 1000, &req.per_doc)) return CLI_USAGE; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CLI_OK;
        default: usage(stderr); return CLI_USAGE;
        }
    }
    if (optind == argc) {
        cli_error("search", "no QUERY given (see wensou search --help)");
        return CLI_USAGE;
    }
    if (db && connect) {
        cli_error("search", "--db and --connect do not go together");
        return CLI_USAGE;
    }
    char *q = join_args(argc - optind, argv + optind);
    if (!q)
        return CLI_FAILED;
    req.q = q;
    json_t *result = NULL;
    int status = connect ? cli_remote_search(connect, &req, &result) : CLI_OK;
    if (!connect) {
        seg_dict *dict = NULL;
        qry_synonyms *syn = NULL;
        qry_engine *e = NULL;
        qry_err err = {0};
        status = cli_open_dict(1, &dict);
        if (status == CLI_OK) {
            char path[PATH_MAX];
            const char *sp = cli_resource_path("WENSOU_SYNONYMS", "dict/synonyms.txt", path, sizeof path);
            if (sp && access(sp, R_OK) != 0 && !getenv("WENSOU_SYNONYMS"))
                sp = NULL;                   /* no synonyms file beside the executable: none */
            int rc = qry_synonyms_load(sp, dict, &syn, &err);
            if (!rc)
                rc = qry_engine_open(cli_db_path(db), dict, syn, &e, &err);
            if (!rc)
                rc = qry_search(e, &req, &result, &err);
            if (rc) {
                fprintf(stderr, "wensou: %s\n", err.msg);
                status = rc == QRY_EQUERY ? CLI_USAGE : CLI_FAILED;
            }
        }
        qry_engine_close(e);
        qry_synonyms_free(syn);
        seg_dict_close(dict);
    }
    if (result) {
        if (json) {
            char *s = json_dumps(result, JSON_COMPACT);
            if (s)
                puts(s);
            free(s);
        } else {
            cli_render_results(stdout, result, isatty(STDOUT_FILENO));
        }
        json_decref(result);
    }
    free(q);
    return status;
}
