/* Unit tests for the cable model (core/cable.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cablex/cable.h"
#include "cablex/fields.h"

/* A cable with a value in every field, so that equality can be checked one
 * field at a time. */
static struct cx_cable *full_cable(void) {
  struct cx_cable *c = cx_cable_new();
  assert_non_null(c);
  cx_set(&c->id, "06XXTEST3065");
  cx_set(&c->canonical_id, "06XXTEST3065");
  cx_set(&c->created, "2006-08-28T11:38:00");
  cx_set(&c->classification, "CONFIDENTIAL");
  cx_set(&c->origin, "US Office Almaty");
  cx_strv_push(&c->tags, "OVIP (STEINBERG, JAMES B.)");
  c->has_header = true;
  cx_set(&c->header.dtg, "281138Z AUG 06");
  struct cx_recipient *r = cx_recipients_add(&c->header.to);
  cx_set(&r->routing_indicator, "RUEHC");
  cx_set(&r->name, "SECSTATE WASHDC");
  cx_strv_push(&r->excluded, "AMEMBASSY SOFIA");
  struct cx_reference *ref = cx_references_add(&c->references);
  cx_set(&ref->letter, "A");
  cx_set(&ref->text, "STATE 124823");
  ref->kind = CX_REF_CABLE;
  cx_set(&ref->cable_id, "07STATE124823");
  struct cx_paragraph *p = cx_paragraphs_add(&c->paragraphs);
  cx_set(&p->number, "1");
  cx_set(&p->marking, "C");
  cx_set(&p->text, "Summary.");
  c->has_classified_by = true;
  cx_strv_push(&c->classified_by.names, "AMBASSADOR JOHN ORDWAY");
  c->sipdis = true;
  c->sections = 4;
  cx_set(&c->body, "body\n");
  struct cx_value *v = cx_value_put(&c->extra, "note");
  cx_value_set_text(v, CX_VALUE_STRING, "x", 1);
  return c;
}

static void test_new_is_empty(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  assert_int_equal(c->model_version, CX_MODEL_VERSION);
  assert_null(c->id);
  assert_int_equal(c->tags.n, 0);
  assert_false(c->has_header);
  assert_int_equal(c->extra.kind, CX_VALUE_OBJECT);
  assert_int_equal(c->extra.n, 0);
  cx_cable_free(c);
  cx_cable_free(NULL);
}

static void test_setters_copy(void **state) {
  (void)state;
  char buf[] = "ALMATY";
  char *s = NULL;
  assert_int_equal(cx_set(&s, buf), CX_OK);
  buf[0] = 'X';
  assert_string_equal(s, "ALMATY");
  assert_int_equal(cx_set_n(&s, "ABCDEF", 3), CX_OK);
  assert_string_equal(s, "ABC");
  assert_int_equal(cx_set(&s, NULL), CX_OK);
  assert_null(s);
}

static void test_equal_sees_each_field(void **state) {
  (void)state;
  struct cx_cable *a = full_cable(), *b = full_cable();
  assert_true(cx_cable_equal(a, b));
  /* source is not part of equality */
  cx_set(&b->source.path, "elsewhere.txt");
  assert_true(cx_cable_equal(a, b));

  cx_set(&b->header.to.v[0].excluded.v[0], "AMEMBASSY ROME");
  assert_false(cx_cable_equal(a, b));
  cx_set(&b->header.to.v[0].excluded.v[0], "AMEMBASSY SOFIA");
  assert_true(cx_cable_equal(a, b));

  b->references.v[0].kind = CX_REF_OTHER;
  assert_false(cx_cable_equal(a, b));
  b->references.v[0].kind = CX_REF_CABLE;

  b->sections = 3;
  assert_false(cx_cable_equal(a, b));
  b->sections = 4;

  cx_set(&b->paragraphs.v[0].marking, NULL);
  assert_false(cx_cable_equal(a, b));
  cx_set(&b->paragraphs.v[0].marking, "C");

  cx_value_set_text(cx_value_put(&b->extra, "note"), CX_VALUE_NUMBER, "x", 1);
  assert_false(cx_cable_equal(a, b));
  cx_cable_free(a);
  cx_cable_free(b);
}

