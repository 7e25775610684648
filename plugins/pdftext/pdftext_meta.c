/* pdftext_meta.c - the metadata table at the top of a cable web page
 * printed to PDF (Reference ID, Created, Released ...), taken off the text
 * into pdft_info (formats/pdftext.md). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdftext_lines.h"

/* ---- the metadata table of a cable web page ---- */

static const char *const labels5[] = {"Reference ID", "Created", "Released", "Classification",
                                      "Origin"};
static const char *const labels4[] = {"Identifier", "Created", "Classification", "Origin"};

/* Splits s[0..n) at runs of 2+ blanks into at most max cells. */
static size_t cells(const char *s, size_t n, const char **cs, size_t *cn, size_t max) {
  size_t k = 0, i = 0;
  trim(&s, &n);
  while (i < n && k < max) {
    size_t j = i;
    while (j < n && !(is_blank(s[j]) && j + 1 < n && is_blank(s[j + 1])))
      j++;
    cs[k] = s + i;
    cn[k] = j - i;
    trim(&cs[k], &cn[k]);
    k++;
    while (j < n && is_blank(s[j]))
      j++;
    i = j;
  }
  return i < n ? max + 1 : k;
}

static int set_meta(char **dst, const char *s, size_t n) {
  trim(&s, &n);
  if (!n) return CX_OK;
  free(*dst);
  *dst = malloc(n + 1);
  if (!*dst) return CX_FATAL;
  memcpy(*dst, s, n);
  (*dst)[n] = '\0';
  return CX_OK;
}

#define NBSP "\xc2\xa0"

/* Trims blanks and NBSPs at both ends. */
static void trim_nbsp(const char **s, size_t *n) {
  for (bool more = true; more;) {
    trim(s, n);
    more = false;
    if (*n >= 2 && !memcmp(*s, NBSP, 2)) {
      *s += 2;
      *n -= 2;
      more = true;
    }
    if (*n >= 2 && !memcmp(*s + *n - 2, NBSP, 2)) {
      *n -= 2;
      more = true;
    }
  }
}

static bool starts(const char *s, size_t n, const char *w) {
  size_t k = strlen(w);
  return n >= k && !memcmp(s, w, k);
}

/* Tags separated by NBSPs (as on the pages), else by blanks outside
 * parentheses ("OVIP (STEINBERG, JAMES B.)" stays whole). */
static int split_tags(const char *s, size_t n, struct cx_strv *tags) {
  bool nbsp = false;
  for (size_t i = 0; i + 1 < n && !nbsp; i++)
    nbsp = !memcmp(s + i, NBSP, 2);
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    int depth = 0;
    while (j < n) {
      if (nbsp ? (j + 1 < n && !memcmp(s + j, NBSP, 2)) : (depth == 0 && is_blank(s[j]))) break;
      if (s[j] == '(') depth++;
      if (s[j] == ')' && depth) depth--;
      j++;
    }
    const char *t = s + i;
    size_t tn = j - i;
    trim_nbsp(&t, &tn);
    if (tn && cx_strv_push_n(tags, t, tn) != CX_OK) return CX_FATAL;
    i = j + (nbsp && j < n ? 2 : 1);
  }
  return CX_OK;
}

/* After the seed layout's table: "Cable title:" (the title may go on over
 * a few lines), "Tags:", "pdf how-to read a cable".  Moves *last past
 * them when the title is closed by the Tags line. */
