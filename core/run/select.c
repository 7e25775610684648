/* select.c - --where expressions and --shard K/N.
 *
 * Ownership: as in select.h.  An expression is parsed once into a list of
 * alternatives (joined by "or"), each a list of terms (joined by "," or
 * "and"); every value is copied, upper-cased where the field compares
 * without case.
 *
 * Grammar (whitespace around tokens is ignored):
 *   expr  := all { "or" all }
 *   all   := term { ("," | "and") term }
 *   term  := FIELD OP VALUE
 *   OP    := "=" | "!=" | "~" | "<" | "<=" | ">" | ">="
 *   VALUE := 'quoted' | "quoted" | text up to the next "," / " and " / " or "
 */
#include "select.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum field { F_ID, F_ORIGIN, F_CLASS, F_TAG, F_DATE, F_RELEASED, F_YEAR, F_SUBJECT };
enum op { OP_EQ, OP_NE, OP_SUB, OP_LT, OP_LE, OP_GT, OP_GE };

struct term {
  enum field field;
  enum op op;
  char *value; /* upper-cased and space-folded for text fields; as given for dates */
  int rank;    /* classification: the level of value */
  bool caveat; /* classification: value has a "//" caveat, compared whole */
  bool glob;   /* id, tag: value has * ? or [ */
  bool word;   /* origin: value is one word, also matched against each word */
};

struct all {
  struct term *v;
  size_t n;
};

struct expr {
  struct all *v;
  size_t n;
};

struct cxr_select {
  struct expr *v;
  size_t n;
};

static const struct {
  const char *name;
  enum field field;
} field_names[] = {
    {"id", F_ID},       {"origin", F_ORIGIN},   {"classification", F_CLASS},
    {"class", F_CLASS}, {"tag", F_TAG},         {"tags", F_TAG},
    {"date", F_DATE},   {"created", F_DATE},    {"released", F_RELEASED},
    {"year", F_YEAR},   {"subject", F_SUBJECT},
};

/* ---- text helpers ---- */

/* Copies s[0..len) upper-cased, runs of blanks folded to one space, blanks
 * around '/' dropped, and trimmed.  NULL when out of memory. */
static char *fold(const char *s, size_t len) {
  char *out = malloc(len + 1);
  if (!out) return NULL;
  size_t o = 0;
  bool blank = false;
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (isspace(ch)) {
      blank = true;
      continue;
    }
    if (blank && o > 0 && ch != '/' && out[o - 1] != '/') out[o++] = ' ';
    blank = false;
    out[o++] = (char)toupper(ch);
  }
  out[o] = '\0';
  return out;
}

static bool contains(const char *hay, const char *needle) {
  return strstr(hay, needle) != NULL;
}

/* The rank of a folded classification, lowest first: UNCLASSIFIED 0,
 * UNCLASSIFIED//FOR OFFICIAL USE ONLY 1, LIMITED OFFICIAL USE 2,
 * CONFIDENTIAL 3, SECRET 4, TOP SECRET 5; -1 when unknown.  UNCLAS is the
 * banner spelling. */
static int class_rank(const char *f) {
  if (strncmp(f, "TOP SECRET", 10) == 0) return 5;
  if (strncmp(f, "SECRET", 6) == 0) return 4;
  if (strncmp(f, "CONFIDENTIAL", 12) == 0) return 3;
  if (strncmp(f, "LIMITED OFFICIAL USE", 20) == 0) return 2;
  if (strncmp(f, "UNCLAS", 6) == 0)
    return contains(f, "FOR OFFICIAL USE ONLY") || contains(f, "FOUO") ? 1 : 0;
  return -1;
}

/* A folded classification with every run of '/' written "//", so that
 * SECRET/NOFORN and SECRET // NOFORN are SECRET//NOFORN. */
static char *class_norm(const char *s) {
  char *f = fold(s, strlen(s));
  if (!f) return NULL;
  size_t slashes = 0;
  for (const char *q = f; *q; q++)
    slashes += *q == '/';
  char *out = malloc(strlen(f) + slashes + 1);
  if (out) {
    size_t o = 0;
    for (const char *q = f; *q;) {
      if (*q == '/') {
        while (*q == '/')
          q++;
        out[o++] = '/';
        out[o++] = '/';
      } else {
        out[o++] = *q++;
      }
    }
    out[o] = '\0';
  }
  free(f);
  return out;
}

