/* cmd_search.c — `wensou search [-d DIR | --connect ADDR] [-n N] [--offset N]
 * [--per-doc N] [-j] [--color=WHEN] QUERY...`: ranked passages, as JSON for
 * scripts or as a view a person reads. */
#include "cli.h"
#include "intl.h"
#include "qry.h"
#include "xsh.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum {
    OPT_DB, OPT_CONNECT, OPT_LIMIT, OPT_OFFSET, OPT_PER_DOC, OPT_JSON, OPT_COLOR, OPT_REMOTE_SHARDS, OPT_HELP
} option_id;

/* The options, one row each: long name, short letter (0: none), takes a value. */
static const struct {
    const char *name;
    char letter;
    int takes_value;
    option_id id;
} options[] = {
    {"--db", 'd', 1, OPT_DB},         {"--connect", 0, 1, OPT_CONNECT}, {"--limit", 'n', 1, OPT_LIMIT},
    {"--offset", 0, 1, OPT_OFFSET},   {"--per-doc", 0, 1, OPT_PER_DOC}, {"--json", 'j', 0, OPT_JSON},
    {"--color", 0, 1, OPT_COLOR},     {"--remote-shards", 0, 0, OPT_REMOTE_SHARDS}, {"--help", 'h', 0, OPT_HELP},
};
#define NOPTIONS (sizeof options / sizeof options[0])

typedef struct {
    const char *db, *connect;
    qry_request req;
    int json, help;
    cli_color color;
} search_args;

static void usage(FILE *f)
{
    fputs(_("usage: wensou search [-d DIR | --connect ADDR] [-n N] [--offset N] [--per-doc N] [-j] [--color=WHEN] QUERY...\n"
            "Finds the passages that say what you ask. Words separated by spaces must all appear\n"
            "(passages with only some follow below); \"quoted phrase\" or “…”; -word excludes;\n"
            "A OR B; filters doc:NAME kind:KIND year:2020 year:2019..2021 section:WORD page:12.\n"
            "  -d, --db DIR        the index (default $WENSOU_DB, else ./wensou.db)\n"
            "      --connect ADDR  ask a running daemon (socket path or HOST:PORT) instead\n"
            "  -n, --limit N       passages to show (default 10)\n"
            "      --offset N      skip the first N\n"
            "      --per-doc N     at most N passages from one document\n"
            "  -j, --json          one JSON object (docs/INTERFACE.md)\n"
            "      --color WHEN    auto (default: on a terminal, unless NO_COLOR or TERM=dumb), always, never\n"
            "      --remote-shards  DIR may be a shard set naming remote shards (xapian-tcpsrv): connect to them\n"
            "A word that starts with - and looks like an option goes after --.\n"),
          f);
}

static int parse_count(const char *opt, const char *v, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (!*v || *end || errno || n > max || v[0] == '-' || v[0] == '+' || v[0] == ' ')
        return cli_usage_error("search", _("%s takes a whole number from 0 to %zu"), opt, max);
    *out = n;
    return CLI_OK;
}

static int set_option(search_args *a, option_id id, const char *name, const char *v)
{
    switch (id) {
    case OPT_DB: a->db = v; return CLI_OK;
    case OPT_CONNECT: a->connect = v; return CLI_OK;
    case OPT_LIMIT: return parse_count(name, v, QRY_MAX_LIMIT, &a->req.limit);
    case OPT_OFFSET: return parse_count(name, v, 1000000, &a->req.offset);
    case OPT_PER_DOC: return parse_count(name, v, 1000, &a->req.per_doc);
    case OPT_JSON: a->json = 1; return CLI_OK;
    case OPT_REMOTE_SHARDS: xsh_allow_remote_shards(1); return CLI_OK;
    case OPT_HELP: a->help = 1; return CLI_OK;
    case OPT_COLOR:
        return cli_color_parse(v, &a->color) == 0
                   ? CLI_OK
                   : cli_usage_error("search", _("--color takes auto, always or never, not '%s'"), v);
    }
    return CLI_USAGE;
}

static int is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Options may stand anywhere; every other argument is a query word, so -杭州
 * excludes. An option is --name[=value], or -X [value] for the letters above
 * (-n5 too); a lone -X of another letter is an unknown option, not a word. */
