internal import PolicyCore

// Type tests, `type_name` and `to_number`, after OPA's v1/topdown/type.go, type_name.go and
// casts.go. The deprecated casts (`cast_array`, `cast_set`, `cast_string`, `cast_boolean`,
// `cast_null`, `cast_object`) are not registered: OPA v1 no longer offers them unless compiled
// for v0 compatibility.

extension BuiltinRegistry {
  /// Adds the types family. Keep entries sorted.
  mutating func registerTypes() {
    add("is_array", arity: 1, category: "types", TypeBuiltins.isArray)
    add("is_boolean", arity: 1, category: "types", TypeBuiltins.isBoolean)
    add("is_null", arity: 1, category: "types", TypeBuiltins.isNull)
    add("is_number", arity: 1, category: "types", TypeBuiltins.isNumber)
    add("is_object", arity: 1, category: "types", TypeBuiltins.isObject)
    add("is_set", arity: 1, category: "types", TypeBuiltins.isSet)
    add("is_string", arity: 1, category: "types", TypeBuiltins.isString)
    add("to_number", arity: 1, category: "types", TypeBuiltins.toNumber)
    add("type_name", arity: 1, category: "types", TypeBuiltins.typeName)
  }
}

private enum TypeBuiltins {
  /// `is_number(x)`: whether `x` is a number (false, not undefined, otherwise).
  static func isNumber(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    if case .number = arguments[0] { return .bool(true) }
    return .bool(false)
  }

  /// `is_string(x)`: whether `x` is a string.
  static func isString(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    if case .string = arguments[0] { return .bool(true) }
    return .bool(false)
  }

  /// `is_boolean(x)`: whether `x` is `true` or `false`.
  static func isBoolean(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    if case .bool = arguments[0] { return .bool(true) }
    return .bool(false)
  }

  /// `is_array(x)`: whether `x` is an array.
  static func isArray(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    if case .array = arguments[0] { return .bool(true) }
    return .bool(false)
  }

  /// `is_set(x)`: whether `x` is a set.
  static func isSet(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    if case .set = arguments[0] { return .bool(true) }
    return .bool(false)
  }

  /// `is_object(x)`: whether `x` is an object.
  static func isObject(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    if case .object = arguments[0] { return .bool(true) }
    return .bool(false)
  }

  /// `is_null(x)`: whether `x` is `null`.
  static func isNull(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    if case .null = arguments[0] { return .bool(true) }
    return .bool(false)
  }

  /// `type_name(x)`: `"null"`, `"boolean"`, `"number"`, `"string"`, `"array"`, `"object"` or
  /// `"set"`.
  static func typeName(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    .string(arguments[0].typeName)
  }

  /// `to_number(x)`: `null` and `false` are 0, `true` is 1, numbers are themselves, and strings
  /// are read as Go's `strconv.ParseFloat` reads them (`"-42.0"`, `"1e3"`, `".5"`, `"1_000"`,
  /// `"0x1p-2"`), keeping their exact value.
  ///
  /// - Throws: a type error for `"inf"`, `"infinity"` and `"nan"` in any case or sign; Go's
  ///   `strconv.ParseFloat: parsing "x": invalid syntax` (or `value out of range` beyond the
  ///   float64 range) for other strings that are not numbers.
  static func toNumber(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    switch arguments[0] {
    case .null: return .int(0)
    case .bool(let flag): return .int(flag ? 1 : 0)
    case .number: return arguments[0]
    case .string(let text):
      let unsigned = text.drop { $0 == "+" || $0 == "-" }.lowercased()
      if unsigned == "inf" || unsigned == "infinity" || unsigned == "nan" {
        throw .operand(0, mustBe: "valid number string", got: arguments[0])
      }
      switch GoFloatSyntax.parse(text) {
      case .number(let number): return .number(number)
      case .invalidSyntax:
        throw .failure("strconv.ParseFloat: parsing \(goQuoted(text)): invalid syntax")
      case .outOfRange:
        throw .failure("strconv.ParseFloat: parsing \(goQuoted(text)): value out of range")
      }
    default:
      throw BuiltinError(
        .type, "operand 1 must be one of {null, boolean, number, string} but got \(arguments[0].typeName)")
    }
  }
}

/// Go's floating-point literal syntax as `strconv.ParseFloat` accepts it (strconv/atof.go's
/// `readFloat`): an optional sign, decimal digits with an optional point and `e` exponent, or
/// `0x` hexadecimal digits with a mandatory `p` exponent; underscores only between digits.
private enum GoFloatSyntax {
  enum Result {
    case number(Number)
    case invalidSyntax
    case outOfRange
  }

