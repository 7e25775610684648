/* pdftext_clean.c - from pdftotext output to a telegram: page furniture
 * stripped, pages rejoined, what a plain-mode extraction split or joined
 * repaired where that is cheap and safe, a cable page's metadata table taken
 * off the top, and lines cut at the page box's edge detected
 * (formats/pdftext.md).
 *
 * The text is cut into lines once; every rule marks lines dropped or gives
 * them a replacement, and the result is written out at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdftext_plugin.h"

/* ---- patterns ---- */

/* Dates in a stamp: "06/02/2017", "07 31 2017", OCR "0430208". */
#define STAMP_DATE "( +Date:? *([0-9]{1,2}[/ ]+[0-9]{1,2}[/ ]+[0-9]{2,4}|[0-9]{5,8}))?"
/* Exemption codes: B1..B9 (OCR: BS = B5, BG = B6) and 1.4(B) ... */
#define CODE "(B[0-9SG]|1\\.4 ?\\([A-H]\\))"

static const struct {
  size_t off;
  const char *re;
  int flags;
} patterns[] = {
    /* The stamp with what OCR glues to it: a leading doc number
     * "(06134372" / "C06130929 -", underscores, "UNC ASSIFIED". */
    {offsetof(struct pdft_rules, stamp),
     "(\\(?[CO0]?[0-9]{6,9}[^A-Za-z0-9]{0,6})?(_+ *)?(UNC ?L?ASSIFIED[ ,.]*)?"
     "U\\.? ?S\\.? ?Dep[a-z]* (of )?S[a-z]ate[.,]? +Case +No[.,]? *[^ ]+ +D[ou]c +No[.,]? *[^ "
     "]+" STAMP_DATE "( *_+)?",
     REG_ICASE},
    {offsetof(struct pdft_rules, release),
     "^(Date:? *[0-9/]+ +)?(RELEASE|[a-z]ecease) +IN( +(PART|FULL))?( *\\|)?([ ,]+" CODE ")*[ ,]*$",
     REG_ICASE},
    {offsetof(struct pdft_rules, codes), "^" CODE "([ ,]+" CODE ")*[ ,]*$", REG_ICASE},
    {offsetof(struct pdft_rules, review),
     "Declassified/Released +US +Department +of +State +EO +Systematic +Review", REG_ICASE},
    {offsetof(struct pdft_rules, agency),
     "^(UNCLASSIFIED +)?STATE DEPT\\. - PRODUCED TO HOUSE SELECT BENGHAZI COMM\\.?$|"
     "SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS|"
     "^~? *Reason: *1\\.4 ?\\([A-H]\\) *~? *Declassify on: *[0-9/]+$",
     REG_ICASE},
    {offsetof(struct pdft_rules, page_hdr), "^PAGE +[0-9]{1,3}( +OF +[0-9]{1,3})?$", 0},
    {offsetof(struct pdft_rules, page_ref),
     "^[A-Z][A-Z .'-]* [0-9]{2,6}( +[0-9]{1,2} +OF +[0-9]{1,2})?( +[0-9]{6}Z)?$", 0},
    {offsetof(struct pdft_rules, page_num),
     "^(- *)?[0-9]{1,3}( *-)?$|^Page +[0-9]{1,3}( +of +[0-9]{1,3})?$|^[0-9]{1,3} *(/|of) "
     "*[0-9]{1,3}$",
     REG_ICASE},
    /* a browser's print header or footer */
    {offsetof(struct pdft_rules, url),
     "^(https?://)?[a-z.]*wikileaks\\.[a-z]+(/[^ ]*)?( +[0-9]{1,3}/[0-9]{1,3})?$|"
     "^[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4},? +[0-9]{1,2}:[0-9]{2}( ?[AP]M)?( .*)?$",
     REG_ICASE},
};

int pdft_rules_init(struct pdft_rules *r) {
  memset(r, 0, sizeof *r);
  size_t n = sizeof patterns / sizeof patterns[0];
  for (size_t i = 0; i < n; i++) {
    regex_t *re = (regex_t *)((char *)r + patterns[i].off);
    if (regcomp(re, patterns[i].re, REG_EXTENDED | patterns[i].flags) != 0) {
      for (size_t j = 0; j < i; j++)
        regfree((regex_t *)((char *)r + patterns[j].off));
      return CX_FATAL;
    }
  }
  r->ok = true;
  return CX_OK;
}

