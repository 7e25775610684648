/* cable.c - the cable model: allocation, setters, values, equality; freeing
 * and comparing walk the one table of fields (cablex/fields.def). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/cable.h"
#include "cablex/fields.h"

/* Grows an array of elements of size `size` so that one more fits.  Returns
 * 0 on success, -1 when out of memory (the array is unchanged). */
static int grow(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 0;
  size_t ncap = *cap ? *cap * 2 : 4;
  if (ncap > SIZE_MAX / size) return -1;
  void *p = realloc(*v, ncap * size);
  if (!p) return -1;
  *v = p;
  *cap = ncap;
  return 0;
}

int cx_set_n(char **dst, const char *s, size_t len) {
  char *p = NULL;
  if (s) {
    p = malloc(len + 1);
    if (!p) return CX_FATAL;
    memcpy(p, s, len);
    p[len] = '\0';
  }
  if (*dst) free(*dst); /* most fields are set once: no call for nothing */
  *dst = p;
  return CX_OK;
}

int cx_set(char **dst, const char *s) {
  return cx_set_n(dst, s, s ? strlen(s) : 0);
}

int cx_strv_push_n(struct cx_strv *v, const char *s, size_t len) {
  if (grow((void **)&v->v, &v->cap, v->n, sizeof *v->v)) return CX_FATAL;
  char *p = NULL;
  if (cx_set_n(&p, s, len) != CX_OK || !p) return CX_FATAL;
  v->v[v->n++] = p;
  return CX_OK;
}

int cx_strv_push(struct cx_strv *v, const char *s) {
  return cx_strv_push_n(v, s, strlen(s));
}

void cx_strv_clear(struct cx_strv *v) {
  for (size_t i = 0; i < v->n; i++)
    free(v->v[i]);
  free(v->v);
  v->v = NULL;
  v->n = v->cap = 0;
}

#define CX_ADD(type, field)                                                                        \
  if (grow((void **)&v->v, &v->cap, v->n, sizeof *v->v)) return NULL;                              \
  type *e = &v->v[v->n++];                                                                         \
  memset(e, 0, sizeof *e);                                                                         \
  return e

struct cx_recipient *cx_recipients_add(struct cx_recipients *v) {
  CX_ADD(struct cx_recipient, v);
}
struct cx_reference *cx_references_add(struct cx_references *v) {
  CX_ADD(struct cx_reference, v);
}
struct cx_paragraph *cx_paragraphs_add(struct cx_paragraphs *v) {
  CX_ADD(struct cx_paragraph, v);
}
#undef CX_ADD

const char *cx_ref_kind_name(enum cx_ref_kind k) {
  switch (k) {
  case CX_REF_CABLE:
    return "cable";
  case CX_REF_EMAIL:
    return "email";
  default:
    return "other";
  }
}

enum cx_ref_kind cx_ref_kind_parse(const char *s) {
  if (s && !strcmp(s, "cable")) return CX_REF_CABLE;
  if (s && !strcmp(s, "email")) return CX_REF_EMAIL;
  return CX_REF_OTHER;
}

struct cx_cable *cx_cable_new(void) {
  struct cx_cable *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->model_version = CX_MODEL_VERSION;
  c->extra.kind = CX_VALUE_OBJECT;
  return c;
}

/* What freeing a member of each kind of field takes (m the member). */
#define CX_CLEAR_VERSION(m, SUB)
#define CX_CLEAR_STRING(m, SUB) free(m)
#define CX_CLEAR_DATETIME(m, SUB) free(m)
#define CX_CLEAR_DATE(m, SUB) free(m)
#define CX_CLEAR_STRINGS(m, SUB) cx_strv_clear(&(m))
#define CX_CLEAR_BOOL(m, SUB)
#define CX_CLEAR_COUNT(m, SUB)
#define CX_CLEAR_REFKIND(m, SUB)
#define CX_CLEAR_OBJECT(m, SUB) clear_##SUB(&(m))
#define CX_CLEAR_LIST(m, SUB)                                                                      \
  for (size_t i = 0; i < (m).n; i++)                                                               \
    clear_##SUB(&(m).v[i]);                                                                        \
  free((m).v)
#define CX_CLEAR_EXTRA(m, SUB) cx_value_clear(&(m))

/* clear_REC(o) frees what the object o of record REC owns (not o itself):
 * one function a record, one statement a field, made from cablex/fields.def
 * (so it costs what hand-written frees would). */
