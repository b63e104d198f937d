# weft_instrumented_case(SOURCE file TARGET name TEST prefix OUTPUT_DIR dir)
#
# One program with its expectations in its header comment (weft-expect,
# weft-options), built for the race detector and checked by
# tests/run_case.sh: with the project's compiler through weft_instrument()
# (test PREFIX/NAME), and with clang when it is installed, by hand as a
# user would outside CMake: compile with -fsanitize=thread, link without
# it, against libweft-tsan (test PREFIX/clang/NAME). A program expected to
# pass also runs once without weft (PREFIX/standalone/NAME), where
# libweft-tsan alone must run it correctly. Used by tests/tsan and
# examples/races.

find_program(WEFT_CLANG clang)
find_program(WEFT_CLANGXX clang++)

function(weft_instrumented_case)
  cmake_parse_arguments(ARG "" "SOURCE;TARGET;TEST;OUTPUT_DIR" "" ${ARGN})
  get_filename_component(name ${ARG_SOURCE} NAME_WE)
  set(run_case ${CMAKE_SOURCE_DIR}/tests/run_case.sh)
  add_executable(${ARG_TARGET} ${ARG_SOURCE})
  set_target_properties(${ARG_TARGET} PROPERTIES OUTPUT_NAME ${name}
                        RUNTIME_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
  target_compile_options(${ARG_TARGET} PRIVATE -O1 -UNDEBUG -pthread)
  target_link_options(${ARG_TARGET} PRIVATE -pthread)
  weft_instrument(${ARG_TARGET})
  add_test(NAME ${ARG_TEST}/${name}
           COMMAND sh ${run_case} $<TARGET_FILE:weft_cli> ${ARG_SOURCE} $<TARGET_FILE:${ARG_TARGET}>)
  file(STRINGS ${ARG_SOURCE} passes REGEX "weft-expect: ok")
  if(passes)
    add_test(NAME ${ARG_TEST}/standalone/${name} COMMAND ${ARG_TARGET})
  endif()
  if(ARG_SOURCE MATCHES "\\.cpp$")
    set(compiler ${WEFT_CLANGXX})
  else()
    set(compiler ${WEFT_CLANG})
  endif()
  if(NOT compiler)
    return()
  endif()
  get_filename_component(include_dir ${ARG_SOURCE} DIRECTORY)
  set(output ${ARG_OUTPUT_DIR}/clang/${name})
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${ARG_OUTPUT_DIR}/clang
    COMMAND ${compiler} -g -O1 -UNDEBUG -pthread -fsanitize=thread -I${include_dir}
            -c ${ARG_SOURCE} -o ${output}.o
    COMMAND ${compiler} -pthread ${output}.o -o ${output} -L$<TARGET_FILE_DIR:weft_tsan>
            -lweft-tsan -Wl,-rpath,$<TARGET_FILE_DIR:weft_tsan>
    DEPENDS ${ARG_SOURCE} weft_tsan
    COMMENT "Building ${name} with clang")
  add_custom_target(${ARG_TARGET}_clang ALL DEPENDS ${output})
  add_test(NAME ${ARG_TEST}/clang/${name}
           COMMAND sh ${run_case} $<TARGET_FILE:weft_cli> ${ARG_SOURCE} ${output})
endfunction()
