/* cablex/plugin.h - the plugin ABI: the one header a plugin includes.
 *
 * A plugin is a shared module that exports exactly one symbol, its
 * descriptor, written with CX_PLUGIN_DEFINE (which fills in the ABI and
 * model layout numbers):
 *     CX_PLUGIN_DEFINE(.name = "raw", .version = "1.0.0", .kinds = ..., ...);
 * and links libcablex for the model, streams and the telegram parser.  The
 * descriptor is the one place a plugin's metadata is written: the build
 * generates plugins.d/NAME.conf from it (cablex-plugin-conf).
 *
 * Ownership: the descriptor and every string it points to are static data
 * of the plugin.  A reader hands each cable it returns to the caller (the
 * caller frees it with cx_cable_free); a writer only borrows the cables it
 * is given.  Reader and writer state belongs to the plugin from open until
 * close, which must free it whatever happened before.
 */
#ifndef CABLEX_PLUGIN_H
#define CABLEX_PLUGIN_H

#include <stddef.h>

#include "cablex/cable.h"
#include "cablex/error.h"
#include "cablex/options.h"
#include "cablex/stream.h"
#include "cablex/telegram.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes.  The core refuses a plugin whose major
 * differs or whose minor is newer than its own.  Minor versions only append
 * members at the end of struct cx_plugin (struct_size tells which exist). */
#define CX_ABI_MAJOR 1
#define CX_ABI_MINOR 2

/* The layout of the model structs a plugin reads and fills: struct
 * cx_cable (cablex/cable.h), struct cx_ctx (cablex/error.h), struct
 * cx_buf (cablex/stream.h), and the field table of cablex/fields.h (its
 * CX_F_ and CX_REC_ numbers and struct cx_field are compiled into a
 * plugin; core/lib/model/fields.c stops the build when the table changes
 * and this number did not).  Raise it whenever one of them changes
 * layout; the core refuses a plugin built for another layout (ABI 1.2
 * descriptors record it with the three sizes; older ones were built for
 * layout 1). */
#define CX_MODEL_LAYOUT 1
#define CX_PLUGIN_SYMBOL "cablex_plugin_v1"

/* Whether the descriptor p is new enough to have member m (a 1.0 plugin
 * has no bundle members): check before using any member added after 1.0. */
#define CX_PLUGIN_HAS(p, m)                                                                        \
  ((p)->struct_size >= offsetof(struct cx_plugin, m) + sizeof(((struct cx_plugin *)0)->m))

#define CX_PLUGIN_EXPORT __attribute__((visibility("default")))

/* Defines the descriptor cablex_plugin_v1 from designated initializers
 * (.name, .version, .description, .kinds, .extensions, .options, .probe
 * and the reader / writer / bundle functions), with the ABI numbers, the
 * descriptor's size and the model layout filled in. */
#define CX_PLUGIN_DEFINE(...)                                                                      \
  CX_PLUGIN_EXPORT const struct cx_plugin cablex_plugin_v1 = {                                     \
      .abi_major = CX_ABI_MAJOR,                                                                   \
      .abi_minor = CX_ABI_MINOR,                                                                   \
      .struct_size = sizeof(struct cx_plugin),                                                     \
      .model_layout = CX_MODEL_LAYOUT,                                                             \
      .cable_size = sizeof(struct cx_cable),                                                       \
      .ctx_size = sizeof(struct cx_ctx),                                                           \
      .buf_size = sizeof(struct cx_buf),                                                           \
      __VA_ARGS__}

/* A descriptor names its functions after one prefix (raw's rawp_reader_open
 * ...), so that it states only what differs from other plugins:
 *     CX_PLUGIN_DEFINE(CX_PLUGIN_ABOUT("raw", "1.0.0", CX_KIND_INPUT | CX_KIND_OUTPUT,
 *                                      "raw cable text", extensions, options),
 *                      CX_PLUGIN_READER(rawp), CX_PLUGIN_WRITER(rawp));
 * and its header declares them with CX_PLUGIN_DECLARE_READER(rawp); etc. */
#define CX_PLUGIN_ABOUT(NAME, VERSION, KINDS, DESCRIPTION, EXTENSIONS, OPTIONS)                    \
  .name = NAME, .version = VERSION, .kinds = KINDS, .description = DESCRIPTION,                    \
  .extensions = EXTENSIONS, .options = OPTIONS