#define CX_RECORD(REC, TYPE, NAME) static void clear_##REC(TYPE *o);
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM)
#include "cablex/fields.def"
#undef CX_RECORD
#undef CX_FIELD

/* cx_cable_free, then the clear_REC functions: each CX_RECORD closes the
 * function before it and opens its own. */
void cx_cable_free(struct cx_cable *c) {
  if (!c) return;
  clear_CABLE(c);
  free(c);
#define CX_RECORD(REC, TYPE, NAME)                                                                 \
  }                                                                                                \
  static void clear_##REC(TYPE *o) {
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM) CX_CLEAR_##KIND(o->NAME, SUB);
#include "cablex/fields.def"
#undef CX_RECORD
#undef CX_FIELD
}

/* ---- values ---- */

void cx_value_clear(struct cx_value *v) {
  if (!v) return;
  free(v->text);
  for (size_t i = 0; i < v->n; i++) {
    if (v->keys) free(v->keys[i]);
    cx_value_clear(&v->items[i]);
  }
  free(v->keys);
  free(v->items);
  memset(v, 0, sizeof *v);
}

int cx_value_set_text(struct cx_value *v, enum cx_value_kind kind, const char *text, size_t len) {
  cx_value_clear(v);
  if (cx_set_n(&v->text, text ? text : "", text ? len : 0) != CX_OK) return CX_FATAL;
  v->kind = kind;
  return CX_OK;
}

/* Makes room for one more item (and key, for objects). */
static struct cx_value *value_push(struct cx_value *v, int with_key) {
  size_t cap = v->cap;
  if (grow((void **)&v->items, &cap, v->n, sizeof *v->items)) return NULL;
  if (with_key) {
    size_t kcap = v->cap;
    if (grow((void **)&v->keys, &kcap, v->n, sizeof *v->keys)) return NULL;
    /* both arrays grew by the same rule from the same cap */
  }
  v->cap = cap;
  struct cx_value *it = &v->items[v->n];
  memset(it, 0, sizeof *it);
  return it;
}

struct cx_value *cx_value_append(struct cx_value *array) {
  if (array->kind != CX_VALUE_ARRAY) return NULL;
  struct cx_value *it = value_push(array, 0);
  if (it) array->n++;
  return it;
}

struct cx_value *cx_value_put(struct cx_value *object, const char *key) {
  if (object->kind != CX_VALUE_OBJECT) return NULL;
  for (size_t i = 0; i < object->n; i++)
    if (!strcmp(object->keys[i], key)) {
      cx_value_clear(&object->items[i]);
      return &object->items[i];
    }
  return cx_value_put_new(object, key);
}

struct cx_value *cx_value_put_new(struct cx_value *object, const char *key) {
  if (object->kind != CX_VALUE_OBJECT) return NULL;
  struct cx_value *it = value_push(object, 1);
  if (!it) return NULL;
  char *k = NULL;
  if (cx_set(&k, key) != CX_OK) return NULL;
  object->keys[object->n++] = k;
  return it;
}

const struct cx_value *cx_value_get(const struct cx_value *object, const char *key) {
  if (!object || object->kind != CX_VALUE_OBJECT) return NULL;
  for (size_t i = 0; i < object->n; i++)
    if (!strcmp(object->keys[i], key)) return &object->items[i];
  return NULL;
}

int cx_value_copy(struct cx_value *v, const struct cx_value *src) {
  memset(v, 0, sizeof *v);
  v->kind = src->kind;
  if (src->text && cx_set(&v->text, src->text) != CX_OK) goto oom;
  for (size_t i = 0; i < src->n; i++) {
    /* src's keys are distinct already: no look-up per key */
    struct cx_value *it =
        src->kind == CX_VALUE_OBJECT ? cx_value_put_new(v, src->keys[i]) : cx_value_append(v);
    if (!it || cx_value_copy(it, &src->items[i]) != CX_OK) goto oom;
  }
  return CX_OK;
oom:
  cx_value_clear(v);
  return CX_FATAL;
}

static bool str_eq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

bool cx_value_equal(const struct cx_value *a, const struct cx_value *b) {
  if (a->kind != b->kind || a->n != b->n) return false;
  if ((a->kind == CX_VALUE_STRING || a->kind == CX_VALUE_NUMBER) && !str_eq(a->text, b->text))
    return false;
  for (size_t i = 0; i < a->n; i++) {
    if (a->kind == CX_VALUE_OBJECT) {
      const struct cx_value *bv = cx_value_get(b, a->keys[i]);
      if (!bv || !cx_value_equal(&a->items[i], bv)) return false;
    } else if (!cx_value_equal(&a->items[i], &b->items[i])) {
      return false;
    }
  }
  return true;
}

