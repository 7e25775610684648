# The pdftext plugin: cmocka units built from its sources; an end-to-end
# test on a PDF the test renders itself (tests/pdftext/mkpdf.py) and
# extracts with pdftotext in three modes (skips without pdftotext); and the
# conformance table over the real cable PDFs of ../shared/corpus/pdf.
set(CX_PDFTEXT_DIR ${PROJECT_SOURCE_DIR}/plugins/pdftext)
cx_add_unit_test(test_pdftext
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_pdftext.c
          ${CX_PDFTEXT_DIR}/pdftext_plugin.c ${CX_PDFTEXT_DIR}/pdftext_clean.c ${CX_PDFTEXT_DIR}/pdftext_meta.c ${CX_PDFTEXT_DIR}/pdftext_repair.c
          ${CX_PDFTEXT_DIR}/pdftext_pdf.c ${CX_PDFTEXT_DIR}/pdftext_reader.c
  LABELS pdftext)
target_include_directories(test_pdftext PRIVATE ${CX_PDFTEXT_DIR})
# the hang bound of test_long_lines (hostile sizes must stay linear)
set_tests_properties(test_pdftext PROPERTIES TIMEOUT 60)

add_test(NAME pdftext_modes
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pdftext/modes.sh $<TARGET_FILE:cablex_cli>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/pdftext_modes.tmp)
set_tests_properties(pdftext_modes PROPERTIES LABELS "pdftext;cli" SKIP_RETURN_CODE 77
  TIMEOUT 120)

add_test(NAME conformance_pdftext_modes
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/conformance/pdftext_modes.py
          $<TARGET_FILE:cablex_cli> ${CX_SHARED_DIR})
set_tests_properties(conformance_pdftext_modes PROPERTIES LABELS "conformance;pdftext"
  SKIP_RETURN_CODE 77 TIMEOUT 300)

# On real cables without PDF artefacts pdftext must agree with raw.
add_test(NAME conformance_pdftext_raw_agree
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/conformance/pdftext_raw_agree.py
          $<TARGET_FILE:cablex_cli> ${CX_SHARED_DIR})
set_tests_properties(conformance_pdftext_raw_agree PROPERTIES LABELS "conformance;pdftext"
  SKIP_RETURN_CODE 77 TIMEOUT 300)
