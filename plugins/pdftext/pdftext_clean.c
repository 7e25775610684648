/* pdftext_clean.c - from pdftotext output to a telegram: page furniture
 * stripped, pages rejoined, what a plain-mode extraction split or joined
 * repaired where that is cheap and safe, a cable page's metadata table taken
 * off the top, and lines cut at the page box's edge detected
 * (formats/pdftext.md).
 *
 * The text is cut into lines once; every rule marks lines dropped or gives
 * them a replacement, and the result is written out at the end.  This file
 * holds the patterns, the page furniture and the driver; the metadata table
 * is in pdftext_meta.c, the mode and the repairs in pdftext_repair.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdftext_lines.h"
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

static bool is_class_line(const char *s, size_t n) {
  static const char *const w[] = {"UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET",
                                  "LIMITED OFFICIAL USE"};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
    if (span_is(s, n, w[i])) return true;
  return false;
}

/* Does s[0..n) hold w (ASCII, any case)?  A cheap test before a regex:
 * glibc's regexec on a long line that cannot match can take very long. */
static bool ci_has(const char *s, size_t n, const char *w) {
  return cx_find_ci(s, n, 0, w) != (size_t)-1;
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

static int lines_split(struct lines *L, const char *text, size_t len, unsigned *pages) {
  unsigned page = 0;
  size_t i = 0;
  while (i < len) {
    size_t j = (size_t)(cx_scan_any3(text + i, text + len, '\n', '\f', '\f') - text);
    if (L->n == L->cap && L->n >= PDFT_MAX_LINES) return CX_FAILED;
    if (cx_grow(&L->v, &L->cap, L->n, sizeof *L->v, 256) != CX_OK) return CX_FATAL;
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

/* Where the next "case" (any case) starts in s[p..n), or n. */
static size_t next_case(const char *s, size_t n, size_t p) {
  size_t i = cx_find_ci(s, n, p, "case");
  return i == (size_t)-1 ? n : i;
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
  line_replace(l, t, k);
  if (kept_blank(l)) l->drop = true;
  return cuts;
}

static void drop(struct line *l, struct pdft_info *info) {
  if (!l->drop) {
    l->drop = true;
    info->furniture++;
  }
}

/* Drops the classification lines just before line end, passing over blank
 * and dropped ones: a PlusD page's foot (and the next page's head). */
static void drop_class_lines_before(struct lines *L, size_t end, struct pdft_info *info) {
  for (size_t b = end; b-- > 0;) {
    struct line *p = &L->v[b];
    if (p->drop || kept_blank(p)) continue;
    const char *t = p->s;
    size_t tn = p->n;
    trim(&t, &tn);
    if (!is_class_line(t, tn)) break;
    drop(p, info);
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
      drop_class_lines_before(L, i, info);
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
  if (*plusd) drop_class_lines_before(L, L->n, info);
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
    rc = pdft_take_meta(&L, info);
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
  pdft_detect(&L, pdf, info);
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
    rc = pdft_repair_plain(&L, info);
  }
  if (rc == CX_OK) rc = pdft_repair_pilcrows(&L, info);
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
