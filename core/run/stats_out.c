/* stats_out.c - `cablex stats` for people: the aligned text table (a
 * two-way cross-tab as a matrix) and the SVG chart, a document that stands
 * on its own (axes, tick labels, legend, title; no script, no external
 * style). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_internal.h"

/* The distinct values of dimension i of t's keys, in first-seen order of
 * t->sorted, with their totals (a one-dimension table). */
static int margin(const struct stats_tab *t, int i, struct stats_tab *m) {
  memset(m, 0, sizeof *m);
  m->ndims = 1;
  m->dims[0] = t->dims[i];
  char part[1024];
  for (size_t r = 0; r < t->n; r++) {
    const char *k = t->sorted[r]->key;
    for (int j = 0; j < i; j++) {
      const char *us = strchr(k, '\x1f');
      k = us ? us + 1 : "";
    }
    size_t n = strcspn(k, "\x1f");
    if (n >= sizeof part) n = sizeof part - 1;
    memcpy(part, k, n);
    part[n] = '\0';
    if (stats_tab_count(m, part, t->sorted[r]->count) != CX_OK) return CX_FATAL;
  }
  return stats_tab_sort(m);
}

static void margin_free(struct stats_tab *m) {
  for (size_t i = 0; i < m->cap; i++)
    free(m->slot[i].key);
  free(m->slot);
  free(m->sorted);
}

static int digits(unsigned long n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    d++;
  }
  return d;
}

/* ---- values as text ----
 * A value may hold anything a reader let through (a tag from JSON may carry
 * a newline or an escape sequence), so the text table shows control
 * characters and bytes that are not UTF-8 as \xHH, and pads by characters,
 * not bytes; the SVG chart shows such bytes as U+FFFD. */

/* The length of the character at s: 1 for ASCII, a well-formed UTF-8
 * sequence's (cx_utf8_check: no overlong forms, no surrogates), or 0 when
 * s[0] starts none.  s is NUL-terminated; a sequence never runs into the
 * US between values or the NUL, as neither is a continuation byte. */
static size_t char_len(const unsigned char *s) {
  if (s[0] < 0x80) return 1;
  bool ok;
  size_t k = cx_utf8_check(s, &ok);
  return ok ? k : 0;
}

/* Whether the character at s (len bytes) is one a terminal acts on: C0,
 * DEL, C1. */
static bool is_control(const unsigned char *s, size_t len) {
  return (len == 1 && (s[0] < 0x20 || s[0] == 0x7f)) || (len == 2 && s[0] == 0xc2 && s[1] < 0xa0);
}

/* Writes the first n bytes of s as the text table shows them (out NULL:
 * only counts) and returns how many columns that takes. */
static int text_value(FILE *out, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  int cols = 0;
  for (size_t i = 0; i < n;) {
    size_t len = char_len(u + i);
    if (!len || is_control(u + i, len)) {
      for (size_t k = 0; k < (len ? len : 1); k++) {
        if (out) fprintf(out, "\\x%02x", u[i + k]);
        cols += 4;
      }
      i += len ? len : 1;
      continue;
    }
    if (out) fwrite(u + i, 1, len, out);
    cols++;
    i += len;
  }
  return cols;
}

static int text_width(const char *s) {
  return text_value(NULL, s, strlen(s));
}

/* s in a column of width w: left-aligned, or right-aligned when right. */
static void text_cell(FILE *out, const char *s, size_t n, int w, bool right) {
  int pad = w - text_value(NULL, s, n);
  if (right) fprintf(out, "%*s", pad > 0 ? pad : 0, "");
  text_value(out, s, n);
  if (!right) fprintf(out, "%*s", pad > 0 ? pad : 0, "");
}

