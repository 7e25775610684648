/* xml_writer.c - writes cables as one XML document (formats/xml.md):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <cables xmlns="https://cablex.invalid/ns/cable" model_version="1">
 *     <cable>...</cable>
 *   </cables>
 *
 * The document is streamed: each cable goes out through a 64 KiB buffer as
 * it is given, and close writes the end tag.  Elements follow the model's
 * field order; a null field is left out, "" is an empty element.  Text is
 * escaped so that a reader gets back exactly the model's bytes: & < > as
 * entities, CR as &#13; (a literal CR would be read back as LF), and the
 * characters XML 1.0 cannot hold (C0 controls other than tab, LF and CR, and
 * U+FFFE, U+FFFF) as an empty element <c code="0C"/> in place.  A byte
 * sequence that is not UTF-8 is written as U+FFFD (the cable is then written
 * with CX_WARN).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"
#include "xml_plugin.h"

#define XW_BUF_SIZE (64 * 1024)

struct xw {
  struct cx_ostream *out;
  int err;           /* first stream error (sticky) */
  size_t replaced;   /* invalid UTF-8 sequences replaced in this cable */
  size_t bad_number; /* extra numbers that were not JSON numbers */
  bool bad_extra;    /* extra was not an object */
  size_t len;
  char buf[XW_BUF_SIZE];
};

static void flush(struct xw *w) {
  if (w->len && !w->err) {
    int rc = cx_ostream_write(w->out, w->buf, w->len);
    if (rc < 0) w->err = rc;
  }
  w->len = 0;
}

static void emit(struct xw *w, const void *p, size_t n) {
  if (n > XW_BUF_SIZE - w->len) {
    flush(w);
    if (n >= XW_BUF_SIZE) { /* a big run goes straight through */
      if (!w->err) {
        int rc = cx_ostream_write(w->out, p, n);
        if (rc < 0) w->err = rc;
      }
      return;
    }
  }
  memcpy(w->buf + w->len, p, n);
  w->len += n;
}

static void emits(struct xw *w, const char *s) {
  emit(w, s, strlen(s));
}

/* Byte classes for the text scanner: 0 copies as is, 1 needs an escape
 * (C0 controls but tab and LF, '&', '<', '>'), 2 starts a multi-byte
 * sequence to check, 3 is the terminating NUL.  In attribute values tab, LF
 * and '"' are escaped too (attr_class). */
static const unsigned char text_class[256] = {
    3, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, /* 00: tab, LF plain */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 10 */
    0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20: '&' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, /* 30: '<' '>' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 50 */
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

/* Writes s escaped as element content (attr false) or as an attribute
 * value in double quotes (attr true; the caller made sure it holds no
 * character that needs a <c/> element, see needs_c). */
static void write_text(struct xw *w, const char *s, bool attr) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)s, *run = p;
  const unsigned char *end = p + strlen(s);
  for (;;) {
    if (!attr) /* most text is plain ASCII: straight to the next byte that needs a look */
      p = (const unsigned char *)cx_scan_plain((const char *)p, (const char *)end, "&<>");
    unsigned char c = *p;
    unsigned char k = text_class[c];
    if (attr && (c == '"' || c == '\t' || c == '\n')) k = 1;
    if (k == 0) {
      p++;
      continue;
    }
    bool ok = false;
    size_t n = 0;
    if (k == 2) {
      n = cx_utf8_check(p, &ok);
      /* U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not XML characters */
      if (ok && !(n == 3 && c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)) {
        p += n;
        continue;
      }
    }
    emit(w, run, (size_t)(p - run));
    if (k == 3) break;
    if (k == 2) {
      if (ok) {
        emits(w, p[2] == 0xBE ? "<c code=\"FFFE\"/>" : "<c code=\"FFFF\"/>");
      } else {
        emits(w, "\xEF\xBF\xBD");
        w->replaced++;
      }
      p += n;
    } else {
      switch (c) {
      case '&':
        emits(w, "&amp;");
        break;
      case '<':
        emits(w, "&lt;");
        break;
      case '>':
        emits(w, "&gt;");
        break;
      case '"':
        emits(w, "&quot;");
        break;
      case '\t':
        emits(w, "&#9;");
        break;
      case '\n':
        emits(w, "&#10;");
        break;
      case '\r':
        emits(w, "&#13;");
        break;
      default: {
        char e[] = "<c code=\"00\"/>";
        e[9] = hex[c >> 4];
        e[10] = hex[c & 15];
        emit(w, e, sizeof e - 1);
      }
      }
      p++;
    }
    run = p;
  }
}