static bool word_in(const char *text, const char *word) {
  size_t wl = strlen(word);
  for (const char *p = text; (p = strstr(p, word)); p++) {
    bool start = p == text || !isalnum((unsigned char)p[-1]);
    bool end = !isalnum((unsigned char)p[wl]);
    if (start && end) return true;
  }
  return false;
}

/* Glob or equality on the folded forms. */
static bool text_match(const struct term *t, const char *s) {
  if (!s) return false;
  char *f = fold(s, strlen(s));
  if (!f) return false;
  bool m;
  if (t->op == OP_SUB)
    m = contains(f, t->value);
  else if (t->glob)
    m = fnmatch(t->value, f, 0) == 0;
  else if (t->field == F_ORIGIN && t->word)
    m = strcmp(f, t->value) == 0 || word_in(f, t->value);
  else
    m = strcmp(f, t->value) == 0;
  free(f);
  return m;
}

static bool compare(int cmp, enum op op) {
  switch (op) {
  case OP_EQ:
    return cmp == 0;
  case OP_NE:
    return cmp != 0;
  case OP_LT:
    return cmp < 0;
  case OP_LE:
    return cmp <= 0;
  case OP_GT:
    return cmp > 0;
  case OP_GE:
    return cmp >= 0;
  case OP_SUB:
    break;
  }
  return false;
}

/* A date term compares the cable's date cut to the length of the value, so
 * date<2010 is "before 2010" and date<=2009-06 takes all of June 2009. */
static bool date_match(const struct term *t, const char *date) {
  if (!date) return false;
  size_t n = strlen(t->value);
  char cut[32];
  size_t dl = strlen(date);
  if (dl > sizeof cut - 1) dl = sizeof cut - 1;
  memcpy(cut, date, dl);
  cut[dl] = '\0';
  for (size_t i = 0; i < dl; i++)
    if (cut[i] == ' ') cut[i] = 'T';
  if (dl > n) cut[n] = '\0';
  if (t->op == OP_SUB) return strstr(cut, t->value) != NULL;
  return compare(strcmp(cut, t->value), t->op);
}

static bool term_match(const struct term *t, const struct cx_cable *c) {
  switch (t->field) {
  case F_ID:
    if (t->op == OP_NE) {
      struct term eq = *t;
      eq.op = OP_EQ;
      return !term_match(&eq, c);
    }
    return text_match(t, c->id) || text_match(t, c->canonical_id);
  case F_ORIGIN:
  case F_SUBJECT: {
    const char *s = t->field == F_ORIGIN ? c->origin : (c->subject ? c->subject : c->title);
    if (t->op == OP_NE) {
      struct term eq = *t;
      eq.op = OP_EQ;
      return !text_match(&eq, s);
    }
    return text_match(t, s);
  }
  case F_TAG: {
    struct term eq = *t;
    if (t->op == OP_NE) eq.op = OP_EQ;
    bool any = false;
    for (size_t i = 0; i < c->tags.n && !any; i++)
      any = text_match(&eq, c->tags.v[i]);
    return t->op == OP_NE ? !any : any;
  }
  case F_CLASS: {
    if (!c->classification) return t->op == OP_NE;
    char *f = class_norm(c->classification);
    if (!f) return false;
    bool m;
    if (t->op == OP_SUB) {
      m = contains(f, t->value);
    } else if (t->caveat && (t->op == OP_EQ || t->op == OP_NE)) {
      m = compare(strcmp(f, t->value), t->op);
    } else {
      int r = class_rank(f);
      m = r < 0 ? t->op == OP_NE : compare(r - t->rank, t->op);
    }
    free(f);
    return m;
  }
  case F_DATE:
  case F_YEAR:
  case F_RELEASED: {
    const char *d = t->field == F_RELEASED ? c->released : c->created;
    if (!d) return t->op == OP_NE;
    return date_match(t, d);
  }
  }
  return false;
}

/* ---- parsing ---- */

