internal import PolicyCore

// `sprintf`, after OPA's builtinSprintf in v1/topdown/strings.go, which hands the operands to
// Go's fmt.Sprintf. OPA converts each array element first: a number whose text parses as a
// 64-bit integer becomes a Go `int`, one that parses as a decimal integer becomes a `*big.Int`,
// one that parses as a float64 becomes a `float64` and any other number stays its text (a
// `string`); strings stay strings; every other value becomes its Rego text (`[1, "a"]`,
// `{"a": 1}`, `set()`). `GoFormatter` below reimplements fmt's verbs, flags, width, precision,
// argument indexes and error forms (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA int=1)`) for
// exactly those four Go types, so `sprintf("%d", [1.5])` is `%!d(float64=1.5)` as in OPA.

extension BuiltinRegistry {
  /// Adds `sprintf`.
  mutating func registerSprintf() {
    /// `sprintf(format, values)`: Go's fmt.Sprintf over the values of an array.
    ///
    ///     sprintf("hi %s, %02d", ["there", 5])  # "hi there, 05"
    add("sprintf", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let format = try args.string(0)
      guard case .array(let values) = args[1] else { throw .operand(1, mustBe: "array", got: args[1]) }
      var formatter = GoFormatter(arguments: values.map(GoArgument.init))
      return .string(formatter.format(format))
    }
  }
}

// MARK: - Operands as Go values

/// One operand as OPA hands it to fmt.Sprintf.
private enum GoArgument {
  case int(Int)
  /// A `*big.Int`: its decimal digits (no sign, no leading zeros), converted to binary only for
  /// the verbs that need it.
  case bigInt(negative: Bool, digits: String)
  case float(Double)
  case string(String)

  init(_ value: Value) {
    switch value {
    case .number(let number):
      let text = number.text
      if let small = Int(text) {
        self = .int(small)
      } else if let integer = GoArgument.decimalInteger(text) {
        self = .bigInt(negative: integer.negative, digits: integer.digits)
      } else if let double = Double(text), double.isFinite {
        self = .float(double)
      } else {
        self = .string(text)
      }
    case .string(let text):
      self = .string(text)
    default:
      self = .string(regoText(value))
    }
  }

  /// big.Int's SetString(text, 10): an optional sign and at least one decimal digit.
  private static func decimalInteger(_ text: String) -> (negative: Bool, digits: String)? {
    var bytes = ArraySlice(text.utf8)
    var negative = false
    if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      negative = first == UInt8(ascii: "-")
      bytes = bytes.dropFirst()
    }
    guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
    while bytes.count > 1, bytes.first == UInt8(ascii: "0") { bytes = bytes.dropFirst() }
    // big.Int has no negative zero.
    if bytes == [UInt8(ascii: "0")] { negative = false }
    return (negative, String(decoding: bytes, as: UTF8.self))
  }

  /// The Go type name fmt prints (`reflect.TypeOf(arg).String()`).
  var typeName: String {
    switch self {
    case .int: return "int"
    case .bigInt: return "*big.Int"
    case .float: return "float64"
    case .string: return "string"
    }
  }
}

/// The Rego text of a value, as OPA's `Term.String()` prints it: strings Go-quoted, sets in
/// braces (`set()` when empty), object members `key: value`, elements separated by ", ".
private func regoText(_ value: Value) -> String {
  var out = ""
  writeRegoText(value, into: &out)
  return out
}

private func writeRegoText(_ value: Value, into out: inout String) {
  switch value {
  case .undefined: out += "undefined"
  case .null: out += "null"
  case .bool(let flag): out += flag ? "true" : "false"
  case .number(let number): out += number.text
  case .string(let text): out += String(decoding: goQuote(text, asciiOnly: false), as: UTF8.self)
  case .array(let elements):
    out += "["
    for (index, element) in elements.enumerated() {
      if index > 0 { out += ", " }
      writeRegoText(element, into: &out)
    }
    out += "]"
  case .set(let set):
    if set.isEmpty {
      out += "set()"
      return
    }
    out += "{"
    for (index, element) in set.sortedElements.enumerated() {
      if index > 0 { out += ", " }
      writeRegoText(element, into: &out)
    }
    out += "}"
  case .object(let object):
    out += "{"
    for (index, entry) in object.enumerated() {
      if index > 0 { out += ", " }
      writeRegoText(entry.key, into: &out)
      out += ": "
      writeRegoText(entry.value, into: &out)
    }
    out += "}"
  }
}

// MARK: - strconv

private let lowerHex = Array("0123456789abcdefx".utf8)
private let upperHex = Array("0123456789ABCDEFX".utf8)

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
private func goIsPrint(_ scalar: Unicode.Scalar) -> Bool {
  if scalar.value < 0x80 { return scalar.value >= 0x20 && scalar.value < 0x7F }
  switch scalar.properties.generalCategory {
  case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
    .nonspacingMark, .spacingMark, .enclosingMark,
    .decimalNumber, .letterNumber, .otherNumber,
    .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
    .initialPunctuation, .finalPunctuation, .otherPunctuation,
    .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
    return true
  default:
    return false
  }
}

