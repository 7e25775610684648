/* test_stations.c - the station list shared by canonical ids and REF cable
 * ids (core/stations.c): its order, which lookup knows which station and
 * abbreviation, the edit distance, the nearest and the partial match.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stations.h"

static const enum cx_station_use uses_both[] = {CX_STATION_IDS, CX_STATION_REFS};

static void test_list_sorted_and_found(void **state) {
  (void)state;
  size_t n = cx_station_count();
  assert_true(n > 300);
  assert_null(cx_station_name(n, NULL));
  const char *prev = NULL;
  for (size_t i = 0; i < n; i++) {
    unsigned uses = 0;
    const char *name = cx_station_name(i, &uses);
    assert_non_null(name);
    assert_true(uses != 0);
    assert_true(strlen(name) >= 3 && strlen(name) < CX_STATION_MAX);
    assert_int_equal(strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), strlen(name));
    /* the binary search needs strict strcmp order */
    if (prev && strcmp(prev, name) >= 0) fail_msg("%s is not after %s", name, prev);
    prev = name;
    for (size_t u = 0; u < 2; u++) {
      const char *got = cx_station_find(name, uses_both[u]);
      if (uses & (unsigned)uses_both[u])
        assert_ptr_equal(got, name);
      else
        assert_null(got);
    }
  }
}

static void test_each_use_keeps_its_stations(void **state) {
  (void)state;
  size_t ids = 0, refs = 0;
  for (size_t i = 0; i < cx_station_count(); i++) {
    unsigned uses;
    cx_station_name(i, &uses);
    ids += (uses & CX_STATION_IDS) != 0;
    refs += (uses & CX_STATION_REFS) != 0;
  }
  /* the two lists the one list was merged from */
  assert_int_equal(ids, 308);
  assert_int_equal(refs, 286);
  assert_string_equal(cx_station_find("SAIGON", CX_STATION_IDS), "SAIGON");
  assert_null(cx_station_find("SAIGON", CX_STATION_REFS));
  assert_string_equal(cx_station_find("IZMIR", CX_STATION_REFS), "IZMIR");
  assert_null(cx_station_find("IZMIR", CX_STATION_IDS));
  assert_null(cx_station_find("NOWHERE", CX_STATION_IDS));
  assert_null(cx_station_find("state", CX_STATION_IDS));
  assert_null(cx_station_find("", CX_STATION_REFS));
}

static void test_lookup_aliases_per_use(void **state) {
  (void)state;
  /* Taipei: AITTAIPEI in canonical ids, TAIPEI in a REF */
  assert_string_equal(cx_station_lookup("TAIPEI", CX_STATION_IDS), "AITTAIPEI");
  assert_string_equal(cx_station_lookup("TAIPEI", CX_STATION_REFS), "TAIPEI");
  assert_string_equal(cx_station_lookup("USEU", CX_STATION_IDS), "USEUBRUSSELS");
  assert_string_equal(cx_station_lookup("USEU", CX_STATION_REFS), "BRUSSELS");
  /* a station of the list wins over an abbreviation */
  assert_string_equal(cx_station_lookup("USEUBRUSSELS", CX_STATION_REFS), "USEUBRUSSELS");
  for (size_t u = 0; u < 2; u++) {
    assert_string_equal(cx_station_lookup("SECSTATE", uses_both[u]), "STATE");
    assert_string_equal(cx_station_lookup("HK", uses_both[u]), "HONGKONG");
    assert_string_equal(cx_station_lookup("MADRID", uses_both[u]), "MADRID");
    assert_null(cx_station_lookup("MADRIDD", uses_both[u])); /* no fuzzy matching here */
  }
  /* short ids-only abbreviations are no station in a REF */
  assert_string_equal(cx_station_lookup("DOC", CX_STATION_IDS), "USDOC");
  assert_null(cx_station_lookup("DOC", CX_STATION_REFS));
  assert_string_equal(cx_station_lookup("SD", CX_STATION_IDS), "SANTODOMINGO");
  assert_null(cx_station_lookup("SD", CX_STATION_REFS));
  assert_string_equal(cx_station_lookup("KUALALUMP", CX_STATION_REFS), "KUALALUMPUR");
  assert_null(cx_station_lookup("KUALALUMP", CX_STATION_IDS));
}

