# weft_instrument(target)
#
# Builds `target` (an executable or library of C or C++) for weft's data
# race detector and its exploration of atomics: its sources are compiled
# with ThreadSanitizer's instrumentation (-fsanitize=thread), and it is
# linked, instead of against ThreadSanitizer's runtime, against
# libweft-tsan, which runs the program normally on its own (atomics are
# real, accesses unchecked) and whose every hook the weft runtime takes
# over under `weft run`:
#
#   add_executable(cache_test cache_test.c)
#   weft_instrument(cache_test)
#   weft_add_test(NAME cache_test COMMAND cache_test)
#
# By hand, the same is: compile with -fsanitize=thread -g, link WITHOUT
# -fsanitize=thread, adding -L<weft's lib dir> -lweft-tsan (and an rpath
# or LD_LIBRARY_PATH so the program finds it). A test that links libweft
# itself (weft::weft, for weft_check) needs nothing more: libweft defines
# the same entry points.
#
# Inside weft's own build the library is the target weft_tsan; an
# installed weft provides it next to this file's ../.. (<libdir>).

set(_WEFT_INSTRUMENT_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(weft_instrument target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "weft_instrument: ${target} is not a target")
  endif()
  if(TARGET weft_tsan)
    set(library weft_tsan)
  else()
    if(NOT TARGET weft::tsan)
      get_filename_component(libdir "${_WEFT_INSTRUMENT_DIR}/../.." ABSOLUTE)
      find_library(WEFT_TSAN_LIBRARY weft-tsan HINTS "${libdir}" NO_DEFAULT_PATH)
      find_library(WEFT_TSAN_LIBRARY weft-tsan)
      if(NOT WEFT_TSAN_LIBRARY)
        message(FATAL_ERROR "weft_instrument: libweft-tsan.so not found (looked in ${libdir}); "
                            "install weft, or set WEFT_TSAN_LIBRARY to the library")
      endif()
      add_library(weft::tsan SHARED IMPORTED GLOBAL)
      set_target_properties(weft::tsan PROPERTIES IMPORTED_LOCATION "${WEFT_TSAN_LIBRARY}")
    endif()
    set(library weft::tsan)
  endif()
  # Call stacks and source lines in reports need debug information.
  target_compile_options(${target} PRIVATE -fsanitize=thread -g)
  get_target_property(links ${target} LINK_LIBRARIES)
  if(links AND ("weft::weft" IN_LIST links OR "weft_runtime" IN_LIST links))
    return() # libweft.so defines the entry points already
  endif()
  target_link_libraries(${target} PRIVATE ${library})
endfunction()
