import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func failure(_ name: String, _ arguments: Value...) -> BuiltinError? {
  do {
    _ = try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
    return nil
  } catch {
    return error
  }
}

private func set(_ elements: Value...) -> Value { .set(ValueSet(elements)) }

private func number(_ literal: String) -> Value { .number(Number(literal: literal)!) }

@Suite("encoding builtins")
struct EncodingTests {
  // MARK: base64

  @Test("base64 encodes and decodes with the standard alphabet")
  func base64() throws {
    #expect(try call("base64.decode", "aGVsbG8=") == "hello")
    #expect(try call("base64.decode", "dGhlcmU=") == "there")
    #expect(try call("base64.encode", "subjects?_d") == "c3ViamVjdHM/X2Q=")
    #expect(try call("base64.decode", "c3ViamVjdHM/X2Q=") == "subjects?_d")
    #expect(try call("base64.encode", "") == "")
    #expect(try call("base64.decode", "") == "")
    #expect(try call("base64.encode", "a") == "YQ==")
    #expect(try call("base64.encode", "ab") == "YWI=")
    #expect(try call("base64.decode", "YWI=\n") == "ab")
    #expect(try call("base64.decode", "YW\r\nI=") == "ab")
  }

  @Test("base64.decode reports Go's byte offsets")
  func base64Errors() {
    #expect(failure("base64.decode", "aGVsbG8") == .failure("illegal base64 data at input byte 4"))
    #expect(failure("base64.decode", "a") == .failure("illegal base64 data at input byte 0"))
    #expect(failure("base64.decode", "YQ=") == .failure("illegal base64 data at input byte 3"))
    #expect(failure("base64.decode", "Y===") == .failure("illegal base64 data at input byte 1"))
    #expect(failure("base64.decode", "YQ==YQ==") == .failure("illegal base64 data at input byte 4"))
    #expect(failure("base64.decode", "{'not':'base64'}") == .failure("illegal base64 data at input byte 0"))
    #expect(failure("base64.decode", "aGVs_G8=") == .failure("illegal base64 data at input byte 4"))
    #expect(failure("base64.decode", 1) == BuiltinError(.type, "operand 1 must be string but got number"))
  }

  @Test("base64.is_valid")
  func base64IsValid() throws {
    #expect(try call("base64.is_valid", "aGVsbG8=") == true)
    #expect(try call("base64.is_valid", "{'not':'base64'}") == false)
    #expect(try call("base64.is_valid", 1) == false)
  }

  @Test("base64url encodes with and without padding and decodes both")
  func base64URL() throws {
    #expect(try call("base64url.encode", "hello") == "aGVsbG8=")
    #expect(try call("base64url.encode", "there") == "dGhlcmU=")
    #expect(try call("base64url.encode_no_pad", "hello") == "aGVsbG8")
    #expect(try call("base64url.encode_no_pad", "there") == "dGhlcmU")
    #expect(try call("base64url.encode", "subjects?_d") == "c3ViamVjdHM_X2Q=")
    #expect(try call("base64url.decode", "c3ViamVjdHM_X2Q") == "subjects?_d")
    #expect(try call("base64url.decode", "aGVsbG8") == "hello")
    #expect(try call("base64url.decode", "aGVsbG8=") == "hello")
    #expect(try call("base64url.decode", "YQ") == "a")
    #expect(failure("base64url.decode", "aGVsb") == .failure("illegal base64url string: aGVsb"))
    #expect(failure("base64url.decode", "c3ViamVjdHM/X2Q=") == .failure("illegal base64 data at input byte 11"))
  }

  // MARK: hex

  @Test("hex encodes lower-case and decodes either case with Go's errors")
  func hex() throws {
    #expect(try call("hex.encode", "lorem ipsum") == "6c6f72656d20697073756d")
    #expect(try call("hex.decode", "6c6f72656d20697073756d") == "lorem ipsum")
    #expect(try call("hex.decode", "6C6F") == "lo")
    #expect(try call("hex.decode", "") == "")
    #expect(failure("hex.decode", "fghijkl") == .failure("encoding/hex: invalid byte: U+0067 'g'"))
    #expect(failure("hex.decode", "6c6") == .failure("encoding/hex: odd length hex string"))
    #expect(failure("hex.decode", "6cx") == .failure("encoding/hex: invalid byte: U+0078 'x'"))
    #expect(failure("hex.decode", "6c\n0") == .failure("encoding/hex: invalid byte: U+000A"))
  }

  // MARK: urlquery

  @Test("urlquery.encode and decode follow Go's query escaping")
  func urlquery() throws {
    #expect(try call("urlquery.encode", "") == "")
    #expect(try call("urlquery.encode", "a=b+1 c/d~e") == "a%3Db%2B1+c%2Fd~e")
    #expect(try call("urlquery.encode", "é") == "%C3%A9")
    #expect(try call("urlquery.decode", "a%3Db%2B1") == "a=b+1")
    #expect(try call("urlquery.decode", "a+b%20c") == "a b c")
    #expect(failure("urlquery.decode", "a%zzb") == .failure("invalid URL escape \"%zz\""))
    #expect(failure("urlquery.decode", "abc%4") == .failure("invalid URL escape \"%4\""))
  }

