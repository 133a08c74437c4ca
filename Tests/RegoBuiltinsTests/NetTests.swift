import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: [Value]) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func set(_ strings: [String]) -> Value {
  .set(ValueSet(strings.map { Value.string($0) }))
}

@Suite("net builtins")
struct NetTests {
  @Test("net.cidr_contains with addresses and networks (conformance netcidrcontains)")
  func contains() throws {
    let cases: [(String, String, Bool)] = [
      ("172.17.0.0/24", "172.17.0.0/16", false), ("10.0.0.0/8", "192.168.1.0/24", false),
      ("10.0.0.0/8", "10.1.1.1/32", true), ("2001:4860:4860::8888/32", "2001:4860:4860:1234::8888/40", true),
      ("2001:4860:4860::8888/32", "2001:4860:4860:1234:5678:1234:5678:8888/128", true),
      ("2001:4860::/96", "2001:4860::/32", false), ("10.0.0.0/8", "10.1.2.3", true),
      ("10.0.0.0/8", "192.168.1.1", false), ("::ffff:0:0/96", "1.2.3.4", true),
      ("10.0.0.0/8", "10.255.255.255/8", true), ("::/0", "::/0", true), ("0.0.0.0/0", "0.0.0.0/0", true),
    ]
    for (cidr, candidate, expected) in cases {
      #expect(try call("net.cidr_contains", [.string(cidr), .string(candidate)]) == .bool(expected), "\(cidr) \(candidate)")
      #expect(try call("net.cidr_overlap", [.string(cidr), .string(candidate)]) == .bool(expected))
    }
  }

