/* cli.h — the glue between main() and the libraries: subcommand entry points and
 * the helpers they share (finding the dictionaries, reporting errors). */
#ifndef WENSOU_CLI_H
#define WENSOU_CLI_H

#include "seg.h"

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

int cmd_segment(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_inspect(int argc, char **argv);

#endif
