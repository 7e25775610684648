/* Unit tests for the archive plugin (plugins/archive): every bundle kind
 * read back, hostile names, decompression bombs, a corrupt entry in the
 * middle of a zip, the probe, and the writer's reproducible output.  The
 * bundles are built here with libarchive's writer; nothing big is
 * committed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_plugin.h"
#include "cablex/options.h"
#include "trickle.h"
#include "test_files.h"

static char tmpdir[256];

/* ---- building bundles ---- */

struct ent {
  const char *name;
  const char *data; /* NULL: a directory, or a symlink when link is set */
  size_t len;       /* 0: strlen(data) */
  const char *link;
};

static la_ssize_t to_buf(struct archive *a, void *user, const void *p, size_t n) {
  (void)a;
  return cx_buf_add(user, p, n) == CX_OK ? (la_ssize_t)n : -1;
}

/* A bundle of the given format ("tar", "zip", "7zip", "cpio", "ar") and
 * filter (NULL, "gzip", "bzip2", "xz", "zstd") in out. */
static void build(struct cx_buf *out, const char *format, const char *filter,
                  const struct ent *ents, size_t n) {
  struct archive *a = archive_write_new();
  assert_int_equal(archive_write_set_format_by_name(a, format), ARCHIVE_OK);
  if (filter) assert_int_equal(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
  archive_write_set_bytes_in_last_block(a, 1);
  cx_buf_init(out, 0);
  assert_int_equal(archive_write_open2(a, out, NULL, to_buf, NULL, NULL), ARCHIVE_OK);
  for (size_t i = 0; i < n; i++) {
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, ents[i].name);
    size_t len = ents[i].data ? (ents[i].len ? ents[i].len : strlen(ents[i].data)) : 0;
    if (ents[i].link) {
      archive_entry_set_filetype(e, AE_IFLNK);
      archive_entry_set_symlink(e, ents[i].link);
      archive_entry_set_perm(e, 0777);
    } else if (!ents[i].data) {
      archive_entry_set_filetype(e, AE_IFDIR);
      archive_entry_set_perm(e, 0755);
      archive_entry_set_size(e, 0);
    } else {
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_entry_set_size(e, (la_int64_t)len);
    }
    archive_entry_set_mtime(e, 1000000000, 0);
    int r = archive_write_header(a, e);
    if (r < ARCHIVE_WARN) fail_msg("%s %s: %s", format, ents[i].name, archive_error_string(a));
    if (len) assert_int_equal(archive_write_data(a, ents[i].data, len), (la_ssize_t)len);
    archive_entry_free(e);
  }
  assert_int_equal(archive_write_close(a), ARCHIVE_OK);
  archive_write_free(a);
}

/* ---- reading bundles ---- */

static int warnings;
static char last_warning[CX_MSG_MAX];
static void on_warn(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user;
  (void)ctx;
  (void)code;
  warnings++;
  snprintf(last_warning, sizeof last_warning, "%s", msg);
}

/* What came out of a bundle: "name=contents" per entry, or "name!message"
 * for an entry whose reading failed, then "FATAL:message" or "EOF". */
struct got {
  char *items[16];
  int codes[16];
  size_t n;
};

static void got_free(struct got *g) {
  for (size_t i = 0; i < g->n; i++)
    free(g->items[i]);
  g->n = 0;
}

static void got_add(struct got *g, int code, const char *fmt, ...) CX_PRINTF(3, 4);
static void got_add(struct got *g, int code, const char *fmt, ...) {
  assert_true(g->n < 16);
  va_list ap;
  va_start(ap, fmt);
  static char buf[65536];
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  g->codes[g->n] = code;
  g->items[g->n++] = strdup(buf);
}

