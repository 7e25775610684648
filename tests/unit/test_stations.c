/* test_stations.c - the one station table (core/lib/telegram/stations.c):
 * its order, the spellings each lookup knows, the page origin names, the
 * names of renamed posts by year, FM lines, the edit distance, the nearest
 * and the partial match.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stations.h"

static const enum cx_station_use uses_both[] = {CX_STATION_IDS, CX_STATION_REFS};

static void test_table_sorted_and_found(void **state) {
  (void)state;
  size_t n = cx_station_count();
  assert_int_equal(n, 314);
  assert_null(cx_station_name(n, NULL));
  const char *prev = NULL;
  size_t named = 0;
  for (size_t i = 0; i < n; i++) {
    const char *origin = NULL;
    const char *name = cx_station_name(i, &origin);
    assert_non_null(name);
    assert_true(strlen(name) >= 3 && strlen(name) < CX_STATION_MAX);
    assert_int_equal(strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), strlen(name));
    /* the binary search needs strict strcmp order */
    if (prev && strcmp(prev, name) >= 0) fail_msg("%s is not after %s", name, prev);
    prev = name;
    assert_ptr_equal(cx_station_find(name), name);
    assert_ptr_equal(cx_station_origin(name), origin);
    named += origin != NULL;
    /* every station is known to both lookups, and to nearest at 0 edits */
    for (size_t u = 0; u < 2; u++) {
      const char *got = cx_station_lookup(name, uses_both[u]);
      assert_non_null(got);
      assert_non_null(cx_station_find(got));
      assert_non_null(cx_station_nearest(name, 0, uses_both[u]));
    }
  }
  /* a page origin name for all but a few Washington senders */
  assert_true(named >= n - 8);
}

static void test_stations_once_known_to_one_lookup(void **state) {
  (void)state;
  /* these were known to canonical ids or to REFs only */
  static const char *const once[] = {"SAIGON", "IZMIR",  "TAIPEI",    "BOMBAY",
                                     "JIDDA",  "ZURICH", "MOGADISHU", "LENINGRAD"};
  for (size_t i = 0; i < sizeof once / sizeof *once; i++) {
    assert_string_equal(cx_station_find(once[i]), once[i]);
    assert_string_equal(cx_station_lookup(once[i], CX_STATION_REFS), once[i]);
  }
  assert_null(cx_station_find("XXTEST"));
  assert_null(cx_station_find("state"));
  assert_null(cx_station_find(""));
}

static void test_lookup_aliases_per_use(void **state) {
  (void)state;
  /* Taipei: AITTAIPEI in canonical ids, TAIPEI in a REF */
  assert_string_equal(cx_station_lookup("TAIPEI", CX_STATION_IDS), "AITTAIPEI");
  assert_string_equal(cx_station_lookup("TAIPEI", CX_STATION_REFS), "TAIPEI");
  assert_string_equal(cx_station_lookup("USEU", CX_STATION_IDS), "USEUBRUSSELS");
  assert_string_equal(cx_station_lookup("USEU", CX_STATION_REFS), "BRUSSELS");
  assert_string_equal(cx_station_lookup("USEUBRUSSELS", CX_STATION_REFS), "USEUBRUSSELS");
  for (size_t u = 0; u < 2; u++) {
    assert_string_equal(cx_station_lookup("SECSTATE", uses_both[u]), "STATE");
    assert_string_equal(cx_station_lookup("SECSTATEWASHDC", uses_both[u]), "STATE");
    assert_string_equal(cx_station_lookup("HK", uses_both[u]), "HONGKONG");
    assert_string_equal(cx_station_lookup("MADRID", uses_both[u]), "MADRID");
    assert_null(cx_station_lookup("MADRIDD", uses_both[u])); /* no fuzzy matching here */
    /* a saint's city, a city renamed, words run together */
    assert_string_equal(cx_station_lookup("SAINTPETERSBURG", uses_both[u]), "STPETERSBURG");
    assert_string_equal(cx_station_lookup("YANGON", uses_both[u]), "RANGOON");
    assert_string_equal(cx_station_lookup("USDAFASWASHDC", uses_both[u]), "USDAFAS");
    assert_string_equal(cx_station_lookup("KUALALUMP", uses_both[u]), "KUALALUMPUR");
  }
  /* short ids-only abbreviations are no station in a REF */
  assert_string_equal(cx_station_lookup("DOC", CX_STATION_IDS), "USDOC");
  assert_null(cx_station_lookup("DOC", CX_STATION_REFS));
  assert_string_equal(cx_station_lookup("SD", CX_STATION_IDS), "SANTODOMINGO");
  assert_null(cx_station_lookup("SD", CX_STATION_REFS));
  assert_string_equal(cx_station_lookup("WASHDC", CX_STATION_IDS), "STATE");
  assert_null(cx_station_lookup("WASHDC", CX_STATION_REFS));
}

