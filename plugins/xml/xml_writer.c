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

struct xw {
  size_t replaced;   /* invalid UTF-8 sequences replaced in this cable */
  size_t bad_number; /* extra numbers that were not JSON numbers */
  bool bad_extra;    /* extra was not an object */
  struct cx_emitter em;
};

/* & < > as entities, CR as &#13;, in attribute values '"', tab and LF too;
 * the characters XML cannot hold as <c code="0C"/>. */
static size_t xml_esc(unsigned long c, char out[32], bool attr) {
  static const char hex[] = "0123456789ABCDEF";
  const char *e = c < 0x80 ? cx_xml_entity((int)c) : NULL;
  if (c == '\t' || c == '\n') {
    if (!attr) return 0;
    e = c == '\t' ? "&#9;" : "&#10;";
  } else if (c == '\r') {
    e = "&#13;";
  }
  if (e) {
    size_t n = strlen(e);
    memcpy(out, e, n);
    return n;
  }
  if (c >= 0xFFFE) return (size_t)snprintf(out, 32, "<c code=\"%lX\"/>", c);
  memcpy(out, "<c code=\"00\"/>", 14);
  out[9] = hex[c >> 4];
  out[10] = hex[c & 15];
  return 14;
}

static size_t text_esc(unsigned long c, char out[32]) {
  return xml_esc(c, out, false);
}

static size_t attr_esc(unsigned long c, char out[32]) {
  return xml_esc(c, out, true);
}

static const struct cx_escaper xml_text = {{'&', '<', '>', '>'}, true, text_esc};
static const struct cx_escaper xml_attr = {{'&', '<', '>', '"'}, true, attr_esc};

/* Writes s escaped as element content (attr false) or as an attribute
 * value in double quotes (attr true; the caller made sure it holds no
 * character that needs a <c/> element, see needs_c). */