/* Where an object of record rec sits in c (full_cable's first of a list). */
static void *record_base(struct cx_cable *c, enum cx_record_id rec) {
  switch (rec) {
  case CX_REC_CABLE:
    return c;
  case CX_REC_HEADER:
    return &c->header;
  case CX_REC_RECIPIENT:
    return &c->header.to.v[0];
  case CX_REC_REFERENCE:
    return &c->references.v[0];
  case CX_REC_CLASSIFIED_BY:
    return &c->classified_by;
  case CX_REC_DECLASSIFY:
    return &c->declassify;
  case CX_REC_PARAGRAPH:
    return &c->paragraphs.v[0];
  default:
    return NULL; /* source: not part of equality */
  }
}

/* Every text field of the table counts for equality (and freeing a cable
 * with all of them set leaks nothing in a -DCABLEX_SANITIZE build). */
static void test_equal_walks_every_text_field(void **state) {
  (void)state;
  struct cx_cable *a = full_cable(), *b = full_cable();
  a->has_declassify = b->has_declassify = true;
  size_t seen = 0;
  for (int r = 0; r < CX_REC_NONE; r++) {
    void *pa = record_base(a, (enum cx_record_id)r), *pb = record_base(b, (enum cx_record_id)r);
    if (!pa) continue;
    CX_FOR_FIELDS(f, r) {
      if (f->kind != CX_FK_STRING && f->kind != CX_FK_DATE && f->kind != CX_FK_DATETIME) continue;
      cx_set(cx_field_ptr(f, pa), "XXTEST same");
      cx_set(cx_field_ptr(f, pb), "XXTEST same");
      assert_true(cx_cable_equal(a, b));
      cx_set(cx_field_ptr(f, pb), "XXTEST other");
      assert_false(cx_cable_equal(a, b));
      cx_set(cx_field_ptr(f, pb), "XXTEST same");
      seen++;
    }
  }
  assert_true(seen >= 30);
  cx_cable_free(a);
  cx_cable_free(b);
}

static void test_values(void **state) {
  (void)state;
  struct cx_value obj = {.kind = CX_VALUE_OBJECT};
  struct cx_value *arr = cx_value_put(&obj, "list");
  arr->kind = CX_VALUE_ARRAY;
  for (int i = 0; i < 20; i++) /* past the first growth */
    assert_int_equal(cx_value_set_text(cx_value_append(arr), CX_VALUE_NUMBER, "1.50", 4), CX_OK);
  assert_int_equal(cx_value_put(&obj, "t")->kind, CX_VALUE_NULL);
  cx_value_put(&obj, "t")->kind = CX_VALUE_TRUE;
  /* replacing a key keeps one entry */
  cx_value_put(&obj, "t")->kind = CX_VALUE_FALSE;
  assert_int_equal(obj.n, 2);
  assert_int_equal(cx_value_get(&obj, "t")->kind, CX_VALUE_FALSE);
  assert_null(cx_value_get(&obj, "missing"));
  assert_null(cx_value_append(&obj)); /* not an array */

  struct cx_value copy;
  assert_int_equal(cx_value_copy(&copy, &obj), CX_OK);
  assert_true(cx_value_equal(&copy, &obj));
  assert_string_equal(cx_value_get(&copy, "list")->items[19].text, "1.50");
  cx_value_set_text(&copy.items[0].items[3], CX_VALUE_NUMBER, "1.5", 3);
  assert_false(cx_value_equal(&copy, &obj));
  cx_value_clear(&copy);
  cx_value_clear(&obj);
  assert_int_equal(obj.kind, CX_VALUE_NULL);
}

