/* test_registry.c - plugin discovery, the ABI gate and plugins.d confs,
 * against the test plugins built into $CABLEX_BUILD_DIR/tests/plugins. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <dlfcn.h>

#include "cx_config.h"
#include "registry.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CX_TEST_ASAN 1
#endif
#endif
#ifndef CX_TEST_ASAN
#define CX_TEST_ASAN 0
#endif

static char good_dir[4096], bad_dir[4096];

/* Warnings the registry reported, one per line. */
static char warnings[8192];

static void collect(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user;
  (void)code;
  char line[1024];
  cx_ctx_format(ctx, msg, ctx->line, line, sizeof line);
  strncat(warnings, line, sizeof warnings - strlen(warnings) - 2);
  strcat(warnings, "\n");
}

static struct cxh_registry *new_reg(void) {
  warnings[0] = '\0';
  struct cxh_registry *reg = cxh_registry_new(collect, NULL);
  assert_non_null(reg);
  return reg;
}

static const struct cxh_plugin_entry *entry_by_file(const struct cxh_registry *reg,
                                                    const char *suffix) {
  for (size_t i = 0; i < cxh_registry_count(reg); i++) {
    const struct cxh_plugin_entry *e = cxh_registry_at(reg, i);
    size_t n = strlen(e->file), m = strlen(suffix);
    if (n >= m && strcmp(e->file + n - m, suffix) == 0) return e;
  }
  fail_msg("no entry for %s", suffix);
  return NULL;
}