/// Appends one rune escaped as strconv's appendEscapedRune does.
private func appendEscaped(_ scalar: Unicode.Scalar, quote: UInt8, asciiOnly: Bool, to out: inout [UInt8]) {
  let value = scalar.value
  if value == UInt32(quote) || value == 0x5C {
    out.append(0x5C)
    out.append(contentsOf: String(scalar).utf8)
    return
  }
  if asciiOnly {
    if value < 0x80, goIsPrint(scalar) {
      out.append(UInt8(value))
      return
    }
  } else if goIsPrint(scalar) {
    out.append(contentsOf: String(scalar).utf8)
    return
  }
  switch value {
  case 0x07: out.append(contentsOf: Array("\\a".utf8))
  case 0x08: out.append(contentsOf: Array("\\b".utf8))
  case 0x0C: out.append(contentsOf: Array("\\f".utf8))
  case 0x0A: out.append(contentsOf: Array("\\n".utf8))
  case 0x0D: out.append(contentsOf: Array("\\r".utf8))
  case 0x09: out.append(contentsOf: Array("\\t".utf8))
  case 0x0B: out.append(contentsOf: Array("\\v".utf8))
  default:
    if value < 0x20 || value == 0x7F {
      out.append(contentsOf: Array("\\x".utf8))
      out.append(lowerHex[Int(value >> 4)])
      out.append(lowerHex[Int(value & 0xF)])
    } else if value < 0x10000 {
      out.append(contentsOf: Array("\\u".utf8))
      for shift in stride(from: 12, through: 0, by: -4) { out.append(lowerHex[Int((value >> UInt32(shift)) & 0xF)]) }
    } else {
      out.append(contentsOf: Array("\\U".utf8))
      for shift in stride(from: 28, through: 0, by: -4) { out.append(lowerHex[Int((value >> UInt32(shift)) & 0xF)]) }
    }
  }
}

/// `strconv.Quote` / `strconv.QuoteToASCII`.
private func goQuote(_ text: String, asciiOnly: Bool) -> [UInt8] {
  var out: [UInt8] = [UInt8(ascii: "\"")]
  for scalar in text.unicodeScalars {
    appendEscaped(scalar, quote: UInt8(ascii: "\""), asciiOnly: asciiOnly, to: &out)
  }
  out.append(UInt8(ascii: "\""))
  return out
}

/// `strconv.QuoteRune` / `QuoteRuneToASCII`; invalid runes print as U+FFFD.
private func goQuoteRune(_ value: UInt64, asciiOnly: Bool) -> [UInt8] {
  let scalar = value <= 0x10FFFF ? (Unicode.Scalar(UInt32(value)) ?? "\u{FFFD}") : "\u{FFFD}"
  var out: [UInt8] = [UInt8(ascii: "'")]
  appendEscaped(scalar, quote: UInt8(ascii: "'"), asciiOnly: asciiOnly, to: &out)
  out.append(UInt8(ascii: "'"))
  return out
}

/// `strconv.CanBackquote`.
private func goCanBackquote(_ text: String) -> Bool {
  for scalar in text.unicodeScalars {
    if scalar.value == 0xFEFF { return false }
    if scalar.value >= 0x80 { continue }
    if (scalar.value < 0x20 && scalar.value != 0x09) || scalar.value == 0x60 || scalar.value == 0x7F { return false }
  }
  return true
}

/// A decimal digit string `0.d1d2d3... × 10^decimalPoint` (strconv's decimalSlice), with no
/// trailing zeros; zero has no digits.
private struct GoDecimal {
  var digits: [UInt8]
  var decimalPoint: Int

  /// The exact decimal value of a finite double's magnitude.
  init(exact value: Double) {
    let magnitude = abs(value)
    if magnitude == 0 {
      digits = []
      decimalPoint = 0
      return
    }
    let bits = magnitude.bitPattern
    let biased = Int((bits >> 52) & 0x7FF)
    var mantissa = bits & ((1 << 52) - 1)
    var exponent: Int
    if biased == 0 {
      exponent = -1074
    } else {
      mantissa |= 1 << 52
      exponent = biased - 1075
    }
    var text: [UInt8]
    if exponent >= 0 {
      text = Array(ExactMagnitude(mantissa).shiftedLeft(exponent).string(radix: 10).utf8)
      decimalPoint = text.count
    } else {
      text = Array((ExactMagnitude(mantissa) * ExactMagnitude.power(5, -exponent)).string(radix: 10).utf8)
      decimalPoint = text.count + exponent
    }
    while let last = text.last, last == UInt8(ascii: "0") { text.removeLast() }
    digits = text
  }

