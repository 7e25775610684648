# The telegram body parser.  cx_telegram_body is internal to libcablex (not
# exported), so the test compiles the body parser's files (core/lib/telegram/
# telegram_body.c and its parts) in and uses the library only for the model.
set(CX_TELEGRAM_BODY_SOURCES ${PROJECT_SOURCE_DIR}/core/lib/telegram/telegram_body.c)
foreach(part banner declassify tags subject references classified_by summary paragraphs signer)
  list(APPEND CX_TELEGRAM_BODY_SOURCES ${PROJECT_SOURCE_DIR}/core/lib/telegram/telegram_${part}.c)
endforeach()
cx_add_unit_test(test_telegram_body
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_telegram_body.c
          ${CX_TELEGRAM_BODY_SOURCES}
          ${PROJECT_SOURCE_DIR}/core/lib/telegram/stations.c
  LABELS body)
# A hang bound, not a speed check: test_linear's megabyte inputs take
# milliseconds when the scanners are linear and hours when one is quadratic.
set_tests_properties(test_telegram_body PROPERTIES TIMEOUT 300)
