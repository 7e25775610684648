/* json_reader.c - reads cables from JSON with jansson, one record at a time.
 *
 * Accepted layouts: JSON Lines (one object per line, blank lines ignored), a
 * single object possibly spread over many lines, a sequence of such objects,
 * and top-level arrays of cable objects.  The input is never read whole: a
 * small framer finds where each record (one cable object) ends by tracking
 * brackets and strings, collects just that record in a bounded buffer
 * (option max-cable-size, default CX_DEFAULT_CABLE_MAX) and hands it to
 * jansson.  A record that is too big, is not valid JSON or does not fit the
 * model is CX_FAILED with its line; the next call goes on with the next
 * record (a too big one that has not ended CX_SKIP_MAX bytes past the limit
 * ends the input instead: a decompression bomb is not inflated to its end).
 *
 * Resynchronising after a broken record: the first cable decides the
 * layout.  If it ends on its first line, or that line ends where pretty
 * JSON never breaks one (anywhere but after '{', '[', ',' or ':'), the input
 * is JSON Lines and every record ends at the end of its line at the latest,
 * so a truncated line costs only that line.  Otherwise the layout is
 * "pretty"; there a record
 * whose second line is indented deeper than its first one is cut short when
 * a '{' appears at or left of its own starting column while brackets are
 * still open, because in indented JSON that can only be the next cable.
 */
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"
#include "json_plugin.h"

#define JR_CHUNK (64 * 1024)
#define JR_FLAGS                                                                                   \
  (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL | JSON_DECODE_ANY)

enum jr_mode { MODE_UNKNOWN, MODE_LINES, MODE_PRETTY };

struct jr {
  struct cx_istream *in;
  struct cx_buf rec; /* the current record */
  size_t max;
  unsigned char *chunk;
  size_t pos, end;
  bool eof;
  unsigned long line; /* 1-based line of chunk[pos] */
  size_t col;         /* 0-based byte column of chunk[pos] */
  enum jr_mode mode;
  bool in_array;
  unsigned long array_line;
  bool last_failed; /* the previous record was reported as lost */
};

/* Where the current record is and how it ended. */
struct frame {
  unsigned long line; /* first line */
  size_t col;         /* column of its first byte */
  bool overflow;      /* larger than max: not kept */
  bool oom;
  bool split;   /* cut short where the next cable starts */
  bool gave_up; /* oversized, and no end within CX_SKIP_MAX more */
};

