/* cli.h — the glue between main() and the libraries: subcommand entry points and
 * the helpers they share (finding the dictionaries, reporting errors). */
#ifndef WENSOU_CLI_H
#define WENSOU_CLI_H

#include "seg.h"
#include "qry.h"

#include <jansson.h>
#include <stdio.h>

#define CLI_OK 0
#define CLI_FAILED 1     /* the command ran but something failed */
#define CLI_USAGE 2      /* bad usage */

/* Prints `wensou: what: why` to stderr. */
void cli_error(const char *what, const char *why);

/* Opens the segmenter's dictionaries: $WENSOU_DICT or <exe dir>/dict/jieba.wsd,
 * and (when with_user) $WENSOU_USER_DICT or <exe dir>/dict/userdict.txt.
 * On failure prints the error and returns CLI_FAILED. */
int cli_open_dict(int with_user, seg_dict **out);

/* The index directory: --db, else $WENSOU_DB, else ./wensou.db. */
const char *cli_db_path(const char *option);
/* For searching: the same, but when none is given and ./wensou.db does not exist,
 * the index of corpus/ that the build puts beside the executable. */
const char *cli_search_db_path(const char *option);

/* A resource file: $env, else <exe dir>/name; NULL when neither can be formed. */
const char *cli_resource_path(const char *env, const char *name, char *buf, size_t cap);

/* Prints a search result the way a person reads it; bold matches when tty. */
void cli_render_results(FILE *f, json_t *result, int tty);

/* Sends req to a running daemon (a socket path or HOST:PORT) and returns its result
 * object; prints the error and returns CLI_FAILED otherwise. */
int cli_remote_search(const char *addr, const qry_request *req, json_t **result);

int cmd_segment(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_inspect(int argc, char **argv);

#endif