static void write_text(const char *dir, const char *name, const char *text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static char *make_tmpdir(void) {
  const char *base = getenv("TMPDIR");
  char tmpl[4096];
  snprintf(tmpl, sizeof tmpl, "%s/cxh_registry_XXXXXX", base && *base ? base : "/tmp");
  char *d = mkdtemp(tmpl);
  assert_non_null(d);
  return strdup(d);
}

static void remove_tmpdir(char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  free(dir);
}

static void test_bad_plugins_refused_good_loads(void **state) {
  (void)state;
  struct cxh_registry *reg = new_reg();
  assert_int_equal(cxh_registry_add_dir(reg, bad_dir, true), CX_OK);
  assert_int_equal(cxh_registry_add_dir(reg, good_dir, true), CX_OK);
  assert_int_equal(cxh_registry_load(reg), CX_OK);

  /* 6 refused, 2 loaded: bare modules of both directories. */
  assert_int_equal(cxh_registry_count(reg), 8);
  assert_int_equal(cxh_registry_loaded(reg), 2);

  char want[8192];
  const struct cxh_plugin_entry *e = entry_by_file(reg, "/abi2.so");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  snprintf(want, sizeof want, "plugin %s: ABI 2.0, cablex supports %d.%d", e->file, CX_ABI_MAJOR,
           CX_ABI_MINOR);
  assert_string_equal(e->why, want);
  assert_string_equal(e->abi, "2.0");
  assert_null(e->plugin);
  assert_null(e->handle);

  e = entry_by_file(reg, "/newer.so");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  snprintf(want, sizeof want, "plugin %s: ABI %d.%d, cablex supports %d.%d", e->file, CX_ABI_MAJOR,
           CX_ABI_MINOR + 1, CX_ABI_MAJOR, CX_ABI_MINOR);
  assert_string_equal(e->why, want);

  e = entry_by_file(reg, "/small.so");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  assert_non_null(strstr(e->why, e->file));
  assert_non_null(strstr(e->why, "descriptor of"));
  assert_non_null(strstr(e->why, "cablex 1.2 needs"));

  /* Built against another model layout: both layouts and the file named. */
  e = entry_by_file(reg, "/layout.so");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  assert_non_null(strstr(e->why, e->file));
  snprintf(want, sizeof want, "built for model layout %d (cx_cable %zu,", CX_MODEL_LAYOUT + 1,
           sizeof(struct cx_cable) + 8);
  assert_non_null(strstr(e->why, want));
  snprintf(want, sizeof want, "cablex has model layout %d (%zu,", CX_MODEL_LAYOUT,
           sizeof(struct cx_cable));
  assert_non_null(strstr(e->why, want));

  e = entry_by_file(reg, "/nodesc.so");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  assert_non_null(strstr(e->why, e->file));
  assert_non_null(strstr(e->why, "no " CX_PLUGIN_SYMBOL " descriptor"));

  e = entry_by_file(reg, "/bogus.so");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  assert_non_null(strstr(e->why, e->file));
  assert_non_null(strstr(e->why, "cannot load it"));
  /* The dynamic loader's reason, not ltdl's blanket "file not found". */
  assert_true(strstr(e->why, "file too short") || strstr(e->why, "invalid ELF header"));
  assert_null(e->abi);
  assert_string_equal(e->name, "bogus"); /* refused bare modules go by their file name */
  assert_string_equal(entry_by_file(reg, "/abi2.so")->name, "abi2");

  e = entry_by_file(reg, "/lines.so");
  assert_int_equal(e->status, CXH_PLUGIN_LOADED);
  assert_string_equal(e->name, "lines");
  assert_string_equal(e->kinds, "input");
  assert_string_equal(e->extensions, "lines");
  assert_string_equal(e->abi, "1.2");
  assert_null(e->why);

  /* The good ones are usable: found by name, kind and extension. */
  const struct cx_plugin *lines = cxh_registry_find(reg, "lines", CX_KIND_INPUT);
  assert_non_null(lines);
  assert_ptr_equal(lines, e->plugin);
  assert_null(cxh_registry_find(reg, "lines", CX_KIND_OUTPUT));
  assert_null(cxh_registry_find(reg, "abi2", CX_KIND_INPUT));
  assert_ptr_equal(cxh_registry_by_ext(reg, "LINES", CX_KIND_INPUT), lines);
  assert_non_null(cxh_registry_by_ext(reg, "up", CX_KIND_OUTPUT));
  assert_null(cxh_registry_by_ext(reg, "up", CX_KIND_INPUT));
  assert_int_equal(lines->probe((const unsigned char *)"#lines\nX 1\n", 11, "-"), 80);
  assert_int_equal(lines->probe((const unsigned char *)"hello", 5, "-"), 0);

  /* Nothing about bare modules is worth a warning. */
  assert_string_equal(warnings, "");
  cxh_registry_free(reg);
}

static void test_conf_loads_relative_module(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  char conf[8192];
  /* module is relative to the conf's directory, without extension. */
  char rel[8192];
  snprintf(rel, sizeof rel, "%s/plugins.d", dir);
  assert_int_equal(mkdir(rel, 0777), 0);
  char link[8192];
  snprintf(link, sizeof link, "%s/modules", dir);
  assert_int_equal(symlink(good_dir, link), 0);
  snprintf(conf, sizeof conf,
           "# a test conf\n"
           "name = upper\n"
           "module = ../modules/upper\n"
           "abi = 1.2\n"
           "kinds = output\n"
           "extensions = up\n"
           "mime = text/x-upper\n"
           "\n"
           "   # indented comment\n"
           "enabled = true\n"
           "description = from the conf\n");
  write_text(rel, "upper.conf", conf);

  struct cxh_registry *reg = new_reg();
  assert_int_equal(cxh_registry_add_dir(reg, rel, true), CX_OK);
  assert_int_equal(cxh_registry_load(reg), CX_OK);
  assert_int_equal(cxh_registry_count(reg), 1);
  const struct cxh_plugin_entry *e = cxh_registry_at(reg, 0);
  assert_int_equal(e->status, CXH_PLUGIN_LOADED);
  assert_string_equal(e->name, "upper");
  assert_non_null(strstr(e->file, "/plugins.d/upper.conf"));
  assert_non_null(strstr(e->module, "/modules/upper.so"));
  assert_string_equal(e->mime, "text/x-upper");
  /* The descriptor's description wins over the conf's. */
  assert_string_equal(e->description, "test writer: ID|BODY upper-cased");
  assert_non_null(cxh_registry_find(reg, "upper", CX_KIND_OUTPUT));
  assert_string_equal(warnings, "");
  cxh_registry_free(reg);
  remove_tmpdir(dir);
}

/* A conf is read whole: a NUL ends only its own line, CRLF and a last line
 * without a newline are lines, and a conf over 64 KiB is refused. */
static void test_conf_read_edges(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  char rel[8192], link[8192], path[8192 + 64];
  snprintf(rel, sizeof rel, "%s/plugins.d", dir);
  assert_int_equal(mkdir(rel, 0777), 0);
  snprintf(link, sizeof link, "%s/modules", dir);
  assert_int_equal(symlink(good_dir, link), 0);
  static const char conf[] = "name = upper\r\nmodule = ../modules/upper\0 after a NUL\n"
                             "kinds = output\r\nextensions = up";
  snprintf(path, sizeof path, "%s/upper.conf", rel);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(conf, 1, sizeof conf - 1, f), sizeof conf - 1);
  fclose(f);
  snprintf(path, sizeof path, "%s/big.conf", rel);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("name = big\nmodule = ../modules/upper\n", f);
  for (int i = 0; i < 2100; i++) /* 2100 x 32 bytes: past 64 KiB */
    fputs("# a comment line of 32 bytes ..\n", f);
  fclose(f);

  struct cxh_registry *reg = new_reg();
  assert_int_equal(cxh_registry_add_dir(reg, rel, true), CX_OK);
  assert_int_equal(cxh_registry_load(reg), CX_OK);
  const struct cxh_plugin_entry *e = entry_by_file(reg, "/upper.conf");
  assert_int_equal(e->status, CXH_PLUGIN_LOADED);
  assert_non_null(strstr(e->module, "/modules/upper.so"));
  assert_string_equal(e->kinds, "output");
  assert_string_equal(e->extensions, "up");
  e = entry_by_file(reg, "/big.conf");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  assert_non_null(strstr(e->why, "big.conf: too big for a plugin conf"));
  cxh_registry_free(reg);
  remove_tmpdir(dir);
}