static void read_bundle_from(struct cx_istream *in, struct cx_options *opts, struct got *g,
                             struct cx_ctx *ctx) {
  void *st;
  int rc = arcp_bundle_open(in, opts, ctx, &st);
  if (rc != CX_OK) {
    got_add(g, rc, "OPEN:%s", ctx->msg);
    return;
  }
  for (int guard = 0; guard < 32; guard++) {
    const char *name;
    struct cx_istream *e;
    cx_ctx_clear(ctx);
    rc = arcp_bundle_next(st, ctx, &name, &e);
    if (rc == CX_EOF) {
      got_add(g, rc, "EOF");
      break;
    }
    /* a failed entry is named in ctx->entry (the core shows file(entry)) */
    if (rc == CX_FATAL) {
      got_add(g, rc, "FATAL:%s:%s", ctx->entry ? ctx->entry : "", ctx->msg);
      break;
    }
    if (rc != CX_OK) {
      got_add(g, rc, "FAILED:%s:%s", ctx->entry ? ctx->entry : "", ctx->msg);
      continue;
    }
    assert_non_null(e);
    struct cx_buf all;
    cx_buf_init(&all, 0);
    int r = cx_istream_read_all(e, &all);
    if (r == CX_OK)
      got_add(g, r, "%s=%s", name, all.data ? all.data : "");
    else
      got_add(g, r, "%s!%s", name, ctx->msg);
    cx_buf_free(&all);
  }
  arcp_bundle_close(st);
}

static void read_bundle(const struct cx_buf *b, struct cx_options *opts, struct got *g) {
  struct cx_ctx ctx = {.report = on_warn, .file = "bundle"}; /* as the core sets it */
  struct cx_istream *in = cx_istream_open_mem(b->data, b->len, "bundle", &ctx);
  assert_non_null(in);
  read_bundle_from(in, opts, g, &ctx);
  cx_istream_close(in);
}

static const struct ent three[] = {
    {"cable/2007/01/07XXTEST1.txt", "first cable\n", 0, NULL},
    {"cable/2007/", NULL, 0, NULL},
    {"cable/2008/02/08XXTEST2.txt", "second cable\nline two\n", 0, NULL},
    {"cable/empty.txt", "", 0, NULL},
    {"cable/2009/03/09XXTEST3.txt", "third\n", 0, NULL},
};

/* 7z stores empty files after the others: seven_z puts them last. */
static void expect_three_in(struct got *g, bool seven_z) {
  assert_int_equal(g->n, 5);
  assert_string_equal(g->items[0], "cable/2007/01/07XXTEST1.txt=first cable\n");
  assert_string_equal(g->items[1], "cable/2008/02/08XXTEST2.txt=second cable\nline two\n");
  assert_string_equal(g->items[seven_z ? 3 : 2], "cable/empty.txt=");
  assert_string_equal(g->items[seven_z ? 2 : 3], "cable/2009/03/09XXTEST3.txt=third\n");
  assert_string_equal(g->items[4], "EOF");
}

static void expect_three(struct got *g) {
  expect_three_in(g, false);
}

static void test_every_kind(void **state) {
  (void)state;
  static const char *kinds[][2] = {{"ustar", NULL}, {"pax", "gzip"}, {"gnutar", "bzip2"},
                                   {"pax", "xz"},   {"pax", "zstd"}, {"zip", NULL},
                                   {"7zip", NULL},  {"cpio", NULL},  {"newc", "gzip"},
                                   {"ar", NULL},    {"arbsd", NULL}};
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
    bool ar = strncmp(kinds[k][0], "ar", 2) == 0;
    struct ent ents[5];
    memcpy(ents, three, sizeof ents);
    if (ar) { /* ar has flat names and no directories */
      ents[0].name = "07XXTEST1.txt";
      ents[1] = ents[0];
      ents[2].name = "08XXTEST2.txt";
      ents[3].name = "empty.txt";
      ents[4].name = "09XXTEST3.txt";
    }
    struct cx_buf b;
    build(&b, kinds[k][0], kinds[k][1], ents, ar ? 5 : 5);
    const unsigned char *head = (const unsigned char *)b.data;
    if (!kinds[k][1] || strcmp(kinds[k][1], "gzip") != 0)
      assert_true(arcp_probe(head, b.len, "x") >= 60);
    struct got g = {0};
    warnings = 0;
    read_bundle(&b, NULL, &g);
    if (ar) {
      assert_int_equal(g.n, 6); /* the first entry twice */
      assert_string_equal(g.items[0], "07XXTEST1.txt=first cable\n");
      assert_string_equal(g.items[1], "07XXTEST1.txt=first cable\n");
      assert_string_equal(g.items[3], "empty.txt=");
      assert_string_equal(g.items[5], "EOF");
    } else {
      expect_three_in(&g, strcmp(kinds[k][0], "7zip") == 0);
    }
    assert_int_equal(warnings, 0); /* directories are skipped silently */
    got_free(&g);
    cx_buf_free(&b);
  }
}

