/* cmd_search.c — `wensou search [--db DIR | --connect ADDR] [--limit N] [--offset N]
 * [--per-doc N] [--json] QUERY...`: ranked passages, as JSON for scripts or as a
 * view a person reads. */
#include "cli.h"
#include "qry.h"

#include <errno.h>
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

/* The value of --name=value or of the next argument; NULL (and an error) if none. */
static const char *option_value(const char *arg, const char *name, int argc, char **argv, int *i)
{
    size_t n = strlen(name);
    if (arg[n] == '=')
        return arg + n + 1;
    if (*i + 1 < argc)
        return argv[++*i];
    char why[64];
    snprintf(why, sizeof why, "%s needs a value", name);
    cli_error("search", why);
    return NULL;
}

int cmd_search(int argc, char **argv)
{
    const char *db = NULL, *connect = NULL;
    qry_request req = {NULL, 10, 0, 0};
    int json = 0, nwords = 0;
    char **words = calloc((size_t)argc + 1, sizeof *words);
    if (!words)
        return CLI_FAILED;
    /* Options (--name[=value]) may stand anywhere; every other argument is a query
     * word, so -杭州 excludes (there are no short options); "--" ends the options. */
    int status = CLI_OK;
    for (int i = 1; i < argc && status == CLI_OK; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--") == 0) {
            while (++i < argc)
                words[nwords++] = argv[i];
            break;
        }
        if (strncmp(a, "--", 2) != 0) {
            words[nwords++] = argv[i];
            continue;
        }
#define IS(opt) (strncmp(a, opt, strlen(opt)) == 0 && (a[strlen(opt)] == 0 || a[strlen(opt)] == '='))
        if (IS("--db"))
            status = (db = option_value(a, "--db", argc, argv, &i)) ? CLI_OK : CLI_USAGE;
        else if (IS("--connect"))
            status = (connect = option_value(a, "--connect", argc, argv, &i)) ? CLI_OK : CLI_USAGE;
        else if (IS("--limit"))
            status = (v = option_value(a, "--limit", argc, argv, &i)) && !parse_count("--limit", v, QRY_MAX_LIMIT, &req.limit) ? CLI_OK : CLI_USAGE;
        else if (IS("--offset"))
            status = (v = option_value(a, "--offset", argc, argv, &i)) && !parse_count("--offset", v, 1000000, &req.offset) ? CLI_OK : CLI_USAGE;
        else if (IS("--per-doc"))
            status = (v = option_value(a, "--per-doc", argc, argv, &i)) && !parse_count("--per-doc", v, 1000, &req.per_doc) ? CLI_OK : CLI_USAGE;
        else if (strcmp(a, "--json") == 0)
            json = 1;
        else if (strcmp(a, "--help") == 0) {
            usage(stdout);
            free(words);
            return CLI_OK;
        } else {
            char why[128];
            snprintf(why, sizeof why, "unknown option %s (see wensou search --help)", a);
            cli_error("search", why);
            status = CLI_USAGE;
        }
#undef IS
    }
    if (status != CLI_OK) {
        free(words);
        return status;
    }
    if (nwords == 0) {
        cli_error("search", "no QUERY given (see wensou search --help)");
        free(words);
        return CLI_USAGE;
    }
    if (db && connect) {
        cli_error("search", "--db and --connect do not go together");
        free(words);
        return CLI_USAGE;
    }
    char *q = join_args(nwords, words);
    free(words);
    if (!q)
        return CLI_FAILED;
    req.q = q;
    json_t *result = NULL;
    if (connect)
        status = cli_remote_search(connect, &req, &result);
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
                rc = qry_engine_open(cli_search_db_path(db), dict, syn, &e, &err);
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
            char *s = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(6));
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
