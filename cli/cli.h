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
/* A usage error: `wensou: COMMAND: why` and `Try 'wensou COMMAND --help' …` on
 * stderr (COMMAND may be NULL); returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The usage error for what getopt_long (optstring starting with ':') returned:
 * c is ':' (missing value) or '?' (unknown), optopt_char getopt's optopt, arg the
 * argument it stopped at (argv[optind - 1]). Returns CLI_USAGE. */
int cli_getopt_error(const char *command, int c, int optopt_char, const char *arg);
/* Sets the locale from the environment and binds the message catalogue. */
void cli_i18n_init(void);

typedef enum { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER } cli_color;
/* "auto", "always" or "never" into *out; -1 for anything else. */
int cli_color_parse(const char *v, cli_color *out);
/* Whether output to fd gets colour: auto means a terminal, TERM not dumb, NO_COLOR unset. */
int cli_color_enabled(cli_color when, int fd);

/* Opens the segmenter's dictionaries: $WENSOU_DICT or dict/jieba.wsd in the data
 * folder, and (when with_user) $WENSOU_USER_DICT or dict/userdict.txt.
 * On failure prints the error and returns CLI_FAILED. */
int cli_open_dict(int with_user, seg_dict **out);
/* Loads $WENSOU_SYNONYMS or dict/synonyms.txt in the data folder, and the related
 * expressions of $WENSOU_RELATED or dict/related.txt (none found: none). On failure
 * prints the error and returns CLI_FAILED. */
int cli_open_synonyms(seg_dict *dict, qry_synonyms **out);

/* The index directory: --db, else $WENSOU_DB, else ./wensou.db. */
const char *cli_db_path(const char *option);

/* A data file (name relative to the data folder) into buf: under $WENSOU_DATA when
 * set, else beside the executable, else <exe dir>/../share/wensou, else the
 * configured data folder. NULL when it is in none of them. */
const char *cli_data_path(const char *name, char *buf, size_t cap);
/* The folder of the message catalogues (…/locale) by the same rule; NULL if none. */
const char *cli_locale_dir(char *buf, size_t cap);
/* A resource file: $env, else cli_data_path(name). */
const char *cli_resource_path(const char *env, const char *name, char *buf, size_t cap);
/* A fingerprint of the dictionaries cli_open_dict loads (64 hex digits): part of
 * each indexed file's fingerprint, so editing the user dictionary re-indexes. */
int cli_dict_fingerprint(char out[65]);

/* Prints a search result the way a person reads it: matches in bold when color,
 * else marked 【】; each hit's location as PATH:LINE. */
void cli_render_results(FILE *f, json_t *result, int color);

/* Sends req to a running daemon (a socket path or HOST:PORT) and gives its result's
 * JSON text (malloc'd); prints the error and returns CLI_FAILED (CLI_USAGE for a
 * request the daemon calls the client's fault) otherwise. */
int cli_remote_search(const char *addr, const qry_request *req, char **text);

int cmd_segment(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_inspect(int argc, char **argv);

#endif
