/* progress.h - the progress line on stderr while converting (internal).
 *
 * Ownership: a struct cxr_progress is plain data owned by the run; it
 * borrows the FILE it draws on.  Only one thread draws (the writing one).
 */
#ifndef CX_PROGRESS_H
#define CX_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include "cablex/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxr_progress {
  FILE *out;
  bool enabled, shown;
  double start, last;             /* monotonic seconds */
  unsigned long long total_bytes; /* of the inputs, 0 = unknown (no ETA) */
};

/* Monotonic seconds. */
double cxr_now(void);
void cxr_progress_init(struct cxr_progress *p, FILE *out, bool enabled,
                       unsigned long long total_bytes);
/* Redraws "cablex: N cables, X MB/s, M:SS elapsed[, ETA M:SS]" when at
 * least 0.2 s passed since the last drawing (always when force is set). */
void cxr_progress_update(struct cxr_progress *p, unsigned long cables, unsigned long long bytes,
                         bool force);
/* Erases the line (before a message, and at the end). */
void cxr_progress_clear(struct cxr_progress *p);

#ifdef __cplusplus
}
#endif
#endif