/* True when s holds a character only a <c/> element can carry (so that it
 * cannot be an attribute value). */
static bool needs_c(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') return true;
    if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) return true;
  }
  return false;
}

/* A line break and 2 spaces per level (at most 32: deep extra values stop
 * moving right). */
static void indent(struct xw *w, int level) {
  static const char spaces[] = "\n                                ";
  emit(w, spaces, 1 + 2 * (size_t)(level < 16 ? level : 16));
}

/* <name>text</name>, or nothing when s is NULL (null). */
static void field(struct xw *w, int level, const char *name, const char *s) {
  if (!s) return;
  indent(w, level);
  emit(w, "<", 1);
  emits(w, name);
  emit(w, ">", 1);
  write_text(w, s, false);
  emit(w, "</", 2);
  emits(w, name);
  emit(w, ">", 1);
}

static void open_tag(struct xw *w, int level, const char *name) {
  indent(w, level);
  emit(w, "<", 1);
  emits(w, name);
  emit(w, ">", 1);
}

static void close_tag(struct xw *w, int level, const char *name) {
  indent(w, level);
  emit(w, "</", 2);
  emits(w, name);
  emit(w, ">", 1);
}

static void empty_tag(struct xw *w, int level, const char *name) {
  indent(w, level);
  emit(w, "<", 1);
  emits(w, name);
  emit(w, "/>", 2);
}

/* <list><item>..</item>...</list>, or <list/> when empty. */
static void strv(struct xw *w, int level, const char *list, const char *item,
                 const struct cx_strv *v) {
  if (!v->n) {
    empty_tag(w, level, list);
    return;
  }
  open_tag(w, level, list);
  for (size_t i = 0; i < v->n; i++)
    field(w, level + 1, item, v->v[i] ? v->v[i] : "");
  close_tag(w, level, list);
}

static void value(struct xw *w, int level, const struct cx_value *v);

/* The members of an object: <member key="k">value</member>, or, for a key
 * an attribute cannot carry, <member><key>k</key>value</member>. */
static void members(struct xw *w, int level, const struct cx_value *v) {
  for (size_t i = 0; i < v->n; i++) {
    const char *k = v->keys && v->keys[i] ? v->keys[i] : "";
    indent(w, level);
    if (needs_c(k)) {
      emits(w, "<member><key>");
      write_text(w, k, false);
      emits(w, "</key>");
    } else {
      emits(w, "<member key=\"");
      write_text(w, k, true);
      emits(w, "\">");
    }
    value(w, level, &v->items[i]);
    emits(w, "</member>");
  }
}

/* One value, without a line break before it (it follows <member> or an
 * array's line break). */
static void value(struct xw *w, int level, const struct cx_value *v) {
  switch (v->kind) {
  case CX_VALUE_NULL:
    emits(w, "<null/>");
    break;
  case CX_VALUE_FALSE:
    emits(w, "<false/>");
    break;
  case CX_VALUE_TRUE:
    emits(w, "<true/>");
    break;
  case CX_VALUE_NUMBER:
    if ((v->text && cx_is_json_number(v->text, strlen(v->text)))) {
      emits(w, "<number>");
      emits(w, v->text);
      emits(w, "</number>");
      break;
    }
    w->bad_number++; /* keep the text rather than write an invalid number */
    /* fall through */
  case CX_VALUE_STRING:
    emits(w, "<string>");
    write_text(w, v->text ? v->text : "", false);
    emits(w, "</string>");
    break;
  case CX_VALUE_ARRAY:
    if (!v->n) {
      emits(w, "<array/>");
      break;
    }
    emits(w, "<array>");
    for (size_t i = 0; i < v->n; i++) {
      indent(w, level + 1);
      value(w, level + 1, &v->items[i]);
    }
    indent(w, level);
    emits(w, "</array>");
    break;
  case CX_VALUE_OBJECT:
    if (!v->n) {
      emits(w, "<object/>");
      break;
    }
    emits(w, "<object>");
    members(w, level + 1, v);
    indent(w, level);
    emits(w, "</object>");
    break;
  }
}

/* One object of the model: its fields in the order of cablex/fields.def, a
 * null one left out, a list as <list><item>..</item></list> or <list/>. */
