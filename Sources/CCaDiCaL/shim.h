// CaDiCaL's C API (Debian libcadical-dev ships only the static library, no pkg-config file).
#include <ccadical.h>
