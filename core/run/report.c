/* report.c - what a run says on stderr: messages in order with their
 * place ("cablex: file(entry):line: ..."), copied to the --errors log,
 * usage errors, and the summary line. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/stream.h"
#include "run_internal.h"

/* Longest message line: a place (a path) and a message, escaped. */
#define SAY_MAX (4 * (CX_MSG_MAX + PATH_MAX + 64))

static void vsay(const char *fmt, va_list ap) {
  char raw[CX_MSG_MAX + PATH_MAX + 64], out[SAY_MAX];
  vsnprintf(raw, sizeof raw, fmt, ap);
  fprintf(stderr, "cablex: %s\n", cx_escape(raw, out, sizeof out));
}

void cxr_say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsay(fmt, ap);
  va_end(ap);
}

const char *cxr_name_cable(const char *msg, const struct cx_cable *c, const char *file,
                           const char *entry, char *buf, size_t size) {
  const char *id = c->id && *c->id ? c->id : c->canonical_id;
  snprintf(buf, size, "%s (cable %s, read from %s%s%s%s)", msg ? msg : "", id ? id : "without id",
           file ? file : "-", entry ? "(" : "", entry ? entry : "", entry ? ")" : "");
  return buf;
}

void cxr_print_line(struct run *r, bool warning, const struct cx_ctx *where, const char *msg,
                    unsigned long line, int code, bool plain) {
  char named[CX_MSG_MAX + 2 * PATH_MAX];
  if (where == &r->sink.ctx && r->sink.cur_cable)
    msg = cxr_name_cable(msg, r->sink.cur_cable, r->sink.cur_file, r->sink.cur_entry, named,
                         sizeof named);
  if (r->errlog && !r->errlog_failed) {
    struct cx_ctx w = {0};
    if (where) w = *where;
    w.line = line;
    if (plain) w.file = w.entry = NULL;
    if (cxr_errlog_put(r->errlog, &w, code, msg) != CX_OK) r->errlog_failed = true;
  }
  if (warning && r->quiet) return;
  if (warning && !cxr_warning_shown(r, msg && *msg ? msg : "")) return; /* said at the end */
  char buf[CX_MSG_MAX + PATH_MAX + 64]; /* the place (a path) and the message */
  if (plain) {
    if (!msg) msg = "";
    size_t n = strlen(msg); /* cut at the buffer's size: a message is bounded */
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, msg, n);
    buf[n] = '\0';
  } else
    cx_ctx_format(where, msg && *msg ? msg : "failed (no message)", line, buf, sizeof buf);
  cxr_progress_clear(&r->progress);
  cxr_say("%s%s", warning ? "warning: " : "", buf);
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
  vsay(fmt, ap);
  if (hint) fprintf(stderr, "%s\n", hint);
  va_end(ap);
}

void cxr_print_summary(const struct run *r, bool output_lost, double start) {
  if (r->quiet) return;
  char warnings[320], shown[4 * sizeof warnings];
  cxr_warnings_said(r, warnings, sizeof warnings);
  cx_escape(warnings, shown, sizeof shown); /* the kinds quote their messages */
  /* In directory mode the files of the cables before the failure stay. */
  const char *lost = !output_lost  ? ""
                     : r->sink.dir ? " (output directory incomplete: stopped at that file)"
                                   : " (output not written)";
  const char *ff = r->stopped_fail_fast ? " (stopped at the first failure: --fail-fast)" : "";
  char filtered[48] = "";
  if (r->args->where || r->args->shard_n || r->args->nfilters)
    snprintf(filtered, sizeof filtered, ", %lu filtered out", r->filtered);
  fprintf(stderr, "cablex: %lu converted, %lu failed, %lu skipped%s in %.1f s%s%s%s\n",
          r->converted, r->failed, r->skipped, filtered, cxr_now() - start, shown, lost, ff);
}