/* rows x columns of a two-way table, with row totals */
static int print_matrix(const struct stats_tab *t, FILE *out) {
  struct stats_tab rows, cols;
  if (margin(t, 0, &rows) != CX_OK || margin(t, 1, &cols) != CX_OK) return CX_FATAL;
  int w0 = (int)strlen(stats_dim_name(t->dims[0]));
  for (size_t r = 0; r < rows.n; r++)
    if (text_width(rows.sorted[r]->key) > w0) w0 = text_width(rows.sorted[r]->key);
  int *w = calloc(cols.n + 1, sizeof *w);
  char *key = malloc(4096);
  if (!w || !key) {
    free(w);
    free(key);
    margin_free(&rows);
    margin_free(&cols);
    return CX_FATAL;
  }
  fprintf(out, "%-*s", w0, stats_dim_name(t->dims[0]));
  for (size_t c = 0; c < cols.n; c++) {
    w[c] = text_width(cols.sorted[c]->key);
    if (digits(cols.sorted[c]->count) > w[c]) w[c] = digits(cols.sorted[c]->count);
    fputs("  ", out);
    text_cell(out, cols.sorted[c]->key, strlen(cols.sorted[c]->key), w[c], true);
  }
  w[cols.n] = 5; /* "total" */
  for (size_t r = 0; r < rows.n; r++)
    if (digits(rows.sorted[r]->count) > w[cols.n]) w[cols.n] = digits(rows.sorted[r]->count);
  fprintf(out, "  %*s\n", w[cols.n], "total");
  for (size_t r = 0; r < rows.n; r++) {
    text_cell(out, rows.sorted[r]->key, strlen(rows.sorted[r]->key), w0, false);
    for (size_t c = 0; c < cols.n; c++) {
      snprintf(key, 4096, "%s\x1f%s", rows.sorted[r]->key, cols.sorted[c]->key);
      fprintf(out, "  %*lu", w[c], stats_tab_get(t, key));
    }
    fprintf(out, "  %*lu\n", w[cols.n], rows.sorted[r]->count);
  }
  free(w);
  free(key);
  margin_free(&rows);
  margin_free(&cols);
  return CX_OK;
}

int stats_print_text(const struct cxr_stats *s, const struct stats_tab *t, FILE *out) {
  (void)s;
  if (t->ndims == 2) return print_matrix(t, out);
  int w[STATS_NDIMS] = {0};
  int wc = 6; /* "cables" */
  for (int d = 0; d < t->ndims; d++)
    w[d] = (int)strlen(stats_dim_name(t->dims[d]));
  for (size_t r = 0; r < t->n; r++) {
    const char *k = t->sorted[r]->key;
    for (int d = 0; d < t->ndims; d++) {
      size_t n = strcspn(k, "\x1f");
      if (text_value(NULL, k, n) > w[d]) w[d] = text_value(NULL, k, n);
      k += n + (k[n] ? 1 : 0);
    }
    if (digits(t->sorted[r]->count) > wc) wc = digits(t->sorted[r]->count);
  }
  for (int d = 0; d < t->ndims; d++)
    fprintf(out, "%-*s  ", w[d], stats_dim_name(t->dims[d]));
  fprintf(out, "%*s\n", wc, "cables");
  for (size_t r = 0; r < t->n; r++) {
    const char *k = t->sorted[r]->key;
    for (int d = 0; d < t->ndims; d++) {
      size_t n = strcspn(k, "\x1f");
      text_cell(out, k, n, w[d], false);
      fputs("  ", out);
      k += n + (k[n] ? 1 : 0);
    }
    fprintf(out, "%*lu\n", wc, t->sorted[r]->count);
  }
  return CX_OK;
}

/* ---- SVG ---- */

static void xml_text(FILE *out, const char *s) {
  for (; *s; s++) {
    size_t len = char_len((const unsigned char *)s);
    if (!len) {
      fputs("\xef\xbf\xbd", out); /* U+FFFD */
      continue;
    }
    if (len > 1) {
      if (!is_control((const unsigned char *)s, len)) fwrite(s, 1, len, out);
      s += len - 1;
      continue;
    }
    switch (*s) {
    case '&':
      fputs("&amp;", out);
      break;
    case '<':
      fputs("&lt;", out);
      break;
    case '>':
      fputs("&gt;", out);
      break;
    case '"':
      fputs("&quot;", out);
      break;
    default:
      if (!is_control((const unsigned char *)s, 1) || *s == '\t') putc(*s, out);
    }
  }
}

