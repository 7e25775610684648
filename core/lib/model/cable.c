/* cable.c - the cable model: allocation, setters, values, equality. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/cable.h"

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
  free(*dst);
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

static void recipients_clear(struct cx_recipients *v) {
  for (size_t i = 0; i < v->n; i++) {
    struct cx_recipient *r = &v->v[i];
    free(r->routing_indicator);
    free(r->name);
    free(r->precedence);
    free(r->serial);
    cx_strv_clear(&r->excluded);
  }
  free(v->v);
  memset(v, 0, sizeof *v);
}

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

void cx_cable_free(struct cx_cable *c) {
  if (!c) return;
  free(c->id);
  free(c->canonical_id);
  free(c->created);
  free(c->released);
  free(c->classification);
  free(c->origin);
  free(c->title);
  cx_strv_clear(&c->tags);
  struct cx_header *h = &c->header;
  free(h->transmission_id);
  free(h->routing);
  free(h->de);
  free(h->security);
  free(h->precedence);
  free(h->dtg);
  free(h->from);
  recipients_clear(&h->to);
  recipients_clear(&h->info);
  free(c->subject);
  for (size_t i = 0; i < c->references.n; i++) {
    free(c->references.v[i].letter);
    free(c->references.v[i].text);
    free(c->references.v[i].cable_id);
  }
  free(c->references.v);
  free(c->classified_by.text);
  cx_strv_clear(&c->classified_by.names);
  free(c->classified_by.reasons);
  free(c->declassify.text);
  free(c->declassify.date);
  free(c->summary);
  free(c->signer);
  for (size_t i = 0; i < c->paragraphs.n; i++) {
    free(c->paragraphs.v[i].number);
    free(c->paragraphs.v[i].marking);
    free(c->paragraphs.v[i].text);
  }
  free(c->paragraphs.v);
  free(c->header_text);
  free(c->body);
  free(c->source.format);
  free(c->source.path);
  free(c->source.entry);
  cx_value_clear(&c->extra);
  free(c);
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

static bool recipients_eq(const struct cx_recipients *a, const struct cx_recipients *b) {
  if (a->n != b->n) return false;
  for (size_t i = 0; i < a->n; i++) {
    const struct cx_recipient *x = &a->v[i], *y = &b->v[i];
    if (!str_eq(x->routing_indicator, y->routing_indicator) || !str_eq(x->name, y->name) ||
        !str_eq(x->precedence, y->precedence) || !str_eq(x->serial, y->serial) ||
        !strv_eq(&x->excluded, &y->excluded))
      return false;
  }
  return true;
}

bool cx_cable_equal(const struct cx_cable *a, const struct cx_cable *b) {
  const struct cx_header *h = &a->header, *k = &b->header;
  if (a->model_version != b->model_version || !str_eq(a->id, b->id) ||
      !str_eq(a->canonical_id, b->canonical_id) || !str_eq(a->created, b->created) ||
      !str_eq(a->released, b->released) || !str_eq(a->classification, b->classification) ||
      !str_eq(a->origin, b->origin) || !str_eq(a->title, b->title) || !strv_eq(&a->tags, &b->tags))
    return false;
  if (a->has_header != b->has_header) return false;
  if (a->has_header &&
      (!str_eq(h->transmission_id, k->transmission_id) || !str_eq(h->routing, k->routing) ||
       !str_eq(h->de, k->de) || !str_eq(h->security, k->security) ||
       !str_eq(h->precedence, k->precedence) || !str_eq(h->dtg, k->dtg) ||
       !str_eq(h->from, k->from) || !recipients_eq(&h->to, &k->to) ||
       !recipients_eq(&h->info, &k->info)))
    return false;
  if (!str_eq(a->subject, b->subject) || a->references.n != b->references.n) return false;
  for (size_t i = 0; i < a->references.n; i++) {
    const struct cx_reference *x = &a->references.v[i], *y = &b->references.v[i];
    if (!str_eq(x->letter, y->letter) || !str_eq(x->text, y->text) || x->kind != y->kind ||
        !str_eq(x->cable_id, y->cable_id))
      return false;
  }
  if (a->has_classified_by != b->has_classified_by ||
      (a->has_classified_by && (!str_eq(a->classified_by.text, b->classified_by.text) ||
                                !strv_eq(&a->classified_by.names, &b->classified_by.names) ||
                                !str_eq(a->classified_by.reasons, b->classified_by.reasons))))
    return false;
  if (a->has_declassify != b->has_declassify ||
      (a->has_declassify && (!str_eq(a->declassify.text, b->declassify.text) ||
                             !str_eq(a->declassify.date, b->declassify.date))))
    return false;
  if (a->sipdis != b->sipdis || a->sections != b->sections || !str_eq(a->summary, b->summary) ||
      !str_eq(a->signer, b->signer) || a->paragraphs.n != b->paragraphs.n)
    return false;
  for (size_t i = 0; i < a->paragraphs.n; i++) {
    const struct cx_paragraph *x = &a->paragraphs.v[i], *y = &b->paragraphs.v[i];
    if (!str_eq(x->number, y->number) || !str_eq(x->marking, y->marking) ||
        !str_eq(x->text, y->text))
      return false;
  }
  return str_eq(a->header_text, b->header_text) && str_eq(a->body, b->body) &&
         cx_value_equal(&a->extra, &b->extra);
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
