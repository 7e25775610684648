/* report.c - what a run says on stderr: messages in order with their
 * place ("cablex: file(entry):line: ..."), copied to the --errors log,
 * usage errors, and the summary line. */
#include <limits.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h"

void cxr_print_line(struct run *r, bool warning, const struct cx_ctx *where, const char *msg,
                    unsigned long line, int code, bool plain) {
  if (r->errlog && !r->errlog_failed) {
    struct cx_ctx w = {0};
    if (where) w = *where;
    w.line = line;
    if (plain) w.file = w.entry = NULL;
    if (cxr_errlog_put(r->errlog, &w, code, msg) != CX_OK) r->errlog_failed = true;
  }
  if (warning && r->quiet) return;
  char buf[CX_MSG_MAX + PATH_MAX + 64]; /* the place (a path) and the message */
  if (plain)
    snprintf(buf, sizeof buf, "%s", msg);
  else
    cx_ctx_format(where, msg && *msg ? msg : "failed (no message)", line, buf, sizeof buf);
  cxr_progress_clear(&r->progress);
  fprintf(stderr, "cablex: %s%s\n", warning ? "warning: " : "", buf);
}

void cxr_report_ctx(struct run *r, const struct cx_ctx *ctx) {
  cxr_print_line(r, false, ctx, ctx->msg, ctx->line, ctx->code ? ctx->code : CX_FATAL, false);
}

void cxr_report_unshown_warning(struct run *r, const struct cx_ctx *ctx) {
  if (ctx->warnings == 0) cxr_print_line(r, true, ctx, ctx->msg, ctx->line, CX_WARN, false);
}

/* ctx->report of the sink (writing thread). */
static void on_sink_warning(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)code;
  cxr_print_line(user, true, ctx, msg, ctx->line, CX_WARN, false);
}

void cxr_init_sink_ctx(struct run *r, struct cx_ctx *ctx, const char *file) {
  memset(ctx, 0, sizeof *ctx);
  ctx->file = file;
  ctx->report = on_sink_warning;
  ctx->report_user = r;
}

void cxr_usage_error(const char *hint, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("cablex: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  if (hint) fprintf(stderr, "%s\n", hint);
  va_end(ap);
}

void cxr_print_summary(const struct run *r, bool output_lost, double start) {
  if (r->quiet) return;
  /* In directory mode the files of the cables before the failure stay. */
  const char *lost = !output_lost  ? ""
                     : r->sink.dir ? " (output directory incomplete: stopped at that file)"
                                   : " (output not written)";
  const char *ff = r->stopped_fail_fast ? " (stopped at the first failure: --fail-fast)" : "";
  char filtered[48] = "";
  if (r->args->where || r->args->shard_n || r->args->nfilters)
    snprintf(filtered, sizeof filtered, ", %lu filtered out", r->filtered);
  fprintf(stderr, "cablex: %lu converted, %lu failed, %lu skipped%s in %.1f s%s%s\n", r->converted,
          r->failed, r->skipped, filtered, cxr_now() - start, lost, ff);
}