/* A gzip-compressed entry inside a tar is undone like a file would be. */
static void test_gzip_entry(void **state) {
  (void)state;
  struct cx_buf inner;
  build(&inner, "ustar", "gzip", three, 1); /* any gzip will do: a tar.gz */
  struct ent ents[] = {{"a.txt.gz", inner.data, inner.len, NULL}, {"b.txt", "b\n", 0, NULL}};
  struct cx_buf b;
  build(&b, "pax", NULL, ents, 2);
  struct got g = {0};
  read_bundle(&b, NULL, &g);
  assert_int_equal(g.n, 3);
  /* the entry came out as the tar inside the gzip: its first name at 0 */
  assert_non_null(strstr(g.items[0], "a.txt.gz=cable/2007/01/07XXTEST1.txt"));
  assert_string_equal(g.items[1], "b.txt=b\n");
  got_free(&g);
  cx_buf_free(&b);
  cx_buf_free(&inner);
}

static void test_links_and_hostile_names(void **state) {
  (void)state;
  struct ent ents[] = {
      {"../../escape.txt", "up\n", 0, NULL},
      {"/abs/olute.txt", "abs\n", 0, NULL},
      {"bell\a\x1b[31mred\nnl\\bs.txt", "ctl\n", 0, NULL},
      {"link.txt", NULL, 0, "../../etc/passwd"},
      {"last.txt", "last\n", 0, NULL},
  };
  struct cx_buf b;
  build(&b, "pax", NULL, ents, 5);
  struct got g = {0};
  warnings = 0;
  char cwd_escape[600];
  snprintf(cwd_escape, sizeof cwd_escape, "%s/../../escape.txt", tmpdir);
  assert_int_equal(chdir(tmpdir), 0);
  read_bundle(&b, NULL, &g);
  assert_int_equal(g.n, 5);
  assert_string_equal(g.items[0], "../../escape.txt=up\n"); /* shown, never opened */
  assert_string_equal(g.items[1], "/abs/olute.txt=abs\n");
  assert_string_equal(g.items[2], "bell\\x07\\x1b[31mred\\x0anl\\\\bs.txt=ctl\n");
  assert_string_equal(g.items[3], "last.txt=last\n");
  assert_string_equal(g.items[4], "EOF");
  /* the symbolic link: skipped with a warning naming it */
  assert_int_equal(warnings, 1);
  assert_non_null(strstr(last_warning, "link.txt: a symbolic link skipped"));
  /* nothing was written on disk */
  struct stat sb;
  assert_int_not_equal(lstat(cwd_escape, &sb), 0);
  assert_int_not_equal(lstat("/abs/olute.txt", &sb), 0);
  got_free(&g);
  cx_buf_free(&b);

  char *s = arcp_escape_name("");
  assert_string_equal(s, "<unnamed>");
  free(s);
  s = arcp_escape_name("a\x7f\x01z");
  assert_string_equal(s, "a\\x7f\\x01z");
  free(s);
  /* not UTF-8, a C1 control (CSI), a right-to-left override; é stays */
  s = arcp_escape_name("caf\xe9\xff|\xc2\x9b|\xe2\x80\xae|\xc3\xa9|\xe2\x82");
  assert_string_equal(s, "caf\\xe9\\xff|\\xc2\\x9b|\\xe2\\x80\\xae|\xc3\xa9|\\xe2\\x82");
  free(s);
}

/* Zeros compress a thousandfold: an entry far over the cap in a small
 * bundle.  The entry fails naming the cap, the next one still comes out;
 * a total cap ends the bundle. */