struct parser {
  const char *s;
  size_t pos;
  char *err;
  size_t errlen;
  size_t col; /* 1-based column of the error */
};

static int fail(struct parser *p, size_t at, const char *fmt, ...) CX_PRINTF(3, 4);
static int fail(struct parser *p, size_t at, const char *fmt, ...) {
  p->col = at + 1;
  if (p->err && p->errlen) {
    int n = snprintf(p->err, p->errlen, "column %zu: ", at + 1);
    if (n < 0) n = 0;
    if ((size_t)n < p->errlen) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
      va_end(ap);
    }
  }
  return CX_FAILED;
}

static void skip_blanks(struct parser *p) {
  while (isspace((unsigned char)p->s[p->pos]))
    p->pos++;
}

/* True when the keyword w (lower case) starts at i as a whole word. */
static bool keyword_at(const char *s, size_t i, const char *w) {
  size_t n = strlen(w);
  for (size_t k = 0; k < n; k++)
    if (tolower((unsigned char)s[i + k]) != w[k]) return false;
  return !isalnum((unsigned char)s[i + n]) && s[i + n] != '_';
}

/* The end of an unquoted value: a ',' or a blank followed by "and"/"or". */
static size_t value_end(const char *s, size_t i) {
  for (; s[i]; i++) {
    if (s[i] == ',') return i;
    if (isspace((unsigned char)s[i])) {
      size_t j = i;
      while (isspace((unsigned char)s[j]))
        j++;
      if (keyword_at(s, j, "and") || keyword_at(s, j, "or")) return i;
    }
  }
  return i;
}

static bool valid_date(const char *v) {
  /* YYYY[-MM[-DD[THH[:MM[:SS]]]]] */
  static const char shape[] = "dddd-dd-ddTdd:dd:dd";
  size_t n = strlen(v);
  if (n != 4 && n != 7 && n != 10 && n != 13 && n != 16 && n != 19) return false;
  for (size_t i = 0; i < n; i++) {
    if (shape[i] == 'd' ? !isdigit((unsigned char)v[i]) : v[i] != shape[i]) return false;
  }
  if (n >= 7 && (strncmp(v + 5, "01", 2) < 0 || strncmp(v + 5, "12", 2) > 0)) return false;
  if (n >= 10 && (strncmp(v + 8, "01", 2) < 0 || strncmp(v + 8, "31", 2) > 0)) return false;
  return true;
}

