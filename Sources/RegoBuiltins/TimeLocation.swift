internal import PolicyCore

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A time zone loaded from the system tz database (TZif files), with Go's lookup rules.
///
/// Go's `time.LoadLocation` reads `/usr/share/zoneinfo/NAME`, uses the 64-bit (version 2+) data,
/// and extends the transition table past its end with the POSIX TZ string in the file's footer.
/// `lookup` reproduces Go's `Location.lookup`, including the choice of zone before the first
/// transition, so offsets and abbreviations match OPA's for any instant.
final class TimeLocation: Sendable {
  struct Zone: Sendable {
    var name: String
    var offset: Int  // seconds east of UTC
    var isDST: Bool
  }

  struct Transition: Sendable {
    var when: Int64
    var index: Int
  }

  let name: String
  let zones: [Zone]
  let transitions: [Transition]
  /// The POSIX TZ rule for instants after the last transition (may be empty).
  let extend: String

  init(name: String, zones: [Zone], transitions: [Transition], extend: String) {
    self.name = name
    self.zones = zones
    self.transitions = transitions
    self.extend = extend
  }

  /// Go's `time.UTC`: no zones, lookups answer "UTC" with offset 0.
  static let utc = TimeLocation(name: "UTC", zones: [], transitions: [], extend: "")

  static let alpha = Int64.min
  static let omega = Int64.max

  /// The zone in effect at Unix second `seconds`: abbreviation, offset, and the period
  /// `[start, end)` during which it stays in effect.
  func lookup(_ seconds: Int64) -> (name: String, offset: Int, start: Int64, end: Int64, isDST: Bool) {
    if zones.isEmpty {
      return ("UTC", 0, TimeLocation.alpha, TimeLocation.omega, false)
    }
    if transitions.isEmpty || seconds < transitions[0].when {
      let zone = zones[firstZoneIndex()]
      let end = transitions.isEmpty ? TimeLocation.omega : transitions[0].when
      return (zone.name, zone.offset, TimeLocation.alpha, end, zone.isDST)
    }
    // Binary search for the last transition at or before `seconds`.
    var end = TimeLocation.omega
    var low = 0
    var high = transitions.count
    while high - low > 1 {
      let middle = (low + high) / 2
      let limit = transitions[middle].when
      if seconds < limit {
        end = limit
        high = middle
      } else {
        low = middle
      }
    }
    let zone = zones[transitions[low].index]
    let start = transitions[low].when
    if low == transitions.count - 1, !extend.isEmpty,
      let rule = TimeZoneRule.evaluate(Array(extend.utf8), lastTransition: start, seconds: seconds)
    {
      return rule
    }
    return (zone.name, zone.offset, start, end, zone.isDST)
  }

  /// The zone used before the first transition (Go's `lookupFirstZone`).
  private func firstZoneIndex() -> Int {
    // Zone 0 unless a transition uses it; then the first standard zone before the first
    // transition's zone, or the first standard zone at all.
    if !transitions.contains(where: { $0.index == 0 }) { return 0 }
    if let first = transitions.first, zones[first.index].isDST {
      var index = first.index - 1
      while index >= 0 {
        if !zones[index].isDST { return index }
        index -= 1
      }
    }
    if let standard = zones.firstIndex(where: { !$0.isDST }) { return standard }
    return 0
  }

  /// The offset of the zone named `abbreviation`, preferring one in effect at `unix` (Go's
  /// `lookupName`, used when parsing "MST"-style zone names).
  func lookupName(_ abbreviation: String, unix: Int64) -> Int? {
    for zone in zones where zone.name == abbreviation {
      let found = lookup(unix &- Int64(zone.offset))
      if found.name == zone.name { return found.offset }
    }
    return zones.first(where: { $0.name == abbreviation })?.offset
  }
}

// MARK: - Loading

extension TimeLocation {
  /// Errors as Go's `time.LoadLocation` words them.
  enum LoadError: Error {
    case invalidName
    case unknown(String)

    var message: String {
      switch self {
      case .invalidName: return "time: invalid location name"
      case .unknown(let name): return "unknown time zone " + name
      }
    }
  }

  private static let cacheLock = Lock()
  nonisolated(unsafe) private static var cache: [String: TimeLocation] = [:]

