/* gzpieces.c - one gzip member in pieces compressed apart (gzpieces.h).
 *
 * The writing thread fills the pieces of a ring of 2n slots in turn.  A
 * full piece is queued; the compressing threads take queued pieces in
 * order; the writing thread writes finished pieces in order, and waits for
 * the oldest one only when the ring is full or at the end.  So at most 2n
 * pieces (some 2n * 2 MiB) are in memory, and the file's bytes depend only
 * on what was written: each piece is the same CX_GZ_PIECE bytes however it
 * was sliced, and its compression has no history from the one before.
 */
#include "gzpieces.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "deflate.h"

#define MAX_THREADS 64

enum piece_state { P_FILLING, P_QUEUED, P_WORKING, P_DONE, P_FAILED };

struct piece {
  unsigned char *in; /* CX_GZ_PIECE bytes, allocated on first use */
  size_t in_len;
  struct cx_buf out; /* its compressed bytes, kept between pieces */
  unsigned long crc;
  enum piece_state state; /* under mu once threads run */
  const char *why;        /* when P_FAILED */
};

struct worker {
  struct cx_gzpieces *g;
  struct cx_deflate *enc;
  pthread_t thread;
  bool started;
};

struct cx_gzpieces {
  cx_gz_sink sink;
  void *user;
  struct worker *workers; /* nworkers threads; none when compressing inline */
  unsigned nworkers;
  struct cx_deflate *enc; /* the writing thread's, when inline */
  pthread_mutex_t mu;
  pthread_cond_t queued, done;
  struct piece *ring;
  size_t nring;
  /* Sequence numbers of pieces, slot = seq % nring: the one being filled,
   * the next to compress, the next to write (flush <= take <= fill). */
  size_t fill, take, flush;
  unsigned long crc; /* of all bytes written out so far */
  unsigned long long total;
  bool head_done, stop;
  int err;         /* sticky: once set, nothing more is written */
  const char *why; /* when compressing failed */
};

static struct piece *slot(struct cx_gzpieces *g, size_t seq) {
  return &g->ring[seq % g->nring];
}

static int compress_piece(struct cx_deflate *enc, struct piece *p) {
  p->out.len = 0;
  const char *why = "compression failed";
  if (cx_deflate_piece(enc, p->in, p->in_len, &p->out, &p->crc, &why) == CX_DEFLATE_OK) return 0;
  p->why = why;
  return -1;
}

static void *compress_main(void *arg) {
  struct worker *w = arg;
  struct cx_gzpieces *g = w->g;
  pthread_mutex_lock(&g->mu);
  for (;;) {
    while (!g->stop && g->take == g->fill)
      pthread_cond_wait(&g->queued, &g->mu);
    if (g->stop) break;
    struct piece *p = slot(g, g->take++);
    p->state = P_WORKING;
    pthread_mutex_unlock(&g->mu);
    int rc = compress_piece(w->enc, p);
    pthread_mutex_lock(&g->mu);
    p->state = rc ? P_FAILED : P_DONE;
    pthread_cond_broadcast(&g->done);
  }
  pthread_mutex_unlock(&g->mu);
  return NULL;
}

static int fail(struct cx_gzpieces *g, int rc, const char *why) {
  g->err = rc;
  g->why = why;
  return rc;
}

static int put(struct cx_gzpieces *g, const unsigned char *p, size_t n) {
  int rc = g->sink(g->user, p, n);
  return rc < 0 ? fail(g, rc, NULL) : 0;
}

/* Writes a finished piece (after the header, the first time) and frees its
 * slot for filling. */
static int write_piece(struct cx_gzpieces *g, struct piece *p) {
  if (!g->head_done) {
    unsigned char head[CX_GZIP_HEAD_LEN];
    cx_gzip_head(head);
    g->head_done = true;
    if (put(g, head, sizeof head)) return g->err;
  }
  if (p->out.len && put(g, (const unsigned char *)p->out.data, p->out.len)) return g->err;
  g->crc = cx_crc32_combine(g->crc, p->crc, p->in_len);
  g->total += p->in_len;
  p->in_len = 0;
  p->out.len = 0;
  p->state = P_FILLING;
  return 0;
}

/* Writes the finished pieces in order; waits for the oldest when the ring
 * is full (the slot to fill next is still taken) or when wait_all. */