static void test_origin(void **state) {
  (void)state;
  assert_string_equal(cx_station_origin("MOSCOW"), "Embassy Moscow");
  assert_string_equal(cx_station_origin("RIODEJANEIRO"), "Consulate Rio De Janeiro");
  assert_string_equal(cx_station_origin("STATE"), "Secretary of State");
  assert_string_equal(cx_station_origin("USNATO"), "Mission USNATO");
  assert_string_equal(cx_station_origin("UNVIEVIENNA"), "UNVIE");
  assert_string_equal(cx_station_origin("USEUBRUSSELS"), "USEU Brussels");
  assert_string_equal(cx_station_origin("HAVANA"), "US Interests Section Havana");
  /* a post keeps its page name under every name it had */
  assert_string_equal(cx_station_origin("KIEV"), "Embassy Kyiv");
  assert_string_equal(cx_station_origin("KYIV"), "Embassy Kyiv");
  assert_string_equal(cx_station_origin("TAIPEI"), cx_station_origin("AITTAIPEI"));
  assert_null(cx_station_origin("XXTEST"));
  assert_null(cx_station_origin("Moscow"));
}

static void test_in_year(void **state) {
  (void)state;
  assert_string_equal(cx_station_in_year("KIEV", 2009), "KYIV");
  assert_string_equal(cx_station_in_year("KIEV", 2005), "KIEV");
  assert_string_equal(cx_station_in_year("BOMBAY", 2004), "MUMBAI");
  assert_string_equal(cx_station_in_year("BOMBAY", 1975), "BOMBAY");
  assert_string_equal(cx_station_in_year("JIDDA", 2009), "JEDDAH");
  assert_string_equal(cx_station_in_year("MOSCOW", 2009), "MOSCOW");
  assert_string_equal(cx_station_in_year("KYIV", 1975), "KYIV");
  assert_null(cx_station_in_year("XXTEST", 2009));
}

static void fm(const char *line, const char *station, const char *origin) {
  const char *got = cx_station_from_fm(line);
  if (!station) {
    if (got) fail_msg("FM \"%s\": %s, want none", line, got);
    assert_null(cx_station_origin_from_fm(line));
    return;
  }
  if (!got || strcmp(got, station)) fail_msg("FM \"%s\": %s, want %s", line, got, station);
  const char *o = cx_station_origin_from_fm(line);
  if (!o || strcmp(o, origin)) fail_msg("FM \"%s\": origin %s, want %s", line, o, origin);
}

