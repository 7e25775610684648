/* main.c - the cablex command line: a thin layer over the registry and the
 * pipeline.  Arguments are parsed by hand (no getopt global state): global
 * options, a command, then the command's options; --plugin-dir is accepted
 * before or after the command. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/stream.h"
#include "cx_config.h"
#include "pipeline.h"
#include "registry.h"
#include "select.h"

enum command { CMD_NONE, CMD_CONVERT, CMD_PLUGINS, CMD_HELP, CMD_VERSION };

/* An argument and its place in argv: -O values and inputs keep their
 * place so that a plugin option given as --NAME VALUE can take its value
 * back from the inputs, and options stay in command-line order. */
struct arg {
  int at;
  const char *s;
};

struct args {
  struct arg *v;
  size_t n;
};

struct cli {
  enum command cmd;
  enum command help_for; /* cablex help CMD, cablex CMD --help */
  bool help;
  bool all; /* plugins --all */
  const char **plugin_dirs;
  size_t nplugin_dirs;
  struct args options; /* -O values, then the plugin options given as --NAME */
  struct args inputs;
  struct args unknown; /* --NAME[=VALUE] that may be a plugin's option */
  char **owned;        /* "NAME=VALUE" strings built from two arguments */
  size_t nowned;
  struct cx_select *where; /* every --where, ANDed */
  struct cx_convert_args conv;
};

static const char usage_text[] =
    "usage: cablex [--plugin-dir DIR]... COMMAND [ARGS]\n"
    "\n"
    "Converts US diplomatic cables between formats with plugins.\n"
    "\n"
    "commands:\n"
    "  convert [OPTIONS] [INPUT...]   convert files, directories or stdin\n"
    "  plugins [--all]                list the plugins found and their status\n"
    "  help [COMMAND]                 show help for a command\n"
    "\n"
    "options:\n"
    "  --plugin-dir DIR   look for plugins in DIR first (repeatable)\n"
    "  --version          print the version and the plugin ABI\n"
    "  -h, --help         show this help\n"
    "\n"
    "See cablex(1) for the details.\n";

static const char convert_text[] =
    "usage: cablex convert [-f FMT] [-t FMT] [-o OUT] [-O NAME[=VALUE]]... [--pretty]\n"
    "                      [-j N] [--where EXPR]... [--shard K/N] [--errors FILE]\n"
    "                      [--fail-fast | --keep-going] [--progress | --no-progress]\n"
    "                      [--max-cable-size BYTES] [-q] [INPUT...]\n"
    "\n"
    "Reads cables from each INPUT (a file, a directory read recursively, a bundle\n"
    "such as a .tar.gz or .zip, or - for stdin; none means stdin) and writes them to\n"
    "OUT.  gzip input is undone and an output name ending in .gz is compressed.\n"
    "\n"
    "options:\n"
    "  -f, --from FMT           read with plugin FMT (default: by extension, then content)\n"
    "  -t, --to FMT             write with plugin FMT (default: by the extension of\n"
    "                           OUT); BUNDLE:FMT writes a bundle of FMT entries, e.g.\n"
    "                           tar.gz:raw or zip:json\n"
    "  -o, --output OUT         a file, - for stdout (default), or a directory (existing,\n"
    "                           or written with a trailing /) for one file per cable\n"
    "  -O, --option NAME[=VAL]  pass an option to the plugins (repeatable)\n"
    "  --NAME[=VAL], --NAME VAL the same for an option the reader or writer declares\n"
    "                           (listed below), e.g. --group-by date\n"
    "  --pretty                 short for -O pretty\n"
    "  -j, --jobs N             convert with N workers (default 0: one per core)\n"
    "  --where EXPR             only the cables EXPR selects (repeatable: all must\n"
    "                           hold), e.g. 'classification=SECRET,origin=Tehran,\n"
    "                           year=2009'; fields id origin classification tag date\n"
    "                           released year subject; operators = != ~ < <= > >=;\n"
    "                           terms joined by , and or (see cablex(1))\n"
    "  --shard K/N              only shard K of N (by a hash of the id): N runs with\n"
    "                           K = 1..N split the cables between them\n"
    "  --errors FILE            write every error and warning as a JSON line to FILE\n"
    "  --keep-going             a cable that fails is reported and the rest converted,\n"
    "                           exit status 1 at the end (the default: one bad cable\n"
    "                           in a 250,000-cable bundle should not cost the others)\n"
    "  --fail-fast              stop at the first cable that fails\n"
    "  --progress               a progress line on stderr (default: when a terminal)\n"
    "  --no-progress            none\n"
    "  --max-cable-size BYTES   refuse cables larger than this (suffixes k, M, G;\n"
    "                           default 16M)\n"
    "  -q, --quiet              no warnings, progress or summary\n"
    "  --plugin-dir DIR         look for plugins in DIR first (repeatable)\n"
    "  -h, --help               show this help\n"
    "\n"
    "exit status: 0 all converted, 1 some cable or input failed (the rest were\n"
    "converted), 2 usage error or the output could not be written.\n";

