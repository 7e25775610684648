/* fields.c - the tables of cablex/fields.h, made from cablex/fields.def, and
 * the accessors that need a field's C type. */
#include <stdio.h>
#include <string.h>

#include "cablex/fields.h"
#include "cablex/plugin.h"

/* PRESENT is NONE or FLAG(member): its offset in TYPE, or CX_FIELD_ALWAYS */
#define CX_P_NONE NONE, _
#define CX_P_FLAG(m) FLAG, m
#define CX_PRESENT(TYPE, ...) CX_PRESENT_(TYPE, __VA_ARGS__)
#define CX_PRESENT_(TYPE, K, m) CX_PRESENT_##K(TYPE, m)
#define CX_PRESENT_NONE(TYPE, m) CX_FIELD_ALWAYS
#define CX_PRESENT_FLAG(TYPE, m) offsetof(TYPE, m)

/* each field's C struct, from its record */
#define CX_RECORD(REC, TYPE, NAME) typedef TYPE cx_type_##REC;
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM)
#include "cablex/fields.def"
#undef CX_RECORD
#undef CX_FIELD
typedef struct cx_cable cx_type_NONE;

/* Each field's index in its record. */
enum {
#define CX_RECORD(REC, TYPE, NAME) CX_I_##REC##_FIRST_ = CX_F_##REC##_FIRST_,
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM)                                              \
  CX_I_##REC##_##NAME = CX_F_##REC##_##NAME - CX_F_##REC##_FIRST_,
#include "cablex/fields.def"
#undef CX_RECORD
#undef CX_FIELD
  CX_I_END_
};

/* A plugin compiles the field numbers and struct cx_field in: a change to
 * the table is a new model layout.  Raise CX_MODEL_LAYOUT (cablex/plugin.h)
 * and give the new layout its line here. */
#if CX_MODEL_LAYOUT == 1
_Static_assert(CX_F_COUNT == 52 && CX_REC_NONE == 8 &&
                   sizeof(struct cx_field) == 4 * sizeof(size_t) + 8,
               "the field table changed: raise CX_MODEL_LAYOUT in cablex/plugin.h");
#else
#error "add the field table of this CX_MODEL_LAYOUT here"
#endif

