/* pdftext_repair.c - which mode pdftotext ran in, the lines cut at the
 * page box's edge, and what a plain-mode extraction split or joined,
 * repaired where that is cheap and safe (formats/pdftext.md). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdftext_lines.h"

/* ---- mode, cut lines ---- */

static size_t line_width(const struct line *l) {
  size_t n = l->n;
  while (n && is_blank(l->s[n - 1]))
    n--;
  return chars(l->s, n);
}

static bool one_char_repeated(const struct line *l) {
  const char *s = l->s;
  size_t n = l->n;
  trim(&s, &n);
  for (size_t i = 1; i < n; i++)
    if (s[i] != s[0]) return false;
  return true;
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

/* Lines of sorted widths ws[0..n) within [lo, hi]. */
static size_t count_between(const size_t *ws, size_t n, size_t lo, size_t hi) {
  size_t a = 0, b = n;
  while (a < b) { /* first >= lo */
    size_t m = a + (b - a) / 2;
    if (ws[m] < lo)
      a = m + 1;
    else
      b = m;
  }
  size_t c = a, d = n;
  while (c < d) { /* first > hi */
    size_t m = c + (d - c) / 2;
    if (ws[m] <= hi)
      c = m + 1;
    else
      d = m;
  }
  return c - a;
}

void pdft_detect(const struct lines *L, bool pdf, struct pdft_info *info) {
  size_t inner = 0, longest = 0;
  for (size_t i = 0; i < L->n; i++) {
    const struct line *l = &L->v[i];
    if (l->drop || kept_blank(l)) continue;
    size_t w = line_width(l);
    if (w > longest) longest = w;
    if (is_blank(l->s[0]))
      inner++;
    else
      for (size_t j = 1; j + 1 < l->n; j++)
        if (l->s[j] == ' ' && l->s[j + 1] == ' ' && !is_blank(l->s[j - 1])) {
          size_t e = j;
          while (e < l->n && is_blank(l->s[e]))
            e++;
          if (e < l->n) {
            inner++;
            break;
          }
        }
  }
  if (pdf)
    info->mode = PDFT_MODE_PDF;
  else if (inner >= 1)
    info->mode = PDFT_MODE_LAYOUT;
  else
    info->mode = PDFT_MODE_DEFAULT;

  /* Lines cut at the page box all end at one width W (fixed-pitch text),
   * so their widths spike at W-1..W: 3+ lines there, fewer than half as many
   * just below (W-6..W-2), few past it.  Lines a cable wraps itself end
   * anywhere below their width and show no such spike. */
  if (!pdf) {
    size_t *ws = malloc((L->n ? L->n : 1) * sizeof *ws);
    size_t k = 0;
    if (ws) {
      for (size_t i = 0; i < L->n; i++)
        if (!L->v[i].drop && !kept_blank(&L->v[i]) && !one_char_repeated(&L->v[i]))
          ws[k++] = line_width(&L->v[i]);
      qsort(ws, k, sizeof *ws, cmp_size);
      for (size_t i = k; i-- > 0;) {
        size_t w = ws[i];
        if (w < 60) break;
        if (i + 1 < k && ws[i + 1] == w) continue; /* each width once */
        size_t spike = count_between(ws, k, w - 1, w);
        size_t near = count_between(ws, k, w - 6, w - 2);
        size_t past = k - count_between(ws, k, 0, w + 1);
        if (spike >= 3 && 2 * near < spike && past * 4 <= spike) {
          info->cut_lines = (unsigned)spike;
          info->cut_width = w;
          break;
        }
      }
      free(ws);
    }
  }
  if (info->mode == PDFT_MODE_DEFAULT && !info->cut_lines && longest > 250)
    info->mode = PDFT_MODE_FULLWIDTH;
}

/* ---- plain-mode repairs ---- */

static bool lone_paragraph_number(const char *s, size_t n) {
  trim(&s, &n);
  size_t i = 0;
  if (starts_pilcrow(s, n)) i = 2;
  size_t d = i;
  while (i < n && s[i] >= '0' && s[i] <= '9')
    i++;
  if (i == d || i - d > 3) return false;
  if (i < n && s[i] == '.') i++;
  while (i < n && is_blank(s[i]))
    i++;
  if (i < n && s[i] == '(') { /* a marking: (C), (S/NF), (SBU) */
    size_t j = i + 1;
    while (j < n && j - i < 12 && s[j] != ')')
      j++;
    if (j >= n || s[j] != ')') return false;
    i = j + 1;
  }
  return i == n;
}

/* Does a subject line stop where it cannot end ("CHINA:", "... TO PROTECT
 * THE")?  Only then is the line after a blank taken for its other half. */
static bool unfinished(const char *s, size_t n) {
  static const char *const w[] = {"THE", "OF",   "AND", "TO", "FOR",  "IN", "ON",
                                  "A",   "WITH", "AT",  "BY", "FROM", "OR", "ITS"};
  if (n && (s[n - 1] == ':' || s[n - 1] == ',' || s[n - 1] == '-')) return true;
  size_t b = n;
  while (b && !is_blank(s[b - 1]))
    b--;
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
    if (span_is(s + b, n - b, w[i])) return true;
  return false;
}

static bool caption_start(const char *s, size_t n) {
  static const char *const w[] = {"REF",   "CLASSIFIED", "E.O.",    "TAGS",      "(",
                                  "1.",    "1 ",         "SUMMARY", "PAGE ",     "Summary",
                                  "Ref",   "Classified", "SECTION", "SENSITIVE", "C O ",
                                  "S E C", "UNCLAS"};
  trim(&s, &n);
  if (starts_pilcrow(s, n)) return true;
  for (size_t i = 0; i + 3 < n; i++)
    if (!memcmp(s + i, "----", 4)) return true; /* a rule or heading */
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
    size_t k = strlen(w[i]);
    if (n >= k && !memcmp(s, w[i], k)) return true;
  }
  return false;
}

