/* xmllib.c — libxml2 through dlopen, once (doc_int.h, "libxml2"). */

#include "doc_int.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

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
    void (*init_parser)(void);
    *(void **)&init_parser = dlsym(x, "xmlInitParser");
#undef SYM
    if (loaded && init_parser)
        init_parser();                 /* before threads parse (two writers' readers do) */
}

const idx_xmllib *idx_xmllib_get(void)
{
    pthread_once(&once, load);
    return loaded ? &lib : NULL;
}

const char *idx_xml_attr(const xmlNode *n, const char *name)
{
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

int idx_xml_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}
