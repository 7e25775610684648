# Coverage-guided fuzzing (issue 12): one libFuzzer target per reader
# (fuzz_read_FMT: the input read as one file by that plugin, a bundle's
# entries for archive) and per writer (fuzz_write_FMT: the input read as
# JSON Lines, written by that plugin, read back).  Built only with
# -DCABLEX_FUZZ=ON and clang (which also turns on ASan+UBSan):
#   CC=clang-14 cmake -S . -B build-fuzz -DCABLEX_FUZZ=ON && cmake --build build-fuzz -j2
#   ASAN_OPTIONS=verify_asan_link_order=0 build-fuzz/tests/fuzz_read_raw -dict=tests/fuzz/dict/raw.dict CORPUS_DIR tests/fuzz/seeds/raw
# (clang puts libFuzzer's libstdc++ before the shared ASan runtime in the
# list of libraries: ASAN_OPTIONS=verify_asan_link_order=0 lets it start;
# no library before it defines what ASan intercepts.)
# Seeds are the project's own fixtures (tests/fuzz/seeds.sh gathers them at
# build time), with a dictionary per format in tests/fuzz/dict.  ctest runs
# each target for a few seconds on its seeds (label "fuzzer"), so that the
# harnesses keep building and the seeds keep passing.
if(NOT CABLEX_FUZZ)
  return()
endif()
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "CABLEX_FUZZ needs clang (libFuzzer): CC=clang-14 cmake -DCABLEX_FUZZ=ON ...")
endif()
set(cx_fuzz_dir ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
set(cx_plugins ${PROJECT_SOURCE_DIR}/plugins)
pkg_check_modules(CX_FUZZ_DEPS REQUIRED IMPORTED_TARGET libarchive expat sqlite3)
set(cx_fuzz_libs PkgConfig::CX_FUZZ_DEPS ZLIB::ZLIB)

# Each target links its plugin's sources as the plugin's own CMakeLists.txt
# lists them (cx_add_plugin records them): no second list to keep.
# The seeds of each format, gathered from the fixtures into the build tree.
set(cx_fuzz_seeds ${CMAKE_CURRENT_BINARY_DIR}/fuzz-seeds)
add_custom_target(cx_fuzz_seeds ALL
  COMMAND sh ${cx_fuzz_dir}/seeds.sh ${PROJECT_SOURCE_DIR} ${cx_fuzz_seeds}
          $<TARGET_FILE:cablex_cli>
  COMMENT "fuzz seed corpora from the fixtures")
add_dependencies(cx_fuzz_seeds cablex_cli)
foreach(p xml html csv epub archive sqlite)
  if(TARGET cx_plugin_${p})
    add_dependencies(cx_fuzz_seeds cx_plugin_${p})
  endif()
endforeach()

# cx_add_fuzz(NAME HARNESS PLUGIN SEEDS DICT [more plugins whose code it links,
# without their descriptor])
function(cx_add_fuzz name harness plugin seeds dict)
  set(srcs ${harness})
  set(libs "")
  foreach(p ${plugin} ${ARGN})
    get_property(ps GLOBAL PROPERTY CX_PLUGIN_SOURCES_${p})
    if(NOT p STREQUAL plugin)
      # another plugin's code without its descriptor (one cablex_plugin_v1)
      list(FILTER ps EXCLUDE REGEX "_plugin\\.c$")
    endif()
    get_property(pl GLOBAL PROPERTY CX_PLUGIN_LIBS_${p})
    list(APPEND srcs ${ps})
    foreach(l ${pl})
      # a plugin folder's pkg-config targets are not seen here: CX_FUZZ_DEPS
      # above stands in for them
      if(TARGET ${l} OR NOT l MATCHES "::")
        list(APPEND libs ${l})
      endif()
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES srcs)
  add_executable(${name} ${srcs})
  target_include_directories(${name} PRIVATE ${CX_CORE_PRIVATE_DIRS} ${cx_plugins}/${plugin}
                             ${cx_plugins}/json)
  target_link_libraries(${name} PRIVATE cablex ${cx_fuzz_libs} ${libs} m)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  if(plugin STREQUAL "pdftext")
    target_compile_definitions(${name} PRIVATE CX_FUZZ_NO_PDF=1)
  endif()
  add_dependencies(${name} cx_fuzz_seeds)
  # a few seconds on the seeds: the harness builds, the seeds pass
  add_test(NAME ${name}
    COMMAND sh -c [=[
t="$1"; seeds="$2"; dict="$3"; tmp="$4"
rm -rf "$tmp"; mkdir -p "$tmp/new"
"$t" -dict="$dict" -max_total_time=4 -seed=1 -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
  -artifact_prefix="$tmp/" "$tmp/new" "$seeds" >"$tmp/log" 2>&1
rc=$?
tail -n 3 "$tmp/log"
[ $rc -eq 0 ] || { grep -A30 -E 'ERROR|Sanitizer|runtime error' "$tmp/log" | head -n 60; exit 1; }
rm -rf "$tmp"
]=] cx-fuzz $<TARGET_FILE:${name}> ${cx_fuzz_seeds}/${seeds} ${cx_fuzz_dir}/dict/${dict}.dict
          ${CMAKE_CURRENT_BINARY_DIR}/fuzz-tmp/${name})
  set_tests_properties(${name} PROPERTIES LABELS "fuzzer" TIMEOUT 300
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:verify_asan_link_order=0;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endfunction()

foreach(fmt raw json xml html csv epub pdftext archive sqlite)
  cx_add_fuzz(fuzz_read_${fmt} ${cx_fuzz_dir}/fuzz_reader.c ${fmt} ${fmt} ${fmt})
endforeach()
foreach(fmt raw json xml html csv epub sqlite)
  cx_add_fuzz(fuzz_write_${fmt} ${cx_fuzz_dir}/fuzz_writer.c ${fmt} json json json)
endforeach()
