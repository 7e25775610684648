/* xml_reader.c - reads a <cables> document (formats/xml.md) with expat,
 * streaming: the input goes to expat 64 KiB at a time, each cable is built
 * as its elements arrive and handed out as soon as its </cable> is read.
 * Memory holds one chunk, the cables completed in it and the one being
 * built, whatever the size of the document.
 *
 * What is refused, and how much it costs:
 * - any DOCTYPE (so no entity can be declared: no expansion bomb, no
 *   external entity, no file or URL ever read), a root other than <cables>
 *   in our namespace, another model_version, nesting deeper than
 *   XMLP_MAX_DEPTH, and anything expat finds not well-formed (invalid UTF-8,
 *   a document that ends inside an element): the rest of the document is
 *   lost (CX_FATAL naming the line); the cables completed before it are
 *   still handed out first.
 * - an unknown element of our namespace, an element given twice, a value
 *   not of its form (dates, booleans, numbers, <c> codes), text where only
 *   elements belong, a cable larger than max-cable-size: that cable is lost
 *   (CX_FAILED), the next one is read.
 * - elements of another namespace are skipped with a warning.
 */
#include <expat.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"
#include "xml_plugin.h"

#define XR_CHUNK (64 * 1024)
#define XR_SEP '|'
#define XR_ELEMENT_COST 64 /* what an element costs the model, roughly, in bytes */

enum kind {
  K_CABLES,
  K_CABLE,
  K_TEXT,   /* a field holding text (and <c> escapes) */
  K_C,      /* an escape: empty */
  K_RECORD, /* an object of the model: <header>, <recipient> ... */
  K_STRV,   /* a list of strings: <tags>, <names>, <excluded> */
  K_LIST,   /* a list of objects: <to>, <references> ... */
  K_OBJECT, /* extra or <object> */
  K_MEMBER,
  K_ARRAY,
  K_LEAF, /* <null/>, <true/>, <false/> */
  K_SKIP  /* a foreign element's subtree, or what follows a cable's error */
};

/* What a K_TEXT element's text becomes when it closes. */
enum tkind {
  T_STR,      /* char ** */
  T_STRV,     /* struct cx_strv * */
  T_DATETIME, /* char **, YYYY-MM-DDTHH:MM:SS */
  T_DATE,     /* char **, YYYY-MM-DD */
  T_BOOL,     /* bool * */
  T_SECTIONS, /* int * */
  T_KIND,     /* enum cx_ref_kind * */
  T_VSTRING,  /* struct cx_value * */
  T_VNUMBER,  /* struct cx_value * */
  T_KEY       /* the enclosing K_MEMBER's key */
};

struct frame {
  unsigned char kind, tkind;
  unsigned char rec;            /* K_CABLE, K_RECORD: enum cx_record_id */
  const struct cx_field *field; /* K_STRV, K_LIST: the list's field */
  bool has_value;               /* K_MEMBER: its value was given */
  const char *name;             /* the element's local name (static), for messages */
  uint32_t seen;                /* children met once already (bit per field) */
  void *p;            /* the target: field, list, value, record; K_LIST: the list's record */
  struct cx_value *v; /* K_MEMBER: the member's value once its key is known */
};

/* A result waiting to be handed out: a cable, or a problem. */
struct item {
  int code;
  struct cx_cable *cable;
  unsigned long line;
  char *msg;
};

struct xr {
  struct cx_istream *in;
  XML_Parser parser;
  struct cx_ctx *ctx; /* the caller's, during reader_next */
  size_t max;
  bool done;   /* the document is over (or cannot go on) */
  bool rooted; /* the root element was seen */

  struct frame *stack;
  size_t depth, cap;

  /* the cable being built */
  struct cx_cable *cable;
  size_t cable_index; /* its frame */
  unsigned long cable_line;
  long long cable_start; /* byte index of <cable> */
  size_t cost;
  bool failed;   /* the cable is lost: its rest is skipped */
  bool oversize; /* ... because it is larger than max */
  int fail_code;
  unsigned long fail_line;
  char fail_msg[CX_MSG_MAX - 64];