static int take_title_tags(struct lines *L, size_t *last, struct pdft_meta *m) {
  size_t i = *last;
  struct cx_buf title;
  cx_buf_init(&title, 4096);
  bool in_title = false, done = false;
  for (int seen = 0; seen < 8 && !done; seen++) {
    i = next_text(L, i);
    if (i >= L->n) break;
    const char *s = L->v[i].s;
    size_t n = L->v[i].n;
    trim_nbsp(&s, &n);
    if (!in_title && starts(s, n, "Cable title:")) {
      s += 12;
      n -= 12;
      trim_nbsp(&s, &n);
      in_title = true;
      if (n) cx_buf_add(&title, s, n);
      continue;
    }
    if (starts(s, n, "Tags:")) {
      s += 5;
      n -= 5;
      trim_nbsp(&s, &n);
      if (split_tags(s, n, &m->tags) != CX_OK) {
        cx_buf_free(&title);
        return CX_FATAL;
      }
      *last = i;
      size_t nx = next_text(L, i);
      if (nx < L->n) {
        const char *t = L->v[nx].s;
        size_t tn = L->v[nx].n;
        trim_nbsp(&t, &tn);
        if (starts(t, tn, "pdf") && tn >= 22 && !memcmp(t + tn - 19, "how-to read a cable", 19))
          *last = nx;
      }
      done = true;
      break;
    }
    if (!in_title) break;
    if (title.len) cx_buf_addc(&title, ' ');
    cx_buf_add(&title, s, n);
  }
  if (done && title.len) {
    free(m->title);
    size_t tl;
    m->title = cx_buf_detach(&title, &tl);
  }
  cx_buf_free(&title);
  return CX_OK;
}

/* Looks for the table in the first lines; on success drops it and what
 * came before it (the page's own chrome). */
int pdft_take_meta(struct lines *L, struct pdft_info *info) {
  size_t idx[64];
  size_t k = 0;
  for (size_t i = 0; i < L->n && k < 64; i++)
    if (!L->v[i].drop && !kept_blank(&L->v[i])) idx[k++] = i;
  for (size_t a = 0; a < k; a++) {
    const char *s = L->v[idx[a]].s;
    size_t n = L->v[idx[a]].n;
    trim(&s, &n);
    const char *const *lab = NULL;
    size_t nl = 0;
    bool row = false;
    const char *cs[6], *vs[6];
    size_t cn[6], vn[6];
    if (span_is(s, n, labels5[0])) {
      lab = labels5;
      nl = 5;
    } else if (span_is(s, n, labels4[0])) {
      lab = labels4;
      nl = 4;
    } else {
      size_t c = cells(L->v[idx[a]].s, L->v[idx[a]].n, cs, cn, 5);
      if (c == 5 || c == 4) {
        const char *const *want = c == 5 ? labels5 : labels4;
        bool all = true;
        for (size_t j = 0; j < c && all; j++)
          all = span_is(cs[j], cn[j], want[j]);
        if (all) {
          lab = want;
          nl = c;
          row = true;
        }
      }
    }
    if (!lab) continue;
    size_t last;
    if (row) {
      if (a + 1 >= k) return CX_OK;
      size_t c = cells(L->v[idx[a + 1]].s, L->v[idx[a + 1]].n, vs, vn, nl);
      if (c != nl) return CX_OK;
      last = idx[a + 1];
    } else {
      if (a + 2 * nl > k) return CX_OK;
      for (size_t j = 1; j < nl; j++) {
        const char *t = L->v[idx[a + j]].s;
        size_t tn = L->v[idx[a + j]].n;
        trim(&t, &tn);
        if (!span_is(t, tn, lab[j])) return CX_OK;
      }
      for (size_t j = 0; j < nl; j++) {
        vs[j] = L->v[idx[a + nl + j]].s;
        vn[j] = L->v[idx[a + nl + j]].n;
      }
      last = idx[a + 2 * nl - 1];
    }
    struct pdft_meta *m = &info->meta;
    for (size_t j = 0; j < nl; j++) {
      char **dst = !strcmp(lab[j], "Created")          ? &m->created
                   : !strcmp(lab[j], "Released")       ? &m->released
                   : !strcmp(lab[j], "Classification") ? &m->classification
                   : !strcmp(lab[j], "Origin")         ? &m->origin
                                                       : &m->id;
      if (set_meta(dst, vs[j], vn[j]) != CX_OK) return CX_FATAL;
    }
    m->found = true;
    if (take_title_tags(L, &last, m) != CX_OK) return CX_FATAL;
    for (size_t i = 0; i <= last; i++)
      if (!L->v[i].drop) {
        L->v[i].drop = true;
        info->meta_lines++;
      }
    return CX_OK;
  }
  return CX_OK;
}