static void test_conf_abi_mismatch_warns(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  char conf[8192];
  snprintf(conf, sizeof conf, "name = lines\nmodule = %s/lines\nabi = 1.0\n", good_dir);
  write_text(dir, "lines.conf", conf);
  struct cxh_registry *reg = new_reg();
  cxh_registry_add_dir(reg, dir, true);
  assert_int_equal(cxh_registry_load(reg), CX_OK);
  const struct cxh_plugin_entry *e = cxh_registry_at(reg, 0);
  assert_int_equal(e->status, CXH_PLUGIN_LOADED);
  assert_string_equal(e->abi, "1.2");
  assert_non_null(strstr(warnings, "lines.conf: abi = 1.0, but "));
  assert_non_null(strstr(warnings, "was built for ABI 1.2"));
  cxh_registry_free(reg);
  remove_tmpdir(dir);
}

static void test_disabled_and_shadowed(void **state) {
  (void)state;
  char *first = make_tmpdir(), *second = make_tmpdir();
  char conf[8192];
  /* first: lines disabled (which claims the name), upper enabled. */
  snprintf(conf, sizeof conf, "name = lines\nmodule = %s/lines\nenabled = false\n", good_dir);
  write_text(first, "lines.conf", conf);
  snprintf(conf, sizeof conf, "name = upper\nmodule = %s/upper\n", good_dir);
  write_text(first, "upper.conf", conf);
  /* second: the same names again, as confs pointing at the same modules. */
  snprintf(conf, sizeof conf, "name = lines\nmodule = %s/lines\n", good_dir);
  write_text(second, "a-lines.conf", conf);
  snprintf(conf, sizeof conf, "name = upper\nmodule = %s/upper\n", good_dir);
  write_text(second, "b-upper.conf", conf);

  struct cxh_registry *reg = new_reg();
  cxh_registry_add_dir(reg, first, true);
  cxh_registry_add_dir(reg, second, true);
  cxh_registry_add_dir(reg, good_dir, true); /* bare modules already claimed: not listed again */
  assert_int_equal(cxh_registry_load(reg), CX_OK);
  assert_int_equal(cxh_registry_count(reg), 4);

  const struct cxh_plugin_entry *e = entry_by_file(reg, "/lines.conf");
  assert_int_equal(e->status, CXH_PLUGIN_DISABLED);
  assert_null(e->plugin);
  assert_null(cxh_registry_find(reg, "lines", CX_KIND_INPUT));

  char want[8192];
  e = entry_by_file(reg, "/a-lines.conf");
  assert_int_equal(e->status, CXH_PLUGIN_SHADOWED);
  snprintf(want, sizeof want, "shadowed by %s", entry_by_file(reg, "/lines.conf")->file);
  assert_string_equal(e->why, want);
  assert_null(e->plugin);

  e = entry_by_file(reg, "/b-upper.conf");
  assert_int_equal(e->status, CXH_PLUGIN_SHADOWED);
  snprintf(want, sizeof want, "shadowed by %s", entry_by_file(reg, "/upper.conf")->file);
  assert_string_equal(e->why, want);
  assert_int_equal(entry_by_file(reg, "/upper.conf")->status, CXH_PLUGIN_LOADED);
  assert_int_equal(cxh_registry_loaded(reg), 1);
  cxh_registry_free(reg);
  remove_tmpdir(first);
  remove_tmpdir(second);
}

