# Bounded buffers, byte streams with transparent gzip, and -O options.
cx_add_unit_test(test_stream SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_stream.c
  LIBS ZLIB::ZLIB Threads::Threads LABELS streams)
cx_add_unit_test(test_options SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_options.c
  LABELS streams)
