# The telegram body's part files, one test file per part (references,
# classified-by, tags, summary, subject), on snippets written for these
# tests.  Like test_telegram_body they compile the body parser's files in.
set(CX_BODY_PART_SOURCES ${PROJECT_SOURCE_DIR}/core/lib/telegram/telegram_body.c
                         ${PROJECT_SOURCE_DIR}/core/lib/telegram/stations.c)
foreach(part banner declassify tags subject references classified_by summary paragraphs signer)
  list(APPEND CX_BODY_PART_SOURCES ${PROJECT_SOURCE_DIR}/core/lib/telegram/telegram_${part}.c)
endforeach()
foreach(part classified_by references tags summary subject)
  cx_add_unit_test(test_telegram_${part}
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_telegram_${part}.c ${CX_BODY_PART_SOURCES}
    LABELS body)
endforeach()