static void test_ref_kinds(void **state) {
  (void)state;
  assert_string_equal(cx_ref_kind_name(CX_REF_EMAIL), "email");
  assert_int_equal(cx_ref_kind_parse("cable"), CX_REF_CABLE);
  assert_int_equal(cx_ref_kind_parse("bogus"), CX_REF_OTHER);
  assert_int_equal(cx_ref_kind_parse(NULL), CX_REF_OTHER);
}

/* The field table walks a record given by its constant id, in fields.def
 * order, and finds a field by name. */
static void test_fields_walk_a_record(void **state) {
  (void)state;
  const char *want[] = {"routing_indicator", "name", "precedence", "serial", "excluded"};
  size_t n = 0;
  CX_FOR_FIELDS(f, CX_REC_RECIPIENT) {
    assert_true(n < 5);
    assert_string_equal(f->name, want[n]);
    assert_int_equal(f->index, n);
    n++;
  }
  assert_int_equal(n, 5);
  const struct cx_field *f = cx_field_find(CX_REC_RECIPIENT, "serial", 6);
  assert_non_null(f);
  assert_int_equal(f->rec, CX_REC_RECIPIENT);
  assert_null(cx_field_find(CX_REC_RECIPIENT, "serials", 7));
}

/* {"id":..., "created":..., "tags":[...], KEY: VALUE} as values */
static void obj(struct cx_value *o, const char *created, enum cx_value_kind tag_kind,
                const char *key) {
  memset(o, 0, sizeof *o);
  o->kind = CX_VALUE_OBJECT;
  assert_int_equal(cx_value_set_text(cx_value_put(o, "id"), CX_VALUE_STRING, "01XXTEST1", 9),
                   CX_OK);
  assert_int_equal(
      cx_value_set_text(cx_value_put(o, "created"), CX_VALUE_STRING, created, strlen(created)),
      CX_OK);
  struct cx_value *tags = cx_value_put(o, "tags");
  tags->kind = CX_VALUE_ARRAY;
  assert_int_equal(cx_value_set_text(cx_value_append(tags), tag_kind, "7", 1), CX_OK);
  if (key) cx_value_put(o, key)->kind = CX_VALUE_TRUE;
}

static void test_cable_from_value(void **state) {
  (void)state;
  struct cx_value o;
  struct cx_cable *c;
  char msg[200];
  obj(&o, "2001-02-03T04:05:06", CX_VALUE_STRING, "not_a_field");
  assert_int_equal(cx_cable_from_value(&o, &c, msg, sizeof msg), CX_WARN);
  assert_string_equal(msg, "key \"not_a_field\" not in the model, kept in extra");
  assert_string_equal(c->id, "01XXTEST1");
  assert_string_equal(c->created, "2001-02-03T04:05:06");
  assert_int_equal(c->tags.n, 1);
  assert_string_equal(c->tags.v[0], "7");
  assert_int_equal(cx_value_get(&c->extra, "not_a_field")->kind, CX_VALUE_TRUE);
  cx_cable_free(c);
  cx_value_clear(&o);
  /* a datetime without its time, a tag that is a number */
  obj(&o, "2001-02-03", CX_VALUE_STRING, NULL);
  assert_int_equal(cx_cable_from_value(&o, &c, msg, sizeof msg), CX_FAILED);
  assert_null(c);
  assert_string_equal(msg, "created: \"2001-02-03\" is not a date of the form YYYY-MM-DDTHH:MM:SS");
  cx_value_clear(&o);
  obj(&o, "2001-02-03T04:05:06", CX_VALUE_NUMBER, NULL);
  assert_int_equal(cx_cable_from_value(&o, &c, msg, sizeof msg), CX_FAILED);
  assert_string_equal(msg, "tags[0]: expected a string, found a number");
  cx_value_clear(&o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_new_is_empty),
      cmocka_unit_test(test_setters_copy),
      cmocka_unit_test(test_equal_sees_each_field),
      cmocka_unit_test(test_equal_walks_every_text_field),
      cmocka_unit_test(test_values),
      cmocka_unit_test(test_ref_kinds),
      cmocka_unit_test(test_fields_walk_a_record),
      cmocka_unit_test(test_cable_from_value),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
