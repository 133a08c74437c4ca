import PolicyCore
import Testing

@Suite("JSON parser: RFC 8259 documents")
struct JSONParserTests {
  @Test("scalars and containers")
  func basics() throws {
    #expect(try JSON.parse("null") == .null)
    #expect(try JSON.parse("true") == .bool(true))
    #expect(try JSON.parse(" false ") == .bool(false))
    #expect(try JSON.parse("0") == 0)
    #expect(try JSON.parse("-12") == -12)
    #expect(try JSON.parse(#""a""#) == "a")
    #expect(try JSON.parse("[]") == .array([]))
    #expect(try JSON.parse("{}") == .object(ValueObject()))
    #expect(try JSON.parse(" \t\r\n[ 1 , [ ] , { } ]\n") == [1, .array([]), .object(ValueObject())])
    #expect(try JSON.parse(#"{"b": 2, "a": [true, null]}"#) == ["a": [true, .null], "b": 2])
  }

  @Test("escapes decode to the right scalars")
  func escapes() throws {
    #expect(try JSON.parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{8} \u{c} \n \r \t"))
    #expect(try JSON.parse(#""\u0041\u00e9\u4E2D""#) == "Aé中")
    // A surrogate pair is one scalar outside the BMP.
    #expect(try JSON.parse(#""\uD83D\uDE00""#) == "😀")
    #expect(try JSON.parse(#""\u0000""#) == .string("\u{0}"))
    // Raw UTF-8 passes through unchanged, including 4-byte sequences.
    #expect(try JSON.parse("\"héllo 😀 \u{10FFFF}\"") == .string("héllo 😀 \u{10FFFF}"))
  }

  @Test("long strings cross the eight-byte fast path correctly")
  func longStrings() throws {
    for length in 0..<40 {
      let body = String(repeating: "a", count: length)
      #expect(try JSON.parse("\"\(body)\"") == .string(body))
      #expect(try JSON.parse("\"\(body)\\n\(body)\"") == .string(body + "\n" + body))
      #expect(try JSON.parse("\"\(body)é\(body)\"") == .string(body + "é" + body))
    }
  }

