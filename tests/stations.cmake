# The one station table: canonical ids, REF cable ids, FM origins.  Its functions
# are internal to libcablex (not exported), so the test compiles
# core/lib/telegram/stations.c in.
cx_add_unit_test(test_stations
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_stations.c
          ${PROJECT_SOURCE_DIR}/core/lib/telegram/stations.c
  LABELS raw body)