void pdft_rules_free(struct pdft_rules *r) {
  if (!r || !r->ok) return;
  size_t n = sizeof patterns / sizeof patterns[0];
  for (size_t i = 0; i < n; i++)
    regfree((regex_t *)((char *)r + patterns[i].off));
  r->ok = false;
}

const char *pdft_mode_name(enum pdft_mode m) {
  switch (m) {
  case PDFT_MODE_LAYOUT:
    return "layout";
  case PDFT_MODE_FULLWIDTH:
    return "full-width";
  case PDFT_MODE_PDF:
    return "pdf";
  default:
    return "default";
  }
}

void pdft_info_free(struct pdft_info *info) {
  if (!info) return;
  free(info->meta.id);
  free(info->meta.created);
  free(info->meta.released);
  free(info->meta.classification);
  free(info->meta.origin);
  free(info->meta.title);
  cx_strv_clear(&info->meta.tags);
  memset(&info->meta, 0, sizeof info->meta);
}

/* ---- small helpers ---- */

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

/* s[0..n) without blanks at both ends. */
static void trim(const char **s, size_t *n) {
  while (*n && is_blank(**s)) {
    (*s)++;
    (*n)--;
  }
  while (*n && is_blank((*s)[*n - 1]))
    (*n)--;
}

/* regexec on a span: the patterns need a NUL-terminated copy. */
static bool match(const regex_t *re, const char *s, size_t n, regmatch_t *m) {
  char small[512];
  char *t = n < sizeof small ? small : malloc(n + 1);
  if (!t) return false;
  memcpy(t, s, n);
  t[n] = '\0';
  bool ok = regexec(re, t, m ? 1 : 0, m, 0) == 0;
  if (t != small) free(t);
  return ok;
}

static bool span_is(const char *s, size_t n, const char *w) {
  return n == strlen(w) && !memcmp(s, w, n);
}

static bool is_class_line(const char *s, size_t n) {
  static const char *const w[] = {"UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET",
                                  "LIMITED OFFICIAL USE"};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
    if (span_is(s, n, w[i])) return true;
  return false;
}

/* Characters, not bytes (UTF-8), of s[0..n). */
static size_t chars(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) k++;
  return k;
}

#define PILCROW "\xc2\xb6"
#define FFFD "\xef\xbf\xbd"

static bool starts_pilcrow(const char *s, size_t n) {
  return n >= 2 && !memcmp(s, PILCROW, 2);
}

/* Does s[0..n) hold w (ASCII, any case)?  A cheap test before a regex:
 * glibc's regexec on a long line that cannot match can take very long. */
static bool ci_has(const char *s, size_t n, const char *w) {
  size_t k = strlen(w);
  for (size_t i = 0; i + k <= n; i++) {
    size_t j = 0;
    while (j < k && (s[i + j] | 0x20) == (w[j] | 0x20))
      j++;
    if (j == k) return true;
  }
  return false;
}

/* The stamp needs "Case" and "Doc"/"Duc" on the line. */
static bool may_be_stamp(const char *s, size_t n) {
  return ci_has(s, n, "case") && (ci_has(s, n, "doc") || ci_has(s, n, "duc"));
}

/* Whole-line furniture is short. */
#define SHORT_LINE 200

enum pdft_furniture pdft_line_kind(const struct pdft_rules *r, const char *s, size_t n) {
  trim(&s, &n);
  if (!n) return PDFT_TEXT;
  regmatch_t m;
  if (n <= SHORT_LINE && may_be_stamp(s, n) && match(&r->stamp, s, n, &m)) {
    /* a stamp alone (with OCR debris); one inside text is cut out instead */
    bool junk = true;
    for (size_t i = 0; i < n && junk; i++) {
      if (i == (size_t)m.rm_so) i = (size_t)m.rm_eo;
      if (i >= n) break;
      unsigned char c = (unsigned char)s[i];
      junk = !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    }
    return junk ? PDFT_STAMP : PDFT_TEXT;
  }
  if (ci_has(s, n, "Systematic Review") && match(&r->review, s, n, NULL)) return PDFT_REVIEW;
  if (ci_has(s, n, "REDACTIONS") && match(&r->agency, s, n, NULL)) return PDFT_AGENCY;
  if (n > SHORT_LINE) return PDFT_TEXT;
  if (match(&r->release, s, n, NULL)) return PDFT_RELEASE;
  if (match(&r->codes, s, n, NULL)) return PDFT_CODES;
  if (match(&r->agency, s, n, NULL)) return PDFT_AGENCY;
  if (match(&r->page_hdr, s, n, NULL)) return PDFT_PAGE_HEADER;
  return PDFT_TEXT;
}