static void test_bombs(void **state) {
  (void)state;
  size_t big = (size_t)8 << 20;
  char *zeros = calloc(1, big);
  struct ent ents[] = {
      {"ok1.txt", "one\n", 0, NULL}, {"bomb.txt", zeros, big, NULL}, {"ok2.txt", "two\n", 0, NULL}};
  static const char *kinds[][2] = {{"pax", "gzip"}, {"zip", NULL}, {"pax", "xz"}};
  for (size_t k = 0; k < 3; k++) {
    struct cx_buf b;
    build(&b, kinds[k][0], kinds[k][1], ents, 3);
    assert_true(b.len < big / 100);
    struct cx_options *o = cx_options_new();
    cx_options_set(o, "max-entry-size", "1M");
    struct got g = {0};
    read_bundle(&b, o, &g);
    assert_int_equal(g.n, 4);
    assert_string_equal(g.items[0], "ok1.txt=one\n");
    assert_int_equal(g.codes[1], CX_FATAL); /* for the entry's stream */
    assert_string_equal(g.items[1], "bomb.txt!entry larger than max-entry-size (1048576 bytes "
                                    "decompressed): rest of the entry skipped");
    assert_string_equal(g.items[2], "ok2.txt=two\n");
    assert_string_equal(g.items[3], "EOF");
    got_free(&g);

    /* The total: 8 MiB cannot pass a 4 MiB bundle cap. */
    cx_options_set(o, "max-entry-size", "1G");
    cx_options_set(o, "max-total-size", "4M");
    read_bundle(&b, o, &g);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.items[0], "ok1.txt=one\n");
    assert_string_equal(g.items[1],
                        "bomb.txt!entry cut: the bundle passed max-total-size (4194304 bytes)");
    assert_int_equal(g.codes[2], CX_FATAL);
    assert_string_equal(g.items[2], "FATAL:bomb.txt:the bundle passed max-total-size (4194304 "
                                    "bytes decompressed) here: rest of the bundle not read");
    got_free(&g);

    /* A bomb nobody reads is still counted when it is read through (a zip
     * too: it is read in one pass). */
    {
      struct cx_ctx ctx = {.report = on_warn};
      struct cx_istream *in = cx_istream_open_mem(b.data, b.len, "bundle", &ctx);
      void *st;
      assert_int_equal(arcp_bundle_open(in, o, &ctx, &st), CX_OK);
      const char *name;
      struct cx_istream *e;
      int rc;
      int n = 0;
      while ((rc = arcp_bundle_next(st, &ctx, &name, &e)) == CX_OK)
        n++;
      assert_int_equal(n, 2);
      assert_int_equal(rc, CX_FATAL);
      assert_string_equal(ctx.entry, "bomb.txt");
      assert_non_null(strstr(ctx.msg, "the bundle passed max-total-size"));
      arcp_bundle_close(st);
      cx_istream_close(in);
    }
    cx_options_set(o, "max-total-size", "lots");
    read_bundle(&b, o, &g);
    assert_int_equal(g.n, 1);
    assert_non_null(strstr(g.items[0], "OPEN:max-total-size \"lots\" is not a size"));
    got_free(&g);
    cx_options_free(o);
    cx_buf_free(&b);
  }
  free(zeros);
}

/* Text that deflate cannot squeeze to nothing, so that damage in the middle
 * of an entry hits compressed data. */
static char *noise(size_t len, unsigned seed) {
  char *s = malloc(len + 1);
  for (size_t i = 0; i < len; i++) {
    seed = seed * 1103515245u + 12345u;
    s[i] = (char)('a' + (seed >> 16) % 26);
  }
  s[len] = '\0';
  return s;
}

static void test_corrupt_zip_entry(void **state) {
  (void)state;
  char *a = noise(20000, 1), *m = noise(20000, 2), *z = noise(20000, 3);
  struct ent ents[] = {{"a.txt", a, 0, NULL}, {"middle.txt", m, 0, NULL}, {"z.txt", z, 0, NULL}};
  struct cx_buf b;
  build(&b, "zip", NULL, ents, 3);
  /* the middle entry's compressed data follows its local header */
  size_t at = 0;
  while (at + 10 <= b.len && memcmp(b.data + at, "middle.txt", 10) != 0)
    at++;
  assert_true(at + 10 <= b.len);
  at += 200;
  for (size_t i = at; i < at + 64; i++)
    b.data[i] = (char)0xff;
  struct got g = {0};
  read_bundle(&b, NULL, &g);
  assert_int_equal(g.n, 4);
  assert_int_equal(g.codes[0], CX_OK);
  assert_int_equal(strncmp(g.items[0], "a.txt=", 6), 0);
  assert_string_equal(g.items[0] + 6, a);
  assert_int_not_equal(g.codes[1], CX_OK);
  assert_string_equal(g.items[1], "FAILED:middle.txt:corrupt entry: ZIP decompression failed (-3)");
  assert_int_equal(g.codes[2], CX_OK);
  assert_string_equal(g.items[2] + 6, z);
  assert_string_equal(g.items[3], "EOF");
  got_free(&g);
  cx_buf_free(&b);
  free(a);
  free(m);
  free(z);
}