  @Test("strings compare by bytes: precomposed and decomposed é differ")
  func normalisationIsNotApplied() throws {
    let precomposed = try JSON.parse(#""\u00e9""#)
    let decomposed = try JSON.parse(#""e\u0301""#)
    #expect(precomposed != decomposed)
  }

  @Test("numbers keep their exact value and text")
  func numbers() throws {
    let big = try JSON.parse("12345678901234567890123")
    #expect(big.numberValue?.text == "12345678901234567890123")
    #expect(try JSON.parse("9007199254740993").numberValue?.intValue == 9_007_199_254_740_993)
    #expect(try JSON.parse("9223372036854775807").numberValue?.intValue == Int.max)
    #expect(try JSON.parse("-9223372036854775808").numberValue?.intValue == Int.min)
    #expect(try JSON.parse("9223372036854775808").numberValue?.intValue == nil)
    #expect(try JSON.parse("0.1").numberValue?.text == "0.1")
    #expect(try JSON.parse("1.10").numberValue?.text == "1.10")
    #expect(try JSON.parse("1E400").numberValue?.text == "1E400")
    #expect(try JSON.parse("-0").numberValue?.text == "-0")
    #expect(try JSON.parse("2.5e-3") == .number(Number(literal: "0.0025")!))
    #expect(try JSON.parse("1.0") == 1)
  }

  @Test("duplicate keys: the last one wins, as in Go")
  func duplicateKeys() throws {
    let value = try JSON.parse(#"{"a": 1, "b": 2, "a": 3}"#)
    #expect(value == ["a": 3, "b": 2])
    #expect(value.objectValue?.count == 2)
  }

  @Test("keys out of order are sorted on their bytes; escaped keys and nesting take the same order")
  func unsortedKeys() throws {
    let value = try JSON.parse(#"{"b": {"z": 1, "y": [{"q": 1, "p": 2, "q": 3}]}, "a": 2, "b2": 0, "b": {"y": 4, "x": 5}}"#)
    #expect(value == ["a": 2, "b": ["x": 5, "y": 4], "b2": 0])
    #expect(value.objectValue?.keys == ["a", "b", "b2"])
    // The first "b" is dropped, but its nested objects were sorted on the way.
    let nested = try JSON.parse(#"{"k": {"z": 1, "y": [{"q": 1, "p": 2, "q": 3}]}, "c": 1}"#)
    #expect(nested == ["c": 1, "k": ["y": [["p": 2, "q": 3]], "z": 1]])
    // An escaped key falls back to sorting decoded keys: "b" is "b", a duplicate of "b".
    let escaped = try JSON.parse(#"{"c": 1, "b": 2, "b": 3, "ab": 4}"#)
    #expect(escaped == ["ab": 4, "b": 3, "c": 1])
    #expect(escaped.objectValue?.keys == ["ab", "b", "c"])
    // Prefixes sort first; bytes above 0x7F after ASCII.
    #expect(try JSON.parse(#"{"é": 1, "ab": 2, "a": 3}"#).objectValue?.keys == ["a", "ab", "é"])
  }

  @Test("a UTF-8 byte order mark is skipped")
  func byteOrderMark() throws {
    #expect(try JSON.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [1])
  }

  @Test("JSON Lines: one document per line, blank lines skipped, errors name the line")
  func jsonLines() throws {
    let values = try JSON.parseLines(Array("{\"a\":1}\n\n[2]\r\n3\n".utf8))
    #expect(values == [["a": 1], [2], 3])
    let error = #expect(throws: Diagnostic.self) {
      try JSON.parseLines(Array("1\n2\n[3,\n".utf8), name: "r.jsonl")
    }
    #expect(error?.description.hasPrefix("r.jsonl:3:4: json_parse_error") == true)
  }
}

@Suite("JSON parser: malformed input gets a positioned error")
struct JSONErrorTests {
  /// Each case: input, expected `line:col`, and a fragment of the message.
  static let cases: [(String, String, String)] = [
    ("", "1:1", "empty document"),
    ("   ", "1:4", "empty document"),
    ("[1, 2", "1:6", "unexpected end of input"),
    ("{\"a\": 1", "1:8", "unexpected end of input"),
    ("{\"a\" 1}", "1:6", "expected ':'"),
    ("{\"a\": 1,}", "1:9", "expected a string object key"),
    ("[1, 2,]", "1:7", "expected a value"),
    ("{a: 1}", "1:2", "expected a string object key"),
    ("[1 2]", "1:4", "expected ',' or ']'"),
    ("\"abc", "1:1", "unterminated string"),
    ("\"a\\x\"", "1:3", "invalid escape sequence '\\x'"),
    ("\"a\\u12G4\"", "1:3", "four hex digits"),
    ("\"\\uD800\"", "1:2", "lone UTF-16 surrogate \\uD800"),
    ("\"\\uDC00\"", "1:2", "lone UTF-16 surrogate \\uDC00"),
    ("\"\\uD800\\u0041\"", "1:2", "lone UTF-16 surrogate"),
    ("\"\\uD800x\"", "1:2", "lone UTF-16 surrogate"),
    ("\"tab\there\"", "1:5", "unescaped control character"),
    ("01", "1:2", "leading zeros"),
    ("-01", "1:3", "leading zeros"),
    ("+1", "1:1", "unexpected '+'"),
    ("1.", "1:3", "expected a digit after '.'"),
    (".5", "1:1", "unexpected '.'"),
    ("1e", "1:3", "digit in the exponent"),
    ("-", "1:2", "expected a digit after '-'"),
    ("NaN", "1:1", "unexpected 'N'"),
    ("Infinity", "1:1", "unexpected 'I'"),
    ("tru", "1:1", "expected 'true'"),
    ("nulls", "1:1", "expected 'null'"),
    ("[1] [2]", "1:5", "after the end of the JSON value"),
    ("{\"a\": 1} // comment", "1:10", "after the end"),
    ("'single'", "1:1", "unexpected '''"),
    ("{\n  \"kind\": \"Pod\",\n  \"spec\" {}\n}", "3:10", "expected ':'"),
  ]

  @Test("positioned errors", arguments: cases)
  func malformed(input: String, position: String, message: String) {
    let error = #expect(throws: Diagnostic.self) { try JSON.parse(input, name: "doc.json") }
    #expect(error?.code == .jsonParseError)
    #expect(error?.description.hasPrefix("doc.json:\(position): json_parse_error:") == true, "\(String(describing: error))")
    #expect(error?.message.contains(message) == true, "\(String(describing: error?.message))")
  }

  static let invalidUTF8: [[UInt8]] = [
    [0x22, 0xC3, 0x22],  // truncated 2-byte sequence
    [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
    [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong 3-byte
    [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-8-encoded surrogate
    [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
    [0x22, 0xFF, 0x22],  // never valid
    [0x22, 0x80, 0x22],  // lone continuation byte
    Array("\"abcdefghij".utf8) + [0xC3, 0x28] + Array("\\n\"".utf8),  // after the fast path, with escapes
  ]

  @Test("invalid UTF-8 in strings is rejected", arguments: invalidUTF8)
  func rejectsInvalidUTF8(bytes: [UInt8]) {
    let error = #expect(throws: Diagnostic.self) { try JSON.parse(bytes) }
    #expect(error?.message == "invalid UTF-8 in string")
  }
}