#define CX_PLUGIN_READER(P)                                                                        \
  .probe = P##_probe, .reader_open = P##_reader_open, .reader_next = P##_reader_next,              \
  .reader_close = P##_reader_close
#define CX_PLUGIN_WRITER(P)                                                                        \
  .writer_open = P##_writer_open, .writer_write = P##_writer_write, .writer_close = P##_writer_close
#define CX_PLUGIN_ENCODER(P) .writer_encode = P##_writer_encode, .writer_put = P##_writer_put
#define CX_PLUGIN_BUNDLES(P)                                                                       \
  .bundle_open = P##_bundle_open, .bundle_next = P##_bundle_next,                                  \
  .bundle_close = P##_bundle_close, .bundle_writer_open = P##_bundle_writer_open,                  \
  .bundle_add = P##_bundle_add, .bundle_writer_close = P##_bundle_writer_close

/* The prototypes of the functions CX_PLUGIN_READER and the others name
 * (but the probe, which a plugin declares with what it returns). */
#define CX_PLUGIN_DECLARE_READER(P)                                                                \
  int P##_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,    \
                      void **state);                                                               \
  int P##_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable);                   \
  void P##_reader_close(void *state)
#define CX_PLUGIN_DECLARE_WRITER(P)                                                                \
  int P##_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,   \
                      void **state);                                                               \
  int P##_writer_write(void *state, const struct cx_cable *cable, struct cx_ctx *ctx);             \
  int P##_writer_close(void *state, struct cx_ctx *ctx)
#define CX_PLUGIN_DECLARE_ENCODER(P)                                                               \
  int P##_writer_encode(const struct cx_options *opts, const struct cx_cable *cable,               \
                        struct cx_ctx *ctx, struct cx_buf *out);                                   \
  int P##_writer_put(void *state, const char *data, size_t len, struct cx_ctx *ctx)
#define CX_PLUGIN_DECLARE_BUNDLES(P)                                                               \
  int P##_bundle_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,    \
                      void **state);                                                               \
  int P##_bundle_next(void *state, struct cx_ctx *ctx, const char **name,                          \
                      struct cx_istream **entry);                                                  \
  void P##_bundle_close(void *state);                                                              \
  int P##_bundle_writer_open(struct cx_ostream *out, const char *format,                           \
                             const struct cx_options *opts, struct cx_ctx *ctx, void **state);     \
  int P##_bundle_add(void *state, const char *name, const void *data, size_t len,                  \
                     struct cx_ctx *ctx);                                                          \
  int P##_bundle_writer_close(void *state, struct cx_ctx *ctx)

/* What a reader's own read_one() returns for an input that is not a cable
 * (after its warning on ctx): cx_read_skipping() calls it again. */
#define CX_SKIPPED 2
/* A reader_next made of read_one: its first result that is not CX_SKIPPED. */
CX_API int cx_read_skipping(int (*read_one)(void *state, struct cx_ctx *ctx,
                                            struct cx_cable **cable),
                            void *state, struct cx_ctx *ctx, struct cx_cable **cable);

/* What the line readers (raw, html, csv) keep alike: the input, the
 * max-cable-size, the record being collected and the line just read, the
 * lines consumed and the give-up rule, and where the input stands.  Such a
 * reader's state starts with it:
 *     struct raw_reader { struct cx_line_reader lr; ... };
 * Ownership: cx_line_reader_open() allocates the whole state and
 * cx_line_reader_close() frees rec, line and the state; a reader with
 * buffers of its own frees those first. */
struct cx_line_reader {
  struct cx_istream *in;
  size_t max;             /* max-cable-size: the limit of rec and of rl */
  struct cx_buf rec;      /* the record (cable, page, row): up to max bytes */
  struct cx_buf line;     /* the line just read: up to max + 2 (a record and its newline) */
  struct cx_rec_lines rl; /* lines consumed, the record's size, gave_up */
  bool eof;               /* nothing more to read (the end, or given up) */
  bool first;             /* nothing read yet: a byte order mark may start the input */
};
/* A reader's open: a zeroed state of size bytes (its first member a struct
 * cx_line_reader) set up to read in, into *state; CX_OK, or CX_FATAL with
 * the message on ctx (cx_reader_state's). */
