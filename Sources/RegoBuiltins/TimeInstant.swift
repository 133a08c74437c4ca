// Calendar arithmetic for the `time` builtins, with Go's semantics.
//
// OPA's time builtins are thin wrappers over Go's `time` package, so results depend on Go's rules:
// proleptic Gregorian calendar, out-of-range fields normalised by carrying (`Date(2020, 14, 35)` is
// a valid call), and zone offsets looked up per instant. An instant is kept as Unix seconds plus
// nanoseconds so that dates far outside the `Int64` nanosecond range (year 1677 to 2262) can be
// represented and then rejected with OPA's "time outside of valid range".

/// An instant: seconds since the Unix epoch and a nanosecond part in `0..<1_000_000_000`.
struct TimeInstant: Sendable, Hashable, Comparable {
  var seconds: Int64
  var nanoseconds: Int64

  init(seconds: Int64, nanoseconds: Int64) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  /// The instant `nanoseconds` after the epoch (Go's `time.Unix(0, ns)`).
  init(unixNanoseconds value: Int64) {
    var seconds = value / 1_000_000_000
    var nanos = value % 1_000_000_000
    if nanos < 0 {
      nanos += 1_000_000_000
      seconds -= 1
    }
    self.seconds = seconds
    self.nanoseconds = nanos
  }

  static func < (lhs: TimeInstant, rhs: TimeInstant) -> Bool {
    (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
  }

  /// The earliest and latest instants whose Unix nanoseconds fit `Int64`.
  static let minimumNanosecondInstant = TimeInstant(unixNanoseconds: Int64.min)
  static let maximumNanosecondInstant = TimeInstant(unixNanoseconds: Int64.max)

  /// Unix nanoseconds, or nil outside 1677-09-21T00:12:43.145224192Z ... 2262-04-11T23:47:16.854775807Z.
  var unixNanoseconds: Int64? {
    guard self >= TimeInstant.minimumNanosecondInstant, self <= TimeInstant.maximumNanosecondInstant else {
      return nil
    }
    // In range, so the only overflow is the intermediate product at the extremes: split it.
    if seconds < 0 {
      return (seconds + 1) &* 1_000_000_000 &+ (nanoseconds - 1_000_000_000)
    }
    return seconds &* 1_000_000_000 &+ nanoseconds
  }
}

/// Broken-down civil time in some zone, as Go's `Time.Date`, `Time.Clock` and friends report it.
struct TimeFields: Sendable, Hashable {
  var year: Int64
  var month: Int  // 1...12
  var day: Int  // 1...31
  var hour: Int
  var minute: Int
  var second: Int
  var nanosecond: Int
  var weekday: Int  // 0 = Sunday
  var yearDay: Int  // 1...366
  /// The zone abbreviation and offset east of UTC in seconds.
  var zoneName: String
  var zoneOffset: Int
}

enum TimeCalendar {
  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
  ]
  static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

  static func isLeap(_ year: Int64) -> Bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  }

  static func daysIn(month: Int, year: Int64) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Floor division and modulus, as calendar arithmetic needs for dates before the epoch.
  static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
    var quotient = value / divisor
    var remainder = value % divisor
    if remainder < 0 {
      quotient -= 1
      remainder += divisor
    }
    return (quotient, remainder)
  }

  /// Days from 1970-01-01 to the first of `month` (1...12) in `year` (H. Hinnant's algorithm).
  /// Wrapping arithmetic: absurd years wrap as Go's do instead of trapping.
  static func daysFromCivil(year: Int64, month: Int) -> Int64 {
    let shifted = month <= 2 ? year &- 1 : year
    let era = (shifted >= 0 ? shifted : shifted &- 399) / 400
    let yearOfEra = shifted &- era &* 400
    let monthIndex = Int64(month > 2 ? month - 3 : month + 9)
    let dayOfYear = (153 * monthIndex + 2) / 5
    let dayOfEra = yearOfEra &* 365 &+ yearOfEra / 4 &- yearOfEra / 100 &+ dayOfYear
    return era &* 146_097 &+ dayOfEra &- 719_468
  }

  /// The civil date of a day count from 1970-01-01.
  static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
    let shifted = days &+ 719_468
    let era = (shifted >= 0 ? shifted : shifted &- 146_096) / 146_097
    let dayOfEra = shifted &- era &* 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
    let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
    let year = yearOfEra &+ era &* 400 &+ (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  /// Go's `norm`: moves whole multiples of `base` from `low` into `high` so `0 <= low < base`.
  static func normalise(_ high: Int64, _ low: Int64, base: Int64) -> (Int64, Int64) {
    var high = high
    var low = low
    if low < 0 {
      let carry = (-(low &+ 1)) / base &+ 1
      high = high &- carry
      low = low &+ carry &* base
    }
    if low >= base {
      let carry = low / base
      high = high &+ carry
      low = low &- carry &* base
    }
    return (high, low)
  }

  /// Go's `time.Date`: builds an instant from possibly out-of-range fields in `location`.
  static func date(
    year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, nanosecond: Int64,
    in location: TimeLocation
  ) -> TimeInstant {
    let (year, monthIndex) = normalise(year, month &- 1, base: 12)
    var (second, nanosecond) = normalise(second, nanosecond, base: 1_000_000_000)
    var minute = minute
    var hour = hour
    var day = day
    (minute, second) = normalise(minute, second, base: 60)
    (hour, minute) = normalise(hour, minute, base: 60)
    (day, hour) = normalise(day, hour, base: 24)
    let days = daysFromCivil(year: year, month: Int(monthIndex) + 1) &+ (day &- 1)
    var unix = days &* 86_400 &+ hour &* 3_600 &+ minute &* 60 &+ second
    // The zone lookup wants UTC; try the wall-clock value first, then correct near transitions.
    let guess = location.lookup(unix)
    var offset = guess.offset
    if offset != 0 {
      let utc = unix &- Int64(offset)
      if utc < guess.start || utc >= guess.end {
        offset = location.lookup(utc).offset
      }
      unix = unix &- Int64(offset)
    }
    return TimeInstant(seconds: unix, nanoseconds: nanosecond)
  }

  /// The civil fields of `instant` in `location`.
  static func fields(of instant: TimeInstant, in location: TimeLocation) -> TimeFields {
    let zone = location.lookup(instant.seconds)
    let local = instant.seconds &+ Int64(zone.offset)
    let (days, secondOfDay) = floorDivide(local, 86_400)
    let (year, month, day) = civil(fromDays: days)
    let weekday = Int(floorDivide(days &+ 4, 7).remainder)
    let yearDay = Int(days &- daysFromCivil(year: year, month: 1)) + 1
    return TimeFields(
      year: year, month: month, day: day,
      hour: Int(secondOfDay / 3600), minute: Int(secondOfDay % 3600 / 60), second: Int(secondOfDay % 60),
      nanosecond: Int(instant.nanoseconds), weekday: weekday, yearDay: yearDay,
      zoneName: zone.name, zoneOffset: zone.offset)
  }
}