static int join(struct line *a, const struct line *b) {
  const char *s = a->s, *t = b->s;
  size_t n = a->n, m = b->n;
  while (n && is_blank(s[n - 1]))
    n--;
  trim(&t, &m);
  char *u = malloc(n + m + 2);
  if (!u) return CX_FATAL;
  memcpy(u, s, n);
  u[n] = ' ';
  memcpy(u + n + 1, t, m);
  u[n + 1 + m] = '\0';
  line_replace(a, u, n + 1 + m);
  return CX_OK;
}

/* The kept line after i (blank or not), or n. */
static size_t next_kept(const struct lines *L, size_t i) {
  for (size_t k = i + 1; k < L->n; k++)
    if (!L->v[k].drop) return k;
  return L->n;
}

int pdft_repair_plain(struct lines *L, struct pdft_info *info) {
  for (size_t i = 0; i < L->n; i++) {
    struct line *l = &L->v[i];
    if (l->drop || kept_blank(l)) continue;
    const char *s = l->s;
    size_t n = l->n;
    trim(&s, &n);
    /* pdftotext split one line into blocks at a wide gap: "SUBJECT:
     * CHINA:" / "" / "2000 ANNUAL TERRORISM REPORT", "2." / "" / "BEGIN" */
    bool subject = ((n >= 8 && !memcmp(s, "SUBJECT:", 8)) || (n >= 5 && !memcmp(s, "SUBJ:", 5))) &&
                   unfinished(s, n);
    if (subject || lone_paragraph_number(s, n)) {
      size_t b = next_kept(L, i);
      size_t t = b < L->n ? next_kept(L, b) : L->n;
      size_t after = t < L->n ? next_kept(L, t) : L->n;
      if (b < L->n && t < L->n && kept_blank(&L->v[b]) && !kept_blank(&L->v[t]) &&
          !caption_start(L->v[t].s, L->v[t].n) &&
          (!subject || after >= L->n || kept_blank(&L->v[after]) ||
           caption_start(L->v[after].s, L->v[after].n))) {
        if (join(l, &L->v[t]) != CX_OK) return CX_FATAL;
        L->v[b].drop = L->v[t].drop = true;
        info->split_repairs++;
      }
    }
  }
  for (size_t i = 0; i < L->n; i++) {
    struct line *l = &L->v[i];
    if (l->drop) continue;
    const char *s = l->s;
    size_t n = l->n;
    trim(&s, &n);
    /* "-----TEXT": a rule line ending in '-' that pdftotext joined with the
     * next line, dropping that last '-' as a hyphen */
    size_t d = 0, dashes = 0;
    /* the cables' rule lines: "--------- --" (single blanks inside) */
    while (d < n && (s[d] == '-' || (s[d] == ' ' && d && s[d - 1] == '-'))) {
      if (s[d] == '-') dashes++;
      d++;
    }
    /* the dropped '-' may have followed a blank ("------- -"): only a long
     * rule is taken for one there, not "--- END SUMMARY" */
    bool dash = dashes >= 5 && d < n && !is_blank(s[d]) && (s[d - 1] == '-' || dashes >= 20);
    /* a heading in capitals or a paragraph sign after it: PlusD's own
     * "------------------012345 020304Z /62" and "---bullets" are no
     * joined rule */
    if (dash && !((s[d] >= 'A' && s[d] <= 'Z') || starts_pilcrow(s + d, n - d))) dash = false;
    bool para = starts_pilcrow(s + (dash ? d : 0), n - (dash ? d : 0));
    size_t p = i;
    while (p-- > 0 && L->v[p].drop)
      ;
    bool blank_before = dash || p == (size_t)-1 || kept_blank(&L->v[p]);
    if (!dash && !(para && !blank_before)) continue;
    char *u = malloc(n + 4);
    if (!u) return CX_FATAL;
    size_t k = 0;
    if (para && !blank_before) u[k++] = '\n';
    if (dash) {
      memcpy(u + k, s, d);
      k += d;
      u[k++] = '-';
      u[k++] = '\n';
      if (para) u[k++] = '\n';
      info->dash_repairs++;
    }
    if (para) info->paragraph_breaks++;
    memcpy(u + k, s + d, n - d);
    k += n - d;
    u[k] = '\0';
    line_replace(l, u, k);
  }
  return CX_OK;
}

/* U+FFFD where a paragraph sign was (a converter that lost it): at a line
 * start, before a paragraph number. */
int pdft_repair_pilcrows(struct lines *L, struct pdft_info *info) {
  for (size_t i = 0; i < L->n; i++) {
    struct line *l = &L->v[i];
    if (l->drop || l->n < 4 || memcmp(l->s, FFFD, 3) != 0 || l->s[3] < '0' || l->s[3] > '9')
      continue;
    char *u = malloc(l->n);
    if (!u) return CX_FATAL;
    memcpy(u, PILCROW, 2);
    memcpy(u + 2, l->s + 3, l->n - 3);
    size_t n = l->n - 1;
    u[n] = '\0';
    line_replace(l, u, n);
    info->pilcrows_restored++;
  }
  return CX_OK;
}
