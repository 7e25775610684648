/* test_workers.c - the ordered work pool (core/workers.c), the progress
 * line (core/progress.c) and the memory output (cablex/stream.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "progress.h"
#include "cablex/stream.h"
#include "workers.h"

struct job {
  unsigned seq;
  unsigned result;
};

struct shared {
  atomic_int busy, max_busy, worked;
};

static void nap(unsigned seq) {
  /* uneven work so that jobs finish out of order */
  struct timespec ts = {0, (long)((seq * 7919u) % 5) * 200000L};
  nanosleep(&ts, NULL);
}

static size_t work(void *job, void *user) {
  struct job *j = job;
  struct shared *s = user;
  int b = atomic_fetch_add(&s->busy, 1) + 1;
  int m = atomic_load(&s->max_busy);
  while (b > m && !atomic_compare_exchange_weak(&s->max_busy, &m, b))
    ;
  nap(j->seq);
  j->result = j->seq * 3 + 1;
  atomic_fetch_add(&s->worked, 1);
  atomic_fetch_sub(&s->busy, 1);
  return 1;
}

struct consumer {
  struct cxr_pool *pool;
  unsigned taken;
  bool in_order;
  unsigned stop_after; /* cancel after this many (0: never) */
};

static void *consume(void *arg) {
  struct consumer *c = arg;
  struct job *j;
  while ((j = cxr_pool_next(c->pool))) {
    if (j->seq != c->taken || j->result != j->seq * 3 + 1) {
      if (!c->stop_after || c->taken < c->stop_after) c->in_order = false;
    }
    c->taken++;
    if (c->stop_after && c->taken == c->stop_after) cxr_pool_cancel(c->pool);
    free(j);
  }
  return NULL;
}

/* Submits n jobs (seq 0 .. n-1) to p while a consumer thread takes them
 * back, then closes and frees p; returns what the consumer saw. */
static struct consumer run_pool(struct cxr_pool *p, unsigned n) {
  assert_non_null(p);
  struct consumer c = {p, 0, true, 0};
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, consume, &c), 0);
  for (unsigned i = 0; i < n; i++) {
    struct job *j = calloc(1, sizeof *j);
    j->seq = i;
    assert_int_equal(cxr_pool_submit(p, j, 100), CX_OK);
  }
  cxr_pool_close(p);
  pthread_join(t, NULL);
  cxr_pool_free(p);
  return c;
}

/* Jobs come back in submission order, every one worked, with 4 workers
 * busy at once at most, whatever order they finish in. */
static void test_pool_order(void **state) {
  (void)state;
  struct shared s = {0};
  struct cxr_pool *p = cxr_pool_new(4, false, 8, 1 << 20, work, &s);
  struct consumer c = run_pool(p, 500);
  assert_true(c.in_order);
  assert_int_equal(c.taken, 500);
  assert_int_equal(atomic_load(&s.worked), 500);
  assert_true(atomic_load(&s.max_busy) <= 4);
}

struct counting {
  atomic_int outstanding, max_outstanding;
};

static size_t count_work(void *job, void *user) {
  (void)job;
  (void)user;
  nap(1);
  return 300;
}

struct bound_consumer {
  struct cxr_pool *pool;
  struct counting *k;
};

static void *bound_consume(void *arg) {
  struct bound_consumer *c = arg;
  void *j;
  while ((j = cxr_pool_next(c->pool))) {
    atomic_fetch_sub(&c->k->outstanding, 1);
    free(j);
  }
  return NULL;
}

/* Between submit and next there are never more than max_jobs jobs, nor
 * more bytes than the bound (a job over it alone goes through). */
