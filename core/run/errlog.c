/* errlog.c - the --errors FILE report, JSON Lines.
 *
 * Ownership: as in errlog.h.  The log owns its output stream and the ctx the
 * stream borrows; each line is built in a bounded buffer, made valid UTF-8
 * (a message may quote bytes of a broken input) and written at once.
 */
#include "errlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/stream.h"
#include "run.h"

/* A report line holds at most a few paths and one CX_MSG_MAX message. */
#define ERRLOG_LINE_MAX ((size_t)64 << 10)

struct cxr_errlog {
  struct cx_ostream *out;
  struct cx_ctx ctx; /* borrowed by out for its messages */
  char *path;
  unsigned long count;
  struct cx_buf line;
};

struct cxr_errlog *cxr_errlog_open(const char *path, struct cx_ctx *ctx) {
  struct cxr_errlog *log = calloc(1, sizeof *log);
  if (!log || !(log->path = strdup(path ? path : "-"))) {
    free(log);
    cx_error(ctx, CX_FATAL, 0, "out of memory");
    return NULL;
  }
  cx_buf_init(&log->line, ERRLOG_LINE_MAX);
  log->out = cx_ostream_open(log->path, &log->ctx);
  if (!log->out) {
    cx_error(ctx, CX_FATAL, 0, "%s", log->ctx.msg);
    free(log->path);
    free(log);
    return NULL;
  }
  return log;
}

/* Appends s as a JSON string, or null.  Bytes that are not UTF-8 are fixed
 * by the caller afterwards (U+FFFD), which keeps the quoting intact. */
static int put_string(struct cx_buf *b, const char *s) {
  if (!s) return cx_buf_adds(b, "null");
  int rc = cx_buf_addc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p && rc == CX_OK; p++) {
    switch (*p) {
    case '"':
      rc = cx_buf_adds(b, "\\\"");
      break;
    case '\\':
      rc = cx_buf_adds(b, "\\\\");
      break;
    case '\n':
      rc = cx_buf_adds(b, "\\n");
      break;
    case '\r':
      rc = cx_buf_adds(b, "\\r");
      break;
    case '\t':
      rc = cx_buf_adds(b, "\\t");
      break;
    default:
      if (*p < 0x20 || *p == 0x7f)
        rc = cx_buf_printf(b, "\\u%04x", *p);
      else
        rc = cx_buf_addc(b, (char)*p);
    }
  }
  if (rc == CX_OK) rc = cx_buf_addc(b, '"');
  return rc;
}

static const char *severity(int code) {
  if (code == CX_WARN) return "warning";
  if (code == CX_FAILED) return "error";
  if (code == CX_FATAL) return "fatal";
  return cx_strcode(code);
}

int cxr_errlog_put(struct cxr_errlog *log, const struct cx_ctx *where, int code,
                   const char *message) {
  if (!log) return CX_FATAL;
  struct cx_buf *b = &log->line;
  cx_buf_reset(b);
  if (!message) message = where ? where->msg : "";
  int rc = cx_buf_adds(b, "{\"file\":");
  if (rc == CX_OK) rc = put_string(b, where ? where->file : NULL);
  if (rc == CX_OK) rc = cx_buf_adds(b, ",\"entry\":");
  if (rc == CX_OK) rc = put_string(b, where ? where->entry : NULL);
  if (rc == CX_OK) {
    if (where && where->line)
      rc = cx_buf_printf(b, ",\"line\":%lu", where->line);
    else
      rc = cx_buf_adds(b, ",\"line\":null");
  }
  if (rc == CX_OK) rc = cx_buf_printf(b, ",\"severity\":\"%s\",\"code\":%d", severity(code), code);
  if (rc == CX_OK) rc = cx_buf_adds(b, ",\"message\":");
  if (rc == CX_OK) rc = put_string(b, message);
  if (rc == CX_OK) rc = cx_buf_adds(b, "}\n");
  /* The quoting only adds ASCII, so fixing the bytes afterwards is safe. */
  unsigned long bad_line;
  if (rc == CX_OK && cx_buf_fix_utf8(b, &bad_line) == (size_t)-1) rc = CX_FAILED;
  if (rc != CX_OK) {
    /* too long even for the bound: say so instead of writing half a line */
    cx_buf_reset(b);
    rc = cx_buf_printf(b,
                       "{\"file\":null,\"entry\":null,\"line\":null,\"severity\":\"%s\","
                       "\"code\":%d,\"message\":\"(report too long to log)\"}\n",
                       severity(code), code);
    if (rc != CX_OK) return rc;
  }
  rc = cx_ostream_write(log->out, b->data, b->len);
  if (rc == CX_OK) log->count++;
  return rc;
}

unsigned long cxr_errlog_count(const struct cxr_errlog *log) {
  return log ? log->count : 0;
}

static void errlog_free(struct cxr_errlog *log) {
  cx_buf_free(&log->line);
  free(log->path);
  free(log);
}

int cxr_errlog_close(struct cxr_errlog *log) {
  if (!log) return CX_OK;
  int rc = cx_ostream_commit(log->out);
  if (rc != CX_OK) cxr_say("%s", log->ctx.msg);
  errlog_free(log);
  return rc;
}

void cxr_errlog_abort(struct cxr_errlog *log) {
  if (!log) return;
  cx_ostream_abort(log->out);
  errlog_free(log);
}
