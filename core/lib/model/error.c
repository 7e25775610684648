/* error.c - the error context: codes, messages and their place. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cablex/error.h"

void cx_ctx_clear(struct cx_ctx *ctx) {
  ctx->code = CX_OK;
  ctx->msg[0] = '\0';
  ctx->line = 0;
  ctx->warnings = 0;
}

int cx_verror(struct cx_ctx *ctx, int code, unsigned long line, const char *fmt, va_list ap) {
  if (!ctx) return code;
  ctx->code = code;
  ctx->line = line;
  vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
  return code;
}

int cx_error(struct cx_ctx *ctx, int code, unsigned long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cx_verror(ctx, code, line, fmt, ap);
  va_end(ap);
  return code;
}

int cx_warn(struct cx_ctx *ctx, unsigned long line, const char *fmt, ...) {
  char msg[CX_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (!ctx) return CX_WARN;
  ctx->warnings++;
  if (ctx->report) {
    /* The callback reads the place from ctx; the line travels in ctx->line
     * only for the duration of the call. */
    unsigned long saved = ctx->line;
    ctx->line = line;
    ctx->report(ctx->report_user, ctx, CX_WARN, msg);
    ctx->line = saved;
  } else {
    char buf[CX_MSG_MAX + PATH_MAX + 64]; /* the place (a path) and the message */
    cx_ctx_format(ctx, msg, line, buf, sizeof buf);
    fprintf(stderr, "cablex: warning: %s\n", buf);
  }
  return CX_WARN;
}

void cx_ctx_format(const struct cx_ctx *ctx, const char *msg, unsigned long line, char *buf,
                   size_t size) {
  size_t n = 0;
  if (!size) return;
  buf[0] = '\0';
#define CX_APPEND(...)                                                                             \
  do {                                                                                             \
    if (n < size) {                                                                                \
      int w = snprintf(buf + n, size - n, __VA_ARGS__);                                            \
      if (w > 0) n += (size_t)w;                                                                   \
    }                                                                                              \
  } while (0)
  if (ctx && ctx->file) CX_APPEND("%s", ctx->file);
  /* archive(entry), as ar(1) and make name archive members */
  if (ctx && ctx->entry) CX_APPEND("(%s)", ctx->entry);
  if (line) CX_APPEND("%s%lu", n ? ":" : "line ", line);
  CX_APPEND("%s%s", n ? ": " : "", msg ? msg : "");
#undef CX_APPEND
}

const char *cx_strcode(int code) {
  switch (code) {
  case CX_OK:
    return "ok";
  case CX_EOF:
    return "eof";
  case CX_WARN:
    return "warn";
  case CX_FAILED:
    return "failed";
  case CX_FATAL:
    return "fatal";
  default:
    return "unknown";
  }
}