static const char plugins_text[] =
    "usage: cablex plugins [--all]\n"
    "\n"
    "Lists every plugin found: name, kinds, extensions, ABI, file and status\n"
    "(loaded, refused and why, disabled).  --all also lists the plugins shadowed by\n"
    "an earlier one of the same name, and the directories searched.\n";

static int usage_error(const char *fmt, const char *arg) {
  fputs("cablex: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\ntry 'cablex --help'\n", stderr);
  return CX_EXIT_USAGE;
}

static enum command parse_command(const char *s) {
  if (strcmp(s, "convert") == 0) return CMD_CONVERT;
  if (strcmp(s, "plugins") == 0) return CMD_PLUGINS;
  if (strcmp(s, "help") == 0) return CMD_HELP;
  if (strcmp(s, "version") == 0) return CMD_VERSION;
  return CMD_NONE;
}

/* An option with a value: "--opt VALUE", "--opt=VALUE", or for a short
 * option "-xVALUE".  Returns the value (advancing *i) or NULL when it is
 * not this option; *missing is set when the value is missing. */
static const char *take_value(int argc, char **argv, int *i, const char *shortopt,
                              const char *longopt, bool *missing) {
  const char *a = argv[*i];
  size_t n = longopt ? strlen(longopt) : 0;
  if ((shortopt && strcmp(a, shortopt) == 0) || (longopt && strcmp(a, longopt) == 0)) {
    if (*i + 1 >= argc) {
      *missing = true;
      return NULL;
    }
    return argv[++*i];
  }
  if (longopt && strncmp(a, longopt, n) == 0 && a[n] == '=') return a + n + 1;
  if (shortopt && strncmp(a, shortopt, 2) == 0 && a[2]) return a + 2;
  return NULL;
}

static int push(const char ***v, size_t *n, const char *s) {
  const char **p = realloc(*v, (*n + 1) * sizeof *p);
  if (!p) return -1;
  p[(*n)++] = s;
  *v = p;
  return 0;
}

static int push_arg(struct args *a, int at, const char *s) {
  struct arg *p = realloc(a->v, (a->n + 1) * sizeof *p);
  if (!p) return -1;
  p[a->n].at = at;
  p[a->n++].s = s;
  a->v = p;
  return 0;
}

/* -j N: 0 (one worker per core) up to 4096. */
static bool parse_jobs(const char *s, unsigned *out) {
  unsigned v = 0;
  if (!*s || strlen(s) > 4) return false;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return false;
    v = v * 10 + (unsigned)(*p - '0');
  }
  if (v > 4096) return false;
  *out = v;
  return true;
}

/* A --where error: the message, then the expression with a caret under the
 * column at fault. */
