/* color.c — whether to decorate output with colour: --color=auto|always|never, and
 * for auto a terminal that is not TERM=dumb, with NO_COLOR unset (no-color.org). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_color_parse(const char *v, cli_color *out)
{
    static const struct { const char *name; cli_color when; } names[] = {
        {"auto", CLI_COLOR_AUTO}, {"always", CLI_COLOR_ALWAYS}, {"never", CLI_COLOR_NEVER}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(v, names[i].name) == 0) {
            *out = names[i].when;
            return 0;
        }
    return -1;
}

int cli_color_enabled(cli_color when, int fd)
{
    if (when != CLI_COLOR_AUTO)
        return when == CLI_COLOR_ALWAYS;
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    if (no_color && *no_color)
        return 0;
    if (term && strcmp(term, "dumb") == 0)
        return 0;
    return isatty(fd);
}
