import PolicyCore
import Testing

@Suite("JSON printer: canonical output and round trips")
struct JSONPrinterTests {
  @Test("objects print in key order, sets as sorted arrays")
  func canonical() throws {
    let value = try JSON.parse(#"{"b": [3, 1], "a": {"z": 1, "y": null}, "c": "x"}"#)
    #expect(value.json == #"{"a":{"y":null,"z":1},"b":[3,1],"c":"x"}"#)
    let set = Value.set(ValueSet(["b", "a", 2, "a"]))
    #expect(set.json == #"[2,"a","b"]"#)
  }

  @Test("numbers print exactly as written")
  func numbers() throws {
    let text = #"[0,-7,12345678901234567890123,0.1,1.10,1E400,-0,2.5e-3,9223372036854775807,-9223372036854775808]"#
    #expect(try JSON.parse(text).json == text)
    #expect(Value.number(Number(0.5)).json == "0.5")
    #expect(Value.number(Number(3.0)).json == "3")
  }

  @Test("strings escape what JSON requires, and HTML characters only on request")
  func escaping() {
    let value = Value.string("a\"b\\c\n\t\u{1}</x>&\u{2028}é😀")
    #expect(value.json == #""a\"b\\c\n\t\u0001</x>&"# + "\u{2028}é😀\"")
    let goStyle = JSONPrinter(options: .init(escapeHTML: true)).string(value)
    #expect(goStyle == #""a\"b\\c\n\t\u0001\u003c/x\u003e\u0026\u2028"# + "é😀\"")
  }

  @Test("pretty output uses two-space indentation like opa eval")
  func pretty() throws {
    let value = try JSON.parse(#"{"a": [1, {"b": []}], "c": {}}"#)
    #expect(
      value.prettyJSON == """
        {
          "a": [
            1,
            {
              "b": []
            }
          ],
          "c": {}
        }
        """)
  }

  @Test("non-string keys print as the JSON text of the key")
  func nonStringKeys() {
    let object = Value.object(ValueObject([ValueObject.Entry(key: 1, value: "a"), .init(key: ["x"], value: true)]))
    #expect(object.json == #"{"1":"a","[\"x\"]":true}"#)
  }

  static let roundTripDocuments = [
    #"{"apiVersion":"v1","items":[{"metadata":{"labels":{"app":"x"},"name":"p"},"spec":{"containers":[{"image":"nginx:1.25","name":"c","ports":[{"containerPort":80}]}]}}],"kind":"List"}"#,
    #"[null,true,false,0,-1,1.5,"\u0000\u001f","\"","\\","/",[],{},[[[]]],{"":{"":""}}]"#,
    #""\ud83d\ude00 é 中 \u2028""#,
    #"{"big":123456789012345678901234567890,"neg":-0.000001,"exp":6.02214076e23}"#,
  ]

  @Test("parse, print, parse gives the same value", arguments: roundTripDocuments)
  func roundTrip(text: String) throws {
    let first = try JSON.parse(text)
    let printed = first.json
    let second = try JSON.parse(printed)
    #expect(first == second)
    #expect(second.json == printed, "printing is a fixed point")
    let pretty = try JSON.parse(first.prettyJSON)
    #expect(pretty == first)
  }

  @Test("generated documents round-trip (a deterministic walk over shapes)")
  func generatedRoundTrips() throws {
    var generator = SplitMix(seed: 42)
    for _ in 0..<300 {
      let value = generator.value(depth: 0)
      let reparsed = try JSON.parse(value.json)
      #expect(reparsed == value, "\(value.json)")
    }
  }
}

/// A small deterministic generator of JSON values for round-trip tests.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  mutating func string() -> String {
    let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\u{1}", "é", "中", "😀", "\u{7f}", "/"]
    var text = ""
    for _ in 0..<below(20) { text.unicodeScalars.append(alphabet[below(alphabet.count)]) }
    return text
  }

  mutating func value(depth: Int) -> Value {
    switch below(depth > 4 ? 5 : 8) {
    case 0: return .null
    case 1: return .bool(below(2) == 0)
    case 2: return .int(Int(bitPattern: UInt(next())) >> below(64))
    case 3:
      let literals = ["0.5", "1e10", "-3.25E-7", "123456789012345678901234567890", "1.000"]
      return .number(Number(literal: literals[below(literals.count)]) ?? 0)
    case 4: return .string(string())
    case 5: return .array((0..<below(5)).map { _ in value(depth: depth + 1) })
    default:
      var members: [(String, Value)] = []
      for _ in 0..<below(5) { members.append((string(), value(depth: depth + 1))) }
      return .object(ValueObject(members))
    }
  }
}
