/* workbench.c - `cablex stats`, `cablex check` and the --filter options of
 * the command line.  Both commands run a conversion without a writer
 * (cxr_run_args.each): every cable that passes --where, --shard and
 * --filter is counted (run/stats.c) or linted (run/check.c) on the writing
 * side, in input order, and the result goes to stdout or -o. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "stats.h"

/* The end of the options of stats and check: what they take of convert's. */
#define READING_OPTIONS                                                                            \
  "  -h, --help               show this help\n"                                                    \
  "\n"                                                                                             \
  "convert's reading options, as for convert (cablex help convert):\n"                             \
  "  -f, --from FMT, -j, --jobs N, --where EXPR, --shard K/N, --include GLOB,\n"                   \
  "  --exclude GLOB, --follow-symlinks, --filter CMD, --filter-timeout SECONDS,\n"                 \
  "  --max-cable-size BYTES, --errors FILE, --keep-going, --fail-fast,\n"                          \
  "  --progress, --no-progress, -q, --quiet, -O, --option NAME[=VALUE], a\n"                       \
  "  reader's --NAME[=VALUE] (--max-entry-size ...), --plugin-dir DIR, --\n"

/* READING_OPTIONS on a line of its own: */
/* clang-format off */
const char cli_stats_text[] =
    "usage: cablex stats [--by DIM[,DIM]...] [--format text|csv|json] [-o FILE]\n"
    "                    [--svg FILE [--chart years|origins] [--top N]]\n"
    "                    [convert's reading options] [INPUT...]\n"
    "\n"
    "Counts the cables of the inputs (anything convert reads) by year, origin,\n"
    "classification and tag (a cable counts once under each of its tags).\n"
    "\n"
    "options:\n"
    "  --by DIM[,DIM]...        one cross-tab instead of the four tables; DIM is year,\n"
    "                           origin, classification or tag\n"
    "  --format FMT             text (an aligned table, the default; two dimensions\n"
    "                           as a matrix), csv or json\n"
    "  -o, --output FILE        write the tables to FILE (default: stdout)\n"
    "  --svg FILE               also draw a chart as a standalone SVG document\n"
    "  --chart years|origins    cables per year stacked by classification (default),\n"
    "                           or the top origins\n"
    "  --top N                  how many origins --chart origins shows (default 20)\n"
    READING_OPTIONS
    "\n"
    "exit status: 0 all read, 1 some cable or input failed, 2 usage error or the\n"
    "output could not be written.\n";

const char cli_check_text[] =
    "usage: cablex check [--format text|json] [-o FILE] [convert's reading options]\n"
    "                    [INPUT...]\n"
    "\n"
    "Lints the cables of the inputs, one finding per line (FILE: ID, line N: CODE:\n"
    "message; the line of the telegram, header then body):\n"
    "  id-serial        the id's number is not the DE line's serial\n"
    "  id-year          the id's year is not the DTG's\n"
    "  created-dtg      created is not the DTG's date and hour\n"
    "  class-banner     the classification is not the security line's (ZNY CCCCC)\n"
    "  class-paragraph  a paragraph is marked above the cable's classification\n"
    "  self-reference   a reference names the cable itself\n"
    "  no-subject       no SUBJECT line\n"
    "  no-tags          no TAGS line\n"
    "  duplicate-id     the id was seen earlier in the run\n"
    "\n"
    "options:\n"
    "  --format FMT             text (the default) or json (one object per finding\n"
    "                           per line: code, cable, file, entry, line, message;\n"
    "                           line is null for a finding about the whole cable)\n"
    "  -o, --output FILE        write the findings to FILE (default: stdout)\n"
    READING_OPTIONS
    "\n"
    "exit status: 0 nothing found, 1 something found (or a cable or input failed),\n"
    "2 usage error or the output could not be written.\n";
/* clang-format on */

int cli_filter_option(int argc, char **argv, int *ip, struct cli *cli) {
  bool missing = false;
  int i = *ip;
  const char *v;
  if ((v = cli_take_value(argc, argv, &i, NULL, "--filter", &missing))) {
    if (!*v) return cli_usage_error("%s", "--filter needs a command");
    const char **p = realloc(cli->filters, (cli->nfilters + 1) * sizeof *p);
    if (!p) return cli_usage_error("%s", "out of memory");
    p[cli->nfilters++] = v;
    cli->filters = p;
    cli->conv.filters = cli->filters;
    cli->conv.nfilters = cli->nfilters;
  } else if ((v = cli_take_value(argc, argv, &i, NULL, "--filter-timeout", &missing))) {
    char *end;
    errno = 0;
    double s = strtod(v, &end);
    if (errno || end == v || *end || !(s > 0) || s > 86400)
      return cli_usage_error("bad --filter-timeout '%s': expected seconds, up to 86400", v);
    cli->conv.filter_timeout_ms = (unsigned)(s * 1000 + 0.5) ? (unsigned)(s * 1000 + 0.5) : 1;
  } else if (missing) {
    return cli_usage_error("%s needs a value", argv[i]);
  } else {
    return -1;
  }
  *ip = i;
  return EXIT_OK;
}