static void test_7z_from_a_pipe(void **state) {
  (void)state;
  struct cx_buf b;
  build(&b, "7zip", NULL, three, 5);
  struct trickle t = {b.data, b.len, 1000};
  struct cx_ctx ctx = {.report = on_warn};
  char spool_dir[300];
  snprintf(spool_dir, sizeof spool_dir, "%s/spool", tmpdir);
  assert_int_equal(mkdir(spool_dir, 0700), 0);
  setenv("TMPDIR", spool_dir, 1);
  struct cx_istream *in = cx_istream_open_fn(trickle_read, &t, "-", &ctx);
  struct got g = {0};
  read_bundle_from(in, NULL, &g, &ctx);
  expect_three_in(&g, true);
  got_free(&g);
  cx_istream_close(in);
  /* the spool file was unlinked at once: nothing left in TMPDIR */
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", spool_dir);
  assert_int_equal(system(cmd), 0);
  unsetenv("TMPDIR");
  cx_buf_free(&b);
}

static void test_not_a_bundle(void **state) {
  (void)state;
  static const char text[] = "Identifier\nCreated\nClassification\nOrigin\n";
  assert_int_equal(arcp_probe((const unsigned char *)text, sizeof text - 1, "x.txt"), 0);
  struct cx_buf b;
  cx_buf_init(&b, 0);
  /* a tar header whose checksum is wrong and a cut zip */
  char h[512] = "name.txt";
  assert_int_equal(arcp_probe((unsigned char *)h, 512, "x"), 0);
  cx_buf_add(&b, "PK\x03\x04garbage", 11);
  struct got g = {0};
  read_bundle(&b, NULL, &g);
  assert_true(g.n >= 1);
  assert_int_not_equal(g.codes[g.n - 1], CX_OK);
  got_free(&g);
  cx_buf_free(&b);

  struct cx_ctx ctx = {0};
  void *st;
  assert_int_equal(arcp_reader_open(NULL, NULL, &ctx, &st), CX_FATAL);
  assert_non_null(strstr(ctx.msg, "entry by entry"));
  assert_int_equal(arcp_writer_open(NULL, NULL, &ctx, &st), CX_FATAL);
  assert_non_null(strstr(ctx.msg, "-t tar.gz:raw"));
}

/* ---- writer ---- */

static void write_bundle(const char *path, const char *format) {
  struct cx_ctx ctx = {0};
  struct cx_ostream *out = cx_ostream_open(path, &ctx);
  assert_non_null(out);
  void *st;
  assert_int_equal(arcp_bundle_writer_open(out, format, NULL, &ctx, &st), CX_OK);
  for (size_t i = 0; i < 5; i++)
    if (three[i].data)
      assert_int_equal(
          arcp_bundle_add(st, three[i].name, three[i].data, strlen(three[i].data), &ctx), CX_OK);
  assert_int_equal(arcp_bundle_writer_close(st, &ctx), CX_OK);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
}

static bool same_file(const char *x, const char *y) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", x, y);
  return system(cmd) == 0;
}