int jsonp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  size_t i = 0;
  if (len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) i = 3;
  for (; i < len; i++) {
    unsigned char c = head[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[' ? 60 : 0;
  }
  return 0;
}

/* ---- framing ---- */

/* Makes chunk[pos] readable: 1, 0 at the end, or CX_FATAL (stream error,
 * message on the stream's ctx). */
static int fill(struct jr *r) {
  if (r->pos < r->end) return 1;
  if (r->eof) return 0;
  long n = cx_istream_read(r->in, r->chunk, JR_CHUNK);
  if (n < 0) return CX_FATAL;
  r->pos = 0;
  r->end = (size_t)n;
  if (n == 0) r->eof = true;
  return n > 0;
}

/* Appends chunk[from..pos) to the record unless it already overflowed. */
static void keep(struct jr *r, struct frame *f, size_t from) {
  if (f->overflow || f->oom || r->pos == from) return;
  int rc = cx_buf_add(&r->rec, r->chunk + from, r->pos - from);
  if (rc == CX_FAILED)
    f->overflow = true;
  else if (rc < 0)
    f->oom = true;
}

static void advance(struct jr *r) {
  r->pos++;
  r->col++;
}

/* True when one of the 8 bytes in v is '"', '\\' or a newline (the "has a
 * zero byte" test on v xor each of them; exact as to whether any matches). */
static bool word_stops_string(uint64_t v) {
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\'), n = v ^ (ones * '\n');
  return ((((q - ones) & ~q) | ((b - ones) & ~b) | ((n - ones) & ~n)) & high) != 0;
}

/* Finds the next record: CX_OK (in r->rec, described by f), CX_EOF or
 * CX_FATAL. */
static int frame(struct jr *r, struct frame *f) {
  int rc;
  for (;;) { /* blanks, and the punctuation of top-level arrays */
    rc = fill(r);
    if (rc <= 0) return rc < 0 ? rc : CX_EOF;
    unsigned char c = r->chunk[r->pos];
    if (c == '\n') {
      r->pos++;
      r->line++;
      r->col = 0;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      advance(r);
    } else if (r->in_array && (c == ',' || c == ']')) {
      if (c == ']') r->in_array = false;
      advance(r);
    } else if (!r->in_array && c == '[') {
      r->in_array = true;
      r->array_line = r->line;
      advance(r);
    } else {
      break;
    }
  }

  memset(f, 0, sizeof *f);
  f->line = r->line;
  f->col = r->col;
  cx_buf_reset(&r->rec);
  unsigned char first = r->chunk[r->pos];
  bool scalar = first != '{' && first != '['; /* not a cable: framed to jansson's verdict */
  long depth = 0;
  bool instr = false, esc = false, line_start = false, broken_string = false;
  unsigned char last = 0; /* last non-blank byte of the line outside strings */
  size_t indent = 0;
  int indented = -1; /* is the record's second line indented past its first? */
  size_t from = r->pos;
  size_t seen = 0; /* bytes of the record before chunk[from] */
  for (;;) {
    if (r->pos == r->end) {
      keep(r, f, from);
      seen += r->pos - from;
      if (f->overflow && seen > r->max && seen - r->max > CX_SKIP_MAX) {
        /* no end in sight (a decompression bomb?): stop reading */
        f->gave_up = true;
        r->eof = true;
        return CX_OK;
      }
      rc = fill(r);
      if (rc < 0) return rc;
      if (rc == 0) return CX_OK; /* incomplete: jansson will say so */
      from = r->pos;
    }
    unsigned char c = r->chunk[r->pos];
    if (instr) {
      if (esc) {
        esc = false;
        if (c != '\n') {
          advance(r);
          continue;
        }
      } else if (c == '\\') {
        esc = true;
        advance(r);
        continue;
      } else if (c == '"') {
        instr = false;
        last = c;
        advance(r);
        continue;
      } else if (c != '\n') {
        const unsigned char *p = r->chunk + r->pos, *e = r->chunk + r->end;
        while (e - p >= 8) { /* eight string bytes at a time */
          uint64_t v;
          memcpy(&v, p, 8);
          if (word_stops_string(v)) break;
          p += 8;
        }
        while (p < e && *p != '"' && *p != '\\' && *p != '\n')
          p++;
        size_t n = (size_t)(p - (r->chunk + r->pos));
        r->pos += n;
        r->col += n;
        continue;
      }
      /* JSON strings never hold a raw newline: this one is broken (jansson
       * will say where), and the framing goes on outside it. */
      instr = false;
      broken_string = true;
    }
    if (line_start) {
      if (c == ' ' || c == '\t') {
        indent++;
        advance(r);
        continue;
      }
      line_start = false;
      if (c != '\n' && c != '\r') {
        if (indented < 0) indented = indent > f->col;
        if (r->mode == MODE_PRETTY && indented == 1 && depth > 0 && c == '{' && indent <= f->col) {
          keep(r, f, from);
          f->split = true;
          return CX_OK;
        }
      }
    }
    switch (c) {
    case '\n':
      if (scalar || (r->mode == MODE_LINES && depth > 0)) {
        keep(r, f, from);
        return CX_OK;
      }
      if (r->mode == MODE_UNKNOWN) {
        /* The first cable's first line: pretty JSON breaks lines after an
         * opening bracket, a comma or a colon, never inside a string; any
         * other line end is a JSON Lines record cut short. */
        if (!broken_string && (last == '{' || last == '[' || last == ',' || last == ':')) {
          r->mode = MODE_PRETTY;
        } else {
          r->mode = MODE_LINES;
          keep(r, f, from);
          return CX_OK;
        }
      }
      r->pos++;
      last = 0;
      r->line++;
      r->col = 0;
      line_start = true;
      indent = 0;
      continue;
    case '"':
      instr = true;
      break;
    case '{':
    case '[':
      depth++;
      break;
    case '}':
    case ']':
      if (depth > 0 && --depth == 0 && !scalar) {
        advance(r);
        keep(r, f, from);
        if (r->mode == MODE_UNKNOWN) r->mode = MODE_LINES;
        return CX_OK;
      }
      if (scalar && depth == 0 && c == ']' && r->in_array) {
        keep(r, f, from);
        return CX_OK;
      }
      break;
    case ',':
      if (scalar && depth == 0 && r->in_array) {
        keep(r, f, from);
        return CX_OK;
      }
      break;
    default:
      break;
    }
    if (c != ' ' && c != '\t' && c != '\r') last = c;
    advance(r);
  }
}

/* ---- from jansson to the model ---- */

struct conv {
  struct cx_cable *c;
  json_t *root;
  const char *text; /* the record, for the text of numbers */
  size_t text_len;
  /* numbers in document order: their jansson nodes and their text */
  bool scanned;
  size_t nnum, hint;
  json_t **num_node;
  const char **num_text;
  size_t *num_len;
  char path[160];
  size_t plen;
  int code; /* CX_FAILED, or CX_FATAL when out of memory */
  char err[CX_MSG_MAX - 64];
};

static size_t path_key(struct conv *cv, const char *key) {
  size_t old = cv->plen;
  int n = snprintf(cv->path + cv->plen, sizeof cv->path - cv->plen, "%s%.40s", old ? "." : "", key);
  if (n > 0) cv->plen += (size_t)n < sizeof cv->path - cv->plen ? (size_t)n : 0;
  return old;
}

static size_t path_index(struct conv *cv, size_t i) {
  size_t old = cv->plen;
  int n = snprintf(cv->path + cv->plen, sizeof cv->path - cv->plen, "[%zu]", i);
  if (n > 0) cv->plen += (size_t)n < sizeof cv->path - cv->plen ? (size_t)n : 0;
  return old;
}

static void path_pop(struct conv *cv, size_t old) {
  cv->plen = old;
  cv->path[old] = '\0';
}

static int fail(struct conv *cv, const char *fmt, ...) CX_PRINTF(2, 3);
static int fail(struct conv *cv, const char *fmt, ...) {
  if (cv->code) return -1; /* keep the first problem */
  cv->code = CX_FAILED;
  int n = snprintf(cv->err, sizeof cv->err, "%s%s", cv->path, cv->plen ? ": " : "");
  if (n < 0 || (size_t)n >= sizeof cv->err) n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cv->err + n, sizeof cv->err - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

static int oom(struct conv *cv) {
  if (!cv->code) snprintf(cv->err, sizeof cv->err, "out of memory");
  cv->code = CX_FATAL;
  return -1;
}

static const char *jtype(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "an array";
  case JSON_STRING:
    return "a string";
  case JSON_INTEGER:
  case JSON_REAL:
    return "a number";
  case JSON_TRUE:
  case JSON_FALSE:
    return "a boolean";
  default:
    return "null";
  }
}

/* The model's strings are C strings: a string with U+0000 cannot be held. */
static int check_nul(struct conv *cv, const json_t *v) {
  if (memchr(json_string_value(v), '\0', json_string_length(v)))
    return fail(cv, "string contains U+0000 (NUL), which the model's C strings cannot hold");
  return 0;
}

static int get_str(struct conv *cv, const json_t *v, char **dst) {
  if (json_is_null(v)) return 0;
  if (!json_is_string(v)) return fail(cv, "expected a string or null, found %s", jtype(v));
  if (check_nul(cv, v)) return -1;
  if (cx_set_n(dst, json_string_value(v), json_string_length(v)) != CX_OK) return oom(cv);
  return 0;
}

/* pattern: 'd' a digit, anything else itself */
static bool matches(const char *s, const char *pattern) {
  for (; *pattern; s++, pattern++)
    if (*pattern == 'd' ? !(*s >= '0' && *s <= '9') : *s != *pattern) return false;
  return *s == '\0';
}

static int get_date(struct conv *cv, const json_t *v, char **dst, const char *pattern,
                    const char *form) {
  if (get_str(cv, v, dst)) return -1;
  if (*dst && !matches(*dst, pattern))
    return fail(cv, "\"%.40s\" is not a date of the form %s", *dst, form);
  return 0;
}

static int get_strv(struct conv *cv, const json_t *v, struct cx_strv *dst) {
  if (json_is_null(v)) return 0;
  if (!json_is_array(v)) return fail(cv, "expected an array of strings, found %s", jtype(v));
  size_t i;
  json_t *s;
  json_array_foreach(v, i, s) {
    size_t mark = path_index(cv, i);
    if (!json_is_string(s)) return fail(cv, "expected a string, found %s", jtype(s));
    if (check_nul(cv, s)) return -1;
    if (cx_strv_push_n(dst, json_string_value(s), json_string_length(s)) != CX_OK) return oom(cv);
    path_pop(cv, mark);
  }
  return 0;
}

static int get_record(struct conv *cv, const json_t *v, enum cx_record_id rec, void *base);

/* A list of objects of the model (recipients, references, paragraphs). */
static int get_list(struct conv *cv, const json_t *v, const struct cx_field *f, void *base) {
  if (json_is_null(v)) return 0;
  if (!json_is_array(v)) return fail(cv, "expected an array of %ss, found %s", f->item, jtype(v));
  size_t i;
  json_t *e;
  json_array_foreach(v, i, e) {
    size_t mark = path_index(cv, i);
    if (!json_is_object(e)) return fail(cv, "expected an object, found %s", jtype(e));
    void *elem = cx_field_list_add(f, base);
    if (!elem) return oom(cv);
    if (get_record(cv, e, f->sub, elem) < 0) return -1;
    path_pop(cv, mark);
  }
  return 0;
}

/* ---- numbers keep their text ---- */

static int scan_push(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 0;
  size_t ncap = *cap ? *cap * 2 : 16;
  void *p = realloc(*v, ncap * size);
  if (!p) return -1;
  *v = p;
  *cap = ncap;
  return 0;
}

static int collect_nodes(struct conv *cv, json_t *j, size_t *n, size_t *cap) {
  if (json_is_number(j)) {
    if (scan_push((void **)&cv->num_node, cap, *n, sizeof *cv->num_node)) return -1;
    cv->num_node[(*n)++] = j;
  } else if (json_is_array(j)) {
    size_t i;
    json_t *e;
    json_array_foreach(j, i, e) if (collect_nodes(cv, e, n, cap)) return -1;
  } else if (json_is_object(j)) {
    const char *k;
    json_t *e;
    json_object_foreach(j, k, e) if (collect_nodes(cv, e, n, cap)) return -1;
  }
  return 0;
}

static bool num_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* Pairs every number node with its text in the record: jansson keeps
 * object members in document order and the record held no duplicate keys,
 * so the n-th number met walking the tree is the n-th number token. */
static int scan_numbers(struct conv *cv) {
  size_t cap = 0, n = 0, tcap = 0, lcap = 0, t = 0;
  cv->scanned = true;
  if (collect_nodes(cv, cv->root, &n, &cap)) return -1;
  const char *s = cv->text, *e = s + cv->text_len;
  while (s < e) {
    if (*s == '"') {
      for (s++; s < e && *s != '"'; s++)
        if (*s == '\\') s++;
      s++;
    } else if (*s == '-' || (*s >= '0' && *s <= '9')) {
      const char *b = s;
      while (s < e && num_char(*s))
        s++;
      if (scan_push((void **)&cv->num_text, &tcap, t, sizeof *cv->num_text) ||
          scan_push((void **)&cv->num_len, &lcap, t, sizeof *cv->num_len))
        return -1;
      cv->num_text[t] = b;
      cv->num_len[t++] = (size_t)(s - b);
    } else {
      s++;
    }
  }
  cv->nnum = n == t ? n : 0; /* cannot differ; if it did, fall back to the values */
  return 0;
}

static int number_text(struct conv *cv, json_t *j, struct cx_value *dst) {
  if (!cv->scanned && scan_numbers(cv)) return oom(cv);
  for (size_t k = 0; k < cv->nnum; k++) {
    size_t i = (cv->hint + k) % cv->nnum;
    if (cv->num_node[i] == j) {
      cv->hint = i + 1;
      if (cx_value_set_text(dst, CX_VALUE_NUMBER, cv->num_text[i], cv->num_len[i]) != CX_OK)
        return oom(cv);
      return 0;
    }
  }
  char buf[40];
  if (json_is_integer(j))
    snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
  else
    snprintf(buf, sizeof buf, "%.17g", json_real_value(j));
  if (cx_value_set_text(dst, CX_VALUE_NUMBER, buf, strlen(buf)) != CX_OK) return oom(cv);
  return 0;
}

static int get_value(struct conv *cv, json_t *j, struct cx_value *dst) {
  switch (json_typeof(j)) {
  case JSON_NULL:
    dst->kind = CX_VALUE_NULL;
    return 0;
  case JSON_TRUE:
    dst->kind = CX_VALUE_TRUE;
    return 0;
  case JSON_FALSE:
    dst->kind = CX_VALUE_FALSE;
    return 0;
  case JSON_INTEGER:
  case JSON_REAL:
    return number_text(cv, j, dst);
  case JSON_STRING:
    if (check_nul(cv, j)) return -1;
    if (cx_value_set_text(dst, CX_VALUE_STRING, json_string_value(j), json_string_length(j)) !=
        CX_OK)
      return oom(cv);
    return 0;
  case JSON_ARRAY: {
    size_t i;
    json_t *e;
    dst->kind = CX_VALUE_ARRAY;
    json_array_foreach(j, i, e) {
      size_t mark = path_index(cv, i);
      struct cx_value *it = cx_value_append(dst);
      if (!it) return oom(cv);
      if (get_value(cv, e, it)) return -1;
      path_pop(cv, mark);
    }
    return 0;
  }
  case JSON_OBJECT: {
    const char *k;
    json_t *e;
    dst->kind = CX_VALUE_OBJECT;
    json_object_foreach(j, k, e) {
      size_t mark = path_key(cv, k);
      /* JSON_REJECT_DUPLICATES: every key is new */
      struct cx_value *it = cx_value_put_new(dst, k);
      if (!it) return oom(cv);
      if (get_value(cv, e, it)) return -1;
      path_pop(cv, mark);
    }
    return 0;
  }
  }
  return 0;
}

/* A whole number in [lo, hi] (1.0 counts, as in JSON Schema). */
static bool get_int(const json_t *v, double lo, double hi, int *out) {
  double d = json_number_value(v);
  if (!(d >= lo && d <= hi) || (double)(long)d != d) return false;
  *out = (int)d;
  return true;
}

static int get_extra(struct conv *cv, json_t *v, struct cx_value *dst) {
  if (json_is_null(v)) return 0;
  if (!json_is_object(v)) return fail(cv, "expected an object, found %s", jtype(v));
  return get_value(cv, v, dst);
}

static int get_kind(struct conv *cv, const json_t *v, enum cx_ref_kind *dst) {
  if (json_is_null(v)) return 0;
  const char *s = json_string_value(v);
  if (!s || (strcmp(s, "cable") && strcmp(s, "email") && strcmp(s, "other")) ||
      strlen(s) != json_string_length(v))
    return fail(cv, "expected \"cable\", \"email\" or \"other\"");
  *dst = cx_ref_kind_parse(s);
  return 0;
}

static int get_version(struct conv *cv, const json_t *v) {
  int mv;
  if (json_is_null(v)) return 0;
  if (!json_is_number(v)) return fail(cv, "expected the number 1, found %s", jtype(v));
  if (!get_int(v, 1, 1, &mv))
    return fail(cv, "version %g is not supported (this reader knows model_version %d)",
                json_number_value(v), CX_MODEL_VERSION);
  return 0;
}

/* The field f of base from v: 0, or -1 (cv->code, cv->err). */
static int get_field(struct conv *cv, const struct cx_field *f, json_t *v, void *base) {
  void *dst = cx_field_ptr(f, base);
  int rc;
  switch ((enum cx_field_kind)f->kind) {
  case CX_FK_VERSION:
    return get_version(cv, v);
  case CX_FK_STRING:
    return get_str(cv, v, dst);
  case CX_FK_DATETIME:
    return get_date(cv, v, dst, "dddd-dd-ddTdd:dd:dd", "YYYY-MM-DDTHH:MM:SS");
  case CX_FK_DATE:
    return get_date(cv, v, dst, "dddd-dd-dd", "YYYY-MM-DD");
  case CX_FK_STRINGS:
    return get_strv(cv, v, dst);
  case CX_FK_BOOL:
    if (json_is_null(v)) return 0;
    if (!json_is_boolean(v)) return fail(cv, "expected a boolean, found %s", jtype(v));
    *(bool *)dst = json_is_true(v);
    return 0;
  case CX_FK_COUNT:
    if (json_is_null(v)) return 0;
    if (!json_is_number(v)) return fail(cv, "expected an integer >= 1 or null, found %s", jtype(v));
    if (!get_int(v, 1, INT_MAX, dst))
      return fail(cv, "expected an integer >= 1 or null, found %g", json_number_value(v));
    return 0;
  case CX_FK_REFKIND:
    return get_kind(cv, v, dst);
  case CX_FK_OBJECT:
    rc = get_record(cv, v, f->sub, dst);
    if (rc == 0) cx_field_set_present(f, base);
    return rc < 0 ? -1 : 0;
  case CX_FK_LIST:
    return get_list(cv, v, f, base);
  case CX_FK_EXTRA:
    return get_extra(cv, v, dst);
  }
  return 0;
}

/* An object of the model; null is "absent" (returns 1), an object 0,
 * anything else an error. */
static int get_record(struct conv *cv, const json_t *v, enum cx_record_id rec, void *base) {
  if (json_is_null(v)) return 1;
  if (!json_is_object(v)) return fail(cv, "expected an object or null, found %s", jtype(v));
  const char *k;
  json_t *m;
  json_object_foreach((json_t *)v, k, m) {
    size_t mark = path_key(cv, k);
    const struct cx_field *f = cx_field_find(rec, k, strlen(k));
    if (!f) return fail(cv, "unknown key (not in the model)");
    if (get_field(cv, f, m, base) < 0) return -1;
    path_pop(cv, mark);
  }
  return 0;
}

static bool known_top_key(const char *k) {
  return cx_field_find(CX_REC_CABLE, k, strlen(k)) != NULL;
}

/* Fills cv->c from cv->root.  Keys outside the model go into extra (after
 * extra itself was read, wherever it stood); their names are listed in
 * `moved`.  Returns 0 or -1 (cv->code, cv->err). */
static int convert(struct conv *cv, char *moved, size_t moved_size, size_t *nmoved) {
  const char *k;
  json_t *v;
  json_object_foreach(cv->root, k, v) {
    const struct cx_field *f = cx_field_find(CX_REC_CABLE, k, strlen(k));
    if (!f) continue;
    size_t mark = path_key(cv, k);
    if (get_field(cv, f, v, cv->c)) return -1;
    path_pop(cv, mark);
  }
  size_t used = 0;
  /* extra's own keys, looked up in jansson's hash table: a record's keys
   * are distinct, so only those can clash */
  json_t *extra = json_object_get(cv->root, "extra");
  json_object_foreach(cv->root, k, v) {
    if (known_top_key(k)) continue;
    size_t mark = path_key(cv, k);
    if (json_is_object(extra) && json_object_get(extra, k))
      return fail(cv, "key is not in the model and extra has a key of the same name");
    struct cx_value *it = cx_value_put_new(&cv->c->extra, k);
    if (!it) return oom(cv);
    if (get_value(cv, v, it)) return -1;
    path_pop(cv, mark);
    int n = snprintf(moved + used, moved_size - used, "%s\"%.40s\"", *nmoved ? ", " : "", k);
    if (n > 0 && (size_t)n < moved_size - used) used += (size_t)n;
    (*nmoved)++;
  }
  return 0;
}

/* ---- the reader ---- */

int jsonp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                      void **state) {
  size_t max;
  if (cx_options_max_cable_size(opts, ctx, &max) != CX_OK) return CX_FATAL;
  struct jr *r = calloc(1, sizeof *r);
  if (r) r->chunk = malloc(JR_CHUNK);
  if (!r || !r->chunk) {
    free(r);
    return cx_error(ctx, CX_FATAL, 0, "json: out of memory");
  }
  r->in = in;
  r->max = max;
  r->line = 1;
  cx_buf_init(&r->rec, max);
  const unsigned char *head;
  if (cx_istream_peek(in, &head, 3) == 3 && !memcmp(head, "\xEF\xBB\xBF", 3)) {
    unsigned char bom[3];
    if (cx_istream_read(in, bom, 3) < 0) {
      jsonp_reader_close(r);
      return CX_FATAL;
    }
  }
  *state = r;
  return CX_OK;
}

