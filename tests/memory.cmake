# What one huge cable costs in memory (issue 12, case 10), counted by the
# test's own malloc (not RSS, not time): the json reader's buffers and the
# model, and the json and epub writers, each bounded by a multiple of the
# cable's size.  A sanitizer brings its own malloc: not built then.
if(NOT CABLEX_SANITIZE)
  set(CX_MEM_JSON ${PROJECT_SOURCE_DIR}/plugins/json)
  set(CX_MEM_EPUB ${PROJECT_SOURCE_DIR}/plugins/epub)
  cx_add_unit_test(test_cable_memory
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_cable_memory.c
            ${CX_MEM_JSON}/json_writer.c ${CX_MEM_JSON}/json_reader.c ${CX_MEM_JSON}/json_parse.c
            ${CX_MEM_EPUB}/epub_writer.c ${CX_MEM_EPUB}/epub_xhtml.c ${CX_MEM_EPUB}/epub_zip.c
    LIBS ZLIB::ZLIB
    LABELS "json;epub;memory")
endif()
