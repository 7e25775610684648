/* progress.c - the progress line of progress.h.  It is redrawn in place
 * with "\r" and erased with "\r\033[K", so a message printed after
 * cxr_progress_clear() starts on a clean line. */
#include "progress.h"

#include <time.h>

#define REDRAW_SECS 0.2 /* at most 5 redraws a second */

double cxr_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cxr_progress_init(struct cxr_progress *p, FILE *out, bool enabled,
                       unsigned long long total_bytes) {
  p->out = out;
  p->enabled = enabled;
  p->shown = false;
  p->start = cxr_now();
  p->last = p->start - REDRAW_SECS;
  p->total_bytes = total_bytes;
}

static void clock_text(char *buf, size_t size, double secs) {
  unsigned long s = secs < 0 ? 0 : (unsigned long)(secs + 0.5);
  if (s >= 3600)
    snprintf(buf, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
  else
    snprintf(buf, size, "%lu:%02lu", s / 60, s % 60);
}

void cxr_progress_update(struct cxr_progress *p, unsigned long cables, unsigned long long bytes,
                         bool force) {
  if (!p->enabled) return;
  double t = cxr_now();
  if (!force && t - p->last < REDRAW_SECS) return;
  p->last = t;
  double secs = t - p->start;
  char elapsed[32], eta[48] = "";
  clock_text(elapsed, sizeof elapsed, secs);
  if (p->total_bytes && bytes && bytes <= p->total_bytes && secs > 0) {
    char left[32];
    clock_text(left, sizeof left, secs * (double)(p->total_bytes - bytes) / (double)bytes);
    snprintf(eta, sizeof eta, ", ETA %s", left);
  }
  fprintf(p->out, "\r\033[Kcablex: %lu cables, %.1f MB/s, %s elapsed%s", cables,
          secs > 0 ? (double)bytes / 1e6 / secs : 0.0, elapsed, eta);
  fflush(p->out);
  p->shown = true;
}

void cxr_progress_clear(struct cxr_progress *p) {
  if (p->shown) {
    fputs("\r\033[K", p->out);
    p->shown = false;
  }
}
