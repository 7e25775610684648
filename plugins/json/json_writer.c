/* json_writer.c - writes cables as JSON Lines (one object per line) or, with
 * the option "pretty", as 2-space-indented objects separated by newlines.
 *
 * The output is produced directly, without a DOM, into a 64 KiB buffer that
 * goes to the stream in large chunks.  Keys come out in the order of the
 * model contract (formats/cable.schema.json).  Strings are escaped with a
 * table-driven scanner: valid UTF-8 passes through unchanged, `"` `\` and
 * control characters are escaped, and a byte sequence that is not valid
 * UTF-8 is written as U+FFFD (the cable is then written with CX_WARN).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"
#include "json_plugin.h"

#define JW_BUF_SIZE (64 * 1024)

struct jw {
  struct cx_ostream *out; /* where flush() writes, or NULL: */
  struct cx_buf *dst;     /* writer_encode's record buffer */
  bool pretty;
  int level;         /* current nesting, for the pretty indentation */
  int err;           /* first stream error (sticky) */
  size_t replaced;   /* invalid UTF-8 sequences replaced in this cable */
  size_t bad_number; /* extra numbers that were not JSON numbers */
  bool bad_extra;    /* extra was not an object */
  size_t len;
  char buf[JW_BUF_SIZE];
};

static int sink_write(struct jw *w, const void *p, size_t n) {
  return w->out ? cx_ostream_write(w->out, p, n) : cx_buf_add(w->dst, p, n);
}

static void flush(struct jw *w) {
  if (w->len && !w->err) {
    int rc = sink_write(w, w->buf, w->len);
    if (rc < 0) w->err = rc;
  }
  w->len = 0;
}

static void emit_slow(struct jw *w, const void *p, size_t n) {
  flush(w);
  if (n >= JW_BUF_SIZE) { /* a big run goes straight through */
    if (!w->err) {
      int rc = sink_write(w, p, n);
      if (rc < 0) w->err = rc;
    }
    return;
  }
  memcpy(w->buf + w->len, p, n);
  w->len += n;
}

/* Inline, so that the short literals and escapes become plain stores. */
static inline void emit(struct jw *w, const void *p, size_t n) {
  if (n > JW_BUF_SIZE - w->len) {
    emit_slow(w, p, n);
    return;
  }
  memcpy(w->buf + w->len, p, n);
  w->len += n;
}

static void emitc(struct jw *w, char c) {
  if (w->len == JW_BUF_SIZE) flush(w);
  w->buf[w->len++] = c;
}

#define EMIT_LIT(w, s) emit((w), (s), sizeof(s) - 1)

/* Byte classes for the string scanner: 0 copies as is, 1 needs an escape
 * (control characters, '"', '\\'), 2 starts a multi-byte sequence to check,
 * 3 is the terminating NUL. */
static const unsigned char byte_class[256] = {
    3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20: '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 50: '\\' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 70 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 80 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 90 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* a0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* b0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* c0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* d0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* e0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* f0 */
};

static void write_string(struct jw *w, const char *s) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s, *run = p;
  const unsigned char *end = p + strlen(s);
  emitc(w, '"');
  for (;;) {
    /* most text is plain ASCII: straight to the next byte that needs a look */
    p = (const unsigned char *)cx_json_plain_end((const char *)p, (const char *)end);
    unsigned char c = *p;
    unsigned char k = byte_class[c];
    if (k == 0) {
      p++;
      continue;
    }
    bool ok = false;
    size_t n = 0;
    if (k == 2) {
      n = cx_utf8_check(p, &ok);
      if (ok) {
        p += n;
        continue;
      }
    }
    emit(w, run, (size_t)(p - run));
    if (k == 3) break;
    if (k == 2) {
      EMIT_LIT(w, "\xEF\xBF\xBD");
      w->replaced++;
      p += n;
    } else {
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      switch (c) {
      case '"':
      case '\\':
        e[1] = (char)c;
        emit(w, e, 2);
        break;
      case '\n':
        EMIT_LIT(w, "\\n");
        break;
      case '\t':
        EMIT_LIT(w, "\\t");
        break;
      case '\r':
        EMIT_LIT(w, "\\r");
        break;
      case '\f':
        EMIT_LIT(w, "\\f");
        break;
      default:
        emit(w, e, 6);
      }
      p++;
    }
    run = p;
  }
  emitc(w, '"');
}

static void write_nstring(struct jw *w, const char *s) {
  if (s)
    write_string(w, s);
  else
    EMIT_LIT(w, "null");
}

