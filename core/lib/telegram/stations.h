/* stations.h - the diplomatic stations that cable ids name, and the lookups
 * the telegram parser makes in them: canonical ids (canonical_id.c) and the
 * cable ids of REF items (telegram_body.c).  Internal, not installed.
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

/* Which lookup a station or an abbreviation belongs to.  The two callers
 * differ on a few names (see stations.c): canonical ids spell Taipei
 * AITTAIPEI, a REF keeps TAIPEI; some old posts are known to one only. */
enum cx_station_use {
  CX_STATION_IDS = 1, /* canonical ids */
  CX_STATION_REFS = 2 /* cable ids of REF items */
};

/* The list, sorted (strcmp order, no duplicates): name i of
 * cx_station_count(), and in *uses (when not NULL) the cx_station_use bits
 * of the lookups that know it; NULL past the end. */
size_t cx_station_count(void);
const char *cx_station_name(size_t i, unsigned *uses);

/* s exactly as a station known to `use` (upper case, no blanks), or NULL.
 * Binary search. */
const char *cx_station_find(const char *s, enum cx_station_use use);

/* s as a station known to `use`, else as one of its abbreviations or
 * variants ("SECSTATE" -> STATE), else NULL. */
const char *cx_station_lookup(const char *s, enum cx_station_use use);

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transposition) of a and b; some value > limit once it is known to exceed
 * it, and for strings of CX_STATION_MAX bytes or more. */
int cx_station_distance(const char *a, const char *b, int limit);

/* The one station known to `use` nearest to s, when it is at most `limit`
 * edits away and no other is as near; else NULL. */
const char *cx_station_nearest(const char *s, int limit, enum cx_station_use use);

/* The one station known to `use` that s is a proper prefix or suffix of
 * ("KUALALUMP", "PAULO"); NULL when there is none or more than one. */
const char *cx_station_part(const char *s, enum cx_station_use use);

#endif
