/* cablex/error.h - graded return codes and the error context.
 *
 * Ownership: a struct cx_ctx is owned by whoever created it (the run engine,
 * or a test); functions that take one only write into it and never keep a
 * pointer to it past their return.
 */
#ifndef CABLEX_ERROR_H
#define CABLEX_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CX_API __attribute__((visibility("default")))
#define CX_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CX_API
#define CX_PRINTF(f, a)
#endif

/* Graded return codes, after libarchive.  Anything < 0 is a problem; the
 * grade says how much of the run it costs. */
enum {
  CX_OK = 0,       /* done */
  CX_EOF = 1,      /* no more cables in this input */
  CX_WARN = -20,   /* done, but something was guessed or dropped: see ctx */
  CX_FAILED = -25, /* this cable / entry is lost; go on with the next one */
  CX_FATAL = -30   /* this input (or output) cannot go on; stop using it */
};

#define CX_MSG_MAX 512

/* Where a problem is: every message carries its place. */
struct cx_ctx;
typedef void (*cx_report_fn)(void *user, const struct cx_ctx *ctx, int code, const char *msg);

struct cx_ctx {
  int code;             /* last code recorded with cx_error() */
  char msg[CX_MSG_MAX]; /* its message, without the place */
  const char *file;     /* input or output path, "-" for stdio; borrowed */
  const char *entry;    /* archive entry name or NULL; borrowed */
  unsigned long line;   /* 1-based line of the problem, 0 = unknown */
  unsigned warnings;    /* warnings reported since cx_ctx_clear() */
  cx_report_fn report;  /* where warnings go (NULL: stderr) */
  void *report_user;
  /* Lines of the input before the part being read, when the core has a
   * reader parse a large input in parts (record_split): the core adds it to
   * line, and a reader adds it to a line number it writes into msg.  0 for a
   * whole input.  Set by the core; cx_ctx_clear() keeps it. */
  unsigned long line0;
};

/* Resets code, message, line and the warning count; keeps file, entry,
 * line0 and the report callback. */
CX_API void cx_ctx_clear(struct cx_ctx *ctx);

/* Records a problem on ctx and returns code, so that a reader can write
 * `return cx_error(ctx, CX_FAILED, line, "bad DTG %s", s);`. */
CX_API int cx_error(struct cx_ctx *ctx, int code, unsigned long line, const char *fmt, ...)
    CX_PRINTF(4, 5);
CX_API int cx_verror(struct cx_ctx *ctx, int code, unsigned long line, const char *fmt, va_list ap);

/* Reports a warning at once through ctx->report (the cable still converts)
 * and counts it.  Returns CX_WARN. */
CX_API int cx_warn(struct cx_ctx *ctx, unsigned long line, const char *fmt, ...) CX_PRINTF(3, 4);

/* Formats "file(entry):line: msg" into buf, leaving out the parts that are
 * unknown (always NUL-terminated). */
CX_API void cx_ctx_format(const struct cx_ctx *ctx, const char *msg, unsigned long line, char *buf,
                          size_t size);

/* Copies s into out (size bytes, always terminated, cut at a character)
 * with what a terminal would act on made visible: C0 and C1 controls, DEL,
 * the bidirectional overrides and isolates, and bytes that are not UTF-8
 * become \xNN, one per byte.  Returns out.  Every message that can hold
 * untrusted text (a file or entry name, an id, a date, a key) goes through
 * it before a terminal sees it; 4 * strlen(s) + 1 bytes always suffice. */
CX_API char *cx_escape(const char *s, char *out, size_t size);

/* A short name for a code: "ok", "eof", "warn", "failed", "fatal". */
CX_API const char *cx_strcode(int code);

#ifdef __cplusplus
}
#endif
#endif