static void test_bare_module_shadowed(void **state) {
  (void)state;
  /* The same module reached through two directories: the second copy is a
   * different file, so it is loaded, named, and then listed as shadowed. */
  char *copy = make_tmpdir();
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "cp '%s/lines.so' '%s/lines.so'", good_dir, copy);
  assert_int_equal(system(cmd), 0);
  struct cxh_registry *reg = new_reg();
  char spelt[8192];
  snprintf(spelt, sizeof spelt, "%s/../good/", good_dir);
  cxh_registry_add_dir(reg, good_dir, true);
  cxh_registry_add_dir(reg, spelt, true); /* the same directory: scanned once */
  cxh_registry_add_dir(reg, copy, true);
  assert_int_equal(cxh_registry_load(reg), CX_OK);
  assert_int_equal(cxh_registry_count(reg), 3);
  const struct cxh_plugin_entry *winner = cxh_registry_at(reg, 0);
  const struct cxh_plugin_entry *e = cxh_registry_at(reg, 2);
  assert_string_equal(winner->name, "lines");
  assert_string_equal(e->name, "lines");
  assert_int_equal(e->status, CXH_PLUGIN_SHADOWED);
  assert_null(e->handle);
  char want[8192];
  snprintf(want, sizeof want, "shadowed by %s", winner->file);
  assert_string_equal(e->why, want);
  assert_ptr_equal(cxh_registry_find(reg, "lines", CX_KIND_INPUT), winner->plugin);
  cxh_registry_free(reg);
  remove_tmpdir(copy);
}

static void test_refused_does_not_claim_name(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  char conf[8192];
  /* A refused "lines" (its conf names the wrong module) must not keep a
   * later, good "lines" out. */
  snprintf(conf, sizeof conf, "name = lines\nmodule = %s/upper\n", good_dir);
  write_text(dir, "lines.conf", conf);
  struct cxh_registry *reg = new_reg();
  cxh_registry_add_dir(reg, dir, true);
  cxh_registry_add_dir(reg, good_dir, true);
  assert_int_equal(cxh_registry_load(reg), CX_OK);
  const struct cxh_plugin_entry *e = entry_by_file(reg, "/lines.conf");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  assert_non_null(strstr(e->why, "says name = lines but the module is 'upper'"));
  assert_int_equal(entry_by_file(reg, "/lines.so")->status, CXH_PLUGIN_LOADED);
  assert_non_null(cxh_registry_find(reg, "lines", CX_KIND_INPUT));
  /* upper.so was claimed by the conf (and refused there): not loaded bare. */
  assert_null(cxh_registry_find(reg, "upper", CX_KIND_OUTPUT));
  cxh_registry_free(reg);
  remove_tmpdir(dir);
}

