/* filter.c - `--filter CMD` (filter.h): the processes, the line protocol
 * and its failures.
 *
 * Each exchange writes the cable's line to the filter's stdin and reads
 * its answer from the filter's stdout at the same time (poll on both,
 * stdin non-blocking), so a large cable cannot dead-lock against a filter
 * that answers as it reads.  The answer must be one line: `null`, or one
 * cable whose id is the one sent (anything else is out of step).  A
 * filter that exits, answers garbage or nothing within the timeout is
 * killed and the filters are marked broken.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "filter.h"

struct proc {
  pid_t pid;
  int in, out;      /* its stdin (we write), its stdout (we read) */
  struct cx_buf rx; /* what it answered and was not used yet */
};

struct slot {
  struct proc *p; /* one per --filter */
  bool busy;
};

struct cxr_filters {
  const char *const *cmds;
  size_t n;
  struct slot *slots;
  unsigned nslots;
  unsigned timeout_ms;
  const struct cx_plugin *json;
  const struct cx_options *opts;
  pthread_mutex_t lock;
  pthread_cond_t freed;
  atomic_bool broken;
};

static int spawn(struct proc *p, const char *cmd) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) return -1;
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {  /* only async-signal-safe calls until exec */
    setpgid(0, 0); /* its own group: ending it ends what it started */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(in[0], 0);
    dup2(out[1], 1);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  if (pid > 0) setpgid(pid, pid); /* as the child does: whoever runs first */
  close(in[0]);
  close(out[1]);
  if (pid < 0) {
    close(in[1]);
    close(out[0]);
    return -1;
  }
  fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
  p->pid = pid;
  p->in = in[1];
  p->out = out[0];
  cx_buf_init(&p->rx, (size_t)-1);
  return 0;
}

