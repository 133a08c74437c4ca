import FalconEvents
import PolicyCore

/// A few x86_64 and i386 system-call numbers, enough for the unit tests (the replay tests in
/// FalconCaptureTests name calls with libseccomp instead).
let testSyscallNames: AuditSyscallNaming = { arch, number in
  switch (arch, number) {
  case (.x86_64, 1): return "write"
  case (.x86_64, 41): return "socket"
  case (.x86_64, 42): return "connect"
  case (.x86_64, 43): return "accept"
  case (.x86_64, 49): return "bind"
  case (.x86_64, 59): return "execve"
  case (.x86_64, 82): return "rename"
  case (.x86_64, 257): return "openat"
  case (.x86_64, 263): return "unlinkat"
  case (.x86_64, 322): return "execveat"
  case (.x86_64, 437): return "openat2"
  case (.i386, 5): return "open"
  case (.i386, 11): return "execve"
  default: return nil
  }
}

/// Decodes log text and returns the events and the decoder (for its issues).
func decodeLog(_ text: String, limits: AuditLimits = .default) -> ([Event], AuditDecoder) {
  var decoder = AuditDecoder(limits: limits, syscallName: testSyscallNames)
  var events: [Event] = []
  decoder.decode(log: SourceFile(name: "test.log", text: text)) { events.append($0) }
  return (events, decoder)
}

/// Hex encoding of text, as the kernel writes untrusted strings.
func hex(_ text: String) -> String {
  let digits = Array("0123456789ABCDEF".utf8)
  var result: [UInt8] = []
  for byte in text.utf8 {
    result.append(digits[Int(byte >> 4)])
    result.append(digits[Int(byte & 0xF)])
  }
  return String(decoding: result, as: UTF8.self)
}

/// A SYSCALL record line with the fields tests usually vary.
func syscallLine(
  serial: Int, syscall: Int, exit: Int = 0, a0: String = "0", a1: String = "0", a2: String = "0",
  a3: String = "0", pid: Int = 100, ppid: Int = 1, arch: String = "c000003e", extra: String = ""
) -> String {
  let success = exit < 0 ? "no" : "yes"
  return
    "type=SYSCALL msg=audit(1700000000.123:\(serial)): arch=\(arch) syscall=\(syscall) success=\(success) exit=\(exit) a0=\(a0) a1=\(a1) a2=\(a2) a3=\(a3) items=1 ppid=\(ppid) pid=\(pid) auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=3 comm=\"cat\" exe=\"/usr/bin/cat\"\(extra) key=(null)"
}
