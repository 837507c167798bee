# Runs one libFuzzer target over a fresh corpus seeded from real files and the committed corpus.
#   cmake -DFUZZER=exe -DWORK=dir -DSEEDS="glob|glob" [-DPICKLES_FROM="glob|..."]
#         [-DCOMMITTED=dir] -DSECONDS=15 [-DRUNS=n] [-DMERGE_INTO=dir] -P run_fuzzer.cmake
# Seeds over 1 MB are left out (they slow every mutation down and add little). COMMITTED is the
# target's corpus under fuzz/corpus, read but never written. Fails when the fuzzer reports
# anything; the crashing input is kept in WORK as crash-*/leak-*/timeout-*/oom-*.
# A campaign (fuzz/campaign.sh) sets RUNS and a longer SECONDS, and MERGE_INTO: the inputs that
# add coverage beyond the seeds are then distilled (libFuzzer's -merge=1) into that folder.

set(max_seed_bytes 1048576)
set(corpus ${WORK}/corpus)
set(seeds ${WORK}/seeds)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${corpus} ${seeds})

string(REPLACE "|" ";" seed_globs "${SEEDS}")
set(count 0)
foreach(pattern IN LISTS seed_globs)
    file(GLOB files LIST_DIRECTORIES false ${pattern})
    foreach(f IN LISTS files)
        file(SIZE ${f} size)
        if(size LESS_EQUAL max_seed_bytes)
            get_filename_component(base ${f} NAME)
            file(COPY_FILE ${f} ${seeds}/${count}-${base})
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
            file(COPY_FILE ${p} ${seeds}/${count}-${base})
            math(EXPR count "${count} + 1")
        endforeach()
        file(REMOVE_RECURSE ${unpacked})
    endforeach()
endforeach()

set(found ${corpus})
set(committed_count 0)
if(COMMITTED AND IS_DIRECTORY ${COMMITTED})
    file(GLOB committed_files LIST_DIRECTORIES false ${COMMITTED}/*)
    list(LENGTH committed_files committed_count)
    list(APPEND found ${COMMITTED})
else()
    set(COMMITTED "")
endif()
set(limits -max_total_time=${SECONDS})
if(RUNS)
    list(APPEND limits -runs=${RUNS})
endif()
message(STATUS "${FUZZER}: ${count} seeds, ${committed_count} committed inputs, ${limits}")

# New inputs go to the first folder only: the seeds and the committed corpus stay as they are.
execute_process(
    COMMAND ${FUZZER} ${limits} -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
            -artifact_prefix=${WORK}/ ${corpus} ${seeds} ${COMMITTED}
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "${FUZZER} failed (${result}): see the report above and ${WORK}")
endif()

if(MERGE_INTO)
    # Start from the seeds, merge everything else in: what libFuzzer adds (named by SHA-1) is
    # what the seeds do not already cover. That, and only that, is committed, up to 64 KB an
    # input: the larger ones are mutated copies of the big seeds, which the seeds cover nearly
    # as well, and they would make most of the repository's corpus.
    set(max_committed_bytes 65536)
    set(merged ${WORK}/merged)
    file(MAKE_DIRECTORY ${merged})
    file(COPY ${seeds}/ DESTINATION ${merged})
    execute_process(COMMAND ${FUZZER} -merge=1 -rss_limit_mb=2048 -timeout=10 ${merged} ${found}
                    RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "merging ${FUZZER}'s corpus failed (${result})")
    endif()
    file(REMOVE_RECURSE ${MERGE_INTO})
    file(MAKE_DIRECTORY ${MERGE_INTO})
    file(GLOB added LIST_DIRECTORIES false ${merged}/*)
    set(kept 0)
    foreach(f IN LISTS added)
        get_filename_component(base ${f} NAME)
        file(SIZE ${f} size)
        if(base MATCHES "^[0-9a-f]+$" AND size LESS_EQUAL max_committed_bytes)
            file(COPY_FILE ${f} ${MERGE_INTO}/${base})
            math(EXPR kept "${kept} + 1")
        endif()
    endforeach()
    message(STATUS "${FUZZER}: ${kept} inputs beyond the seeds kept in ${MERGE_INTO}")
endif()
