/* main.c - the cablex command line: parses argv by hand (no getopt global
 * state): global options, a command, then the command's options;
 * --plugin-dir is accepted before or after the command.  The commands are
 * in convert.c and usage.c. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"
#include "cx_config.h"
#include "select.h"

int cli_usage_error(const char *fmt, const char *arg) {
  cxr_usage_error("try 'cablex --help'", fmt, arg);
  return EXIT_USAGE;
}

static enum command parse_command(const char *s) {
  if (strcmp(s, "convert") == 0) return CMD_CONVERT;
  if (strcmp(s, "plugins") == 0) return CMD_PLUGINS;
  if (strcmp(s, "help") == 0) return CMD_HELP;
  if (strcmp(s, "version") == 0) return CMD_VERSION;
  if (strcmp(s, "stats") == 0) return CMD_STATS;
  if (strcmp(s, "check") == 0) return CMD_CHECK;
  return CMD_NONE;
}

/* An option with a value: "--opt VALUE", "--opt=VALUE", or for a short
 * option "-xVALUE".  Returns the value (advancing *i) or NULL when it is
 * not this option; *missing is set when the value is missing. */
const char *cli_take_value(int argc, char **argv, int *i, const char *shortopt, const char *longopt,
                           bool *missing) {
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

int cli_push_arg(struct args *a, int at, const char *s) {
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
  return EXIT_USAGE;
}

/* Whether a is -t, --to or --pretty (with its value, if given in a). */
static bool writer_option(const char *a) {
  return !strcmp(a, "--pretty") || !strncmp(a, "-t", 2) || !strcmp(a, "--to") ||
         !strncmp(a, "--to=", 5);
}

/* One option of convert at argv[*i] (advancing *i past its value).
 * Returns EXIT_OK, or the exit status of a usage error (reported). */
static int parse_convert_option(int argc, char **argv, int *ip, struct cli *cli) {
  struct cxr_run_args *c = &cli->conv;
  const char *a = argv[*ip];
  bool missing = false;
  const char *v;
  int i = *ip;
  if ((v = cli_take_value(argc, argv, &i, "-f", "--from", &missing))) {
    cli->from = v;
  } else if (cli->cmd != CMD_CONVERT && writer_option(a)) {
    /* stats and check write no cables: a writer's option is a mistake */
    return cli_usage_error(cli->cmd == CMD_STATS ? "unknown option '%s' for 'stats'"
                                                 : "unknown option '%s' for 'check'",
                           a);
  } else if ((v = cli_take_value(argc, argv, &i, "-t", "--to", &missing))) {
    cli->to = v;
  } else if ((v = cli_take_value(argc, argv, &i, "-o", "--output", &missing))) {
    if (!*v) return cli_usage_error("%s", "-o needs a file or directory name");
    cli->output = v;
  } else if ((v = cli_take_value(argc, argv, &i, "-O", "--option", &missing))) {
    if (!*v || *v == '=') return cli_usage_error("bad option '%s': expected NAME[=VALUE]", v);
    if (cli_push_arg(&cli->options, i, v)) return cli_usage_error("%s", "out of memory");
  } else if ((v = cli_take_value(argc, argv, &i, NULL, "--max-cable-size", &missing))) {
    if (cx_parse_size(v, &c->max_cable_size) != CX_OK)
      return cli_usage_error("bad --max-cable-size '%s': expected a positive number of bytes", v);
  } else if ((v = cli_take_value(argc, argv, &i, "-j", "--jobs", &missing))) {
    if (!parse_jobs(v, &c->jobs))
      return cli_usage_error("bad -j '%s': expected a number of workers, 0 to 4096", v);
  } else if ((v = cli_take_value(argc, argv, &i, NULL, "--where", &missing))) {
    char err[CX_MSG_MAX];
    size_t col = 0;
    if (cxr_select_add_col(&cli->where, v, err, sizeof err, &col) != CX_OK)
      return where_error(v, err, col);
  } else if ((v = cli_take_value(argc, argv, &i, NULL, "--shard", &missing))) {
    char err[CX_MSG_MAX];
    if (cxr_shard_parse(v, &c->shard_k, &c->shard_n, err, sizeof err) != CX_OK)
      return cli_usage_error("%s", err);
  } else if ((v = cli_take_value(argc, argv, &i, NULL, "--include", &missing)) ||
             (v = cli_take_value(argc, argv, &i, NULL, "--exclude", &missing))) {
    bool inc = strncmp(argv[*ip], "--include", 9) == 0;
    if (!*v) return cli_usage_error("%s needs a GLOB", inc ? "--include" : "--exclude");
    if (inc ? push(&c->includes, &c->nincludes, v) : push(&c->excludes, &c->nexcludes, v))
      return cli_usage_error("%s", "out of memory");
  } else if ((v = cli_take_value(argc, argv, &i, NULL, "--errors", &missing))) {
    if (!*v) return cli_usage_error("%s", "--errors needs a file name");
    c->errors_path = v;
  } else if (missing) {
    return cli_usage_error("%s needs a value", a);
  } else if (strcmp(a, "--pretty") == 0) {
    if (cli_push_arg(&cli->options, i, "pretty")) return cli_usage_error("%s", "out of memory");
  } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
    c->quiet = true;
  } else if (strcmp(a, "--follow-symlinks") == 0) {
    c->follow_symlinks = true;
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
    if (cli_push_arg(&cli->unknown, i, a)) return cli_usage_error("%s", "out of memory");
  } else {
    return cli_usage_error(cli->cmd == CMD_STATS   ? "unknown option '%s' for 'stats'"
                           : cli->cmd == CMD_CHECK ? "unknown option '%s' for 'check'"
                                                   : "unknown option '%s' for 'convert'",
                           a);
  }
  *ip = i;
  return EXIT_OK;
}

