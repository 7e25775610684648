/* pdftext_pdf.c - a PDF given directly: its bytes are spooled to a
 * temporary file (the input may be stdin or an archive entry), pdftotext
 * runs on it with the full-width settings (fork and exec with an argv, no
 * shell), and its standard output is read through a pipe into a bounded
 * buffer.  pdftotext gets a time limit (a bad PDF can keep it busy for many
 * minutes, and bundle output keeps input order, so one PDF would stall the
 * run), and dies with cablex (PR_SET_PDEATHSIG): a killed run leaves no
 * pdftotext behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pdftext_plugin.h"

/* Closes the spool (kept open for /dev/fd/N) or removes it. */
static void drop_spool(int fd, const char *path) {
  if (fd >= 0)
    close(fd);
  else
    unlink(path);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads pdftotext's output from fd into out until its end, the limit of
 * out (*too_big) or the deadline (*late; deadline < 0: none); pdftotext is
 * killed in the last two cases. */
static void read_text(int fd, pid_t pid, long long deadline, struct cx_buf *out, bool *too_big,
                      bool *late) {
  char buf[65536];
  for (;;) {
    if (deadline >= 0 && !*late) {
      long long left = deadline - now_ms();
      struct pollfd p = {.fd = fd, .events = POLLIN};
      int n = left > 0 ? poll(&p, 1, left > 60000 ? 60000 : (int)left) : 0;
      if (n < 0 && errno == EINTR) continue;
      if (n == 0 && now_ms() < deadline) continue;
      if (n == 0) {
        *late = true;
        kill(pid, SIGKILL);
        return;
      }
    }
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return;
    if (!*too_big && cx_buf_add(out, buf, (size_t)r) != CX_OK) {
      /* the text is larger than a cable may be: stop pdftotext */
      *too_big = true;
      kill(pid, SIGTERM);
    }
  }
}

/* Spools the PDF to a temporary file, named in path[size], for pdftotext
 * to read.  On Linux the file is unlinked at once and read as /dev/fd/N of
 * *spool, which stays open: a run killed meanwhile leaves no file behind.
 * Elsewhere *spool is -1 and pdftotext reads path.  CX_OK, or CX_FAILED
 * with the message on ctx (nothing left behind). */
static int spool_pdf(const char *pdf, size_t len, char *path, size_t size, int *spool,
                     struct cx_ctx *ctx) {
  int fd = cx_temp_open("pdftext", "cablex-pdf", path, size, CX_FAILED, ctx);
  if (fd < 0) return fd;
  bool devfd = access("/proc/self/fd", X_OK) == 0 && unlink(path) == 0;
  if (cx_write_full(fd, pdf, len) != 0) {
    int e = errno;
    close(fd);
    if (!devfd) unlink(path);
    return cx_error(ctx, CX_FAILED, 0, "pdftext: cannot write %s: %s", path, strerror(e));
  }
  if (!devfd) {
    close(fd);
    fd = -1;
  }
  *spool = fd;
  return CX_OK;
}

int pdft_run_pdftotext(const char *program, unsigned timeout, const char *pdf, size_t len,
                       struct cx_buf *out, struct cx_ctx *ctx) {
  const char *prog = program && *program ? program : "pdftotext";
  char path[4096], file[64];
  int fd = -1;
  int rc = spool_pdf(pdf, len, path, sizeof path, &fd, ctx);
  if (rc != CX_OK) return rc;
  if (fd >= 0) snprintf(file, sizeof file, "/dev/fd/%d", fd);
  const char *arg = fd >= 0 ? file : path;

  int outp[2], errp[2];
  if (pipe(outp) != 0) {
    drop_spool(fd, path);
    return cx_error(ctx, CX_FAILED, 0, "pdftext: pipe: %s", strerror(errno));
  }
  /* carries errno of a failed exec; closed by a successful one */
  if (pipe(errp) != 0) {
    close(outp[0]);
    close(outp[1]);
    drop_spool(fd, path);
    return cx_error(ctx, CX_FAILED, 0, "pdftext: pipe: %s", strerror(errno));
  }
  fcntl(errp[1], F_SETFD, FD_CLOEXEC);
  char *const argv[] = {(char *)prog, PDFT_PDFTOTEXT_ARGS, "-enc", "UTF-8",
                        "-q",         (char *)arg,         "-",    NULL};
  pid_t parent = getpid();
  long long deadline = timeout ? now_ms() + (long long)timeout * 1000 : -1;
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(outp[0]);
    close(outp[1]);
    close(errp[0]);
    close(errp[1]);
    drop_spool(fd, path);
    return cx_error(ctx, CX_FAILED, 0, "pdftext: fork: %s", strerror(e));
  }
  if (pid == 0) {
    /* Dies with cablex, even when it is killed; it may have died already. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(126);
    close(outp[0]);
    close(errp[0]);
    if (dup2(outp[1], STDOUT_FILENO) < 0) _exit(126);
    close(outp[1]);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    execvp(prog, argv);
    int e = errno;
    ssize_t w = write(errp[1], &e, sizeof e);
    (void)w;
    _exit(127);
  }
  close(outp[1]);
  close(errp[1]);
  int exec_errno = 0;
  ssize_t got;
  do
    got = read(errp[0], &exec_errno, sizeof exec_errno);
  while (got < 0 && errno == EINTR);
  close(errp[0]);
  bool too_big = false, late = false;
  if (got != (ssize_t)sizeof exec_errno) {
    exec_errno = 0;
    read_text(outp[0], pid, deadline, out, &too_big, &late);
  }
  close(outp[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  drop_spool(fd, path);
  if (exec_errno == ENOENT)
    return cx_error(ctx, CX_FATAL, 0,
                    "pdftext: '%s' not found: a PDF needs pdftotext (install poppler-utils), or "
                    "give the text pdftotext made of it with -f pdftext",
                    prog);
  if (exec_errno)
    return cx_error(ctx, CX_FATAL, 0, "pdftext: cannot run '%s': %s", prog, strerror(exec_errno));
  if (late)
    return cx_error(ctx, CX_FAILED, 0,
                    "pdftext: %s ran longer than %u s on this PDF and was stopped "
                    "(--pdftotext-timeout SECONDS, 0 for no limit)",
                    prog, timeout);
  if (too_big)
    return cx_error(ctx, CX_FAILED, 0,
                    "pdftext: the PDF's text is larger than max-cable-size (%zu bytes)", out->max);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFEXITED(status))
      return cx_error(ctx, CX_FAILED, 0, "pdftext: %s failed (exit status %d): not a readable PDF?",
                      prog, WEXITSTATUS(status));
    return cx_error(ctx, CX_FAILED, 0, "pdftext: %s was killed by signal %d", prog,
                    WTERMSIG(status));
  }
  return CX_OK;
}
