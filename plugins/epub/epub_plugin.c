/* epub_plugin.c - the descriptor of the epub plugin: EPUB 3 books, one
 * chapter per cable (formats/epub.md). */
#include "epub_plugin.h"

static const char *const extensions[] = {"epub", NULL};

static const struct cx_option_doc options[] = {
    {"group-by", "origin|date|tag",
     "write: group the table of contents by origin (default), year, or first tag"},
    {"title", "TEXT", "write: the book's title (default \"Diplomatic cables\")"},
    {"max-cable-size", "BYTES", "read: largest cable accepted (K, M, G suffixes)"},
    {NULL, NULL, NULL}};

/* clang-format off */
CX_PLUGIN_DEFINE(
    .name = "epub",
    .version = "1.0.0",
    .description = "EPUB 3 book, one chapter per cable (formats/epub.md)",
    .kinds = CX_KIND_INPUT | CX_KIND_OUTPUT,
    .extensions = extensions,
    .options = options,
    .probe = epubp_probe,
    .reader_open = epubp_reader_open,
    .reader_next = epubp_reader_next,
    .reader_close = epubp_reader_close,
    .writer_open = epubp_writer_open,
    .writer_write = epubp_writer_write,
    .writer_close = epubp_writer_close
);
/* clang-format on */
