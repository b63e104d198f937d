# weft_add_test(NAME name COMMAND program [args...] [OPTIONS weft-options...]
#               [CHECK] [WILL_FAIL])
#
# Registers a ctest test that runs `program args` under `weft run`: it
# passes when weft explores every interleaving without finding a bug. A
# program that is a target of the project is found by its name. CHECK marks
# a program whose tests are written with weft_check (<weft.h>): it explores
# by itself, so it runs as it is, with OPTIONS given to it as WEFT_*
# environment settings (e.g. OPTIONS WEFT_MAX_EXECUTIONS=1000). WILL_FAIL
# marks a test whose bug is expected (an example of a bug, say).
#
# To run an existing ctest suite under weft without touching its
# CMakeLists.txt, configure it with one setting instead:
#   cmake -DCMAKE_CROSSCOMPILING_EMULATOR="weft;run;--" ...
function(weft_add_test)
  cmake_parse_arguments(ARG "WILL_FAIL;CHECK" "NAME" "COMMAND;OPTIONS" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_COMMAND)
    message(FATAL_ERROR "weft_add_test: NAME and COMMAND are required")
  endif()
  list(GET ARG_COMMAND 0 program)
  list(REMOVE_AT ARG_COMMAND 0)
  if(TARGET ${program})
    set(program $<TARGET_FILE:${program}>)
  endif()
  if(ARG_CHECK)
    add_test(NAME ${ARG_NAME} COMMAND ${program} ${ARG_COMMAND})
    if(ARG_OPTIONS)
      set_tests_properties(${ARG_NAME} PROPERTIES ENVIRONMENT "${ARG_OPTIONS}")
    endif()
  else()
    add_test(NAME ${ARG_NAME}
             COMMAND $<TARGET_FILE:weft::cli> run --no-progress ${ARG_OPTIONS} -- ${program}
                     ${ARG_COMMAND})
  endif()
  if(ARG_WILL_FAIL)
    set_tests_properties(${ARG_NAME} PROPERTIES WILL_FAIL TRUE)
  endif()
endfunction()