static void write_text(struct xw *w, const char *s, bool attr) {
  w->replaced += cx_emit_text(&w->em, attr ? &xml_attr : &xml_text, s);
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
static inline void indent(struct xw *w, int level) {
  static const char spaces[] = "\n                                ";
  cx_emit(&w->em, spaces, 1 + 2 * (size_t)(level < 16 ? level : 16));
}

/* A tag: "<" or "</", the name, then ">" or "/>". */
static inline void tag(struct xw *w, const char *open, const char *name, const char *close) {
  cx_emits(&w->em, open);
  cx_emits(&w->em, name);
  cx_emits(&w->em, close);
}

static void open_tag(struct xw *w, int level, const char *name) {
  indent(w, level);
  tag(w, "<", name, ">");
}

static void close_tag(struct xw *w, int level, const char *name) {
  indent(w, level);
  tag(w, "</", name, ">");
}

/* The tags of each model field and of its items, made from fields.def at
 * compile time, in fixed-size slots: a tag and the line break before it
 * are copied whole, without strlen or memcpy calls. */
#define TAG_SLOT 24
struct tags {
  char open[TAG_SLOT], close[TAG_SLOT], empty[TAG_SLOT];
  size_t n; /* the name's length */
};
#define CX_RECORD(REC, TYPE, NAME)
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM)                                              \
  [CX_F_##REC##_##NAME] = {"<" #NAME ">", "</" #NAME ">", "<" #NAME "/>", sizeof(#NAME) - 1},
static const struct tags name_tags[CX_F_COUNT] = {
#include "cablex/fields.def"
};
#undef CX_FIELD
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM)                                              \
  [CX_F_##REC##_##NAME] = {"<" ITEM ">", "</" ITEM ">", "<" ITEM "/>", sizeof(ITEM) - 1},
static const struct tags item_tags[CX_F_COUNT] = {
#include "cablex/fields.def"
};
#undef CX_FIELD
#undef CX_RECORD

enum { OPEN, CLOSE, EMPTY };

/* Tag `which` of t, after a line break and indentation to level (none
 * when level is -1). */
static inline void put_tag(struct xw *w, int level, const struct tags *t, int which) {
  static const char nl[48] = "\n                                ";
  const char *src = which == OPEN ? t->open : which == CLOSE ? t->close : t->empty;
  size_t n = t->n + (which == OPEN ? 2 : 3);
  size_t k = level < 0 ? 0 : 1 + 2 * (size_t)(level < 16 ? level : 16);
  if (CX_EMIT_BUF - w->em.len >= sizeof nl + TAG_SLOT) {
    char *o = w->em.buf + w->em.len;
    memcpy(o, nl, sizeof nl);
    memcpy(o + k, src, TAG_SLOT);
    w->em.len += k + n;
    return;
  }
  if (level >= 0) indent(w, level);
  cx_emit(&w->em, src, n);
}

/* <name>text</name>, or nothing when s is NULL (null). */
static void field(struct xw *w, int level, const struct tags *t, const char *s) {
  if (!s) return;
  put_tag(w, level, t, OPEN);
  write_text(w, s, false);
  put_tag(w, -1, t, CLOSE);
}

/* <list><item>..</item>...</list>, or <list/> when empty. */
static void strv(struct xw *w, int level, const struct tags *list, const struct tags *item,
                 const struct cx_strv *v) {
  if (!v->n) {
    put_tag(w, level, list, EMPTY);
    return;
  }
  put_tag(w, level, list, OPEN);
  for (size_t i = 0; i < v->n; i++)
    field(w, level + 1, item, v->v[i] ? v->v[i] : "");
  put_tag(w, level, list, CLOSE);
}

static void value(struct xw *w, int level, const struct cx_value *v);

/* The members of an object: <member key="k">value</member>, or, for a key
 * an attribute cannot carry, <member><key>k</key>value</member>. */
static void members(struct xw *w, int level, const struct cx_value *v) {
  for (size_t i = 0; i < v->n; i++) {
    const char *k = v->keys && v->keys[i] ? v->keys[i] : "";
    indent(w, level);
    if (needs_c(k)) {
      cx_emits(&w->em, "<member><key>");
      write_text(w, k, false);
      cx_emits(&w->em, "</key>");
    } else {
      cx_emits(&w->em, "<member key=\"");
      write_text(w, k, true);
      cx_emits(&w->em, "\">");
    }
    value(w, level, &v->items[i]);
    cx_emits(&w->em, "</member>");
  }
}

/* One value, without a line break before it (it follows <member> or an
 * array's line break). */
static void value(struct xw *w, int level, const struct cx_value *v) {
  switch (v->kind) {
  case CX_VALUE_NULL:
    cx_emits(&w->em, "<null/>");
    break;
  case CX_VALUE_FALSE:
    cx_emits(&w->em, "<false/>");
    break;
  case CX_VALUE_TRUE:
    cx_emits(&w->em, "<true/>");
    break;
  case CX_VALUE_NUMBER:
    if ((v->text && cx_is_json_number(v->text, strlen(v->text)))) {
      cx_emits(&w->em, "<number>");
      cx_emits(&w->em, v->text);
      cx_emits(&w->em, "</number>");
      break;
    }
    w->bad_number++; /* keep the text rather than write an invalid number */
    /* fall through */
  case CX_VALUE_STRING:
    cx_emits(&w->em, "<string>");
    write_text(w, v->text ? v->text : "", false);
    cx_emits(&w->em, "</string>");
    break;
  case CX_VALUE_ARRAY:
    if (!v->n) {
      cx_emits(&w->em, "<array/>");
      break;
    }
    cx_emits(&w->em, "<array>");
    for (size_t i = 0; i < v->n; i++) {
      indent(w, level + 1);
      value(w, level + 1, &v->items[i]);
    }
    indent(w, level);
    cx_emits(&w->em, "</array>");
    break;
  case CX_VALUE_OBJECT:
    if (!v->n) {
      cx_emits(&w->em, "<object/>");
      break;
    }
    cx_emits(&w->em, "<object>");
    members(w, level + 1, v);
    indent(w, level);
    cx_emits(&w->em, "</object>");
    break;
  }
}

/* One object of the model: its fields in the order of cablex/fields.def, a
 * null one left out, a list as <list><item>..</item></list> or <list/>. */
static void record(struct xw *w, int level, enum cx_record_id rec, const void *base) {
  char num[24];
  CX_FOR_FIELDS(f, rec) {
    const void *p = cx_field_ptr(f, base);
    const struct tags *t = &name_tags[f - cx_fields], *it = &item_tags[f - cx_fields];
    switch ((enum cx_field_kind)f->kind) {
    case CX_FK_VERSION: /* an attribute of <cables> */
      break;
    case CX_FK_STRING: /* the member itself, without the call */
    case CX_FK_DATETIME:
    case CX_FK_DATE:
      field(w, level, t, cx_field_str(f, base));
      break;
    case CX_FK_BOOL:
    case CX_FK_COUNT:
    case CX_FK_REFKIND:
      field(w, level, t, cx_field_text(f, base, num));
      break;
    case CX_FK_STRINGS:
      strv(w, level, t, it, p);
      break;
    case CX_FK_OBJECT:
      if (!cx_field_present(f, base)) break;
      put_tag(w, level, t, OPEN);
      record(w, level + 1, f->sub, p);
      put_tag(w, level, t, CLOSE);
      break;
    case CX_FK_LIST: {
      size_t n = cx_field_list_len(f, base);
      if (!n) {
        put_tag(w, level, t, EMPTY);
        break;
      }
      put_tag(w, level, t, OPEN);
      for (size_t i = 0; i < n; i++) {
        put_tag(w, level + 1, it, OPEN);
        record(w, level + 2, f->sub, cx_field_list_at(f, base, i));
        put_tag(w, level + 1, it, CLOSE);
      }
      put_tag(w, level, t, CLOSE);
      break;
    }
    case CX_FK_EXTRA: {
      const struct cx_value *v = p;
      if (v->kind == CX_VALUE_OBJECT && v->n) {
        put_tag(w, level, t, OPEN);
        members(w, level + 1, v);
        put_tag(w, level, t, CLOSE);
      } else { /* the model says extra is an object; anything else cannot be carried */
        if (v->kind != CX_VALUE_NULL && v->kind != CX_VALUE_OBJECT) w->bad_extra = true;
        put_tag(w, level, t, EMPTY);
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
  memset(w, 0, offsetof(struct xw, em.buf));
  w->em.out = out;
  cx_emits(&w->em, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cables xmlns=\"" XMLP_NS
                   "\" model_version=\"1\">");
  *state = w;
  return CX_OK;
}

int xmlp_writer_write(void *state, const struct cx_cable *c, struct cx_ctx *ctx) {
  struct xw *w = state;
  if (w->em.err) return CX_FATAL; /* the stream already failed; its message is on ctx */
  w->replaced = w->bad_number = 0;
  w->bad_extra = false;
  cable(w, c);
  if (w->em.err) return CX_FATAL;
  return cx_warn_not_carried(ctx, "xml", c->id, w->replaced, w->bad_number,
                             w->bad_extra ? "extra is not an object, written empty" : NULL);
}

int xmlp_writer_close(void *state, struct cx_ctx *ctx) {
  struct xw *w = state;
  if (!w) return CX_OK;
  cx_emits(&w->em, "\n</cables>\n");
  cx_emit_flush(&w->em);
  int rc = w->em.err ? w->em.err : CX_OK;
  free(w);
  (void)ctx; /* the stream put its own message on the ctx it was opened with */
  return rc < 0 ? rc : CX_OK;
}