static void test_writer_reproducible(void **state) {
  (void)state;
  static const char *formats[][2] = {{"tar", "w.tar"},
                                     {"tar.gz", "w.tgz"},
                                     {"tar.gz", "w.tar.gz"},
                                     {"zip", "w.zip"},
                                     {"tar.xz", "w.txz"}};
  bool have_bsdtar = system("command -v bsdtar >/dev/null 2>&1") == 0;
  for (size_t k = 0; k < sizeof formats / sizeof *formats; k++) {
    char p1[300], p2[300];
    snprintf(p1, sizeof p1, "%s/1-%s", tmpdir, formats[k][1]);
    snprintf(p2, sizeof p2, "%s/2-%s", tmpdir, formats[k][1]);
    unsetenv("SOURCE_DATE_EPOCH");
    write_bundle(p1, formats[k][0]);
    sleep(k == 0 ? 1 : 0); /* a second later: a clock would show */
    write_bundle(p2, formats[k][0]);
    assert_true(same_file(p1, p2));
    /* read back by the reader: the entries in the order given; a zip file
     * is read in place, without a spool (TMPDIR unusable) */
    setenv("TMPDIR", "/nonexistent/cx-archive", 1);
    struct cx_ctx ctx = {0};
    struct cx_istream *in = cx_istream_open(p1, &ctx);
    assert_non_null(in);
    struct got g = {0};
    read_bundle_from(in, NULL, &g, &ctx);
    expect_three(&g);
    got_free(&g);
    cx_istream_close(in);
    if (strcmp(formats[k][0], "zip") == 0) { /* the same zip from memory needs the spool */
      size_t len;
      char *zip = read_file(p1, &len);
      in = cx_istream_open_mem(zip, len, "mem.zip", &ctx);
      read_bundle_from(in, NULL, &g, &ctx);
      assert_int_equal(g.n, 1);
      assert_non_null(strstr(g.items[0], "OPEN:cannot create a temporary file in /nonexistent"));
      got_free(&g);
      cx_istream_close(in);
      free(zip);
    }
    unsetenv("TMPDIR");
    if (have_bsdtar) {
      char cmd[2048];
      snprintf(cmd, sizeof cmd,
               "test \"$(bsdtar -tf '%s' | tr '\\n' ' ')\" = "
               "'cable/2007/01/07XXTEST1.txt cable/2008/02/08XXTEST2.txt cable/empty.txt "
               "cable/2009/03/09XXTEST3.txt ' && "
               "test \"$(bsdtar -xOf '%s' cable/2008/02/08XXTEST2.txt)\" = \"$(printf "
               "'second cable\\nline two')\" && "
               "bsdtar -tvf '%s' | awk '$3 != 0 || $4 != 0 { exit 1 }'",
               p1, p1, p1);
      assert_int_equal(system(cmd), 0);
    }
    /* SOURCE_DATE_EPOCH sets the time (and so changes the bytes) */
    setenv("SOURCE_DATE_EPOCH", "1291161600", 1); /* 2010-12-01 */
    write_bundle(p2, formats[k][0]);
    assert_false(same_file(p1, p2));
    if (have_bsdtar) {
      char cmd[1024];
      snprintf(cmd, sizeof cmd, "bsdtar -tvf '%s' | grep -q 'Dec  1  2010'", p2);
      assert_int_equal(system(cmd), 0);
    }
    unsetenv("SOURCE_DATE_EPOCH");
  }
  char p[600];
  FILE *f;
  /* libarchive's own gzip (.tgz): no time in the header either */
  snprintf(p, sizeof p, "%s/1-w.tgz", tmpdir);
  f = fopen(p, "rb");
  unsigned char gz[10];
  assert_int_equal(fread(gz, 1, 10, f), 10);
  fclose(f);
  assert_int_equal(gz[0], 0x1f);
  assert_int_equal(gz[3] & 0x08, 0);
  assert_int_equal(gz[4] | gz[5] | gz[6] | gz[7], 0);
}

static void test_writer_refuses(void **state) {
  (void)state;
  struct cx_ctx ctx = {0};
  char p[600];
  snprintf(p, sizeof p, "%s/x.7z", tmpdir);
  struct cx_ostream *out = cx_ostream_open(p, &ctx);
  void *st;
  assert_int_equal(arcp_bundle_writer_open(out, "7z", NULL, &ctx, &st), CX_FATAL);
  assert_non_null(strstr(ctx.msg, "cannot write 7z bundles"));
  cx_ostream_abort(out);
}

static int setup(void **state) {
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "%s/cx-archive-XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_kind),
      cmocka_unit_test(test_gzip_entry),
      cmocka_unit_test(test_links_and_hostile_names),
      cmocka_unit_test(test_bombs),
      cmocka_unit_test(test_corrupt_zip_entry),
      cmocka_unit_test(test_7z_from_a_pipe),
      cmocka_unit_test(test_not_a_bundle),
      cmocka_unit_test(test_writer_reproducible),
      cmocka_unit_test(test_writer_refuses),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