const struct cx_field cx_fields[CX_F_COUNT] = {
#define CX_RECORD(REC, TYPE, NAME)
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM)                                              \
  [CX_F_##REC##_##NAME] = {#NAME,                                                                  \
                           sizeof(#NAME) - 1,                                                      \
                           CX_FK_##KIND,                                                           \
                           CX_REC_##REC,                                                           \
                           CX_REC_##SUB,                                                           \
                           CX_I_##REC##_##NAME,                                                    \
                           offsetof(cx_type_##REC, NAME),                                          \
                           CX_PRESENT(cx_type_##REC, CX_P_##PRESENT),                              \
                           ITEM},
#include "cablex/fields.def"
#undef CX_RECORD
#undef CX_FIELD
};

const struct cx_record cx_records[CX_REC_NONE] = {
#define CX_RECORD(REC, TYPE, NAME) [CX_REC_##REC] = {NAME, sizeof(TYPE), CX_F_##REC##_FIRST_},
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM)
#include "cablex/fields.def"
#undef CX_RECORD
#undef CX_FIELD
};

const struct cx_field *cx_field_find(enum cx_record_id rec, const char *name, size_t len) {
  CX_FOR_FIELDS(f, rec) {
    if (f->len == len && !memcmp(f->name, name, len)) return f;
  }
  return NULL;
}

bool cx_field_present(const struct cx_field *f, const void *base) {
  return f->present == CX_FIELD_ALWAYS || *(const bool *)((const char *)base + f->present);
}

void cx_field_set_present(const struct cx_field *f, void *base) {
  if (f->present != CX_FIELD_ALWAYS) *(bool *)((char *)base + f->present) = true;
}

/* The lists of the model, by the record of their objects. */
size_t cx_field_list_len(const struct cx_field *f, const void *base) {
  const void *l = cx_field_ptr(f, base);
  switch (f->sub) {
  case CX_REC_RECIPIENT:
    return ((const struct cx_recipients *)l)->n;
  case CX_REC_REFERENCE:
    return ((const struct cx_references *)l)->n;
  case CX_REC_PARAGRAPH:
    return ((const struct cx_paragraphs *)l)->n;
  default:
    return 0;
  }
}

void *cx_field_list_at(const struct cx_field *f, const void *base, size_t i) {
  const void *l = cx_field_ptr(f, base);
  switch (f->sub) {
  case CX_REC_RECIPIENT:
    return &((const struct cx_recipients *)l)->v[i];
  case CX_REC_REFERENCE:
    return &((const struct cx_references *)l)->v[i];
  case CX_REC_PARAGRAPH:
    return &((const struct cx_paragraphs *)l)->v[i];
  default:
    return NULL;
  }
}

void *cx_field_list_add(const struct cx_field *f, void *base) {
  void *l = cx_field_ptr(f, base);
  switch (f->sub) {
  case CX_REC_RECIPIENT:
    return cx_recipients_add(l);
  case CX_REC_REFERENCE:
    return cx_references_add(l);
  case CX_REC_PARAGRAPH:
    return cx_paragraphs_add(l);
  default:
    return NULL;
  }
}

const char *cx_field_text(const struct cx_field *f, const void *base, char num[24]) {
  const void *p = cx_field_ptr(f, base);
  switch ((enum cx_field_kind)f->kind) {
  case CX_FK_STRING:
  case CX_FK_DATETIME:
  case CX_FK_DATE:
    return cx_field_str(f, base);
  case CX_FK_BOOL:
    return *(const bool *)p ? "true" : "false";
  case CX_FK_COUNT:
    if (*(const int *)p <= 0) return NULL;
    snprintf(num, 24, "%d", *(const int *)p);
    return num;
  case CX_FK_REFKIND:
    return cx_ref_kind_name(*(const enum cx_ref_kind *)p);
  default:
    return NULL;
  }
}

int cx_warn_not_carried(struct cx_ctx *ctx, const char *who, const char *id, size_t replaced,
                        size_t bad_number, const char *extra) {
  char what[3][96] = {"", "", ""};
  int n = 0;
  if (replaced)
    snprintf(what[n++], sizeof what[0], "%zu invalid UTF-8 sequence%s written as U+FFFD", replaced,
             replaced == 1 ? "" : "s");
  if (bad_number)
    snprintf(what[n++], sizeof what[0], "%zu extra number%s that %s not JSON written as string",
             bad_number, bad_number == 1 ? "" : "s", bad_number == 1 ? "is" : "are");
  if (extra) snprintf(what[n++], sizeof what[0], "%s", extra);
  if (!n) return CX_OK;
  return cx_error(ctx, CX_WARN, 0, "%s: cable %s: %s%s%s%s%s", who, id ? id : "(no id)", what[0],
                  n > 1 ? "; " : "", n > 1 ? what[1] : "", n > 2 ? "; " : "", n > 2 ? what[2] : "");
}

bool cx_cable_is_empty(const struct cx_cable *c) {
  CX_FOR_FIELDS(f, CX_REC_CABLE) {
    const void *p = cx_field_ptr(f, c);
    switch (f->kind) {
    case CX_FK_STRING:
    case CX_FK_DATETIME:
    case CX_FK_DATE:
      if (cx_field_str(f, c)) return false;
      break;
    case CX_FK_STRINGS:
      if (((const struct cx_strv *)p)->n) return false;
      break;
    case CX_FK_BOOL:
      if (*(const bool *)p) return false;
      break;
    case CX_FK_COUNT:
      if (*(const int *)p > 0) return false;
      break;
    case CX_FK_OBJECT:
      if (f->present != CX_FIELD_ALWAYS && cx_field_present(f, c)) return false;
      break;
    case CX_FK_LIST:
      if (cx_field_list_len(f, c)) return false;
      break;
    default:
      break;
    }
  }
  return true;
}

const char *cx_field_form(const struct cx_field *f) {
  return f->kind == CX_FK_DATETIME ? "YYYY-MM-DDTHH:MM:SS"
         : f->kind == CX_FK_DATE   ? "YYYY-MM-DD"
                                   : NULL;
}

bool cx_field_form_ok(const struct cx_field *f, const char *s) {
  const char *form = cx_field_form(f);
  if (!form) return true;
  for (; *form; s++, form++) /* a letter of the form is a digit, anything else itself */
    if ((*form >= 'A' && *form <= 'Z' && *form != 'T') ? !(*s >= '0' && *s <= '9') : *s != *form)
      return false;
  return *s == '\0';
}
