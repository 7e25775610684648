/* from_value.c - a cable from the model's JSON form held as values
 * (struct cx_value), walking the one field table (cablex/fields.def): what
 * a reader that parses the JSON form itself (the epub plugin's chapters)
 * turns into a cable.  The rules are those of formats/cable.schema.json
 * as the json plugin applies them: null leaves a field absent, dates have
 * their form, keys of the cable outside the model go into extra. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"

struct fv {
  int code; /* the first problem: CX_FAILED, or CX_FATAL (out of memory) */
  char *msg;
  size_t size;
  char path[160];
  size_t plen;
};

static void fail(struct fv *v, const char *fmt, ...) CX_PRINTF(2, 3);
static void fail(struct fv *v, const char *fmt, ...) {
  if (v->code) return; /* keep the first problem */
  v->code = CX_FAILED;
  int n = snprintf(v->msg, v->size, "%s%s", v->path, v->plen ? ": " : "");
  if (n < 0 || (size_t)n >= v->size) n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(v->msg + n, v->size - (size_t)n, fmt, ap);
  va_end(ap);
}

static void oom(struct fv *v) {
  if (v->code == CX_FATAL) return;
  snprintf(v->msg, v->size, "out of memory");
  v->code = CX_FATAL;
}

static size_t path_push(struct fv *v, const char *key, size_t i) {
  size_t old = v->plen;
  int n = key ? snprintf(v->path + old, sizeof v->path - old, "%s%.40s", old ? "." : "", key)
              : snprintf(v->path + old, sizeof v->path - old, "[%zu]", i);
  if (n > 0) v->plen += (size_t)n < sizeof v->path - old ? (size_t)n : 0;
  return old;
}

static void path_pop(struct fv *v, size_t old) {
  v->plen = old;
  v->path[old] = '\0';
}

static const char *type_name(const struct cx_value *x) {
  static const char *const names[] = {"null",     "a boolean", "a boolean", "a number",
                                      "a string", "an array",  "an object"};
  return names[x->kind];
}

static void record(struct fv *v, enum cx_record_id rec, void *base, const struct cx_value *obj,
                   struct cx_value *moved);

static void string_field(struct fv *v, const struct cx_value *x, const struct cx_field *f,
                         char **dst) {
  if (x->kind != CX_VALUE_STRING)
    fail(v, "expected a string or null, found %s", type_name(x));
  else if (!cx_field_form_ok(f, x->text))
    fail(v, "\"%.40s\" is not a date of the form %s", x->text, cx_field_form(f));
  else if (cx_set(dst, x->text) != CX_OK)
    oom(v);
}

static void strings_field(struct fv *v, const struct cx_value *x, struct cx_strv *dst) {
  if (x->kind != CX_VALUE_ARRAY)
    return fail(v, "expected an array of strings, found %s", type_name(x));
  for (size_t i = 0; i < x->n && !v->code; i++) {
    size_t mark = path_push(v, NULL, i);
    if (x->items[i].kind != CX_VALUE_STRING)
      fail(v, "expected a string, found %s", type_name(&x->items[i]));
    else if (cx_strv_push(dst, x->items[i].text) != CX_OK)
      oom(v);
    path_pop(v, mark);
  }
}

static void list_field(struct fv *v, const struct cx_value *x, const struct cx_field *f,
                       void *base) {
  if (x->kind != CX_VALUE_ARRAY)
    return fail(v, "expected an array of %ss, found %s", f->item, type_name(x));
  for (size_t i = 0; i < x->n && !v->code; i++) {
    size_t mark = path_push(v, NULL, i);
    void *item = NULL;
    if (x->items[i].kind != CX_VALUE_OBJECT)
      fail(v, "expected an object, found %s", type_name(&x->items[i]));
    else if (!(item = cx_field_list_add(f, base)))
      oom(v);
    else
      record(v, f->sub, item, &x->items[i], NULL);
    path_pop(v, mark);
  }
}

/* A number field: its value in *d (true), or a failure with `what` expected. */
static bool number_field(struct fv *v, const struct cx_value *x, const char *what, double *d) {
  if (x->kind != CX_VALUE_NUMBER) {
    fail(v, "expected %s, found %s", what, type_name(x));
    return false;
  }
  *d = strtod(x->text, NULL);
  return true;
}

static void scalar_field(struct fv *v, const struct cx_value *x, const struct cx_field *f,
                         void *dst) {
  double d;
  switch ((enum cx_field_kind)f->kind) {
  case CX_FK_VERSION:
    if (number_field(v, x, "the number 1", &d) && d != 1)
      fail(v, "version %g is not supported (this reader knows model_version %d)", d,
           CX_MODEL_VERSION);
    return;
  case CX_FK_COUNT:
    if (!number_field(v, x, "an integer >= 1 or null", &d)) return;
    if (!(d >= 1 && d <= INT_MAX) || (double)(long)d != d)
      fail(v, "expected an integer >= 1 or null, found %g", d);
    else
      *(int *)dst = (int)d;
    return;
  case CX_FK_BOOL:
    if (x->kind != CX_VALUE_TRUE && x->kind != CX_VALUE_FALSE)
      return fail(v, "expected a boolean, found %s", type_name(x));
    *(bool *)dst = x->kind == CX_VALUE_TRUE;
    return;
  default: /* CX_FK_REFKIND */
    if (x->kind != CX_VALUE_STRING ||
        (strcmp(x->text, "cable") && strcmp(x->text, "email") && strcmp(x->text, "other")))
      return fail(v, "expected \"cable\", \"email\" or \"other\"");
    *(enum cx_ref_kind *)dst = cx_ref_kind_parse(x->text);
    return;
  }
}