  /// The shortest digits that read back as the same double (Swift prints those too).
  init(shortest value: Double) {
    let magnitude = abs(value)
    if magnitude == 0 {
      digits = []
      decimalPoint = 0
      return
    }
    var text = Array("\(magnitude)".utf8)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
      exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
      text = Array(text[..<e])
    }
    var all: [UInt8] = []
    var integerDigits = 0
    var sawPoint = false
    for byte in text {
      if byte == UInt8(ascii: ".") {
        sawPoint = true
      } else {
        all.append(byte)
        if !sawPoint { integerDigits += 1 }
      }
    }
    var point = integerDigits + exponent
    while let first = all.first, first == UInt8(ascii: "0") {
      all.removeFirst()
      point -= 1
    }
    while let last = all.last, last == UInt8(ascii: "0") { all.removeLast() }
    digits = all
    decimalPoint = all.isEmpty ? 0 : point
  }

  /// strconv's `decimal.Round(nd)`: round half to even at `nd` digits; a negative `nd` leaves
  /// the digits alone, as Go does.
  mutating func round(_ count: Int) {
    if count < 0 || count >= digits.count { return }
    let roundUp: Bool
    if digits[count] == UInt8(ascii: "5") && count + 1 == digits.count {
      roundUp = count > 0 && (digits[count - 1] - UInt8(ascii: "0")) % 2 == 1
    } else {
      roundUp = digits[count] >= UInt8(ascii: "5")
    }
    if roundUp {
      var index = count - 1
      while index >= 0 {
        if digits[index] < UInt8(ascii: "9") {
          digits[index] += 1
          digits.removeSubrange((index + 1)...)
          return
        }
        index -= 1
      }
      digits = [UInt8(ascii: "1")]
      decimalPoint += 1
    } else {
      digits.removeSubrange(count...)
      while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
      if digits.isEmpty { decimalPoint = 0 }
    }
  }
}

/// `strconv.AppendFloat(v, fmt, prec, 64)` for a finite `v`.
private func goFormatFloat(_ value: Double, _ verb: UInt8, _ precision: Int) -> [UInt8] {
  let negative = value.sign == .minus
  switch verb {
  case UInt8(ascii: "b"): return goFormatBinaryFloat(value)
  case UInt8(ascii: "x"), UInt8(ascii: "X"): return goFormatHexFloat(value, verb, precision)
  default: break
  }
  var precision = precision
  let shortest = precision < 0
  var decimal: GoDecimal
  if shortest {
    decimal = GoDecimal(shortest: value)
    switch verb {
    case UInt8(ascii: "e"), UInt8(ascii: "E"): precision = decimal.digits.count - 1
    case UInt8(ascii: "f"): precision = max(decimal.digits.count - decimal.decimalPoint, 0)
    default: precision = decimal.digits.count
    }
  } else {
    decimal = GoDecimal(exact: value)
    switch verb {
    case UInt8(ascii: "e"), UInt8(ascii: "E"): decimal.round(precision + 1)
    case UInt8(ascii: "f"): decimal.round(decimal.decimalPoint + precision)
    default:
      if precision == 0 { precision = 1 }
      decimal.round(precision)
    }
  }
  var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
  switch verb {
  case UInt8(ascii: "e"), UInt8(ascii: "E"):
    appendExponentForm(decimal, precision, verb, to: &out)
  case UInt8(ascii: "f"):
    appendFixedForm(decimal, precision, to: &out)
  default:
    var exponentLimit = precision
    if exponentLimit > decimal.digits.count && decimal.digits.count >= decimal.decimalPoint {
      exponentLimit = decimal.digits.count
    }
    if shortest { exponentLimit = 6 }
    let exponent = decimal.decimalPoint - 1
    if exponent < -4 || exponent >= exponentLimit {
      if precision > decimal.digits.count { precision = decimal.digits.count }
      appendExponentForm(decimal, precision - 1, verb + UInt8(ascii: "e") - UInt8(ascii: "g"), to: &out)
    } else {
      if precision > decimal.decimalPoint { precision = decimal.digits.count }
      appendFixedForm(decimal, max(precision - decimal.decimalPoint, 0), to: &out)
    }
  }
  return out
}

/// strconv's fmtE: `d.ddddde±dd`.
private func appendExponentForm(_ decimal: GoDecimal, _ precision: Int, _ letter: UInt8, to out: inout [UInt8]) {
  let digits = decimal.digits
  out.append(digits.first ?? UInt8(ascii: "0"))
  if precision > 0 {
    out.append(UInt8(ascii: "."))
    var index = 1
    let available = min(digits.count, precision + 1)
    while index < available {
      out.append(digits[index])
      index += 1
    }
    while index <= precision {
      out.append(UInt8(ascii: "0"))
      index += 1
    }
  }
  out.append(letter)
  var exponent = digits.isEmpty ? 0 : decimal.decimalPoint - 1
  if exponent < 0 {
    out.append(UInt8(ascii: "-"))
    exponent = -exponent
  } else {
    out.append(UInt8(ascii: "+"))
  }
  if exponent < 10 { out.append(UInt8(ascii: "0")) }
  out.append(contentsOf: String(exponent).utf8)
}

