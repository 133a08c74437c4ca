import Foundation
import Glibc
import XCTest

@testable import FalconCapture

/// Checks capability names, mask decoding, reading the current process, and dropping in a child.
final class CapabilitySetTests: XCTestCase {
  func testNamesAndNumbers() {
    XCTAssertEqual(CapabilitySet.name(of: 0), "cap_chown")
    XCTAssertEqual(CapabilitySet.name(of: 21), "cap_sys_admin")
    XCTAssertNil(CapabilitySet.name(of: -1))
    XCTAssertEqual(CapabilitySet.number(named: "cap_sys_admin"), 21)
    XCTAssertEqual(CapabilitySet.number(named: "CAP_SYS_ADMIN"), 21)
    XCTAssertEqual(CapabilitySet.number(named: "cap_net_bind_service"), 10)
    XCTAssertNil(CapabilitySet.number(named: "cap_not_a_capability"))
    XCTAssertNil(CapabilitySet.number(named: ""))
  }

  func testEveryKernelCapabilityRoundTrips() throws {
    for number in 0..<CapabilitySet.maxBits {
      let name = try XCTUnwrap(CapabilitySet.name(of: number))
      XCTAssertEqual(CapabilitySet.number(named: name), number, name)
    }
  }

  func testMaxBitsIsPlausible() {
    // CAP_AUDIT_READ (37) has existed since Linux 3.16; masks are 64 bits wide.
    XCTAssertGreaterThanOrEqual(CapabilitySet.maxBits, 38)
    XCTAssertLessThanOrEqual(CapabilitySet.maxBits, 64)
  }

  func testFalcoStringIsUppercaseInNumberOrder() {
    XCTAssertEqual(CapabilitySet.falcoString([1, 0]), "CAP_CHOWN CAP_DAC_OVERRIDE")
    XCTAssertEqual(
      CapabilitySet.falcoString([21, 12, 0]), "CAP_CHOWN CAP_NET_ADMIN CAP_SYS_ADMIN")
    XCTAssertEqual(CapabilitySet.falcoString([]), "")
  }

  func testHexMaskDecoding() {
    XCTAssertEqual(CapabilitySet.decodeHexMask("000001ffffffffff"), Set(0..<41))
    XCTAssertEqual(CapabilitySet.decodeHexMask("0000000000000000"), [])
    XCTAssertEqual(CapabilitySet.decodeHexMask("0000000000000005"), [0, 2])
    XCTAssertEqual(CapabilitySet.decodeHexMask("\t0000000000200000\n"), [21])
    XCTAssertEqual(CapabilitySet.decodeHexMask(" 0x3 "), [0, 1])
    XCTAssertEqual(CapabilitySet.decodeHexMask("8000000000000000"), [63])
    XCTAssertNil(CapabilitySet.decodeHexMask(""))
    XCTAssertNil(CapabilitySet.decodeHexMask("xyz"))
    XCTAssertNil(CapabilitySet.decodeHexMask("+1"))
    XCTAssertNil(CapabilitySet.decodeHexMask("10000000000000000"))  // 17 digits
  }

  func testHexMaskEncodingRoundTrips() {
    XCTAssertEqual(CapabilitySet.hexMask([]), "0000000000000000")
    XCTAssertEqual(CapabilitySet.hexMask(Set(0..<41)), "000001ffffffffff")
    XCTAssertEqual(CapabilitySet.hexMask([0, 2, 99, -1]), "0000000000000005")
    let sample: Set<Int32> = [0, 5, 21, 40, 63]
    XCTAssertEqual(CapabilitySet.decodeHexMask(CapabilitySet.hexMask(sample)), sample)
  }

