# cmake -P: writes OUTPUT (a gzipped man page) with help2man from PROGRAM's --help and --version,
# plus INCLUDE (the sections --help cannot give). With SUBCOMMANDS set, every command that
# `PROGRAM --help` lists under "commands:" gets its `PROGRAM help COMMAND` text in a COMMANDS
# section, so the page holds each option table and cannot drift from the binary.
# Variables: HELP2MAN, PROGRAM (path of the built binary), INCLUDE, OUTPUT, SUBCOMMANDS.
cmake_minimum_required(VERSION 3.25)
get_filename_component(bin_dir "${PROGRAM}" DIRECTORY)
get_filename_component(name "${PROGRAM}" NAME)
get_filename_component(out_dir "${OUTPUT}" DIRECTORY)
set(page "${out_dir}/${name}.1")
set(includes --include "${INCLUDE}")

# roff: backslashes escaped, and a line starting with . or ' is not a request.
function(roff_text text out)
    string(REPLACE "\\" "\\e" text "${text}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

if(SUBCOMMANDS)
    execute_process(COMMAND "${PROGRAM}" --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${PROGRAM} --help failed (${rc})")
    endif()
    string(REGEX MATCH "\ncommands:\n.*" listing "${help}")
    string(REGEX MATCHALL "\n  [a-z][a-z-]*" commands "${listing}")
    set(section "[COMMANDS]\n")
    foreach(command ${commands})
        string(STRIP "${command}" command)
        execute_process(COMMAND "${PROGRAM}" help ${command} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR "${PROGRAM} help ${command} failed (${rc})")
        endif()
        roff_text("${text}" text)
        string(APPEND section ".SS ${command}\n.nf\n${text}.fi\n")
    endforeach()
    file(WRITE "${out_dir}/${name}-commands.h2m" "${section}")
    list(APPEND includes --include "${out_dir}/${name}-commands.h2m")
    # help2man takes a synopsis from "Usage:" with "  or:" continuation lines; the command list
    # says "usage:" and indents its other forms, so a wrapper of the same name rewords them.
    set(bin_dir "${out_dir}/${name}-wrapper")
    file(WRITE "${bin_dir}/${name}"
         "#!/bin/sh\n\"${PROGRAM}\" \"$@\" | sed -e 's/^usage:/Usage:/' "
         "-e 's/^       ${name} /  or:  ${name} /'\n")
    file(CHMOD "${bin_dir}/${name}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                                                GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endif()

# By name from PATH, so that the usage line says "nnscope", not the build tree's path.
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env "PATH=${bin_dir}:$ENV{PATH}"
            "${HELP2MAN}" --no-info --no-discard-stderr --section 1 ${includes} --output "${page}"
            "${name}"
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man failed on ${name} (${rc})")
endif()
# gzip -n: no name or time stamp in the header, as Debian wants (lintian).
execute_process(COMMAND gzip -9nf "${page}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip failed on ${page}")
endif()
