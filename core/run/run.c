/* run.c - cxr_run(): prepare (options, inputs, checks, the output), read
 * every input while the workers and the writing thread do their part,
 * then close the output and say how it went.  The steps themselves live in
 * the other files of core/run/ (see run_internal.h). */
#include <errno.h>
#include <limits.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_internal.h"

/* Opens the --errors log.  Returns CX_OK or CX_FAILED (reported). */
static int open_errlog(struct run *r) {
  if (!r->args->errors_path) return CX_OK;
  struct cx_ctx ectx = {0};
  r->errlog = cxr_errlog_open(r->args->errors_path, &ectx);
  if (r->errlog) return CX_OK;
  char buf[CX_MSG_MAX + PATH_MAX + 64];
  cx_ctx_format(&ectx, ectx.msg, ectx.line, buf, sizeof buf);
  cxr_say("--errors: %s", buf);
  return CX_FAILED;
}

/* Creates the output directory, or opens the output stream and its writer.
 * Returns CX_OK or CX_FAILED (reported). */
static int open_output(struct run *r) {
  struct sink *s = &r->sink;
  if (s->dir) {
    if (cxr_make_dirs(s->dir) == 0) return CX_OK;
    cxr_say("%s: cannot create directory: %s", s->dir, strerror(errno));
    return CX_FAILED;
  }
  if (cxr_sink_open_stream(s, s->path) != CX_FATAL) return CX_OK;
  cxr_report_ctx(r, &s->ctx);
  return CX_FAILED;
}

/* The number of workers -j asks for; without -j, one per core, or none for
 * a small run. */
static unsigned run_jobs(const struct run *r) {
  if (!r->args->jobs && r->small_run) return 1;
  unsigned jobs = r->args->jobs ? r->args->jobs : cxr_online_cores();
  return jobs > 256 ? 256 : jobs; /* more threads than that only cost memory */
}

/* Starts the --filter processes, one set per worker.  CX_OK or CX_FAILED
 * (reported). */
static int start_filters(struct run *r) {
  const struct cxr_run_args *a = r->args;
  if (!a->nfilters) return CX_OK;
  const struct cx_plugin *json = cxh_plugin_named(r->reg, "json", CX_KIND_INPUT | CX_KIND_OUTPUT);
  if (!json || !cxh_has_encode(json) || !(json->kinds & CX_KIND_INPUT)) {
    cxr_usage_error(NULL, "%s", "--filter needs the json plugin (reader and writer_encode)");
    return CX_FAILED;
  }
  char err[CX_MSG_MAX];
  unsigned timeout = a->filter_timeout_ms ? a->filter_timeout_ms : 60000;
  r->filters =
      cxr_filters_new(a->filters, a->nfilters, run_jobs(r), timeout, json, NULL, err, sizeof err);
  if (r->filters) return CX_OK;
  cxr_usage_error(NULL, "%s", err);
  return CX_FAILED;
}

/* Everything before the first input is read: the options, the inputs (a
 * directory walk), the checks, the progress line, the error log and the
 * output.  Returns CX_OK or CX_FAILED (reported: the run does not start). */
static int prepare(struct run *r, struct inputs *in) {
  const struct cxr_run_args *args = r->args;
  const struct cxh_output *o = args->output;
  struct sink *s = &r->sink;
  s->run = r;
  s->writer = o->writer;
  s->bundle = o->bundle;
  s->format = o->format;
  s->path = o->path;
  s->dir = o->dir ? o->path : NULL;
  s->ext = o->ext;
  s->mode = s->bundle ? SINK_BUNDLE : s->dir ? SINK_DIR : SINK_STREAM;
  s->encode = !args->each && cxh_has_encode(s->writer);
  cx_buf_init(&s->mem, (size_t)1 << 30);
  if (cxr_build_options(r) != CX_OK) return CX_FAILED;
  /* Expand the inputs before any output is opened. */
  unsigned long walk_failed = 0;
  if (cxr_inputs_expand(args, in, &walk_failed) == CX_FATAL) {
    cxr_usage_error(NULL, "%s", "out of memory");
    return CX_FAILED;
  }
  if (!args->each && cxr_check_output_not_input(s, in) != CX_OK) return CX_FAILED;
  if (cxr_check_errors_path(s, in, args->errors_path) != CX_OK) return CX_FAILED;
  /* Regular files of less than half a job in all (one small cable, a few
   * of them) are read, parsed and written on this thread: the pool and the
   * writing thread cost more to start than the work (the output is the
   * same at any -j).  0 is unknown: standard input, a pipe. */
  unsigned long long total = cxr_inputs_total(in);
  r->small_run = total > 0 && total < JOB_BYTES / 2;
  if (start_filters(r) != CX_OK) return CX_FAILED;
  bool show = args->progress > 0 || (args->progress < 0 && !args->quiet && isatty(STDERR_FILENO));
  cxr_progress_init(&r->progress, stderr, show, total);
  r->failed = walk_failed;
  if (open_errlog(r) != CX_OK) return CX_FAILED;
  if (!args->each && open_output(r) != CX_OK) {
    cxr_errlog_abort(r->errlog);
    r->errlog = NULL;
    return CX_FAILED;
  }
  return CX_OK;
}

