/* json_parse.c - one JSON record straight into a cable, in one pass.
 *
 * A strict RFC 8259 parser (UTF-8 checked, no trailing commas, no
 * duplicate keys, nesting at most JSONP_MAX_DEPTH) that knows the model
 * from the field table of cablex/fields.h: a key of a model object is
 * looked up there and its value goes straight into the cable's member, a
 * string decoded once into its final allocation.  Nothing is built for the
 * record as a whole.
 *
 * The first problem wins in this order, as a DOM parser would report them:
 * invalid JSON (with where), then a value that does not fit the model (with
 * its path), then a top-level key outside the model that clashes with
 * extra.  Once the record is known to fail, the rest is only checked.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"
#include "json_plugin.h"

#define JSONP_MAX_DEPTH 2048

struct keyset;

struct jp {
  const char *s, *p, *e; /* the record, the next byte, its end */
  const char *lim;       /* how far a message may quote: e and the blanks trimmed after it */
  int depth;
  const char *bad_at; /* invalid JSON: where, and why */
  char bad[120];
  struct cx_cable *c;
  struct cx_value moved; /* top-level keys outside the model, in order */
  char path[160];
  size_t plen;
  int code; /* a value that does not fit: CX_FAILED, or CX_FATAL (out of memory) */
  char err[CX_MSG_MAX - 64];
  char *tmp; /* the string being decoded: grows to the longest one */
  size_t tcap;
  const char *key_end; /* just past the last key read */
  /* top-level keys outside the model: their values are read on the side,
   * their first problem kept apart (it counts after the model's) */
  bool in_moved;
  struct keyset *moved_keys;
  int mcode;
  size_t mat;          /* the moved key it belongs to */
  uint32_t cable_seen; /* the cable's keys in the model, by index */
  char merr[CX_MSG_MAX - 64];
};

/* ---- problems ---- */

static int syntax(struct jp *j, const char *at, const char *fmt, ...) CX_PRINTF(3, 4);
static int syntax(struct jp *j, const char *at, const char *fmt, ...) {
  if (!j->bad_at) {
    j->bad_at = at;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->bad, sizeof j->bad, fmt, ap);
    va_end(ap);
  }
  return -1;
}

static void fail(struct jp *j, const char *fmt, ...) CX_PRINTF(2, 3);
static void fail(struct jp *j, const char *fmt, ...) {
  int *code = j->in_moved ? &j->mcode : &j->code;
  char *err = j->in_moved ? j->merr : j->err;
  if (*code) return; /* keep the first problem */
  *code = CX_FAILED;
  if (j->in_moved) j->mat = j->moved.n - 1;
  int n = snprintf(err, sizeof j->err, "%s%s", j->path, j->plen ? ": " : "");
  if (n < 0 || (size_t)n >= sizeof j->err) n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err + n, sizeof j->err - (size_t)n, fmt, ap);
  va_end(ap);
}

static void oom(struct jp *j) {
  if (j->code == CX_FATAL) return;
  snprintf(j->err, sizeof j->err, "out of memory");
  j->code = CX_FATAL;
}

/* Appends s[0..n) to the path as snprintf would: as much as fits,
 * NUL-terminated, the length counted only when all of it fits (so a path
 * too long for its buffer keeps its length and loses its tail).  Once per
 * key of every record: no printf. */
static void path_put(struct jp *j, const char *s, size_t n) {
  size_t room = sizeof j->path - j->plen; /* at least 1: the NUL */
  size_t w = n < room ? n : room - 1;
  memcpy(j->path + j->plen, s, w);
  j->path[j->plen + w] = '\0';
  if (n < room) j->plen += n;
}

static size_t path_key(struct jp *j, const char *key, size_t len) {
  size_t old = j->plen;
  char part[41];
  size_t k = strnlen(key, len > 40 ? 40 : len), n = 0;
  if (old) part[n++] = '.';
  memcpy(part + n, key, k);
  path_put(j, part, n + k);
  return old;
}

static size_t path_index(struct jp *j, size_t i) {
  size_t old = j->plen;
  char digits[24], *d = digits + sizeof digits;
  *--d = ']';
  do
    *--d = (char)('0' + i % 10);
  while ((i /= 10) != 0);
  *--d = '[';
  path_put(j, d, (size_t)(digits + sizeof digits - d));
  return old;
}