CX_API int cx_line_reader_open(size_t size, struct cx_istream *in, const struct cx_options *opts,
                               struct cx_ctx *ctx, void **state);
/* A reader's close: frees rec, line and the state (NULL is fine). */
CX_API void cx_line_reader_close(void *state);

/* A writer whose output is its cables' records one after another, sep
 * (NULL for nothing) between two, each record made by the plugin's encode
 * (its writer_encode without the options): the plugin's writer_open,
 * writer_write, writer_put and writer_close call these. */
typedef int (*cx_encode_fn)(const struct cx_cable *cable, struct cx_ctx *ctx, struct cx_buf *out);
CX_API int cx_records_open(struct cx_ostream *out, const char *sep, struct cx_ctx *ctx,
                           void **state);
CX_API int cx_records_write(void *state, cx_encode_fn encode, const struct cx_cable *cable,
                            struct cx_ctx *ctx);
CX_API int cx_records_put(void *state, const char *data, size_t len, struct cx_ctx *ctx);
CX_API int cx_records_close(void *state, struct cx_ctx *ctx);

/* Defines P_writer_open, _write, _close, _encode and _put (CX_PLUGIN_WRITER
 * and CX_PLUGIN_ENCODER) from cx_records_* and the plugin's ENCODE. */
#define CX_RECORDS_WRITER(P, SEP, ENCODE)                                                          \
  int P##_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,   \
                      void **state) {                                                              \
    (void)opts;                                                                                    \
    return cx_records_open(out, SEP, ctx, state);                                                  \
  }                                                                                                \
  int P##_writer_write(void *state, const struct cx_cable *cable, struct cx_ctx *ctx) {            \
    return cx_records_write(state, ENCODE, cable, ctx);                                            \
  }                                                                                                \
  int P##_writer_close(void *state, struct cx_ctx *ctx) {                                          \
    return cx_records_close(state, ctx);                                                           \
  }                                                                                                \
  int P##_writer_encode(const struct cx_options *opts, const struct cx_cable *cable,               \
                        struct cx_ctx *ctx, struct cx_buf *out) {                                  \
    (void)opts;                                                                                    \
    return ENCODE(cable, ctx, out);                                                                \
  }                                                                                                \
  int P##_writer_put(void *state, const char *data, size_t len, struct cx_ctx *ctx) {              \
    return cx_records_put(state, data, len, ctx);                                                  \
  }

enum cx_plugin_kind {
  CX_KIND_INPUT = 1,    /* has a reader */
  CX_KIND_OUTPUT = 2,   /* has a writer */
  CX_KIND_CONTAINER = 4 /* yields or takes other inputs (archives) */
};

/* What a plugin accepts, for `cablex plugins` and --help. */
struct cx_option_doc {
  const char *name; /* "pretty" */
  const char *arg;  /* NULL for a flag, else e.g. "N" */
  const char *help; /* one line */
};

/* The option every reader takes (cx_options_max_cable_size), WHAT being
 * what it bounds ("cable", "page"), and the end of an option table. */
#define CX_OPTION_MAX_CABLE_SIZE(WHAT)                                                             \
  { "max-cable-size", "BYTES", "read: largest " WHAT " accepted (K, M, G suffixes)" }
#define CX_OPTIONS_END                                                                             \
  { NULL, NULL, NULL }

struct cx_plugin {
  unsigned abi_major;  /* CX_ABI_MAJOR */
  unsigned abi_minor;  /* CX_ABI_MINOR */
  size_t struct_size;  /* sizeof(struct cx_plugin) as the plugin saw it */
  const char *name;    /* "raw": what -f / -t take */
  const char *version; /* the plugin's own version */
  const char *description;
  unsigned kinds;                      /* enum cx_plugin_kind bits */
  const char *const *extensions;       /* NULL-terminated, without dot: "txt" */
  const struct cx_option_doc *options; /* terminated by a NULL name; may be NULL */

  /* 0..100: how sure the plugin is that these first bytes are its format
   * (0 = not mine).  name is the input's name (may be "-"). May be NULL. */
  int (*probe)(const unsigned char *head, size_t len, const char *name);