/* Reads every input.  -j 1 runs everything on this thread; more start the
 * pool and the writing thread (the plugins of the run are loaded by now). */
static void read_all(struct run *r, const struct inputs *in) {
  unsigned jobs = run_jobs(r);
  pthread_t writer;
  bool writer_started = false;
  if (jobs > 1) {
    /* jobs - 1 threads, and this one works on queued jobs when the pool
     * is full: jobs busy threads on jobs cores.  A reading thread that
     * sleeps until there is room made three busy threads on two cores at
     * -j 2 (reading is about a fifth of the work), and cost 4-6% more wall
     * time in bench/ rounds. */
    r->pool = cxr_pool_new(jobs - 1, true, 4 * (size_t)jobs + 4, IN_FLIGHT_MAX, cxr_work_job, r);
    if (r->pool && pthread_create(&writer, NULL, cxr_writer_main, r) == 0) {
      writer_started = true;
    } else if (r->pool) {
      cxr_pool_close(r->pool);
      cxr_pool_free(r->pool);
      r->pool = NULL; /* go on with one thread */
    }
  }
  for (size_t i = 0; i < in->n && !cxr_reading_stopped(r); i++) {
    int rc = cxr_read_input(r, &in->v[i], r->args->reader);
    if (rc == CX_FATAL && !cxr_reading_stopped(r)) {
      /* out of memory while reading: stop, but write what was read */
      cxr_read_msg(r, NULL, NULL, CX_FATAL, 0, true, CNT_FAILED,
                   "out of memory: input not read on");
      break;
    }
  }
  if (!cxr_reading_stopped(r)) cxr_flush_job(r);
  cxr_job_free(r->job);
  r->job = NULL;
  cxr_job_free(r->spare);
  r->spare = NULL;
  if (r->pool) {
    cxr_pool_close(r->pool);
    if (writer_started) pthread_join(writer, NULL);
    for (struct job *j; (j = cxr_pool_take_spare(r->pool));)
      cxr_job_free(j);
    cxr_pool_free(r->pool);
    r->pool = NULL;
  }
}

/* Closes the output and the error log, and prints the summary.  Returns
 * the outcome. */
static enum cxr_outcome finish(struct run *r, double start) {
  struct sink *s = &r->sink;
  bool output_lost = r->output_lost, bad_input = r->failed > 0;
  /* On a fatal error the temporary output is removed, never renamed. */
  if (!s->dir && cxr_sink_close_stream(s, output_lost) == CX_FATAL && !output_lost) {
    cxr_report_ctx(r, &s->ctx);
    output_lost = true;
  }
  /* A log that could not be written is output lost: exit 2, as for -o. */
  bool log_lost = r->errlog_failed;
  if (r->errlog && log_lost)
    cxr_errlog_abort(r->errlog); /* never half a log under its name */
  else if (r->errlog && cxr_errlog_close(r->errlog) != CX_OK)
    log_lost = true;
  if (log_lost) cxr_say("--errors %s: could not be written", r->args->errors_path);
  r->errlog = NULL;
  cxr_progress_update(&r->progress, r->converted, atomic_load(&r->bytes_read), true);
  cxr_progress_clear(&r->progress);
  cxr_print_summary(r, output_lost, start);
  if (output_lost || log_lost) return CXR_OUTPUT_LOST;
  return bad_input ? CXR_SOME_FAILED : CXR_DONE;
}

/* Buffers of a huge cable (MiB each) are mapped and given back to the
 * system when freed.  Without a fixed threshold glibc raises it to the
 * size of the largest block freed so far, and the next cable's buffers
 * then grow on the heap, copied at each doubling and kept resident: a
 * 15 MB cable peaked at 115 MB instead of 83.  Jobs and parts stay well
 * below 4 MiB, so bulk runs allocate as before. */
static void fix_mmap_threshold(void) {
#ifdef M_MMAP_THRESHOLD
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
}

enum cxr_outcome cxr_run(struct cxh_registry *reg, const struct cxr_run_args *args) {
  fix_mmap_threshold();
  struct run r = {0};
  r.reg = reg;
  r.args = args;
  r.quiet = args->quiet;
  double start = cxr_now();
  struct inputs in = {0};
  enum cxr_outcome outcome = CXR_NOT_STARTED;
  if (prepare(&r, &in) == CX_OK) {
    r.progress.start = start;
    read_all(&r, &in);
    cxr_filters_free(r.filters); /* every worker is done with them */
    r.filters = NULL;
    outcome = finish(&r, start);
  } else {
    cxr_filters_free(r.filters);
  }
  free(r.sink.file);
  cx_buf_free(&r.sink.mem);
  cxr_nameset_free(&r.sink.names);
  cxr_warnings_free(&r.kinds);
  cxr_inputs_free(&in);
  cx_options_free(r.opts);
  return outcome;
}
