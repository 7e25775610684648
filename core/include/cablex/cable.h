/* cablex/cable.h - the intermediate cable model shared by every plugin.
 *
 * Ownership: a struct cx_cable owns every string, array and value reachable
 * from it; all of it is heap memory from malloc and is released only by
 * cx_cable_free().  Setters copy their arguments; nothing in the model is
 * ever borrowed.
 *
 * Strings are NUL-terminated UTF-8.  NULL means "absent" (JSON null); an
 * empty array is n == 0.  Field names follow the JSON contract in
 * formats/cable.schema.json (model_version 1); cablex/fields.def lists every
 * field once, and cablex/fields.h lets a plugin walk them.
 */
#ifndef CABLEX_CABLE_H
#define CABLEX_CABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CX_MODEL_VERSION 1

/* A growable list of owned strings. */
struct cx_strv {
  char **v;
  size_t n, cap;
};

/* A JSON-like value, for `extra`: fields a plugin added that the model does
 * not know.  Numbers keep the text they were read as (no precision lost). */
enum cx_value_kind {
  CX_VALUE_NULL,
  CX_VALUE_FALSE,
  CX_VALUE_TRUE,
  CX_VALUE_NUMBER, /* text holds the number as written, e.g. "1.50" */
  CX_VALUE_STRING, /* text holds the string */
  CX_VALUE_ARRAY,  /* items[0..n) */
  CX_VALUE_OBJECT  /* keys[i] -> items[i], in insertion order */
};

struct cx_value {
  enum cx_value_kind kind;
  char *text;
  size_t n, cap;
  char **keys;
  struct cx_value *items;
};

/* One addressee of a TO or INFO list. */
struct cx_recipient {
  char *routing_indicator; /* "RUEHC" */
  char *name;              /* "SECSTATE WASHDC" */
  char *precedence;        /* "PRIORITY", "IMMEDIATE", ... */
  char *serial;            /* message continuity number, "6738" */
  struct cx_strv excluded; /* XMT exclusions of a collective */
};

struct cx_recipients {
  struct cx_recipient *v;
  size_t n, cap;
};

struct cx_header {
  char *transmission_id; /* "VZCZCXRO2779" */
  char *routing;         /* "PP RUEHDBU ..." (continuation lines joined by \n) */
  char *de;              /* "RUEHTA #3065/01 2401138" */
  char *security;        /* "ZNY CCCCC ZZH" */
  char *precedence;      /* "P", "O R" ... */
  char *dtg;             /* "281138Z AUG 06" */
  char *from;            /* "AMEMBASSY ALMATY" */
  struct cx_recipients to;
  struct cx_recipients info;
};

enum cx_ref_kind { CX_REF_OTHER = 0, CX_REF_CABLE, CX_REF_EMAIL };

struct cx_reference {
  char *letter; /* "A", or NULL for an unlettered REF */
  char *text;   /* "STATE 124823" as written (whitespace folded) */
  enum cx_ref_kind kind;
  char *cable_id; /* "07STATE124823" when kind is CX_REF_CABLE */
};

struct cx_references {
  struct cx_reference *v;
  size_t n, cap;
};

struct cx_paragraph {
  char *number;  /* "1", "3.A", or NULL for unnumbered text */
  char *marking; /* "C", "S/NF", "SBU" ... or NULL */
  char *text;    /* the paragraph without number and marking */
};

struct cx_paragraphs {
  struct cx_paragraph *v;
  size_t n, cap;
};

struct cx_cable {
  int model_version;    /* CX_MODEL_VERSION */
  char *id;             /* reference id as given, "06ALMATY3065" */
  char *canonical_id;   /* id with known malformations corrected */
  char *created;        /* "YYYY-MM-DDTHH:MM:SS" or NULL */
  char *released;       /* same form, or NULL */
  char *classification; /* "CONFIDENTIAL", "SECRET//NOFORN" ... */
  char *origin;         /* "US Office Almaty", "Embassy Ankara" ... */
  char *title;          /* the page title, when the source had one */
  struct cx_strv tags;  /* person tags like "OVIP (STEINBERG, JAMES B.)" stay whole */
  bool has_header;      /* false: header is JSON null */
  struct cx_header header;
  char *subject;
  struct cx_references references;
  bool has_classified_by; /* false: classified_by is JSON null */
  struct cx_classified_by {
    char *text;           /* the whole "Classified By: ..." sentence */
    struct cx_strv names; /* "AMBASSADOR JOHN ORDWAY" */
    char *reasons;        /* "1.4 (B) AND (D)" */
  } classified_by;
  bool has_declassify; /* false: declassify is JSON null */
  struct cx_declassify {
    char *text; /* "E.O. 12958: DECL: 08/28/2016" */
    char *date; /* "2016-08-28", or NULL when not a date */
  } declassify;
  bool sipdis;  /* the SIPDIS caption is present */
  int sections; /* m of "SECTION n OF m"; 0 = none (JSON null) */
  char *summary;
  char *signer;
  struct cx_paragraphs paragraphs;
  char *header_text; /* the telegram header, verbatim, with its trailing newlines */
  char *body;        /* the rest of the telegram, verbatim */
  struct cx_source {
    char *format; /* reader plugin name */
    char *path;   /* input path, "-" for stdin */
    char *entry;  /* archive entry, or NULL */
  } source;
  struct cx_value extra; /* an object (CX_VALUE_OBJECT, possibly empty) */
};