/* ---- structure: compact or pretty ---- */

static void newline_indent(struct jw *w) {
  static const char spaces[] = "                                ";
  emitc(w, '\n');
  size_t n = (size_t)w->level * 2;
  while (n) {
    size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
    emit(w, spaces, k);
    n -= k;
  }
}

static void open_c(struct jw *w, char c, bool *first) {
  emitc(w, c);
  w->level++;
  *first = true;
}

static void close_c(struct jw *w, char c, bool first) {
  w->level--;
  if (w->pretty && !first) newline_indent(w);
  emitc(w, c);
}

/* Starts an array item. */
static void item(struct jw *w, bool *first) {
  if (!*first) emitc(w, ',');
  *first = false;
  if (w->pretty) newline_indent(w);
}

/* Starts an object member whose key needs no escaping (a model name). */
static void key(struct jw *w, bool *first, const char *name, size_t len) {
  item(w, first);
  emitc(w, '"');
  emit(w, name, len);
  if (w->pretty)
    EMIT_LIT(w, "\": ");
  else
    EMIT_LIT(w, "\":");
}

static void member_key(struct jw *w, bool *first, const char *name) {
  item(w, first);
  write_string(w, name ? name : "");
  if (w->pretty)
    EMIT_LIT(w, ": ");
  else
    emitc(w, ':');
}

static void strv(struct jw *w, const struct cx_strv *v) {
  bool first;
  open_c(w, '[', &first);
  for (size_t i = 0; i < v->n; i++) {
    item(w, &first);
    write_string(w, v->v[i] ? v->v[i] : "");
  }
  close_c(w, ']', first);
}

static void value(struct jw *w, const struct cx_value *v) {
  bool first;
  switch (v->kind) {
  case CX_VALUE_NULL:
    EMIT_LIT(w, "null");
    break;
  case CX_VALUE_FALSE:
    EMIT_LIT(w, "false");
    break;
  case CX_VALUE_TRUE:
    EMIT_LIT(w, "true");
    break;
  case CX_VALUE_NUMBER:
    if ((v->text && cx_is_json_number(v->text, strlen(v->text)))) {
      emit(w, v->text, strlen(v->text));
    } else { /* keep the text rather than write invalid JSON */
      w->bad_number++;
      write_string(w, v->text ? v->text : "");
    }
    break;
  case CX_VALUE_STRING:
    write_string(w, v->text ? v->text : "");
    break;
  case CX_VALUE_ARRAY:
    open_c(w, '[', &first);
    for (size_t i = 0; i < v->n; i++) {
      item(w, &first);
      value(w, &v->items[i]);
    }
    close_c(w, ']', first);
    break;
  case CX_VALUE_OBJECT:
    open_c(w, '{', &first);
    for (size_t i = 0; i < v->n; i++) {
      member_key(w, &first, v->keys ? v->keys[i] : "");
      value(w, &v->items[i]);
    }
    close_c(w, '}', first);
    break;
  }
}

static void extra(struct jw *w, const struct cx_value *v) {
  if (v->kind == CX_VALUE_OBJECT) {
    value(w, v);
  } else { /* the model says extra is an object; anything else cannot be carried */
    if (v->kind != CX_VALUE_NULL) w->bad_extra = true;
    EMIT_LIT(w, "{}");
  }
}

/* One object of the model, its fields in the order of cablex/fields.def. */
static void record(struct jw *w, enum cx_record_id rec, const void *base) {
  bool first;
  open_c(w, '{', &first);
  CX_FOR_FIELDS(f, rec) {
    const void *p = cx_field_ptr(f, base);
    key(w, &first, f->name, f->len);
    switch ((enum cx_field_kind)f->kind) {
    case CX_FK_VERSION:
      EMIT_LIT(w, "1");
      break;
    case CX_FK_STRING:
    case CX_FK_DATETIME:
    case CX_FK_DATE:
      write_nstring(w, cx_field_str(f, base));
      break;
    case CX_FK_STRINGS:
      strv(w, p);
      break;
    case CX_FK_BOOL:
      if (*(const bool *)p)
        EMIT_LIT(w, "true");
      else
        EMIT_LIT(w, "false");
      break;
    case CX_FK_COUNT:
      if (*(const int *)p > 0) {
        char num[24];
        int n = snprintf(num, sizeof num, "%d", *(const int *)p);
        emit(w, num, (size_t)n);
      } else {
        EMIT_LIT(w, "null");
      }
      break;
    case CX_FK_REFKIND:
      write_string(w, cx_ref_kind_name(*(const enum cx_ref_kind *)p));
      break;
    case CX_FK_OBJECT:
      if (cx_field_present(f, base))
        record(w, f->sub, p);
      else
        EMIT_LIT(w, "null");
      break;
    case CX_FK_LIST: {
      bool g;
      size_t n = cx_field_list_len(f, base);
      open_c(w, '[', &g);
      for (size_t i = 0; i < n; i++) {
        item(w, &g);
        record(w, f->sub, cx_field_list_at(f, base, i));
      }
      close_c(w, ']', g);
      break;
    }
    case CX_FK_EXTRA:
      extra(w, p);
      break;
    }
  }
  close_c(w, '}', first);
}