  struct cx_buf text; /* the open K_TEXT element's text */

  /* why the parser was stopped (a fatal problem found by a handler) */
  bool aborted;
  unsigned long abort_line;
  char abort_msg[CX_MSG_MAX - 64];

  long long fed;        /* bytes given to expat */
  long long last_event; /* byte index of the last handler call */
  bool warned_text;     /* text outside cables was reported */

  struct item *q;
  size_t qhead, qlen, qcap;
};

/* ---- results ---- */

static int push_item(struct xr *r, int code, struct cx_cable *c, unsigned long line,
                     const char *msg) {
  if (r->qlen == r->qcap) {
    if (r->qhead) { /* reuse the handed-out slots first */
      memmove(r->q, r->q + r->qhead, (r->qlen - r->qhead) * sizeof *r->q);
      r->qlen -= r->qhead;
      r->qhead = 0;
    }
    if (cx_grow(&r->q, &r->qcap, r->qlen, sizeof *r->q, 16) != CX_OK) return -1;
  }
  struct item *it = &r->q[r->qlen];
  it->code = code;
  it->cable = c;
  it->line = line;
  it->msg = msg ? strdup(msg) : NULL;
  if (msg && !it->msg) return -1;
  r->qlen++;
  return 0;
}

/* Stops the parser for good: the rest of the document is lost. */
static void abort_doc(struct xr *r, const char *fmt, ...) CX_PRINTF(2, 3);
static void abort_doc(struct xr *r, const char *fmt, ...) {
  if (r->aborted) return;
  r->aborted = true;
  r->abort_line = (unsigned long)XML_GetCurrentLineNumber(r->parser);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->abort_msg, sizeof r->abort_msg, fmt, ap);
  va_end(ap);
  XML_StopParser(r->parser, XML_FALSE);
}

/* Marks the cable being built as lost; the rest of it is skipped. */
static void fail_cable(struct xr *r, int code, const char *fmt, ...) CX_PRINTF(3, 4);
static void fail_cable(struct xr *r, int code, const char *fmt, ...) {
  if (!r->cable) return;
  if (r->failed) return; /* keep the first problem */
  r->failed = true;
  r->fail_code = code;
  r->fail_line = (unsigned long)XML_GetCurrentLineNumber(r->parser);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->fail_msg, sizeof r->fail_msg, fmt, ap);
  va_end(ap);
  if (code == CX_FATAL) abort_doc(r, "%s", r->fail_msg);
}

static void oom(struct xr *r) {
  if (r->cable)
    fail_cable(r, CX_FATAL, "out of memory");
  else
    abort_doc(r, "out of memory");
}

/* Adds n bytes of model data to the cable's cost; past max it is lost. */
static bool charge(struct xr *r, size_t n) {
  if (!r->cable || r->failed) return !r->failed;
  r->cost += n;
  if (r->cost > r->max) {
    fail_cable(r, CX_FAILED, "the cable is larger than max-cable-size (%zu bytes); not converted",
               r->max);
    r->oversize = true;
    return false;
  }
  return true;
}

/* ---- names and values ---- */

/* The local name of one of our elements, or NULL for another namespace. */
static const char *ours(const char *name) {
  static const char ns[] = XMLP_NS "|";
  if (strncmp(name, ns, sizeof ns - 1)) return NULL;
  return name + sizeof ns - 1;
}

/* For messages: "<name>" or "<{uri}name>". */
static void show(char *buf, size_t size, const char *name) {
  const char *local = ours(name);
  const char *bar = strrchr(name, XR_SEP);
  if (local)
    snprintf(buf, size, "<%.60s>", local);
  else if (bar)
    snprintf(buf, size, "<{%.*s}%.60s>", (int)(bar - name > 80 ? 80 : bar - name), name, bar + 1);
  else
    snprintf(buf, size, "<%.60s> (no namespace)", name);
}

