/* test_select.c - --where expressions and --shard K/N (core/select.c) over
 * cables built here: each field, the classification order and its NOFORN
 * variants, date prefixes, missing fields, and/or, several expressions,
 * errors with their column, and the shard hash's known values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "select.h"

static struct cx_cable *cable(const char *id, const char *created, const char *classification,
                              const char *origin, const char *subject, const char *tags) {
  struct cx_cable *c = cx_cable_new();
  assert_non_null(c);
  assert_int_equal(cx_set(&c->id, id), CX_OK);
  assert_int_equal(cx_set(&c->canonical_id, id), CX_OK);
  assert_int_equal(cx_set(&c->created, created), CX_OK);
  assert_int_equal(cx_set(&c->classification, classification), CX_OK);
  assert_int_equal(cx_set(&c->origin, origin), CX_OK);
  assert_int_equal(cx_set(&c->subject, subject), CX_OK);
  /* tags separated by '|' (a person tag has commas) */
  while (tags && *tags) {
    const char *bar = strchr(tags, '|');
    size_t n = bar ? (size_t)(bar - tags) : strlen(tags);
    assert_int_equal(cx_strv_push_n(&c->tags, tags, n), CX_OK);
    tags = bar ? bar + 1 : NULL;
  }
  return c;
}

/* Does expr select c?  The expression must parse. */
static bool sel(const char *expr, const struct cx_cable *c) {
  struct cxr_select *s = NULL;
  char err[256];
  int rc = cxr_select_add(&s, expr, err, sizeof err);
  if (rc != CX_OK) fail_msg("'%s' did not parse: %s", expr, err);
  assert_non_null(s);
  bool m = cxr_select_match(s, c);
  cxr_select_free(s);
  return m;
}

static struct cx_cable *tehran09, *tehran09nf, *bern07, *unclas, *bare;

static int setup(void **state) {
  (void)state;
  tehran09 = cable("09XXTEST123", "2009-06-14T10:00:00", "SECRET", "Embassy Tehran",
                   "IRAN: ELECTION, AND AFTER", "PGOV|IR|OVIP (STEINBERG, JAMES B.)");
  tehran09nf = cable("09XXTEST124", "2009-12-31T23:59:59", "SECRET//NOFORN", "Embassy Tehran",
                     "NUCLEAR TALKS", "IR|KNNP");
  bern07 = cable("07XXTEST881", "2007-09-10T12:00:00", "CONFIDENTIAL//NOFORN", "Embassy Bern",
                 "FM CALMY-REY TAKES NOTE", "MNUC|KNNP|IR|SZ");
  unclas = cable("10XXTEST5", "2010-01-01T00:00:00", "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
                 "Embassy Ankara", "TRADE", "ETRD|TU");
  bare = cx_cable_new(); /* nothing known at all */
  assert_non_null(bare);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  cx_cable_free(tehran09);
  cx_cable_free(tehran09nf);
  cx_cable_free(bern07);
  cx_cable_free(unclas);
  cx_cable_free(bare);
  return 0;
}

static void test_issue_example(void **state) {
  (void)state;
  const char *e = "classification=SECRET,origin=Embassy Tehran,year=2009";
  assert_true(sel(e, tehran09));
  assert_true(sel(e, tehran09nf)); /* SECRET names the level: //NOFORN is SECRET too */
  assert_false(sel(e, bern07));
  assert_false(sel(e, unclas));
  assert_false(sel(e, bare));
  assert_true(sel("classification = secret and origin = embassy tehran and year = 2009", tehran09));
}

