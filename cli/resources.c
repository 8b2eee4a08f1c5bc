/* resources.c — finds the files the command needs beside the executable (the
 * compiled dictionary, the user dictionary), overridable by environment. */
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_error(const char *what, const char *why)
{
    fprintf(stderr, "wensou: %s: %s\n", what, why);
}

/* dir/name where dir is the directory holding the running executable. */
static int beside_exe(const char *name, char *out, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    return snprintf(out, cap, "%s/%s", exe, name) < (int)cap ? 0 : -1;
}

const char *cli_resource_path(const char *env, const char *name, char *buf, size_t cap)
{
    const char *v = getenv(env);
    if (v && *v)
        return v;
    return beside_exe(name, buf, cap) == 0 ? buf : NULL;
}

int cli_open_dict(int with_user, seg_dict **out)
{
    char base_buf[PATH_MAX], user_buf[PATH_MAX];
    const char *base = cli_resource_path("WENSOU_DICT", "dict/jieba.wsd", base_buf, sizeof base_buf);
    const char *user = with_user ? cli_resource_path("WENSOU_USER_DICT", "dict/userdict.txt", user_buf, sizeof user_buf) : NULL;
    if (!base) {
        cli_error("dictionary", "cannot find dict/jieba.wsd beside the executable; set WENSOU_DICT");
        return CLI_FAILED;
    }
    seg_err err = {0};
    int rc = seg_dict_open(base, user, out, &err);
    if (rc) {
        fprintf(stderr, "wensou: %s\n", err.msg[0] ? err.msg : seg_strerror(rc));
        return CLI_FAILED;
    }
    return CLI_OK;
}

const char *cli_db_path(const char *option)
{
    if (option && *option)
        return option;
    const char *env = getenv("WENSOU_DB");
    return env && *env ? env : "wensou.db";
}

const char *cli_search_db_path(const char *option)
{
    static char buf[PATH_MAX];
    const char *p = cli_db_path(option);
    struct stat st;
    if ((option && *option) || getenv("WENSOU_DB") || stat(p, &st) == 0)
        return p;
    if (beside_exe("corpus.db", buf, sizeof buf) == 0 && stat(buf, &st) == 0)
        return buf;
    return p;
}

