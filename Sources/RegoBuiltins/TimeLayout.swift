// Go reference-time layouts ("2006-01-02T15:04:05Z07:00") and Go duration strings, as OPA's
// `time.parse_ns`, `time.format` and `time.parse_duration_ns` accept them through Go's `time`
// package. Behaviour and error texts follow Go's time/format.go: a layout is literal text around
// elements of the reference time `Mon Jan 2 15:04:05 MST 2006`; parsing checks ranges after
// reading each element and validates the day of the month at the end.

/// One element of a Go layout.
enum TimeLayoutElement: Equatable {
  case longMonth, month, numMonth, zeroMonth
  case longWeekDay, weekDay
  case day, underDay, zeroDay, underYearDay, zeroYearDay
  case hour, hour12, zeroHour12
  case minute, zeroMinute, second, zeroSecond
  case longYear, year
  case upperPM, lowerPM
  case zoneName
  case iso8601TZ, iso8601SecondsTZ, iso8601ShortTZ, iso8601ColonTZ, iso8601ColonSecondsTZ
  case numTZ, numSecondsTZ, numShortTZ, numColonTZ, numColonSecondsTZ
  /// `.000` (fixed digits) or `.999` (trailing zeros trimmed); `,` may replace `.`.
  case fraction(digits: Int, trim: Bool, separator: UInt8)

  var isFraction: Bool {
    if case .fraction = self { return true }
    return false
  }
}

enum TimeLayout {
  /// Layout names OPA maps to Go's constants.
  static let named: [String: String] = [
    "ANSIC": "Mon Jan _2 15:04:05 2006",
    "UnixDate": "Mon Jan _2 15:04:05 MST 2006",
    "RubyDate": "Mon Jan 02 15:04:05 -0700 2006",
    "RFC822": "02 Jan 06 15:04 MST",
    "RFC822Z": "02 Jan 06 15:04 -0700",
    "RFC850": "Monday, 02-Jan-06 15:04:05 MST",
    "RFC1123": "Mon, 02 Jan 2006 15:04:05 MST",
    "RFC1123Z": "Mon, 02 Jan 2006 15:04:05 -0700",
    "RFC3339": "2006-01-02T15:04:05Z07:00",
    "RFC3339Nano": "2006-01-02T15:04:05.999999999Z07:00",
  ]
  static let rfc3339 = "2006-01-02T15:04:05Z07:00"
  static let rfc3339Nano = "2006-01-02T15:04:05.999999999Z07:00"

  // MARK: Layout scanning

  private static func byte(_ text: [UInt8], _ index: Int) -> UInt8? {
    index < text.count ? text[index] : nil
  }

  private static func has(_ text: [UInt8], _ index: Int, _ literal: String) -> Bool {
    let bytes = Array(literal.utf8)
    guard index + bytes.count <= text.count else { return false }
    return Array(text[index..<(index + bytes.count)]) == bytes
  }

  private static func isDigit(_ text: [UInt8], _ index: Int) -> Bool {
    guard let value = byte(text, index) else { return false }
    return value >= UInt8(ascii: "0") && value <= UInt8(ascii: "9")
  }