static void path_pop(struct jp *j, size_t old) {
  j->plen = old;
  j->path[old] = '\0';
}

/* ---- tokens ---- */

static void ws(struct jp *j) {
  while (j->p < j->e && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
    j->p++;
}

static const char *type_name(char c) {
  switch (c) {
  case '{':
    return "an object";
  case '[':
    return "an array";
  case '"':
    return "a string";
  case 't':
  case 'f':
    return "a boolean";
  case 'n':
    return "null";
  default:
    return "a number";
  }
}

/* The first byte of a value, after blanks; 0 at the end (an error). */
static char peek_value(struct jp *j) {
  ws(j);
  if (j->p == j->e) {
    syntax(j, j->p, "premature end of input");
    return 0;
  }
  char c = *j->p;
  if (c == '{' || c == '[' || c == '"' || c == 't' || c == 'f' || c == 'n' || c == '-' ||
      (c >= '0' && c <= '9'))
    return c;
  syntax(j, j->p + 1, "invalid token near '%c'", c);
  return 0;
}

static int literal(struct jp *j, const char *word, size_t n) {
  if ((size_t)(j->e - j->p) < n || memcmp(j->p, word, n))
    return syntax(j, j->p + 1, "invalid token near '%.*s'",
                  (int)(j->e - j->p < 5 ? j->e - j->p : 5), j->p);
  j->p += n;
  return 0;
}

/* How many bytes from at a message quotes, at most max: the text given
 * stops at lim (the caller's record need not end in a NUL). */
static int quote_len(const struct jp *j, const char *at, int max) {
  return j->lim - at < max ? (int)(j->lim - at) : max;
}

/* A number: its text is [*start, j->p). */
static int number(struct jp *j, const char **start) {
  const char *p = j->p, *e = j->e;
  *start = p;
  if (p < e && *p == '-') p++;
  if (p == e || *p < '0' || *p > '9')
    return syntax(j, p, "invalid number near '%.*s'", quote_len(j, *start, 20), *start);
  if (*p == '0')
    p++;
  else
    while (p < e && *p >= '0' && *p <= '9')
      p++;
  if (p < e && *p == '.') {
    p++;
    if (p == e || *p < '0' || *p > '9')
      return syntax(j, p, "invalid number near '%.*s'", quote_len(j, *start, 20), *start);
    while (p < e && *p >= '0' && *p <= '9')
      p++;
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < e && (*p == '+' || *p == '-')) p++;
    if (p == e || *p < '0' || *p > '9')
      return syntax(j, p, "invalid number near '%.*s'", quote_len(j, *start, 20), *start);
    while (p < e && *p >= '0' && *p <= '9')
      p++;
  }
  j->p = p;
  return 0;
}

/* The value of the number s[0, n); -1 when out of memory.  A copy ends it:
 * the record need not end in a NUL. */
static int number_value(const char *s, size_t n, double *v) {
  char buf[64], *b = n < sizeof buf ? buf : malloc(n + 1);
  if (!b) return -1;
  memcpy(b, s, n);
  b[n] = '\0';
  *v = strtod(b, NULL);
  if (b != buf) free(b);
  return 0;
}

static int hex4(const char *p) {
  int v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= c - '0';
    else if (c >= 'a' && c <= 'f')
      v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v |= c - 'A' + 10;
    else
      return -1;
  }
  return v;
}

/* One escape at j->p (past the backslash) into o; its length, 0 on error. */
static size_t escape(struct jp *j, char *o) {
  const char *p = j->p;
  if (p == j->e) return syntax(j, p, "premature end of input"), 0;
  j->p++;
  switch (*p) {
  case '"':
  case '\\':
  case '/':
    *o = *p;
    return 1;
  case 'b':
    *o = '\b';
    return 1;
  case 'f':
    *o = '\f';
    return 1;
  case 'n':
    *o = '\n';
    return 1;
  case 'r':
    *o = '\r';
    return 1;
  case 't':
    *o = '\t';
    return 1;
  case 'u':
    break;
  default:
    return syntax(j, p + 1, "invalid escape '\\%c'", *p), 0;
  }
  int v = j->e - j->p >= 4 ? hex4(j->p) : -1;
  if (v < 0) return syntax(j, j->p, "invalid escape '\\u%.*s'", quote_len(j, j->p, 4), j->p), 0;
  j->p += 4;
  unsigned long cp = (unsigned long)v;
  if (cp >= 0xDC00 && cp <= 0xDFFF) return syntax(j, j->p, "invalid Unicode '\\u%04lX'", cp), 0;
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    int lo = j->e - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u' ? hex4(j->p + 2) : -1;
    if (lo < 0xDC00 || lo > 0xDFFF) return syntax(j, j->p, "invalid Unicode '\\u%04lX'", cp), 0;
    j->p += 6;
    cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
  }
  return cx_utf8_put(o, cp);
}

