# The man pages nnscope(1) and nnscope-cli(1), made by help2man from the built binaries' --help
# (make_man.cmake) at build time so that they cannot drift from the options, plus the sections
# --help cannot give (*.h2m). Without help2man (Debian package help2man) they are left out.
find_program(NNSCOPE_HELP2MAN help2man)
if(NOT NNSCOPE_HELP2MAN)
    message(STATUS "help2man not found: no man pages (packaging/setup.sh installs it)")
    return()
endif()

set(man_dir ${PROJECT_BINARY_DIR}/man)
set(man_pages)
set(man_programs nnscope-cli)
if(NNSCOPE_BUILD_GUI)
    list(APPEND man_programs nnscope)
endif()
foreach(program ${man_programs})
    set(page ${man_dir}/${program}.1.gz)
    set(subcommands OFF)
    if(program STREQUAL "nnscope-cli")
        set(subcommands ON)
    endif()
    add_custom_command(
        OUTPUT ${page}
        COMMAND ${CMAKE_COMMAND} -DHELP2MAN=${NNSCOPE_HELP2MAN} -DPROGRAM=$<TARGET_FILE:${program}>
                -DINCLUDE=${CMAKE_CURRENT_LIST_DIR}/${program}.h2m -DOUTPUT=${page}
                -DSUBCOMMANDS=${subcommands} -P ${CMAKE_CURRENT_LIST_DIR}/make_man.cmake
        DEPENDS ${program} ${CMAKE_CURRENT_LIST_DIR}/${program}.h2m
                ${CMAKE_CURRENT_LIST_DIR}/make_man.cmake
        COMMENT "Writing the man page of ${program} (help2man)"
        VERBATIM)
    list(APPEND man_pages ${page})
endforeach()
add_custom_target(nnscope_man ALL DEPENDS ${man_pages})
install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
