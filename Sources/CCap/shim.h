// CCap: libcap for Swift, from Debian's libcap-dev.
//
// Why this shim exists: sys/capability.h is importable as it stands, but its CAP_* numbers are
// plain macros that Swift imports as Int32 while the functions take cap_value_t, and the header does
// not pull in <sys/types.h> on its own on every libc. The shim fixes the include order and gives
// the last-capability number (a runtime value, from /proc or prctl) one name. Only this header and
// FalconCapture/Capabilities.swift (the single Swift funnel) may mention libcap.
#ifndef RAMPART_CCAP_SHIM_H
#define RAMPART_CCAP_SHIM_H

#include <sys/types.h>
#include <sys/capability.h>

// cap_max_bits() reports how many capabilities the running kernel knows, which can exceed
// CAP_LAST_CAP of the headers the library was built against.
static inline int rampart_cap_max_bits(void) { return (int)cap_max_bits(); }

#endif
