import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func number(_ literal: String) -> Value { .number(Number(literal: literal)!) }

private let samples: [Value] = [.null, true, 1, "s", [1], ["k": 1], .set(ValueSet([1]))]

@Suite("Type builtins")
struct TypesTests {
  @Test("is_* answer true for their kind and false otherwise", arguments: [
    ("is_null", 0), ("is_boolean", 1), ("is_number", 2), ("is_string", 3), ("is_array", 4), ("is_object", 5),
    ("is_set", 6),
  ])
  func predicates(name: String, kind: Int) throws {
    for (index, sample) in samples.enumerated() {
      #expect(try call(name, sample) == .bool(index == kind), "\(name)(\(sample.typeName))")
    }
  }

  @Test("conformance examples")
  func examples() throws {
    #expect(try call("is_number", number("-42.0")) == true)
    #expect(try call("is_number", number("100.1")) == true)
    #expect(try call("is_string", "OPA") == true)
    #expect(try call("is_boolean", false) == true)
    #expect(try call("is_set", [1, 2, 3]) == false)
    #expect(try call("is_object", "foo") == false)
    #expect(try call("is_null", true) == false)
  }

  @Test("type_name")
  func typeName() throws {
    #expect(try call("type_name", .null) == "null")
    #expect(try call("type_name", true) == "boolean")
    #expect(try call("type_name", 100) == "number")
    #expect(try call("type_name", "x") == "string")
    #expect(try call("type_name", [1, 2, 3]) == "array")
    #expect(try call("type_name", .set(ValueSet([1, 2, 3]))) == "set")
    #expect(try call("type_name", ["foo": 1]) == "object")
  }

  @Test("to_number of null, booleans and numbers")
  func toNumberScalars() throws {
    #expect(try call("to_number", .null) == 0)
    #expect(try call("to_number", false) == 0)
    #expect(try call("to_number", true) == 1)
    #expect(try call("to_number", number("100.1")).numberValue?.text == "100.1")
    #expect(throws: BuiltinError(.type, "operand 1 must be one of {null, boolean, number, string} but got array")) {
      try call("to_number", [1])
    }
  }

  @Test("to_number reads strings exactly, as Go's ParseFloat accepts them")
  func toNumberStrings() throws {
    #expect(try call("to_number", "-42.0") == -42)
    #expect(try call("to_number", "3") == 3)
    #expect(try call("to_number", "1e3") == 1000)
    #expect(try call("to_number", "+5") == 5)
    #expect(try call("to_number", "007") == 7)
    #expect(try call("to_number", ".5") == number("0.5"))
    #expect(try call("to_number", "5.") == 5)
    #expect(try call("to_number", "1_000") == 1000)
    #expect(try call("to_number", "0x1p-2") == number("0.25"))
    #expect(try call("to_number", "-0") == 0)
    #expect(try call("to_number", "12345678901234567890123").numberValue?.text == "12345678901234567890123")
    #expect(try call("to_number", "0.1").numberValue?.text == "0.1")
    // Go reads 1e-400 as 0 but OPA keeps the text, so the exact value survives.
    #expect(try call("to_number", "1e-400").numberValue?.text == "1e-400")
  }

  @Test("to_number rejects infinities and NaN as type errors", arguments: [
    "nan", "inf", "-inf", "Infinity", "-Infinity", "-nan", "-NaN", "iNf", "+-inf",
  ])
  func toNumberSpecials(text: String) {
    #expect(throws: BuiltinError(.type, "operand 1 must be valid number string but got string")) {
      try call("to_number", .string(text))
    }
  }

  @Test("to_number reports other bad strings in Go's words")
  func toNumberErrors() {
    #expect(throws: BuiltinError(.builtin, #"strconv.ParseFloat: parsing "abc": invalid syntax"#)) {
      try call("to_number", "abc")
    }
    #expect(throws: BuiltinError(.builtin, #"strconv.ParseFloat: parsing "": invalid syntax"#)) {
      try call("to_number", "")
    }
    #expect(throws: BuiltinError(.builtin, #"strconv.ParseFloat: parsing " 1": invalid syntax"#)) {
      try call("to_number", " 1")
    }
    #expect(throws: BuiltinError(.builtin, #"strconv.ParseFloat: parsing "1_": invalid syntax"#)) {
      try call("to_number", "1_")
    }
    #expect(throws: BuiltinError(.builtin, #"strconv.ParseFloat: parsing "0x10": invalid syntax"#)) {
      try call("to_number", "0x10")
    }
    #expect(throws: BuiltinError(.builtin, #"strconv.ParseFloat: parsing "a\"b\n": invalid syntax"#)) {
      try call("to_number", "a\"b\n")
    }
    #expect(throws: BuiltinError(.builtin, #"strconv.ParseFloat: parsing "1e400": value out of range"#)) {
      try call("to_number", "1e400")
    }
  }
}
