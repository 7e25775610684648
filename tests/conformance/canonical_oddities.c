/* canonical_oddities.c - measures cx_canonical_id against cablemap's tables
 * of real malformed reference ids (../shared/corpus/peer/id_oddities.json)
 * and the canonical_id items of ../shared/corpus/peer/expected.json.  The
 * tables are only read here, never copied into the project.
 *
 * usage: canonical_oddities SHARED_DIR
 * Prints the rates; exit 1 below 90% of the malformed ids, 80% of the peer
 * items or 95% of the station names kept as they are; 77 when the shared
 * corpus is absent.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/telegram.h"

static int verbose;

/* Counts the entries of a {malformed: canonical} object that come out right. */
static void score_table(json_t *table, const char *name, size_t *ok, size_t *n) {
  const char *key;
  json_t *v;
  size_t k = 0, good = 0;
  json_object_foreach(table, key, v) {
    char *got = cx_canonical_id(key);
    k++;
    if (got && json_is_string(v) && !strcmp(got, json_string_value(v)))
      good++;
    else if (verbose)
      printf("  %s: %s -> %s, want %s\n", name, key, got ? got : "(null)",
             json_string_value(v) ? json_string_value(v) : "?");
    free(got);
  }
  printf("%-20s %4zu/%-4zu\n", name, good, k);
  *ok += good;
  *n += k;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: canonical_oddities SHARED_DIR [-v]\n");
    return 2;
  }
  verbose = argc > 2 && !strcmp(argv[2], "-v");
  char path[4096];
  snprintf(path, sizeof path, "%s/corpus/peer/id_oddities.json", argv[1]);
  json_error_t err;
  json_t *odd = json_load_file(path, 0, &err);
  if (!odd) {
    printf("SKIP: %s not readable (%s)\n", path, err.text);
    return 77;
  }
  snprintf(path, sizeof path, "%s/corpus/peer/expected.json", argv[1]);
  json_t *exp = json_load_file(path, 0, &err);
  if (!exp) {
    printf("SKIP: %s not readable (%s)\n", path, err.text);
    json_decref(odd);
    return 77;
  }

  size_t ok = 0, n = 0;
  score_table(json_object_get(odd, "MALFORMED_CABLE_IDS"), "malformed ids", &ok, &n);
  score_table(json_object_get(odd, "INVALID_CABLE_IDS"), "invalid ids", &ok, &n);
  double odd_rate = n ? 100.0 * (double)ok / (double)n : 0;

  /* every station name, as YY + STATION + serial, should stay as it is */
  size_t st_ok = 0, st_n = 0, i;
  json_t *v;
  json_array_foreach(json_object_get(odd, "STATIONS"), i, v) {
    char id[256];
    snprintf(id, sizeof id, "09%s123", json_string_value(v) ? json_string_value(v) : "");
    char *got = cx_canonical_id(id);
    st_n++;
    if (got && !strcmp(got, id))
      st_ok++;
    else if (verbose)
      printf("  station changed: %s -> %s\n", id, got ? got : "(null)");
    free(got);
  }
  printf("%-20s %4zu/%-4zu\n", "stations unchanged", st_ok, st_n);

  size_t p_ok = 0, p_n = 0;
  json_array_foreach(exp, i, v) {
    const char *field = json_string_value(json_object_get(v, "field"));
    if (!field || strcmp(field, "canonical_id")) continue;
    const char *in = json_string_value(json_object_get(v, "input_snippet"));
    const char *want = json_string_value(json_object_get(v, "expected"));
    if (!in || !want) continue;
    char *got = cx_canonical_id(in);
    p_n++;
    if (got && !strcmp(got, want))
      p_ok++;
    else if (verbose)
      printf("  peer: %s -> %s, want %s\n", in, got ? got : "(null)", want);
    free(got);
  }
  printf("%-20s %4zu/%-4zu\n", "peer canonical_id", p_ok, p_n);
  double st_rate = st_n ? 100.0 * (double)st_ok / (double)st_n : 0;
  double p_rate = p_n ? 100.0 * (double)p_ok / (double)p_n : 0;
  printf("canonical ids: oddities %.1f%%, stations %.1f%%, peer %.1f%%\n", odd_rate, st_rate,
         p_rate);
  json_decref(odd);
  json_decref(exp);
  return odd_rate >= 90.0 && st_rate >= 95.0 && p_rate >= 80.0 ? 0 : 1;
}