static int parse_term(struct parser *p, struct term *t) {
  skip_blanks(p);
  size_t start = p->pos;
  while (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_')
    p->pos++;
  size_t flen = p->pos - start;
  if (flen == 0) {
    if (!p->s[start]) return fail(p, start, "expected a term (FIELD OP VALUE) at the end");
    return fail(p, start,
                "expected a field name (id, origin, classification, tag, date, "
                "released, year, subject)");
  }
  bool known = false;
  for (size_t i = 0; i < sizeof field_names / sizeof *field_names; i++) {
    if (strlen(field_names[i].name) == flen &&
        strncasecmp(field_names[i].name, p->s + start, flen) == 0) {
      t->field = field_names[i].field;
      known = true;
    }
  }
  if (!known)
    return fail(p, start,
                "unknown field '%.*s' (fields: id, origin, classification, tag, date, released, "
                "year, subject)",
                (int)flen, p->s + start);
  skip_blanks(p);
  size_t opat = p->pos;
  const char *o = p->s + p->pos;
  if (o[0] == '!' && o[1] == '=') {
    t->op = OP_NE, p->pos += 2;
  } else if (o[0] == '<' && o[1] == '=') {
    t->op = OP_LE, p->pos += 2;
  } else if (o[0] == '>' && o[1] == '=') {
    t->op = OP_GE, p->pos += 2;
  } else if (o[0] == '=') {
    t->op = OP_EQ, p->pos += 1;
    if (o[1] == '=') p->pos++; /* == is = */
  } else if (o[0] == '<') {
    t->op = OP_LT, p->pos += 1;
  } else if (o[0] == '>') {
    t->op = OP_GT, p->pos += 1;
  } else if (o[0] == '~') {
    t->op = OP_SUB, p->pos += 1;
  } else {
    return fail(p, opat, "expected an operator (= != ~ < <= > >=) after '%.*s'", (int)flen,
                p->s + start);
  }
  skip_blanks(p);
  size_t vat = p->pos;
  size_t vlen;
  const char *vs = p->s + p->pos;
  if (*vs == '\'' || *vs == '"') {
    const char *close = strchr(vs + 1, *vs);
    if (!close) return fail(p, vat, "unterminated quoted value");
    vs++;
    vlen = (size_t)(close - vs);
    p->pos = (size_t)(close - p->s) + 1;
  } else {
    size_t end = value_end(p->s, p->pos);
    vlen = end - p->pos;
    while (vlen && isspace((unsigned char)vs[vlen - 1]))
      vlen--;
    p->pos = end;
  }
  if (vlen == 0) return fail(p, vat, "expected a value after the operator");
  t->value = fold(vs, vlen);
  if (!t->value) return fail(p, vat, "out of memory");
  bool ordered = t->op == OP_LT || t->op == OP_LE || t->op == OP_GT || t->op == OP_GE;

  switch (t->field) {
  case F_ID:
  case F_TAG:
  case F_ORIGIN:
  case F_SUBJECT:
    if (ordered)
      return fail(p, opat, "'%.*s' takes = != or ~, not an order", (int)flen, p->s + start);
    if (t->field != F_SUBJECT && t->field != F_ORIGIN)
      t->glob = t->op != OP_SUB && strpbrk(t->value, "*?[") != NULL;
    t->word = !strchr(t->value, ' ');
    break;
  case F_CLASS:
    if (t->op != OP_SUB) {
      t->rank = class_rank(t->value);
      if (t->rank < 0)
        return fail(p, vat,
                    "unknown classification '%.*s' (levels: UNCLASSIFIED < "
                    "UNCLASSIFIED//FOR OFFICIAL USE ONLY < LIMITED OFFICIAL USE < CONFIDENTIAL < "
                    "SECRET < TOP SECRET)",
                    (int)vlen, vs);
      /* a caveat (SECRET//NOFORN) is compared whole; FOUO names a level */
      t->caveat = strchr(t->value, '/') && t->rank != 1;
      if (t->caveat) {
        char *cn = class_norm(t->value);
        if (!cn) return fail(p, vat, "out of memory");
        free(t->value);
        t->value = cn;
      }
    }
    break;
  case F_DATE:
  case F_RELEASED:
    for (char *q = t->value; *q; q++)
      if (*q == ' ') *q = 'T';
    if (t->op != OP_SUB && !valid_date(t->value))
      return fail(p, vat,
                  "bad date '%.*s': expected YYYY, YYYY-MM, YYYY-MM-DD or "
                  "YYYY-MM-DDTHH:MM:SS",
                  (int)vlen, vs);
    break;
  case F_YEAR:
    if (t->op == OP_SUB || strlen(t->value) != 4 || !valid_date(t->value))
      return fail(p, t->op == OP_SUB ? opat : vat, "bad year '%.*s': expected year OP YYYY",
                  (int)vlen, vs);
    break;
  }
  return CX_OK;
}

static void free_expr(struct expr *e) {
  for (size_t i = 0; i < e->n; i++) {
    for (size_t j = 0; j < e->v[i].n; j++)
      free(e->v[i].v[j].value);
    free(e->v[i].v);
  }
  free(e->v);
  e->v = NULL;
  e->n = 0;
}

static int parse_expr(struct parser *p, struct expr *e) {
  skip_blanks(p);
  if (!p->s[p->pos]) return fail(p, p->pos, "empty expression");
  for (;;) {
    struct all *na = realloc(e->v, (e->n + 1) * sizeof *na);
    if (!na) return fail(p, p->pos, "out of memory");
    e->v = na;
    struct all *a = &e->v[e->n++];
    memset(a, 0, sizeof *a);
    for (;;) {
      struct term *nt = realloc(a->v, (a->n + 1) * sizeof *nt);
      if (!nt) return fail(p, p->pos, "out of memory");
      a->v = nt;
      struct term *t = &a->v[a->n++];
      memset(t, 0, sizeof *t);
      int rc = parse_term(p, t);
      if (rc != CX_OK) return rc;
      skip_blanks(p);
      if (p->s[p->pos] == ',') {
        p->pos++;
      } else if (keyword_at(p->s, p->pos, "and")) {
        p->pos += 3;
      } else {
        break;
      }
    }
    if (keyword_at(p->s, p->pos, "or")) {
      p->pos += 2;
      continue;
    }
    if (!p->s[p->pos]) return CX_OK;
    return fail(p, p->pos, "expected ',', 'and', 'or' or the end, not '%.20s'", p->s + p->pos);
  }
}

int cxr_select_add_col(struct cxr_select **sel, const char *expr, char *err, size_t errlen,
                       size_t *col) {
  struct parser p = {expr ? expr : "", 0, err, errlen, 0};
  struct expr e = {NULL, 0};
  if (err && errlen) err[0] = '\0';
  if (col) *col = 0;
  int rc = parse_expr(&p, &e);
  if (rc == CX_OK) {
    struct cxr_select *s = *sel;
    if (!s) s = calloc(1, sizeof *s);
    struct expr *nv = s ? realloc(s->v, (s->n + 1) * sizeof *nv) : NULL;
    if (!nv) {
      if (s != *sel) free(s);
      rc = fail(&p, 0, "out of memory");
    } else {
      s->v = nv;
      s->v[s->n++] = e;
      *sel = s;
      return CX_OK;
    }
  }
  if (col) *col = p.col;
  free_expr(&e);
  return rc;
}

int cxr_select_add(struct cxr_select **sel, const char *expr, char *err, size_t errlen) {
  return cxr_select_add_col(sel, expr, err, errlen, NULL);
}

bool cxr_select_match(const struct cxr_select *sel, const struct cx_cable *c) {
  if (!sel) return true;
  for (size_t i = 0; i < sel->n; i++) {
    const struct expr *e = &sel->v[i];
    bool any = false;
    for (size_t j = 0; j < e->n && !any; j++) {
      bool all = true;
      for (size_t k = 0; k < e->v[j].n && all; k++)
        all = term_match(&e->v[j].v[k], c);
      any = all;
    }
    if (!any) return false;
  }
  return true;
}

void cxr_select_free(struct cxr_select *sel) {
  if (!sel) return;
  for (size_t i = 0; i < sel->n; i++)
    free_expr(&sel->v[i]);
  free(sel->v);
  free(sel);
}

/* ---- shards ---- */

uint64_t cxr_fnv1a64(const char *s) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    h ^= *p;
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

/* A decimal number of at most 9 digits (no sign, no blanks). */
static bool parse_count(const char *s, size_t len, unsigned *out) {
  if (len == 0 || len > 9) return false;
  unsigned v = 0;
  for (size_t i = 0; i < len; i++) {
    if (!isdigit((unsigned char)s[i])) return false;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  *out = v;
  return true;
}

int cxr_shard_parse(const char *s, unsigned *k, unsigned *n, char *err, size_t errlen) {
  const char *slash = s ? strchr(s, '/') : NULL;
  unsigned kk, nn;
  if (!slash || !parse_count(s, (size_t)(slash - s), &kk) ||
      !parse_count(slash + 1, strlen(slash + 1), &nn)) {
    if (err && errlen) snprintf(err, errlen, "bad shard '%s': expected K/N, e.g. 1/4", s ? s : "");
    return CX_FAILED;
  }
  if (nn < 1 || kk < 1 || kk > nn) {
    if (err && errlen) snprintf(err, errlen, "bad shard '%s': needs 1 <= K <= N", s);
    return CX_FAILED;
  }
  *k = kk;
  *n = nn;
  return CX_OK;
}

unsigned cxr_shard_of(unsigned n, const struct cx_cable *c) {
  const char *id = c->canonical_id && *c->canonical_id ? c->canonical_id : c->id;
  if (n <= 1 || !id || !*id) return 1;
  return (unsigned)(cxr_fnv1a64(id) % n) + 1;
}

bool cxr_shard_match(unsigned k, unsigned n, const struct cx_cable *c) {
  if (n == 0) return true;
  return cxr_shard_of(n, c) == k;
}