/* Makes j->tmp hold at least need bytes (it keeps its size for the next
 * records: the longest string read so far, not the longest record). */
static int tmp_room(struct jp *j, size_t need) {
  if (need <= j->tcap) return 0;
  size_t cap = j->tcap > 64 ? j->tcap : 64;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  char *t = realloc(j->tmp, cap);
  if (!t) {
    oom(j);
    return -1;
  }
  j->tmp = t;
  j->tcap = cap;
  return 0;
}

/* A string at j->p (past its quote), decoded into j->tmp.  *len is the
 * decoded length; *nul whether it holds U+0000. */
static int string(struct jp *j, size_t *len, bool *nul) {
  size_t n = 0;
  *nul = false;
  for (;;) {
    const char *run = j->p;
    const char *p = cx_json_plain_end(run, j->e);
    /* room for this run, one more character (at most 4 bytes) and a NUL */
    if (tmp_room(j, n + (size_t)(p - run) + 5)) return -1;
    char *out = j->tmp;
    memcpy(out + n, run, (size_t)(p - run));
    n += (size_t)(p - run);
    j->p = p;
    if (p == j->e) return syntax(j, p, "premature end of input");
    unsigned char c = (unsigned char)*p;
    if (c == '"') {
      j->p++;
      *len = n;
      return 0;
    }
    if (c == '\\') {
      char o[4];
      j->p++;
      size_t k = escape(j, o);
      if (!k) return -1;
      if (k == 1 && o[0] == '\0') *nul = true;
      memcpy(out + n, o, k);
      n += k;
    } else if (c < 0x20) {
      return syntax(j, p + 1, "control character 0x%x in a string", c);
    } else {
      /* bounded: the text is parsed where it lies, with no NUL after it */
      size_t k = cx_utf8_len((const unsigned char *)p, (size_t)(j->e - p));
      if (!k) return syntax(j, p + 1, "unable to decode byte 0x%x", c);
      memcpy(out + n, p, k);
      n += k;
      j->p += k;
    }
  }
}

/* A string (past its quote) decoded into j->tmp, NUL-terminated. */
static int scratch(struct jp *j, size_t *len, bool *nul) {
  if (string(j, len, nul)) return -1;
  j->tmp[*len] = '\0';
  return 0;
}

/* A key (past its quote) decoded into j->tmp. */
static int key(struct jp *j, size_t *len) {
  bool nul;
  j->p++;
  if (scratch(j, len, &nul)) return -1;
  if (nul) return syntax(j, j->p, "NUL byte in object key not supported");
  return 0;
}

/* ---- keys met in one object, for duplicates ---- */

struct keyset {
  size_t n, cap; /* cap: a power of two, or 0 */
  uint64_t *hash;
  char **key;
};

static uint64_t hash_key(const char *s, size_t n) {
  uint64_t h = 1469598103934665603u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  return h;
}

/* Adds key[0, n); 1 when it was there already, -1 when out of memory. */
static int keyset_add(struct keyset *ks, const char *key, size_t n) {
  if (2 * (ks->n + 1) > ks->cap) {
    size_t cap = ks->cap ? ks->cap * 2 : 16;
    uint64_t *h = calloc(cap, sizeof *h);
    char **k = calloc(cap, sizeof *k);
    if (!h || !k) {
      free(h);
      free(k);
      return -1;
    }
    for (size_t i = 0; i < ks->cap; i++) {
      if (!ks->key[i]) continue;
      size_t at = ks->hash[i] & (cap - 1);
      while (k[at])
        at = (at + 1) & (cap - 1);
      h[at] = ks->hash[i];
      k[at] = ks->key[i];
    }
    free(ks->hash);
    free(ks->key);
    ks->hash = h;
    ks->key = k;
    ks->cap = cap;
  }
  uint64_t hv = hash_key(key, n);
  size_t at = hv & (ks->cap - 1);
  for (; ks->key[at]; at = (at + 1) & (ks->cap - 1))
    if (ks->hash[at] == hv && !strcmp(ks->key[at], key)) return 1;
  char *copy = malloc(n + 1);
  if (!copy) return -1;
  memcpy(copy, key, n + 1);
  ks->hash[at] = hv;
  ks->key[at] = copy;
  ks->n++;
  return 0;
}

