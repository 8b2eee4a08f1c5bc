/* run.h — test helpers: run the real wensou binary (stdin from a buffer, stdout and
 * stderr captured whole, exit status returned) and read and write whole files. */
#ifndef WENSOU_TEST_RUN_H
#define WENSOU_TEST_RUN_H

#include <stddef.h>

typedef struct {
    int status;        /* exit status, or 128 + signal */
    char *out, *err;   /* NUL-terminated, malloc'd */
    size_t out_len, err_len;
} run_result;

/* Runs argv (argv[0] is looked up as given) with env entries ("K=V", NULL-ended,
 * added to the environment; may be NULL) and input on stdin. */
run_result run_cmd(char *const argv[], char *const env[], const char *input, size_t input_len);
/* run_cmd for the wensou binary under test: arguments after input, NULL-ended. */
run_result run_args(const char *input, ...);
/* The same with env entries ("K=V", NULL-ended) added to the environment. */
run_result run_env_args(char *const env[], const char *input, ...);
void run_free(run_result *r);

/* A whole file, NUL-terminated, malloc'd; aborts the test when it cannot be read. */
char *test_slurp(const char *path, size_t *len);
/* Writes len bytes to path, replacing it; aborts the test when it cannot be written. */
void test_write(const char *path, const char *bytes, size_t len);

#endif