/// strconv's fmtF: `ddd.ddd`.
private func appendFixedForm(_ decimal: GoDecimal, _ precision: Int, to out: inout [UInt8]) {
  let digits = decimal.digits
  if decimal.decimalPoint > 0 {
    let available = min(digits.count, decimal.decimalPoint)
    out.append(contentsOf: digits[0..<available])
    if available < decimal.decimalPoint {
      out.append(contentsOf: [UInt8](repeating: UInt8(ascii: "0"), count: decimal.decimalPoint - available))
    }
  } else {
    out.append(UInt8(ascii: "0"))
  }
  if precision > 0 {
    out.append(UInt8(ascii: "."))
    for offset in 1...precision {
      let index = decimal.decimalPoint + offset - 1
      out.append(index >= 0 && index < digits.count ? digits[index] : UInt8(ascii: "0"))
    }
  }
}

/// The mantissa (with the implicit bit) and unbiased exponent strconv works with.
private func floatParts(_ value: Double) -> (mantissa: UInt64, exponent: Int) {
  let bits = value.bitPattern
  var exponent = Int((bits >> 52) & 0x7FF)
  var mantissa = bits & ((1 << 52) - 1)
  if exponent == 0 {
    exponent += 1
  } else {
    mantissa |= 1 << 52
  }
  return (mantissa, exponent - 1023)
}

/// strconv's fmtB: `-ddddp±ddd` (decimal mantissa, binary exponent).
private func goFormatBinaryFloat(_ value: Double) -> [UInt8] {
  let (mantissa, exponent) = floatParts(value)
  var out: [UInt8] = value.sign == .minus ? [UInt8(ascii: "-")] : []
  out.append(contentsOf: String(mantissa).utf8)
  out.append(UInt8(ascii: "p"))
  let binaryExponent = exponent - 52
  if binaryExponent >= 0 { out.append(UInt8(ascii: "+")) }
  out.append(contentsOf: String(binaryExponent).utf8)
  return out
}

/// strconv's fmtX: `-0x1.yyyyp±dd`.
private func goFormatHexFloat(_ value: Double, _ verb: UInt8, _ precision: Int) -> [UInt8] {
  var (mantissa, exponent) = floatParts(value)
  if mantissa == 0 { exponent = 0 }
  mantissa <<= 60 - 52
  while mantissa != 0 && mantissa & (1 << 60) == 0 {
    mantissa <<= 1
    exponent -= 1
  }
  if precision >= 0 && precision < 15 {
    let shift = UInt64(precision * 4)
    let extra = (mantissa << shift) & ((1 << 60) - 1)
    mantissa >>= 60 - shift
    if extra | (mantissa & 1) > 1 << 59 { mantissa += 1 }
    mantissa <<= 60 - shift
    if mantissa & (1 << 61) != 0 {
      mantissa >>= 1
      exponent += 1
    }
  }
  let digits = verb == UInt8(ascii: "X") ? upperHex : lowerHex
  var out: [UInt8] = value.sign == .minus ? [UInt8(ascii: "-")] : []
  out.append(contentsOf: [UInt8(ascii: "0"), verb, UInt8(ascii: "0") + UInt8((mantissa >> 60) & 1)])
  mantissa <<= 4
  if precision < 0 && mantissa != 0 {
    out.append(UInt8(ascii: "."))
    while mantissa != 0 {
      out.append(digits[Int((mantissa >> 60) & 15)])
      mantissa <<= 4
    }
  } else if precision > 0 {
    out.append(UInt8(ascii: "."))
    for _ in 0..<precision {
      out.append(digits[Int((mantissa >> 60) & 15)])
      mantissa <<= 4
    }
  }
  out.append(verb == UInt8(ascii: "X") ? UInt8(ascii: "P") : UInt8(ascii: "p"))
  if exponent < 0 {
    out.append(UInt8(ascii: "-"))
    exponent = -exponent
  } else {
    out.append(UInt8(ascii: "+"))
  }
  if exponent < 10 { out.append(UInt8(ascii: "0")) }
  out.append(contentsOf: String(exponent).utf8)
  return out
}

// MARK: - fmt

/// Go's fmt.Sprintf over `GoArgument`s (print.go's doPrintf and format.go's formatters).
private struct GoFormatter {
  let arguments: [GoArgument]
  private var out: [UInt8] = []

  // The flags of the verb being formatted (fmt's fmtFlags, wid and prec).
  private var widthPresent = false
  private var precisionPresent = false
  private var minus = false
  private var plus = false
  private var sharp = false
  private var space = false
  private var zero = false
  private var plusV = false
  private var sharpV = false
  private var width = 0
  private var precision = 0

  private var reordered = false
  private var goodArgumentNumber = true

  init(arguments: [GoArgument]) { self.arguments = arguments }

  private mutating func clearFlags() {
    widthPresent = false
    precisionPresent = false
    minus = false
    plus = false
    sharp = false
    space = false
    zero = false
    plusV = false
    sharpV = false
    width = 0
    precision = 0
  }