int cli_workbench_option(int argc, char **argv, int *ip, struct cli *cli) {
  bool missing = false, stats = cli->cmd == CMD_STATS;
  int i = *ip;
  const char *v;
  struct workbench *w = &cli->wb;
  if ((v = cli_take_value(argc, argv, &i, NULL, "--format", &missing))) {
    if (strcmp(v, "text") && strcmp(v, "json") && (!stats || strcmp(v, "csv")))
      return cli_usage_error(stats ? "bad --format '%s': expected text, csv or json"
                                   : "bad --format '%s': expected text or json",
                             v);
    w->format = v;
  } else if (stats && (v = cli_take_value(argc, argv, &i, NULL, "--by", &missing))) {
    w->by = v;
  } else if (stats && (v = cli_take_value(argc, argv, &i, NULL, "--svg", &missing))) {
    if (!*v) return cli_usage_error("%s", "--svg needs a file name");
    w->svg = v;
  } else if (stats && (v = cli_take_value(argc, argv, &i, NULL, "--chart", &missing))) {
    if (strcmp(v, "years") && strcmp(v, "origins"))
      return cli_usage_error("bad --chart '%s': expected years or origins", v);
    w->chart = v;
  } else if (stats && (v = cli_take_value(argc, argv, &i, NULL, "--top", &missing))) {
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || *end || n < 1 || n > 1000)
      return cli_usage_error("bad --top '%s': expected a number, 1 to 1000", v);
    w->top = (unsigned)n;
  } else if (missing) {
    return cli_usage_error("%s needs a value", argv[i]);
  } else {
    return -1;
  }
  *ip = i;
  return EXIT_OK;
}

/* Where the tables or findings go: -o FILE or stdout.  NULL (reported). */
static FILE *open_result(const struct cli *cli) {
  if (!cli->output || !strcmp(cli->output, "-")) return stdout;
  FILE *f = fopen(cli->output, "w");
  if (!f) fprintf(stderr, "cablex: %s: cannot write: %s\n", cli->output, strerror(errno));
  return f;
}

/* Closes what open_result() opened; EXIT_OK or EXIT_USAGE (reported). */
static int close_result(const struct cli *cli, FILE *f) {
  bool ok = fflush(f) == 0 && !ferror(f);
  if (f != stdout && fclose(f) != 0) ok = false;
  if (!ok) fprintf(stderr, "cablex: %s: write error\n", f == stdout ? "stdout" : cli->output);
  return ok ? EXIT_OK : EXIT_USAGE;
}

static int count_cable(void *user, const struct cx_cable *c) {
  if (cxr_stats_add(user, c) == CX_OK) return CX_OK;
  fputs("cablex: stats: out of memory\n", stderr);
  return CX_FATAL;
}

static int draw(const struct cli *cli, struct cxr_stats *s) {
  FILE *f = fopen(cli->wb.svg, "w");
  if (!f) {
    fprintf(stderr, "cablex: %s: cannot write: %s\n", cli->wb.svg, strerror(errno));
    return EXIT_USAGE;
  }
  enum cxr_stats_chart chart =
      cli->wb.chart && !strcmp(cli->wb.chart, "origins") ? CXR_CHART_ORIGINS : CXR_CHART_YEARS;
  int rc = cxr_stats_svg(s, f, chart, cli->wb.top);
  if (fclose(f) != 0 || rc != CX_OK) {
    fprintf(stderr, "cablex: %s: write error\n", cli->wb.svg);
    remove(cli->wb.svg);
    return EXIT_USAGE;
  }
  return EXIT_OK;
}

int cli_stats(struct cli *cli) {
  char err[256];
  struct cxr_stats *s = cxr_stats_new(cli->wb.by, err, sizeof err);
  if (!s) return cli_usage_error("%s", err);
  const char *fmt = cli->wb.format ? cli->wb.format : "text";
  cli->conv.each = count_cable;
  cli->conv.each_user = s;
  int status = cli_convert(cli);
  if (status != EXIT_USAGE) {
    FILE *f = open_result(cli);
    int st = EXIT_USAGE;
    if (f) {
      cxr_stats_print(s, f,
                      !strcmp(fmt, "csv")    ? CXR_STATS_CSV
                      : !strcmp(fmt, "json") ? CXR_STATS_JSON
                                             : CXR_STATS_TEXT);
      st = close_result(cli, f);
    }
    if (st == EXIT_OK && cli->wb.svg) st = draw(cli, s);
    if (st != EXIT_OK) status = st;
  }
  cxr_stats_free(s);
  return status;
}

static int check_cable(void *user, const struct cx_cable *c) {
  if (cxr_check_add(user, c) == CX_OK) return CX_OK;
  fputs("cablex: check: the findings could not be written\n", stderr);
  return CX_FATAL;
}

int cli_check(struct cli *cli) {
  FILE *f = open_result(cli);
  if (!f) return EXIT_USAGE;
  bool json = cli->wb.format && !strcmp(cli->wb.format, "json");
  struct cxr_check *k = cxr_check_new(f, json);
  if (!k) {
    if (f != stdout) fclose(f);
    return cli_usage_error("%s", "out of memory");
  }
  cli->conv.each = check_cable;
  cli->conv.each_user = k;
  int status = cli_convert(cli);
  int st = close_result(cli, f);
  if (st != EXIT_OK) status = st;
  if (status == EXIT_OK && cxr_check_findings(k)) status = EXIT_FAILED;
  cxr_check_free(k);
  return status;
}
