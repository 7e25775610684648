/* stats.h - `cablex stats`: counts of cables by year, origin,
 * classification and tag, cross-tabs of any of them, as an aligned text
 * table, CSV or JSON, and a standalone SVG chart.
 *
 * Ownership: a struct cxr_stats owns its tables and every key in them; the
 * cables given to cxr_stats_add() are only read.
 */
#ifndef CXR_STATS_H
#define CXR_STATS_H

#include <stdio.h>

#include "cablex/cable.h"
#include "cablex/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cxr_stats_format { CXR_STATS_TEXT, CXR_STATS_CSV, CXR_STATS_JSON };
enum cxr_stats_chart { CXR_CHART_YEARS, CXR_CHART_ORIGINS };

struct cxr_stats;

/* by: NULL for the four tables (year, origin, classification, tag), or a
 * comma-separated list of those names for one cross-tab.  NULL with the
 * reason in err (a usage error) or when out of memory. */
struct cxr_stats *cxr_stats_new(const char *by, char *err, size_t errlen);
void cxr_stats_free(struct cxr_stats *s);
/* Counts one cable.  CX_OK or CX_FATAL (out of memory). */
int cxr_stats_add(struct cxr_stats *s, const struct cx_cable *c);
/* Prints the tables.  CX_OK, or CX_FATAL when out could not be written. */
int cxr_stats_print(struct cxr_stats *s, FILE *out, enum cxr_stats_format fmt);
/* Writes the chart as a standalone SVG document: cables per year stacked by
 * classification, or the top origins (top: how many).  CX_OK or CX_FATAL. */
int cxr_stats_svg(struct cxr_stats *s, FILE *out, enum cxr_stats_chart chart, unsigned top);

#ifdef __cplusplus
}
#endif
#endif
