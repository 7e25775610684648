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
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"
#include "json_plugin.h"

struct jw {
  bool pretty;
  int level;         /* current nesting, for the pretty indentation */
  size_t replaced;   /* invalid UTF-8 sequences replaced in this cable */
  size_t bad_number; /* extra numbers that were not JSON numbers */
  bool bad_extra;    /* extra was not an object */
  struct cx_emitter em;
};

#define EMIT_LIT(w, s) cx_emit(&(w)->em, (s), sizeof(s) - 1)

/* '"' and '\\' as themselves after a backslash, \n \t \r \f, other
 * control characters as \u00XX. */
static size_t json_esc(unsigned long c, char out[32]) {
  static const char hex[] = "0123456789abcdef";
  char named = 0; /* a switch, not a search: every newline of a text comes here */
  switch (c) {
  case '"':
    named = '"';
    break;
  case '\\':
    named = '\\';
    break;
  case '\n':
    named = 'n';
    break;
  case '\t':
    named = 't';
    break;
  case '\r':
    named = 'r';
    break;
  case '\f':
    named = 'f';
    break;
  }
  out[0] = '\\';
  if (named) {
    out[1] = named;
    return 2;
  }
  memcpy(out + 1, "u00", 3);
  out[4] = hex[c >> 4];
  out[5] = hex[c & 15];
  return 6;
}

static const struct cx_escaper json_text = {{'"', '\\', '\\', '\\'}, false, json_esc};

static void write_string(struct jw *w, const char *s) {
  cx_emitc(&w->em, '"');
  w->replaced += cx_emit_text(&w->em, &json_text, s);
  cx_emitc(&w->em, '"');
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
  cx_emitc(&w->em, '\n');
  size_t n = (size_t)w->level * 2;
  while (n) {
    size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
    cx_emit(&w->em, spaces, k);
    n -= k;
  }
}

static void open_c(struct jw *w, char c, bool *first) {
  cx_emitc(&w->em, c);
  w->level++;
  *first = true;
}

static void close_c(struct jw *w, char c, bool first) {
  w->level--;
  if (w->pretty && !first) newline_indent(w);
  cx_emitc(&w->em, c);
}

/* Starts an array item. */
static void item(struct jw *w, bool *first) {
  if (!*first) cx_emitc(&w->em, ',');
  *first = false;
  if (w->pretty) newline_indent(w);
}

/* Each model field's key as compact JSON writes it ("name":), in a
 * fixed-size slot: it is copied whole, without a memcpy call. */
#define KEY_SLOT 24
static const char json_keys[CX_F_COUNT][KEY_SLOT] = {
#define CX_RECORD(REC, TYPE, NAME)
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM) [CX_F_##REC##_##NAME] = "\"" #NAME "\":",
#include "cablex/fields.def"
#undef CX_RECORD
#undef CX_FIELD
};

/* Starts the member of model field f (a key that needs no escaping). */
static void key(struct jw *w, bool *first, const struct cx_field *f) {
  if (!w->pretty && CX_EMIT_BUF - w->em.len > KEY_SLOT) {
    /* the comma is written in any case and kept when it is needed */
    char *o = w->em.buf + w->em.len;
    size_t comma = !*first;
    *o = ',';
    memcpy(o + comma, json_keys[f - cx_fields], KEY_SLOT);
    w->em.len += comma + f->len + 3;
    *first = false;
    return;
  }
  item(w, first);
  cx_emitc(&w->em, '"');
  cx_emit(&w->em, f->name, f->len);
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
    cx_emitc(&w->em, ':');
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
  case CX_VALUE_FALSE:
  case CX_VALUE_TRUE:
    cx_emits(&w->em, cx_value_literal(v->kind));
    break;
  case CX_VALUE_NUMBER:
    if ((v->text && cx_is_json_number(v->text, strlen(v->text)))) {
      cx_emit(&w->em, v->text, strlen(v->text));
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
  char num[24];
  open_c(w, '{', &first);
  CX_FOR_FIELDS(f, rec) {
    const void *p = cx_field_ptr(f, base);
    key(w, &first, f);
    switch ((enum cx_field_kind)f->kind) {
    case CX_FK_VERSION:
      EMIT_LIT(w, "1");
      break;
    case CX_FK_STRING: /* the member itself, without the call */
    case CX_FK_DATETIME:
    case CX_FK_DATE:
      write_nstring(w, cx_field_str(f, base));
      break;
    case CX_FK_REFKIND:
      write_nstring(w, cx_field_text(f, base, num));
      break;
    case CX_FK_STRINGS:
      strv(w, p);
      break;
    case CX_FK_BOOL:
    case CX_FK_COUNT: { /* a JSON literal */
      const char *t = cx_field_text(f, base, num);
      if (t)
        cx_emits(&w->em, t);
      else
        EMIT_LIT(w, "null");
      break;
    }
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
  cx_emitc(&w->em, '\n');
}

int jsonp_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                      void **state) {
  struct jw *w = malloc(sizeof *w);
  if (!w) return cx_error(ctx, CX_FATAL, 0, "json: out of memory");
  /* Not the 64 KiB buffer: zeroing it costs a one-cable run 16 page faults. */
  memset(w, 0, offsetof(struct jw, em.buf));
  w->em.out = out;
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
  return cx_warn_not_carried(ctx, "json", c->id, w->replaced, w->bad_number,
                             w->bad_extra ? "extra is not an object, written as {}" : NULL);
}

int jsonp_writer_write(void *state, const struct cx_cable *c, struct cx_ctx *ctx) {
  struct jw *w = state;
  if (w->em.err) return CX_FATAL; /* the stream already failed; its message is on ctx */
  int rc = write_cable(w, c, ctx);
  if (w->em.err) return CX_FATAL;
  return rc;
}

int jsonp_writer_encode(const struct cx_options *opts, const struct cx_cable *c, struct cx_ctx *ctx,
                        struct cx_buf *out) {
  struct jw *w = malloc(sizeof *w); /* 64 KiB: not on a worker's stack */
  if (!w) return cx_error(ctx, CX_FATAL, 0, "json: out of memory");
  w->em.out = NULL;
  w->em.dst = out;
  w->pretty = opts && cx_options_get(opts, "pretty") != NULL;
  w->em.err = 0;
  w->em.len = 0;
  int rc = write_cable(w, c, ctx);
  cx_emit_flush(&w->em);
  int err = w->em.err;
  free(w);
  if (err == CX_FAILED)
    return cx_error(ctx, CX_FAILED, 0, "json: cable %s too large to write", c->id ? c->id : "");
  if (err) return cx_error(ctx, CX_FATAL, 0, "json: out of memory");
  return rc;
}

int jsonp_writer_put(void *state, const char *data, size_t len, struct cx_ctx *ctx) {
  struct jw *w = state;
  (void)ctx; /* the stream puts its own message on the ctx it was opened with */
  if (w->em.err) return CX_FATAL;
  cx_emit_flush(&w->em);
  if (!w->em.err) {
    int rc = cx_ostream_write(w->em.out, data, len);
    if (rc < 0) w->em.err = rc;
  }
  return w->em.err ? CX_FATAL : CX_OK;
}

int jsonp_writer_close(void *state, struct cx_ctx *ctx) {
  struct jw *w = state;
  if (!w) return CX_OK;
  cx_emit_flush(&w->em);
  int rc = w->em.err ? w->em.err : CX_OK;
  free(w);
  (void)ctx; /* the stream put its own message on the ctx it was opened with */
  return rc < 0 ? rc : CX_OK;
}