/* The value x of field f of base. */
static void field(struct fv *v, const struct cx_field *f, void *base, const struct cx_value *x) {
  if (x->kind == CX_VALUE_NULL) return; /* null: the field stays absent */
  void *dst = cx_field_ptr(f, base);
  switch ((enum cx_field_kind)f->kind) {
  case CX_FK_EXTRA: /* an object of anything: a copy */
    if (x->kind != CX_VALUE_OBJECT) return fail(v, "expected an object, found %s", type_name(x));
    cx_value_clear(dst);
    if (cx_value_copy(dst, x) != CX_OK) oom(v);
    return;
  case CX_FK_OBJECT:
    if (x->kind != CX_VALUE_OBJECT)
      return fail(v, "expected an object or null, found %s", type_name(x));
    cx_field_set_present(f, base);
    return record(v, f->sub, dst, x, NULL);
  case CX_FK_LIST:
    return list_field(v, x, f, base);
  case CX_FK_STRINGS:
    return strings_field(v, x, dst);
  case CX_FK_STRING:
  case CX_FK_DATETIME:
  case CX_FK_DATE:
    return string_field(v, x, f, dst);
  default:
    return scalar_field(v, x, f, dst);
  }
}

/* An object of the model; keys of the cable outside it are copied to moved. */
static void record(struct fv *v, enum cx_record_id rec, void *base, const struct cx_value *obj,
                   struct cx_value *moved) {
  uint32_t seen = 0;
  for (size_t i = 0; i < obj->n && !v->code; i++) {
    const char *k = obj->keys && obj->keys[i] ? obj->keys[i] : "";
    const struct cx_field *f = cx_field_find(rec, k, strlen(k));
    size_t mark = path_push(v, k, 0);
    if (f && (seen & (UINT32_C(1) << f->index))) {
      fail(v, "duplicate key");
    } else if (f) {
      seen |= UINT32_C(1) << f->index;
      field(v, f, base, &obj->items[i]);
    } else if (moved) {
      struct cx_value *it = cx_value_put_new(moved, k);
      if (!it || cx_value_copy(it, &obj->items[i]) != CX_OK) oom(v);
    } else {
      fail(v, "unknown key (not in the model)");
    }
    path_pop(v, mark);
  }
}

/* The moved keys go into extra, after its own; a clash fails the cable. */
static void move_keys(struct fv *v, struct cx_cable *c, struct cx_value *moved, char *names,
                      size_t size) {
  size_t used = 0;
  for (size_t i = 0; i < moved->n && !v->code; i++) {
    const char *k = moved->keys[i];
    if (cx_value_get(&c->extra, k)) {
      size_t mark = path_push(v, k, 0);
      fail(v, "key is not in the model and extra has a key of the same name");
      path_pop(v, mark);
      return;
    }
    int n = snprintf(names + used, size - used, "%s\"%.40s\"", i ? ", " : "", k);
    if (n > 0 && (size_t)n < size - used) used += (size_t)n;
  }
  if (moved->n && c->extra.kind != CX_VALUE_OBJECT) c->extra.kind = CX_VALUE_OBJECT;
  for (size_t i = 0; i < moved->n && !v->code; i++) {
    struct cx_value *it = cx_value_put_new(&c->extra, moved->keys[i]);
    if (!it) return oom(v);
    *it = moved->items[i];
    memset(&moved->items[i], 0, sizeof moved->items[i]);
  }
}

int cx_cable_from_value(const struct cx_value *obj, struct cx_cable **out, char *msg, size_t size) {
  struct fv v = {0, msg, size, "", 0};
  struct cx_value moved = {.kind = CX_VALUE_OBJECT};
  *out = NULL;
  msg[0] = '\0';
  if (obj->kind != CX_VALUE_OBJECT) {
    snprintf(msg, size, "expected an object, found %s", type_name(obj));
    return CX_FAILED;
  }
  struct cx_cable *c = cx_cable_new();
  if (!c) {
    snprintf(msg, size, "out of memory");
    return CX_FATAL;
  }
  record(&v, CX_REC_CABLE, c, obj, &moved);
  size_t nmoved = v.code ? 0 : moved.n;
  char names[200] = "";
  if (!v.code) move_keys(&v, c, &moved, names, sizeof names);
  cx_value_clear(&moved);
  if (v.code) {
    cx_cable_free(c);
    return v.code;
  }
  *out = c;
  if (!nmoved) return CX_OK;
  snprintf(msg, size, "key%s %s not in the model, kept in extra", nmoved == 1 ? "" : "s", names);
  return CX_WARN;
}
