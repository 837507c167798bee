# Runs one libFuzzer target for a short time over a fresh corpus seeded from real files.
#   cmake -DFUZZER=exe -DWORK=dir -DSEEDS="glob|glob" [-DPICKLES_FROM="glob|..."] -DSECONDS=15
#         -P run_fuzzer.cmake
# Seeds over 1 MB are left out (they slow every mutation down and add little). Fails when the
# fuzzer reports anything; the crashing input is kept in WORK as crash-*/leak-*/timeout-*/oom-*.

set(max_seed_bytes 1048576)
set(corpus ${WORK}/corpus)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${corpus})

string(REPLACE "|" ";" seed_globs "${SEEDS}")
set(count 0)
foreach(pattern IN LISTS seed_globs)
    file(GLOB files LIST_DIRECTORIES false ${pattern})
    foreach(f IN LISTS files)
        file(SIZE ${f} size)
        if(size LESS_EQUAL max_seed_bytes)
            get_filename_component(base ${f} NAME)
            file(COPY_FILE ${f} ${corpus}/${count}-${base})
            math(EXPR count "${count} + 1")
        endif()
    endforeach()
endforeach()

# The pickles inside zip archives (data.pkl, constants.pkl), extracted with CMake's libarchive.
string(REPLACE "|" ";" pickle_globs "${PICKLES_FROM}")
foreach(pattern IN LISTS pickle_globs)
    file(GLOB files LIST_DIRECTORIES false ${pattern})
    foreach(f IN LISTS files)
        file(READ ${f} magic LIMIT 2 HEX)
        if(NOT magic STREQUAL "504b") # only zip archives hold pickle records
            continue()
        endif()
        set(unpacked ${WORK}/unpacked-${count})
        file(MAKE_DIRECTORY ${unpacked})
        file(ARCHIVE_EXTRACT INPUT ${f} DESTINATION ${unpacked} PATTERNS *.pkl)
        file(GLOB_RECURSE found ${unpacked}/*.pkl)
        foreach(p IN LISTS found)
            get_filename_component(base ${p} NAME)
            file(COPY_FILE ${p} ${corpus}/${count}-${base})
            math(EXPR count "${count} + 1")
        endforeach()
        file(REMOVE_RECURSE ${unpacked})
    endforeach()
endforeach()
message(STATUS "${FUZZER}: ${count} seeds, ${SECONDS} s")

execute_process(
    COMMAND ${FUZZER} -max_total_time=${SECONDS} -rss_limit_mb=2048 -timeout=10
            -print_final_stats=1 -artifact_prefix=${WORK}/ ${corpus}
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "${FUZZER} failed (${result}): see the report above and ${WORK}")
endif()
