/* index_bytes.h — the bytes an index takes on disk. */
#ifndef WENSOU_INDEX_BYTES_H
#define WENSOU_INDEX_BYTES_H

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

/* The bytes of the index's files (a folder of them; a stub or file: its own); 0
 * when path is not there. */
static inline long long wensou_index_bytes(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return (long long)st.st_size;
    long long sum = 0;
    DIR *d = opendir(path);
    for (struct dirent *de; d && (de = readdir(d)) != NULL;) {
        char p[4096 + 256];
        int n = snprintf(p, sizeof p, "%s/%s", path, de->d_name);
        if (n > 0 && (size_t)n < sizeof p && stat(p, &st) == 0 && S_ISREG(st.st_mode))
            sum += (long long)st.st_size;
    }
    if (d)
        closedir(d);
    return sum;
}

#endif