static void cable(struct jw *w, const struct cx_cable *c) {
  record(w, CX_REC_CABLE, c);
  emitc(w, '\n');
}

int jsonp_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                      void **state) {
  struct jw *w = calloc(1, sizeof *w);
  if (!w) return cx_error(ctx, CX_FATAL, 0, "json: out of memory");
  w->out = out;
  w->pretty = opts && cx_options_get(opts, "pretty") != NULL;
  *state = w;
  return CX_OK;
}

/* Writes one cable through w; the warnings of what could not be carried
 * are recorded on ctx (CX_WARN). */
static int write_cable(struct jw *w, const struct cx_cable *c, struct cx_ctx *ctx) {
  w->replaced = w->bad_number = 0;
  w->bad_extra = false;
  w->level = 0;
  cable(w, c);
  if (w->replaced || w->bad_number || w->bad_extra) {
    char what[3][96] = {"", "", ""};
    int n = 0;
    if (w->replaced)
      snprintf(what[n++], sizeof what[0], "%zu invalid UTF-8 sequence%s written as U+FFFD",
               w->replaced, w->replaced == 1 ? "" : "s");
    if (w->bad_number)
      snprintf(what[n++], sizeof what[0], "%zu extra number%s that %s not JSON written as string",
               w->bad_number, w->bad_number == 1 ? "" : "s", w->bad_number == 1 ? "is" : "are");
    if (w->bad_extra) snprintf(what[n++], sizeof what[0], "extra is not an object, written as {}");
    return cx_error(ctx, CX_WARN, 0, "json: cable %s: %s%s%s%s%s", c->id ? c->id : "(no id)",
                    what[0], n > 1 ? "; " : "", n > 1 ? what[1] : "", n > 2 ? "; " : "",
                    n > 2 ? what[2] : "");
  }
  return CX_OK;
}

int jsonp_writer_write(void *state, const struct cx_cable *c, struct cx_ctx *ctx) {
  struct jw *w = state;
  if (w->err) return CX_FATAL; /* the stream already failed; its message is on ctx */
  int rc = write_cable(w, c, ctx);
  if (w->err) return CX_FATAL;
  return rc;
}

int jsonp_writer_encode(const struct cx_options *opts, const struct cx_cable *c, struct cx_ctx *ctx,
                        struct cx_buf *out) {
  struct jw *w = malloc(sizeof *w); /* 64 KiB: not on a worker's stack */
  if (!w) return cx_error(ctx, CX_FATAL, 0, "json: out of memory");
  w->out = NULL;
  w->dst = out;
  w->pretty = opts && cx_options_get(opts, "pretty") != NULL;
  w->err = 0;
  w->len = 0;
  int rc = write_cable(w, c, ctx);
  flush(w);
  int err = w->err;
  free(w);
  if (err == CX_FAILED)
    return cx_error(ctx, CX_FAILED, 0, "json: cable %s too large to write", c->id ? c->id : "");
  if (err) return cx_error(ctx, CX_FATAL, 0, "json: out of memory");
  return rc;
}

int jsonp_writer_put(void *state, const char *data, size_t len, struct cx_ctx *ctx) {
  struct jw *w = state;
  (void)ctx; /* the stream puts its own message on the ctx it was opened with */
  if (w->err) return CX_FATAL;
  flush(w);
  if (!w->err) {
    int rc = cx_ostream_write(w->out, data, len);
    if (rc < 0) w->err = rc;
  }
  return w->err ? CX_FATAL : CX_OK;
}

int jsonp_writer_close(void *state, struct cx_ctx *ctx) {
  struct jw *w = state;
  if (!w) return CX_OK;
  flush(w);
  int rc = w->err ? w->err : CX_OK;
  free(w);
  (void)ctx; /* the stream put its own message on the ctx it was opened with */
  return rc < 0 ? rc : CX_OK;
}