static void keyset_free(struct keyset *ks) {
  for (size_t i = 0; i < ks->cap; i++)
    free(ks->key[i]);
  free(ks->hash);
  free(ks->key);
}

/* ---- any value (extra) ---- */

static int value(struct jp *j, struct cx_value *dst);

/* Where the next member or item goes: ',' goes on (true), `close` ends. */
static int next_member(struct jp *j, char close, bool *more) {
  ws(j);
  if (j->p == j->e) return syntax(j, j->p, "premature end of input");
  if (*j->p == ',') {
    j->p++;
    *more = true;
    return 0;
  }
  if (*j->p == close) {
    j->p++;
    j->depth--;
    *more = false;
    return 0;
  }
  return syntax(j, j->p + 1, "'%c' expected near '%c'", close, *j->p);
}

static int open_container(struct jp *j, char close, bool *empty) {
  j->p++;
  if (++j->depth > JSONP_MAX_DEPTH) return syntax(j, j->p, "maximum parsing depth reached");
  ws(j);
  *empty = j->p < j->e && *j->p == close;
  if (*empty) {
    j->p++;
    j->depth--;
  }
  return 0;
}

/* A key and its colon; the key is in j->tmp. */
static int member_key(struct jp *j, size_t *n) {
  ws(j);
  if (j->p == j->e) return syntax(j, j->p, "premature end of input");
  if (*j->p != '"') return syntax(j, j->p + 1, "string or '}' expected near '%c'", *j->p);
  if (key(j, n)) return -1;
  j->key_end = j->p;
  ws(j);
  if (j->p == j->e) return syntax(j, j->p, "premature end of input");
  if (*j->p != ':') return syntax(j, j->p + 1, "':' expected near '%c'", *j->p);
  j->p++;
  return 0;
}

static bool failed(const struct jp *j) {
  return (j->in_moved ? j->mcode : j->code) != 0;
}

static int object_value(struct jp *j, struct cx_value *dst) {
  bool empty, more = true;
  if (open_container(j, '}', &empty)) return -1;
  if (dst) dst->kind = CX_VALUE_OBJECT;
  if (empty) return 0;
  struct keyset ks = {0, 0, NULL, NULL};
  int rc = 0;
  while (more && !rc) {
    size_t n;
    if ((rc = member_key(j, &n))) break;
    int dup = keyset_add(&ks, j->tmp, n);
    if (dup > 0) {
      rc = syntax(j, j->key_end, "duplicate object key near '\"%.40s\"'", j->tmp);
      break;
    }
    if (dup < 0) oom(j);
    size_t mark = path_key(j, j->tmp, n);
    struct cx_value *it = NULL;
    if (dst && !failed(j) && !(it = cx_value_put_new(dst, j->tmp))) oom(j);
    rc = value(j, it);
    path_pop(j, mark);
    if (!rc) rc = next_member(j, '}', &more);
  }
  keyset_free(&ks);
  return rc;
}

static int array_value(struct jp *j, struct cx_value *dst) {
  bool empty, more = true;
  if (open_container(j, ']', &empty)) return -1;
  if (dst) dst->kind = CX_VALUE_ARRAY;
  for (size_t i = 0; !empty && more; i++) {
    size_t mark = path_index(j, i);
    struct cx_value *it = NULL;
    if (dst && !failed(j) && !(it = cx_value_append(dst))) oom(j);
    if (value(j, it)) return -1;
    path_pop(j, mark);
    if (next_member(j, ']', &more)) return -1;
  }
  return 0;
}

#define NUL_MSG "string contains U+0000 (NUL), which the model's C strings cannot hold"

