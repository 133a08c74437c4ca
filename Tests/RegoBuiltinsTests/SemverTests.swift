import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: [Value]) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

@Suite("semver builtins")
struct SemverTests {
  @Test("semver.compare orders by precedence (conformance semvercompare)")
  func compare() throws {
    let cases: [(String, String, Int)] = [
      ("1.0.0", "2.0.0", -1), ("2.0.0", "1.0.0", 1), ("1.0.0", "1.0.0", 0),
      ("1.0.0-alpha", "1.0.0", -1), ("1.0.0-alpha", "1.0.0-alpha.1", -1), ("1.0.0-alpha.1", "1.0.0-alpha.beta", -1),
      ("1.0.0-alpha.beta", "1.0.0-beta", -1), ("1.0.0-beta", "1.0.0-beta.2", -1), ("1.0.0-beta.2", "1.0.0-beta.11", -1),
      ("1.0.0-beta.11", "1.0.0-rc.1", -1), ("1.0.0-rc.1", "1.0.0", -1), ("1.0.0+build.1", "1.0.0+build.2", 0),
      ("v1.2.3", "1.2.3", 0), ("1.10.0", "1.9.0", 1),
    ]
    for (a, b, expected) in cases {
      #expect(try call("semver.compare", [.string(a), .string(b)]) == .int(expected), "\(a) vs \(b)")
    }
  }

  @Test("semver.compare rejects invalid versions with OPA's message")
  func invalid() {
    #expect(throws: BuiltinError.failure(#"operand 1: string "1" is not a valid SemVer"#)) {
      try call("semver.compare", ["1", "1.0.0"])
    }
    #expect(throws: BuiltinError.failure(#"operand 2: string "1" is not a valid SemVer"#)) {
      try call("semver.compare", ["1.0.0", "1"])
    }
    #expect(throws: BuiltinError(.type, "operand 2 must be string but got number")) {
      try call("semver.compare", ["1.0.0", 1])
    }
  }

  /// OPA accepts an empty pre-release or metadata after "-" or "+" (internal/semver checks only non-empty ones).
  @Test("semver.is_valid (conformance semverisvalid)")
  func isValid() throws {
    for valid in ["1.0.0", "v1.0.0", "1.0.0-rc.1+build.5", "0.0.0", "1.2.3-0a", "1.0.0-", "1.0.0+"] {
      #expect(try call("semver.is_valid", [.string(valid)]) == true, "\(valid)")
    }
    for invalid in ["1", "1.0", "1.0.0.0", "1.0.0-a..b", "a.b.c", "1.0.0-é", "", "1..0"] {
      #expect(try call("semver.is_valid", [.string(invalid)]) == false, "\(invalid)")
    }
    #expect(try call("semver.is_valid", [1]) == false)
  }
}