  mutating func format(_ format: String) -> String {
    let bytes = Array(format.utf8)
    let end = bytes.count
    var argumentNumber = 0
    var afterIndex = false
    reordered = false
    var i = 0
    formatLoop: while i < end {
      goodArgumentNumber = true
      let last = i
      while i < end && bytes[i] != UInt8(ascii: "%") { i += 1 }
      if i > last { out.append(contentsOf: bytes[last..<i]) }
      if i >= end { break }
      i += 1
      clearFlags()
      simpleFormat: while i < end {
        let c = bytes[i]
        switch c {
        case UInt8(ascii: "#"): sharp = true
        case UInt8(ascii: "0"): zero = true
        case UInt8(ascii: "+"): plus = true
        case UInt8(ascii: "-"): minus = true
        case UInt8(ascii: " "): space = true
        default:
          // Fast path: flags then a lower-case ASCII verb.
          if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") && argumentNumber < arguments.count {
            if c == UInt8(ascii: "v") || c == UInt8(ascii: "w") { moveVFlags() }
            printArgument(arguments[argumentNumber], Unicode.Scalar(c))
            argumentNumber += 1
            i += 1
            continue formatLoop
          }
          break simpleFormat
        }
        i += 1
      }

      (argumentNumber, i, afterIndex) = parseArgumentIndex(argumentNumber, bytes, i)

      if i < end && bytes[i] == UInt8(ascii: "*") {
        i += 1
        (width, widthPresent, argumentNumber) = integerArgument(argumentNumber)
        if !widthPresent { out.append(contentsOf: Array("%!(BADWIDTH)".utf8)) }
        if width < 0 {
          width = -width
          minus = true
          zero = false
        }
        afterIndex = false
      } else {
        (width, widthPresent, i) = parseNumber(bytes, i, end)
        if afterIndex && widthPresent { goodArgumentNumber = false }
      }

      if i + 1 < end && bytes[i] == UInt8(ascii: ".") {
        i += 1
        if afterIndex { goodArgumentNumber = false }
        (argumentNumber, i, afterIndex) = parseArgumentIndex(argumentNumber, bytes, i)
        if i < end && bytes[i] == UInt8(ascii: "*") {
          i += 1
          (precision, precisionPresent, argumentNumber) = integerArgument(argumentNumber)
          if precision < 0 {
            precision = 0
            precisionPresent = false
          }
          if !precisionPresent { out.append(contentsOf: Array("%!(BADPREC)".utf8)) }
          afterIndex = false
        } else {
          (precision, precisionPresent, i) = parseNumber(bytes, i, end)
          if !precisionPresent {
            precision = 0
            precisionPresent = true
          }
        }
      }

      if !afterIndex { (argumentNumber, i, afterIndex) = parseArgumentIndex(argumentNumber, bytes, i) }

      if i >= end {
        out.append(contentsOf: Array("%!(NOVERB)".utf8))
        break
      }
      let (verb, size) = decodeRune(bytes, i)
      i += size

      if verb == "%" {
        out.append(UInt8(ascii: "%"))
      } else if !goodArgumentNumber {
        appendBang(verb, "(BADINDEX)")
      } else if argumentNumber >= arguments.count {
        appendBang(verb, "(MISSING)")
      } else {
        if verb == "v" || verb == "w" { moveVFlags() }
        printArgument(arguments[argumentNumber], verb)
        argumentNumber += 1
      }
    }

    if !reordered && argumentNumber < arguments.count {
      clearFlags()
      out.append(contentsOf: Array("%!(EXTRA ".utf8))
      for (index, argument) in arguments[argumentNumber...].enumerated() {
        if index > 0 { out.append(contentsOf: Array(", ".utf8)) }
        out.append(contentsOf: argument.typeName.utf8)
        out.append(UInt8(ascii: "="))
        printArgument(argument, "v")
      }
      out.append(UInt8(ascii: ")"))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `%v` and `%w` turn `#` and `+` into their Go-syntax and field-name variants.
  private mutating func moveVFlags() {
    sharpV = sharp
    sharp = false
    plusV = plus
    plus = false
  }

  private mutating func appendBang(_ verb: Unicode.Scalar, _ suffix: String) {
    out.append(contentsOf: Array("%!".utf8))
    out.append(contentsOf: String(verb).utf8)
    out.append(contentsOf: suffix.utf8)
  }

  private func decodeRune(_ bytes: [UInt8], _ index: Int) -> (Unicode.Scalar, Int) {
    let lead = bytes[index]
    if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
    let length = lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : 2)
    let end = min(index + length, bytes.count)
    let scalar = String(decoding: bytes[index..<end], as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
    return (scalar, end - index)
  }

  /// fmt's parsenum: a decimal number, at most 1e6.
  private func parseNumber(_ bytes: [UInt8], _ start: Int, _ end: Int) -> (Int, Bool, Int) {
    if start >= end { return (0, false, end) }
    var number = 0
    var isNumber = false
    var index = start
    while index < end && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9") {
      if number > 1_000_000 { return (0, false, end) }
      number = number * 10 + Int(bytes[index] - UInt8(ascii: "0"))
      isNumber = true
      index += 1
    }
    return (number, isNumber, index)
  }