  @Test("net.cidr_contains errors")
  func containsErrors() {
    #expect(throws: BuiltinError.failure("invalid CIDR address: not-a-cidr")) {
      try call("net.cidr_contains", ["not-a-cidr", "192.168.1.67"])
    }
    #expect(
      throws: BuiltinError.failure("not a valid textual representation of an IP address or CIDR: not-a-cidr")
    ) {
      try call("net.cidr_contains", ["192.168.1.0/28", "not-a-cidr"])
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be string but got number")) {
      try call("net.cidr_contains", ["192.168.1.0/28", 1])
    }
    // Go rejects IPv4 fields with leading zeros.
    #expect(throws: BuiltinError.failure("invalid CIDR address: 010.0.0.0/8")) {
      try call("net.cidr_contains", ["010.0.0.0/8", "10.0.0.1"])
    }
  }

  @Test("net.cidr_intersects (conformance netcidrintersects)")
  func intersects() throws {
    #expect(try call("net.cidr_intersects", ["192.168.1.0/25", "192.168.1.64/25"]) == true)
    #expect(try call("net.cidr_intersects", ["192.168.1.0/24", "192.168.2.0/24"]) == false)
    #expect(try call("net.cidr_intersects", ["fd1e:5bfe:8af3:9ddc::/64", "fd1e:5bfe:8af3:9ddc:1111::/72"]) == true)
    #expect(try call("net.cidr_intersects", ["fd1e:5bfe:8af3:9ddc::/64", "2001:4860:4860::8888/32"]) == false)
    #expect(throws: BuiltinError.failure("invalid CIDR address: not-a-cidr")) {
      try call("net.cidr_intersects", ["192.168.1.0/28", "not-a-cidr"])
    }
  }

  @Test("net.cidr_contains_matches shapes (conformance netcidrcontainsmatches)")
  func containsMatches() throws {
    #expect(try call("net.cidr_contains_matches", ["1.1.1.0/24", "1.1.1.1"]) == .set(ValueSet([["1.1.1.0/24", "1.1.1.1"]])))
    #expect(
      try call("net.cidr_contains_matches", [["1.1.2.0/24", "1.1.1.0/24"], ["1.1.1.1", "1.1.2.1"]])
        == .set(ValueSet([[0, 1], [1, 0]])))
    #expect(
      try call("net.cidr_contains_matches", [set(["1.1.1.0/24", "1.1.2.0/24"]), set(["1.1.1.1", "1.1.2.1"])])
        == .set(ValueSet([["1.1.1.0/24", "1.1.1.1"], ["1.1.2.0/24", "1.1.2.1"]])))
    #expect(
      try call("net.cidr_contains_matches", [["k1": "1.1.1.1/24", "k2": ["1.1.1.2/24", 1]], "1.1.1.128"])
        == .set(ValueSet([["k1", "1.1.1.128"], ["k2", "1.1.1.128"]])))
    let tuples = Value.set(ValueSet([["1.1.1.0/24", "bar"], ["1.1.2.0/24", "foo"]]))
    for bad: Value in [1, []] {
      #expect(throws: BuiltinError.failure("operand 2: element must be string or non-empty array")) {
        try call("net.cidr_contains_matches", [tuples, .set(ValueSet([bad, ["1.1.2.1", "qux"]]))])
      }
    }
  }

  @Test("net.cidr_expand (conformance netcidrexpand)")
  func expand() throws {
    #expect(
      try call("net.cidr_expand", ["192.168.1.1/30"])
        == set(["192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"]))
    #expect(
      try call("net.cidr_expand", ["172.16.100.255/30"])
        == set(["172.16.100.252", "172.16.100.253", "172.16.100.254", "172.16.100.255"]))
    #expect(try call("net.cidr_expand", ["192.168.1.1/32"]) == set(["192.168.1.1"]))
    #expect(try call("net.cidr_expand", ["255.255.255.255/32"]) == set(["255.255.255.255"]))
    #expect(try call("net.cidr_expand", ["2001:db8::/126"]) == set(["2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3"]))
    #expect(throws: BuiltinError.failure("invalid CIDR address: 192.168.1.1/33")) {
      try call("net.cidr_expand", ["192.168.1.1/33"])
    }
    #expect(throws: BuiltinError.self) { try call("net.cidr_expand", ["10.0.0.0/8"]) }
  }

  @Test("net.cidr_is_valid (conformance netcidrisvalid)")
  func isValid() throws {
    #expect(try call("net.cidr_is_valid", ["192.168.1.0/24"]) == true)
    #expect(try call("net.cidr_is_valid", [""]) == false)
    #expect(try call("net.cidr_is_valid", ["there goes a string"]) == false)
    #expect(try call("net.cidr_is_valid", ["192.168.1.2"]) == false)
    #expect(try call("net.cidr_is_valid", ["2002::1234:abcd:ffff:c0a8:101/64"]) == true)
    #expect(try call("net.cidr_is_valid", ["fe80::1%eth0/64"]) == false)
    #expect(try call("net.cidr_is_valid", [1]) == false)
  }

  @Test("net.cidr_merge (conformance netcidrmerge)")
  func merge() throws {
    let v6 = "2601:600:8a80:207e:a57d:7567:e2c9:e7b3"
    #expect(try call("net.cidr_merge", [[.string(v6 + "/128")]]) == set([v6 + "/128"]))
    #expect(try call("net.cidr_merge", [[.string(v6 + "/128"), .string(v6 + "/128")]]) == set([v6 + "/128"]))
    #expect(try call("net.cidr_merge", [[.string(v6 + "/64"), .string(v6 + "/128")]]) == set(["2601:600:8a80:207e::/64"]))
    #expect(throws: BuiltinError.failure("IPv6 invalid: needs prefix length")) {
      try call("net.cidr_merge", [[.string(v6)]])
    }
    #expect(try call("net.cidr_merge", [["192.0.128.0/24", "192.0.129.0/24"]]) == set(["192.0.128.0/23"]))
    #expect(
      try call("net.cidr_merge", [set(["192.0.128.0/24", "192.0.130.0/24", "192.0.129.0/24"])])
        == set(["192.0.128.0/23", "192.0.130.0/24"]))
    #expect(try call("net.cidr_merge", [["10.0.0.0/8", "10.1.0.0/16", "12.0.0.0/8"]]) == set(["10.0.0.0/8", "12.0.0.0/8"]))
    #expect(try call("net.cidr_merge", [["1.0.0.0/24", "1.0.1.0/24", "1.0.2.0/24"]]) == set(["1.0.0.0/23", "1.0.2.0/24"]))
    // Addresses without a prefix take their classful mask, unmasked, as Go's IPNet prints them.
    #expect(try call("net.cidr_merge", [["192.168.1.1"]]) == set(["192.168.1.1/24"]))
    #expect(try call("net.cidr_merge", [[]]) == set([]))
    #expect(throws: BuiltinError.failure("operand must be an array")) { try call("net.cidr_merge", ["1.2.3.4/32"]) }
    #expect(throws: BuiltinError.failure("element must be string")) { try call("net.cidr_merge", [[1]]) }
  }

  @Test("net.lookup_ip_addr resolves literals and /etc/hosts names (conformance netlookupipaddr)")
  func lookup() throws {
    #expect(try call("net.lookup_ip_addr", ["10.0.0.0"]) == set(["10.0.0.0"]))
    #expect(try call("net.lookup_ip_addr", ["::"]) == set(["::"]))
    let localhost = try call("net.lookup_ip_addr", ["localhost"])
    #expect([set(["127.0.0.1"]), set(["127.0.0.1", "::1"]), set(["::1"])].contains(localhost))
  }
}
