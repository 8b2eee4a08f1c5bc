/* cmd_serve.c — `wensou serve [--db DIR] [--socket PATH] [--listen HOST:PORT]
 * [--allow-remote] [--workers N] [--verbose]`: the query daemon (query/srv.h). */
#include "cli.h"
#include "srv.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: wensou serve [--db DIR] [--socket PATH] [--listen HOST:PORT] [--allow-remote] [--workers N]\n"
          "                    [--verbose]\n"
          "Answers newline-delimited JSON requests ({\"id\":1,\"op\":\"search\",\"q\":\"营商环境\"}, ping, stats)\n"
          "on a Unix socket (default ./wensou.sock, mode 0660) and, with --listen, on TCP.\n"
          "  --listen HOST:PORT  also TCP; only loopback unless --allow-remote (no authentication!)\n"
          "  --workers N         search threads (default: one per CPU)\n"
          "  --verbose           one log line per request\n"
          "SIGINT/SIGTERM stop it cleanly; new commits of the index are seen at the next request.\n", f);
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'}, {"socket", required_argument, 0, 's'},
        {"listen", required_argument, 0, 'l'}, {"allow-remote", no_argument, 0, 'r'},
        {"workers", required_argument, 0, 'w'}, {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    srv_config cfg;
    srv_config_defaults(&cfg);
    const char *db = NULL;
    cfg.socket_path = "wensou.sock";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': cfg.socket_path = optarg; break;
        case 'l': cfg.listen_addr = optarg; break;
        case 'r': cfg.allow_remote = 1; break;
        case 'v': cfg.verbose = 1; break;
        case 'w': {
            char *end;
            unsigned long n = strtoul(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end || n < 1 || n > 1024) {
                cli_error("serve", "--workers takes a number from 1 to 1024");
                return CLI_USAGE;
            }
            cfg.workers = (unsigned)n;
            break;
        }
        case 'h': usage(stdout); return CLI_OK;
        default: usage(stderr); return CLI_USAGE;
        }
    }
    if (optind != argc) {
        cli_error("serve", "unexpected argument (see wensou serve --help)");
        return CLI_USAGE;
    }
    cfg.db_path = cli_search_db_path(db);
    seg_dict *dict = NULL;
    qry_synonyms *syn = NULL;
    if (cli_open_dict(1, &dict) != CLI_OK)
        return CLI_FAILED;
    char path[PATH_MAX];
    const char *sp = cli_resource_path("WENSOU_SYNONYMS", "dict/synonyms.txt", path, sizeof path);
    if (sp && access(sp, R_OK) != 0 && !getenv("WENSOU_SYNONYMS"))
        sp = NULL;
    qry_err err;
    if (qry_synonyms_load(sp, dict, &syn, &err) != 0) {
        fprintf(stderr, "wensou: %s\n", err.msg);
        seg_dict_close(dict);
        return CLI_FAILED;
    }
    cfg.dict = dict;
    cfg.syn = syn;
    char why[512];
    int rc = srv_run(&cfg, why, sizeof why);
    if (rc)
        fprintf(stderr, "wensou: %s\n", why);
    qry_synonyms_free(syn);
    seg_dict_close(dict);
    return rc ? CLI_FAILED : CLI_OK;
}