/* ---- the cable ---- */
CX_API struct cx_cable *cx_cable_new(void);    /* NULL when out of memory */
CX_API void cx_cable_free(struct cx_cable *c); /* NULL is fine */

/* Replaces *dst with a copy of s (NULL clears it).  Returns CX_OK or
 * CX_FATAL when out of memory.  The _n form copies exactly len bytes. */
CX_API int cx_set(char **dst, const char *s);
CX_API int cx_set_n(char **dst, const char *s, size_t len);

/* Adds a copy of s (or of s[0..len)) to v. */
CX_API int cx_strv_push(struct cx_strv *v, const char *s);
CX_API int cx_strv_push_n(struct cx_strv *v, const char *s, size_t len);
CX_API void cx_strv_clear(struct cx_strv *v);

/* Appends a zeroed element and returns it (NULL when out of memory). */
CX_API struct cx_recipient *cx_recipients_add(struct cx_recipients *v);
CX_API struct cx_reference *cx_references_add(struct cx_references *v);
CX_API struct cx_paragraph *cx_paragraphs_add(struct cx_paragraphs *v);

CX_API const char *cx_ref_kind_name(enum cx_ref_kind k);  /* "cable" ... */
CX_API enum cx_ref_kind cx_ref_kind_parse(const char *s); /* unknown: OTHER */

/* ---- values (extra) ---- */
/* A value owns its text, keys and items.  cx_value_clear frees them and
 * leaves a CX_VALUE_NULL. */
CX_API void cx_value_clear(struct cx_value *v);
/* Makes v a copy of src (v must be clear). */
CX_API int cx_value_copy(struct cx_value *v, const struct cx_value *src);
/* Sets v (clear) to a string / number text. */
CX_API int cx_value_set_text(struct cx_value *v, enum cx_value_kind kind, const char *text,
                             size_t len);
/* Appends to an array, or to an object under key (a copy of key is kept;
 * an existing key is replaced).  Returns the new, null item. */
CX_API struct cx_value *cx_value_append(struct cx_value *array);
CX_API struct cx_value *cx_value_put(struct cx_value *object, const char *key);
/* Like cx_value_put for a key the caller knows is not there yet (keys from
 * a parser that rejects duplicates): no look-up, so that building an object
 * of n keys costs O(n), not O(n^2). */
CX_API struct cx_value *cx_value_put_new(struct cx_value *object, const char *key);
/* Looks a key up in an object; NULL when absent or v is not an object. */
CX_API const struct cx_value *cx_value_get(const struct cx_value *object, const char *key);
CX_API bool cx_value_equal(const struct cx_value *a, const struct cx_value *b);
/* Whether s[0, n) is a number as JSON writes it (RFC 8259 section 6): the
 * only text a CX_VALUE_NUMBER may hold.  NULL is not. */
CX_API bool cx_is_json_number(const char *s, size_t n);
/* "null", "false", "true" for those kinds of value; NULL for the others. */
CX_API const char *cx_value_literal(enum cx_value_kind kind);

/* Whether a parsed text shows any of a cable's anatomy: an id, a created
 * date, a classification, a header, a subject, tags, references, a
 * Classified By or E.O. line, SIPDIS, sections, or a paragraph with a
 * marking; a signer only under upper-case text (a telegram's tail), since
 * any note may end in a name.  A text with none (a stray notes.txt,
 * /etc/passwd, "Shopping list\n\nBob", a PDF of something else) is not a
 * cable; a reader says so and skips it. */
CX_API bool cx_cable_has_anatomy(const struct cx_cable *c);

/* Deep equality of two cables over every model field except `source`. */
CX_API bool cx_cable_equal(const struct cx_cable *a, const struct cx_cable *b);

#ifdef __cplusplus
}
#endif
#endif
