/* messages.c — what the command says to a person on stderr: one-line errors,
 * usage errors with the hint to --help, and the language they are in (gettext,
 * from the locale: Chinese under LANG=zh_CN.UTF-8, English otherwise). */
#include "cli.h"
#include "intl.h"

#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_error(const char *what, const char *why)
{
    fprintf(stderr, "wensou: %s: %s\n", what, why);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    fprintf(stderr, "wensou: %s%s%s\n", command ? command : "", command ? ": " : "", why);
    if (command)
        fprintf(stderr, _("Try 'wensou %s --help' for more information.\n"), command);
    else
        fputs(_("Try 'wensou --help' for more information.\n"), stderr);
    return CLI_USAGE;
}

int cli_getopt_error(const char *command, int c, int optopt_char, const char *arg)
{
    if (arg && strncmp(arg, "--", 2) == 0) {             /* a long option: name it as typed */
        int len = (int)strcspn(arg, "=");
        return c == ':' ? cli_usage_error(command, _("%.*s needs a value"), len, arg)
                        : cli_usage_error(command, _("unknown option %.*s"), len, arg);
    }
    return c == ':' ? cli_usage_error(command, _("-%c needs a value"), optopt_char)
                    : cli_usage_error(command, _("unknown option -%c"), optopt_char);
}

/* The locale's language as the environment names it (LC_ALL, LC_MESSAGES, LANG). */
static const char *env_language(void)
{
    static const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

void cli_i18n_init(void)
{
    if (!setlocale(LC_ALL, "")) {
        /* The named locale is not installed (a container, say): keep UTF-8 and
         * the asked-for language for messages; gettext honours LANGUAGE when the
         * locale is not plain "C". */
        setlocale(LC_ALL, "C.UTF-8");
        const char *lang = env_language();
        const char *language = getenv("LANGUAGE");
        if (lang && strncmp(lang, "C", 1) != 0 && strncmp(lang, "POSIX", 5) != 0 && !(language && *language))
            setenv("LANGUAGE", lang, 1);
    }
    setlocale(LC_NUMERIC, "C");             /* "1.5 MB/s", never "1,5" */
    char dir[PATH_MAX];
    if (cli_locale_dir(dir, sizeof dir))
        bindtextdomain(WENSOU_TEXT_DOMAIN, dir);
    bind_textdomain_codeset(WENSOU_TEXT_DOMAIN, "UTF-8");
}