/* Ends p: closes its input, waits up to timeout_ms, then kills it. */
static void reap(struct proc *p, unsigned timeout_ms, bool kill_now) {
  if (p->pid <= 0) return;
  if (p->in >= 0) close(p->in);
  if (kill_now) kill(-p->pid, SIGKILL);
  struct pollfd pfd = {.fd = p->out, .events = POLLIN};
  char sink[4096];
  /* wait for its stdout to close (it exits), reading what it still says */
  for (int waited = 0; !kill_now && (unsigned)waited < timeout_ms;) {
    int r = poll(&pfd, 1, 100);
    if (r > 0 && read(p->out, sink, sizeof sink) <= 0) break;
    if (r == 0) waited += 100;
  }
  if (waitpid(p->pid, NULL, WNOHANG) == 0) {
    kill(-p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
  }
  close(p->out);
  cx_buf_free(&p->rx);
  p->pid = -1;
  p->in = p->out = -1;
}

struct cxr_filters *cxr_filters_new(const char *const *cmds, size_t n, unsigned slots,
                                    unsigned timeout_ms, const struct cx_plugin *json,
                                    const struct cx_options *opts, char *err, size_t errlen) {
  struct cxr_filters *f = calloc(1, sizeof *f);
  if (!f || !(f->slots = calloc(slots ? slots : 1, sizeof *f->slots))) {
    free(f);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  f->cmds = cmds;
  f->n = n;
  f->nslots = slots ? slots : 1;
  f->timeout_ms = timeout_ms;
  f->json = json;
  f->opts = opts;
  pthread_mutex_init(&f->lock, NULL);
  pthread_cond_init(&f->freed, NULL);
  signal(SIGPIPE, SIG_IGN); /* a filter that exits is an error, not our death */
  for (unsigned s = 0; s < f->nslots; s++) {
    if (!(f->slots[s].p = calloc(n, sizeof(struct proc)))) {
      snprintf(err, errlen, "out of memory");
      cxr_filters_free(f);
      return NULL;
    }
    for (size_t i = 0; i < n; i++)
      f->slots[s].p[i].pid = -1;
    for (size_t i = 0; i < n; i++)
      if (spawn(&f->slots[s].p[i], cmds[i]) != 0) {
        snprintf(err, errlen, "--filter '%s': cannot start it: %s", cmds[i], strerror(errno));
        cxr_filters_free(f);
        return NULL;
      }
  }
  return f;
}

void cxr_filters_free(struct cxr_filters *f) {
  if (!f) return;
  for (unsigned s = 0; s < f->nslots; s++) {
    for (size_t i = 0; f->slots[s].p && i < f->n; i++)
      reap(&f->slots[s].p[i], f->timeout_ms, false);
    free(f->slots[s].p);
  }
  free(f->slots);
  pthread_mutex_destroy(&f->lock);
  pthread_cond_destroy(&f->freed);
  free(f);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Writes out[0, len) to p while reading its answers into p->rx, until
 * it has answered n lines (each answer within timeout_ms of the last).
 * Returns NULL, or what went wrong. */
static const char *exchange(struct proc *p, const char *out, size_t len, size_t n,
                            unsigned timeout_ms) {
  long long deadline = now_ms() + timeout_ms;
  size_t sent = 0, lines = 0, scanned = 0;
  cx_buf_reset(&p->rx);
  for (;;) {
    size_t before = lines;
    for (const char *nl; scanned < p->rx.len &&
                         (nl = memchr(p->rx.data + scanned, '\n', p->rx.len - scanned)) != NULL;) {
      lines++;
      scanned = (size_t)(nl - p->rx.data) + 1;
    }
    scanned = p->rx.len;
    if (lines > before) deadline = now_ms() + timeout_ms;
    if (lines > n || (lines == n && sent == len && scanned && p->rx.data[scanned - 1] != '\n'))
      return "answered more lines than it was sent cables";
    if (lines == n && sent == len) return NULL;
    struct pollfd pfd[2] = {{.fd = p->out, .events = POLLIN}, {.fd = p->in, .events = POLLOUT}};
    long long left = deadline - now_ms();
    if (left <= 0) return "did not answer in time (--filter-timeout)";
    int r = poll(pfd, sent < len ? 2 : 1, (int)left);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return strerror(errno);
    if (sent < len && (pfd[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = write(p->in, out + sent, len - sent);
      if (w < 0 && errno != EAGAIN && errno != EINTR) return "exited (its input is closed)";
      if (w > 0) sent += (size_t)w;
    }
    if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[65536];
      ssize_t got = read(p->out, buf, sizeof buf);
      if (got == 0) return "exited without answering";
      if (got < 0 && errno != EINTR && errno != EAGAIN) return strerror(errno);
      if (got > 0 && cx_buf_add(&p->rx, buf, (size_t)got) != CX_OK) return "out of memory";
    }
  }
}

/* Reads the answer (one JSON line) as a cable; NULL for `null`.  Returns
 * NULL on success, or what was wrong with the answer. */
static const char *answer(struct cxr_filters *f, const char *line, size_t len,
                          struct cx_cable **out, struct cx_ctx *ctx) {
  *out = NULL;
  while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
    len--;
  if (len == 4 && !memcmp(line, "null", 4)) return NULL;
  if (!len || line[0] != '{') return "answered a line that is not a cable";
  struct cx_ctx rctx = *ctx;
  rctx.report = NULL;
  struct cx_istream *in = cx_istream_open_mem(line, len, "filter", &rctx);
  void *st = NULL;
  if (!in) return "out of memory";
  const char *why = NULL;
  int orc = f->json->reader_open(in, f->opts, &rctx, &st);
  if (orc != CX_OK && orc != CX_WARN) {
    why = "answered a line that is not a cable";
  } else {
    struct cx_cable *c = NULL, *extra = NULL;
    int rc = f->json->reader_next(st, &rctx, &c);
    if ((rc != CX_OK && rc != CX_WARN) || !c) why = "answered a line that is not a cable";
    if (!why && f->json->reader_next(st, &rctx, &extra) != CX_EOF)
      why = "answered more than one cable on a line";
    cx_cable_free(extra);
    if (why)
      cx_cable_free(c);
    else
      *out = c;
    f->json->reader_close(st);
  }
  cx_istream_close(in);
  return why;
}

static struct slot *take_slot(struct cxr_filters *f) {
  pthread_mutex_lock(&f->lock);
  for (;;) {
    for (unsigned s = 0; s < f->nslots; s++)
      if (!f->slots[s].busy) {
        f->slots[s].busy = true;
        pthread_mutex_unlock(&f->lock);
        return &f->slots[s];
      }
    pthread_cond_wait(&f->freed, &f->lock);
  }
}

static void give_slot(struct cxr_filters *f, struct slot *s) {
  pthread_mutex_lock(&f->lock);
  s->busy = false;
  pthread_cond_signal(&f->freed);
  pthread_mutex_unlock(&f->lock);
}

static bool same_id(const struct cx_cable *a, const struct cx_cable *b) {
  if (!a->id || !b->id) return a->id == b->id;
  return strcmp(a->id, b->id) == 0;
}

/* Runs v[0, n) through filter i of slot s: v[k] becomes its answer (the
 * old cable freed) or NULL (dropped).  CX_OK, or CX_FAILED with the
 * message on ctx and *bad the cable it is about (v untouched from there). */
static int one_filter(struct cxr_filters *f, struct slot *s, size_t i, struct cx_cable **v,
                      size_t n, struct cx_ctx *ctx, size_t *bad) {
  struct cx_buf lines;
  cx_buf_init(&lines, (size_t)-1);
  size_t live = 0;
  const char *why = NULL;
  *bad = 0;
  for (size_t k = 0; k < n && !why; k++) {
    if (!v[k]) continue;
    struct cx_ctx ectx = *ctx;
    ectx.report = NULL;
    ectx.msg[0] = '\0';
    int erc = f->json->writer_encode(f->opts, v[k], &ectx, &lines);
    if (erc != CX_OK && erc != CX_WARN) {
      *bad = k;
      why = "could not be sent the cable (not encodable)";
    }
    live++;
  }
  const char *lost = why ? NULL : exchange(&s->p[i], lines.data, lines.len, live, f->timeout_ms);
  cx_buf_free(&lines);
  /* the answers there are, in order; the first cable without one is the
   * one the filter failed on */
  const char *a = s->p[i].rx.data ? s->p[i].rx.data : "";
  for (size_t k = 0; k < n && !why; k++) {
    if (!v[k]) continue;
    *bad = k;
    const char *nl = strchr(a, '\n');
    if (!nl) {
      why = lost ? lost : "did not answer";
      break;
    }
    struct cx_cable *next = NULL;
    why = answer(f, a, (size_t)(nl - a), &next, ctx);
    if (!why && next && !same_id(next, v[k])) {
      why = "answered out of step (another cable's id)";
      cx_cable_free(next);
    }
    if (why) break;
    cx_cable_free(v[k]);
    v[k] = next;
    a = nl + 1;
  }
  if (!why && lost) why = lost; /* e.g. more lines than cables */
  if (!why) return CX_OK;
  const char *id = v[*bad] && v[*bad]->id ? v[*bad]->id : "(no id)";
  cx_error(ctx, CX_FAILED, 0, "--filter '%s': cable %s: the filter %s", f->cmds[i], id, why);
  atomic_store(&f->broken, true);
  reap(&s->p[i], 0, true);
  return CX_FAILED;
}

int cxr_filters_apply(struct cxr_filters *f, struct cx_cable **v, size_t n, struct cx_ctx *ctx,
                      size_t *bad) {
  *bad = 0;
  if (atomic_load(&f->broken))
    return cx_error(ctx, CX_FAILED, 0, "cable %s not filtered: a filter failed before",
                    v[0] && v[0]->id ? v[0]->id : "(no id)");
  struct slot *s = take_slot(f);
  int rc = CX_OK;
  for (size_t i = 0; i < f->n && rc == CX_OK; i++)
    rc = one_filter(f, s, i, v, n, ctx, bad);
  give_slot(f, s);
  return rc;
}
