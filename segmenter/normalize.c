/* normalize.c — the per-character folding every indexed and query token goes
 * through: full-width forms → ASCII, Latin → lower case; and jieba's notion of
 * whitespace. Traditional → simplified (OpenCC) lives in trad.c. */
#include "seg_int.h"

int32_t seg_fold_char(int32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + ('a' - 'A');
    if (cp >= 0xFF01 && cp <= 0xFF5E) {          /* Ｒ＆Ｄ → r&d, ２０２０ → 2020 */
        cp -= 0xFEE0;
        return (cp >= 'A' && cp <= 'Z') ? cp + ('a' - 'A') : cp;
    }
    if (cp == 0x3000)                            /* ideographic space */
        return ' ';
    return cp;
}

int seg_is_space(int32_t cp)
{
    if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F))
        return 1;
    switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
        return 1;
    }
    return cp >= 0x2000 && cp <= 0x200A;
}
