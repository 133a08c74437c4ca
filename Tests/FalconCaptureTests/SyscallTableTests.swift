import XCTest

@testable import FalconCapture

/// Checks syscall name/number lookups against numbers fixed by each ABI.
final class SyscallTableTests: XCTestCase {
  func testExecveNumbersPerArchitecture() {
    XCTAssertEqual(SyscallTable.number(of: "execve", arch: .x86_64), 59)
    XCTAssertEqual(SyscallTable.number(of: "execve", arch: .aarch64), 221)
    XCTAssertEqual(SyscallTable.number(of: "execve", arch: .x86), 11)
    XCTAssertEqual(SyscallTable.number(of: "execve", arch: .riscv64), 221)
    XCTAssertEqual(SyscallTable.number(of: "execve", arch: .arm), 11)
    XCTAssertEqual(SyscallTable.number(of: "read", arch: .x86_64), 0)
    XCTAssertEqual(SyscallTable.number(of: "openat", arch: .aarch64), 56)
  }

  func testX32NumbersCarryTheX32Bit() throws {
    let number = try XCTUnwrap(SyscallTable.number(of: "read", arch: .x32))
    XCTAssertEqual(number, 0x4000_0000)
    XCTAssertEqual(SyscallTable.name(of: number, arch: .x32), "read")
  }

  func testNamesOfNumbers() {
    XCTAssertEqual(SyscallTable.name(of: 59, arch: .x86_64), "execve")
    XCTAssertEqual(SyscallTable.name(of: 221, arch: .aarch64), "execve")
    XCTAssertEqual(SyscallTable.name(of: 11, arch: .x86), "execve")
    XCTAssertNil(SyscallTable.name(of: 100_000, arch: .x86_64))
    XCTAssertNil(SyscallTable.name(of: -1, arch: .x86_64))
  }

  func testUnknownAndMissingNamesAreNil() {
    XCTAssertNil(SyscallTable.number(of: "not_a_syscall", arch: .x86_64))
    XCTAssertNil(SyscallTable.number(of: "", arch: .native))
    // aarch64 has only openat; libseccomp's negative pseudo-number must not leak out.
    XCTAssertNil(SyscallTable.number(of: "open", arch: .aarch64))
  }

  func testNativeMatchesHostArchitecture() {
    #if arch(x86_64)
      XCTAssertEqual(SyscallTable.number(of: "execve"), 59)
      XCTAssertEqual(SyscallTable.name(of: 59), "execve")
    #elseif arch(arm64)
      XCTAssertEqual(SyscallTable.number(of: "execve"), 221)
    #endif
  }

  func testListingRoundTripsEveryEntry() {
    for architecture in SeccompArchitecture.allCases {
      let entries = SyscallTable.allSyscalls(arch: architecture)
      XCTAssertGreaterThan(entries.count, 250, "\(architecture) lists too few syscalls")
      XCTAssertEqual(entries.map(\.number), entries.map(\.number).sorted(), "\(architecture)")
      for entry in entries {
        XCTAssertEqual(
          SyscallTable.number(of: entry.name, arch: architecture), entry.number,
          "\(architecture) \(entry.name)")
      }
    }
  }

  func testArmPrivateCallsAreListed() {
    let names = Set(SyscallTable.allSyscalls(arch: .arm).map(\.name))
    XCTAssertTrue(names.contains("cacheflush"))
    XCTAssertTrue(names.contains("set_tls"))
  }

  func testTableInstanceAnswersFromItsDictionaries() {
    let table = SyscallTable(architecture: .x86_64)
    XCTAssertEqual(table.architecture, .x86_64)
    XCTAssertEqual(table.number(of: "execve"), 59)
    XCTAssertEqual(table.name(of: 59), "execve")
    XCTAssertEqual(table.name(of: 0), "read")
    XCTAssertNil(table.number(of: "not_a_syscall"))
    XCTAssertNil(table.name(of: 400))  // x86_64 leaves 335...423 unassigned
    XCTAssertEqual(table.entries.first, SyscallTable.Entry(number: 0, name: "read"))
  }
}