static void test_pool_bounds(void **state) {
  (void)state;
  struct counting k = {0};
  struct cxr_pool *p = cxr_pool_new(2, false, 6, 1000, count_work, NULL);
  assert_non_null(p);
  struct bound_consumer c = {p, &k};
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, bound_consume, &c), 0);
  for (unsigned i = 0; i < 300; i++) {
    void *j = malloc(1);
    /* counted before submit: the consumer may take it at once */
    int o = atomic_fetch_add(&k.outstanding, 1) + 1;
    if (o > atomic_load(&k.max_outstanding)) atomic_store(&k.max_outstanding, o);
    assert_int_equal(cxr_pool_submit(p, j, i % 50 == 0 ? 5000 : 300), CX_OK);
  }
  cxr_pool_close(p);
  pthread_join(t, NULL);
  cxr_pool_free(p);
  /* the submitter counts one more than the pool holds while it waits */
  assert_true(atomic_load(&k.max_outstanding) <= 7);
  assert_int_equal(atomic_load(&k.outstanding), 0);
}

/* After a cancel, submit fails (the job stays the caller's) and the
 * consumer still gets every queued job back to free. */
static void test_pool_cancel(void **state) {
  (void)state;
  struct shared s = {0};
  struct cxr_pool *p = cxr_pool_new(3, false, 4, 1 << 20, work, &s);
  assert_non_null(p);
  struct consumer c = {p, 0, true, 10};
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, consume, &c), 0);
  unsigned refused = 0, i;
  for (i = 0; i < 1000 && !refused; i++) {
    struct job *j = calloc(1, sizeof *j);
    j->seq = i;
    if (cxr_pool_submit(p, j, 1) != CX_OK) {
      free(j);
      refused++;
    }
  }
  assert_int_equal(refused, 1);
  assert_true(cxr_pool_cancelled(p));
  cxr_pool_close(p);
  pthread_join(t, NULL);
  cxr_pool_free(p);
  assert_true(c.in_order);
  assert_int_equal(c.taken, i - 1); /* every job submitted came back */
  assert_true(c.taken < 1000);
}

/* A finished job kept for the producer comes back once, the last kept
 * first; the pool holds at most CXR_POOL_SPARES and says when it is full. */
static void test_pool_spares(void **state) {
  (void)state;
  struct shared s = {0};
  struct cxr_pool *p = cxr_pool_new(1, false, 4, 1 << 20, work, &s);
  assert_non_null(p);
  assert_null(cxr_pool_take_spare(p));
  struct job jobs[CXR_POOL_SPARES + 1];
  for (int i = 0; i < CXR_POOL_SPARES; i++)
    assert_true(cxr_pool_keep(p, &jobs[i]));
  assert_false(cxr_pool_keep(p, &jobs[CXR_POOL_SPARES]));
  for (int i = CXR_POOL_SPARES - 1; i >= 0; i--)
    assert_ptr_equal(cxr_pool_take_spare(p), &jobs[i]);
  assert_null(cxr_pool_take_spare(p));
  assert_true(cxr_pool_keep(p, &jobs[CXR_POOL_SPARES]));
  assert_ptr_equal(cxr_pool_take_spare(p), &jobs[CXR_POOL_SPARES]);
  cxr_pool_close(p);
  cxr_pool_free(p);
}

/* With producer_works the submitting thread works on queued jobs once the
 * pool is full.  The one worker thread holds its first job until the
 * producer has worked three (the pool holds four, so the three after the
 * held one must be worked by the producer): without the producer's help the pool would
 * stay full and submit would wait for good (the hold gives up after 30 s
 * and says so, so that a broken pool fails the test instead of hanging). */
struct helped {
  pthread_t producer;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  unsigned by_producer;
  bool held, gave_up;
};

static size_t helped_work(void *job, void *user) {
  struct job *j = job;
  struct helped *h = user;
  pthread_mutex_lock(&h->mu);
  if (pthread_equal(pthread_self(), h->producer)) {
    h->by_producer++;
    pthread_cond_broadcast(&h->cv);
  } else if (!h->held) {
    h->held = true;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 30;
    while (h->by_producer < 3 && !h->gave_up)
      if (pthread_cond_timedwait(&h->cv, &h->mu, &until) != 0) h->gave_up = true;
  }
  pthread_mutex_unlock(&h->mu);
  j->result = j->seq * 3 + 1;
  return 1;
}