static int value(struct jp *j, struct cx_value *dst) {
  char c = peek_value(j);
  const char *start;
  size_t n;
  bool nul;
  if (dst && failed(j)) dst = NULL;
  switch (c) {
  case 0:
    return -1;
  case '{':
    return object_value(j, dst);
  case '[':
    return array_value(j, dst);
  case '"':
    j->p++;
    if (scratch(j, &n, &nul)) return -1;
    if (!dst) return 0;
    if (nul)
      fail(j, NUL_MSG);
    else if (cx_value_set_text(dst, CX_VALUE_STRING, j->tmp, n) != CX_OK)
      oom(j);
    return 0;
  case 't':
  case 'f':
  case 'n':
    if (literal(j, c == 't' ? "true" : c == 'f' ? "false" : "null", c == 'f' ? 5 : 4)) return -1;
    if (dst) dst->kind = c == 't' ? CX_VALUE_TRUE : c == 'f' ? CX_VALUE_FALSE : CX_VALUE_NULL;
    return 0;
  default:
    if (number(j, &start)) return -1;
    if (dst && cx_value_set_text(dst, CX_VALUE_NUMBER, start, (size_t)(j->p - start)) != CX_OK)
      oom(j);
    return 0;
  }
}

/* ---- the model's fields ---- */

static int record(struct jp *j, enum cx_record_id rec, void *base);

/* A string field: into *dst when it fits, checked against its form (dates). */
static int string_field(struct jp *j, char c, const struct cx_field *f, char **dst) {
  size_t n;
  bool nul;
  if (c != '"') {
    fail(j, "expected a string or null, found %s", type_name(c));
    return value(j, NULL);
  }
  j->p++;
  if (scratch(j, &n, &nul)) return -1;
  if (nul)
    fail(j, NUL_MSG);
  else if (!cx_field_form_ok(f, j->tmp))
    fail(j, "\"%.40s\" is not a date of the form %s", j->tmp, cx_field_form(f));
  else if (cx_set_n(dst, j->tmp, n) != CX_OK)
    oom(j);
  return 0;
}

static int strings_field(struct jp *j, char c, struct cx_strv *dst) {
  bool empty, more = true;
  if (c != '[') {
    fail(j, "expected an array of strings, found %s", type_name(c));
    return value(j, NULL);
  }
  if (open_container(j, ']', &empty)) return -1;
  for (size_t i = 0; !empty && more; i++) {
    size_t mark = path_index(j, i), n;
    bool nul;
    char e = peek_value(j);
    if (!e) return -1;
    if (e != '"' || failed(j)) {
      if (!failed(j)) fail(j, "expected a string, found %s", type_name(e));
      if (value(j, NULL)) return -1;
    } else {
      j->p++;
      if (scratch(j, &n, &nul)) return -1;
      if (nul)
        fail(j, NUL_MSG);
      else if (cx_strv_push_n(dst, j->tmp, n) != CX_OK)
        oom(j);
    }
    path_pop(j, mark);
    if (next_member(j, ']', &more)) return -1;
  }
  return 0;
}

static int list_field(struct jp *j, char c, const struct cx_field *f, void *base) {
  bool empty, more = true;
  if (c != '[') {
    fail(j, "expected an array of %ss, found %s", f->item, type_name(c));
    return value(j, NULL);
  }
  if (open_container(j, ']', &empty)) return -1;
  for (size_t i = 0; !empty && more; i++) {
    size_t mark = path_index(j, i);
    char e = peek_value(j);
    if (!e) return -1;
    void *item = NULL;
    if (e != '{' && !failed(j)) fail(j, "expected an object, found %s", type_name(e));
    if (!failed(j) && !(item = cx_field_list_add(f, base))) oom(j);
    if (item ? record(j, f->sub, item) : value(j, NULL)) return -1;
    path_pop(j, mark);
    if (next_member(j, ']', &more)) return -1;
  }
  return 0;
}

/* A number field: its value in *d, or a failure with `what` expected. */
static int number_field(struct jp *j, char c, const char *what, double *d, bool *ok) {
  const char *start;
  *ok = false;
  if (c == '"' || c == '{' || c == '[' || c == 't' || c == 'f') {
    fail(j, "expected %s, found %s", what, type_name(c));
    return value(j, NULL);
  }
  if (number(j, &start)) return -1;
  if (number_value(start, (size_t)(j->p - start), d)) {
    oom(j);
    return 0;
  }
  *ok = true;
  return 0;
}

