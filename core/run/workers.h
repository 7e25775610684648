/* workers.h - an ordered work pool: one producer submits jobs, N worker
 * threads (and the producer, if it is to help) process them in any order, one consumer takes them
 * back in the order they were submitted (internal, not installed).
 *
 * Ownership: the pool never owns a job; it only passes the pointer from
 * cxr_pool_submit() to the work function and on to cxr_pool_next(), whose
 * caller then owns it again.  A finished job handed to cxr_pool_keep() is
 * only held, for cxr_pool_take_spare() to hand back: whoever empties the
 * pool frees what it still holds (cxr_pool_take_spare until NULL) before
 * cxr_pool_free(), which joins the workers.
 *
 * Memory stays flat: submit blocks while max_jobs jobs, or more than
 * max_bytes of their weight (as submitted, then as the work function
 * says once done), are between submit and next.
 */
#ifndef CX_WORKERS_H
#define CX_WORKERS_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cxr_pool;
/* Works on job (on a worker thread, or the producer's) and returns its weight afterwards (the
 * bytes it holds now, such as its encoded output), which replaces the
 * weight it was submitted with. */
typedef size_t (*cxr_pool_work_fn)(void *job, void *user);

/* Starts workers threads (>= 1).  With producer_works, the thread that
 * submits is a worker too: while the pool is full, submit works on the
 * oldest job no thread has picked, if there is one, instead of waiting.
 * Returns NULL when out of memory or when no thread could be started. */
struct cxr_pool *cxr_pool_new(unsigned workers, bool producer_works, size_t max_jobs,
                              size_t max_bytes, cxr_pool_work_fn work, void *user);
/* Queues job (weight bytes), blocking while the pool is full (or working
 * on a queued job, see producer_works).  Returns CX_OK, or CX_FAILED when
 * the pool was cancelled: the job was not queued and is still the
 * caller's. */
int cxr_pool_submit(struct cxr_pool *p, void *job, size_t bytes);
/* No more submits: cxr_pool_next() returns NULL once every job is out. */
void cxr_pool_close(struct cxr_pool *p);
/* The oldest job not yet taken, once its work is done (blocking), or NULL
 * when the pool is closed and empty. */
void *cxr_pool_next(struct cxr_pool *p);
/* Makes submit fail from now on and the workers skip the work of the jobs
 * still queued (the consumer still gets them from cxr_pool_next, to free). */
void cxr_pool_cancel(struct cxr_pool *p);
bool cxr_pool_cancelled(struct cxr_pool *p);
/* Holds a finished job (the consumer's) for the producer to fill again, so
 * that its buffers are reused rather than freed on one thread and grown
 * from nothing on another.  False when CXR_POOL_SPARES are held already:
 * the caller keeps it (and frees it). */
#define CXR_POOL_SPARES 2
bool cxr_pool_keep(struct cxr_pool *p, void *job);
/* A job cxr_pool_keep() holds, now the caller's, or NULL. */
void *cxr_pool_take_spare(struct cxr_pool *p);
/* Joins the workers; the pool must be closed and drained (or cancelled
 * and drained). */
void cxr_pool_free(struct cxr_pool *p);

/* The number of online cores (at least 1). */
unsigned cxr_online_cores(void);

#ifdef __cplusplus
}
#endif
#endif