static void test_bad_confs(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  write_text(dir, "a.conf", "name = a\nthis line has no equals sign\nmodule = x\n");
  write_text(dir, "b.conf", "name = b\n");
  write_text(dir, "c.conf", "module = x\n");
  write_text(dir, "d.conf", "name = d\nmodule = x\nenabled = maybe\n");
  write_text(dir, "e.conf", "name = e\nmodule = does-not-exist\ncolour = blue\n");
  struct cxh_registry *reg = new_reg();
  cxh_registry_add_dir(reg, dir, true);
  assert_int_equal(cxh_registry_load(reg), CX_OK);
  assert_int_equal(cxh_registry_count(reg), 5);
  assert_int_equal(cxh_registry_loaded(reg), 0);
  const struct cxh_plugin_entry *e = entry_by_file(reg, "/a.conf");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  assert_non_null(strstr(e->why, "a.conf:2: not a 'key = value' line"));
  e = entry_by_file(reg, "/b.conf");
  assert_non_null(strstr(e->why, "b.conf: no 'module' line"));
  e = entry_by_file(reg, "/c.conf");
  assert_string_equal(e->name, "c");
  assert_non_null(strstr(e->why, "c.conf: no 'name' line"));
  e = entry_by_file(reg, "/d.conf");
  assert_non_null(strstr(e->why, "d.conf:3: enabled must be true or false"));
  e = entry_by_file(reg, "/e.conf");
  assert_int_equal(e->status, CXH_PLUGIN_REFUSED);
  assert_non_null(strstr(e->why, "does-not-exist"));
  assert_non_null(strstr(e->why, "cannot load it"));
  assert_non_null(strstr(warnings, "e.conf:3: unknown key 'colour' ignored"));
  cxh_registry_free(reg);
  remove_tmpdir(dir);
}

static void test_missing_dirs(void **state) {
  (void)state;
  struct cxh_registry *reg = new_reg();
  cxh_registry_add_dir(reg, "/nonexistent/cablex-explicit", true);
  cxh_registry_add_dir(reg, "/nonexistent/cablex-default", false);
  assert_int_equal(cxh_registry_load(reg), CX_OK);
  assert_int_equal(cxh_registry_count(reg), 0);
  assert_non_null(strstr(warnings, "/nonexistent/cablex-explicit: plugin directory: No such file"));
  assert_null(strstr(warnings, "cablex-default"));
  cxh_registry_free(reg);
}

static void test_default_dirs_order(void **state) {
  (void)state;
  setenv("CABLEX_PLUGIN_PATH", "/a/one:relative/two::/b/three:", 1);
  setenv("XDG_CONFIG_HOME", "/x/config", 1);
  struct cxh_registry *reg = new_reg();
  cxh_registry_add_dir(reg, "/given", true);
  assert_int_equal(cxh_registry_add_default_dirs(reg), CX_OK);
  assert_int_equal(cxh_registry_dir_count(reg), 5);
  assert_string_equal(cxh_registry_dir_at(reg, 0), "/given");
  assert_string_equal(cxh_registry_dir_at(reg, 1), "/a/one");
  assert_string_equal(cxh_registry_dir_at(reg, 2), "/b/three");
  assert_string_equal(cxh_registry_dir_at(reg, 3), "/x/config/cablex/plugins.d");
  /* This test binary is not the build tree's cablex: the installed dir, found
   * relative to the binary when it exists there (as in an installed tree). */
  char exe[PATH_MAX], rel[PATH_MAX + 64];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  assert_true(n > 0);
  exe[n] = '\0';
  *strrchr(exe, '/') = '\0';
  snprintf(rel, sizeof rel, "%s/%s", exe, CX_INSTALL_CONF_REL);
  struct stat st;
  const char *want = stat(rel, &st) == 0 ? rel : CX_INSTALL_CONF_DIR;
  assert_string_equal(cxh_registry_dir_at(reg, 4), want);
  assert_non_null(strstr(warnings, "ignoring relative directory 'relative/two'"));
  cxh_registry_free(reg);

  /* A relative XDG_CONFIG_HOME is ignored in favour of ~/.config. */
  unsetenv("CABLEX_PLUGIN_PATH");
  setenv("XDG_CONFIG_HOME", "rel", 1);
  setenv("HOME", "/home/someone", 1);
  reg = new_reg();
  assert_int_equal(cxh_registry_add_default_dirs(reg), CX_OK);
  assert_int_equal(cxh_registry_dir_count(reg), 2);
  assert_string_equal(cxh_registry_dir_at(reg, 0), "/home/someone/.config/cablex/plugins.d");
  cxh_registry_free(reg);
  unsetenv("XDG_CONFIG_HOME");
}