static void test_distance(void **state) {
  (void)state;
  assert_int_equal(cx_station_distance("BAKU", "BAKU", 2), 0);
  assert_int_equal(cx_station_distance("BAKU", "BAKI", 2), 1);
  assert_int_equal(cx_station_distance("BAKU", "BKAU", 2), 1); /* transposition */
  assert_int_equal(cx_station_distance("BAU", "BAKU", 2), 1);
  assert_int_equal(cx_station_distance("SECTON", "SECTION", 2), 1);
  assert_int_equal(cx_station_distance("SCTIO", "SECTION", 2), 2);
  assert_int_equal(cx_station_distance("", "ABC", 3), 3);
  /* past the limit: some value above it */
  assert_true(cx_station_distance("LONDON", "LISBON", 1) > 1);
  assert_true(cx_station_distance("ROME", "BANDARSERIBEGAWAN", 2) > 2);
  char longer[CX_STATION_MAX + 1];
  memset(longer, 'A', CX_STATION_MAX);
  longer[CX_STATION_MAX] = '\0';
  assert_true(cx_station_distance(longer, longer, 1) > 1);
}

static void test_nearest(void **state) {
  (void)state;
  assert_string_equal(cx_station_nearest("TRIPOLII", 1, CX_STATION_REFS), "TRIPOLI");
  assert_string_equal(cx_station_nearest("PHNOMPEN", 1, CX_STATION_IDS), "PHNOMPENH");
  assert_string_equal(cx_station_nearest("BAU", 1, CX_STATION_IDS), "BAKU");
  assert_string_equal(cx_station_nearest("MADRID", 0, CX_STATION_IDS), "MADRID");
  assert_null(cx_station_nearest("MADRIDXY", 1, CX_STATION_IDS));
  assert_string_equal(cx_station_nearest("MADRIDXY", 2, CX_STATION_IDS), "MADRID");
  /* JIDDA is known to canonical ids only: there JIDDAH is as near to it
   * as to JEDDAH, and a tie names nothing */
  assert_string_equal(cx_station_nearest("JIDDAH", 1, CX_STATION_REFS), "JEDDAH");
  assert_null(cx_station_nearest("JIDDAH", 1, CX_STATION_IDS));
  assert_string_equal(cx_station_nearest("TIPEI", 1, CX_STATION_REFS), "TAIPEI");
  assert_null(cx_station_nearest("TIPEI", 1, CX_STATION_IDS));
  assert_null(cx_station_nearest("QQQQQQ", 2, CX_STATION_REFS));
}

static void test_part(void **state) {
  (void)state;
  assert_string_equal(cx_station_part("KUALALUMP", CX_STATION_IDS), "KUALALUMPUR");
  assert_string_equal(cx_station_part("PAULO", CX_STATION_IDS), "SAOPAULO");
  assert_null(cx_station_part("SAN", CX_STATION_IDS)); /* SANAA, SANJOSE ... */
  assert_null(cx_station_part("PARIS", CX_STATION_IDS));
  assert_string_equal(cx_station_part("TAIP", CX_STATION_REFS), "TAIPEI");
  assert_null(cx_station_part("TAIP", CX_STATION_IDS));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_list_sorted_and_found),
      cmocka_unit_test(test_each_use_keeps_its_stations),
      cmocka_unit_test(test_lookup_aliases_per_use),
      cmocka_unit_test(test_distance),
      cmocka_unit_test(test_nearest),
      cmocka_unit_test(test_part),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