int jsonp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct jr *r = state;
  struct frame f;
  *cable = NULL;
  int rc = frame(r, &f);
  if (rc == CX_EOF) {
    if (r->in_array) {
      r->in_array = false;
      if (!r->last_failed)
        return cx_error(ctx, CX_FAILED, r->line,
                        "json: the array opened on line %lu is not closed (truncated input?)",
                        r->array_line);
    }
    return CX_EOF;
  }
  if (rc < 0) {
    if (ctx && ctx->code != CX_FATAL) cx_error(ctx, CX_FATAL, r->line, "json: read error");
    return CX_FATAL;
  }
  r->last_failed = true;
  if (f.oom) return cx_error(ctx, CX_FATAL, f.line, "json: out of memory");
  if (f.gave_up)
    return cx_error(ctx, CX_FAILED, f.line,
                    "json: the cable starting here is larger than max-cable-size (%zu bytes) and "
                    "has no end within %zu MiB more: rest of the input not read",
                    r->max, CX_SKIP_MAX >> 20);
  if (f.overflow)
    return cx_error(ctx, CX_FAILED, f.line,
                    "json: the cable starting here is larger than max-cable-size (%zu bytes); "
                    "skipped",
                    r->max);

  /* Trailing blanks of a cut record would move jansson's "premature end"
   * past the last line that holds something. */
  size_t len = r->rec.len;
  while (len && strchr(" \t\r\n", r->rec.data[len - 1]))
    len--;
  json_error_t je;
  json_t *root = json_loadb(r->rec.data, len, JR_FLAGS, &je);
  if (!root) {
    unsigned long line = je.line > 0 ? f.line + (unsigned long)je.line - 1 : f.line;
    long col = je.column;
    if (je.line == 1 && col > 0) col += (long)f.col;
    char where[96] = "";
    if (line != f.line)
      snprintf(where, sizeof where, " (in the cable starting on line %lu)", f.line);
    return cx_error(ctx, CX_FAILED, line, "json: invalid JSON at column %ld: %s%s%s", col, je.text,
                    where, f.split ? "; the next cable starts before this one ends" : "");
  }
  if (!json_is_object(root)) {
    const char *t = jtype(root);
    json_decref(root);
    return cx_error(ctx, CX_FAILED, f.line, "json: expected a cable object, found %s", t);
  }

  struct conv cv;
  memset(&cv, 0, sizeof cv);
  cv.root = root;
  cv.text = r->rec.data;
  cv.text_len = r->rec.len;
  cv.c = cx_cable_new();
  char moved[200] = "";
  size_t nmoved = 0;
  if (!cv.c)
    oom(&cv);
  else
    convert(&cv, moved, sizeof moved, &nmoved);
  json_decref(root);
  free(cv.num_node);
  free(cv.num_text);
  free(cv.num_len);
  if (cv.code) {
    cx_cable_free(cv.c);
    return cx_error(ctx, cv.code, f.line, "json: %s", cv.err);
  }
  r->last_failed = false;
  *cable = cv.c;
  if (nmoved)
    return cx_error(ctx, CX_WARN, f.line, "json: key%s %s not in the model, kept in extra",
                    nmoved == 1 ? "" : "s", moved);
  return CX_OK;
}

void jsonp_reader_close(void *state) {
  struct jr *r = state;
  if (!r) return;
  cx_buf_free(&r->rec);
  free(r->chunk);
  free(r);
}