  @Test("urlquery.encode_object sorts keys and expands arrays and sets")
  func encodeObject() throws {
    #expect(try call("urlquery.encode_object", [:]) == "")
    #expect(try call("urlquery.encode_object", ["a": "c=b+1"]) == "a=c%3Db%2B1")
    #expect(try call("urlquery.encode_object", ["a": ["b+1", "c+2"]]) == "a=b%2B1&a=c%2B2")
    #expect(try call("urlquery.encode_object", ["a": set("b+1")]) == "a=b%2B1")
    #expect(try call("urlquery.encode_object", ["b": "2", "a": ["x", "y"], "c": []]) == "a=x&a=y&b=2")
    #expect(
      failure("urlquery.encode_object", ["a": 1])
        == BuiltinError(.type, "operand 1 values must be string, array[string], or set[string]"))
    #expect(
      failure("urlquery.encode_object", ["a": [1]])
        == BuiltinError(.type, "operand 1 values must be string, array[string], or set[string]"))
    #expect(failure("urlquery.encode_object", "x") == BuiltinError(.type, "operand 1 must be object but got string"))
  }

  @Test("urlquery.decode_object groups values per key")
  func decodeObject() throws {
    #expect(
      try call("urlquery.decode_object", "a=value_a1&b=value_b&a=value_a2")
        == ["a": ["value_a1", "value_a2"], "b": ["value_b"]])
    #expect(try call("urlquery.decode_object", "a=value_a1&b") == ["a": ["value_a1"], "b": [""]])
    #expect(try call("urlquery.decode_object", "") == [:])
    #expect(try call("urlquery.decode_object", "&a=1&&a%3D=x+y") == ["a": ["1"], "a=": ["x y"]])
    #expect(failure("urlquery.decode_object", "a=1;b=2") == .failure("invalid semicolon separator in query"))
    #expect(failure("urlquery.decode_object", "a=%zz") == .failure("invalid URL escape \"%zz\""))
  }

  // MARK: yaml

  @Test("yaml.is_valid")
  func yamlIsValid() throws {
    #expect(try call("yaml.is_valid", "foo:\n   - qux: bar\n   - baz: 2") == true)
    #expect(try call("yaml.is_valid", "foo:\n   - qux: bar\n   - baz: {") == false)
    #expect(try call("yaml.is_valid", "{\"json\": \"ok\"}") == true)
    #expect(try call("yaml.is_valid", 1) == false)
  }

  @Test("yaml.unmarshal resolves scalars as go-yaml v2 does")
  func yamlUnmarshalScalars() throws {
    let text = """
      int: 42
      neg: -7
      hex: 0x1F
      octal: 0o17
      oldOctal: 017
      underscored: 1_000
      float: 1.5
      exp: 1e3
      tiny: 1e-7
      big: 12345678901234567890
      huge: 123456789012345678901234
      yesWord: yes
      noWord: No
      onWord: on
      yWord: y
      yes: key
      null1: ~
      null2:
      str: hello world
      quoted: "123"
      single: 'true'
      date: 2001-12-14
      stamp: 2001-12-14T21:59:43.10Z
      dot: .5
      tagged: !!str 12
      floatTagged: !!float 3
      """
    let expected: Value = [
      "int": 42, "neg": -7, "hex": 31, "octal": 15, "oldOctal": 15, "underscored": 1000,
      "float": 1.5, "exp": 1000, "tiny": number("1e-7"), "big": number("12345678901234567890"),
      "huge": number("1.2345678901234569e+23"), "yesWord": true, "noWord": false, "onWord": true,
      "yWord": true, "true": "key",
      "null1": .null, "null2": .null, "str": "hello world", "quoted": "123", "single": "true",
      "date": "2001-12-14", "stamp": "2001-12-14T21:59:43.10Z", "dot": 0.5, "tagged": "12",
      "floatTagged": 3,
    ]
    let actual = try call("yaml.unmarshal", .string(text))
    for entry in expected.objectValue ?? ValueObject() {
      #expect(actual.objectValue?[entry.key] == entry.value, "key \(entry.key)")
    }
    #expect(actual == expected)
    #expect(try call("yaml.unmarshal", "1.0") == number("1"))
    #expect(try call("yaml.unmarshal", "") == .null)
    #expect(try call("yaml.unmarshal", "# only a comment\n") == .null)
    #expect(try call("yaml.unmarshal", "- a\n- 2\n---\n- ignored") == ["a", 2])
  }

  @Test("yaml.unmarshal turns keys into strings, merges and expands aliases")
  func yamlUnmarshalStructure() throws {
    #expect(try call("yaml.unmarshal", "1: a\ntrue: b\n1.5: c\n0x10: d") == ["1": "a", "true": "b", "1.5": "c", "16": "d"])
    let merged = """
      base: &base
        a: 1
        b: 2
      derived:
        <<: *base
        b: 3
      list: [*base, *base]
      """
    #expect(
      try call("yaml.unmarshal", .string(merged))
        == ["base": ["a": 1, "b": 2], "derived": ["a": 1, "b": 3], "list": [["a": 1, "b": 2], ["a": 1, "b": 2]]])
    #expect(try call("yaml.unmarshal", "a: [1, {b: c}]\nd: {}") == ["a": [1, ["b": "c"]], "d": [:]])
    #expect(try call("yaml.unmarshal", "text: |\n  line one\n  line two\n") == ["text": "line one\nline two\n"])
  }

  @Test("yaml.unmarshal errors read like go-yaml's")
  func yamlUnmarshalErrors() {
    let error = failure("yaml.unmarshal", "[1,2,3")
    #expect(error?.kind == .builtin)
    #expect(error?.message.hasPrefix("yaml: line 1: did not find") == true)
    #expect(failure("yaml.unmarshal", "a: b: c") == .failure("yaml: mapping values are not allowed in this context"))
    #expect(
      failure("yaml.unmarshal", "x: 1\na: b: c") == .failure("yaml: line 2: mapping values are not allowed in this context"))
    #expect(failure("yaml.unmarshal", "a: .nan") == .failure("json: unsupported value: NaN"))
    #expect(failure("yaml.unmarshal", "a: *missing") == .failure("yaml: unknown anchor 'missing' referenced"))
    #expect(failure("yaml.unmarshal", "a: !!int abc") == .failure("yaml: cannot decode !!str `abc` as a !!int"))
    #expect(failure("yaml.unmarshal", "~: a") != nil)
    #expect(failure("yaml.unmarshal", 1) == BuiltinError(.type, "operand 1 must be string but got number"))
    let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
    #expect(failure("yaml.unmarshal", .string(deep)) == .failure("yaml: exceeded max depth of 512"))
  }

  @Test("yaml.unmarshal handles nesting up to its limit without exhausting the stack")
  func yamlDeepNesting() throws {
    let depth = 500
    let flow = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    var expected: Value = []
    for _ in 1..<depth { expected = [expected] }
    #expect(try call("yaml.unmarshal", .string(flow)) == expected)
    let block = String(repeating: "- ", count: 400) + "x"
    var blockExpected: Value = "x"
    for _ in 0..<400 { blockExpected = [blockExpected] }
    #expect(try call("yaml.unmarshal", .string(block)) == blockExpected)
  }

  @Test("yaml.marshal lays documents out as go-yaml v2 does")
  func yamlMarshal() throws {
    #expect(try call("yaml.marshal", [["foo": set(1, 2, 3)]]) == "- foo:\n  - 1\n  - 2\n  - 3\n")
    #expect(try call("yaml.marshal", ["b": 1, "a": ["x": [true, .null]]]) == "a:\n  x:\n  - true\n  - null\nb: 1\n")
    #expect(try call("yaml.marshal", [:]) == "{}\n")
    #expect(try call("yaml.marshal", []) == "[]\n")
    #expect(try call("yaml.marshal", "foo") == "foo\n")
    #expect(try call("yaml.marshal", 1.5) == "1.5\n")
    #expect(try call("yaml.marshal", number("1e6")) == "1e+06\n")
    #expect(try call("yaml.marshal", number("2.0")) == "2\n")
    #expect(try call("yaml.marshal", number("12345678901234567890")) == "12345678901234567890\n")
    // Strings that would read back as something else are quoted.
    #expect(
      try call("yaml.marshal", ["a": "true", "b": "1", "c": "", "d": "yes", "e": "null", "f": "1:20", "g": "2001-12-14"])
        == "a: \"true\"\nb: \"1\"\nc: \"\"\nd: \"yes\"\ne: \"null\"\nf: \"1:20\"\ng: \"2001-12-14\"\n")
    #expect(try call("yaml.marshal", ["k": "a: b", "l": " lead", "m": "x #y"]) == "k: 'a: b'\nl: ' lead'\nm: 'x #y'\n")
    #expect(try call("yaml.marshal", ["t": "one\ntwo"]) == "t: |-\n  one\n  two\n")
    #expect(try call("yaml.marshal", "é") == "é\n")
    let long = String(repeating: "word ", count: 20) + "end"
    #expect(try call("yaml.marshal", ["k": .string(long)]) == .string("k: " + String(repeating: "word ", count: 15) + "word\n  " + String(repeating: "word ", count: 4) + "end\n"))
    // Numeric runs in keys compare by value; letters sort after other characters.
    #expect(try call("yaml.marshal", ["a10": 1, "a2": 2, "B": 3, "_": 4]) == "_: 4\nB: 3\na2: 2\na10: 1\n")
  }

  @Test("yaml round-trips through marshal and unmarshal")
  func yamlRoundTrip() throws {
    let value: Value = [["foo": set(1, 2, 3)]]
    let text = try call("yaml.marshal", value)
    #expect(try call("yaml.unmarshal", text) == [["foo": [1, 2, 3]]])
    let tricky: Value = ["s": ["true", "1.0", "0x10", "~", "a: b", "line\nbreak", "  spaced  ", "#"], "n": [1, 2.5, -3]]
    #expect(try call("yaml.unmarshal", try call("yaml.marshal", tricky)) == tricky)
  }
}