/* ---- equality ---- */

static bool strv_eq(const struct cx_strv *a, const struct cx_strv *b) {
  if (a->n != b->n) return false;
  for (size_t i = 0; i < a->n; i++)
    if (!str_eq(a->v[i], b->v[i])) return false;
  return true;
}

static bool record_eq(enum cx_record_id rec, const void *a, const void *b);

/* Whether field f is the same in the objects a and b of its record. */
static bool field_eq(const struct cx_field *f, const void *a, const void *b) {
  const void *x = cx_field_ptr(f, a), *y = cx_field_ptr(f, b);
  switch ((enum cx_field_kind)f->kind) {
  case CX_FK_STRING:
  case CX_FK_DATETIME:
  case CX_FK_DATE:
    return str_eq(*(char *const *)x, *(char *const *)y);
  case CX_FK_STRINGS:
    return strv_eq(x, y);
  case CX_FK_BOOL:
    return *(const bool *)x == *(const bool *)y;
  case CX_FK_VERSION:
  case CX_FK_COUNT:
    return *(const int *)x == *(const int *)y;
  case CX_FK_REFKIND:
    return *(const enum cx_ref_kind *)x == *(const enum cx_ref_kind *)y;
  case CX_FK_OBJECT:
    if (cx_field_present(f, a) != cx_field_present(f, b)) return false;
    return !cx_field_present(f, a) || record_eq(f->sub, x, y);
  case CX_FK_LIST: {
    size_t n = cx_field_list_len(f, a);
    if (n != cx_field_list_len(f, b)) return false;
    for (size_t i = 0; i < n; i++)
      if (!record_eq(f->sub, cx_field_list_at(f, a, i), cx_field_list_at(f, b, i))) return false;
    return true;
  }
  default: /* CX_FK_EXTRA */
    return cx_value_equal(x, y);
  }
}

static bool record_eq(enum cx_record_id rec, const void *a, const void *b) {
  CX_FOR_FIELDS(f, rec) {
    /* source says where a cable was read, not what it is */
    if (f != &cx_fields[CX_F_CABLE_source] && !field_eq(f, a, b)) return false;
  }
  return true;
}

bool cx_cable_equal(const struct cx_cable *a, const struct cx_cable *b) {
  return record_eq(CX_REC_CABLE, a, b);
}

/* Whether the paragraphs above a signer are telegraphese: upper case, as
 * telegrams were typed (at most one lower-case letter in 20).  A name under
 * a few lines of ordinary prose ("Shopping list\n\nBob") is not a cable's
 * tail; the last paragraphs of an upper-case telegram with its signer are. */
static bool upper_case_text(const struct cx_paragraphs *ps) {
  size_t upper = 0, lower = 0;
  for (size_t i = 0; i < ps->n; i++)
    for (const char *p = ps->v[i].text; p && *p; p++) {
      if (*p >= 'A' && *p <= 'Z') upper++;
      if (*p >= 'a' && *p <= 'z') lower++;
    }
  return upper > 0 && lower * 20 <= upper;
}

bool cx_cable_has_anatomy(const struct cx_cable *c) {
  if (c->id || c->canonical_id || c->classification || c->created || c->has_header || c->subject ||
      c->tags.n || c->references.n || c->has_classified_by || c->has_declassify || c->sipdis ||
      c->sections)
    return true;
  for (size_t i = 0; i < c->paragraphs.n; i++)
    if (c->paragraphs.v[i].marking) return true;
  /* a signer alone is not anatomy: any short note ends in a name */
  return c->signer && upper_case_text(&c->paragraphs);
}

bool cx_is_json_number(const char *s, size_t n) {
  if (!s) return false;
  size_t i = 0;
  if (i < n && s[i] == '-') i++;
  if (i < n && s[i] == '0') {
    i++;
  } else {
    if (i >= n || s[i] < '1' || s[i] > '9') return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
  }
  if (i < n && s[i] == '.') {
    if (++i >= n || s[i] < '0' || s[i] > '9') return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    if (i >= n || s[i] < '0' || s[i] > '9') return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
  }
  return i == n;
}

const char *cx_value_literal(enum cx_value_kind kind) {
  static const char *const names[] = {"null", "false", "true"};
  return kind <= CX_VALUE_TRUE ? names[kind] : NULL;
}
