# cmake --install and `make package` (CPack, a .deb): the binary, a man page
# made by help2man from --help and --version (the text is written once, in
# app/cli_options.cpp), bash and zsh completion, the examples and the docs.
include(GNUInstallDirs)

# `install` and `package` take what is built and do not build every target
# (the tests, the fuzzers) first: build, then install or package.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

install(TARGETS audience-batch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

find_program(AB_HELP2MAN help2man)
find_program(AB_GZIP gzip)
if(AB_HELP2MAN AND AB_GZIP)
  set(man ${CMAKE_BINARY_DIR}/audience-batch.1.gz)
  add_custom_command(
    OUTPUT ${man}
    COMMAND ${AB_HELP2MAN} --no-info --section=1 --source=audience-batch
            "--name=push audiences into neuroflash and X Ads overnight, within every rate limit"
            --output=${CMAKE_BINARY_DIR}/audience-batch.1 $<TARGET_FILE:audience-batch>
    COMMAND ${AB_GZIP} -n -9 -f ${CMAKE_BINARY_DIR}/audience-batch.1
    DEPENDS audience-batch
    COMMENT "man page from audience-batch --help")
  add_custom_target(man-page ALL DEPENDS ${man})
  install(FILES ${man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page (scripts/install-deps.sh installs it)")
endif()

install(FILES ${PROJECT_SOURCE_DIR}/contrib/completion/audience-batch.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME audience-batch)
install(FILES ${PROJECT_SOURCE_DIR}/contrib/completion/_audience-batch
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/contrib/systemd ${PROJECT_SOURCE_DIR}/contrib/cron
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/contrib)
install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The .deb links Debian 12's shared Boost, OpenSSL and jemalloc, and says so:
# dpkg-shlibdeps reads the binary's needs into Depends. A static-Boost build
# would weigh several MB more and take no security update of OpenSSL.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME audience-batch)
set(CPACK_PACKAGE_VENDOR "audience-batch")
set(CPACK_PACKAGE_CONTACT "audience-batch maintainers <audience-batch@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "bulk CSV jobs for neuroflash's Audience Service and the X Ads API")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ca-certificates")
set(CPACK_STRIP_FILES ON)
include(CPack)