/* A tick step of 1, 2 or 5 times a power of ten giving at most 8 ticks. */
static unsigned long tick_step(unsigned long max) {
  unsigned long step = 1;
  for (;;) {
    for (int m = 0; m < 3; m++) {
      unsigned long s = step * (m == 0 ? 1 : m == 1 ? 2 : 5);
      if (max / s <= 8) return s;
    }
    step *= 10;
  }
}

static const char *const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                      "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
#define NCOLORS (sizeof palette / sizeof palette[0])

static void svg_open(FILE *out, int w, int h, const char *title, unsigned long cables) {
  fprintf(out,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
          "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
          "<title>",
          w, h, w, h);
  xml_text(out, title);
  fprintf(out,
          "</title>\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n"
          "<text x=\"%d\" y=\"28\" text-anchor=\"middle\" font-size=\"18\" "
          "font-weight=\"bold\">",
          w, h, w / 2);
  xml_text(out, title);
  fprintf(out, " (%lu cables)</text>\n", cables);
}

/* cables per year, stacked by classification */
static int chart_years(struct cxr_stats *s, FILE *out) {
  struct stats_tab years, classes;
  if (stats_tab_sort(&s->year_class) != CX_OK || margin(&s->year_class, 0, &years) != CX_OK ||
      margin(&s->year_class, 1, &classes) != CX_OK)
    return CX_FATAL;
  const int left = 70, top = 50, ph = 380;
  size_t longest = 14; /* "Classification" */
  for (size_t ci = 0; ci < classes.n && ci < NCOLORS; ci++)
    if (strlen(classes.sorted[ci]->key) + 8 > longest)
      longest = strlen(classes.sorted[ci]->key) + 8;
  int right = 50 + (int)longest * 8;
  int bw = years.n > 40 ? 14 : years.n > 20 ? 20 : 32, gap = 4;
  int pw = (int)(years.n ? years.n : 1) * (bw + gap) + gap;
  int w = left + pw + right, h = top + ph + 70;
  unsigned long max = 1;
  for (size_t y = 0; y < years.n; y++)
    if (years.sorted[y]->count > max) max = years.sorted[y]->count;
  unsigned long step = tick_step(max);
  unsigned long ymax = (max + step - 1) / step * step;
  svg_open(out, w, h, "Cables per year, by classification", s->cables);
  fprintf(out, "<g stroke=\"#dddddd\">\n");
  for (unsigned long v = 0; v <= ymax; v += step) {
    int y = top + ph - (int)((double)v / (double)ymax * ph);
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", left, y, left + pw, y);
  }
  fprintf(out, "</g>\n<g text-anchor=\"end\">\n");
  for (unsigned long v = 0; v <= ymax; v += step) {
    int y = top + ph - (int)((double)v / (double)ymax * ph);
    fprintf(out, "<text x=\"%d\" y=\"%d\">%lu</text>\n", left - 6, y + 4, v);
  }
  fprintf(out, "</g>\n");
  char key[2048];
  for (size_t yi = 0; yi < years.n; yi++) {
    int x = left + gap + (int)yi * (bw + gap);
    double acc = 0;
    for (size_t ci = 0; ci < classes.n; ci++) {
      snprintf(key, sizeof key, "%s\x1f%s", years.sorted[yi]->key, classes.sorted[ci]->key);
      unsigned long n = stats_tab_get(&s->year_class, key);
      if (!n) continue;
      double y0 = top + ph - acc / (double)ymax * ph;
      acc += (double)n;
      double y1 = top + ph - acc / (double)ymax * ph;
      fprintf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>", x,
              y1, bw, y0 - y1, palette[ci < NCOLORS ? ci : NCOLORS - 1]);
      xml_text(out, years.sorted[yi]->key);
      fputs(", ", out);
      xml_text(out, classes.sorted[ci]->key);
      fprintf(out, ": %lu</title></rect>\n", n);
    }
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-60 %d %d)\">",
            x + bw / 2 + 4, top + ph + 14, x + bw / 2 + 4, top + ph + 14);
    xml_text(out, years.sorted[yi]->key);
    fputs("</text>\n", out);
  }
  fprintf(out,
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000000\"/>\n"
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000000\"/>\n",
          left, top + ph, left + pw, top + ph, left, top, left, top + ph);
  fprintf(out,
          "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">Year</text>\n"
          "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">"
          "Cables</text>\n",
          left + pw / 2, h - 8, top + ph / 2, top + ph / 2);
  int lx = left + pw + 20;
  fprintf(out, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">Classification</text>\n", lx, top);
  for (size_t ci = 0; ci < classes.n && ci < NCOLORS; ci++) {
    int ly = top + 14 + (int)ci * 20;
    bool rest = ci == NCOLORS - 1 && classes.n > NCOLORS;
    fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", lx, ly,
            palette[ci]);
    fprintf(out, "<text x=\"%d\" y=\"%d\">", lx + 18, ly + 10);
    if (rest)
      fprintf(out, "%zu others", classes.n - ci);
    else
      xml_text(out, classes.sorted[ci]->key);
    if (!rest) fprintf(out, " (%lu)", classes.sorted[ci]->count);
    fputs("</text>\n", out);
  }
  fputs("</svg>\n", out);
  margin_free(&years);
  margin_free(&classes);
  return CX_OK;
}