  /// fmt's argNumber: an explicit `[n]` argument index.
  private mutating func parseArgumentIndex(_ argumentNumber: Int, _ bytes: [UInt8], _ i: Int) -> (Int, Int, Bool) {
    if bytes.count <= i || bytes[i] != UInt8(ascii: "[") { return (argumentNumber, i, false) }
    reordered = true
    // parseArgNumber
    var index = 0
    var consumed = 1
    var ok = false
    if bytes.count - i >= 3 {
      var close = i + 1
      while close < bytes.count && bytes[close] != UInt8(ascii: "]") { close += 1 }
      if close < bytes.count {
        let (number, isNumber, next) = parseNumber(bytes, i + 1, close)
        consumed = close - i + 1
        if isNumber && next == close {
          index = number - 1
          ok = true
        }
      }
    }
    if ok && index >= 0 && index < arguments.count { return (index, i + consumed, true) }
    goodArgumentNumber = false
    return (argumentNumber, i + consumed, ok)
  }

  /// fmt's intFromArg: a `*` width or precision must be an `int`.
  private func integerArgument(_ argumentNumber: Int) -> (Int, Bool, Int) {
    guard argumentNumber < arguments.count else { return (0, false, argumentNumber) }
    if case .int(let value) = arguments[argumentNumber], value <= 1_000_000 && value >= -1_000_000 {
      return (value, true, argumentNumber + 1)
    }
    return (0, false, argumentNumber + 1)
  }

  // MARK: printArg

  private mutating func printArgument(_ argument: GoArgument, _ verb: Unicode.Scalar) {
    if verb == "T" {
      formatString(argument.typeName)
      return
    }
    if verb == "p" {
      // Only pointers have addresses; OPA's operands never print one.
      badVerb(argument, verb)
      return
    }
    switch argument {
    case .int(let value): printInteger(UInt64(bitPattern: Int64(value)), signed: true, verb, argument)
    case .float(let value): printFloat(value, verb, argument)
    case .string(let text): printString(text, verb, argument)
    case .bigInt(let negative, let digits):
      if verb == "w" {
        // Not an error value: fmt reports a bad verb and prints the struct by reflection.
        out.append(contentsOf: Array("%!w(*big.Int=&{\(negative) [".utf8))
        out.append(contentsOf: bigIntWords(digits).utf8)
        out.append(contentsOf: Array("]})".utf8))
        return
      }
      formatBigInt(negative: negative, digits: digits, verb)
    }
  }

  /// fmt's badVerb: `%!verb(type=value)`, the value printed with `%v` and the current flags.
  private mutating func badVerb(_ argument: GoArgument, _ verb: Unicode.Scalar) {
    out.append(contentsOf: Array("%!".utf8))
    out.append(contentsOf: String(verb).utf8)
    out.append(UInt8(ascii: "("))
    out.append(contentsOf: argument.typeName.utf8)
    out.append(UInt8(ascii: "="))
    switch argument {
    case .bigInt(let negative, let digits):
      out.append(contentsOf: Array("&{\(negative) [".utf8))
      out.append(contentsOf: bigIntWords(digits).utf8)
      out.append(contentsOf: Array("]}".utf8))
    default:
      printArgument(argument, "v")
    }
    out.append(UInt8(ascii: ")"))
  }

  /// The 64-bit words of a big.Int's magnitude, least significant first, as reflection prints
  /// its `abs nat` field.
  private func bigIntWords(_ digits: String) -> String {
    var words: [String] = []
    var index = 0
    let limbs = ExactMagnitude(decimalDigits: Array(digits.utf8)).limbs
    while index < limbs.count {
      let low = UInt64(limbs[index])
      let high = index + 1 < limbs.count ? UInt64(limbs[index + 1]) : 0
      words.append(String(high << 32 | low))
      index += 2
    }
    return words.joined(separator: " ")
  }

  private mutating func printInteger(_ value: UInt64, signed: Bool, _ verb: Unicode.Scalar, _ argument: GoArgument) {
    switch verb {
    case "v", "d": formatInteger(value, base: 10, signed: signed, verb, digits: lowerHex)
    case "b": formatInteger(value, base: 2, signed: signed, verb, digits: lowerHex)
    case "o", "O": formatInteger(value, base: 8, signed: signed, verb, digits: lowerHex)
    case "x": formatInteger(value, base: 16, signed: signed, verb, digits: lowerHex)
    case "X": formatInteger(value, base: 16, signed: signed, verb, digits: upperHex)
    case "c":
      let scalar = value <= 0x10FFFF ? (Unicode.Scalar(UInt32(value)) ?? "\u{FFFD}") : "\u{FFFD}"
      pad(Array(String(scalar).utf8))
    case "q": pad(goQuoteRune(value, asciiOnly: plus))
    case "U": formatUnicode(value)
    default: badVerb(argument, verb)
    }
  }

