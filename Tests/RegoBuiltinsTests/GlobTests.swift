import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

@Suite("glob builtins")
struct GlobTests {
  @Test("glob.match conformance examples")
  func conformance() throws {
    #expect(try call("glob.match", "*.github.com", ["."], "api.github.com") == true)
    #expect(try call("glob.match", "api.**.com", ["."], "api.github.com") == true)
    #expect(try call("glob.match", "api.**.com", ["."], "api.cdn.github.com") == true)
    #expect(try call("glob.match", "*:github:com", [":"], "api:github:com") == true)
    #expect(try call("glob.match", "*.github.com", ["."], "api.not-github.com") == false)
    #expect(try call("glob.match", "[abc]at", [], "cat") == true)
    #expect(try call("glob.match", "[!abc]at", [], "fat") == true)
    #expect(try call("glob.match", "[!abc]at", [], "cat") == false)
    #expect(try call("glob.match", "[a-c]at", [], "bat") == true)
    #expect(try call("glob.match", "[a-c]at", [], "fat") == false)
    #expect(try call("glob.match", "[!a-c]at", [], "bat") == false)
    #expect(try call("glob.match", "[!a-c]at", [], "fat") == true)
    #expect(try call("glob.match", "?at", [], "fat") == true)
    #expect(try call("glob.match", "?at", [], "at") == false)
    #expect(try call("glob.match", "?at", ["f"], "bat") == true)
    #expect(try call("glob.match", "?at", ["f"], "fat") == false)
    #expect(try call("glob.match", "{cat,bat,[fr]at}", [], "at") == false)
    #expect(try call("glob.match", "{cat,bat,[fr]at}", [], "rat") == true)
    #expect(try call("glob.match", "*", [], "foo") == true)
    #expect(try call("glob.match", "*", ["."], "foo.bar") == false)
    #expect(try call("glob.match", "*", [], "foo.bar") == false)
    #expect(try call("glob.match", "*", Value.null, "foo.bar") == true)
    #expect(try call("glob.match", "foo*", Value.null, "foo.bar") == true)
  }

  @Test("glob.match syntax")
  func syntax() throws {
    #expect(try call("glob.match", "{a,b}c", [], "ac") == true)
    #expect(try call("glob.match", "{a,b}c", [], "cc") == false)
    #expect(try call("glob.match", "{a,{b,c}d}", [], "cd") == true)
    #expect(try call("glob.match", "{a,b", [], "b") == true)
    #expect(try call("glob.match", "{}x", [], "x") == true)
    #expect(try call("glob.match", "a\\*b", [], "a*b") == true)
    #expect(try call("glob.match", "a\\*b", [], "axb") == false)
    #expect(try call("glob.match", "**", ["."], "a.b.c") == true)
    #expect(try call("glob.match", "a,b}", [], "a,b}") == true)
    #expect(try call("glob.match", "[abc-]", [], "-") == true)
    #expect(try call("glob.match", "[!.]", ["."], ".") == false)
    #expect(try call("glob.match", "?", [], "é") == true)
    #expect(try call("glob.match", "*", ["/"], "a\nb") == true)
    #expect(try call("glob.match", "", [], "") == true)
    #expect(try call("glob.match", "", [], "a") == false)
    #expect(throws: BuiltinError.failure("expected close range character")) {
      try call("glob.match", "[a-z0-9]", [], "a")
    }
    #expect(throws: BuiltinError.failure("could not parse range")) { try call("glob.match", "[!]", [], "a") }
    #expect(throws: BuiltinError.failure("unexpected end of input")) { try call("glob.match", "[", [], "a") }
    #expect(throws: BuiltinError.failure("hi character 'a' should be greater than lo 'z'")) {
      try call("glob.match", "[z-a]", [], "a")
    }
  }

  @Test("glob.match operand errors")
  func operandErrors() throws {
    #expect(throws: BuiltinError(.type, "operand 2 must be array of runes but got array containing string")) {
      try call("glob.match", "*", ["ab"], "x")
    }
    #expect(throws: BuiltinError(.type, "operand 2 must be array of strings but got array containing number")) {
      try call("glob.match", "*", [1], "x")
    }
    #expect(throws: BuiltinError(.type, "operand 2 must be one of {array, null} but got string")) {
      try call("glob.match", "*", "x", "x")
    }
    #expect(throws: BuiltinError(.type, "operand 3 must be string but got number")) {
      try call("glob.match", "*", [], 1)
    }
  }

  @Test("glob.quote_meta")
  func quoteMeta() throws {
    #expect(try call("glob.quote_meta", "*.github.com") == "\\*.github.com")
    #expect(try call("glob.quote_meta", "{a,b}[c]?\\") == "\\{a,b\\}\\[c\\]\\?\\\\")
    #expect(try call("glob.quote_meta", "a-b!c") == "a-b!c")
  }
}

@Suite("glob limits")
struct GlobLimitTests {
  @Test("deeply nested alternatives are an error, not a stack overflow")
  func deepNesting() throws {
    let pattern = String(repeating: "{", count: 5000) + "a"
    #expect(throws: BuiltinError.failure("pattern nests too deeply")) {
      try call("glob.match", .string(pattern), [], "a")
    }
  }
}