/* the top origins as horizontal bars */
static int chart_origins(struct cxr_stats *s, FILE *out, unsigned top_n) {
  struct stats_tab *t = &s->origins;
  if (stats_tab_sort(t) != CX_OK) return CX_FATAL;
  size_t n = t->n < top_n ? t->n : top_n;
  const int left = 230, top = 50, bh = 18, gap = 6, pw = 520;
  int ph = (int)(n ? n : 1) * (bh + gap) + gap;
  int w = left + pw + 80, h = top + ph + 60;
  unsigned long max = n ? t->sorted[0]->count : 1;
  unsigned long step = tick_step(max);
  unsigned long xmax = (max + step - 1) / step * step;
  char title[64];
  snprintf(title, sizeof title, "Top %zu origins", n);
  svg_open(out, w, h, title, s->cables);
  for (unsigned long v = 0; v <= xmax; v += step) {
    int x = left + (int)((double)v / (double)xmax * pw);
    fprintf(out,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#dddddd\"/>\n"
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%lu</text>\n",
            x, top, x, top + ph, x, top + ph + 16, v);
  }
  for (size_t i = 0; i < n; i++) {
    int y = top + gap + (int)i * (bh + gap);
    double bw = (double)t->sorted[i]->count / (double)xmax * pw;
    fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", left, y,
            bw, bh, palette[0]);
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + 13);
    xml_text(out, t->sorted[i]->key);
    fprintf(out, "</text>\n<text x=\"%.1f\" y=\"%d\">%lu</text>\n", left + bw + 4, y + 13,
            t->sorted[i]->count);
  }
  fprintf(out,
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000000\"/>\n"
          "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000000\"/>\n"
          "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">Cables</text>\n"
          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-weight=\"bold\">Origin</text>\n"
          "</svg>\n",
          left, top + ph, left + pw, top + ph, left, top, left, top + ph, left + pw / 2, h - 12,
          left - 6, top - 8);
  return CX_OK;
}

int cxr_stats_svg(struct cxr_stats *s, FILE *out, enum cxr_stats_chart chart, unsigned top) {
  int rc = chart == CXR_CHART_ORIGINS ? chart_origins(s, out, top ? top : 20) : chart_years(s, out);
  if (rc != CX_OK) return rc;
  return fflush(out) == 0 && !ferror(out) ? CX_OK : CX_FATAL;
}
