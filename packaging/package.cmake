# Installation and the Debian package (CPack): `cmake --workflow --preset package` builds
# build/package/nnscope_<version>-1_amd64.deb. Everything is installed relative to the prefix, so
# the installed binaries find their files from where they are (ui/app_paths.cpp looks in
# <bin>/../share/nnscope) whether the prefix is /usr, /usr/local or a dpkg -x root.
include(GNUInstallDirs)

set(NNSCOPE_APP_ID io.github.nnscope.nnscope)
set(nnscope_share ${CMAKE_INSTALL_DATADIR}/nnscope)

install(TARGETS nnscope-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(NNSCOPE_BUILD_GUI)
    install(TARGETS nnscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
# The bundled default models; generate.py stays in the source tree.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/models DESTINATION ${nnscope_share}
        FILES_MATCHING PATTERN "*.safetensors")
# ImageNet's class names, for the top-k of a 1,000-class model (nnscope-cli run, the Run panel).
install(FILES ${PROJECT_SOURCE_DIR}/resources/imagenet_classes.txt DESTINATION ${nnscope_share})

# Desktop integration: the menu entry, its icons, the AppStream metainfo and the MIME types of the
# files nnscope opens (resources/desktop, resources/icons; packaging/render_icons.sh renders the
# PNG sizes from the SVG).
set(desktop ${PROJECT_SOURCE_DIR}/resources/desktop)
install(FILES ${desktop}/${NNSCOPE_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${desktop}/${NNSCOPE_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${desktop}/${NNSCOPE_APP_ID}.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/${NNSCOPE_APP_ID}.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/icons/hicolor
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons)

# Debian's copyright file and changelog (gzip -n: no time stamp, as lintian wants).
set(debian ${PROJECT_SOURCE_DIR}/packaging/debian)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${debian}/changelog)
execute_process(COMMAND gzip -9nc ${debian}/changelog
                OUTPUT_FILE ${PROJECT_BINARY_DIR}/changelog.Debian.gz COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${debian}/copyright ${PROJECT_BINARY_DIR}/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# This package is not uploaded to Debian, so there is no ITP bug for its changelog to close.
install(FILES ${debian}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME nnscope)

include(${CMAKE_CURRENT_LIST_DIR}/man/man.cmake)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nnscope)
set(CPACK_PACKAGE_VENDOR "The nnscope developers")
set(CPACK_PACKAGE_CONTACT "The nnscope developers <maintainers@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "look inside neural networks")
# The extended description's lines stay under 80 characters (Debian policy, lintian).
set(CPACK_PACKAGE_DESCRIPTION
    "nnscope opens PyTorch, safetensors and ONNX model files and shows their
module tree, every parameter and buffer with statistics, histograms and
heatmaps, without running anything in them. A DataLoader lab compares loader
configurations side by side, a training workspace steps through training
batch by batch or hook by hook, and a compare page sets checkpoints against
each other. nnscope-cli does the same work from the command line.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/nnscope/nnscope)
# The run-time dependencies are computed by dpkg-shlibdeps (package dpkg-dev) from the binaries'
# libraries, never listed by hand. Wayland sessions want Qt's Wayland plugin (X11's is in
# libqt6gui6); the training page's data set is a package of its own.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS qt6-wayland)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS dataset-fashion-mnist)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
