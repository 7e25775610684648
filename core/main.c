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

enum command { CMD_NONE, CMD_CONVERT, CMD_PLUGINS, CMD_HELP, CMD_VERSION };

struct cli {
  enum command cmd;
  enum command help_for; /* cablex help CMD, cablex CMD --help */
  bool help;
  bool all; /* plugins --all */
  const char **plugin_dirs;
  size_t nplugin_dirs;
  const char **options; /* -O values */
  size_t noptions;
  const char **inputs;
  size_t ninputs;
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
    "                      [--max-cable-size BYTES] [-q] [INPUT...]\n"
    "\n"
    "Reads cables from each INPUT (a file, a directory read recursively, or - for\n"
    "stdin; none means stdin) and writes them to OUT.  gzip input is undone and an\n"
    "output name ending in .gz is compressed.\n"
    "\n"
    "options:\n"
    "  -f, --from FMT           read with plugin FMT (default: by extension, then content)\n"
    "  -t, --to FMT             write with plugin FMT (default: by the extension of OUT)\n"
    "  -o, --output OUT         a file, - for stdout (default), or a directory (existing,\n"
    "                           or written with a trailing /) for one file per cable\n"
    "  -O, --option NAME[=VAL]  pass an option to the plugins (repeatable)\n"
    "  --pretty                 short for -O pretty\n"
    "  --max-cable-size BYTES   refuse cables larger than this (suffixes k, M, G;\n"
    "                           default 16M)\n"
    "  -q, --quiet              no warnings, progress or summary\n"
    "  --plugin-dir DIR         look for plugins in DIR first (repeatable)\n"
    "  -h, --help               show this help\n";

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
        if (push(&cli->inputs, &cli->ninputs, a)) return usage_error("%s", "out of memory");
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
      if (push(&cli->options, &cli->noptions, v)) return usage_error("%s", "out of memory");
    } else if ((v = take_value(argc, argv, &i, NULL, "--max-cable-size", &missing))) {
      if (cx_parse_size(v, &c->max_cable_size) != CX_OK)
        return usage_error("bad --max-cable-size '%s': expected a positive number of bytes", v);
    } else if (missing) {
      return usage_error("%s needs a value", a);
    } else if (strcmp(a, "--pretty") == 0) {
      if (push(&cli->options, &cli->noptions, "pretty")) return usage_error("%s", "out of memory");
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      c->quiet = true;
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
    if (!any) printf("\nplugin options (-O NAME[=VALUE]):\n");
    any = true;
    printf("  %s:\n", e->name);
    for (const struct cx_option_doc *d = e->plugin->options; d->name; d++) {
      char left[128];
      snprintf(left, sizeof left, "%s%s%s", d->name, d->arg ? "=" : "", d->arg ? d->arg : "");
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

static int cmd_convert(struct cli *cli) {
  struct cx_registry *reg = open_registry(cli, cli->conv.quiet);
  if (!reg) return CX_EXIT_USAGE;
  if (!cli->conv.quiet) {
    for (size_t i = 0; i < cx_registry_count(reg); i++) {
      const struct cx_plugin_entry *e = cx_registry_at(reg, i);
      if (e->status == CX_PLUGIN_REFUSED)
        fprintf(stderr, "cablex: warning: plugin %s refused: %s\n", dash(e->name), dash(e->why));
    }
  }
  cli->conv.options = cli->options;
  cli->conv.noptions = cli->noptions;
  cli->conv.inputs = cli->inputs;
  cli->conv.ninputs = cli->ninputs;
  catch_fatal_signals();
  int status = cx_convert(reg, &cli->conv);
  /* Every cable, reader and writer is gone: the modules may be unloaded. */
  cx_registry_free(reg);
  return status;
}

int main(int argc, char **argv) {
  struct cli cli;
  memset(&cli, 0, sizeof cli);
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
  free(cli.options);
  free(cli.inputs);
  return status;
}