/* ---- the lines ---- */

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

static int lines_split(struct lines *L, const char *text, size_t len, unsigned *pages) {
  unsigned page = 0;
  size_t i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && text[j] != '\n' && text[j] != '\f')
      j++;
    if (L->n == L->cap) {
      if (L->n >= PDFT_MAX_LINES) return CX_FAILED;
      size_t cap = L->cap ? 2 * L->cap : 256;
      struct line *v = realloc(L->v, cap * sizeof *v);
      if (!v) return CX_FATAL;
      L->v = v;
      L->cap = cap;
    }
    size_t n = j - i;
    if (n && text[i + n - 1] == '\r') n--;
    L->v[L->n++] = (struct line){text + i, n, NULL, page, false};
    if (j < len && text[j] == '\f') {
      page++;
      j++;
      /* pdftotext puts the form feed before the next page's first line:
       * the line so far ended with the page */
      i = j;
      continue;
    }
    i = j + 1;
  }
  /* a form feed at the very end closes the last page; it opens none */
  *pages = page + (L->n && L->v[L->n - 1].page == page ? 1 : 0);
  return CX_OK;
}

static void lines_free(struct lines *L) {
  for (size_t i = 0; i < L->n; i++)
    free(L->v[i].own);
  free(L->v);
}

static bool kept_blank(const struct line *l) {
  const char *s = l->s;
  size_t n = l->n;
  trim(&s, &n);
  return n == 0;
}

/* Where the next "case" (any case) starts in s[p..n), or n. */
static size_t next_case(const char *s, size_t n, size_t p) {
  for (size_t i = p; i + 4 <= n; i++)
    if ((s[i] | 0x20) == 'c' && (s[i + 1] | 0x20) == 'a' && (s[i + 2] | 0x20) == 's' &&
        (s[i + 3] | 0x20) == 'e')
      return i;
  return n;
}

/* A stamp is short: from its doc number prefix to "Case" and from there to
 * its date.  Each is searched in a window around a "Case", so a long line
 * costs a bounded regexec per "Case", not one over the rest of the line. */
#define STAMP_BEFORE 120
#define STAMP_AFTER 160

/* Cuts every stamp out of a line of text, in one pass from left to right;
 * drops the line when nothing but debris is left.  Returns the number of
 * stamps removed, or -1. */
static int cut_stamps(const struct pdft_rules *r, struct line *l) {
  if (!may_be_stamp(l->s, l->n)) return 0;
  const char *src = l->s;
  size_t n = l->n;
  char *t = malloc(n + 1);
  if (!t) return -1;
  char win[STAMP_BEFORE + STAMP_AFTER + 1];
  size_t p = 0, k = 0, from = 0;
  int cuts = 0;
  for (;;) {
    size_t q = next_case(src, n, from);
    if (q >= n) break;
    size_t ws = q - p > STAMP_BEFORE ? q - STAMP_BEFORE : p;
    size_t we = n - q > STAMP_AFTER ? q + STAMP_AFTER : n;
    memcpy(win, src + ws, we - ws);
    win[we - ws] = '\0';
    regmatch_t m;
    if (regexec(&r->stamp, win, 1, &m, ws ? REG_NOTBOL : 0) != 0 || (size_t)m.rm_so > q - ws ||
        (size_t)m.rm_eo <= q - ws) {
      from = q + 1;
      continue;
    }
    size_t so = ws + (size_t)m.rm_so, eo = ws + (size_t)m.rm_eo;
    memcpy(t + k, src + p, so - p);
    k += so - p;
    /* one blank where the stamp was: keep one between words, drop one of
     * two */
    bool before = k && is_blank(t[k - 1]), after = eo < n && is_blank(src[eo]);
    if (k && eo < n && !before && !after) t[k++] = ' ';
    if (before && after) eo++;
    p = from = eo;
    cuts++;
  }
  if (!cuts) {
    free(t);
    return 0;
  }
  memcpy(t + k, src + p, n - p);
  k += n - p;
  t[k] = '\0';
  free(l->own);
  l->own = t;
  l->s = t;
  l->n = k;
  if (kept_blank(l)) l->drop = true;
  return cuts;
}

