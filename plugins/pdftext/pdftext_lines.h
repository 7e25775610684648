/* pdftext_lines.h - what the parts of the pdftext cleaner share (internal):
 * the text cut into lines, small span helpers, and the passes that live in
 * files of their own: the metadata table (pdftext_meta.c), the mode and the
 * plain-mode repairs (pdftext_repair.c).  pdftext_clean.c drives them.
 *
 * Ownership: a struct lines owns its array and each line's `own`
 * replacement; a line's `s` points into the input text or into `own`.
 */
#ifndef PDFT_LINES_H
#define PDFT_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pdftext_plugin.h"

static inline bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

/* s[0..n) without blanks at both ends. */
static inline void trim(const char **s, size_t *n) {
  while (*n && is_blank(**s)) {
    (*s)++;
    (*n)--;
  }
  while (*n && is_blank((*s)[*n - 1]))
    (*n)--;
}

static inline bool span_is(const char *s, size_t n, const char *w) {
  return n == strlen(w) && !memcmp(s, w, n);
}

/* Characters, not bytes (UTF-8), of s[0..n). */
static inline size_t chars(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) k++;
  return k;
}

#define PILCROW "\xc2\xb6"
#define FFFD "\xef\xbf\xbd"

static inline bool starts_pilcrow(const char *s, size_t n) {
  return n >= 2 && !memcmp(s, PILCROW, 2);
}

struct line {
  const char *s; /* the text (in the input, or own) */
  size_t n;
  char *own; /* a replacement this cleaner made, or NULL */
  unsigned page;
  bool drop;
};

struct lines {
  struct line *v;
  size_t n, cap;
};

static inline bool kept_blank(const struct line *l) {
  const char *s = l->s;
  size_t n = l->n;
  trim(&s, &n);
  return n == 0;
}

/* Line l's text becomes u[0..n), which l then owns (its old replacement
 * freed). */
static inline void line_replace(struct line *l, char *u, size_t n) {
  free(l->own);
  l->own = u;
  l->s = u;
  l->n = n;
}

/* The next line after i that is kept and not blank, or n. */
static inline size_t next_text(const struct lines *L, size_t i) {
  for (size_t k = i + 1; k < L->n; k++)
    if (!L->v[k].drop && !kept_blank(&L->v[k])) return k;
  return L->n;
}

/* The metadata table of a cable web page, taken off the top (into info). */
int pdft_take_meta(struct lines *L, struct pdft_info *info);
/* The extraction mode, and the lines cut at the page box's edge. */
void pdft_detect(const struct lines *L, bool pdf, struct pdft_info *info);
/* What a plain-mode extraction split or joined, repaired. */
int pdft_repair_plain(struct lines *L, struct pdft_info *info);
/* Pilcrows and replacement characters at paragraph starts. */
int pdft_repair_pilcrows(struct lines *L, struct pdft_info *info);

#endif
