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
  const char *from, *to, *output; /* -f, -t, -o */
  struct args options;            /* -O values, then the plugin options given as --NAME */
  struct args inputs;
  struct args unknown; /* --NAME[=VALUE] that may be a plugin's option */
  char **owned;        /* "NAME=VALUE" strings built from two arguments */
  size_t nowned;
  struct cxr_select *where; /* every --where, ANDed */
  struct cxr_run_args conv;
};

/* Says "cablex: MESSAGE" and "try 'cablex --help'"; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, const char *arg);
int cli_push_arg(struct args *a, int at, const char *s);
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

/* convert.c */
int cli_convert(struct cli *cli);

#endif