static void record(struct xw *w, int level, enum cx_record_id rec, const void *base) {
  CX_FOR_FIELDS(f, rec) {
    const void *p = cx_field_ptr(f, base);
    switch ((enum cx_field_kind)f->kind) {
    case CX_FK_VERSION: /* an attribute of <cables> */
      break;
    case CX_FK_STRING:
    case CX_FK_DATETIME:
    case CX_FK_DATE:
      field(w, level, f->name, cx_field_str(f, base));
      break;
    case CX_FK_STRINGS:
      strv(w, level, f->name, f->item, p);
      break;
    case CX_FK_BOOL:
      field(w, level, f->name, *(const bool *)p ? "true" : "false");
      break;
    case CX_FK_COUNT:
      if (*(const int *)p > 0) {
        char num[24];
        snprintf(num, sizeof num, "%d", *(const int *)p);
        field(w, level, f->name, num);
      }
      break;
    case CX_FK_REFKIND:
      field(w, level, f->name, cx_ref_kind_name(*(const enum cx_ref_kind *)p));
      break;
    case CX_FK_OBJECT:
      if (!cx_field_present(f, base)) break;
      open_tag(w, level, f->name);
      record(w, level + 1, f->sub, p);
      close_tag(w, level, f->name);
      break;
    case CX_FK_LIST: {
      size_t n = cx_field_list_len(f, base);
      if (!n) {
        empty_tag(w, level, f->name);
        break;
      }
      open_tag(w, level, f->name);
      for (size_t i = 0; i < n; i++) {
        open_tag(w, level + 1, f->item);
        record(w, level + 2, f->sub, cx_field_list_at(f, base, i));
        close_tag(w, level + 1, f->item);
      }
      close_tag(w, level, f->name);
      break;
    }
    case CX_FK_EXTRA: {
      const struct cx_value *v = p;
      if (v->kind == CX_VALUE_OBJECT && v->n) {
        open_tag(w, level, f->name);
        members(w, level + 1, v);
        close_tag(w, level, f->name);
      } else { /* the model says extra is an object; anything else cannot be carried */
        if (v->kind != CX_VALUE_NULL && v->kind != CX_VALUE_OBJECT) w->bad_extra = true;
        empty_tag(w, level, f->name);
      }
      break;
    }
    }
  }
}

static void cable(struct xw *w, const struct cx_cable *c) {
  open_tag(w, 1, cx_records[CX_REC_CABLE].name);
  record(w, 2, CX_REC_CABLE, c);
  close_tag(w, 1, cx_records[CX_REC_CABLE].name);
}

int xmlp_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  (void)opts;
  struct xw *w = malloc(sizeof *w);
  if (!w) return cx_error(ctx, CX_FATAL, 0, "xml: out of memory");
  memset(w, 0, offsetof(struct xw, buf));
  w->out = out;
  emits(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cables xmlns=\"" XMLP_NS
           "\" model_version=\"1\">");
  *state = w;
  return CX_OK;
}

int xmlp_writer_write(void *state, const struct cx_cable *c, struct cx_ctx *ctx) {
  struct xw *w = state;
  if (w->err) return CX_FATAL; /* the stream already failed; its message is on ctx */
  w->replaced = w->bad_number = 0;
  w->bad_extra = false;
  cable(w, c);
  if (w->err) return CX_FATAL;
  if (w->replaced || w->bad_number || w->bad_extra) {
    char what[3][96] = {"", "", ""};
    int n = 0;
    if (w->replaced)
      snprintf(what[n++], sizeof what[0], "%zu invalid UTF-8 sequence%s written as U+FFFD",
               w->replaced, w->replaced == 1 ? "" : "s");
    if (w->bad_number)
      snprintf(what[n++], sizeof what[0], "%zu extra number%s that %s not JSON written as string",
               w->bad_number, w->bad_number == 1 ? "" : "s", w->bad_number == 1 ? "is" : "are");
    if (w->bad_extra) snprintf(what[n++], sizeof what[0], "extra is not an object, written empty");
    return cx_error(ctx, CX_WARN, 0, "xml: cable %s: %s%s%s%s%s", c->id ? c->id : "(no id)",
                    what[0], n > 1 ? "; " : "", n > 1 ? what[1] : "", n > 2 ? "; " : "",
                    n > 2 ? what[2] : "");
  }
  return CX_OK;
}

int xmlp_writer_close(void *state, struct cx_ctx *ctx) {
  struct xw *w = state;
  if (!w) return CX_OK;
  emits(w, "\n</cables>\n");
  flush(w);
  int rc = w->err ? w->err : CX_OK;
  free(w);
  (void)ctx; /* the stream put its own message on the ctx it was opened with */
  return rc < 0 ? rc : CX_OK;
}