static int where_error(const char *expr, const char *msg, size_t col) {
  fprintf(stderr, "cablex: bad --where expression: %s\n", msg);
  if (col > 0 && !strchr(expr, '\n')) {
    fprintf(stderr, "  %s\n  %*s^\n", expr, (int)(col - 1), "");
  }
  fputs("try 'cablex help convert'\n", stderr);
  return CX_EXIT_USAGE;
}

/* Fills cli from argv.  Returns -1 when all went well, else the exit status
 * (a usage error was printed). */
static int parse(int argc, char **argv, struct cli *cli) {
  bool only_inputs = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool missing = false;
    const char *v;

    if (only_inputs || a[0] != '-' || strcmp(a, "-") == 0) {
      if (cli->cmd == CMD_NONE) {
        cli->cmd = parse_command(a);
        if (cli->cmd == CMD_NONE) return usage_error("unknown command '%s'", a);
      } else if (cli->cmd == CMD_CONVERT) {
        if (push_arg(&cli->inputs, i, a)) return usage_error("%s", "out of memory");
      } else if (cli->cmd == CMD_HELP && cli->help_for == CMD_NONE) {
        cli->help_for = parse_command(a);
        if (cli->help_for == CMD_NONE) return usage_error("no help on '%s'", a);
      } else {
        return usage_error("unexpected argument '%s'", a);
      }
      continue;
    }

    if ((v = take_value(argc, argv, &i, NULL, "--plugin-dir", &missing))) {
      if (push(&cli->plugin_dirs, &cli->nplugin_dirs, v)) return usage_error("%s", "out of memory");
      continue;
    }
    if (missing) return usage_error("%s needs a value", a);
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      cli->help = true;
      continue;
    }
    if (cli->cmd == CMD_NONE) {
      if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        cli->cmd = CMD_VERSION;
        continue;
      }
      return usage_error("unknown option '%s'", a);
    }
    if (cli->cmd == CMD_PLUGINS) {
      if (strcmp(a, "--all") == 0 || strcmp(a, "-a") == 0) {
        cli->all = true;
        continue;
      }
      return usage_error("unknown option '%s' for 'plugins'", a);
    }
    if (cli->cmd != CMD_CONVERT) return usage_error("unknown option '%s'", a);

    struct cx_convert_args *c = &cli->conv;
    if (strcmp(a, "--") == 0) {
      only_inputs = true;
    } else if ((v = take_value(argc, argv, &i, "-f", "--from", &missing))) {
      c->from = v;
    } else if ((v = take_value(argc, argv, &i, "-t", "--to", &missing))) {
      c->to = v;
    } else if ((v = take_value(argc, argv, &i, "-o", "--output", &missing))) {
      if (!*v) return usage_error("%s", "-o needs a file or directory name");
      c->output = v;
    } else if ((v = take_value(argc, argv, &i, "-O", "--option", &missing))) {
      if (!*v || *v == '=') return usage_error("bad option '%s': expected NAME[=VALUE]", v);
      if (push_arg(&cli->options, i, v)) return usage_error("%s", "out of memory");
    } else if ((v = take_value(argc, argv, &i, NULL, "--max-cable-size", &missing))) {
      if (cx_parse_size(v, &c->max_cable_size) != CX_OK)
        return usage_error("bad --max-cable-size '%s': expected a positive number of bytes", v);
    } else if ((v = take_value(argc, argv, &i, "-j", "--jobs", &missing))) {
      if (!parse_jobs(v, &c->jobs))
        return usage_error("bad -j '%s': expected a number of workers, 0 to 4096", v);
    } else if ((v = take_value(argc, argv, &i, NULL, "--where", &missing))) {
      char err[CX_MSG_MAX];
      size_t col = 0;
      if (cx_select_add_col(&cli->where, v, err, sizeof err, &col) != CX_OK)
        return where_error(v, err, col);
    } else if ((v = take_value(argc, argv, &i, NULL, "--shard", &missing))) {
      char err[CX_MSG_MAX];
      if (cx_shard_parse(v, &c->shard_k, &c->shard_n, err, sizeof err) != CX_OK)
        return usage_error("%s", err);
    } else if ((v = take_value(argc, argv, &i, NULL, "--errors", &missing))) {
      if (!*v) return usage_error("%s", "--errors needs a file name");
      c->errors_path = v;
    } else if (missing) {
      return usage_error("%s needs a value", a);
    } else if (strcmp(a, "--pretty") == 0) {
      if (push_arg(&cli->options, i, "pretty")) return usage_error("%s", "out of memory");
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      c->quiet = true;
    } else if (strcmp(a, "--fail-fast") == 0) {
      c->fail_fast = true;
    } else if (strcmp(a, "--keep-going") == 0) {
      c->fail_fast = false;
    } else if (strcmp(a, "--progress") == 0) {
      c->progress = 1;
    } else if (strcmp(a, "--no-progress") == 0) {
      c->progress = 0;
    } else if (a[1] == '-' && a[2] && a[2] != '=') {
      /* perhaps an option of the reader or writer: known once they are loaded */
      if (push_arg(&cli->unknown, i, a)) return usage_error("%s", "out of memory");
    } else {
      return usage_error("unknown option '%s' for 'convert'", a);
    }
  }
  return -1;
}

