/* workers.c - the ordered work pool of workers.h: a ring of slots in
 * submission order; workers take the oldest job nobody works on, the
 * consumer waits for the oldest job to be done. */
#include "workers.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct slot {
  void *job;
  size_t bytes;
  bool done;
};

struct cxr_pool {
  pthread_mutex_t mu;
  pthread_cond_t work_cv;  /* a job to work on, or closing */
  pthread_cond_t done_cv;  /* the oldest job is done, or closing */
  pthread_cond_t space_cv; /* room for a submit, or cancelled */
  struct slot *ring;
  size_t cap;                /* max_jobs */
  size_t head, tail, picked; /* counters: head <= picked <= tail, tail - head <= cap */
  size_t bytes, max_bytes;
  bool closed, cancelled, stopping;
  cxr_pool_work_fn work;
  void *user;
  pthread_t *threads;
  unsigned nthreads;
  void *spares[CXR_POOL_SPARES]; /* finished jobs held for the producer */
  size_t nspares;
  bool producer_works; /* a full pool has submit work on a job, not wait */
};

/* Works on the oldest job nobody has picked (there is one); called and
 * returns with mu held. */
static void work_one(struct cxr_pool *p) {
  struct slot *s = &p->ring[p->picked++ % p->cap];
  bool skip = p->cancelled;
  pthread_mutex_unlock(&p->mu);
  size_t bytes = skip ? s->bytes : p->work(s->job, p->user);
  pthread_mutex_lock(&p->mu);
  p->bytes = p->bytes - s->bytes + bytes;
  s->bytes = bytes;
  s->done = true;
  if (s == &p->ring[p->head % p->cap]) pthread_cond_signal(&p->done_cv);
}

static void *worker_main(void *arg) {
  struct cxr_pool *p = arg;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (p->picked == p->tail && !p->stopping)
      pthread_cond_wait(&p->work_cv, &p->mu);
    if (p->picked == p->tail) break; /* stopping and nothing left */
    work_one(p);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

struct cxr_pool *cxr_pool_new(unsigned workers, bool producer_works, size_t max_jobs,
                              size_t max_bytes, cxr_pool_work_fn work, void *user) {
  if (workers < 1) workers = 1;
  if (max_jobs < 1) max_jobs = 1;
  struct cxr_pool *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->ring = calloc(max_jobs, sizeof *p->ring);
  p->threads = calloc(workers, sizeof *p->threads);
  if (!p->ring || !p->threads) {
    free(p->ring);
    free(p->threads);
    free(p);
    return NULL;
  }
  p->cap = max_jobs;
  p->producer_works = producer_works;
  p->max_bytes = max_bytes;
  p->work = work;
  p->user = user;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work_cv, NULL);
  pthread_cond_init(&p->done_cv, NULL);
  pthread_cond_init(&p->space_cv, NULL);
  for (unsigned i = 0; i < workers; i++) {
    if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0) break;
    p->nthreads++;
  }
  if (p->nthreads == 0) {
    cxr_pool_free(p);
    return NULL;
  }
  return p;
}

int cxr_pool_submit(struct cxr_pool *p, void *job, size_t bytes) {
  pthread_mutex_lock(&p->mu);
  /* A job heavier than the byte bound still goes in, alone. */
  while (!p->cancelled &&
         (p->tail - p->head == p->cap || (p->tail > p->head && p->bytes + bytes > p->max_bytes))) {
    if (p->producer_works && p->picked < p->tail)
      work_one(p); /* the oldest job still queued, here, instead of idling */
    else
      pthread_cond_wait(&p->space_cv, &p->mu);
  }
  if (p->cancelled) {
    pthread_mutex_unlock(&p->mu);
    return CX_FAILED;
  }
  struct slot *s = &p->ring[p->tail++ % p->cap];
  s->job = job;
  s->bytes = bytes;
  s->done = false;
  p->bytes += bytes;
  pthread_cond_signal(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
  return CX_OK;
}

void cxr_pool_close(struct cxr_pool *p) {
  pthread_mutex_lock(&p->mu);
  p->closed = true;
  pthread_cond_broadcast(&p->done_cv);
  pthread_mutex_unlock(&p->mu);
}

void *cxr_pool_next(struct cxr_pool *p) {
  void *job = NULL;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    if (p->head < p->tail) {
      struct slot *s = &p->ring[p->head % p->cap];
      if (s->done) {
        job = s->job;
        p->bytes -= s->bytes;
        s->job = NULL;
        p->head++;
        pthread_cond_signal(&p->space_cv);
        break;
      }
    } else if (p->closed) {
      break;
    }
    pthread_cond_wait(&p->done_cv, &p->mu);
  }
  pthread_mutex_unlock(&p->mu);
  return job;
}

void cxr_pool_cancel(struct cxr_pool *p) {
  pthread_mutex_lock(&p->mu);
  p->cancelled = true;
  pthread_cond_broadcast(&p->space_cv);
  pthread_mutex_unlock(&p->mu);
}

bool cxr_pool_cancelled(struct cxr_pool *p) {
  pthread_mutex_lock(&p->mu);
  bool c = p->cancelled;
  pthread_mutex_unlock(&p->mu);
  return c;
}

bool cxr_pool_keep(struct cxr_pool *p, void *job) {
  pthread_mutex_lock(&p->mu);
  bool kept = p->nspares < CXR_POOL_SPARES;
  if (kept) p->spares[p->nspares++] = job;
  pthread_mutex_unlock(&p->mu);
  return kept;
}

void *cxr_pool_take_spare(struct cxr_pool *p) {
  pthread_mutex_lock(&p->mu);
  void *job = p->nspares ? p->spares[--p->nspares] : NULL;
  pthread_mutex_unlock(&p->mu);
  return job;
}

void cxr_pool_free(struct cxr_pool *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  p->stopping = true;
  pthread_cond_broadcast(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
  for (unsigned i = 0; i < p->nthreads; i++)
    pthread_join(p->threads[i], NULL);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->work_cv);
  pthread_cond_destroy(&p->done_cv);
  pthread_cond_destroy(&p->space_cv);
  free(p->ring);
  free(p->threads);
  free(p);
}

unsigned cxr_online_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}