  /// Loads a named zone ("Asia/Kolkata") from the system tz database, caching it.
  ///
  /// "" and "UTC" are UTC and "Local" the process's zone (`TZ`, else /etc/localtime), as in Go.
  static func named(_ name: String) throws(LoadError) -> TimeLocation {
    if name.isEmpty || name == "UTC" { return utc }
    if name == "Local" { return local }
    if let cached = cacheLock.withLock({ cache[name] }) { return cached }
    let bytes = Array(name.utf8)
    if bytes.first == UInt8(ascii: "/") || bytes.first == UInt8(ascii: "\\") || containsDotDot(bytes) {
      throw .invalidName
    }
    var loaded: TimeLocation?
    for directory in ["/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo/"] {
      if let data = readFile(directory + name), let location = parseTZif(data, name: name) {
        loaded = location
        break
      }
    }
    guard let location = loaded else { throw .unknown(name) }
    cacheLock.withLock {
      if cache.count > 512 { cache.removeAll() }
      cache[name] = location
    }
    return location
  }

  /// Go's `time.Local`, from `TZ` (unset: /etc/localtime; empty: UTC).
  static let local: TimeLocation = {
    guard let pointer = getenv("TZ") else {
      if let data = readFile("/etc/localtime"), let location = parseTZif(data, name: "Local") {
        return location
      }
      return utc
    }
    var value = String(cString: pointer)
    if value.hasPrefix(":") { value.removeFirst() }
    if value.hasPrefix("/") {
      if let data = readFile(value), let location = parseTZif(data, name: value) { return location }
    } else if !value.isEmpty, value != "UTC", value != "Local", let location = try? named(value) {
      return location
    }
    return utc
  }()

  private static func containsDotDot(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 2 else { return false }
    let dot = UInt8(ascii: ".")
    for index in 0..<(bytes.count - 1) where bytes[index] == dot && bytes[index + 1] == dot { return true }
    return false
  }

  private static func readFile(_ path: String) -> [UInt8]? {
    guard let file = try? SourceFile.read(path: path) else { return nil }
    return file.bytes
  }

  /// Parses a TZif file (RFC 8536) the way Go's `LoadLocationFromTZData` does; nil when malformed.
  static func parseTZif(_ data: [UInt8], name: String) -> TimeLocation? {
    var reader = TZifReader(data: data)
    guard let magic = reader.read(4), magic.elementsEqual("TZif".utf8), let header = reader.read(16) else {
      return nil
    }
    let version: Int
    switch header[0] {
    case 0: version = 1
    case UInt8(ascii: "2"): version = 2
    case UInt8(ascii: "3"): version = 3
    default: return nil
    }
    // Counts: UT/local indicators, standard/wall indicators, leap seconds, transitions, zones, chars.
    guard var counts = reader.counts() else { return nil }
    var timeSize = 4
    if version > 1 {
      // Skip the 32-bit block and the second header; use the 64-bit data.
      let skip = counts[3] * 4 + counts[3] + counts[4] * 6 + counts[5] + counts[2] * 8 + counts[1] + counts[0]
      guard reader.read(skip + 4 + 16) != nil, let again = reader.counts() else { return nil }
      counts = again
      timeSize = 8
    }
    guard let times = reader.read(counts[3] * timeSize),
      let indices = reader.read(counts[3]),
      let zoneData = reader.read(counts[4] * 6),
      let abbreviations = reader.read(counts[5]),
      reader.read(counts[2] * (timeSize + 4)) != nil,
      reader.read(counts[1]) != nil,
      reader.read(counts[0]) != nil
    else { return nil }
    var extend = ""
    let rest = Array(reader.rest)
    if rest.count > 2, rest.first == UInt8(ascii: "\n"), rest.last == UInt8(ascii: "\n") {
      extend = String(decoding: rest[1..<(rest.count - 1)], as: UTF8.self)
    }
    guard counts[4] > 0 else { return nil }
    var zones: [Zone] = []
    for index in 0..<counts[4] {
      let base = index * 6
      let raw = UInt32(zoneData[base]) << 24 | UInt32(zoneData[base + 1]) << 16
        | UInt32(zoneData[base + 2]) << 8 | UInt32(zoneData[base + 3])
      let nameIndex = Int(zoneData[base + 5])
      guard nameIndex < abbreviations.count else { return nil }
      var end = nameIndex
      while end < abbreviations.count, abbreviations[end] != 0 { end += 1 }
      zones.append(
        Zone(
          name: String(decoding: abbreviations[nameIndex..<end], as: UTF8.self),
          offset: Int(Int32(bitPattern: raw)), isDST: zoneData[base + 4] != 0))
    }
    var transitions: [Transition] = []
    for index in 0..<counts[3] {
      var when: Int64 = 0
      if timeSize == 4 {
        let base = index * 4
        let raw = UInt32(times[base]) << 24 | UInt32(times[base + 1]) << 16 | UInt32(times[base + 2]) << 8
          | UInt32(times[base + 3])
        when = Int64(Int32(bitPattern: raw))
      } else {
        var raw: UInt64 = 0
        for offset in 0..<8 { raw = raw << 8 | UInt64(times[index * 8 + offset]) }
        when = Int64(bitPattern: raw)
      }
      let zoneIndex = Int(indices[index])
      guard zoneIndex < zones.count else { return nil }
      transitions.append(Transition(when: when, index: zoneIndex))
    }
    if transitions.isEmpty {
      // Fixed zones ("Etc/GMT+3"): one fake transition covering all time, as Go adds.
      transitions.append(Transition(when: alpha, index: 0))
    }
    return TimeLocation(name: name, zones: zones, transitions: transitions, extend: extend)
  }
}

