/* main.c — `wensou`: one executable, subcommands. Parses the command word and
 * hands over; each subcommand lives in its own cmd_*.c. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"segment", cmd_segment, "cut Chinese text into words"},
    {"inspect", cmd_inspect, "show a file's passages, sections and pages as JSON lines"},
    {"index", cmd_index, "add files and folders to the index (incremental)"},
    {"search", cmd_search, "find the passages that say something"},
    {"serve", cmd_serve, "answer searches over a Unix socket or TCP (a daemon)"},
};

static void usage(FILE *f)
{
    fputs("usage: wensou COMMAND [OPTIONS] [ARGS]\n"
          "wensou (文搜) — full-text search for Chinese policy documents.\n\ncommands:\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n`wensou COMMAND --help` describes a command; `wensou --version` prints the version.\n", f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("wensou %s\n", WENSOU_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    cli_error(argv[1], "unknown command (see wensou --help)");
    return CLI_USAGE;
}
