/* convert.c - `cablex convert`: resolve the formats (host/formats.c),
 * turn the --NAME options of the run's plugins into -O options, and hand
 * everything to the run engine (run/run.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/stream.h"
#include "cli.h"
#include "formats.h"

/* The plugins a run may use (registry entries), whose options --NAME may
 * name. */
struct candidates {
  const struct cxh_plugin_entry *v[64];
  size_t n;
};

/* Adds entry e to the candidates unless it is there already. */
static void add_candidate(struct candidates *c, const struct cxh_plugin_entry *e) {
  if (!e || c->n >= sizeof c->v / sizeof *c->v) return;
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i] == e) return;
  c->v[c->n++] = e;
}

/* The entry of a loaded plugin p, or NULL. */
static const struct cxh_plugin_entry *entry_of(const struct cxh_registry *reg,
                                               const struct cx_plugin *p) {
  for (size_t i = 0; p && i < cxh_registry_count(reg); i++)
    if (cxh_registry_at(reg, i)->plugin == p) return cxh_registry_at(reg, i);
  return NULL;
}

/* --NAME that no plugin of the run declares: say which plugin would take
 * it, when one would.  Returns EXIT_USAGE. */
static int unknown_option(const struct cli *cli, const struct cxh_registry *reg, const char *a,
                          const char *name, size_t len) {
  const char *cmd = cli->cmd == CMD_STATS ? "stats" : cli->cmd == CMD_CHECK ? "check" : "convert";
  for (size_t i = 0; i < cxh_registry_count(reg); i++) {
    const struct cxh_plugin_entry *e = cxh_registry_at(reg, i);
    if (cxh_entry_usable(e) && cxh_entry_option(e, name, len)) {
      cxr_usage_error("try 'cablex help convert'",
                      "unknown option '%s' for '%s' (plugin %s takes --%.*s; it is "
                      "not the reader or writer of this run)",
                      a, cmd, cli_dash(e->name), (int)len, name);
      return EXIT_USAGE;
    }
  }
  cxr_usage_error("try 'cablex --help'", "unknown option '%s' for '%s'", a, cmd);
  return EXIT_USAGE;
}

/* --NAME VALUE: the value at argv[at + 1] was taken for an input; takes
 * it back and returns "NAME=VALUE" (owned by cli), or NULL (reported). */
static const char *take_back_value(struct cli *cli, const char *a, const char *name, size_t len,
                                   int at) {
  size_t k = 0;
  while (k < cli->inputs.n && cli->inputs.v[k].at != at + 1)
    k++;
  if (k == cli->inputs.n) {
    cli_usage_error("%s needs a value", a);
    return NULL;
  }
  const char *value = cli->inputs.v[k].s;
  memmove(&cli->inputs.v[k], &cli->inputs.v[k + 1],
          (cli->inputs.n - k - 1) * sizeof *cli->inputs.v);
  cli->inputs.n--;
  char *s = malloc(len + strlen(value) + 2);
  char **o = realloc(cli->owned, (cli->nowned + 1) * sizeof *o);
  if (o) cli->owned = o;
  if (!s || !o) {
    free(s);
    cli_usage_error("%s", "out of memory");
    return NULL;
  }
  sprintf(s, "%.*s=%s", (int)len, name, value);
  cli->owned[cli->nowned++] = s;
  return s;
}

/* Turns each --NAME[=VALUE] cablex does not know into -O NAME[=VALUE] when
 * a plugin of this run declares NAME (cand: the reader, the writer, the
 * bundle writer, and without -f every reader, as detection may pick any).
 * A --NAME VALUE option takes the argument after it back from the inputs.
 * Returns EXIT_OK, or the exit status of a usage error (reported). */
static int plugin_options(struct cli *cli, const struct cxh_registry *reg,
                          const struct candidates *cand) {
  for (size_t u = 0; u < cli->unknown.n; u++) {
    const char *a = cli->unknown.v[u].s;
    int at = cli->unknown.v[u].at;
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct cx_option_doc *d = NULL;
    for (size_t k = 0; k < cand->n && !d; k++)
      d = cxh_entry_option(cand->v[k], name, len);
    if (!d) return unknown_option(cli, reg, a, name, len);
    const char *opt = name; /* "NAME" or "NAME=VALUE" as written */
    if (!eq && d->arg && !(opt = take_back_value(cli, a, name, len, at))) return EXIT_USAGE;
    /* keep command-line order: a later -O of the same name still wins */
    if (cli_push_arg(&cli->options, at, opt)) return cli_usage_error("%s", "out of memory");
    for (size_t k = cli->options.n - 1; k > 0 && cli->options.v[k - 1].at > at; k--) {
      struct arg t = cli->options.v[k];
      cli->options.v[k] = cli->options.v[k - 1];
      cli->options.v[k - 1] = t;
    }
  }
  return EXIT_OK;
}

