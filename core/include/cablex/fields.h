/* cablex/fields.h - the cable model described once, for the plugins that
 * read and write every field (json, xml, epub): names, kinds and where each
 * field sits, generated from cablex/fields.def.
 *
 * Ownership: the tables are static and read-only; the accessors return
 * pointers into the object they are given, which keeps owning them.
 */
#ifndef CABLEX_FIELDS_H
#define CABLEX_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cablex/cable.h"
#include "cablex/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a field holds. */
enum cx_field_kind {
  CX_FK_VERSION,  /* model_version: always CX_MODEL_VERSION, not stored */
  CX_FK_STRING,   /* char *, NULL when null */
  CX_FK_DATETIME, /* char *, "YYYY-MM-DDTHH:MM:SS" or NULL */
  CX_FK_DATE,     /* char *, "YYYY-MM-DD" or NULL */
  CX_FK_STRINGS,  /* struct cx_strv */
  CX_FK_BOOL,     /* bool */
  CX_FK_COUNT,    /* int, >= 1; 0 is null */
  CX_FK_REFKIND,  /* enum cx_ref_kind, written as cx_ref_kind_name() */
  CX_FK_OBJECT,   /* an object of record `sub`, null unless its flag is set */
  CX_FK_LIST,     /* a list of objects of record `sub` (cx_recipients ...) */
  CX_FK_EXTRA     /* struct cx_value, an object */
};

/* The kinds of object in the model. */
enum cx_record_id {
#define CX_RECORD(REC, TYPE, NAME) CX_REC_##REC,
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM)
#include "cablex/fields.def"
#undef CX_RECORD
#undef CX_FIELD
  CX_REC_NONE
};

/* Every field, numbered in fields.def order: CX_F_CABLE_id ... */
enum cx_field_id {
#define CX_RECORD(REC, TYPE, NAME)                                                                 \
  CX_F_##REC##_FIRST_, CX_F_##REC##_BACK_ = CX_F_##REC##_FIRST_ - 1,
#define CX_FIELD(REC, NAME, KIND, PRESENT, SUB, ITEM) CX_F_##REC##_##NAME,
#include "cablex/fields.def"
#undef CX_RECORD
#undef CX_FIELD
  CX_F_COUNT
};

#define CX_FIELD_ALWAYS ((size_t)-1) /* `present` of an object that is never null */

struct cx_field {
  const char *name;     /* "routing_indicator" */
  unsigned char len;    /* strlen(name) */
  unsigned char kind;   /* enum cx_field_kind */
  unsigned char rec;    /* enum cx_record_id that holds it */
  unsigned char sub;    /* OBJECT, LIST: the record of its objects; else CX_REC_NONE */
  unsigned short index; /* its place in its record, from 0 */
  size_t off;           /* offset of the member in its record's struct */
  size_t present;       /* OBJECT: offset of its flag in its record's struct, or ALWAYS */
  const char *item;     /* STRINGS, LIST: what one item is called ("tag"), else "" */
};

struct cx_record {
  const char *name; /* "cable", "recipient" ... */
  size_t size;      /* sizeof its struct */
  unsigned first;   /* its first field in cx_fields; the others follow */
};

CX_API extern const struct cx_field cx_fields[CX_F_COUNT];
CX_API extern const struct cx_record cx_records[CX_REC_NONE];

/* Walks the fields of record record_id in order: CX_FOR_FIELDS(f, CX_REC_HEADER) {...} */
#define CX_FOR_FIELDS(f, record_id)                                                                \
  for (const struct cx_field *f = &cx_fields[cx_records[record_id].first];                         \
       f < cx_fields + CX_F_COUNT && f->rec == (record_id); f++)

/* The field of record `rec` called name[0, len), or NULL. */
CX_API const struct cx_field *cx_field_find(enum cx_record_id rec, const char *name, size_t len);

/* Where a field's member sits in base, an object of the field's record. */
static inline void *cx_field_ptr(const struct cx_field *f, const void *base) {
  return (char *)(uintptr_t)base + f->off;
}
static inline const char *cx_field_str(const struct cx_field *f, const void *base) {
  return *(char *const *)cx_field_ptr(f, base);
}
/* OBJECT: whether it is not null (it sets it when present is true). */
CX_API bool cx_field_present(const struct cx_field *f, const void *base);
CX_API void cx_field_set_present(const struct cx_field *f, void *base);

/* LIST: its length, its i-th object, and a new zeroed object at its end
 * (NULL when out of memory). */
CX_API size_t cx_field_list_len(const struct cx_field *f, const void *base);
CX_API void *cx_field_list_at(const struct cx_field *f, const void *base, size_t i);
CX_API void *cx_field_list_add(const struct cx_field *f, void *base);

/* Whether no field of the model holds a value in c (extra, and the objects
 * that are never null such as source, aside): what a reader met was not a
 * cable. */
CX_API bool cx_cable_is_empty(const struct cx_cable *c);

/* DATETIME, DATE: the form its text must have, as a message says it
 * ("YYYY-MM-DDTHH:MM:SS"); NULL for other kinds.  Whether s has the form
 * of field f (always true for a kind without one). */
CX_API const char *cx_field_form(const struct cx_field *f);
CX_API bool cx_field_form_ok(const struct cx_field *f, const char *s);

/* A new cable (*out) from obj, the model's JSON form held as values
 * (formats/cable.schema.json), by the field table: null leaves a field
 * absent, each value must have its field's type (dates their form), keys
 * of the cable outside the model go into extra.  Returns CX_OK; CX_WARN
 * with msg naming the keys moved into extra; CX_FAILED (*out NULL) with
 * what does not fit and where ("header.date: ...") in msg; or CX_FATAL. */
CX_API int cx_cable_from_value(const struct cx_value *obj, struct cx_cable **out, char *msg,
                               size_t size);

/* The text of a field of kind STRING, DATETIME, DATE, BOOL ("true" or
 * "false"), COUNT (written into num) or REFKIND (its name) of base; NULL
 * when it is null (or of another kind). */
CX_API const char *cx_field_text(const struct cx_field *f, const void *base, char num[24]);

/* What a writer could not carry in one cable, said on ctx: "WHO: cable ID:
 * N invalid UTF-8 sequences written as U+FFFD; N extra numbers that are not
 * JSON written as string; EXTRA", the parts that apply (extra NULL for
 * none).  Returns CX_WARN, or CX_OK when there is nothing to say. */
CX_API int cx_warn_not_carried(struct cx_ctx *ctx, const char *who, const char *id, size_t replaced,
                               size_t bad_number, const char *extra);

#ifdef __cplusplus
}
#endif
#endif