/* pattern: 'd' a digit, anything else itself */
static bool matches(const char *s, const char *pattern) {
  for (; *pattern; s++, pattern++)
    if (*pattern == 'd' ? !(*s >= '0' && *s <= '9') : *s != *pattern) return false;
  return *s == '\0';
}

static const char *attr(const XML_Char **atts, const char *name) {
  for (size_t i = 0; atts[i]; i += 2)
    if (!strcmp(atts[i], name)) return atts[i + 1];
  return NULL;
}

static int find_name(const char *const *names, const char *n) {
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], n)) return i;
  return -1;
}

/* ---- the element stack ---- */

static struct frame *top(struct xr *r) {
  return r->depth ? &r->stack[r->depth - 1] : NULL;
}

static struct frame *push(struct xr *r, enum kind k, const char *name) {
  if (cx_grow(&r->stack, &r->cap, r->depth, sizeof *r->stack, 32) != CX_OK) {
    oom(r);
    return NULL;
  }
  struct frame *f = &r->stack[r->depth++];
  memset(f, 0, sizeof *f);
  f->kind = (unsigned char)k;
  f->name = name;
  return f;
}

static void text_frame(struct xr *r, struct frame *f, enum tkind t, void *p) {
  f->kind = K_TEXT;
  f->tkind = (unsigned char)t;
  f->p = p;
  cx_buf_reset(&r->text);
}

/* Sets up f for the field `n` of the object p of the model (K_CABLE,
 * K_RECORD); false when the object has no such field. */
static bool record_child(struct xr *r, struct frame *p, const char *n, struct frame *f) {
  const struct cx_field *fd = cx_field_find(p->rec, n, strlen(n));
  if (!fd || fd->kind == CX_FK_VERSION) return false; /* the version is <cables>'s */
  f->name = fd->name;
  if (p->seen & (UINT32_C(1) << fd->index)) {
    fail_cable(r, CX_FAILED, "<%s> given twice in <%s>", fd->name, p->name);
    return true;
  }
  p->seen |= UINT32_C(1) << fd->index;
  void *dst = cx_field_ptr(fd, p->p);
  switch ((enum cx_field_kind)fd->kind) {
  case CX_FK_VERSION:
  case CX_FK_STRING:
    text_frame(r, f, T_STR, dst);
    break;
  case CX_FK_DATETIME:
    text_frame(r, f, T_DATETIME, dst);
    break;
  case CX_FK_DATE:
    text_frame(r, f, T_DATE, dst);
    break;
  case CX_FK_BOOL:
    text_frame(r, f, T_BOOL, dst);
    break;
  case CX_FK_COUNT:
    text_frame(r, f, T_SECTIONS, dst);
    break;
  case CX_FK_REFKIND:
    text_frame(r, f, T_KIND, dst);
    break;
  case CX_FK_STRINGS:
    f->kind = K_STRV;
    f->field = fd;
    f->p = dst;
    break;
  case CX_FK_OBJECT:
    f->kind = K_RECORD;
    f->rec = fd->sub;
    f->p = dst;
    cx_field_set_present(fd, p->p);
    break;
  case CX_FK_LIST:
    f->kind = K_LIST;
    f->field = fd;
    f->p = p->p;
    break;
  case CX_FK_EXTRA:
    f->kind = K_OBJECT;
    f->p = dst;
    ((struct cx_value *)dst)->kind = CX_VALUE_OBJECT;
    break;
  }
  return true;
}

/* Sets up f for a value of extra (<null/> ... <object>) in the member or
 * array p; false when n is not one. */
