/* cli.h - what the files of the command line share (internal to core/cli/):
 * main.c parses argv, usage.c holds the help texts and `cablex plugins`,
 * convert.c runs `cablex convert`.
 *
 * Ownership: struct cli lives in main() and owns its arrays and the
 * "NAME=VALUE" strings in owned; the strings in them are argv's.
 */
#ifndef CX_CLI_H
#define CX_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "registry.h"
#include "run.h"

/* Exit statuses (cablex(1)). */
enum {
  EXIT_OK = 0,     /* everything converted (warnings allowed) */
  EXIT_FAILED = 1, /* some cable or input failed; the rest converted */
  EXIT_USAGE = 2   /* usage error, no plugin, or the output could not be written */
};

enum command { CMD_NONE, CMD_CONVERT, CMD_PLUGINS, CMD_HELP, CMD_VERSION, CMD_STATS, CMD_CHECK };

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

/* The options of stats and check (workbench.c). */
struct workbench {
  const char *by;     /* stats --by DIM,... */
  const char *format; /* --format text|csv|json */
  const char *svg;    /* stats --svg FILE */
  const char *chart;  /* stats --chart years|origins */
  unsigned top;       /* stats --top N (0: 20) */
};

struct cli {
  enum command cmd;
  enum command help_for; /* cablex help CMD, cablex CMD --help */
  bool help;
  bool all; /* plugins --all */
  const char **plugin_dirs;
  size_t nplugin_dirs;
  const char *from, *to, *output; /* -f, -t, -o */
  struct args options;            /* -O values, then the plugin options given as --NAME */
  struct args inputs;
  struct args unknown; /* --NAME[=VALUE] that may be a plugin's option */
  char **owned;        /* "NAME=VALUE" strings built from two arguments */
  size_t nowned;
  struct cxr_select *where; /* every --where, ANDed */
  const char **filters;     /* every --filter, in order */
  size_t nfilters;
  struct workbench wb; /* stats and check */
  struct cxr_run_args conv;
};

/* Says "cablex: MESSAGE" and "try 'cablex --help'"; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, const char *arg);
int cli_push_arg(struct args *a, int at, const char *s);
/* An option with a value at argv[*i]: "--opt VALUE", "--opt=VALUE", or for
 * a short option "-xVALUE".  The value (advancing *i), or NULL when it is
 * not this option; *missing is set when the value is missing. */
const char *cli_take_value(int argc, char **argv, int *i, const char *shortopt, const char *longopt,
                           bool *missing);
/* s, or "-" when it is NULL or empty (for listings). */
const char *cli_dash(const char *s);

/* The registry with every --plugin-dir and the default directories.
 * quiet drops its warnings; lazy opens a module only when a run chooses it
 * (cxh_registry_scan), else every module is loaded.  NULL (reported) when
 * it cannot start. */
struct cxh_registry *cli_open_registry(const struct cli *cli, bool quiet, bool lazy);

/* usage.c */
extern const char cli_usage_text[];
int cli_help(const struct cli *cli, enum command which);
int cli_plugins(const struct cli *cli);

/* convert.c: convert, and the run under stats and check (cli->conv.each) */
int cli_convert(struct cli *cli);

/* workbench.c */
extern const char cli_stats_text[];
extern const char cli_check_text[];
/* One option of stats or check at argv[*i]: EXIT_OK (taken, *i advanced),
 * -1 (not one of theirs), or a usage error's status (reported). */
int cli_workbench_option(int argc, char **argv, int *i, struct cli *cli);
/* --filter CMD, --filter-timeout SECONDS (convert, stats, check): the
 * same three answers. */
int cli_filter_option(int argc, char **argv, int *i, struct cli *cli);
int cli_stats(struct cli *cli);
int cli_check(struct cli *cli);

#endif
