/* main.c — `wensou`: one executable, subcommands. Sets the language of messages,
 * parses the command word and hands over; each subcommand lives in its own cmd_*.c. */
#include "cli.h"
#include "intl.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"segment", cmd_segment, N_("cut Chinese text into words")},
    {"inspect", cmd_inspect, N_("show a file's passages, sections and pages as JSON lines")},
    {"index", cmd_index, N_("add files and folders to the index (incremental)")},
    {"search", cmd_search, N_("find the passages that say something")},
    {"serve", cmd_serve, N_("answer searches over a Unix socket or TCP (a daemon)")},
};

static void usage(FILE *f)
{
    fputs(_("usage: wensou COMMAND [OPTIONS] [ARGS]\n"
            "wensou (文搜) — full-text search for Chinese policy documents.\n\ncommands:\n"), f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
    fputs(_("\n`wensou COMMAND --help` describes a command; `wensou --version` prints the version;\n"
            "`man wensou` has the query language, the protocol and the files.\n"), f);
}

int main(int argc, char **argv)
{
    cli_i18n_init();
    if (argc < 2)
        return cli_usage_error(NULL, _("no COMMAND given"));
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("wensou %s\n", WENSOU_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (argv[1][0] == '-')
        return cli_usage_error(NULL, _("unknown option %s"), argv[1]);
    return cli_usage_error(NULL, _("unknown command '%s'"), argv[1]);
}