static bool value_child(struct xr *r, struct frame *p, const char *n, struct frame *f) {
  static const char *const value_names[] = {"null",   "false", "true",   "number",
                                            "string", "array", "object", NULL};
  int i;
  if (p->kind == K_MEMBER && !strcmp(n, "key")) {
    if (p->v || p->has_value) {
      fail_cable(r, CX_FAILED, "<key> must come first in a <member> without a key attribute");
      return true;
    }
    text_frame(r, f, T_KEY, p);
    f->name = "key";
    return true;
  }
  if ((i = find_name(value_names, n)) < 0) return false;
  f->name = value_names[i];
  struct cx_value *v;
  if (p->kind == K_MEMBER) {
    if (!p->v) {
      fail_cable(r, CX_FAILED, "<member> has no key (a key attribute or a <key> first)");
      return true;
    }
    if (p->has_value) {
      fail_cable(r, CX_FAILED, "<member> holds more than one value");
      return true;
    }
    p->has_value = true;
    v = p->v;
  } else if (!(v = cx_value_append(p->p))) {
    oom(r);
    return true;
  }
  switch (i) {
  case 0:
  case 1:
  case 2:
    v->kind = i == 0 ? CX_VALUE_NULL : i == 1 ? CX_VALUE_FALSE : CX_VALUE_TRUE;
    f->kind = K_LEAF;
    return true;
  case 3:
    text_frame(r, f, T_VNUMBER, v);
    return true;
  case 4:
    text_frame(r, f, T_VSTRING, v);
    return true;
  case 5:
    v->kind = CX_VALUE_ARRAY;
    f->kind = K_ARRAY;
    f->p = v;
    return true;
  default:
    v->kind = CX_VALUE_OBJECT;
    f->kind = K_OBJECT;
    f->p = v;
    return true;
  }
}

/* Sets up f for the child `n` of parent p; false when n is not a child
 * p may have (the caller reports it). */
static bool child(struct xr *r, struct frame *p, const char *n, struct frame *f) {
  switch ((enum kind)p->kind) {
  case K_CABLE:
  case K_RECORD:
    return record_child(r, p, n, f);
  case K_STRV:
    if (strcmp(n, p->field->item)) return false;
    f->name = p->field->item;
    text_frame(r, f, T_STRV, p->p);
    return true;
  case K_LIST:
    if (strcmp(n, p->field->item)) return false;
    f->kind = K_RECORD;
    f->rec = p->field->sub;
    f->name = p->field->item;
    if (!(f->p = cx_field_list_add(p->field, p->p))) oom(r);
    return true;
  case K_OBJECT:
    if (strcmp(n, "member")) return false;
    f->kind = K_MEMBER;
    f->name = "member";
    f->p = p->p;
    return true;
  case K_MEMBER:
  case K_ARRAY:
    return value_child(r, p, n, f);
  default:
    return false;
  }
}

/* The code of a <c> element: the byte(s) it stands for, appended to text. */
static void escape_code(struct xr *r, const XML_Char **atts) {
  const char *code = attr(atts, "code");
  char bytes[3];
  size_t n = 0;
  if (code && strlen(code) == 2 && strspn(code, "0123456789ABCDEF") == 2) {
    unsigned v = (unsigned)strtoul(code, NULL, 16);
    if (v >= 1 && v < 0x20 && v != '\t' && v != '\n' && v != '\r') {
      bytes[0] = (char)v;
      n = 1;
    }
  } else if (code && (!strcmp(code, "FFFE") || !strcmp(code, "FFFF"))) {
    memcpy(bytes, code[3] == 'E' ? "\xEF\xBF\xBE" : "\xEF\xBF\xBF", 3);
    n = 3;
  }
  if (!n) {
    fail_cable(r, CX_FAILED,
               "<c code=\"%.12s\">: not a code this format uses (01-08, 0B, 0C, 0E-1F, FFFE, "
               "FFFF)",
               code ? code : "");
    return;
  }
  if (!charge(r, n)) return;
  if (cx_buf_add(&r->text, bytes, n) != CX_OK) oom(r);
}