  /// Splits a layout at its first element: literal prefix, the element (nil when none is left),
  /// and the rest (Go's `nextStdChunk`).
  static func nextChunk(_ layout: [UInt8]) -> (prefix: [UInt8], element: TimeLayoutElement?, suffix: [UInt8]) {
    func split(_ index: Int, _ element: TimeLayoutElement, _ length: Int) -> ([UInt8], TimeLayoutElement?, [UInt8]) {
      (Array(layout[0..<index]), element, Array(layout[(index + length)...]))
    }
    var index = 0
    while index < layout.count {
      switch layout[index] {
      case UInt8(ascii: "J"):
        if has(layout, index, "Jan") {
          if has(layout, index, "January") { return split(index, .longMonth, 7) }
          if !startsWithLowerCase(layout, index + 3) { return split(index, .month, 3) }
        }
      case UInt8(ascii: "M"):
        if has(layout, index, "Mon") {
          if has(layout, index, "Monday") { return split(index, .longWeekDay, 6) }
          if !startsWithLowerCase(layout, index + 3) { return split(index, .weekDay, 3) }
        }
        if has(layout, index, "MST") { return split(index, .zoneName, 3) }
      case UInt8(ascii: "0"):
        if let next = byte(layout, index + 1), next >= UInt8(ascii: "1"), next <= UInt8(ascii: "6") {
          let elements: [TimeLayoutElement] = [.zeroMonth, .zeroDay, .zeroHour12, .zeroMinute, .zeroSecond, .year]
          return split(index, elements[Int(next - UInt8(ascii: "1"))], 2)
        }
        if has(layout, index, "002") { return split(index, .zeroYearDay, 3) }
      case UInt8(ascii: "1"):
        if byte(layout, index + 1) == UInt8(ascii: "5") { return split(index, .hour, 2) }
        return split(index, .numMonth, 1)
      case UInt8(ascii: "2"):
        if has(layout, index, "2006") { return split(index, .longYear, 4) }
        return split(index, .day, 1)
      case UInt8(ascii: "_"):
        if byte(layout, index + 1) == UInt8(ascii: "2") {
          // "_2006" is a literal underscore followed by the long year.
          if has(layout, index + 1, "2006") { return split(index + 1, .longYear, 4) }
          return split(index, .underDay, 2)
        }
        if has(layout, index, "__2") { return split(index, .underYearDay, 3) }
      case UInt8(ascii: "3"):
        return split(index, .hour12, 1)
      case UInt8(ascii: "4"):
        return split(index, .minute, 1)
      case UInt8(ascii: "5"):
        return split(index, .second, 1)
      case UInt8(ascii: "P"):
        if byte(layout, index + 1) == UInt8(ascii: "M") { return split(index, .upperPM, 2) }
      case UInt8(ascii: "p"):
        if byte(layout, index + 1) == UInt8(ascii: "m") { return split(index, .lowerPM, 2) }
      case UInt8(ascii: "-"):
        if has(layout, index, "-070000") { return split(index, .numSecondsTZ, 7) }
        if has(layout, index, "-07:00:00") { return split(index, .numColonSecondsTZ, 9) }
        if has(layout, index, "-0700") { return split(index, .numTZ, 5) }
        if has(layout, index, "-07:00") { return split(index, .numColonTZ, 6) }
        if has(layout, index, "-07") { return split(index, .numShortTZ, 3) }
      case UInt8(ascii: "Z"):
        if has(layout, index, "Z070000") { return split(index, .iso8601SecondsTZ, 7) }
        if has(layout, index, "Z07:00:00") { return split(index, .iso8601ColonSecondsTZ, 9) }
        if has(layout, index, "Z0700") { return split(index, .iso8601TZ, 5) }
        if has(layout, index, "Z07:00") { return split(index, .iso8601ColonTZ, 6) }
        if has(layout, index, "Z07") { return split(index, .iso8601ShortTZ, 3) }
      case UInt8(ascii: "."), UInt8(ascii: ","):
        if let digit = byte(layout, index + 1), digit == UInt8(ascii: "0") || digit == UInt8(ascii: "9") {
          var end = index + 1
          while end < layout.count, layout[end] == digit { end += 1 }
          // Only a fraction when the run of identical digits ends here.
          if !isDigit(layout, end) {
            let element = TimeLayoutElement.fraction(
              digits: end - (index + 1), trim: digit == UInt8(ascii: "9"), separator: layout[index])
            return split(index, element, end - index)
          }
        }
      default:
        break
      }
      index += 1
    }
    return (layout, nil, [])
  }

  private static func startsWithLowerCase(_ text: [UInt8], _ index: Int) -> Bool {
    guard let value = byte(text, index) else { return false }
    return value >= UInt8(ascii: "a") && value <= UInt8(ascii: "z")
  }

  // MARK: Formatting