static void test_id(void **state) {
  (void)state;
  assert_true(sel("id=09XXTEST123", tehran09));
  assert_true(sel("id=09xxtest123", tehran09));
  assert_false(sel("id=09XXTEST12", tehran09)); /* whole id, not a prefix */
  assert_true(sel("id=09XXTEST*", tehran09));
  assert_true(sel("id=09XXTEST12?", tehran09nf));
  assert_false(sel("id=09XXTEST*", bern07));
  assert_true(sel("id=*TEST8[0-9]*", bern07));
  assert_true(sel("id!=09XXTEST*", bern07));
  assert_false(sel("id!=09XXTEST*", tehran09));
  assert_true(sel("id~TEST12", tehran09));
  assert_false(sel("id=*", bare));
  assert_true(sel("id!=*", bare));
  /* canonical_id counts too */
  struct cx_cable *c = cable("06XXTEST003065", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(cx_set(&c->canonical_id, "06XXTEST3065"), CX_OK);
  assert_true(sel("id=06XXTEST3065", c));
  assert_true(sel("id=06XXTEST003065", c));
  cx_cable_free(c);
}

static void test_origin(void **state) {
  (void)state;
  assert_true(sel("origin=Embassy Tehran", tehran09));
  assert_true(sel("origin=EMBASSY   TEHRAN", tehran09));
  assert_true(sel("origin=TEHRAN", tehran09)); /* one word: any word of the origin */
  assert_true(sel("origin=tehran", tehran09));
  assert_false(sel("origin=TEHRA", tehran09)); /* a word, not a part of one */
  assert_false(sel("origin=Embassy Teh", tehran09));
  assert_true(sel("origin~tehr", tehran09));
  assert_false(sel("origin=Tehran", bern07));
  assert_true(sel("origin!=Tehran", bern07));
  assert_false(sel("origin=Tehran", bare));
  assert_true(sel("origin!=Tehran", bare));
}

static void test_classification(void **state) {
  (void)state;
  assert_true(sel("classification=SECRET", tehran09));
  assert_true(sel("classification=SECRET", tehran09nf));
  assert_false(sel("classification=SECRET", bern07));
  /* with a caveat the value is compared whole, however it is spaced */
  assert_true(sel("classification=SECRET//NOFORN", tehran09nf));
  assert_true(sel("classification=secret / noforn", tehran09nf));
  assert_false(sel("classification=SECRET//NOFORN", tehran09));
  assert_false(sel("classification=SECRET//NOFORN", bern07));
  assert_true(sel("classification~NOFORN", bern07));
  assert_true(sel("classification~noforn", tehran09nf));
  assert_false(sel("classification~NOFORN", tehran09));
  /* the order */
  assert_true(sel("classification>=CONFIDENTIAL", tehran09));
  assert_true(sel("classification>=CONFIDENTIAL", bern07));
  assert_false(sel("classification>=CONFIDENTIAL", unclas));
  assert_true(sel("classification>UNCLASSIFIED", unclas)); /* FOUO is above plain */
  assert_true(sel("classification<CONFIDENTIAL", unclas));
  assert_true(sel("classification<=CONFIDENTIAL//NOFORN", bern07));
  assert_false(sel("classification<SECRET", tehran09nf));
  assert_true(sel("classification>LIMITED OFFICIAL USE", bern07));
  assert_true(sel("classification=UNCLASSIFIED//FOUO", unclas));
  assert_true(sel("classification=UNCLASSIFIED//FOR OFFICIAL USE ONLY", unclas));
  assert_false(sel("classification=UNCLASSIFIED", unclas));
  assert_true(sel("class=unclas//fouo", unclas));
  assert_false(sel("classification<TOP SECRET", bare));
  assert_true(sel("classification!=SECRET", bare));
  /* a classification that is not a level matches no order */
  struct cx_cable *odd = cable("X", NULL, "SPECIAL", NULL, NULL, NULL);
  assert_false(sel("classification>=UNCLASSIFIED", odd));
  assert_true(sel("classification~SPECIAL", odd));
  cx_cable_free(odd);
}

static void test_tag(void **state) {
  (void)state;
  assert_true(sel("tag=IR", tehran09));
  assert_true(sel("tag=ir", bern07));
  assert_false(sel("tag=IR", unclas));
  assert_false(sel("tag=I", tehran09));
  assert_true(sel("tag=K*", bern07));
  assert_false(sel("tag=K*", tehran09));
  assert_true(sel("tag='OVIP (STEINBERG, JAMES B.)'", tehran09));
  assert_true(sel("tag~STEINBERG", tehran09));
  assert_true(sel("tag!=IR", unclas));
  assert_false(sel("tag!=IR", tehran09)); /* no tag is IR */
  assert_false(sel("tag=IR", bare));
}

static void test_dates(void **state) {
  (void)state;
  assert_true(sel("date>=2009-01-01", tehran09));
  assert_false(sel("date>=2009-01-01", bern07));
  assert_true(sel("date<2010", tehran09nf)); /* 2009-12-31T23:59:59 */
  assert_false(sel("date<2010", unclas));    /* 2010-01-01T00:00:00 */
  assert_true(sel("date<=2009", tehran09nf));
  assert_true(sel("date>2009", unclas));
  assert_false(sel("date>2009", tehran09nf));
  assert_true(sel("date=2009-06", tehran09));
  assert_false(sel("date=2009-07", tehran09));
  assert_true(sel("date>=2009-06-14 10:00", tehran09));
  assert_false(sel("date>2009-06-14T10:00:00", tehran09));
  assert_true(sel("created=2007-09-10", bern07));
  assert_true(sel("year=2009", tehran09));
  assert_true(sel("year=2009", tehran09nf));
  assert_false(sel("year=2009", unclas));
  assert_true(sel("year>=2009", unclas));
  assert_true(sel("year<2008", bern07));
  assert_true(sel("year!=2009", bern07));
  /* a cable without a date matches no date or year term but != */
  assert_false(sel("date<2100", bare));
  assert_false(sel("year>=1900", bare));
  assert_true(sel("year!=2009", bare));
  /* released is its own field */
  assert_false(sel("released>=2010", tehran09));
  struct cx_cable *c = cable("R", "2008-01-01T00:00:00", NULL, NULL, NULL, NULL);
  assert_int_equal(cx_set(&c->released, "2011-08-30T01:44:00"), CX_OK);
  assert_true(sel("released=2011-08", c));
  assert_false(sel("date=2011", c));
  cx_cable_free(c);
}

static void test_subject(void **state) {
  (void)state;
  assert_true(sel("subject~election", tehran09));
  assert_true(sel("subject~'election, and'", tehran09));
  assert_false(sel("subject~election", bern07));
  assert_true(sel("subject=trade", unclas));
  assert_false(sel("subject=tra", unclas));
  /* without a subject the title is used */
  struct cx_cable *c = cable("T", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(cx_set(&c->title, "A TITLE ONLY"), CX_OK);
  assert_true(sel("subject~title", c));
  cx_cable_free(c);
  assert_false(sel("subject~x", bare));
}

static void test_or_and_several(void **state) {
  (void)state;
  const char *e = "origin=Bern or classification=UNCLASSIFIED//FOUO";
  assert_true(sel(e, bern07));
  assert_true(sel(e, unclas));
  assert_false(sel(e, tehran09));
  /* and binds tighter than or */
  e = "origin=Tehran and year=2008 or tag=SZ";
  assert_false(sel(e, tehran09));
  assert_true(sel(e, bern07));
  /* several expressions all have to hold */
  struct cxr_select *s = NULL;
  char err[256];
  assert_int_equal(cxr_select_add(&s, "tag=IR", err, sizeof err), CX_OK);
  assert_int_equal(cxr_select_add(&s, "year=2009", err, sizeof err), CX_OK);
  assert_true(cxr_select_match(s, tehran09));
  assert_false(cxr_select_match(s, bern07));
  /* a bad one leaves the selection as it was */
  assert_int_equal(cxr_select_add(&s, "year=20", err, sizeof err), CX_FAILED);
  assert_true(cxr_select_match(s, tehran09));
  cxr_select_free(s);
  assert_true(cxr_select_match(NULL, bare));
  /* words that contain and/or are values, not separators */
  assert_true(sel("origin=Embassy Tehran,subject~AFTER", tehran09));
  struct cx_cable *c = cable("O", NULL, NULL, "Consulate Orlando", "ANDORRA", NULL);
  assert_true(sel("origin=Consulate Orlando and subject=andorra", c));
  cx_cable_free(c);
}

/* expr fails; the message names want and the column is col. */
static void bad(const char *expr, const char *want, size_t col) {
  struct cxr_select *s = NULL;
  char err[512];
  size_t at = 99;
  int rc = cxr_select_add_col(&s, expr, err, sizeof err, &at);
  if (rc != CX_FAILED) fail_msg("'%s' parsed", expr);
  assert_null(s);
  if (!strstr(err, want)) fail_msg("'%s': message '%s' lacks '%s'", expr, err, want);
  if (at != col) fail_msg("'%s': column %zu, not %zu (%s)", expr, at, col, err);
  char prefix[32];
  snprintf(prefix, sizeof prefix, "column %zu: ", col);
  assert_memory_equal(err, prefix, strlen(prefix));
}

static void test_errors(void **state) {
  (void)state;
  bad("", "empty expression", 1);
  bad("   ", "empty expression", 4);
  bad("orgin=X", "unknown field 'orgin'", 1);
  bad("year=2009,colour=red", "unknown field 'colour'", 11);
  bad("origin", "expected an operator", 7);
  bad("origin Tehran", "expected an operator", 8);
  bad("origin=", "expected a value", 8);
  bad("origin=Tehran,", "expected a term", 15);
  bad("origin=Tehran and", "expected a term", 18);
  bad("=x", "expected a field name", 1);
  bad("origin<Tehran", "not an order", 7);
  bad("tag>IR", "not an order", 4);
  bad("classification=SEKRET", "unknown classification 'SEKRET'", 16);
  bad("classification>=NOFORN", "unknown classification", 17);
  bad("date>=2009-13-01", "bad date", 7);
  bad("date<09", "bad date", 6);
  bad("date=2009/01/01", "bad date", 6);
  bad("year=09", "bad year", 6);
  bad("year=2009-01", "bad year", 6);
  bad("year~2009", "bad year", 5);
  bad("subject~'open", "unterminated", 9);
  bad("tag='IR' x", "expected ','", 10);
  struct cxr_select *s = NULL;
  assert_int_equal(cxr_select_add(&s, "id=x", NULL, 0), CX_OK); /* no buffer is fine */
  cxr_select_free(s);
}

static void test_shard_parse(void **state) {
  (void)state;
  unsigned k = 0, n = 0;
  char err[128];
  assert_int_equal(cxr_shard_parse("1/1", &k, &n, err, sizeof err), CX_OK);
  assert_int_equal(k, 1);
  assert_int_equal(n, 1);
  assert_int_equal(cxr_shard_parse("3/8", &k, &n, err, sizeof err), CX_OK);
  assert_int_equal(k, 3);
  assert_int_equal(n, 8);
  static const char *const bads[] = {"0/3",  "4/3",  "1/0",   "a/b",          "1/",
                                     "/2",   "1",    " 1/2",  "1/2 ",         "-1/2",
                                     "+1/2", "1//2", "1/2/3", "9999999999/1", ""};
  for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
    k = n = 77;
    err[0] = '\0';
    if (cxr_shard_parse(bads[i], &k, &n, err, sizeof err) != CX_FAILED)
      fail_msg("'%s' parsed", bads[i]);
    assert_int_equal(k, 77);
    assert_non_null(strstr(err, "bad shard"));
  }
}

static void test_shard_hash(void **state) {
  (void)state;
  /* FNV-1a 64 reference values (offset basis, "a") and the ids' own */
  assert_true(cxr_fnv1a64("") == UINT64_C(0xcbf29ce484222325));
  assert_true(cxr_fnv1a64("a") == UINT64_C(0xaf63dc4c8601ec8c));
  assert_true(cxr_fnv1a64("06ALMATY3065") == UINT64_C(0x5472829e3fe6d0c1));
  assert_true(cxr_fnv1a64("07BERN881") == UINT64_C(0x96e6a0f3e30f7df4));
  assert_true(cxr_fnv1a64("09ASTANA95") == UINT64_C(0x01f4561d7e960fc2));
  struct cx_cable *c = cable("09ASTANA95", NULL, NULL, NULL, NULL, NULL);
  assert_int_equal(cxr_shard_of(2, c), 1);
  assert_int_equal(cxr_shard_of(4, c), 3);
  assert_int_equal(cxr_shard_of(7, c), 6);
  assert_true(cxr_shard_match(3, 4, c));
  assert_false(cxr_shard_match(1, 4, c));
  assert_true(cxr_shard_match(0, 0, c)); /* no sharding */
  /* the canonical id decides, not the id as given */
  assert_int_equal(cx_set(&c->id, "06ALMATY3065"), CX_OK);
  assert_int_equal(cxr_shard_of(7, c), 6);
  assert_int_equal(cx_set(&c->canonical_id, NULL), CX_OK);
  assert_int_equal(cxr_shard_of(7, c), 7); /* 0x5472829e3fe6d0c1 % 7 + 1 */
  cx_cable_free(c);
  /* neither id: shard 1 */
  assert_int_equal(cxr_shard_of(5, bare), 1);
  assert_true(cxr_shard_match(1, 5, bare));
  assert_false(cxr_shard_match(2, 5, bare));
}

static void test_shard_partition(void **state) {
  (void)state;
  /* every cable lands in exactly one of N shards, and they are all used */
  for (unsigned n = 1; n <= 9; n++) {
    unsigned used[9] = {0};
    for (int i = 0; i < 600; i++) {
      char id[32];
      snprintf(id, sizeof id, "%02dXXTEST%d", 66 + i % 44, i * 7);
      struct cx_cable *c = cable(id, NULL, NULL, NULL, NULL, NULL);
      unsigned hits = 0;
      for (unsigned k = 1; k <= n; k++) {
        if (cxr_shard_match(k, n, c)) {
          hits++;
          used[k - 1]++;
        }
      }
      assert_int_equal(hits, 1);
      cx_cable_free(c);
    }
    for (unsigned k = 0; k < n; k++)
      assert_true(used[k] > 600 / n / 2);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_issue_example), cmocka_unit_test(test_id),
      cmocka_unit_test(test_origin),        cmocka_unit_test(test_classification),
      cmocka_unit_test(test_tag),           cmocka_unit_test(test_dates),
      cmocka_unit_test(test_subject),       cmocka_unit_test(test_or_and_several),
      cmocka_unit_test(test_errors),        cmocka_unit_test(test_shard_parse),
      cmocka_unit_test(test_shard_hash),    cmocka_unit_test(test_shard_partition),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