static void XMLCALL on_start(void *user, const XML_Char *name, const XML_Char **atts) {
  struct xr *r = user;
  r->last_event = XML_GetCurrentByteIndex(r->parser);
  if (r->depth >= XMLP_MAX_DEPTH) {
    abort_doc(r, "elements nested deeper than %d levels", XMLP_MAX_DEPTH);
    return;
  }
  struct frame *p = top(r);
  const char *local = ours(name);
  char shown[200];

  if (!p) { /* the root */
    if (!local || strcmp(local, "cables")) {
      show(shown, sizeof shown, name);
      abort_doc(r, "the root element is %s, not <cables xmlns=\"%s\">", shown, XMLP_NS);
      return;
    }
    const char *mv = attr(atts, "model_version");
    if (!mv || strcmp(mv, "1")) {
      abort_doc(r, "<cables> has model_version \"%.20s\"; this reader knows model_version %d",
                mv ? mv : "(none)", CX_MODEL_VERSION);
      return;
    }
    r->rooted = true;
    push(r, K_CABLES, "cables");
    return;
  }

  if (p->kind == K_SKIP || (r->cable && r->failed)) {
    push(r, K_SKIP, "");
    if (r->oversize && r->fed - r->cable_start > (long long)(r->max + CX_SKIP_MAX))
      abort_doc(r,
                "the cable starting on line %lu is larger than max-cable-size (%zu bytes) and "
                "has no end within %zu MiB more: rest of the input not read",
                r->cable_line, r->max, CX_SKIP_MAX >> 20);
    return;
  }

  if (!local) { /* another namespace: not ours to read */
    show(shown, sizeof shown, name);
    cx_warn(r->ctx, (unsigned long)XML_GetCurrentLineNumber(r->parser),
            "xml: element %s of another namespace skipped", shown);
    push(r, K_SKIP, "");
    return;
  }

  if (p->kind == K_CABLES) {
    if (strcmp(local, "cable")) {
      show(shown, sizeof shown, name);
      unsigned long line = (unsigned long)XML_GetCurrentLineNumber(r->parser);
      char msg[300];
      snprintf(msg, sizeof msg, "xml: unknown element %s in <cables> skipped", shown);
      if (push_item(r, CX_FAILED, NULL, line, msg)) oom(r);
      push(r, K_SKIP, "");
      return;
    }
    struct frame *f = push(r, K_CABLE, "cable");
    if (!f) return;
    r->cable = cx_cable_new();
    if (!r->cable) {
      abort_doc(r, "out of memory");
      return;
    }
    f->rec = CX_REC_CABLE;
    f->p = r->cable;
    r->cable_index = r->depth - 1;
    r->cable_line = (unsigned long)XML_GetCurrentLineNumber(r->parser);
    r->cable_start = r->last_event;
    r->cost = 0;
    r->failed = r->oversize = false;
    return;
  }

  /* inside a cable: push first, so that the end handler pops it whatever
   * goes wrong now */
  if (p->kind == K_TEXT && !strcmp(local, "c")) {
    push(r, K_C, "c");
    escape_code(r, atts);
    return;
  }
  size_t pi = r->depth - 1;
  struct frame *f = push(r, K_SKIP, "");
  if (!f) return;
  p = &r->stack[pi];
  if (!charge(r, XR_ELEMENT_COST)) return;
  if (p->kind == K_TEXT || p->kind == K_C || p->kind == K_LEAF || !child(r, p, local, f)) {
    show(shown, sizeof shown, name);
    fail_cable(r, CX_FAILED, "unknown element %s in <%s>", shown, p->name);
    return;
  }
  if (f->kind == K_MEMBER) {
    const char *key = attr(atts, "key");
    if (key) {
      if (!(f->v = cx_value_put_new(f->p, key))) oom(r);
      charge(r, strlen(key));
    }
  }
}

