# How a test joins the suite. A few large GoogleTest executables instead of
# one per file: each is compiled from many files and linked once, and every
# TEST in it is still its own ctest entry under its own name (Suite.Name), so
# `ctest -R '^Store\.'` picks exactly those tests, wherever their file lives.
#
#   attune_test_executable(<name> [RUNS_ATTUNE] [OWN_MAIN] [TIMEOUT <s>]
#                          [LABELS <label>...] [LIBS <target>...])
#     Declares an executable (tests/CMakeLists.txt does, once each).
#     RUNS_ATTUNE: its tests spawn the real `attune` (ATTUNE_BINARY) and the
#     code guesser (ATTUNE_GUESSER), so both are built first.
#     OWN_MAIN: its sources bring main() (else gtest_main).
#     TIMEOUT and LABELS apply to every test in it.
#
#   attune_add_test(<name> <source>... [LIBS <target>...])
#     Adds test files (paths relative to the calling folder) and the
#     libraries they need to a declared executable, from any folder.
function(attune_test_executable name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "RUNS_ATTUNE;OWN_MAIN" "TIMEOUT" "LABELS;LIBS")
  add_executable(${name})
  if(arg_OWN_MAIN)
    target_link_libraries(${name} PRIVATE GTest::gtest)
  else()
    target_link_libraries(${name} PRIVATE GTest::gtest_main)
  endif()
  target_link_libraries(${name} PRIVATE ${arg_LIBS} attune_warnings)
  if(arg_RUNS_ATTUNE)
    target_compile_definitions(${name} PRIVATE ATTUNE_BINARY="$<TARGET_FILE:attune>"
                                               ATTUNE_GUESSER="$<TARGET_FILE:code_guesser>")
    add_dependencies(${name} attune code_guesser)
  endif()
  set(properties)
  if(arg_TIMEOUT)
    list(APPEND properties TIMEOUT ${arg_TIMEOUT})
  endif()
  if(arg_LABELS)
    list(APPEND properties LABELS "${arg_LABELS}")
  endif()
  if(properties)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${properties})
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
  endif()
endfunction()

function(attune_add_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "LIBS")
  if(NOT TARGET ${name})
    message(FATAL_ERROR "attune_add_test: no test executable ${name}; declare it in tests/CMakeLists.txt")
  endif()
  target_sources(${name} PRIVATE ${arg_UNPARSED_ARGUMENTS})
  if(arg_LIBS)
    target_link_libraries(${name} PRIVATE ${arg_LIBS})
  endif()
endfunction()