/* cxh_registry_scan: plugins their confs describe stay closed until a
 * lookup picks them; a module that was never chosen is never opened (the
 * ghost's module does not even exist). */
static void test_scan_opens_only_what_is_chosen(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  char conf[8192];
  snprintf(conf, sizeof conf, "name = upper\nmodule = %s/upper\nkinds = output\nextensions = up\n",
           good_dir);
  write_text(dir, "a-upper.conf", conf);
  snprintf(conf, sizeof conf,
           "name = ghost\nmodule = %s/nothere\nkinds = output\nextensions = gh\n"
           "options = shout,volume=N\n",
           dir);
  write_text(dir, "b-ghost.conf", conf);
  struct cxh_registry *reg = new_reg();
  cxh_registry_add_dir(reg, dir, true);
  assert_int_equal(cxh_registry_scan(reg), CX_OK);
  assert_int_equal(cxh_registry_loaded(reg), 0);
  assert_int_equal(cxh_registry_usable(reg), 2);
  const struct cxh_plugin_entry *upper = cxh_registry_at(reg, 0), *ghost = cxh_registry_at(reg, 1);
  assert_int_equal(upper->status, CXH_PLUGIN_FOUND);
  assert_null(upper->handle);
  assert_int_equal(ghost->status, CXH_PLUGIN_FOUND);
  /* what the conf declares is known without opening the module */
  assert_true(cxh_entry_has_kinds(ghost, CX_KIND_OUTPUT));
  assert_false(cxh_entry_has_kinds(ghost, CX_KIND_INPUT));
  assert_true(cxh_entry_has_ext(ghost, "GH"));
  assert_null(cxh_entry_option(ghost, "shout", 5)->arg);
  assert_non_null(cxh_entry_option(ghost, "volume", 6)->arg);
  assert_null(cxh_entry_option(ghost, "volum", 5));

  assert_non_null(cxh_registry_by_ext(reg, "up", CX_KIND_OUTPUT));
  assert_int_equal(upper->status, CXH_PLUGIN_LOADED);
  assert_int_equal(ghost->status, CXH_PLUGIN_FOUND);
  assert_string_equal(warnings, "");

  assert_null(cxh_registry_find(reg, "ghost", CX_KIND_OUTPUT));
  assert_int_equal(ghost->status, CXH_PLUGIN_REFUSED);
  assert_non_null(strstr(ghost->why, "cannot load it"));
  assert_non_null(strstr(warnings, "plugin ghost refused: plugin "));
  cxh_registry_free(reg);
  remove_tmpdir(dir);
}

/* A found plugin refused when it is opened gives way to the next one of its
 * name, as when every module is loaded at once. */
static void test_scan_refused_gives_way(void **state) {
  (void)state;
  char *first = make_tmpdir(), *second = make_tmpdir();
  char conf[8192];
  snprintf(conf, sizeof conf,
           "name = lines\nmodule = %s/upper\nkinds = input\nextensions = lines\n", good_dir);
  write_text(first, "lines.conf", conf);
  snprintf(conf, sizeof conf,
           "name = lines\nmodule = %s/lines\nkinds = input\nextensions = lines\n", good_dir);
  write_text(second, "lines.conf", conf);
  struct cxh_registry *reg = new_reg();
  cxh_registry_add_dir(reg, first, true);
  cxh_registry_add_dir(reg, second, true);
  assert_int_equal(cxh_registry_scan(reg), CX_OK);
  assert_int_equal(cxh_registry_at(reg, 0)->status, CXH_PLUGIN_FOUND);
  assert_int_equal(cxh_registry_at(reg, 1)->status, CXH_PLUGIN_SHADOWED);
  const struct cx_plugin *p = cxh_registry_by_ext(reg, "lines", CX_KIND_INPUT);
  assert_non_null(p);
  assert_string_equal(p->name, "lines");
  assert_int_equal(cxh_registry_at(reg, 0)->status, CXH_PLUGIN_REFUSED);
  assert_int_equal(cxh_registry_at(reg, 1)->status, CXH_PLUGIN_LOADED);
  cxh_registry_free(reg);
  remove_tmpdir(first);
  remove_tmpdir(second);
}

