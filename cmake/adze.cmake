# adze_test(NAME SOURCES... LIBS ... [RC_CASES n]): one GoogleTest binary per layer, each test
# registered with ctest individually (discovered when ctest runs, not at build time).
function(adze_test name)
  if(NOT ADZE_BUILD_TESTS)
    return()
  endif()
  # RC_CASES: RapidCheck cases per property (default 300).
  cmake_parse_arguments(T "" "RC_CASES" "SOURCES;LIBS" ${ARGN})
  if(NOT T_RC_CASES)
    set(T_RC_CASES 300)
  endif()
  # Sanitized builds run ~10x slower: cap the cases there (the Release run
  # already covers the full count with the same seed).
  if(ADZE_SANITIZE AND T_RC_CASES GREATER 300)
    set(T_RC_CASES 300)
  endif()
  add_executable(${name} ${T_SOURCES} ${PROJECT_SOURCE_DIR}/cmake/test_main.cc)
  target_compile_definitions(${name} PRIVATE "ADZE_RC_CASES=\"${T_RC_CASES}\"")
  target_link_libraries(${name} PRIVATE ${T_LIBS} rapidcheck rapidcheck_gtest GTest::gtest)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES ENVIRONMENT "ADZE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# adze_bench(NAME SOURCES... LIBS ...): a Google Benchmark program, built only with
# ADZE_BUILD_BENCHMARKS.
function(adze_bench name)
  if(NOT ADZE_BUILD_BENCHMARKS)
    return()
  endif()
  cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE ${B_LIBS} benchmark::benchmark)
endfunction()

# adze_embed_text(TARGET INPUT FUNCTION NAMESPACE HEADER): adds to TARGET a
# generated source whose FUNCTION() returns INPUT's text (cmake/embed_text.cmake).
function(adze_embed_text target input function namespace header)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${function}.cc")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" "-DINPUT=${input}" "-DOUTPUT=${out}" "-DNAMESPACE=${namespace}"
            "-DFUNCTION=${function}" "-DHEADER=${header}" -P "${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake"
    DEPENDS "${input}" "${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake"
    COMMENT "Embedding ${input}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