/* Registry warnings are dropped under -q. */
static void quiet_report(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user;
  (void)ctx;
  (void)code;
  (void)msg;
}

static struct cx_registry *open_registry(const struct cli *cli, bool quiet) {
  struct cx_registry *reg = cx_registry_new(quiet ? quiet_report : NULL, NULL);
  if (!reg) {
    fputs("cablex: cannot start the plugin loader\n", stderr);
    return NULL;
  }
  int rc = CX_OK;
  for (size_t i = 0; i < cli->nplugin_dirs && rc == CX_OK; i++)
    rc = cx_registry_add_dir(reg, cli->plugin_dirs[i], true);
  if (rc == CX_OK) rc = cx_registry_add_default_dirs(reg);
  if (rc == CX_OK) rc = cx_registry_load(reg);
  if (rc != CX_OK) {
    fputs("cablex: out of memory while loading plugins\n", stderr);
    cx_registry_free(reg);
    return NULL;
  }
  return reg;
}

static const char *dash(const char *s) {
  return s && *s ? s : "-";
}

static const char *status_text(const struct cx_plugin_entry *e, char *buf, size_t size) {
  switch (e->status) {
  case CX_PLUGIN_LOADED:
    return "loaded";
  case CX_PLUGIN_DISABLED:
    return "disabled";
  case CX_PLUGIN_REFUSED:
    snprintf(buf, size, "refused: %s", dash(e->why));
    return buf;
  case CX_PLUGIN_SHADOWED:
    return dash(e->why);
  }
  return "?";
}

static int cmd_plugins(const struct cli *cli) {
  struct cx_registry *reg = open_registry(cli, false);
  if (!reg) return CX_EXIT_USAGE;
  static const char *const head[] = {"NAME", "KINDS", "EXTENSIONS", "ABI", "FILE", "STATUS"};
  size_t w[5];
  for (int k = 0; k < 5; k++)
    w[k] = strlen(head[k]);
  size_t rows = 0;
  for (size_t i = 0; i < cx_registry_count(reg); i++) {
    const struct cx_plugin_entry *e = cx_registry_at(reg, i);
    if (e->status == CX_PLUGIN_SHADOWED && !cli->all) continue;
    const char *cols[5] = {dash(e->name), dash(e->kinds), dash(e->extensions), dash(e->abi),
                           dash(e->file)};
    for (int k = 0; k < 5; k++)
      if (strlen(cols[k]) > w[k]) w[k] = strlen(cols[k]);
    rows++;
  }
  if (rows) {
    printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], head[0], (int)w[1], head[1], (int)w[2],
           head[2], (int)w[3], head[3], (int)w[4], head[4], head[5]);
    for (size_t i = 0; i < cx_registry_count(reg); i++) {
      const struct cx_plugin_entry *e = cx_registry_at(reg, i);
      if (e->status == CX_PLUGIN_SHADOWED && !cli->all) continue;
      char buf[CX_MSG_MAX + 16];
      printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], dash(e->name), (int)w[1],
             dash(e->kinds), (int)w[2], dash(e->extensions), (int)w[3], dash(e->abi), (int)w[4],
             dash(e->file), status_text(e, buf, sizeof buf));
    }
  } else {
    printf("no plugins found\n");
  }
  if (cli->all || !rows) {
    printf("\nsearched, in this order:\n");
    for (size_t i = 0; i < cx_registry_dir_count(reg); i++)
      printf("  %s\n", cx_registry_dir_at(reg, i));
  }
  cx_registry_free(reg);
  return fflush(stdout) == 0 && !ferror(stdout) ? CX_EXIT_OK : CX_EXIT_USAGE;
}

