/* mkpdf.c — test helper: writes a PDF with Chinese text from known content, so
 * tests know which text is on which page. Page i (from 0) holds the line
 * "第N页的内容：PAGE_TEXT" where N = FIRST_LABEL + i, under a running header and
 * over a running footer, and carries the printed page label N.
 * usage: mkpdf OUT.pdf PAGES FIRST_LABEL [--no-text]
 *        mkpdf OUT.pdf --typeset TEXT_FILE
 *        mkpdf OUT.pdf --columns TEXT_FILE
 * The second form typesets a report as a printer would: each line of TEXT_FILE a
 * paragraph, justified, its first line indented two characters, flowing over
 * pages under a running header and over a "- N -" footer. The third sets it in two
 * columns, as a newspaper does; a line "|" ends a column early. */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void line(cairo_t *cr, const char *text, double y)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *f = pango_font_description_from_string("Noto Sans CJK SC 11");
    pango_layout_set_font_description(l, f);
    pango_layout_set_width(l, 450 * PANGO_SCALE);
    pango_layout_set_wrap(l, PANGO_WRAP_CHAR);
    pango_layout_set_text(l, text, -1);
    cairo_move_to(cr, 72, y);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(f);
    g_object_unref(l);
}

/* One line of text at (x, y). */
static void show_text(cairo_t *cr, const PangoFontDescription *font, const char *text, double x, double y)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    pango_layout_set_font_description(l, font);
    pango_layout_set_text(l, text, -1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
}

/* TEXT_FILE's paragraphs set over as many pages (and columns, 1 or 2) as they take. */
static int typeset(const char *out, const char *text_file, int columns)
{
    double width = columns == 2 ? 215 : 450;
    int column = 0;
    FILE *f = fopen(text_file, "rb");
    if (!f)
        return 2;
    cairo_surface_t *s = cairo_pdf_surface_create(out, 595, 842);
    cairo_t *cr = cairo_create(s);
    PangoFontDescription *font = pango_font_description_from_string("Noto Sans CJK SC 11");
    int page = 1;
    double y = 90, bottom = 770;
    char para[8192], label[32];
    while (fgets(para, sizeof para, f)) {
        para[strcspn(para, "\r\n")] = 0;
        if (!para[0])
            continue;
        if (strcmp(para, "|") == 0) {          /* the next column */
            y = bottom + 1;
            continue;
        }
        PangoLayout *l = pango_cairo_create_layout(cr);
        pango_layout_set_font_description(l, font);
        pango_layout_set_width(l, (int)width * PANGO_SCALE);
        pango_layout_set_wrap(l, PANGO_WRAP_CHAR);
        pango_layout_set_justify(l, TRUE);
        pango_layout_set_indent(l, 22 * PANGO_SCALE);
        pango_layout_set_text(l, para, -1);
        for (int i = 0; i < pango_layout_get_line_count(l); i++) {
            if (y > bottom && column + 1 < columns) {  /* the next column */
                column++;
                y = 90;
            } else if (y > bottom) {           /* the footer, then a new page */
                snprintf(label, sizeof label, "- %d -", page++);
                show_text(cr, font, label, 280, 810);
                cairo_show_page(cr);
                y = 90;
                column = 0;
            }
            if (y == 90 && column == 0)
                show_text(cr, font, "政府工作报告", 250, 40);
            cairo_move_to(cr, 72 + column * (width + 20) + (i == 0 ? 22 : 0), y);
            pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(l, i));
            y += 20;
        }
        y += 4;
        g_object_unref(l);
    }
    snprintf(label, sizeof label, "- %d -", page);
    show_text(cr, font, label, 280, 810);
    cairo_show_page(cr);
    fclose(f);
    pango_font_description_free(font);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[2], "--typeset") == 0)
        return typeset(argv[1], argv[3], 1);
    if (argc == 4 && strcmp(argv[2], "--columns") == 0)
        return typeset(argv[1], argv[3], 2);
    if (argc < 4)
        return 2;
    int pages = atoi(argv[2]), first = atoi(argv[3]), no_text = argc > 4 && strcmp(argv[4], "--no-text") == 0;
    cairo_surface_t *s = cairo_pdf_surface_create(argv[1], 595, 842);
    cairo_t *cr = cairo_create(s);
    for (int i = 0; i < pages; i++) {
        char label[16], body[512];
        snprintf(label, sizeof label, "%d", first + i);
        cairo_pdf_surface_set_page_label(s, label);
        if (no_text) {
            cairo_rectangle(cr, 72, 72, 300, 200 + 10 * i);
            cairo_fill(cr);
        } else {
            line(cr, "柯桥区政府工作报告（测试版）", 40);
            snprintf(body, sizeof body, "第%d页的内容：柯桥区推进营商环境优化，第%d页的段落说明政策。", first + i, first + i);
            line(cr, i == 0 ? "一、总体要求" : "二、主要任务", 100);
            line(cr, body, 140);
            snprintf(body, sizeof body, "- %d -", first + i);
            line(cr, body, 800);
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return bad;
}