  func testProcStatusParsing() throws {
    let text = """
      Name:\tcat
      CapInh:\t0000000000000000
      CapPrm:\t000001ffffffffff
      CapEff:\t0000000000003000
      CapBnd:\t000001ffffffffff
      CapAmb:\t0000000000000000
      """
    let set = try XCTUnwrap(CapabilitySet(procStatus: text))
    XCTAssertEqual(set.inheritable, [])
    XCTAssertEqual(set.permitted, Set(0..<41))
    XCTAssertEqual(set.effective, [12, 13])
    XCTAssertNil(CapabilitySet(procStatus: "CapInh:\t0\nCapPrm:\t0\n"))
    XCTAssertNil(CapabilitySet(procStatus: "CapInh:\t0\nCapPrm:\t0\nCapEff:\tzz\n"))
  }

  func testLibcapText() throws {
    let set = CapabilitySet(effective: [0, 1], permitted: [0, 1])
    XCTAssertEqual(try set.libcapText(), "cap_chown,cap_dac_override=ep")
    XCTAssertEqual(try CapabilitySet().libcapText(), "=")
  }

  func testCurrentProcessAgreesWithProcStatus() throws {
    let current = try CapabilitySet.current()
    let byPID = try CapabilitySet(pid: getpid())
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let decoded = try XCTUnwrap(CapabilitySet(procStatus: status))
    XCTAssertEqual(current, decoded)
    XCTAssertEqual(byPID, decoded)
    XCTAssertTrue(current.effective.isSubset(of: current.permitted))
  }

  func testMissingProcessThrowsESRCH() {
    // PID numbers stop well below Int32.max (pid_max is at most 2^22).
    XCTAssertThrowsError(try CapabilitySet(pid: Int32.max - 1)) { error in
      XCTAssertEqual((error as? CaptureError)?.errno, ESRCH)
    }
  }

  func testDropRejectsOutOfRangeCapabilityWithoutChangingAnything() throws {
    let before = try CapabilitySet.current()
    XCTAssertThrowsError(try CapabilitySet.dropPrivileges(keeping: [0, 999])) { error in
      guard case .invalidArgument = error as? CaptureError else {
        return XCTFail("unexpected error \(error)")
      }
    }
    XCTAssertEqual(try CapabilitySet.current(), before)
  }

  /// Drops all but two capabilities in a forked child, which sends back its /proc/self/status.
  ///
  /// The child only calls `dropPrivileges` and then `open`/`read`/`write` into a buffer the parent
  /// allocated; the parent decodes the status text. Re-executing a program to inspect the result
  /// would not work for root, whose capabilities `execve` restores.
  func testDropPrivilegesInForkedChild() throws {
    let kept: Set<Int32> = [0, 10]  // cap_chown, cap_net_bind_service
    let before = try CapabilitySet.current()
    guard kept.isSubset(of: before.permitted) else {
      throw XCTSkip("the test process lacks cap_chown/cap_net_bind_service to keep")
    }
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16_384, alignment: 8)
    defer { scratch.deallocate() }
    let result = ChildProcess.run { output in
      do { try CapabilitySet.dropPrivileges(keeping: kept) } catch { return 2 }
      let status = open("/proc/self/status", O_RDONLY)
      guard status >= 0 else { return 3 }
      while true {
        let count = read(status, scratch.baseAddress, scratch.count)
        if count == 0 { break }
        if count < 0 { return 4 }
        if write(output, scratch.baseAddress, count) != count { return 5 }
      }
      close(status)
      return 0
    }
    XCTAssertEqual(result.outcome, .exited(0), "2: drop failed, 3-5: status copy failed")
    let child = try XCTUnwrap(CapabilitySet(procStatus: String(decoding: result.output, as: UTF8.self)))
    XCTAssertEqual(child.effective, kept)
    XCTAssertEqual(child.permitted, kept)
    XCTAssertEqual(child.inheritable, kept)
    XCTAssertEqual(CapabilitySet.falcoString(child.effective), "CAP_CHOWN CAP_NET_BIND_SERVICE")
    XCTAssertEqual(try CapabilitySet.current(), before, "the parent must keep its capabilities")
  }
}