private struct TZifReader {
  let data: [UInt8]
  var position = 0

  init(data: [UInt8]) { self.data = data }

  mutating func read(_ count: Int) -> [UInt8]? {
    guard count >= 0, data.count - position >= count else { return nil }
    defer { position += count }
    return Array(data[position..<(position + count)])
  }

  mutating func counts() -> [Int]? {
    guard let bytes = read(24) else { return nil }
    var values: [Int] = []
    var index = 0
    for _ in 0..<6 {
      let value = UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8
        | UInt32(bytes[index + 3])
      // Counts beyond what the file could hold are malformed; this also bounds allocations.
      guard value < 1 << 24 else { return nil }
      values.append(Int(value))
      index += 4
    }
    return values
  }

  var rest: ArraySlice<UInt8> { data[position...] }
}

// MARK: - POSIX TZ rules (the TZif footer)

/// Go's `tzset`: the zone in effect at `seconds` under a POSIX TZ string such as
/// `EST5EDT,M3.2.0,M11.1.0`.
enum TimeZoneRule {
  private enum Kind { case julian, dayOfYear, monthWeekDay }

  private struct Rule {
    var kind: Kind
    var day = 0
    var week = 0
    var month = 0
    var time = 7200  // 02:00 local, the default
  }

  static func evaluate(
    _ text: [UInt8], lastTransition: Int64, seconds: Int64
  ) -> (name: String, offset: Int, start: Int64, end: Int64, isDST: Bool)? {
    var rest = text[...]
    guard var standardName = name(&rest), var standardOffset = offset(&rest) else { return nil }
    // POSIX offsets are west of UTC; ours are east.
    standardOffset = -standardOffset
    if rest.isEmpty || rest.first == UInt8(ascii: ",") {
      return (standardName, standardOffset, lastTransition, TimeLocation.omega, false)
    }
    guard var daylightName = name(&rest) else { return nil }
    var daylightOffset: Int
    if rest.isEmpty || rest.first == UInt8(ascii: ",") {
      daylightOffset = standardOffset + 3600
    } else {
      guard let parsed = offset(&rest) else { return nil }
      daylightOffset = -parsed
    }
    if rest.isEmpty { rest = Array(",M3.2.0,M11.1.0".utf8)[...] }
    guard let separator = rest.first, separator == UInt8(ascii: ",") || separator == UInt8(ascii: ";") else {
      return nil
    }
    rest = rest.dropFirst()
    guard let startRule = rule(&rest), rest.first == UInt8(ascii: ",") else { return nil }
    rest = rest.dropFirst()
    guard let endRule = rule(&rest), rest.isEmpty else { return nil }

    // Year of `seconds` (UTC) and the offset into it.
    let (days, secondOfDay) = TimeCalendar.floorDivide(seconds, 86_400)
    let year = TimeCalendar.civil(fromDays: days).year
    let yearStartDays = TimeCalendar.daysFromCivil(year: year, month: 1)
    let secondOfYear = (days - yearStartDays) * 86_400 + secondOfDay
    let yearStart = yearStartDays &* 86_400

    var startSeconds = Int64(ruleTime(year: year, rule: startRule, offset: standardOffset))
    var endSeconds = Int64(ruleTime(year: year, rule: endRule, offset: daylightOffset))
    var daylightIsDST = true
    var standardIsDST = false
    if endSeconds < startSeconds {
      // Southern hemisphere: the labels swap.
      swap(&startSeconds, &endSeconds)
      swap(&standardName, &daylightName)
      swap(&standardOffset, &daylightOffset)
      swap(&standardIsDST, &daylightIsDST)
    }
    if secondOfYear < startSeconds {
      return (standardName, standardOffset, yearStart, startSeconds + yearStart, standardIsDST)
    } else if secondOfYear >= endSeconds {
      return (standardName, standardOffset, endSeconds + yearStart, yearStart + 365 * 86_400, standardIsDST)
    }
    return (daylightName, daylightOffset, startSeconds + yearStart, endSeconds + yearStart, daylightIsDST)
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  private static func name(_ rest: inout ArraySlice<UInt8>) -> String? {
    guard let first = rest.first else { return nil }
    if first == UInt8(ascii: "<") {
      guard let close = rest.firstIndex(of: UInt8(ascii: ">")) else { return nil }
      let result = String(decoding: rest[(rest.startIndex + 1)..<close], as: UTF8.self)
      rest = rest[(close + 1)...]
      return result
    }
    var index = rest.startIndex
    while index < rest.endIndex {
      let byte = rest[index]
      if isDigit(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
        break
      }
      index += 1
    }
    guard index - rest.startIndex >= 3 else { return nil }
    let result = String(decoding: rest[rest.startIndex..<index], as: UTF8.self)
    rest = rest[index...]
    return result
  }

  private static func number(_ rest: inout ArraySlice<UInt8>, _ minimum: Int, _ maximum: Int) -> Int? {
    var value = 0
    var index = rest.startIndex
    while index < rest.endIndex, isDigit(rest[index]) {
      value = value * 10 + Int(rest[index] - UInt8(ascii: "0"))
      if value > maximum { return nil }
      index += 1
    }
    guard index > rest.startIndex, value >= minimum else { return nil }
    rest = rest[index...]
    return value
  }

  private static func offset(_ rest: inout ArraySlice<UInt8>) -> Int? {
    guard let first = rest.first else { return nil }
    var negative = false
    if first == UInt8(ascii: "+") {
      rest = rest.dropFirst()
    } else if first == UInt8(ascii: "-") {
      rest = rest.dropFirst()
      negative = true
    }
    guard let hours = number(&rest, 0, 24 * 7) else { return nil }
    var total = hours * 3600
    if rest.first == UInt8(ascii: ":") {
      rest = rest.dropFirst()
      guard let minutes = number(&rest, 0, 59) else { return nil }
      total += minutes * 60
      if rest.first == UInt8(ascii: ":") {
        rest = rest.dropFirst()
        guard let seconds = number(&rest, 0, 59) else { return nil }
        total += seconds
      }
    }
    return negative ? -total : total
  }

  private static func rule(_ rest: inout ArraySlice<UInt8>) -> Rule? {
    guard let first = rest.first else { return nil }
    var result: Rule
    if first == UInt8(ascii: "J") {
      rest = rest.dropFirst()
      guard let day = number(&rest, 1, 365) else { return nil }
      result = Rule(kind: .julian, day: day)
    } else if first == UInt8(ascii: "M") {
      rest = rest.dropFirst()
      guard let month = number(&rest, 1, 12), rest.first == UInt8(ascii: ".") else { return nil }
      rest = rest.dropFirst()
      guard let week = number(&rest, 1, 5), rest.first == UInt8(ascii: ".") else { return nil }
      rest = rest.dropFirst()
      guard let day = number(&rest, 0, 6) else { return nil }
      result = Rule(kind: .monthWeekDay, day: day, week: week, month: month)
    } else {
      guard let day = number(&rest, 0, 365) else { return nil }
      result = Rule(kind: .dayOfYear, day: day)
    }
    if rest.first == UInt8(ascii: "/") {
      rest = rest.dropFirst()
      guard let time = offset(&rest) else { return nil }
      result.time = time
    }
    return result
  }

  /// Seconds from the start of `year` (UTC) at which `rule` fires, for a zone at `offset`.
  private static func ruleTime(year: Int64, rule: Rule, offset: Int) -> Int {
    var seconds: Int
    switch rule.kind {
    case .julian:
      seconds = (rule.day - 1) * 86_400
      if TimeCalendar.isLeap(year) && rule.day >= 60 { seconds += 86_400 }
    case .dayOfYear:
      seconds = rule.day * 86_400
    case .monthWeekDay:
      // Day of the week of the first of the month, then the week-th such weekday.
      let firstDays = TimeCalendar.daysFromCivil(year: year, month: rule.month)
      let firstWeekday = Int(TimeCalendar.floorDivide(firstDays &+ 4, 7).remainder)
      var day = rule.day - firstWeekday
      if day < 0 { day += 7 }
      var week = 1
      while week < rule.week {
        if day + 7 >= TimeCalendar.daysIn(month: rule.month, year: year) { break }
        day += 7
        week += 1
      }
      let monthStart = Int(firstDays - TimeCalendar.daysFromCivil(year: year, month: 1))
      seconds = (monthStart + day) * 86_400
    }
    return seconds + rule.time - offset
  }
}