  /// Go's `appendInt`: decimal with zero padding to `width` after any minus sign.
  private static func appendInt(_ out: inout [UInt8], _ value: Int64, width: Int) {
    var magnitude = value.magnitude
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var digits: [UInt8] = []
    repeat {
      digits.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    if digits.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
    out.append(contentsOf: digits.reversed())
  }

  /// Formats an instant in a zone with a Go layout (Go's `Time.Format`).
  static func format(_ instant: TimeInstant, in location: TimeLocation, layout: String) -> String {
    let fields = TimeCalendar.fields(of: instant, in: location)
    var out: [UInt8] = []
    var rest = Array(layout.utf8)
    while true {
      let (prefix, element, suffix) = nextChunk(rest)
      out.append(contentsOf: prefix)
      guard let element else { break }
      rest = suffix
      switch element {
      case .year:
        appendInt(&out, Int64((fields.year % 100).magnitude), width: 2)
      case .longYear:
        appendInt(&out, fields.year, width: 4)
      case .month:
        out.append(contentsOf: TimeCalendar.monthNames[fields.month - 1].utf8.prefix(3))
      case .longMonth:
        out.append(contentsOf: TimeCalendar.monthNames[fields.month - 1].utf8)
      case .numMonth:
        appendInt(&out, Int64(fields.month), width: 0)
      case .zeroMonth:
        appendInt(&out, Int64(fields.month), width: 2)
      case .weekDay:
        out.append(contentsOf: TimeCalendar.weekdayNames[fields.weekday].utf8.prefix(3))
      case .longWeekDay:
        out.append(contentsOf: TimeCalendar.weekdayNames[fields.weekday].utf8)
      case .day:
        appendInt(&out, Int64(fields.day), width: 0)
      case .underDay:
        if fields.day < 10 { out.append(UInt8(ascii: " ")) }
        appendInt(&out, Int64(fields.day), width: 0)
      case .zeroDay:
        appendInt(&out, Int64(fields.day), width: 2)
      case .underYearDay:
        if fields.yearDay < 100 {
          out.append(UInt8(ascii: " "))
          if fields.yearDay < 10 { out.append(UInt8(ascii: " ")) }
        }
        appendInt(&out, Int64(fields.yearDay), width: 0)
      case .zeroYearDay:
        appendInt(&out, Int64(fields.yearDay), width: 3)
      case .hour:
        appendInt(&out, Int64(fields.hour), width: 2)
      case .hour12, .zeroHour12:
        let hour = fields.hour % 12 == 0 ? 12 : fields.hour % 12
        appendInt(&out, Int64(hour), width: element == .hour12 ? 0 : 2)
      case .minute:
        appendInt(&out, Int64(fields.minute), width: 0)
      case .zeroMinute:
        appendInt(&out, Int64(fields.minute), width: 2)
      case .second:
        appendInt(&out, Int64(fields.second), width: 0)
      case .zeroSecond:
        appendInt(&out, Int64(fields.second), width: 2)
      case .upperPM:
        out.append(contentsOf: (fields.hour >= 12 ? "PM" : "AM").utf8)
      case .lowerPM:
        out.append(contentsOf: (fields.hour >= 12 ? "pm" : "am").utf8)
      case .iso8601TZ, .iso8601SecondsTZ, .iso8601ShortTZ, .iso8601ColonTZ, .iso8601ColonSecondsTZ,
        .numTZ, .numSecondsTZ, .numShortTZ, .numColonTZ, .numColonSecondsTZ:
        appendOffset(&out, fields.zoneOffset, element)
      case .zoneName:
        if !fields.zoneName.isEmpty {
          out.append(contentsOf: fields.zoneName.utf8)
        } else {
          // No abbreviation known: Go prints the -0700 form.
          var minutes = fields.zoneOffset / 60
          if minutes < 0 {
            out.append(UInt8(ascii: "-"))
            minutes = -minutes
          } else {
            out.append(UInt8(ascii: "+"))
          }
          appendInt(&out, Int64(minutes / 60), width: 2)
          appendInt(&out, Int64(minutes % 60), width: 2)
        }
      case .fraction(let digits, let trim, let separator):
        appendFraction(&out, fields.nanosecond, digits: digits, trim: trim, separator: separator)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func appendOffset(_ out: inout [UInt8], _ offset: Int, _ element: TimeLayoutElement) {
    let iso: [TimeLayoutElement] = [
      .iso8601TZ, .iso8601SecondsTZ, .iso8601ShortTZ, .iso8601ColonTZ, .iso8601ColonSecondsTZ,
    ]
    if offset == 0 && iso.contains(element) {
      out.append(UInt8(ascii: "Z"))
      return
    }
    var minutes = offset / 60
    var absolute = offset
    if minutes < 0 {
      out.append(UInt8(ascii: "-"))
      minutes = -minutes
      absolute = -absolute
    } else {
      out.append(UInt8(ascii: "+"))
    }
    appendInt(&out, Int64(minutes / 60), width: 2)
    let colon: [TimeLayoutElement] = [.iso8601ColonTZ, .numColonTZ, .iso8601ColonSecondsTZ, .numColonSecondsTZ]
    if colon.contains(element) { out.append(UInt8(ascii: ":")) }
    if element != .numShortTZ && element != .iso8601ShortTZ {
      appendInt(&out, Int64(minutes % 60), width: 2)
    }
    let withSeconds: [TimeLayoutElement] = [
      .iso8601SecondsTZ, .numSecondsTZ, .numColonSecondsTZ, .iso8601ColonSecondsTZ,
    ]
    if withSeconds.contains(element) {
      if element == .numColonSecondsTZ || element == .iso8601ColonSecondsTZ { out.append(UInt8(ascii: ":")) }
      appendInt(&out, Int64(absolute % 60), width: 2)
    }
  }

  private static func appendFraction(
    _ out: inout [UInt8], _ nanoseconds: Int, digits: Int, trim: Bool, separator: UInt8
  ) {
    if trim && (digits == 0 || nanoseconds == 0) { return }
    var text: [UInt8] = [separator]
    appendInt(&text, Int64(nanoseconds), width: 9)
    if digits < 9 { text.removeLast(9 - digits) }
    if trim {
      while let last = text.last, last == UInt8(ascii: "0") { text.removeLast() }
      if text.last == separator { text.removeLast() }
    }
    out.append(contentsOf: text)
  }

  // MARK: Parsing

  /// Go's `time.Parse(layout, value)` with `time.Local` as the zone for zone abbreviations.
  ///
  /// - Throws: the message of Go's `*time.ParseError`.
  static func parse(layout: String, value: String) throws(TimeParseFailure) -> TimeInstant {
    var parser = TimeParser(layout: layout, value: value)
    return try parser.run()
  }

  /// Go's `time.quote`: double quotes, backslash-escaped quotes and backslashes, and `\xNN` for
  /// every byte of a non-ASCII or control character.
  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      if scalar.value >= 0x80 || scalar.value < 0x20 {
        for byte in String(scalar).utf8 {
          let digits = Array("0123456789abcdef")
          out += "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0f)])
        }
      } else {
        if scalar == "\"" || scalar == "\\" { out += "\\" }
        out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}

/// A `time.Parse` or `time.ParseDuration` failure, with Go's message.
struct TimeParseFailure: Error {
  var message: String
}

/// The state of one `time.Parse` call (Go's `parse`).
private struct TimeParser {
  let originalLayout: String
  let originalValue: String
  var layout: [UInt8]
  var value: [UInt8]

  init(layout: String, value: String) {
    originalLayout = layout
    originalValue = value
    self.layout = Array(layout.utf8)
    self.value = Array(value.utf8)
  }

  private struct Bad: Error {}

  private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  private func failure(layoutElement: [UInt8], valueElement: [UInt8], message: String) -> TimeParseFailure {
    if message.isEmpty {
      return TimeParseFailure(
        message: "parsing time \(TimeLayout.quote(originalValue)) as \(TimeLayout.quote(originalLayout)): cannot parse "
          + "\(TimeLayout.quote(text(valueElement))) as \(TimeLayout.quote(text(layoutElement)))")
    }
    return TimeParseFailure(message: "parsing time \(TimeLayout.quote(originalValue))" + message)
  }

  private static func isDigit(_ text: [UInt8], _ index: Int) -> Bool {
    index < text.count && text[index] >= UInt8(ascii: "0") && text[index] <= UInt8(ascii: "9")
  }

  /// Go's `skip`: matches literal layout text; a space matches any run of spaces.
  private static func skip(_ value: [UInt8], _ prefix: [UInt8]) -> [UInt8]? {
    var value = value[...]
    var prefix = prefix[...]
    while let first = prefix.first {
      if first == UInt8(ascii: " ") {
        if let head = value.first, head != UInt8(ascii: " ") { return nil }
        while prefix.first == UInt8(ascii: " ") { prefix = prefix.dropFirst() }
        while value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        continue
      }
      guard let head = value.first, head == first else { return nil }
      prefix = prefix.dropFirst()
      value = value.dropFirst()
    }
    return Array(value)
  }

  /// Go's `getnum`: one or two digits (exactly two when `fixed`).
  private static func number(_ text: inout [UInt8], fixed: Bool) throws(Bad) -> Int {
    guard isDigit(text, 0) else { throw Bad() }
    if !isDigit(text, 1) {
      if fixed { throw Bad() }
      let result = Int(text[0] - UInt8(ascii: "0"))
      text.removeFirst()
      return result
    }
    let result = Int(text[0] - UInt8(ascii: "0")) * 10 + Int(text[1] - UInt8(ascii: "0"))
    text.removeFirst(2)
    return result
  }

  /// Go's `getnum3`: one to three digits (exactly three when `fixed`).
  private static func number3(_ text: inout [UInt8], fixed: Bool) throws(Bad) -> Int {
    var result = 0
    var count = 0
    while count < 3, isDigit(text, count) {
      result = result * 10 + Int(text[count] - UInt8(ascii: "0"))
      count += 1
    }
    if count == 0 || (fixed && count != 3) { throw Bad() }
    text.removeFirst(count)
    return result
  }

  /// Go's `atoi`: optional sign, then digits only.
  static func atoi(_ text: [UInt8]) -> Int? {
    var digits = text[...]
    var negative = false
    if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      digits = digits.dropFirst()
    }
    var result: Int64 = 0
    for digit in digits {
      guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
      guard result <= Int64.max / 10 else { return nil }
      result = result * 10 + Int64(digit - UInt8(ascii: "0"))
      if result < 0 { return nil }
    }
    return Int(negative ? -result : result)
  }

  /// Go's `lookup`: a case-insensitive prefix match against a name table.
  private static func lookup(_ table: [String], _ text: inout [UInt8]) throws(Bad) -> Int {
    for (index, name) in table.enumerated() {
      let bytes = Array(name.utf8)
      guard text.count >= bytes.count else { continue }
      var matches = true
      for offset in 0..<bytes.count where lowercase(text[offset]) != lowercase(bytes[offset]) {
        matches = false
        break
      }
      if matches {
        text.removeFirst(bytes.count)
        return index
      }
    }
    throw Bad()
  }

  private static func lowercase(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
  }

  /// Go's `parseNanoseconds`: `text` starts with the separator; `count` includes it.
  private static func nanoseconds(_ text: [UInt8], count: Int) throws(Bad) -> (Int, String) {
    guard let first = text.first, first == UInt8(ascii: ".") || first == UInt8(ascii: ",") else { throw Bad() }
    let count = min(count, 10)
    guard var value = atoi(Array(text[1..<count])) else { throw Bad() }
    if value < 0 { return (0, "fractional second") }
    for _ in 0..<(10 - count) { value *= 10 }
    return (value, "")
  }

  /// Go's `parseTimeZone`: the length of a zone abbreviation at the start of `text`.
  private static func zoneNameLength(_ text: [UInt8]) -> Int? {
    guard text.count >= 3 else { return nil }
    if text.count >= 4, text[0..<4].elementsEqual("ChST".utf8) || text[0..<4].elementsEqual("MeST".utf8) {
      return 4
    }
    if text[0..<3].elementsEqual("GMT".utf8) {
      return 3 + signedOffsetLength(Array(text[3...]))
    }
    if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") {
      let length = signedOffsetLength(text)
      return length > 0 ? length : nil
    }
    var upper = 0
    while upper < 6, upper < text.count, text[upper] >= UInt8(ascii: "A"), text[upper] <= UInt8(ascii: "Z") {
      upper += 1
    }
    switch upper {
    case 3: return 3
    case 4: return text[3] == UInt8(ascii: "T") || text[0..<4].elementsEqual("WITA".utf8) ? 4 : nil
    case 5: return text[4] == UInt8(ascii: "T") ? 5 : nil
    default: return nil
    }
  }

  /// Go's `parseSignedOffset`: `+h`/`-hh` with hours up to 12, or 0.
  private static func signedOffsetLength(_ text: [UInt8]) -> Int {
    guard let sign = text.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return 0 }
    var index = 1
    var value = 0
    while index < text.count, isDigit(text, index) {
      value = value * 10 + Int(text[index] - UInt8(ascii: "0"))
      if value > 1 << 40 { return 0 }
      index += 1
    }
    if index == 1 || value > 12 { return 0 }
    return index
  }

  mutating func run() throws(TimeParseFailure) -> TimeInstant {
    var rangeError = ""
    var amSet = false
    var pmSet = false
    var year = 0
    var month = -1
    var day = -1
    var yearDay = -1
    var hour = 0
    var minute = 0
    var second = 0
    var nanosecond = 0
    var utcZone = false
    var zoneOffset = -1
    var zoneName = ""

    while true {
      let (prefix, found, suffix) = TimeLayout.nextChunk(layout)
      let elementText = Array(layout[prefix.count..<(layout.count - suffix.count)])
      guard let skipped = TimeParser.skip(value, prefix) else {
        throw failure(layoutElement: prefix, valueElement: value, message: "")
      }
      value = skipped
      guard let element = found else {
        if !value.isEmpty {
          throw failure(
            layoutElement: [], valueElement: value, message: ": extra text: " + TimeLayout.quote(text(value)))
        }
        break
      }
      layout = suffix
      let hold = value
      do throws(Bad) {
        switch element {
        case .year:
          guard value.count >= 2, let parsed = TimeParser.atoi(Array(value[0..<2])) else { throw Bad() }
          value.removeFirst(2)
          year = parsed >= 69 ? parsed + 1900 : parsed + 2000
        case .longYear:
          guard value.count >= 4, TimeParser.isDigit(value, 0), let parsed = TimeParser.atoi(Array(value[0..<4]))
          else { throw Bad() }
          value.removeFirst(4)
          year = parsed
        case .month:
          month = try TimeParser.lookup(TimeCalendar.monthNames.map { String($0.prefix(3)) }, &value) + 1
        case .longMonth:
          month = try TimeParser.lookup(TimeCalendar.monthNames, &value) + 1
        case .numMonth, .zeroMonth:
          month = try TimeParser.number(&value, fixed: element == .zeroMonth)
          if month <= 0 || month > 12 { rangeError = "month" }
        case .weekDay:
          _ = try TimeParser.lookup(TimeCalendar.weekdayNames.map { String($0.prefix(3)) }, &value)
        case .longWeekDay:
          _ = try TimeParser.lookup(TimeCalendar.weekdayNames, &value)
        case .day, .underDay, .zeroDay:
          if element == .underDay, value.first == UInt8(ascii: " ") { value.removeFirst() }
          day = try TimeParser.number(&value, fixed: element == .zeroDay)
        case .underYearDay, .zeroYearDay:
          for _ in 0..<2 where element == .underYearDay && value.first == UInt8(ascii: " ") {
            value.removeFirst()
          }
          yearDay = try TimeParser.number3(&value, fixed: element == .zeroYearDay)
        case .hour:
          hour = try TimeParser.number(&value, fixed: false)
          if hour < 0 || hour >= 24 { rangeError = "hour" }
        case .hour12, .zeroHour12:
          hour = try TimeParser.number(&value, fixed: element == .zeroHour12)
          if hour < 0 || hour > 12 { rangeError = "hour" }
        case .minute, .zeroMinute:
          minute = try TimeParser.number(&value, fixed: element == .zeroMinute)
          if minute < 0 || minute >= 60 { rangeError = "minute" }
        case .second, .zeroSecond:
          second = try TimeParser.number(&value, fixed: element == .zeroSecond)
          if second < 0 || second >= 60 {
            rangeError = "second"
            break
          }
          // A fraction in the value but not in the layout is still accepted.
          if value.count >= 2, value[0] == UInt8(ascii: ".") || value[0] == UInt8(ascii: ","),
            TimeParser.isDigit(value, 1)
          {
            if let next = TimeLayout.nextChunk(layout).element, next.isFraction { break }
            var count = 2
            while count < value.count, TimeParser.isDigit(value, count) { count += 1 }
            (nanosecond, rangeError) = try TimeParser.nanoseconds(value, count: count)
            value.removeFirst(count)
          }
        case .upperPM, .lowerPM:
          guard value.count >= 2 else { throw Bad() }
          let marker = text(Array(value[0..<2]))
          value.removeFirst(2)
          let (pm, am) = element == .upperPM ? ("PM", "AM") : ("pm", "am")
          if marker == pm {
            pmSet = true
          } else if marker == am {
            amSet = true
          } else {
            throw Bad()
          }
        case .iso8601TZ, .iso8601ShortTZ, .iso8601ColonTZ, .iso8601SecondsTZ, .iso8601ColonSecondsTZ,
          .numTZ, .numShortTZ, .numColonTZ, .numSecondsTZ, .numColonSecondsTZ:
          let iso: [TimeLayoutElement] = [
            .iso8601TZ, .iso8601ShortTZ, .iso8601ColonTZ, .iso8601SecondsTZ, .iso8601ColonSecondsTZ,
          ]
          if iso.contains(element), value.first == UInt8(ascii: "Z") {
            value.removeFirst()
            utcZone = true
            break
          }
          var parts: (sign: UInt8, hour: [UInt8], minute: [UInt8], second: [UInt8])
          let zero = Array("00".utf8)
          switch element {
          case .iso8601ColonTZ, .numColonTZ:
            guard value.count >= 6, value[3] == UInt8(ascii: ":") else { throw Bad() }
            parts = (value[0], Array(value[1..<3]), Array(value[4..<6]), zero)
            value.removeFirst(6)
          case .numShortTZ, .iso8601ShortTZ:
            guard value.count >= 3 else { throw Bad() }
            parts = (value[0], Array(value[1..<3]), zero, zero)
            value.removeFirst(3)
          case .iso8601ColonSecondsTZ, .numColonSecondsTZ:
            guard value.count >= 9, value[3] == UInt8(ascii: ":"), value[6] == UInt8(ascii: ":") else { throw Bad() }
            parts = (value[0], Array(value[1..<3]), Array(value[4..<6]), Array(value[7..<9]))
            value.removeFirst(9)
          case .iso8601SecondsTZ, .numSecondsTZ:
            guard value.count >= 7 else { throw Bad() }
            parts = (value[0], Array(value[1..<3]), Array(value[3..<5]), Array(value[5..<7]))
            value.removeFirst(7)
          default:
            guard value.count >= 5 else { throw Bad() }
            parts = (value[0], Array(value[1..<3]), Array(value[3..<5]), zero)
            value.removeFirst(5)
          }
          var scratch = parts.hour
          let hours = try TimeParser.number(&scratch, fixed: true)
          scratch = parts.minute
          let minutes = try TimeParser.number(&scratch, fixed: true)
          scratch = parts.second
          let seconds = try TimeParser.number(&scratch, fixed: true)
          // Go uses > here: offsets of 24 hours or 60 minutes are accepted.
          if hours > 24 { rangeError = "time zone offset hour" }
          if minutes > 60 { rangeError = "time zone offset minute" }
          if seconds > 60 { rangeError = "time zone offset second" }
          zoneOffset = (hours * 60 + minutes) * 60 + seconds
          switch parts.sign {
          case UInt8(ascii: "+"): break
          case UInt8(ascii: "-"): zoneOffset = -zoneOffset
          default: throw Bad()
          }
        case .zoneName:
          if value.count >= 3, value[0..<3].elementsEqual("UTC".utf8) {
            utcZone = true
            value.removeFirst(3)
            break
          }
          guard let length = TimeParser.zoneNameLength(value) else { throw Bad() }
          zoneName = text(Array(value[0..<length]))
          value.removeFirst(length)
        case .fraction(let digits, let trim, _):
          if !trim {
            let count = 1 + digits
            guard value.count >= count else { throw Bad() }
            (nanosecond, rangeError) = try TimeParser.nanoseconds(value, count: count)
            value.removeFirst(count)
          } else {
            guard value.count >= 2, value[0] == UInt8(ascii: ".") || value[0] == UInt8(ascii: ","),
              TimeParser.isDigit(value, 1)
            else { break }  // fraction omitted
            var count = 1
            while TimeParser.isDigit(value, count) { count += 1 }
            (nanosecond, rangeError) = try TimeParser.nanoseconds(value, count: count)
            value.removeFirst(count)
          }
        }
      } catch {
        if !rangeError.isEmpty {
          throw failure(layoutElement: elementText, valueElement: value, message: ": \(rangeError) out of range")
        }
        throw failure(layoutElement: elementText, valueElement: hold, message: "")
      }
      if !rangeError.isEmpty {
        throw failure(layoutElement: elementText, valueElement: value, message: ": \(rangeError) out of range")
      }
    }

    if pmSet && hour < 12 {
      hour += 12
    } else if amSet && hour == 12 {
      hour = 0
    }

    if yearDay >= 0 {
      var resolvedMonth = 0
      var resolvedDay = 0
      var ordinal = yearDay
      if TimeCalendar.isLeap(Int64(year)) {
        if ordinal == 31 + 29 {
          resolvedMonth = 2
          resolvedDay = 29
        } else if ordinal > 31 + 29 {
          ordinal -= 1
        }
      }
      if ordinal < 1 || ordinal > 365 {
        throw failure(layoutElement: [], valueElement: value, message: ": day-of-year out of range")
      }
      if resolvedMonth == 0 {
        let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]
        resolvedMonth = (ordinal - 1) / 31 + 1
        if before[resolvedMonth] < ordinal { resolvedMonth += 1 }
        resolvedDay = ordinal - before[resolvedMonth - 1]
      }
      if month >= 0 && month != resolvedMonth {
        throw failure(layoutElement: [], valueElement: value, message: ": day-of-year does not match month")
      }
      month = resolvedMonth
      if day >= 0 && day != resolvedDay {
        throw failure(layoutElement: [], valueElement: value, message: ": day-of-year does not match day")
      }
      day = resolvedDay
    } else {
      if month < 0 { month = 1 }
      if day < 0 { day = 1 }
    }

    if day < 1 || day > TimeCalendar.daysIn(month: month, year: Int64(year)) {
      throw failure(layoutElement: [], valueElement: value, message: ": day out of range")
    }

    let utc = TimeCalendar.date(
      year: Int64(year), month: Int64(month), day: Int64(day), hour: Int64(hour), minute: Int64(minute),
      second: Int64(second), nanosecond: Int64(nanosecond), in: .utc)
    if utcZone { return utc }
    if zoneOffset != -1 {
      return TimeInstant(seconds: utc.seconds &- Int64(zoneOffset), nanoseconds: utc.nanoseconds)
    }
    if !zoneName.isEmpty {
      if let offset = TimeLocation.local.lookupName(zoneName, unix: utc.seconds) {
        return TimeInstant(seconds: utc.seconds &- Int64(offset), nanoseconds: utc.nanoseconds)
      }
      // An unknown abbreviation records offset 0, except GMT+h which Go honours. The offset is
      // not applied to the instant: Go keeps the wall clock and only labels the zone.
      return utc
    }
    return utc
  }
}

// MARK: - Durations

enum TimeDuration {
  /// Go's `time.ParseDuration`: "300ms", "-1.5h", "2h45m", units ns, us/µs/μs, ms, s, m, h.
  ///
  /// - Returns: nanoseconds.
  /// - Throws: Go's messages, e.g. `time: invalid duration "x"`, `time: unknown unit "d" in duration "1d"`.
  static func parse(_ text: String) throws(TimeParseFailure) -> Int64 {
    let quoted = TimeLayout.quote(text)
    let invalid = TimeParseFailure(message: "time: invalid duration " + quoted)
    var rest = Array(text.utf8)[...]
    var total: UInt64 = 0
    var negative = false
    if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      rest = rest.dropFirst()
    }
    if rest.elementsEqual("0".utf8) { return 0 }
    if rest.isEmpty { throw invalid }
    let limit: UInt64 = 1 << 63
    while let first = rest.first {
      guard first == UInt8(ascii: ".") || isDigit(first) else { throw invalid }
      // Integer part.
      var whole: UInt64 = 0
      let before = rest.count
      while let digit = rest.first, isDigit(digit) {
        if whole > limit / 10 { throw invalid }
        whole = whole * 10 + UInt64(digit - UInt8(ascii: "0"))
        if whole > limit { throw invalid }
        rest = rest.dropFirst()
      }
      let hasWhole = rest.count != before
      // Fraction.
      var fraction: UInt64 = 0
      var scale: Double = 1
      var hasFraction = false
      if rest.first == UInt8(ascii: ".") {
        rest = rest.dropFirst()
        let start = rest.count
        var overflow = false
        while let digit = rest.first, isDigit(digit) {
          rest = rest.dropFirst()
          if overflow { continue }
          if fraction > (limit - 1) / 10 {
            overflow = true
            continue
          }
          let next = fraction * 10 + UInt64(digit - UInt8(ascii: "0"))
          if next > limit {
            overflow = true
            continue
          }
          fraction = next
          scale *= 10
        }
        hasFraction = rest.count != start
      }
      if !hasWhole && !hasFraction { throw invalid }
      // Unit: everything up to the next digit or period.
      var unitBytes: [UInt8] = []
      while let byte = rest.first, byte != UInt8(ascii: "."), !isDigit(byte) {
        unitBytes.append(byte)
        rest = rest.dropFirst()
      }
      if unitBytes.isEmpty { throw TimeParseFailure(message: "time: missing unit in duration " + quoted) }
      let unitName = String(decoding: unitBytes, as: UTF8.self)
      guard let unit = units[unitName] else {
        throw TimeParseFailure(
          message: "time: unknown unit " + TimeLayout.quote(unitName) + " in duration " + quoted)
      }
      if whole > limit / unit { throw invalid }
      whole *= unit
      if fraction > 0 {
        whole += UInt64(Double(fraction) * (Double(unit) / scale))
        if whole > limit { throw invalid }
      }
      let (sum, overflow) = total.addingReportingOverflow(whole)
      if overflow || sum > limit { throw invalid }
      total = sum
    }
    if negative { return Int64(bitPattern: 0 &- total) }
    if total > limit - 1 { throw invalid }
    return Int64(total)
  }

  private static let units: [String: UInt64] = [
    "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000,
    "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
  ]

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
