/* stats_internal.h - what stats.c (counting, CSV and JSON) and stats_out.c
 * (the text table and the SVG chart) share.
 *
 * Ownership: a table owns its keys and its sorted array of row pointers
 * into its own slots (valid until the next count).
 */
#ifndef CXR_STATS_INTERNAL_H
#define CXR_STATS_INTERNAL_H

#include <stdbool.h>

#include "stats.h"

enum { STATS_YEAR, STATS_ORIGIN, STATS_CLASS, STATS_TAG, STATS_NDIMS };

struct stats_row {
  char *key; /* the values joined with US (0x1f) */
  unsigned long count;
};

struct stats_tab {
  int ndims;
  int dims[STATS_NDIMS];
  struct stats_row *slot; /* open addressing, cap a power of two */
  size_t cap, n;
  struct stats_row **sorted; /* after stats_tab_sort(): n rows */
};

struct cxr_stats {
  unsigned long cables;
  struct stats_tab tab[STATS_NDIMS]; /* what is printed */
  int ntabs;
  struct stats_tab year_class; /* for the charts */
  struct stats_tab origins;
};

const char *stats_dim_name(int d);
int stats_tab_count(struct stats_tab *t, const char *key, unsigned long n);
unsigned long stats_tab_get(const struct stats_tab *t, const char *key);
/* Sorts the rows: years and cross-tabs by key, anything else by count. */
int stats_tab_sort(struct stats_tab *t);
/* s as a JSON string ("" quoted, controls escaped); NULL as null. */
void stats_json_str(FILE *out, const char *s);
int stats_print_text(const struct cxr_stats *s, const struct stats_tab *t, FILE *out);

#endif