  private mutating func printFloat(_ value: Double, _ verb: Unicode.Scalar, _ argument: GoArgument) {
    switch verb {
    case "v": formatFloat(value, UInt8(ascii: "g"), -1)
    case "b", "g", "G", "x", "X": formatFloat(value, UInt8(verb.value), -1)
    case "f", "e", "E": formatFloat(value, UInt8(verb.value), 6)
    case "F": formatFloat(value, UInt8(ascii: "f"), 6)
    default: badVerb(argument, verb)
    }
  }

  private mutating func printString(_ text: String, _ verb: Unicode.Scalar, _ argument: GoArgument) {
    switch verb {
    case "v":
      if sharpV { formatQuoted(text) } else { formatString(text) }
    case "s": formatString(text)
    case "x": formatHexString(text, digits: lowerHex)
    case "X": formatHexString(text, digits: upperHex)
    case "q": formatQuoted(text)
    default: badVerb(argument, verb)
    }
  }

  // MARK: format.go

  private mutating func writePadding(_ count: Int) {
    if count <= 0 { return }
    let byte = zero && !minus ? UInt8(ascii: "0") : UInt8(ascii: " ")
    out.append(contentsOf: [UInt8](repeating: byte, count: count))
  }

  /// Appends `bytes` padded to the width with spaces (or zeros), left or right.
  private mutating func pad(_ bytes: [UInt8]) {
    if !widthPresent || width == 0 {
      out.append(contentsOf: bytes)
      return
    }
    let runes = bytes.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
    if !minus {
      writePadding(width - runes)
      out.append(contentsOf: bytes)
    } else {
      out.append(contentsOf: bytes)
      writePadding(width - runes)
    }
  }

  private mutating func formatString(_ text: String) {
    pad(Array(truncated(text).utf8))
  }

