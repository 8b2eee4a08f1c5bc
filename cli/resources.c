/* resources.c — finds the files the command needs: the compiled dictionary, the
 * user dictionary, the synonyms and the translations. Each is looked for in
 * $WENSOU_DATA, else beside the executable (the build tree), else under the prefix
 * it is installed in (<exe dir>/../share/wensou, then the configured data dir). */
#include "cli.h"
#include "intl.h"

#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef WENSOU_DATADIR
#define WENSOU_DATADIR "/usr/local/share/wensou"
#endif
#ifndef WENSOU_LOCALEDIR
#define WENSOU_LOCALEDIR "/usr/local/share/locale"
#endif

/* The directory holding the running executable, into out; -1 when unknown. */
static int exe_dir(char *out, size_t cap)
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
    return snprintf(out, cap, "%s", exe) < (int)cap ? 0 : -1;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The first of n candidate folders (any may be NULL) that holds name, with
 * folder/name in buf; NULL when none does. */
static const char *first_holding(const char *const *folders, size_t n, const char *name, char *buf, size_t cap)
{
    for (size_t i = 0; i < n; i++)
        if (folders[i] && snprintf(buf, cap, "%s/%s", folders[i], name) < (int)cap && exists(buf))
            return buf;
    return NULL;
}

/* Where data of kind `sub` may lie, in order: $WENSOU_DATA/sub alone when set,
 * else <exe dir>/sub, <exe dir>/../share/sub, then the configured folder. */
static const char *find_data(const char *beside, const char *shared, const char *configured, const char *name,
                             char *buf, size_t cap)
{
    char dir[PATH_MAX] = "", a[PATH_MAX + 64], b[PATH_MAX + 64], e[PATH_MAX + 64];
    const char *env = getenv("WENSOU_DATA");
    if (env && *env) {
        snprintf(e, sizeof e, "%s%s", env, beside);
        const char *only[] = {e};
        return first_holding(only, 1, name, buf, cap);
    }
    int have_exe = exe_dir(dir, sizeof dir) == 0;
    snprintf(a, sizeof a, "%s%s", dir, beside);
    snprintf(b, sizeof b, "%s/../share/%s", dir, shared);
    const char *folders[] = {have_exe ? a : NULL, have_exe ? b : NULL, configured};
    return first_holding(folders, sizeof folders / sizeof folders[0], name, buf, cap);
}

const char *cli_data_path(const char *name, char *buf, size_t cap)
{
    return find_data("", "wensou", WENSOU_DATADIR, name, buf, cap);
}

const char *cli_locale_dir(char *buf, size_t cap)
{
    static const char mo[] = "zh_CN/LC_MESSAGES/wensou.mo";
    if (!find_data("/locale", "locale", WENSOU_LOCALEDIR, mo, buf, cap))
        return NULL;
    buf[strlen(buf) - sizeof mo] = 0;          /* the folder, without /zh_CN/… */
    return buf;
}

const char *cli_resource_path(const char *env, const char *name, char *buf, size_t cap)
{
    const char *v = getenv(env);
    if (v && *v)
        return v;
    return cli_data_path(name, buf, cap);
}

int cli_open_dict(int with_user, seg_dict **out)
{
    char base_buf[PATH_MAX], user_buf[PATH_MAX];
    const char *base = cli_resource_path("WENSOU_DICT", "dict/jieba.wsd", base_buf, sizeof base_buf);
    const char *user = with_user ? cli_resource_path("WENSOU_USER_DICT", "dict/userdict.txt", user_buf, sizeof user_buf) : NULL;
    if (!base) {
        cli_error(_("dictionary"), _("cannot find dict/jieba.wsd beside the executable or under its prefix; "
                                     "set WENSOU_DATA"));
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

/* Feeds sum with a file: all of it when small, else its size and its first and last
 * 64 KiB (the compiled dictionary is 15 MB; any rebuild of it changes those). */
static void checksum_file(GChecksum *sum, const char *path)
{
    enum { PART = 65536 };
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        g_checksum_update(sum, (const guchar *)"-", 1);
        return;
    }
    struct stat st;
    long long size = fstat(fileno(f), &st) == 0 ? (long long)st.st_size : -1;
    char buf[PART], sz[32];
    snprintf(sz, sizeof sz, "%lld\n", size);
    g_checksum_update(sum, (const guchar *)sz, (gssize)strlen(sz));
    size_t n = fread(buf, 1, sizeof buf, f);
    g_checksum_update(sum, (const guchar *)buf, (gssize)n);
    if (size > 2 * PART && fseek(f, -PART, SEEK_END) == 0) {
        n = fread(buf, 1, sizeof buf, f);
        g_checksum_update(sum, (const guchar *)buf, (gssize)n);
    } else if (size > PART) {
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            g_checksum_update(sum, (const guchar *)buf, (gssize)n);
    }
    fclose(f);
}

int cli_dict_fingerprint(char out[65])
{
    char base_buf[PATH_MAX], user_buf[PATH_MAX];
    const char *base = cli_resource_path("WENSOU_DICT", "dict/jieba.wsd", base_buf, sizeof base_buf);
    const char *user = cli_resource_path("WENSOU_USER_DICT", "dict/userdict.txt", user_buf, sizeof user_buf);
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    if (!sum)
        return CLI_FAILED;
    checksum_file(sum, base);
    checksum_file(sum, user);
    snprintf(out, 65, "%s", g_checksum_get_string(sum));
    g_checksum_free(sum);
    return CLI_OK;
}

int cli_open_synonyms(seg_dict *dict, qry_synonyms **out)
{
    char path[PATH_MAX];
    const char *sp = cli_resource_path("WENSOU_SYNONYMS", "dict/synonyms.txt", path, sizeof path);
    char rpath[PATH_MAX];
    const char *rp = cli_resource_path("WENSOU_RELATED", "dict/related.txt", rpath, sizeof rpath);
    qry_err err = {0};
    if (qry_synonyms_load(sp, dict, out, &err) != 0                 /* none installed: none */
        || qry_synonyms_add_related(*out, rp, dict, &err) != 0) {
        fprintf(stderr, "wensou: %s\n", err.msg);
        qry_synonyms_free(*out);
        *out = NULL;
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