static int parse_args(int argc, char **argv, search_args *a, char **words, int *nwords)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *attached = NULL;
        size_t k = NOPTIONS;
        if (strcmp(arg, "--") == 0) {
            while (++i < argc)
                words[(*nwords)++] = argv[i];
            break;
        }
        if (strncmp(arg, "--", 2) == 0) {
            size_t len = strcspn(arg, "=");
            for (k = 0; k < NOPTIONS; k++)
                if (strlen(options[k].name) == len && strncmp(arg, options[k].name, len) == 0)
                    break;
            if (k == NOPTIONS)
                return cli_usage_error("search", _("unknown option %.*s"), (int)len, arg);
            if (arg[len] == '=') {
                if (!options[k].takes_value)
                    return cli_usage_error("search", _("%s takes no value"), options[k].name);
                attached = arg + len + 1;
            }
        } else if (arg[0] == '-' && is_ascii_letter(arg[1])) {
            for (k = 0; k < NOPTIONS; k++)
                if (options[k].letter == arg[1])
                    break;
            int numeric_tail = arg[2] && strspn(arg + 2, "0123456789") == strlen(arg + 2);
            if (k < NOPTIONS && arg[2] && !(options[k].id == OPT_LIMIT && numeric_tail))
                k = NOPTIONS;                       /* -jobs, -dog: words to exclude */
            else if (k < NOPTIONS && arg[2])
                attached = arg + 2;                 /* -n5 */
            if (k == NOPTIONS && !arg[2])
                return cli_usage_error("search", _("unknown option %s"), arg);
        }
        if (k == NOPTIONS) {
            words[(*nwords)++] = argv[i];
            continue;
        }
        const char *v = attached;
        if (options[k].takes_value && !v) {
            if (i + 1 >= argc)
                return cli_usage_error("search", _("%s needs a value"), arg);
            v = argv[++i];
        }
        int rc = set_option(a, options[k].id, options[k].name, v);
        if (rc != CLI_OK)
            return rc;
    }
    return CLI_OK;
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

/* No index where we would look: say where, why there, and how to make one. */
static int no_index(const char *db, const char *option)
{
    const char *why = option                ? _("given with --db")
                      : getenv("WENSOU_DB") ? _("from $WENSOU_DB")
                                            : _("the default: neither --db nor $WENSOU_DB was given");
    fprintf(stderr, _("wensou: search: no index at %s (%s); make one with 'wensou index --db %s PATH...'\n"), db, why,
            db);
    return CLI_FAILED;
}

static int search_locally(const char *db_option, const qry_request *req, qry_result **result)
{
    const char *db = cli_db_path(db_option);
    struct stat st;
    if (stat(db, &st) != 0)
        return no_index(db, db_option);
    seg_dict *dict = NULL;
    qry_synonyms *syn = NULL;
    qry_engine *e = NULL;
    qry_err err = {0};
    int status = cli_open_dict(1, &dict);
    if (status == CLI_OK)
        status = cli_open_synonyms(dict, &syn);
    if (status == CLI_OK) {
        int rc = qry_engine_open(db, dict, syn, &e, &err);
        if (!rc)
            rc = qry_search(e, req, result, &err);
        if (rc == QRY_EQUERY || rc == QRY_ETOOCOMPLEX)
            status = cli_usage_error("search", "%s", err.msg);
        else if (rc) {
            fprintf(stderr, "wensou: %s\n", err.msg);
            status = CLI_FAILED;
        }
    }
    qry_engine_close(e);
    qry_synonyms_free(syn);
    seg_dict_close(dict);
    return status;
}

int cmd_search(int argc, char **argv)
{
    search_args a = {.req = {NULL, 10, 0, 0, 0}, .color = CLI_COLOR_AUTO};
    int nwords = 0;
    char **words = calloc((size_t)argc + 1, sizeof *words);
    if (!words)
        return CLI_FAILED;
    int status = parse_args(argc, argv, &a, words, &nwords);
    if (status == CLI_OK && a.help) {
        usage(stdout);
        free(words);
        return CLI_OK;
    }
    if (status == CLI_OK && nwords == 0)
        status = cli_usage_error("search", _("no QUERY given"));
    if (status == CLI_OK && a.db && a.connect)
        status = cli_usage_error("search", _("--db and --connect do not go together"));
    char *q = status == CLI_OK ? join_args(nwords, words) : NULL;
    free(words);
    if (status != CLI_OK)
        return status;
    if (!q)
        return CLI_FAILED;
    a.req.q = q;
    /* the text a daemon sent, or the one writer's (query/result.c) of a search
     * here: --json prints it, the terminal view reads it */
    char *text = NULL;
    if (a.connect) {
        status = cli_remote_search(a.connect, &a.req, &text);
    } else {
        qry_result *result = NULL;
        status = search_locally(a.db, &a.req, &result);
        if (result && !(text = qry_result_text(result, NULL)))
            status = CLI_FAILED;
        qry_result_free(result);
    }
    json_t *shown = text && !a.json ? json_loads(text, 0, NULL) : NULL;
    if (text && a.json)
        puts(text);
    else if (shown)
        cli_render_results(stdout, shown, cli_color_enabled(a.color, STDOUT_FILENO));
    else if (text)
        status = CLI_FAILED;
    json_decref(shown);
    free(text);
    free(q);
    return status;
}