/* The next line after i that is kept and not blank, or n. */
static size_t next_text(const struct lines *L, size_t i) {
  for (size_t k = i + 1; k < L->n; k++)
    if (!L->v[k].drop && !kept_blank(&L->v[k])) return k;
  return L->n;
}

static void drop(struct line *l, struct pdft_info *info) {
  if (!l->drop) {
    l->drop = true;
    info->furniture++;
  }
}

/* Whole-line furniture anywhere, stamps inside lines, PlusD page headers
 * with the classification lines around them. */
static int strip_furniture(const struct pdft_rules *r, struct lines *L, struct pdft_info *info,
                           bool *plusd) {
  unsigned after_release = 0; /* lines a RELEASE marker may continue on */
  for (size_t i = 0; i < L->n; i++) {
    struct line *l = &L->v[i];
    const char *s = l->s;
    size_t n = l->n;
    trim(&s, &n);
    if (!n) continue;
    if (after_release) {
      after_release--;
      if (span_is(s, n, "FULL") || span_is(s, n, "PART") ||
          (n <= SHORT_LINE && match(&r->codes, s, n, NULL))) {
        drop(l, info);
        continue;
      }
    }
    enum pdft_furniture k = pdft_line_kind(r, s, n);
    switch (k) {
    case PDFT_RELEASE:
      after_release = 2;
      /* fall through */
    case PDFT_STAMP:
    case PDFT_CODES:
    case PDFT_REVIEW:
    case PDFT_AGENCY:
      drop(l, info);
      continue;
    case PDFT_PAGE_HEADER: {
      *plusd = true;
      drop(l, info);
      size_t nx = next_text(L, i);
      if (nx < L->n) {
        const char *t = L->v[nx].s;
        size_t tn = L->v[nx].n;
        trim(&t, &tn);
        if (tn <= SHORT_LINE && match(&r->page_ref, t, tn, NULL)) drop(&L->v[nx], info);
      }
      /* the classification lines at the foot of the page before and the
       * head of this one */
      for (size_t b = i; b-- > 0;) {
        struct line *p = &L->v[b];
        if (p->drop || kept_blank(p)) continue;
        const char *t = p->s;
        size_t tn = p->n;
        trim(&t, &tn);
        if (!is_class_line(t, tn)) break;
        drop(p, info);
      }
      continue;
    }
    default:
      break;
    }
    int c = cut_stamps(r, l);
    if (c < 0) return CX_FATAL;
    info->furniture += (unsigned)c;
  }
  /* PlusD text ends with the last page's classification line */
  if (*plusd) {
    for (size_t b = L->n; b-- > 0;) {
      struct line *p = &L->v[b];
      if (p->drop || kept_blank(p)) continue;
      const char *t = p->s;
      size_t tn = p->n;
      trim(&t, &tn);
      if (!is_class_line(t, tn)) break;
      drop(p, info);
    }
  }
  return CX_OK;
}

/* Page numbers and print headers/footers on the first and last lines of
 * each page. */