static int write_ready(struct cx_gzpieces *g, bool wait_all) {
  while (g->flush < g->fill) {
    struct piece *p = slot(g, g->flush);
    bool wait = wait_all || g->fill - g->flush >= g->nring;
    pthread_mutex_lock(&g->mu);
    while (wait && p->state != P_DONE && p->state != P_FAILED)
      pthread_cond_wait(&g->done, &g->mu);
    enum piece_state state = p->state;
    pthread_mutex_unlock(&g->mu);
    if (state == P_FAILED) return fail(g, -1, p->why);
    if (state != P_DONE) return 0;
    if (write_piece(g, p)) return g->err;
    g->flush++;
  }
  return 0;
}

/* Hands the piece being filled over: compressed at once when inline,
 * queued for the threads otherwise. */
static int submit(struct cx_gzpieces *g) {
  struct piece *p = slot(g, g->fill);
  if (!g->nworkers) {
    p->state = compress_piece(g->enc, p) ? P_FAILED : P_DONE;
    g->fill++;
  } else {
    pthread_mutex_lock(&g->mu);
    p->state = P_QUEUED;
    g->fill++;
    pthread_cond_signal(&g->queued);
    pthread_mutex_unlock(&g->mu);
  }
  return write_ready(g, false);
}

static int start_workers(struct cx_gzpieces *g, unsigned n) {
  g->workers = calloc(n, sizeof *g->workers);
  if (!g->workers) return -1;
  g->nworkers = n;
  /* The threads take no signals: the writing thread's handlers stay where
   * the program put them. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  int rc = 0;
  for (unsigned i = 0; i < n && !rc; i++) {
    struct worker *w = &g->workers[i];
    w->g = g;
    if (!(w->enc = cx_deflate_new_piece()) || pthread_create(&w->thread, NULL, compress_main, w))
      rc = -1;
    else
      w->started = true;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}

struct cx_gzpieces *cx_gzpieces_new(unsigned threads, cx_gz_sink sink, void *user) {
  struct cx_gzpieces *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->sink = sink;
  g->user = user;
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  g->nring = threads > 1 ? 2 * (size_t)threads : 1;
  pthread_mutex_init(&g->mu, NULL);
  pthread_cond_init(&g->queued, NULL);
  pthread_cond_init(&g->done, NULL);
  g->ring = calloc(g->nring, sizeof *g->ring);
  bool ok = g->ring != NULL;
  if (ok && threads > 1)
    ok = start_workers(g, threads) == 0;
  else if (ok)
    ok = (g->enc = cx_deflate_new_piece()) != NULL;
  if (!ok) {
    cx_gzpieces_free(g);
    return NULL;
  }
  return g;
}

int cx_gzpieces_write(struct cx_gzpieces *g, const void *data, size_t len, const char **why) {
  const unsigned char *src = data;
  while (len && !g->err) {
    struct piece *p = slot(g, g->fill);
    if (!p->in && !(p->in = malloc(CX_GZ_PIECE))) {
      fail(g, -1, "out of memory");
      break;
    }
    size_t n = CX_GZ_PIECE - p->in_len;
    if (n > len) n = len;
    memcpy(p->in + p->in_len, src, n);
    p->in_len += n;
    src += n;
    len -= n;
    if (p->in_len == CX_GZ_PIECE) submit(g);
  }
  *why = g->why;
  return g->err;
}

int cx_gzpieces_finish(struct cx_gzpieces *g, const char **why) {
  if (!g->err && slot(g, g->fill)->in_len) submit(g);
  if (!g->err) write_ready(g, true);
  if (!g->err) {
    unsigned char head[CX_GZIP_HEAD_LEN], tail[CX_GZIP_TAIL_LEN];
    cx_gzip_head(head);
    cx_gzip_tail(tail, g->crc, g->total);
    if (!g->head_done && !put(g, head, sizeof head)) g->head_done = true;
    if (!g->err) put(g, tail, sizeof tail);
  }
  *why = g->why;
  return g->err;
}

void cx_gzpieces_free(struct cx_gzpieces *g) {
  if (!g) return;
  pthread_mutex_lock(&g->mu);
  g->stop = true;
  pthread_cond_broadcast(&g->queued);
  pthread_mutex_unlock(&g->mu);
  for (unsigned i = 0; i < g->nworkers; i++) {
    if (g->workers[i].started) pthread_join(g->workers[i].thread, NULL);
    cx_deflate_free(g->workers[i].enc);
  }
  free(g->workers);
  cx_deflate_free(g->enc);
  for (size_t i = 0; g->ring && i < g->nring; i++) {
    free(g->ring[i].in);
    free(g->ring[i].out.data);
  }
  free(g->ring);
  pthread_cond_destroy(&g->done);
  pthread_cond_destroy(&g->queued);
  pthread_mutex_destroy(&g->mu);
  free(g);
}