static int scalar_field(struct jp *j, char c, const struct cx_field *f, void *dst) {
  double d;
  bool ok;
  size_t n;
  switch ((enum cx_field_kind)f->kind) {
  case CX_FK_VERSION:
    if (number_field(j, c, "the number 1", &d, &ok)) return -1;
    if (ok && d != 1)
      fail(j, "version %g is not supported (this reader knows model_version %d)", d,
           CX_MODEL_VERSION);
    return 0;
  case CX_FK_COUNT:
    if (number_field(j, c, "an integer >= 1 or null", &d, &ok)) return -1;
    if (ok && (!(d >= 1 && d <= INT_MAX) || (double)(long)d != d))
      fail(j, "expected an integer >= 1 or null, found %g", d);
    else if (ok)
      *(int *)dst = (int)d;
    return 0;
  case CX_FK_BOOL:
    if (c != 't' && c != 'f') {
      fail(j, "expected a boolean, found %s", type_name(c));
      return value(j, NULL);
    }
    *(bool *)dst = c == 't';
    return value(j, NULL);
  default: /* CX_FK_REFKIND */
    if (c != '"') {
      fail(j, "expected \"cable\", \"email\" or \"other\"");
      return value(j, NULL);
    }
    j->p++;
    if (scratch(j, &n, &ok)) return -1;
    if (ok || (strcmp(j->tmp, "cable") && strcmp(j->tmp, "email") && strcmp(j->tmp, "other")))
      fail(j, "expected \"cable\", \"email\" or \"other\"");
    else
      *(enum cx_ref_kind *)dst = cx_ref_kind_parse(j->tmp);
    return 0;
  }
}

/* The value of field f of base. */
static int field(struct jp *j, const struct cx_field *f, void *base) {
  char c = peek_value(j);
  if (!c) return -1;
  if (c == 'n' || failed(j)) return value(j, NULL); /* null: the field stays absent */
  void *dst = cx_field_ptr(f, base);
  switch ((enum cx_field_kind)f->kind) {
  case CX_FK_STRING:
  case CX_FK_DATETIME:
  case CX_FK_DATE:
    return string_field(j, c, f, dst);
  case CX_FK_STRINGS:
    return strings_field(j, c, dst);
  case CX_FK_LIST:
    return list_field(j, c, f, base);
  case CX_FK_OBJECT:
    if (c != '{') {
      fail(j, "expected an object or null, found %s", type_name(c));
      return value(j, NULL);
    }
    cx_field_set_present(f, base);
    return record(j, f->sub, dst);
  case CX_FK_EXTRA:
    if (c != '{') {
      fail(j, "expected an object, found %s", type_name(c));
      return value(j, NULL);
    }
    return object_value(j, dst);
  default:
    return scalar_field(j, c, f, dst);
  }
}

/* A top-level key outside the model (in j->tmp): its value is kept aside
 * for extra. */
static int moved_key(struct jp *j, size_t n) {
  int dup = keyset_add(j->moved_keys, j->tmp, n);
  if (dup > 0) return syntax(j, j->key_end, "duplicate object key near '\"%.40s\"'", j->tmp);
  if (dup < 0) oom(j);
  struct cx_value *it = NULL;
  if (!failed(j) && !(it = cx_value_put_new(&j->moved, j->tmp))) oom(j);
  j->in_moved = true;
  int rc = value(j, it);
  j->in_moved = false;
  return rc;
}

/* An object of the model (at its '{'). */
static int record(struct jp *j, enum cx_record_id rec, void *base) {
  bool empty, more = true;
  uint32_t seen = 0;
  if (open_container(j, '}', &empty)) return -1;
  while (!empty && more) {
    size_t n;
    if (member_key(j, &n)) return -1;
    const struct cx_field *f = cx_field_find(rec, j->tmp, n);
    if (f && (seen & (UINT32_C(1) << f->index)))
      return syntax(j, j->key_end, "duplicate object key near '\"%.40s\"'", j->tmp);
    if (f) seen |= UINT32_C(1) << f->index;
    if (rec == CX_REC_CABLE) j->cable_seen = seen;
    size_t mark = path_key(j, j->tmp, n);
    int rc;
    if (f) {
      rc = field(j, f, base);
    } else if (rec == CX_REC_CABLE) {
      rc = moved_key(j, n);
    } else {
      fail(j, "unknown key (not in the model)");
      rc = value(j, NULL);
    }
    if (rc) return -1;
    path_pop(j, mark);
    if (next_member(j, '}', &more)) return -1;
  }
  return 0;
}