  static func parse(_ text: String) -> Result {
    let bytes = Array(text.utf8)
    var index = 0
    var negative = false
    if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    var hex = false
    if index + 2 < bytes.count, bytes[index] == UInt8(ascii: "0"), bytes[index + 1] | 0x20 == UInt8(ascii: "x") {
      hex = true
      index += 2
    }
    var integerDigits: [UInt8] = []
    var fractionDigits: [UInt8] = []
    var sawDot = false
    var sawDigits = false
    var underscores = false
    scan: while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "_"):
        underscores = true
      case UInt8(ascii: "."):
        if sawDot { break scan }
        sawDot = true
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        sawDigits = true
        if sawDot { fractionDigits.append(byte) } else { integerDigits.append(byte) }
      case _ where hex && isHexLetter(byte):
        sawDigits = true
        if sawDot { fractionDigits.append(byte) } else { integerDigits.append(byte) }
      default:
        break scan
      }
      index += 1
    }
    guard sawDigits else { return .invalidSyntax }
    var exponentText: [UInt8] = []
    let exponentMarker = hex ? UInt8(ascii: "p") : UInt8(ascii: "e")
    if index < bytes.count, bytes[index] | 0x20 == exponentMarker {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        exponentText.append(bytes[index])
        index += 1
      }
      guard index < bytes.count, isDigit(bytes[index]) else { return .invalidSyntax }
      while index < bytes.count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") {
        if bytes[index] == UInt8(ascii: "_") { underscores = true } else { exponentText.append(bytes[index]) }
        index += 1
      }
    } else if hex {
      return .invalidSyntax
    }
    guard index == bytes.count else { return .invalidSyntax }
    if underscores && !underscoresSeparateDigits(bytes) { return .invalidSyntax }

    if hex {
      var literal = negative ? "-0x" : "0x"
      literal += String(decoding: integerDigits.isEmpty ? [UInt8(ascii: "0")] : integerDigits, as: UTF8.self)
      if !fractionDigits.isEmpty { literal += "." + String(decoding: fractionDigits, as: UTF8.self) }
      literal += "p" + String(decoding: exponentText, as: UTF8.self)
      guard let value = Double(literal) else { return .invalidSyntax }
      return value.isFinite ? .number(Number(value)) : .outOfRange
    }
    // Rewrite as a JSON number literal: no "+", no leading zeros, digits on both sides of ".".
    var integerPart = integerDigits.drop { $0 == UInt8(ascii: "0") }
    if integerPart.isEmpty { integerPart = [UInt8(ascii: "0")] }
    var literal = negative ? "-" : ""
    literal += String(decoding: integerPart, as: UTF8.self)
    if !fractionDigits.isEmpty { literal += "." + String(decoding: fractionDigits, as: UTF8.self) }
    if !exponentText.isEmpty { literal += "e" + String(decoding: exponentText, as: UTF8.self) }
    guard let double = Double(literal) else { return .invalidSyntax }
    if !double.isFinite { return .outOfRange }
    guard let number = Number(literal: literal) else { return .invalidSyntax }
    return .number(number)
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

  private static func isHexLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 6 }

  /// Go's `underscoreOK`: each underscore sits between digits (a base prefix counts as one).
  private static func underscoresSeparateDigits(_ bytes: [UInt8]) -> Bool {
    var index = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
    var hex = false
    // The last thing seen: start, digit (or base prefix), underscore, or other.
    enum Seen { case start, digit, underscore, other }
    var seen = Seen.start
    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "0") {
      let marker = bytes[index + 1] | 0x20
      if marker == UInt8(ascii: "b") || marker == UInt8(ascii: "o") || marker == UInt8(ascii: "x") {
        index += 2
        seen = .digit
        hex = marker == UInt8(ascii: "x")
      }
    }
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      if isDigit(byte) || (hex && isHexLetter(byte)) {
        seen = .digit
        continue
      }
      if byte == UInt8(ascii: "_") {
        if seen != .digit { return false }
        seen = .underscore
        continue
      }
      if seen == .underscore { return false }
      seen = .other
    }
    return seen != .underscore
  }
}

/// A string in double quotes as Go's `strconv.Quote` writes it: printable characters as they
/// are, `\"` and `\\`, the usual short escapes, and `\xNN` / `\uNNNN` / `\UNNNNNNNN` for the rest.
private func goQuoted(_ text: String) -> String {
  var result = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\u{07}": result += "\\a"
    case "\u{08}": result += "\\b"
    case "\u{0C}": result += "\\f"
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    case "\u{0B}": result += "\\v"
    default:
      if isGoPrintable(scalar) {
        result.unicodeScalars.append(scalar)
      } else if scalar.value < 0x80 {
        result += "\\x" + hexDigits(scalar.value, width: 2)
      } else if scalar.value < 0x10000 {
        result += "\\u" + hexDigits(scalar.value, width: 4)
      } else {
        result += "\\U" + hexDigits(scalar.value, width: 8)
      }
    }
  }
  return result + "\""
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
private func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
  if scalar == " " { return true }
  switch scalar.properties.generalCategory {
  case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format, .surrogate, .privateUse,
    .unassigned:
    return false
  default:
    return true
  }
}

private func hexDigits(_ value: UInt32, width: Int) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
}
