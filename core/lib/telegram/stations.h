/* stations.h - the one table of diplomatic stations that cable ids name,
 * with the origin name their web pages give each post, and the lookups
 * the telegram parser makes in it: canonical ids (canonical_id.c), the
 * cable ids of REF items and the origin named by the FM line.  Internal,
 * not installed.
 *
 * Ownership: static data only; every name returned points into it and is
 * never freed.
 */
#ifndef CX_STATIONS_H
#define CX_STATIONS_H

#include <stddef.h>

/* Names this long or longer are never a station: no edit distance is
 * computed for them. */
#define CX_STATION_MAX 64

/* Which lookup an abbreviation belongs to.  Every station is known to
 * both; a few other spellings differ: canonical ids spell Taipei
 * AITTAIPEI and take USEU for the mission USEUBRUSSELS, a REF keeps
 * TAIPEI and reads USEU as BRUSSELS; short abbreviations (DOC, SD, KL)
 * are taken in canonical ids only. */
enum cx_station_use {
  CX_STATION_IDS = 1, /* canonical ids */
  CX_STATION_REFS = 2 /* cable ids of REF items, FM lines */
};

/* The table, sorted (strcmp order, no duplicates): name i of
 * cx_station_count(), and in *origin (when not NULL) its page origin
 * name or NULL; NULL past the end. */
size_t cx_station_count(void);
const char *cx_station_name(size_t i, const char **origin);

/* s exactly as a station (upper case, no blanks), or NULL.  Binary
 * search. */
const char *cx_station_find(const char *s);

/* s as one of the spellings `use` knows ("SECSTATE" -> STATE, "TAIPEI" ->
 * AITTAIPEI in canonical ids), else as a station, else NULL. */
const char *cx_station_lookup(const char *s, enum cx_station_use use);

/* The origin name the Cablegate pages give the station's post ("MOSCOW"
 * -> "Embassy Moscow", "STATE" -> "Secretary of State", "KIEV" ->
 * "Embassy Kyiv"); NULL for a name not in the table or a post whose page
 * name is not known. */
const char *cx_station_origin(const char *station);

/* The spelling cable ids used for the station's post in `year` (four
 * digits): a former name after the year the post was renamed gives the
 * current one ("KIEV", 2009 -> "KYIV"); else the station itself.  NULL
 * for a name not in the table. */
const char *cx_station_in_year(const char *station, int year);

/* The station an FM line names (its text after "FM"): "AMEMBASSY RIO DE
 * JANEIRO" -> RIODEJANEIRO, "SECSTATE WASHDC" -> STATE, "USMISSION
 * USNATO" -> USNATO, "RUEHMO/AMEMBASSY MOSCOW" -> MOSCOW; NULL when none
 * of its words make one. */
const char *cx_station_from_fm(const char *fm);

/* The page origin name for an FM line: cx_station_origin of
 * cx_station_from_fm ("AMCONSUL RIO DE JANEIRO" -> "Consulate Rio De
 * Janeiro", "USMISSION USNATO" -> "Mission USNATO"). */
const char *cx_station_origin_from_fm(const char *fm);

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transposition) of a and b; some value > limit once it is known to exceed
 * it, and for strings of CX_STATION_MAX bytes or more. */
int cx_station_distance(const char *a, const char *b, int limit);

/* The same for lengths already known. */
int cx_station_distance_n(const char *a, size_t la, const char *b, size_t lb, int limit);

/* The set of a string's bytes (each byte's low six bits) that the distance
 * filters on first: a byte in one set and not the other costs an edit, so
 * two strings whose sets differ by more than `limit` bytes either way are
 * more than `limit` edits apart. */
unsigned long long cx_station_letters(const char *s, size_t n);

/* Has x more than n bits set (n >= 0)?  The limits asked are small: n of
 * them are cleared one at a time, which needs no popcount (without the
 * popcnt instruction, __builtin_popcountll is a libgcc call). */
static inline int cx_station_more_bits(unsigned long long x, int n) {
  for (; n > 0 && x; n--)
    x &= x - 1;
  return x != 0;
}

/* The one station nearest to s, when it is at most `limit` edits away and
 * no other is as near; else NULL.  For REFS, two names of one post as
 * near give the current one ("JIDDAH": JEDDAH, not JIDDA); a canonical id
 * keeps its spelling when unsure, so for IDS they name nothing. */
const char *cx_station_nearest(const char *s, int limit, enum cx_station_use use);

/* The one station that s is a proper prefix or suffix of ("KUALALUMP",
 * "PAULO"); NULL when there is none or more than one. */
const char *cx_station_part(const char *s);

#endif
