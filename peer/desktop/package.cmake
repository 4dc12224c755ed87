# CPack: `cpack -G DEB` in the build folder makes attune_<version>_<arch>.deb
# from what `cmake --install` puts in place. Depends come from dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME attune)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${ATTUNE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "calm, structured repair conversation for two partners")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Attune walks two partners through a calm, structured repair conversation
after a rupture, each on their own computer, with an optional coach
watching from a third device. The devices find each other on the local
network, pair once with a six-digit code, and keep one shared session in
sync over an encrypted channel. Nothing is uploaded.
.
This package has the window app (attune), its headless mode for scripts
(attune --headless), and attune-discovery, which finds sessions nearby.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ATTUNE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The window app draws with Inter, else Noto Sans, else DejaVu Sans.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-inter | fonts-noto-core | fonts-dejavu-core")
# Reminders also go out as desktop notifications when a notification server runs (libsystemd0 via shlibdeps).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, notification-daemon")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
