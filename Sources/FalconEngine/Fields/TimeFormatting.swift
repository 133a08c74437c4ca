/// Renders event times (nanoseconds since the epoch) the ways Falco prints them, in UTC.
enum TimeFormatting {
  /// Year, month, day, hour, minute, second and nanosecond of a timestamp in UTC.
  struct Parts {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int
  }

  static func parts(_ nanoseconds: UInt64) -> Parts {
    let seconds = Int(nanoseconds / 1_000_000_000)
    let nanosecond = Int(nanoseconds % 1_000_000_000)
    let days = seconds / 86_400
    let daySeconds = seconds % 86_400
    // Civil date from a day count (proleptic Gregorian, eras of 400 years).
    let shifted = days + 719_468
    let era = shifted / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return Parts(
      year: year, month: month, day: day, hour: daySeconds / 3600, minute: daySeconds / 60 % 60,
      second: daySeconds % 60, nanosecond: nanosecond)
  }

  static func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }

  /// `HH:MM:SS.nnnnnnnnn` (`evt.time`, the text alert's prefix).
  static func time(_ nanoseconds: UInt64) -> String {
    let p = parts(nanoseconds)
    return "\(pad(p.hour, 2)):\(pad(p.minute, 2)):\(pad(p.second, 2)).\(pad(p.nanosecond, 9))"
  }

  /// `HH:MM:SS` (`evt.time.s`).
  static func timeSeconds(_ nanoseconds: UInt64) -> String {
    let p = parts(nanoseconds)
    return "\(pad(p.hour, 2)):\(pad(p.minute, 2)):\(pad(p.second, 2))"
  }

  /// `YYYY-MM-DD`.
  static func date(_ nanoseconds: UInt64) -> String {
    let p = parts(nanoseconds)
    return "\(pad(p.year, 4))-\(pad(p.month, 2))-\(pad(p.day, 2))"
  }

  /// `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` (`evt.datetime`).
  static func dateTime(_ nanoseconds: UInt64) -> String { date(nanoseconds) + " " + time(nanoseconds) }

  /// `YYYY-MM-DD HH:MM:SS` (`evt.datetime.s`).
  static func dateTimeSeconds(_ nanoseconds: UInt64) -> String { date(nanoseconds) + " " + timeSeconds(nanoseconds) }

  /// RFC 3339 with nanoseconds, UTC: `2026-11-27T01:50:19.123456789Z` (`evt.time.iso8601`, the
  /// JSON alert's `time`).
  static func rfc3339(_ nanoseconds: UInt64) -> String { date(nanoseconds) + "T" + time(nanoseconds) + "Z" }
}
