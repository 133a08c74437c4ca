import PolicyCore
import Testing

@testable import WAFEngine

@Suite struct IPAddressTests {
  @Test func parsesIPv4() throws {
    let address = try #require(IPAddress("192.0.2.1"))
    #expect(address.family == .v4)
    #expect(address.v4Bits == 0xC000_0201)
    #expect(address.description == "192.0.2.1")
  }

  @Test func parsesIPv6AndPrintsCanonically() throws {
    let address = try #require(IPAddress("2001:0db8:0000:0000:0000:0000:0000:0001"))
    #expect(address.family == .v6)
    #expect(address.value == (UInt128(0x2001_0db8) << 96 | 1))
    #expect(address.description == "2001:db8::1")
    #expect(IPAddress("::")?.description == "::")
  }

  @Test func normalisesIPv4MappedIPv6() throws {
    let mapped = try #require(IPAddress("::ffff:192.0.2.1"))
    #expect(mapped == IPAddress("192.0.2.1"))
    #expect(mapped.family == .v4)
    #expect(IPAddress("::ffff:c000:201") == IPAddress("192.0.2.1"))
    // IPv4-compatible (deprecated ::a.b.c.d) is not mapped and stays IPv6.
    #expect(IPAddress("::192.0.2.1")?.family == .v6)
  }

  @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "010.1.1.1", "1.2.3.4 ", "fe80::1%eth0", "[::1]", "::g", "1:2:3:4:5:6:7:8:9", "abc"])
  func rejects(_ text: String) {
    #expect(IPAddress(text) == nil)
  }

  @Test func parsesPrefixes() throws {
    let v4 = try IPPrefix(parsing: "10.0.0.0/8")
    #expect(v4.length == 8 && v4.address == IPAddress("10.0.0.0"))
    let v6 = try IPPrefix(parsing: "2001:db8::/32")
    #expect(v6.length == 32 && v6.description == "2001:db8::/32")
    #expect(try IPPrefix(parsing: "192.0.2.7").length == 32)
    #expect(try IPPrefix(parsing: "2001:db8::7").length == 128)
    #expect(try IPPrefix(parsing: "0.0.0.0/0").contains(IPAddress("255.1.2.3")!))
  }

  @Test func masksHostBits() throws {
    #expect(try IPPrefix(parsing: "192.168.1.5/24").description == "192.168.1.0/24")
    #expect(try IPPrefix(parsing: "2001:db8::ff/120").description == "2001:db8::/120")
  }

  @Test func mapsIPv4MappedPrefixes() throws {
    #expect(try IPPrefix(parsing: "::ffff:10.0.0.0/104").description == "10.0.0.0/8")
    #expect(try IPPrefix(parsing: "::ffff:10.1.2.3").description == "10.1.2.3/32")
    let short = try IPPrefix(parsing: "::ffff:0:0/80")
    #expect(short.address.family == .v6 && short.length == 80)
  }

  @Test(arguments: ["10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0/8", "x/8", "10.0.0.0/ 8", "10.0.0.0/0008"])
  func rejectsBadPrefixes(_ text: String) {
    #expect(throws: IPFormatError.self) { try IPPrefix(parsing: text) }
  }

  @Test func prefixContainment() throws {
    let prefix = try IPPrefix(parsing: "10.1.0.0/16")
    #expect(prefix.contains(IPAddress("10.1.255.255")!))
    #expect(!prefix.contains(IPAddress("10.2.0.0")!))
    #expect(!prefix.contains(IPAddress("::a01:0")!))  // other family never matches
  }

  @Test func ipMatchSetFollowsModSecurity() throws {
    let set = try IPMatchSet(list: "192.168.1.100, 192.168.1.50,10.10.50.0/24,2001:db8::/32,")
    #expect(set.contains("192.168.1.100"))
    #expect(set.contains("10.10.50.77"))
    #expect(set.contains("::ffff:10.10.50.1"))
    #expect(set.contains("2001:db8:1::5"))
    #expect(!set.contains("192.168.1.101"))
    #expect(!set.contains("2001:db9::1"))
    #expect(!set.contains("not an ip"))
    #expect(set.prefixes.count == 4)
  }

  @Test func ipMatchSetRejectsBadEntries() {
    #expect(throws: Diagnostic.self) { try IPMatchSet(list: "10.0.0.0/8,300.1.1.1") }
    do {
      _ = try IPMatchSet(list: "10.0.0.0/40")
    } catch {
      #expect(error.code == .wafIPList)
      #expect(error.message.contains("10.0.0.0/40"))
    }
  }
}
