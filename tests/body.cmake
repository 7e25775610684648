# The telegram body parser.  cx_telegram_body is internal to libcablex (not
# exported), so the test compiles core/lib/telegram/telegram_body.c in and uses the
# library only for the model.
cx_add_unit_test(test_telegram_body
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_telegram_body.c
          ${PROJECT_SOURCE_DIR}/core/lib/telegram/telegram_body.c
          ${PROJECT_SOURCE_DIR}/core/lib/telegram/stations.c
  LABELS body)
# A hang bound, not a speed check: test_linear's megabyte inputs take
# milliseconds when the scanners are linear and hours when one is quadratic.
set_tests_properties(test_telegram_body PROPERTIES TIMEOUT 300)