static void strip_edges(const struct pdft_rules *r, struct lines *L, struct pdft_info *info) {
  size_t i = 0;
  while (i < L->n) {
    size_t e = i;
    while (e < L->n && L->v[e].page == L->v[i].page)
      e++;
    for (int side = 0; side < 2; side++) {
      for (int k = 0; k < 3; k++) { /* a URL, a page number, a date line */
        size_t at = e;
        if (side == 0) {
          for (size_t j = i; j < e; j++)
            if (!L->v[j].drop && !kept_blank(&L->v[j])) {
              at = j;
              break;
            }
        } else {
          for (size_t j = e; j-- > i;)
            if (!L->v[j].drop && !kept_blank(&L->v[j])) {
              at = j;
              break;
            }
        }
        if (at == e) break;
        const char *s = L->v[at].s;
        size_t n = L->v[at].n;
        trim(&s, &n);
        if (n > SHORT_LINE || (!match(&r->page_num, s, n, NULL) && !match(&r->url, s, n, NULL)))
          break;
        drop(&L->v[at], info);
      }
    }
    i = e;
  }
}

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
static int take_meta(struct lines *L, struct pdft_info *info) {
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

static void detect(const struct lines *L, bool pdf, struct pdft_info *info) {
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
  free(a->own);
  a->own = u;
  a->s = u;
  a->n = n + 1 + m;
  return CX_OK;
}

/* The kept line after i (blank or not), or n. */
static size_t next_kept(const struct lines *L, size_t i) {
  for (size_t k = i + 1; k < L->n; k++)
    if (!L->v[k].drop) return k;
  return L->n;
}

static int repair_plain(struct lines *L, struct pdft_info *info) {
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
    free(l->own);
    l->own = u;
    l->s = u;
    l->n = k;
  }
  return CX_OK;
}

/* U+FFFD where a paragraph sign was (a converter that lost it): at a line
 * start, before a paragraph number. */
static int repair_pilcrows(struct lines *L, struct pdft_info *info) {
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
    free(l->own);
    l->own = u;
    l->s = u;
    l->n = n;
    info->pilcrows_restored++;
  }
  return CX_OK;
}

/* ---- all of it ---- */

int pdft_clean(const struct pdft_rules *r, const char *text, size_t len, bool pdf,
               struct cx_buf *out, struct pdft_info *info) {
  struct lines L = {0};
  memset(info, 0, sizeof *info);
  bool plusd = false;
  int rc = lines_split(&L, text, len, &info->pages);
  if (rc == CX_FAILED) {
    info->too_many_lines = true;
    lines_free(&L);
    return CX_FAILED;
  }
  if (rc == CX_OK) rc = strip_furniture(r, &L, info, &plusd);
  if (rc == CX_OK) {
    strip_edges(r, &L, info);
    rc = take_meta(&L, info);
  }
  if (rc != CX_OK) {
    lines_free(&L);
    return CX_FATAL;
  }
  /* a page's blank lines at its top and bottom are pdftotext's, not the
   * cable's: pages are joined line to line */
  for (size_t i = 0; i < L.n;) {
    size_t e = i;
    while (e < L.n && L.v[e].page == L.v[i].page)
      e++;
    for (size_t j = i; j < e && (L.v[j].drop || kept_blank(&L.v[j])); j++)
      L.v[j].drop = true;
    for (size_t j = e; j-- > i && (L.v[j].drop || kept_blank(&L.v[j]));)
      L.v[j].drop = true;
    i = e;
  }
  detect(&L, pdf, info);
  size_t indent = 0;
  if (info->mode == PDFT_MODE_LAYOUT || info->mode == PDFT_MODE_PDF) {
    /* a scan's left margin, common to every line */
    indent = SIZE_MAX;
    for (size_t i = 0; i < L.n; i++) {
      if (L.v[i].drop || kept_blank(&L.v[i])) continue;
      size_t k = 0;
      while (k < L.v[i].n && L.v[i].s[k] == ' ')
        k++;
      if (k < indent) indent = k;
    }
    if (indent == SIZE_MAX) indent = 0;
  } else {
    rc = repair_plain(&L, info);
  }
  if (rc == CX_OK) rc = repair_pilcrows(&L, info);
  for (size_t i = 0; i < L.n && rc == CX_OK; i++) {
    const struct line *l = &L.v[i];
    if (l->drop) continue;
    const char *s = l->s;
    size_t n = l->n;
    if (!l->own && n >= indent) {
      s += indent;
      n -= indent;
    }
    while (n && is_blank(s[n - 1]))
      n--;
    if (cx_buf_add(out, s, n) != CX_OK || cx_buf_addc(out, '\n') != CX_OK) rc = CX_FAILED;
  }
  lines_free(&L);
  return rc;
}
