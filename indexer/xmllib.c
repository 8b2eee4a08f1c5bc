/* xmllib.c — libxml2 through dlopen, once (see xmllib.h). */
#include "xmllib.h"

#include <dlfcn.h>
#include <pthread.h>

static idx_xmllib lib;
static int loaded;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *x = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!x)
        x = dlopen("libxml2.so", RTLD_NOW | RTLD_LOCAL);
    if (!x)
        return;
#define SYM(field, name) (*(void **)&lib.field = dlsym(x, name))
    loaded = SYM(read_memory, "xmlReadMemory") && SYM(html_read_memory, "htmlReadMemory")
        && SYM(root, "xmlDocGetRootElement") && SYM(free_doc, "xmlFreeDoc") && SYM(content, "xmlNodeGetContent")
        && SYM(xml_free, "xmlFree");
#undef SYM
}

const idx_xmllib *idx_xmllib_get(void)
{
    pthread_once(&once, load);
    return loaded ? &lib : NULL;
}
