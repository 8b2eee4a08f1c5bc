/* xmllib.h — libxml2, loaded the first time a Word or HTML file is read (with ICU
 * and the compressors behind it), not at every start of wensou: the few calls the
 * readers make, through one table. */
#ifndef WENSOU_XMLLIB_H
#define WENSOU_XMLLIB_H

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

typedef struct {
    xmlDocPtr (*read_memory)(const char *, int, const char *, const char *, int);
    htmlDocPtr (*html_read_memory)(const char *, int, const char *, const char *, int);
    xmlNodePtr (*root)(const xmlDoc *);
    void (*free_doc)(xmlDocPtr);
    xmlChar *(*content)(const xmlNode *);
    xmlFreeFunc *xml_free;       /* libxml2's xmlFree is a variable holding the function */
} idx_xmllib;

/* An attribute's value by its exact local name (w:val → "val"), or NULL. */
const char *idx_xml_attr(const xmlNode *n, const char *name);
/* Whether n is an element of that local name. */
int idx_xml_is(const xmlNode *n, const char *name);

/* The table, or NULL when libxml2 is not installed. Thread-safe. */
const idx_xmllib *idx_xmllib_get(void);

#endif
