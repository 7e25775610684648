/* workers.h - an ordered work pool: one producer submits jobs, N worker
 * threads process them in any order, one consumer takes them back in the
 * order they were submitted (internal, not installed).
 *
 * Ownership: the pool never owns a job; it only passes the pointer from
 * cx_pool_submit() to the work function and on to cx_pool_next(), whose
 * caller then owns it again.  cx_pool_free() joins the workers.
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

struct cx_pool;
/* Works on job (on a worker thread) and returns its weight afterwards (the
 * bytes it holds now, such as its encoded output), which replaces the
 * weight it was submitted with. */
typedef size_t (*cx_pool_work_fn)(void *job, void *user);

/* Starts workers threads (>= 1).  Returns NULL when out of memory or when
 * no thread could be started. */
CX_API struct cx_pool *cx_pool_new(unsigned workers, size_t max_jobs, size_t max_bytes,
                                   cx_pool_work_fn work, void *user);
/* Queues job (weight bytes), blocking while the pool is full.  Returns
 * CX_OK, or CX_FAILED when the pool was cancelled: the job was not queued
 * and is still the caller's. */
CX_API int cx_pool_submit(struct cx_pool *p, void *job, size_t bytes);
/* No more submits: cx_pool_next() returns NULL once every job is out. */
CX_API void cx_pool_close(struct cx_pool *p);
/* The oldest job not yet taken, once its work is done (blocking), or NULL
 * when the pool is closed and empty. */
CX_API void *cx_pool_next(struct cx_pool *p);
/* Makes submit fail from now on and the workers skip the work of the jobs
 * still queued (the consumer still gets them from cx_pool_next, to free). */
CX_API void cx_pool_cancel(struct cx_pool *p);
CX_API bool cx_pool_cancelled(struct cx_pool *p);
/* Joins the workers; the pool must be closed and drained (or cancelled
 * and drained). */
CX_API void cx_pool_free(struct cx_pool *p);

/* The number of online cores (at least 1). */
CX_API unsigned cx_online_cores(void);

#ifdef __cplusplus
}
#endif
#endif