static int cmp_keys(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether an object's keys are distinct (sorted copy: O(n log n)). */
static bool distinct_keys(struct xr *r, const struct cx_value *o, const char **dup) {
  if (o->n < 2) return true;
  char **k = malloc(o->n * sizeof *k);
  if (!k) {
    oom(r);
    return true;
  }
  memcpy(k, o->keys, o->n * sizeof *k);
  qsort(k, o->n, sizeof *k, cmp_keys);
  bool ok = true;
  for (size_t i = 1; i < o->n && ok; i++)
    if (!strcmp(k[i - 1], k[i])) {
      ok = false;
      *dup = k[i]; /* owned by the object, which outlives the message */
    }
  free(k);
  return ok;
}

/* A K_TEXT element closes: its text goes where it belongs. */
static void end_text(struct xr *r, struct frame *f) {
  const char *s = r->text.data ? r->text.data : "";
  size_t len = r->text.len;
  int rc = CX_OK;
  switch ((enum tkind)f->tkind) {
  case T_STR:
    rc = cx_set_n(f->p, s, len);
    break;
  case T_STRV:
    rc = cx_strv_push_n(f->p, s, len);
    break;
  case T_DATETIME:
  case T_DATE:
    if (!matches(s, f->tkind == T_DATE ? "dddd-dd-dd" : "dddd-dd-ddTdd:dd:dd")) {
      fail_cable(r, CX_FAILED, "<%s>: \"%.40s\" is not a date of the form %s", f->name, s,
                 f->tkind == T_DATE ? "YYYY-MM-DD" : "YYYY-MM-DDTHH:MM:SS");
      return;
    }
    rc = cx_set_n(f->p, s, len);
    break;
  case T_BOOL:
    if (!strcmp(s, "true") || !strcmp(s, "false")) {
      *(bool *)f->p = s[0] == 't';
    } else {
      fail_cable(r, CX_FAILED, "<%s>: \"%.40s\" is not true or false", f->name, s);
      return;
    }
    break;
  case T_SECTIONS: {
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (!len || *end || s[0] < '0' || s[0] > '9' || v < 1 || v > INT_MAX) {
      fail_cable(r, CX_FAILED, "<%s>: \"%.40s\" is not an integer from 1 to %d", f->name, s,
                 INT_MAX);
      return;
    }
    *(int *)f->p = (int)v;
    break;
  }
  case T_KIND:
    if (strcmp(s, "cable") && strcmp(s, "email") && strcmp(s, "other")) {
      fail_cable(r, CX_FAILED, "<%s>: \"%.40s\" is not cable, email or other", f->name, s);
      return;
    }
    *(enum cx_ref_kind *)f->p = cx_ref_kind_parse(s);
    break;
  case T_VSTRING:
    rc = cx_value_set_text(f->p, CX_VALUE_STRING, s, len);
    break;
  case T_VNUMBER:
    if (!cx_is_json_number(s, strlen(s))) {
      fail_cable(r, CX_FAILED, "<number>: \"%.40s\" is not a JSON number", s);
      return;
    }
    rc = cx_value_set_text(f->p, CX_VALUE_NUMBER, s, len);
    break;
  case T_KEY: {
    struct frame *m = f - 1; /* the member: a <key> is always its child */
    if (!(m->v = cx_value_put_new(m->p, s))) rc = CX_FATAL;
    break;
  }
  }
  if (rc != CX_OK) oom(r);
}

static void XMLCALL on_end(void *user, const XML_Char *name) {
  struct xr *r = user;
  (void)name;
  if (r->aborted) return; /* expat may still report the end of an empty element */
  r->last_event = XML_GetCurrentByteIndex(r->parser);
  struct frame *f = top(r);
  if (!f) return;
  if (f->kind == K_CABLE) {
    unsigned long line = r->cable_line;
    if (r->failed) {
      char msg[CX_MSG_MAX];
      unsigned long at = r->fail_line;
      if (at != line)
        snprintf(msg, sizeof msg, "xml: %s (in the cable starting on line %lu)", r->fail_msg, line);
      else
        snprintf(msg, sizeof msg, "xml: %s", r->fail_msg);
      cx_cable_free(r->cable);
      if (push_item(r, r->fail_code, NULL, at, msg)) abort_doc(r, "out of memory");
    } else if (push_item(r, CX_OK, r->cable, line, NULL)) {
      cx_cable_free(r->cable);
      abort_doc(r, "out of memory");
    }
    r->cable = NULL;
    r->failed = false;
  } else if (r->cable && !r->failed) {
    const char *dup = NULL;
    if (f->kind == K_TEXT)
      end_text(r, f);
    else if (f->kind == K_MEMBER && !f->has_value)
      fail_cable(r, CX_FAILED, "<member> without a value");
    else if (f->kind == K_OBJECT && !distinct_keys(r, f->p, &dup))
      fail_cable(r, CX_FAILED, "<%s> has the key \"%.60s\" twice", f->name, dup);
  }
  r->depth--;
}

static bool blank(const XML_Char *s, int len) {
  for (int i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return false;
  return true;
}

static void XMLCALL on_text(void *user, const XML_Char *s, int len) {
  struct xr *r = user;
  if (r->aborted) return;
  r->last_event = XML_GetCurrentByteIndex(r->parser);
  struct frame *f = top(r);
  if (!f || f->kind == K_SKIP || (r->cable && r->failed)) {
    if (r->oversize && r->fed - r->cable_start > (long long)(r->max + CX_SKIP_MAX))
      abort_doc(r,
                "the cable starting on line %lu is larger than max-cable-size (%zu bytes) and "
                "has no end within %zu MiB more: rest of the input not read",
                r->cable_line, r->max, CX_SKIP_MAX >> 20);
    return;
  }
  if (f->kind == K_TEXT) {
    if (!charge(r, (size_t)len)) return;
    int rc = cx_buf_add(&r->text, s, (size_t)len);
    if (rc == CX_FAILED) {
      r->oversize = true;
      fail_cable(r, CX_FAILED,
                 "<%s> is larger than max-cable-size (%zu bytes); cable not converted", f->name,
                 r->max);
    } else if (rc != CX_OK) {
      oom(r);
    }
    return;
  }
  if (blank(s, len)) return;
  if (r->cable) {
    fail_cable(r, CX_FAILED, "text in <%s>, which holds only elements", f->name);
  } else if (!r->warned_text) {
    r->warned_text = true;
    cx_warn(r->ctx, (unsigned long)XML_GetCurrentLineNumber(r->parser),
            "xml: text outside <cable> ignored");
  }
}

static void XMLCALL on_doctype(void *user, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset) {
  struct xr *r = user;
  (void)name;
  (void)sysid;
  (void)pubid;
  (void)has_internal_subset;
  abort_doc(r, "a DOCTYPE is not accepted (no entity is ever declared, expanded or fetched)");
}

static void XMLCALL on_entity_decl(void *user, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *sysid, const XML_Char *pubid,
                                   const XML_Char *notation) {
  struct xr *r = user;
  (void)is_param;
  (void)value;
  (void)value_len;
  (void)base;
  (void)sysid;
  (void)pubid;
  (void)notation;
  abort_doc(r, "entity declaration \"%.60s\" refused", name);
}

/* Anything else (comments, processing instructions, blanks around the
 * root): only the position matters, for the long-token guard. */
static void XMLCALL on_other(void *user, const XML_Char *s, int len) {
  struct xr *r = user;
  (void)s;
  (void)len;
  r->last_event = XML_GetCurrentByteIndex(r->parser);
}

/* ---- the reader ---- */

int xmlp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  struct xr *r = cx_reader_state(sizeof *r, offsetof(struct xr, max), opts, ctx, "xml");
  if (!r) return CX_FATAL;
  r->parser = XML_ParserCreateNS(NULL, XR_SEP);
  if (!r->parser) {
    free(r);
    return cx_error(ctx, CX_FATAL, 0, "xml: out of memory");
  }
  r->in = in;
  cx_buf_init(&r->text, r->max);
  XML_SetUserData(r->parser, r);
  XML_SetElementHandler(r->parser, on_start, on_end);
  XML_SetCharacterDataHandler(r->parser, on_text);
  XML_SetStartDoctypeDeclHandler(r->parser, on_doctype);
  XML_SetEntityDeclHandler(r->parser, on_entity_decl);
  XML_SetDefaultHandlerExpand(r->parser, on_other);
  XML_SetParamEntityParsing(r->parser, XML_PARAM_ENTITY_PARSING_NEVER);
  *state = r;
  return CX_OK;
}

/* Gives expat the next chunk; sets r->done at the end or on a problem
 * (queued as a CX_FATAL item).  Returns CX_OK or CX_FATAL (stream error,
 * message on the ctx). */
static int feed(struct xr *r) {
  void *buf = XML_GetBuffer(r->parser, XR_CHUNK);
  if (!buf) {
    r->done = true;
    return push_item(r, CX_FATAL, NULL, 0, "xml: out of memory") ? CX_FATAL : CX_OK;
  }
  long n = cx_istream_read(r->in, buf, XR_CHUNK);
  if (n < 0) {
    r->done = true;
    return CX_FATAL;
  }
  r->fed += n;
  enum XML_Status st = XML_ParseBuffer(r->parser, (int)n, n == 0);
  if (st == XML_STATUS_OK) {
    if (n == 0) r->done = true;
    if (!r->done && r->fed - r->last_event > (long long)r->max + XR_CHUNK) {
      /* expat keeps an unfinished token (tag, comment ...) whole: bound it */
      abort_doc(r, "an XML token longer than max-cable-size (%zu bytes)", r->max);
      r->abort_line = (unsigned long)XML_GetCurrentLineNumber(r->parser);
    } else {
      return CX_OK;
    }
  }
  /* the document cannot go on */
  r->done = true;
  char msg[CX_MSG_MAX];
  unsigned long line;
  if (r->aborted) {
    line = r->abort_line;
    snprintf(msg, sizeof msg, "xml: %s", r->abort_msg);
  } else {
    enum XML_Error e = XML_GetErrorCode(r->parser);
    line = (unsigned long)XML_GetCurrentLineNumber(r->parser);
    if (n == 0 && r->depth > 0 &&
        (e == XML_ERROR_NO_ELEMENTS || e == XML_ERROR_UNCLOSED_TOKEN ||
         e == XML_ERROR_PARTIAL_CHAR || e == XML_ERROR_UNCLOSED_CDATA_SECTION)) {
      char in_cable[64] = "";
      if (r->cable)
        snprintf(in_cable, sizeof in_cable, " of the cable starting on line %lu", r->cable_line);
      snprintf(msg, sizeof msg, "xml: the document ends inside <%s>%s (truncated?)",
               top(r)->name[0] ? top(r)->name : "an element", in_cable);
    } else
      snprintf(msg, sizeof msg, "xml: %s at column %lu", XML_ErrorString(e),
               (unsigned long)XML_GetCurrentColumnNumber(r->parser) + 1);
  }
  if (r->cable) { /* an unfinished cable is lost with the rest */
    cx_cable_free(r->cable);
    r->cable = NULL;
  }
  return push_item(r, CX_FATAL, NULL, line, msg) ? CX_FATAL : CX_OK;
}

int xmlp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct xr *r = state;
  *cable = NULL;
  r->ctx = ctx;
  while (r->qhead == r->qlen) {
    if (r->done) return CX_EOF;
    r->qhead = r->qlen = 0;
    if (feed(r) != CX_OK) {
      if (ctx && ctx->code != CX_FATAL) cx_error(ctx, CX_FATAL, 0, "xml: read error");
      return CX_FATAL;
    }
  }
  struct item it = r->q[r->qhead++];
  if (it.cable) {
    *cable = it.cable;
    return CX_OK;
  }
  int rc = cx_error(ctx, it.code, it.line, "%s", it.msg ? it.msg : "xml: error");
  free(it.msg);
  if (it.code == CX_FATAL) { /* nothing after it is handed out */
    for (size_t i = r->qhead; i < r->qlen; i++) {
      cx_cable_free(r->q[i].cable);
      free(r->q[i].msg);
    }
    r->qhead = r->qlen = 0;
    r->done = true;
  }
  return rc;
}

void xmlp_reader_close(void *state) {
  struct xr *r = state;
  if (!r) return;
  for (size_t i = r->qhead; i < r->qlen; i++) {
    cx_cable_free(r->q[i].cable);
    free(r->q[i].msg);
  }
  free(r->q);
  cx_cable_free(r->cable);
  cx_buf_free(&r->text);
  free(r->stack);
  XML_ParserFree(r->parser);
  free(r);
}