/* Sets *status to a usage error's exit status; returns false. */
static bool failed(int *status, int code) {
  *status = code;
  return false;
}

/* Fills cli from argv.  Returns true when all went well, else false with
 * *status set to the exit status (a usage error was printed). */
static bool parse(int argc, char **argv, struct cli *cli, int *status) {
  bool only_inputs = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool missing = false;
    const char *v;

    if (only_inputs || a[0] != '-' || strcmp(a, "-") == 0) {
      if (cli->cmd == CMD_NONE) {
        cli->cmd = parse_command(a);
        if (cli->cmd == CMD_NONE) return failed(status, cli_usage_error("unknown command '%s'", a));
      } else if (cli->cmd == CMD_CONVERT || cli->cmd == CMD_STATS || cli->cmd == CMD_CHECK) {
        if (cli_push_arg(&cli->inputs, i, a))
          return failed(status, cli_usage_error("%s", "out of memory"));
      } else if (cli->cmd == CMD_HELP && cli->help_for == CMD_NONE) {
        cli->help_for = parse_command(a);
        if (cli->help_for == CMD_NONE) return failed(status, cli_usage_error("no help on '%s'", a));
      } else {
        return failed(status, cli_usage_error("unexpected argument '%s'", a));
      }
      continue;
    }

    if ((v = cli_take_value(argc, argv, &i, NULL, "--plugin-dir", &missing))) {
      if (push(&cli->plugin_dirs, &cli->nplugin_dirs, v))
        return failed(status, cli_usage_error("%s", "out of memory"));
      continue;
    }
    if (missing) return failed(status, cli_usage_error("%s needs a value", a));
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      cli->help = true;
      continue;
    }
    if (cli->cmd == CMD_NONE) {
      if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        cli->cmd = CMD_VERSION;
        continue;
      }
      return failed(status, cli_usage_error("unknown option '%s'", a));
    }
    if (cli->cmd == CMD_PLUGINS) {
      if (strcmp(a, "--all") == 0 || strcmp(a, "-a") == 0) {
        cli->all = true;
        continue;
      }
      return failed(status, cli_usage_error("unknown option '%s' for 'plugins'", a));
    }
    bool workbench = cli->cmd == CMD_STATS || cli->cmd == CMD_CHECK;
    if (cli->cmd != CMD_CONVERT && !workbench)
      return failed(status, cli_usage_error("unknown option '%s'", a));
    if (strcmp(a, "--") == 0) {
      only_inputs = true;
      continue;
    }
    int wrc = workbench ? cli_workbench_option(argc, argv, &i, cli) : -1;
    if (wrc < 0) wrc = cli_filter_option(argc, argv, &i, cli);
    if (wrc > 0) return failed(status, wrc);
    if (wrc == EXIT_OK) continue;
    if ((*status = parse_convert_option(argc, argv, &i, cli)) != EXIT_OK) return false;
  }
  return true;
}