static void print_plugin_options(const struct cx_registry *reg) {
  bool any = false;
  for (size_t i = 0; i < cx_registry_count(reg); i++) {
    const struct cx_plugin_entry *e = cx_registry_at(reg, i);
    if (e->status != CX_PLUGIN_LOADED || !e->plugin->options || !e->plugin->options[0].name)
      continue;
    if (!any)
      printf("\nplugin options (-O NAME[=VALUE], or --NAME[=VALUE] for the reader or writer):\n");
    any = true;
    printf("  %s:\n", e->name);
    for (const struct cx_option_doc *d = e->plugin->options; d->name; d++) {
      char left[128];
      snprintf(left, sizeof left, "%s%s%s", d->name, d->arg ? "=" : "", d->arg ? d->arg : "");
      /* a long NAME=VALUE gets its help on the next line, still aligned */
      if (strlen(left) > 22)
        printf("    %s\n    %-22s %s\n", left, "", d->help ? d->help : "");
      else
        printf("    %-22s %s\n", left, d->help ? d->help : "");
    }
  }
  if (!any) printf("\nno loaded plugin takes options (see cablex plugins)\n");
}

static int cmd_help(const struct cli *cli, enum command which) {
  if (which == CMD_CONVERT) {
    fputs(convert_text, stdout);
    struct cx_registry *reg = open_registry(cli, false);
    if (reg) {
      print_plugin_options(reg);
      cx_registry_free(reg);
    }
  } else if (which == CMD_PLUGINS) {
    fputs(plugins_text, stdout);
  } else if (which == CMD_VERSION) {
    fputs("usage: cablex --version\n", stdout);
  } else {
    fputs(usage_text, stdout);
  }
  return fflush(stdout) == 0 && !ferror(stdout) ? CX_EXIT_OK : CX_EXIT_USAGE;
}

/* A conversion killed by a signal leaves no temporary output behind. */
static void on_fatal_signal(int sig) {
  cx_ostream_remove_temps();
  signal(sig, SIG_DFL);
  raise(sig);
}