/* The strings of args, in a new array (caller frees); NULL when empty. */
static const char **strings_of(const struct args *a, bool *oom) {
  if (!a->n) return NULL;
  const char **v = malloc(a->n * sizeof *v);
  if (!v) {
    *oom = true;
    return NULL;
  }
  for (size_t i = 0; i < a->n; i++)
    v[i] = a->v[i].s;
  return v;
}

/* A conversion killed by a signal leaves no temporary output behind: that
 * includes SIGPIPE (stderr or stdout read by a pipe that closed, as with
 * `2>&1 | head -1`) and SIGXFSZ (a file size limit). */
static void on_fatal_signal(int sig) {
  cx_ostream_remove_temps();
  signal(sig, SIG_DFL);
  raise(sig);
}

static void catch_fatal_signals(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    /* a signal ignored by whoever started us (nohup, a background job) stays ignored */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(sigs[i], &sa, NULL);
  }
}

static int run(struct cli *cli, struct cxh_registry *reg) {
  bool oom = false;
  const char **options = strings_of(&cli->options, &oom);
  const char **inputs = strings_of(&cli->inputs, &oom);
  int status = EXIT_USAGE;
  if (oom) {
    cli_usage_error("%s", "out of memory");
  } else {
    cli->conv.options = options;
    cli->conv.noptions = cli->options.n;
    cli->conv.inputs = inputs;
    cli->conv.ninputs = cli->inputs.n;
    cli->conv.where = cli->where;
    catch_fatal_signals();
    enum cxr_outcome o = cxr_run(reg, &cli->conv);
    status = o == CXR_DONE ? EXIT_OK : o == CXR_SOME_FAILED ? EXIT_FAILED : EXIT_USAGE;
  }
  free(options);
  free(inputs);
  return status;
}

/* Resolves the formats, the plugin options, then runs.  A format that
 * cannot be resolved is said after the option errors and the plugins
 * refused, as the run would. */
static int convert(struct cli *cli, struct cxh_registry *reg) {
  char err[CX_MSG_MAX + 256] = "";
  const struct cx_plugin *reader = NULL;
  struct cxh_output out;
  memset(&out, 0, sizeof out);
  int rc = cxh_choose_input(reg, cli->from, &reader, err, sizeof err);
  if (rc == CX_OK && !cli->conv.each)
    rc = cxh_choose_output(reg, cli->to, cli->output, &out, err, sizeof err);
  if (cli->conv.each) out.path = "-"; /* stats, check: no writer */
  struct candidates cand = {.n = 0};
  add_candidate(&cand, entry_of(reg, reader));
  add_candidate(&cand, entry_of(reg, out.writer));
  add_candidate(&cand, entry_of(reg, out.bundle));
  for (size_t i = 0; i < cxh_registry_count(reg) && !cli->from; i++) {
    const struct cxh_plugin_entry *e = cxh_registry_at(reg, i);
    if (cxh_entry_usable(e) && cxh_entry_has_kinds(e, CX_KIND_INPUT)) add_candidate(&cand, e);
  }
  int status = plugin_options(cli, reg, &cand);
  if (status != EXIT_OK) return status;
  for (size_t i = 0; i < cxh_registry_count(reg) && !cli->conv.quiet; i++) {
    const struct cxh_plugin_entry *e = cxh_registry_at(reg, i);
    if (e->status == CXH_PLUGIN_REFUSED)
      cxr_say("warning: plugin %s refused: %s", cli_dash(e->name), cli_dash(e->why));
  }
  if (cxh_registry_usable(reg) == 0) {
    cxr_usage_error(NULL, "%s", "no plugin could be loaded (see cablex plugins)");
    return EXIT_USAGE;
  }
  if (rc != CX_OK) {
    cxr_usage_error(NULL, "%s", err);
    return EXIT_USAGE;
  }
  cli->conv.reader = reader;
  cli->conv.output = &out;
  return run(cli, reg);
}

int cli_convert(struct cli *cli) {
  struct cxh_registry *reg = cli_open_registry(cli, cli->conv.quiet, true);
  if (!reg) return EXIT_USAGE;
  int status = convert(cli, reg);
  /* Every cable, reader and writer is gone, and the process ends: the
   * modules are left for exit to unmap. */
  cxh_registry_free_for_exit(reg);
  return status;
}