  private func truncated(_ text: String) -> String {
    guard precisionPresent else { return text }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: text.unicodeScalars.prefix(max(precision, 0)))
    return String(view)
  }

  private mutating func formatQuoted(_ text: String) {
    let text = truncated(text)
    if sharp && goCanBackquote(text) {
      pad(Array(("`" + text + "`").utf8))
      return
    }
    pad(goQuote(text, asciiOnly: plus))
  }

  /// fmtSbx: the bytes in hexadecimal, `#` adds 0x, ` ` separates bytes.
  private mutating func formatHexString(_ text: String, digits: [UInt8]) {
    let bytes = Array(text.utf8)
    var length = bytes.count
    if precisionPresent && precision < length { length = precision }
    var encodedWidth = 2 * length
    if encodedWidth > 0 {
      if space {
        if sharp { encodedWidth *= 2 }
        encodedWidth += length - 1
      } else if sharp {
        encodedWidth += 2
      }
    } else {
      if widthPresent { writePadding(width) }
      return
    }
    if widthPresent && width > encodedWidth && !minus { writePadding(width - encodedWidth) }
    if sharp { out.append(contentsOf: [UInt8(ascii: "0"), digits[16]]) }
    for index in 0..<length {
      if space && index > 0 {
        out.append(UInt8(ascii: " "))
        if sharp { out.append(contentsOf: [UInt8(ascii: "0"), digits[16]]) }
      }
      out.append(digits[Int(bytes[index] >> 4)])
      out.append(digits[Int(bytes[index] & 0xF)])
    }
    if widthPresent && width > encodedWidth && minus { writePadding(width - encodedWidth) }
  }

  /// fmtInteger for Go's 64-bit ints.
  private mutating func formatInteger(
    _ value: UInt64, base: UInt64, signed: Bool, _ verb: Unicode.Scalar, digits: [UInt8]
  ) {
    let negative = signed && Int64(bitPattern: value) < 0
    var magnitude = negative ? 0 &- value : value
    var leadingZeros = 0
    if precisionPresent {
      leadingZeros = precision
      if precision == 0 && magnitude == 0 {
        let savedZero = zero
        zero = false
        writePadding(width)
        zero = savedZero
        return
      }
    } else if zero && !minus && widthPresent {
      leadingZeros = width
      if negative || plus || space { leadingZeros -= 1 }
    }
    var reversed: [UInt8] = []
    repeat {
      reversed.append(digits[Int(magnitude % base)])
      magnitude /= base
    } while magnitude != 0
    while reversed.count < leadingZeros { reversed.append(UInt8(ascii: "0")) }
    if sharp {
      switch base {
      case 2: reversed.append(contentsOf: [UInt8(ascii: "b"), UInt8(ascii: "0")])
      case 8: if reversed.last != UInt8(ascii: "0") { reversed.append(UInt8(ascii: "0")) }
      case 16: reversed.append(contentsOf: [digits[16], UInt8(ascii: "0")])
      default: break
      }
    }
    if verb == "O" { reversed.append(contentsOf: [UInt8(ascii: "o"), UInt8(ascii: "0")]) }
    if negative {
      reversed.append(UInt8(ascii: "-"))
    } else if plus {
      reversed.append(UInt8(ascii: "+"))
    } else if space {
      reversed.append(UInt8(ascii: " "))
    }
    let savedZero = zero
    zero = false
    pad(reversed.reversed())
    zero = savedZero
  }

  /// fmtUnicode: `U+0078`, with `#` also ` 'x'`.
  private mutating func formatUnicode(_ value: UInt64) {
    var hexDigits = Array(String(value, radix: 16, uppercase: true).utf8)
    let minimum = precisionPresent && precision > 4 ? precision : 4
    if hexDigits.count < minimum {
      hexDigits.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "0"), count: minimum - hexDigits.count), at: 0)
    }
    var text: [UInt8] = Array("U+".utf8) + hexDigits
    if sharp, value <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(value)), goIsPrint(scalar) {
      text.append(contentsOf: Array(" '".utf8))
      text.append(contentsOf: String(scalar).utf8)
      text.append(UInt8(ascii: "'"))
    }
    let savedZero = zero
    zero = false
    pad(text)
    zero = savedZero
  }

  /// fmtFloat: strconv's digits plus fmt's sign, `#` and padding rules.
  private mutating func formatFloat(_ value: Double, _ verb: UInt8, _ defaultPrecision: Int) {
    let precision = precisionPresent ? self.precision : defaultPrecision
    var number: [UInt8] = goFormatFloat(value, verb, precision)
    if number.first == UInt8(ascii: "-") || number.first == UInt8(ascii: "+") {
      // Keep the sign in front.
    } else {
      number.insert(UInt8(ascii: "+"), at: 0)
    }
    if space && number[0] == UInt8(ascii: "+") && !plus { number[0] = UInt8(ascii: " ") }
    if sharp && verb != UInt8(ascii: "b") {
      var digits = 0
      switch verb {
      case UInt8(ascii: "v"), UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "x"):
        digits = precision == -1 ? 6 : precision
      default: break
      }
      var tail: [UInt8] = []
      var hasDecimalPoint = false
      var sawNonzeroDigit = false
      var index = 1
      while index < number.count {
        let byte = number[index]
        if byte == UInt8(ascii: ".") {
          hasDecimalPoint = true
        } else if byte == UInt8(ascii: "p") || byte == UInt8(ascii: "P") {
          tail = Array(number[index...])
          number.removeSubrange(index...)
          break
        } else if (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) && verb != UInt8(ascii: "x")
          && verb != UInt8(ascii: "X")
        {
          tail = Array(number[index...])
          number.removeSubrange(index...)
          break
        } else {
          if byte != UInt8(ascii: "0") { sawNonzeroDigit = true }
          if sawNonzeroDigit { digits -= 1 }
        }
        index += 1
      }
      if !hasDecimalPoint {
        if number.count == 2 && number[1] == UInt8(ascii: "0") { digits -= 1 }
        number.append(UInt8(ascii: "."))
      }
      while digits > 0 {
        number.append(UInt8(ascii: "0"))
        digits -= 1
      }
      number.append(contentsOf: tail)
    }
    if plus || number[0] != UInt8(ascii: "+") {
      if zero && !minus && widthPresent && width > number.count {
        out.append(number[0])
        writePadding(width - number.count)
        out.append(contentsOf: number[1...])
        return
      }
      pad(number)
      return
    }
    pad(Array(number[1...]))
  }

  /// big.Int's Format method.
  private mutating func formatBigInt(negative: Bool, digits decimalDigits: String, _ verb: Unicode.Scalar) {
    let radix: Int
    switch verb {
    case "b": radix = 2
    case "o", "O": radix = 8
    case "d", "s", "v": radix = 10
    case "x", "X": radix = 16
    default:
      out.append(contentsOf: Array("%!\(verb)(big.Int=\(negative ? "-" : "")\(decimalDigits))".utf8))
      return
    }
    let flagPlus = plus || plusV
    let flagSharp = sharp || sharpV
    let sign = negative ? "-" : (flagPlus ? "+" : (space ? " " : ""))
    var prefix = ""
    if flagSharp {
      switch verb {
      case "b": prefix = "0b"
      case "o": prefix = "0"
      case "x": prefix = "0x"
      case "X": prefix = "0X"
      default: break
      }
    }
    if verb == "O" { prefix = "0o" }
    var digits =
      radix == 10 ? decimalDigits : ExactMagnitude(decimalDigits: Array(decimalDigits.utf8)).string(radix: radix)
    if verb == "X" { digits = digits.uppercased() }
    var left = 0
    var zeros = 0
    var right = 0
    if precisionPresent {
      if digits.count < precision {
        zeros = precision - digits.count
      } else if digits == "0" && precision == 0 {
        return
      }
    }
    let length = sign.count + prefix.count + zeros + digits.count
    if widthPresent && length < width {
      let difference = width - length
      if minus {
        right = difference
      } else if zero && !precisionPresent {
        zeros = difference
      } else {
        left = difference
      }
    }
    let text =
      String(repeating: " ", count: left) + sign + prefix + String(repeating: "0", count: zeros) + digits
      + String(repeating: " ", count: right)
    out.append(contentsOf: text.utf8)
  }
}