static void catch_fatal_signals(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
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

/* Adds plugin p to the candidates unless it is there already. */
static void add_candidate(const struct cx_plugin **cand, size_t *n, size_t max,
                          const struct cx_plugin *p) {
  if (!p || *n >= max) return;
  for (size_t i = 0; i < *n; i++)
    if (cand[i] == p) return;
  cand[(*n)++] = p;
}

/* The plugins a format names: each part of "tar.gz:raw", by name or by
 * extension. */
static void add_format(const struct cx_registry *reg, const char *fmt, unsigned kinds,
                       const struct cx_plugin **cand, size_t *n, size_t max) {
  char part[128];
  while (fmt && *fmt) {
    const char *colon = strchr(fmt, ':');
    size_t len = colon ? (size_t)(colon - fmt) : strlen(fmt);
    if (len < sizeof part) {
      memcpy(part, fmt, len);
      part[len] = '\0';
      const struct cx_plugin *p = cx_registry_find(reg, part, 0);
      add_candidate(cand, n, max, p ? p : cx_registry_by_ext(reg, part, kinds));
    }
    fmt = colon ? colon + 1 : NULL;
  }
}

static const struct cx_option_doc *declared(const struct cx_plugin *p, const char *name,
                                            size_t len) {
  for (const struct cx_option_doc *d = p->options; d && d->name; d++)
    if (strlen(d->name) == len && strncmp(d->name, name, len) == 0) return d;
  return NULL;
}

/* Turns each --NAME[=VALUE] cablex does not know into -O NAME[=VALUE] when
 * a plugin of this run declares NAME: the -f and -t plugins (every part of
 * BUNDLE:FMT), the plugins OUT's extensions name, and
 * without -f every reader (detection may pick any).  A --NAME VALUE
 * option takes the argument after it back from the inputs.  Returns -1 or
 * the exit status of a usage error. */
static int plugin_options(struct cli *cli, const struct cx_registry *reg) {
  enum { MAXC = 64 };
  const struct cx_plugin *cand[MAXC];
  size_t nc = 0;
  const struct cx_convert_args *c = &cli->conv;
  add_format(reg, c->from, CX_KIND_INPUT, cand, &nc, MAXC);
  add_format(reg, c->to, CX_KIND_OUTPUT, cand, &nc, MAXC);
  if (c->output) { /* -o x.tar.gz -t raw: the bundle writer is in the run too */
    /* every dotted suffix and every part of the base name: x.tar.gz, x.jsonl.gz */
    const char *base = strrchr(c->output, '/');
    base = base ? base + 1 : c->output;
    for (const char *d = strchr(base, '.'); d; d = strchr(d + 1, '.')) {
      add_format(reg, d + 1, CX_KIND_OUTPUT, cand, &nc, MAXC);
      char part[128];
      size_t len = strcspn(d + 1, ".");
      if (len < sizeof part) {
        memcpy(part, d + 1, len);
        part[len] = '\0';
        add_candidate(cand, &nc, MAXC, cx_registry_by_ext(reg, part, CX_KIND_OUTPUT));
      }
    }
  }
  if (!c->from) {
    for (size_t i = 0; i < cx_registry_count(reg); i++) {
      const struct cx_plugin_entry *e = cx_registry_at(reg, i);
      if (e->status == CX_PLUGIN_LOADED && (e->plugin->kinds & CX_KIND_INPUT))
        add_candidate(cand, &nc, MAXC, e->plugin);
    }
  }

  for (size_t u = 0; u < cli->unknown.n; u++) {
    const char *a = cli->unknown.v[u].s;
    int at = cli->unknown.v[u].at;
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct cx_option_doc *d = NULL;
    for (size_t k = 0; k < nc && !d; k++)
      d = declared(cand[k], name, len);
    if (!d) {
      /* say which plugin would take it, when one would */
      for (size_t i = 0; i < cx_registry_count(reg); i++) {
        const struct cx_plugin_entry *e = cx_registry_at(reg, i);
        if (e->status == CX_PLUGIN_LOADED && declared(e->plugin, name, len)) {
          fprintf(stderr,
                  "cablex: unknown option '%s' for 'convert' (plugin %s takes --%.*s; it is "
                  "not the reader or writer of this run)\ntry 'cablex help convert'\n",
                  a, dash(e->name), (int)len, name);
          return CX_EXIT_USAGE;
        }
      }
      return usage_error("unknown option '%s' for 'convert'", a);
    }
    const char *opt = name; /* "NAME" or "NAME=VALUE" as written */
    if (!eq && d->arg) {
      /* --NAME VALUE: the value was taken for an input */
      size_t k = 0;
      while (k < cli->inputs.n && cli->inputs.v[k].at != at + 1)
        k++;
      if (k == cli->inputs.n) return usage_error("%s needs a value", a);
      const char *value = cli->inputs.v[k].s;
      memmove(&cli->inputs.v[k], &cli->inputs.v[k + 1],
              (cli->inputs.n - k - 1) * sizeof *cli->inputs.v);
      cli->inputs.n--;
      char *s = malloc(len + strlen(value) + 2);
      char **o = realloc(cli->owned, (cli->nowned + 1) * sizeof *o);
      if (o) cli->owned = o;
      if (!s || !o) {
        free(s);
        return usage_error("%s", "out of memory");
      }
      sprintf(s, "%.*s=%s", (int)len, name, value);
      cli->owned[cli->nowned++] = s;
      opt = s;
    }
    /* keep command-line order: a later -O of the same name still wins */
    if (push_arg(&cli->options, at, opt)) return usage_error("%s", "out of memory");
    for (size_t k = cli->options.n - 1; k > 0 && cli->options.v[k - 1].at > at; k--) {
      struct arg t = cli->options.v[k];
      cli->options.v[k] = cli->options.v[k - 1];
      cli->options.v[k - 1] = t;
    }
  }
  return -1;
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

static int cmd_convert(struct cli *cli) {
  struct cx_registry *reg = open_registry(cli, cli->conv.quiet);
  if (!reg) return CX_EXIT_USAGE;
  int status = plugin_options(cli, reg);
  if (status >= 0) {
    cx_registry_free(reg);
    return status;
  }
  if (!cli->conv.quiet) {
    for (size_t i = 0; i < cx_registry_count(reg); i++) {
      const struct cx_plugin_entry *e = cx_registry_at(reg, i);
      if (e->status == CX_PLUGIN_REFUSED)
        fprintf(stderr, "cablex: warning: plugin %s refused: %s\n", dash(e->name), dash(e->why));
    }
  }
  bool oom = false;
  const char **options = strings_of(&cli->options, &oom);
  const char **inputs = strings_of(&cli->inputs, &oom);
  if (oom) {
    free(options);
    free(inputs);
    cx_registry_free(reg);
    return usage_error("%s", "out of memory");
  }
  cli->conv.options = options;
  cli->conv.noptions = cli->options.n;
  cli->conv.inputs = inputs;
  cli->conv.ninputs = cli->inputs.n;
  cli->conv.where = cli->where;
  catch_fatal_signals();
  status = cx_convert(reg, &cli->conv);
  /* Every cable, reader and writer is gone: the modules may be unloaded. */
  cx_registry_free(reg);
  free(options);
  free(inputs);
  return status;
}

int main(int argc, char **argv) {
  struct cli cli;
  memset(&cli, 0, sizeof cli);
  cli.conv.progress = -1; /* auto: on when stderr is a terminal */
  int status = parse(argc, argv, &cli);
  if (status < 0) {
    if (cli.cmd == CMD_NONE && !cli.help) {
      fputs(usage_text, stderr);
      status = CX_EXIT_USAGE;
    } else if (cli.help && cli.cmd != CMD_HELP) {
      status = cmd_help(&cli, cli.cmd);
    } else {
      switch (cli.cmd) {
      case CMD_VERSION:
        printf("cablex %s (plugin ABI %d.%d)\n", CX_VERSION, CX_ABI_MAJOR, CX_ABI_MINOR);
        status = fflush(stdout) == 0 && !ferror(stdout) ? CX_EXIT_OK : CX_EXIT_USAGE;
        break;
      case CMD_HELP:
        status = cmd_help(&cli, cli.help_for);
        break;
      case CMD_PLUGINS:
        status = cmd_plugins(&cli);
        break;
      case CMD_CONVERT:
        status = cmd_convert(&cli);
        break;
      case CMD_NONE:
        status = cmd_help(&cli, CMD_NONE);
        break;
      }
    }
  }
  free(cli.plugin_dirs);
  free(cli.options.v);
  free(cli.inputs.v);
  free(cli.unknown.v);
  for (size_t i = 0; i < cli.nowned; i++)
    free(cli.owned[i]);
  free(cli.owned);
  cx_select_free(cli.where);
  return status;
}