static void test_pool_producer_works(void **state) {
  (void)state;
  struct helped h = {.producer = pthread_self()};
  pthread_mutex_init(&h.mu, NULL);
  pthread_cond_init(&h.cv, NULL);
  struct cxr_pool *p = cxr_pool_new(1, true, 4, 1 << 20, helped_work, &h);
  struct consumer c = run_pool(p, 200);
  assert_false(h.gave_up);
  assert_true(h.by_producer >= 3);
  assert_true(c.in_order);
  assert_int_equal(c.taken, 200);
  pthread_mutex_destroy(&h.mu);
  pthread_cond_destroy(&h.cv);
}

static void test_online_cores(void **state) {
  (void)state;
  unsigned n = cxr_online_cores();
  assert_true(n >= 1 && n <= 256);
}

static char *slurp(FILE *f) {
  fflush(f);
  long n = ftell(f);
  rewind(f);
  char *s = calloc(1, (size_t)n + 1);
  assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
  return s;
}

/* The line: counts, MB/s, elapsed, an ETA only with a total; at most one
 * redraw per 0.2 s unless forced; cleared with \r ESC[K. */
static void test_progress(void **state) {
  (void)state;
  FILE *f = tmpfile();
  assert_non_null(f);
  struct cxr_progress p;
  cxr_progress_init(&p, f, true, 1000000);
  p.start -= 2.0; /* two seconds into the run */
  cxr_progress_update(&p, 42, 500000, false);
  cxr_progress_update(&p, 43, 600000, false); /* too soon: not drawn */
  cxr_progress_clear(&p);
  char *s = slurp(f);
  assert_non_null(strstr(s, "\r\033[Kcablex: 42 cables, 0.2 MB/s, 0:02 elapsed, ETA 0:02"));
  assert_null(strstr(s, "43 cables"));
  size_t n = strlen(s);
  assert_true(n >= 4 && strcmp(s + n - 4, "\r\033[K") == 0);
  free(s);
  fclose(f);

  f = tmpfile();
  cxr_progress_init(&p, f, true, 0);
  cxr_progress_update(&p, 1, 10, false);
  cxr_progress_update(&p, 2, 20, true);
  s = slurp(f);
  assert_null(strstr(s, "ETA")); /* no total: no ETA */
  assert_non_null(strstr(s, "2 cables"));
  free(s);
  fclose(f);

  f = tmpfile();
  cxr_progress_init(&p, f, false, 0);
  cxr_progress_update(&p, 1, 10, true);
  cxr_progress_clear(&p);
  s = slurp(f);
  assert_string_equal(s, ""); /* off: nothing at all */
  free(s);
  fclose(f);
}

/* A memory output appends to its buffer, stops at the buffer's max with
 * CX_FAILED and a message, and leaves the bytes to the caller. */
static void test_mem_ostream(void **state) {
  (void)state;
  struct cx_ctx ctx = {0};
  struct cx_buf b;
  cx_buf_init(&b, 10);
  struct cx_ostream *o = cx_ostream_open_mem(&b, "mem", &ctx);
  assert_non_null(o);
  assert_int_equal(cx_ostream_write(o, "hello", 5), CX_OK);
  assert_int_equal(cx_ostream_puts(o, "!"), CX_OK);
  assert_int_equal(cx_ostream_commit(o), CX_OK);
  assert_int_equal(b.len, 6);
  assert_string_equal(b.data, "hello!");

  o = cx_ostream_open_mem(&b, "mem", &ctx);
  assert_int_equal(cx_ostream_write(o, "12345", 5), CX_FAILED);
  assert_non_null(strstr(ctx.msg, "larger than 10 bytes"));
  assert_int_equal(cx_ostream_write(o, "1", 1), CX_FAILED); /* sticky */
  assert_int_equal(cx_ostream_commit(o), CX_FAILED);
  assert_string_equal(b.data, "hello!");
  cx_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pool_order),
      cmocka_unit_test(test_pool_bounds),
      cmocka_unit_test(test_pool_cancel),
      cmocka_unit_test(test_pool_spares),
      cmocka_unit_test(test_pool_producer_works),
      cmocka_unit_test(test_online_cores),
      cmocka_unit_test(test_progress),
      cmocka_unit_test(test_mem_ostream),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