/* A conf that says otherwise than its module: the module counts, the
 * disagreement is warned about and kept for `cablex plugins`. */
static void test_conf_disagrees(void **state) {
  (void)state;
  char *dir = make_tmpdir();
  char conf[8192];
  snprintf(conf, sizeof conf,
           "name = lines\nmodule = %s/lines\nkinds = input\nextensions = nope\nprobe = true\n",
           good_dir);
  write_text(dir, "lines.conf", conf);
  struct cxh_registry *reg = new_reg();
  cxh_registry_add_dir(reg, dir, true);
  assert_int_equal(cxh_registry_load(reg), CX_OK);
  const struct cxh_plugin_entry *e = cxh_registry_at(reg, 0);
  assert_int_equal(e->status, CXH_PLUGIN_LOADED);
  assert_non_null(e->disagrees);
  assert_non_null(strstr(e->disagrees, "extensions"));
  assert_string_equal(e->extensions, "lines");
  assert_non_null(strstr(warnings, "lines.conf: disagrees with its module "));
  cxh_registry_free(reg);
  remove_tmpdir(dir);
}

/* cxh_registry_free() unloads the modules; cxh_registry_free_for_exit()
 * leaves them loaded for exit to unmap.  Last in main: what it leaves stays. */
static void test_free_for_exit_keeps_modules(void **state) {
  (void)state;
  for (int for_exit = 0; for_exit < 2; for_exit++) {
    struct cxh_registry *reg = new_reg();
    assert_int_equal(cxh_registry_add_dir(reg, good_dir, true), CX_OK);
    assert_int_equal(cxh_registry_load(reg), CX_OK);
    const struct cxh_plugin_entry *e = entry_by_file(reg, "/upper.so");
    assert_non_null(e->handle);
    char *file = strdup(e->file);
    assert_non_null(file);
    if (for_exit)
      cxh_registry_free_for_exit(reg);
    else
      cxh_registry_free(reg);
    void *h = dlopen(file, RTLD_LAZY | RTLD_NOLOAD);
    if (for_exit) assert_non_null(h);
#if !defined(__SANITIZE_ADDRESS__) && !CX_TEST_ASAN
    else
      assert_null(h); /* (under ASan the host pins modules: see module.c) */
#endif
    if (h) dlclose(h); /* drops only the reference NOLOAD took */
    free(file);
  }
}

int main(void) {
  const char *build = getenv("CABLEX_BUILD_DIR");
  if (!build) {
    fprintf(stderr, "CABLEX_BUILD_DIR is not set (run through ctest)\n");
    return 1;
  }
  snprintf(good_dir, sizeof good_dir, "%s/tests/plugins/good", build);
  snprintf(bad_dir, sizeof bad_dir, "%s/tests/plugins/bad", build);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_plugins_refused_good_loads),
      cmocka_unit_test(test_conf_loads_relative_module),
      cmocka_unit_test(test_conf_read_edges),
      cmocka_unit_test(test_conf_abi_mismatch_warns),
      cmocka_unit_test(test_disabled_and_shadowed),
      cmocka_unit_test(test_bare_module_shadowed),
      cmocka_unit_test(test_refused_does_not_claim_name),
      cmocka_unit_test(test_bad_confs),
      cmocka_unit_test(test_missing_dirs),
      cmocka_unit_test(test_default_dirs_order),
      cmocka_unit_test(test_scan_opens_only_what_is_chosen),
      cmocka_unit_test(test_scan_refused_gives_way),
      cmocka_unit_test(test_conf_disagrees),
      cmocka_unit_test(test_free_for_exit_keeps_modules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