static void test_from_fm(void **state) {
  (void)state;
  fm("AMEMBASSY MOSCOW", "MOSCOW", "Embassy Moscow");
  fm(" AMEMBASSY  MOSCOW ", "MOSCOW", "Embassy Moscow");
  fm("RUEHMO/AMEMBASSY MOSCOW", "MOSCOW", "Embassy Moscow");
  fm("AMEMBASSY MOSCOW 1234", "MOSCOW", "Embassy Moscow");
  fm("AMEMBASSY MOSCOW//POL//", "MOSCOW", "Embassy Moscow");
  fm("AMCONSUL RIO DE JANEIRO", "RIODEJANEIRO", "Consulate Rio De Janeiro");
  fm("AMEMBASSY PORT-AU-PRINCE", "PORTAUPRINCE", "Embassy Port Au Prince");
  fm("AMEMBASSY PORT AU PRINCE", "PORTAUPRINCE", "Embassy Port Au Prince");
  fm("AMEMBASSY NEW DELHI", "NEWDELHI", "Embassy New Delhi");
  fm("AMEMBASSY N'DJAMENA", "NDJAMENA", "Embassy Ndjamena");
  fm("AMCONSUL ST PETERSBURG", "STPETERSBURG", "Consulate St Petersburg");
  fm("AMCONSUL SAINT PETERSBURG", "STPETERSBURG", "Consulate St Petersburg");
  fm("AMEMBASSY KIEV", "KIEV", "Embassy Kyiv");
  fm("SECSTATE WASHDC", "STATE", "Secretary of State");
  fm("SECDEF WASHDC", "SECDEF", "Secretary of Defense");
  fm("USMISSION USNATO", "USNATO", "Mission USNATO");
  fm("USMISSION GENEVA", "GENEVA", "Mission Geneva");
  fm("USMISSION UNVIE VIENNA", "UNVIEVIENNA", "UNVIE");
  fm("USEU BRUSSELS", "USEUBRUSSELS", "USEU Brussels");
  fm("IRAN RPO DUBAI", "RPODUBAI", "Iran RPO Dubai");
  fm("USINT HAVANA", "HAVANA", "US Interests Section Havana");
  fm("AIT TAIPEI", "AITTAIPEI", "American Institute Taiwan, Taipei");
  fm("amembassy moscow", "MOSCOW", "Embassy Moscow");
  /* no station: an agency in Washington, an unknown post, nothing */
  fm("CIA WASHDC", NULL, NULL);
  fm("AMEMBASSY XXTEST", NULL, NULL);
  fm("", NULL, NULL);
  fm("1234", NULL, NULL);
  assert_null(cx_station_from_fm(NULL));
  assert_null(cx_station_origin_from_fm(NULL));
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
  /* JIDDAH is as near to JIDDA as to JEDDAH, two names of one post: a REF
   * takes the current one, a canonical id stays as it is */
  assert_string_equal(cx_station_nearest("JIDDAH", 1, CX_STATION_REFS), "JEDDAH");
  assert_null(cx_station_nearest("JIDDAH", 1, CX_STATION_IDS));
  /* two posts as near: nothing */
  assert_null(cx_station_nearest("LIME", 1, CX_STATION_REFS)); /* LIMA or LOME */
  assert_null(cx_station_nearest("LIME", 1, CX_STATION_IDS));
  assert_string_equal(cx_station_nearest("TIPEI", 1, CX_STATION_REFS), "TAIPEI");
  assert_null(cx_station_nearest("QQQQQQ", 2, CX_STATION_REFS));
}

static void test_part(void **state) {
  (void)state;
  assert_string_equal(cx_station_part("KUALALUMP"), "KUALALUMPUR");
  assert_string_equal(cx_station_part("PAULO"), "SAOPAULO");
  assert_null(cx_station_part("SAN")); /* SANAA, SANJOSE ... */
  assert_null(cx_station_part("PARIS"));
  assert_string_equal(cx_station_part("TAIP"), "TAIPEI");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table_sorted_and_found),
      cmocka_unit_test(test_stations_once_known_to_one_lookup),
      cmocka_unit_test(test_lookup_aliases_per_use),
      cmocka_unit_test(test_origin),
      cmocka_unit_test(test_in_year),
      cmocka_unit_test(test_from_fm),
      cmocka_unit_test(test_distance),
      cmocka_unit_test(test_nearest),
      cmocka_unit_test(test_part),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
