/* epub_plugin.c - the descriptor of the epub plugin: EPUB 3 books, one
 * chapter per cable (formats/epub.md). */
#include "epub_plugin.h"

static const char *const extensions[] = {"epub", NULL};

static const struct cx_option_doc options[] = {
    {"group-by", "origin|date|tag",
     "write: group the table of contents by origin (default), year, or first tag"},
    {"title", "TEXT", "write: the book's title (default \"Diplomatic cables\")"},
    CX_OPTION_MAX_CABLE_SIZE("cable"),
    CX_OPTIONS_END};

CX_PLUGIN_DEFINE(CX_PLUGIN_ABOUT("epub", "1.0.0", CX_KIND_INPUT | CX_KIND_OUTPUT,
                                 "EPUB 3 book, one chapter per cable (formats/epub.md)", extensions,
                                 options),
                 CX_PLUGIN_READER(epubp), CX_PLUGIN_WRITER(epubp));
