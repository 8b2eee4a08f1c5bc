/* intl.h — messages a person reads, translated through gettext (domain "wensou").
 * The command sets the locale and binds the domain (cli/locale.c); the libraries
 * only mark and look up their strings, so a library used without that stays English.
 * JSON keys and the daemon's protocol are never translated. */
#ifndef WENSOU_INTL_H
#define WENSOU_INTL_H

#include <libintl.h>

#define WENSOU_TEXT_DOMAIN "wensou"
#define _(s) dgettext(WENSOU_TEXT_DOMAIN, s)
#define N_(s) s                       /* marked for translation, looked up later */
#define P_(one, many, n) dngettext(WENSOU_TEXT_DOMAIN, one, many, n)

#endif
