// CSeccomp: libseccomp for Swift, from Debian's libseccomp-dev.
//
// Why this shim exists: seccomp.h spells its architecture tokens as macros over AUDIT_ARCH_* (which
// are themselves built from `__AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE` expressions) and its actions as
// function-like macros (SCMP_ACT_ERRNO(x), SCMP_ACT_TRACE(x)); Swift imports neither. Each one the
// project uses gets a static inline function here. Only this header and
// FalconCapture/Seccomp.swift (the single Swift funnel) may mention libseccomp.
#ifndef RAMPART_CSECCOMP_SHIM_H
#define RAMPART_CSECCOMP_SHIM_H

#include <seccomp.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/memfd.h>

static inline uint32_t rampart_scmp_arch_native(void) { return SCMP_ARCH_NATIVE; }
static inline uint32_t rampart_scmp_arch_x86(void) { return SCMP_ARCH_X86; }
static inline uint32_t rampart_scmp_arch_x86_64(void) { return SCMP_ARCH_X86_64; }
static inline uint32_t rampart_scmp_arch_x32(void) { return SCMP_ARCH_X32; }
static inline uint32_t rampart_scmp_arch_arm(void) { return SCMP_ARCH_ARM; }
static inline uint32_t rampart_scmp_arch_aarch64(void) { return SCMP_ARCH_AARCH64; }
static inline uint32_t rampart_scmp_arch_riscv64(void) { return SCMP_ARCH_RISCV64; }
static inline uint32_t rampart_scmp_arch_s390x(void) { return SCMP_ARCH_S390X; }
static inline uint32_t rampart_scmp_arch_ppc64le(void) { return SCMP_ARCH_PPC64LE; }

static inline uint32_t rampart_scmp_act_allow(void) { return SCMP_ACT_ALLOW; }
static inline uint32_t rampart_scmp_act_log(void) { return SCMP_ACT_LOG; }
static inline uint32_t rampart_scmp_act_kill_process(void) { return SCMP_ACT_KILL_PROCESS; }
static inline uint32_t rampart_scmp_act_kill_thread(void) { return SCMP_ACT_KILL_THREAD; }
static inline uint32_t rampart_scmp_act_notify(void) { return SCMP_ACT_NOTIFY; }
static inline uint32_t rampart_scmp_act_errno(uint16_t error) { return SCMP_ACT_ERRNO(error); }
static inline uint32_t rampart_scmp_act_trace(uint16_t message) { return SCMP_ACT_TRACE(message); }

// seccomp_export_pfc/_bpf write to a file descriptor. An anonymous memory file lets the funnel read
// the output back whatever its size (a pipe would block once its buffer fills). Swift's Glibc module
// does not import memfd_create (it needs _GNU_SOURCE), and syscall() is variadic, which Swift cannot
// call, hence this wrapper over the raw system call.
static inline int rampart_scmp_export_memfd(void) {
  return (int)syscall(SYS_memfd_create, "rampart-seccomp-export", MFD_CLOEXEC);
}

#endif