/* Registry warnings are dropped under -q. */
static void quiet_report(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user;
  (void)ctx;
  (void)code;
  (void)msg;
}

struct cxh_registry *cli_open_registry(const struct cli *cli, bool quiet, bool lazy) {
  struct cxh_registry *reg = cxh_registry_new(quiet ? quiet_report : NULL, NULL);
  if (!reg) {
    fputs("cablex: cannot start the plugin loader\n", stderr);
    return NULL;
  }
  int rc = CX_OK;
  for (size_t i = 0; i < cli->nplugin_dirs && rc == CX_OK; i++)
    rc = cxh_registry_add_dir(reg, cli->plugin_dirs[i], true);
  if (rc == CX_OK) rc = cxh_registry_add_default_dirs(reg);
  if (rc == CX_OK) rc = lazy ? cxh_registry_scan(reg) : cxh_registry_load(reg);
  if (rc != CX_OK) {
    fputs("cablex: out of memory while loading plugins\n", stderr);
    cxh_registry_free(reg);
    return NULL;
  }
  return reg;
}

/* A run frees and allocates the same few buffers once per cable.  glibc
 * gives the top of the heap back to the kernel whenever more than 128 KiB
 * of it is free and maps every block over its (moving) mmap threshold
 * anew: thousands of brk calls and page faults per corpus, a tenth of the
 * time of tar.gz -> jsonl.  Fixed thresholds keep buffers of up to 4 MiB
 * on the heap and up to 8 MiB of free heap for the next cable; larger
 * blocks are still mapped and unmapped at once.  The program sets this,
 * not the library: an embedding program keeps its own policy. */
static void tune_malloc(void) {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 8 << 20);
#endif
}

int main(int argc, char **argv) {
  tune_malloc();
  struct cli cli;
  memset(&cli, 0, sizeof cli);
  cli.conv.progress = -1; /* auto: on when stderr is a terminal */
  int status = EXIT_OK;
  if (parse(argc, argv, &cli, &status)) {
    if (cli.cmd == CMD_NONE && !cli.help) {
      fputs(cli_usage_text, stderr);
      status = EXIT_USAGE;
    } else if (cli.help && cli.cmd != CMD_HELP) {
      status = cli_help(&cli, cli.cmd);
    } else {
      switch (cli.cmd) {
      case CMD_VERSION:
        printf("cablex %s (plugin ABI %d.%d)\n", CX_VERSION, CX_ABI_MAJOR, CX_ABI_MINOR);
        status = fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_USAGE;
        break;
      case CMD_HELP:
        status = cli_help(&cli, cli.help_for);
        break;
      case CMD_PLUGINS:
        status = cli_plugins(&cli);
        break;
      case CMD_CONVERT:
        status = cli_convert(&cli);
        break;
      case CMD_STATS:
        status = cli_stats(&cli);
        break;
      case CMD_CHECK:
        status = cli_check(&cli);
        break;
      case CMD_NONE:
        status = cli_help(&cli, CMD_NONE);
        break;
      }
    }
  }
  free(cli.plugin_dirs);
  free(cli.options.v);
  free(cli.inputs.v);
  free(cli.unknown.v);
  free(cli.filters);
  free(cli.conv.includes);
  free(cli.conv.excludes);
  for (size_t i = 0; i < cli.nowned; i++)
    free(cli.owned[i]);
  free(cli.owned);
  cxr_select_free(cli.where);
  return status;
}
