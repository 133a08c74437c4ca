// CLinuxShim: the Linux kernel interfaces Falcon's live sources use, header-only.
//
// Why this shim exists: the netlink, connector, proc-event, audit and seccomp-notify interfaces
// are plain kernel UAPI headers (no library to link), but much of their API is function-like macros
// that Swift cannot import: NLMSG_* for walking netlink messages, CMSG_* for ancillary data, and
// the _IOWR-built ioctl numbers of seccomp user notification. Each gets a static inline wrapper
// named `rampart_*`. Struct layouts come straight from the UAPI headers, and _Static_asserts pin
// the sizes Swift code relies on. Only this header and FalconCapture/Netlink.swift (the funnel)
// may mention these interfaces.
#ifndef RAMPART_CLINUXSHIM_H
#define RAMPART_CLINUXSHIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <linux/netlink.h>
#include <linux/connector.h>
#include <linux/cn_proc.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <linux/filter.h>

_Static_assert(sizeof(struct nlmsghdr) == 16, "nlmsghdr layout");
_Static_assert(sizeof(struct cn_msg) == 20, "cn_msg layout");

// MARK: netlink message walking (NLMSG_* are function-like macros)

static inline uint32_t rampart_nlmsg_align(uint32_t length) { return NLMSG_ALIGN(length); }
static inline uint32_t rampart_nlmsg_hdrlen(void) { return NLMSG_HDRLEN; }
static inline uint32_t rampart_nlmsg_length(uint32_t payload) { return NLMSG_LENGTH(payload); }
static inline uint32_t rampart_nlmsg_space(uint32_t payload) { return NLMSG_SPACE(payload); }
static inline void *rampart_nlmsg_data(struct nlmsghdr *header) { return NLMSG_DATA(header); }
static inline int rampart_nlmsg_ok(const struct nlmsghdr *header, uint32_t remaining) {
  return NLMSG_OK(header, remaining);
}
static inline struct nlmsghdr *rampart_nlmsg_next(struct nlmsghdr *header, uint32_t *remaining) {
  // NLMSG_NEXT updates its length argument in place; take it by pointer for Swift.
  int left = (int)*remaining;
  struct nlmsghdr *next = NLMSG_NEXT(header, left);
  *remaining = left < 0 ? 0 : (uint32_t)left;
  return next;
}
static inline uint32_t rampart_nlmsg_payload(const struct nlmsghdr *header, uint32_t length) {
  return NLMSG_PAYLOAD(header, length);
}

// MARK: ancillary data (CMSG_* are function-like macros)

static inline struct cmsghdr *rampart_cmsg_firsthdr(struct msghdr *message) { return CMSG_FIRSTHDR(message); }
static inline struct cmsghdr *rampart_cmsg_nxthdr(struct msghdr *message, struct cmsghdr *header) {
  return CMSG_NXTHDR(message, header);
}
static inline unsigned char *rampart_cmsg_data(struct cmsghdr *header) { return CMSG_DATA(header); }
static inline size_t rampart_cmsg_space(size_t length) { return CMSG_SPACE(length); }
static inline size_t rampart_cmsg_len(size_t length) { return CMSG_LEN(length); }

// MARK: seccomp user notification (the ioctl numbers are built by _IOWR/_IOW macros)

static inline unsigned long rampart_seccomp_ioctl_notif_recv(void) { return SECCOMP_IOCTL_NOTIF_RECV; }
static inline unsigned long rampart_seccomp_ioctl_notif_send(void) { return SECCOMP_IOCTL_NOTIF_SEND; }
static inline unsigned long rampart_seccomp_ioctl_notif_id_valid(void) { return SECCOMP_IOCTL_NOTIF_ID_VALID; }

// MARK: audit

// AUDIT_ARCH_* are built from EM_* and __AUDIT_ARCH_* flag expressions; Swift imports the plain
// integer ones but not these compound macros.
static inline uint32_t rampart_audit_arch_x86_64(void) { return AUDIT_ARCH_X86_64; }
static inline uint32_t rampart_audit_arch_i386(void) { return AUDIT_ARCH_I386; }
static inline uint32_t rampart_audit_arch_aarch64(void) { return AUDIT_ARCH_AARCH64; }
static inline uint32_t rampart_audit_arch_arm(void) { return AUDIT_ARCH_ARM; }

#endif
