/* cmd_serve.c — `wensou serve [--db DIR] [--socket PATH] [--listen HOST:PORT]
 * [--allow-remote] [--http HOST:PORT] [--token-file FILE] [--cors-origin ORIGIN]
 * [--web DIR] [--workers N] [--query-timeout MS] [--max-memory MB] [--verbose]`:
 * the query daemon (server/srv.h). */
#include "cli.h"
#include "intl.h"
#include "srv.h"
#include "xsh.h"

#include <getopt.h>
#include <libgen.h>
#include <string.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs(_("usage: wensou serve [-d DIR] [--socket PATH] [--listen HOST:PORT] [--allow-remote] [--workers N]\n"
            "                    [--http HOST:PORT] [--token-file FILE] [--cors-origin ORIGIN] [--web DIR]\n"
            "                    [--query-timeout MS] [--max-memory MB] [--remote-shards] [--verbose]\n"
            "Answers newline-delimited JSON requests ({\"id\":1,\"op\":\"search\",\"q\":\"营商环境\"}, ping, stats)\n"
            "on a Unix socket (default ./wensou.sock, mode 0660) and, with --listen, on TCP.\n"
            "  -d, --db DIR         the index (default $WENSOU_DB, else ./wensou.db)\n"
            "      --socket PATH    the Unix socket (default ./wensou.sock)\n"
            "      --listen HOST:PORT  also TCP; only loopback unless --allow-remote (no authentication!)\n"
            "      --http HOST:PORT  also HTTP/1.1: the web page at /, /search, /documents, /health, /metrics\n"
            "      --token-file FILE  HTTP asks for \"Authorization: Bearer\" this file's token (needed beyond loopback)\n"
            "      --cors-origin ORIGIN  a web origin that may call HTTP from a browser (repeatable)\n"
            "      --web DIR        the web page's files (default: the installed ones)\n"
            "      --workers N      search threads (default: one per CPU)\n"
            "      --query-timeout MS  a search running longer is stopped with a timeout error (default 2000; 0: none)\n"
            "      --max-memory MB  answers held for all clients; past it large answers wait (default 128)\n"
            "      --remote-shards  DIR may be a shard set naming remote shards (xapian-tcpsrv): connect to them\n"
            "  -v, --verbose        one log line per request\n"
            "SIGINT/SIGTERM stop it cleanly; new commits of the index are seen at the next request.\n"), f);
}

/* The token in path's first line (16–255 printable ASCII characters, no space), into out. */
static int read_token(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f || !fgets(out, (int)cap, f)) {
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    out[strcspn(out, "\r\n")] = 0;
    size_t n = strlen(out);
    for (size_t i = 0; i < n; i++)
        if (out[i] <= ' ' || out[i] > '~')
            return -1;
    return n >= 16 && n < cap - 1 ? 0 : -1;
}

/* s as a whole number in [min, max] into *out: 0, or -1 when it is not one. */
static int whole_number(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long n = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || n < min || n > max)
        return -1;
    *out = n;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"socket", required_argument, 0, 's'},
        {"listen", required_argument, 0, 'l'}, {"allow-remote", no_argument, 0, 'r'},
        {"workers", required_argument, 0, 'w'}, {"query-timeout", required_argument, 0, 't'},
        {"max-memory", required_argument, 0, 'm'}, {"http", required_argument, 0, 'H'},
        {"token-file", required_argument, 0, 'T'}, {"cors-origin", required_argument, 0, 'C'},
        {"web", required_argument, 0, 'W'}, {"remote-shards", no_argument, 0, 'R'},
        {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    srv_config cfg;
    srv_config_defaults(&cfg);
    const char *db = NULL;
    cfg.socket_path = "wensou.sock";
    int c;
    unsigned long n;
    const char *token_file = NULL, *web = NULL;
    const char *origins[17] = {NULL};
    size_t norigins = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': cfg.socket_path = optarg; break;
        case 'l': cfg.listen_addr = optarg; break;
        case 'r': cfg.allow_remote = 1; break;
        case 'R': xsh_allow_remote_shards(1); break;
        case 'v': cfg.verbose = 1; break;
        case 'w':
            if (whole_number(optarg, 1, 1024, &n))
                return cli_usage_error("serve", _("--workers takes a number from 1 to 1024"));
            cfg.workers = (unsigned)n;
            break;
        case 't':
            if (whole_number(optarg, 0, 3600000, &n))
                return cli_usage_error("serve", _("--query-timeout takes milliseconds from 0 to 3600000"));
            cfg.query_timeout_ms = (unsigned)n;
            break;
        case 'm':
            if (whole_number(optarg, 1, 1048576, &n))
                return cli_usage_error("serve", _("--max-memory takes megabytes from 1 to 1048576"));
            cfg.memory_budget = (size_t)n << 20;
            break;
        case 'H': cfg.http_addr = optarg; break;
        case 'T': token_file = optarg; break;
        case 'W': web = optarg; break;
        case 'C':
            if (norigins == 16)
                return cli_usage_error("serve", _("--cors-origin is given at most 16 times"));
            origins[norigins++] = optarg;
            break;
        case 'h': usage(stdout); return CLI_OK;
        default: return cli_getopt_error("serve", c, optopt, argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error("serve", _("unexpected argument '%s'"), argv[optind]);
    cfg.cors_origins = norigins ? origins : NULL;
    char token[256], webdir[PATH_MAX];
    if (token_file) {
        if (read_token(token_file, token, sizeof token) != 0)
            return cli_usage_error("serve", _("--token-file %s: expected one line of 16 to 255 printable characters"),
                                   token_file);
        cfg.token = token;
    }
    if (web)
        cfg.web_dir = web;
    else if (cli_data_path("web/index.html", webdir, sizeof webdir))
        cfg.web_dir = dirname(webdir);
    char why[512];
    if (srv_config_check(&cfg, why, sizeof why) != 0)
        return cli_usage_error("serve", "%s", why);
    /* no index there yet is fine: requests get no_index until one is made */
    cfg.db_path = cli_db_path(db);
    seg_dict *dict = NULL;
    qry_synonyms *syn = NULL;
    if (cli_open_dict(1, &dict) != CLI_OK)
        return CLI_FAILED;
    if (cli_open_synonyms(dict, &syn) != CLI_OK) {
        seg_dict_close(dict);
        return CLI_FAILED;
    }
    cfg.dict = dict;
    cfg.syn = syn;
    /* an index that is there but cannot be opened (corrupt, another schema, a stub
     * naming remote databases) stops the daemon before it listens */
    qry_engine *probe = NULL;
    qry_err err = {0};
    if (qry_engine_open(cfg.db_path, dict, syn, &probe, &err) != 0) {
        fprintf(stderr, "wensou: %s\n", err.msg);
        qry_synonyms_free(syn);
        seg_dict_close(dict);
        return CLI_FAILED;
    }
    qry_engine_close(probe);
    /* the protocol's messages stay English whatever the locale (docs/INTERFACE.md) */
    setlocale(LC_MESSAGES, "C");
    int rc = srv_run(&cfg, why, sizeof why);
    if (rc)
        fprintf(stderr, "wensou: %s\n", why);
    qry_synonyms_free(syn);
    seg_dict_close(dict);
    return rc ? CLI_FAILED : CLI_OK;
}
