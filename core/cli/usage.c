/* usage.c - the help texts of the command line (cablex --help, cablex help
 * CMD, the plugin options), and `cablex plugins`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char cli_usage_text[] =
    "usage: cablex [--plugin-dir DIR]... COMMAND [ARGS]\n"
    "\n"
    "Converts US diplomatic cables between formats with plugins.\n"
    "\n"
    "commands:\n"
    "  convert [OPTIONS] [INPUT...]   convert files, directories or stdin\n"
    "  stats [OPTIONS] [INPUT...]     count cables by year, origin, classification,\n"
    "                                 tag; tables, CSV, JSON, an SVG chart\n"
    "  check [OPTIONS] [INPUT...]     lint cables: ids, dates, classifications,\n"
    "                                 self-references, missing SUBJECT/TAGS, duplicates\n"
    "  plugins [--all]                list the plugins found and their status\n"
    "  help [COMMAND]                 show help for a command\n"
    "\n"
    "options:\n"
    "  --plugin-dir DIR   look for plugins in DIR first (repeatable)\n"
    "  -V, --version      print the version and the plugin ABI\n"
    "  -h, --help         show this help\n"
    "\n"
    "See cablex(1) for the details.\n";

static const char convert_text[] =
    "usage: cablex convert [-f FMT] [-t FMT] [-o OUT] [-O NAME[=VALUE]]... [--pretty]\n"
    "                      [-j N] [--where EXPR]... [--shard K/N] [--errors FILE]\n"
    "                      [--fail-fast | --keep-going] [--progress | --no-progress]\n"
    "                      [--filter CMD]... [--filter-timeout SECONDS]\n"
    "                      [--include GLOB]... [--exclude GLOB]... [--follow-symlinks]\n"
    "                      [--max-cable-size BYTES] [-q] [--] [INPUT...]\n"
    "\n"
    "Reads cables from each INPUT (a file, a directory read recursively, a bundle\n"
    "such as a .tar.gz or .zip, or - for stdin; none means stdin) and writes them to\n"
    "OUT.  gzip input is undone; an output name ending in .gz, .xz, .lzma, .bz2, .zst,\n"
    ".lz4, .lz or .Z is compressed that way (another compressed name is refused).\n"
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
    "  -j, --jobs N             convert with N workers (default 0: one per core;\n"
    "                           inputs under 64 KiB in all: one thread)\n"
    "  --where EXPR             only the cables EXPR selects (repeatable: all must\n"
    "                           hold), e.g. 'classification=SECRET,origin=Tehran,\n"
    "                           year=2009'; fields id origin classification tag date\n"
    "                           released year subject; operators = != ~ < <= > >=;\n"
    "                           terms joined by , and or (see cablex(1))\n"
    "  --shard K/N              only shard K of N (by a hash of the id): N runs with\n"
    "                           K = 1..N split the cables between them\n"
    "  --filter CMD             run each cable (after --where) through CMD, a process\n"
    "                           per worker (sh -c): one JSON line in, one line out,\n"
    "                           the cable changed or not, or null to drop it\n"
    "                           (repeatable: in order; examples/filters/)\n"
    "  --filter-timeout SECONDS how long a filter may take to answer (default 60)\n"
    "  --include GLOB           of the files found in a directory or a bundle, read only\n"
    "                           those GLOB matches (repeatable: any may match); bundles\n"
    "                           inside are still opened. GLOB without / matches the\n"
    "                           file name, with / a tail of the path ('cable/*.txt')\n"
    "  --exclude GLOB           leave out the files, entries and directories GLOB\n"
    "                           matches (repeatable), e.g. --exclude '*.meta.json'\n"
    "  --follow-symlinks        follow the symbolic links found in directories (without\n"
    "                           it they are skipped and said, as FIFOs and devices are)\n"
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
    "  --                       ends the options: every argument after it is an INPUT,\n"
    "                           even one that starts with - (-- -notes.txt)\n"
    "\n"
    "exit status: 0 all converted, 1 some cable or input failed (the rest were\n"
    "converted), 2 usage error or the output could not be written.\n";

static const char plugins_text[] =
    "usage: cablex plugins [-a | --all]\n"
    "\n"
    "Lists every plugin found: name, kinds, extensions, ABI, file and status\n"
    "(loaded, refused and why, disabled).  -a, --all also lists the plugins shadowed\n"
    "by an earlier one of the same name, and the directories searched.\n";

const char *cli_dash(const char *s) {
  return s && *s ? s : "-";
}

static const char *status_text(const struct cxh_plugin_entry *e, char *buf, size_t size) {
  switch (e->status) {
  case CXH_PLUGIN_LOADED:
    if (!e->disagrees) return "loaded";
    snprintf(buf, size, "loaded; its conf disagrees with the module: %s", e->disagrees);
    return buf;
  case CXH_PLUGIN_FOUND:
    return "found (not loaded)";
  case CXH_PLUGIN_DISABLED:
    return "disabled";
  case CXH_PLUGIN_REFUSED:
    snprintf(buf, size, "refused: %s", cli_dash(e->why));
    return buf;
  case CXH_PLUGIN_SHADOWED:
    return cli_dash(e->why);
  }
  return "?";
}

int cli_plugins(const struct cli *cli) {
  struct cxh_registry *reg = cli_open_registry(cli, false, false);
  if (!reg) return EXIT_USAGE;
  static const char *const head[] = {"NAME", "KINDS", "EXTENSIONS", "ABI", "FILE", "STATUS"};
  size_t w[5];
  for (int k = 0; k < 5; k++)
    w[k] = strlen(head[k]);
  size_t rows = 0;
  for (size_t i = 0; i < cxh_registry_count(reg); i++) {
    const struct cxh_plugin_entry *e = cxh_registry_at(reg, i);
    if (e->status == CXH_PLUGIN_SHADOWED && !cli->all) continue;
    const char *cols[5] = {cli_dash(e->name), cli_dash(e->kinds), cli_dash(e->extensions),
                           cli_dash(e->abi), cli_dash(e->file)};
    for (int k = 0; k < 5; k++)
      if (strlen(cols[k]) > w[k]) w[k] = strlen(cols[k]);
    rows++;
  }
  if (rows) {
    printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], head[0], (int)w[1], head[1], (int)w[2],
           head[2], (int)w[3], head[3], (int)w[4], head[4], head[5]);
    for (size_t i = 0; i < cxh_registry_count(reg); i++) {
      const struct cxh_plugin_entry *e = cxh_registry_at(reg, i);
      if (e->status == CXH_PLUGIN_SHADOWED && !cli->all) continue;
      char buf[CX_MSG_MAX + 16];
      printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0], cli_dash(e->name), (int)w[1],
             cli_dash(e->kinds), (int)w[2], cli_dash(e->extensions), (int)w[3], cli_dash(e->abi),
             (int)w[4], cli_dash(e->file), status_text(e, buf, sizeof buf));
    }
  } else {
    printf("no plugins found\n");
  }
  if (cli->all || !rows) {
    printf("\nsearched, in this order:\n");
    for (size_t i = 0; i < cxh_registry_dir_count(reg); i++)
      printf("  %s\n", cxh_registry_dir_at(reg, i));
  }
  cxh_registry_free(reg);
  return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_USAGE;
}

static void print_plugin_options(const struct cxh_registry *reg) {
  bool any = false;
  for (size_t i = 0; i < cxh_registry_count(reg); i++) {
    const struct cxh_plugin_entry *e = cxh_registry_at(reg, i);
    if (e->status != CXH_PLUGIN_LOADED || !e->plugin->options || !e->plugin->options[0].name)
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

int cli_help(const struct cli *cli, enum command which) {
  if (which == CMD_CONVERT) {
    fputs(convert_text, stdout);
    struct cxh_registry *reg = cli_open_registry(cli, false, false);
    if (reg) {
      print_plugin_options(reg);
      cxh_registry_free(reg);
    }
  } else if (which == CMD_PLUGINS) {
    fputs(plugins_text, stdout);
  } else if (which == CMD_STATS) {
    fputs(cli_stats_text, stdout);
  } else if (which == CMD_CHECK) {
    fputs(cli_check_text, stdout);
  } else if (which == CMD_VERSION) {
    fputs("usage: cablex --version\n", stdout);
  } else {
    fputs(cli_usage_text, stdout);
  }
  return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_USAGE;
}