/* The moved keys go into extra, after its own; a clash fails the cable. */
static void move_keys(struct jp *j, struct jsonp_result *res) {
  size_t used = 0;
  struct keyset ks = {0, 0, NULL, NULL}; /* extra's own keys */
  for (size_t i = 0; i < j->c->extra.n && j->moved.n; i++)
    if (keyset_add(&ks, j->c->extra.keys[i], strlen(j->c->extra.keys[i])) < 0) oom(j);
  for (size_t i = 0; i < j->moved.n && !j->code; i++) {
    const char *k = j->moved.keys[i];
    size_t mark = path_key(j, k, strlen(k));
    if (ks.n && keyset_add(&ks, k, strlen(k)) != 0) {
      fail(j, "key is not in the model and extra has a key of the same name");
    } else if (j->mcode && j->mat == i) {
      j->code = j->mcode;
      memcpy(j->err, j->merr, sizeof j->err);
    }
    path_pop(j, mark);
    int n = snprintf(res->moved + used, sizeof res->moved - used, "%s\"%.40s\"",
                     res->nmoved ? ", " : "", k);
    if (n > 0 && (size_t)n < sizeof res->moved - used) used += (size_t)n;
    res->nmoved++;
  }
  keyset_free(&ks);
  if (j->code) return;
  if (j->moved.n && j->c->extra.kind != CX_VALUE_OBJECT) j->c->extra.kind = CX_VALUE_OBJECT;
  for (size_t i = 0; i < j->moved.n; i++) {
    struct cx_value *it = cx_value_put_new(&j->c->extra, j->moved.keys[i]);
    if (!it) {
      oom(j);
      return;
    }
    *it = j->moved.items[i];
    memset(&j->moved.items[i], 0, sizeof j->moved.items[i]);
  }
}

/* Line and column (counted in characters, as jansson did) of p. */
static void where(const struct jp *j, const char *p, struct jsonp_result *res) {
  unsigned long line = 1;
  const char *bol = j->s;
  for (const char *q = j->s; q < p; q++)
    if (*q == '\n') {
      line++;
      bol = q + 1;
    }
  long col = 0;
  for (const char *q = bol; q < p; q++)
    if (((unsigned char)*q & 0xC0) != 0x80) col++;
  res->line = line;
  res->column = col;
}

int jsonp_parse(const char *text, size_t len, size_t full, struct jsonp_scratch *sc,
                struct cx_cable **cable, struct jsonp_result *res) {
  struct jp j;
  struct keyset ks = {0, 0, NULL, NULL};
  memset(&j, 0, sizeof j);
  memset(res, 0, sizeof *res);
  j.s = j.p = text;
  j.e = text + len;
  j.lim = text + full;
  j.tmp = sc->data;
  j.tcap = sc->cap;
  j.moved_keys = &ks;
  j.moved.kind = CX_VALUE_OBJECT;
  *cable = NULL;
  char c = peek_value(&j);
  if (c == '{') {
    j.c = cx_cable_new();
    if (!j.c) oom(&j);
    if (j.c) j.c->extra.kind = CX_VALUE_OBJECT;
    if (j.c ? record(&j, CX_REC_CABLE, j.c) == 0 : value(&j, NULL) == 0) {
      ws(&j);
      if (j.p != j.e) syntax(&j, j.p + 1, "end of file expected near '%c'", *j.p);
    }
  } else if (c && value(&j, NULL) == 0) {
    ws(&j);
    if (j.p != j.e) syntax(&j, j.p + 1, "end of file expected near '%c'", *j.p);
  }
  sc->data = j.tmp;
  sc->cap = j.tcap;
  if (!j.bad_at && j.c && !j.code) move_keys(&j, res);
  res->seen = j.cable_seen;
  res->nother = ks.n;
  keyset_free(&ks);
  cx_value_clear(&j.moved);
  if (j.bad_at) {
    res->code = CX_FAILED;
    res->syntax = true;
    where(&j, j.bad_at > j.e ? j.e : j.bad_at, res);
    snprintf(res->msg, sizeof res->msg, "%s", j.bad);
  } else if (c != '{') {
    res->code = CX_FAILED;
    res->not_object = c ? type_name(c) : NULL;
    snprintf(res->msg, sizeof res->msg, "expected a cable object, found %s", type_name(c));
  } else if (j.code) {
    res->code = j.code;
    snprintf(res->msg, sizeof res->msg, "%s", j.err);
  }
  if (res->code) {
    cx_cable_free(j.c);
    return res->code;
  }
  *cable = j.c;
  return CX_OK;
}