  /* Reader (CX_KIND_INPUT). open returns CX_OK or CX_FATAL; next returns
   * CX_OK with *cable set, CX_EOF, CX_WARN with *cable set (message on ctx),
   * CX_FAILED (this cable is lost, call next again) or CX_FATAL. */
  int (*reader_open)(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state);
  int (*reader_next)(void *state, struct cx_ctx *ctx, struct cx_cable **cable);
  void (*reader_close)(void *state);

  /* Writer (CX_KIND_OUTPUT). write returns CX_OK, CX_WARN (written, but
   * something could not be carried), CX_FAILED (this cable was not written)
   * or CX_FATAL.  close finishes the output (trailers) and frees state. */
  int (*writer_open)(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state);
  int (*writer_write)(void *state, const struct cx_cable *cable, struct cx_ctx *ctx);
  int (*writer_close)(void *state, struct cx_ctx *ctx);

  /* ---- ABI 1.1: bundles (kinds has CX_KIND_CONTAINER) ---- */

  /* Bundle reader (CONTAINER|INPUT): yields a bundle's entries; the core
   * detects each entry's format and reads it like a file (a bundle inside
   * a bundle included).  next returns CX_OK with *name (the entry's path in
   * the bundle, untrusted) and *entry (its contents, opened by the plugin
   * with cx_istream_open_fn), both valid until the next call to next or
   * close; CX_EOF; CX_FAILED (this entry is lost, message on ctx; call next
   * again); or CX_FATAL (nothing more can be read). */
  int (*bundle_open)(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state);
  int (*bundle_next)(void *state, struct cx_ctx *ctx, const char **name, struct cx_istream **entry);
  void (*bundle_close)(void *state);

  /* Bundle writer (CONTAINER|OUTPUT), for `-t tar.gz:raw`: the core
   * encodes each cable with the inner writer and hands the bytes over as
   * one entry.  format is the kind the user named ("tar", "tar.gz",
   * "zip": one of the plugin's extensions).  add returns CX_OK, CX_FAILED
   * (this entry was not written) or CX_FATAL; close writes the trailer. */
  int (*bundle_writer_open)(struct cx_ostream *out, const char *format,
                            const struct cx_options *opts, struct cx_ctx *ctx, void **state);
  int (*bundle_add)(void *state, const char *name, const void *data, size_t len,
                    struct cx_ctx *ctx);
  int (*bundle_writer_close)(void *state, struct cx_ctx *ctx);

  /* ---- ABI 1.1: parallel encoding (optional; both or neither) ---- */

  /* Appends to out the bytes that writer_open + writer_write +
   * writer_close would write for an output holding this one cable alone.
   * Pure and thread-safe: the core calls it from several threads at once,
   * with no writer state.  Returns like writer_write; on CX_FAILED or
   * CX_FATAL the core drops whatever was appended. */
  int (*writer_encode)(const struct cx_options *opts, const struct cx_cable *cable,
                       struct cx_ctx *ctx, struct cx_buf *out);
  /* Writes one record made by writer_encode to the output opened with
   * writer_open, with whatever goes between records (raw's form-feed
   * line).  Called from one thread, in order.  Returns CX_OK or CX_FATAL. */
  int (*writer_put)(void *state, const char *data, size_t len, struct cx_ctx *ctx);

  /* ---- ABI 1.1: parallel reading of large inputs (optional) ---- */

  /* The length of the longest prefix of data[0, len) that ends where one
   * record ends and the next begins, such that reading the prefix and the
   * rest each on its own gives the same cables as reading data whole; 0
   * when there is no such place.  Pure and thread-safe.  The core splits
   * inputs larger than it reads whole at these places and parses the parts
   * in parallel (line numbers in messages stay those of the whole input). */
  size_t (*record_split)(const char *data, size_t len);

  /* ---- ABI 1.2: the model layout the plugin was built against ---- */

  /* CX_MODEL_LAYOUT and the sizes of struct cx_cable, cx_ctx and cx_buf as
   * the plugin saw them (CX_PLUGIN_DEFINE fills them in). */
  unsigned model_layout;
  size_t cable_size, ctx_size, buf_size;
};

#ifdef __cplusplus
}
#endif
#endif
