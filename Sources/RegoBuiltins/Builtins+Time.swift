internal import PolicyCore

// The `time` family. OPA reference: topdown/time.go. Timestamps are Unix nanoseconds; most
// builtins also take `[ns, "Zone/Name"]` (and `time.format` `[ns, zone, layout]`), where the zone
// is "" or "UTC", "Local", or an IANA name loaded from the system tz database.

extension BuiltinRegistry {
  /// Adds the time family. Keep entries sorted.
  mutating func registerTime() {
    /// `time.add_date(ns, years, months, days)`: adds calendar units with Go's normalisation
    /// (Oct 31 + 1 month is Dec 1).
    ///
    ///     time.add_date(1585852421593912000, 3, 9, 12)   # 1705257221593912000
    add("time.add_date", arity: 4, category: "time") { arguments, _ throws(BuiltinError) in
      let (instant, location, _) = try zonedTime(arguments[0])
      let years = try arguments.int(1)
      let months = try arguments.int(2)
      let days = try arguments.int(3)
      let fields = TimeCalendar.fields(of: instant, in: location)
      let result = TimeCalendar.date(
        year: fields.year &+ Int64(years), month: Int64(fields.month) &+ Int64(months),
        day: Int64(fields.day) &+ Int64(days), hour: Int64(fields.hour), minute: Int64(fields.minute),
        second: Int64(fields.second), nanosecond: Int64(fields.nanosecond), in: location)
      return try nanosecondValue(result)
    }
    /// `time.clock(ns)` or `time.clock([ns, tz])`: `[hour, minute, second]`.
    add("time.clock", arity: 1, category: "time") { arguments, _ throws(BuiltinError) in
      let (instant, location, _) = try zonedTime(arguments[0])
      let fields = TimeCalendar.fields(of: instant, in: location)
      return .array([.int(fields.hour), .int(fields.minute), .int(fields.second)])
    }
    /// `time.date(ns)` or `time.date([ns, tz])`: `[year, month, day]`.
    ///
    ///     time.date(1517814000000000000)   # [2018, 2, 5]
    add("time.date", arity: 1, category: "time") { arguments, _ throws(BuiltinError) in
      let (instant, location, _) = try zonedTime(arguments[0])
      let fields = TimeCalendar.fields(of: instant, in: location)
      return .array([.int(Int(truncatingIfNeeded: fields.year)), .int(fields.month), .int(fields.day)])
    }
    /// `time.diff(ns1, ns2)`: the difference as `[years, months, days, hours, minutes, seconds]`,
    /// computed on the calendar of the first operand's zone (either order; always non-negative).
    add("time.diff", arity: 2, category: "time") { arguments, _ throws(BuiltinError) in
      var (first, firstLocation, _) = try zonedTime(arguments[0])
      var (second, _, _) = try zonedTime(arguments[1])
      if second < first { swap(&first, &second) }
      let start = TimeCalendar.fields(of: first, in: firstLocation)
      let end = TimeCalendar.fields(of: second, in: firstLocation)
      var years = end.year &- start.year
      var months = end.month - start.month
      var days = end.day - start.day
      var hours = end.hour - start.hour
      var minutes = end.minute - start.minute
      var seconds = end.second - start.second
      if seconds < 0 {
        seconds += 60
        minutes -= 1
      }
      if minutes < 0 {
        minutes += 60
        hours -= 1
      }
      if hours < 0 {
        hours += 24
        days -= 1
      }
      if days < 0 {
        days += TimeCalendar.daysIn(month: start.month, year: start.year)
        months -= 1
      }
      if months < 0 {
        months += 12
        years -= 1
      }
      return .array([
        .int(Int(truncatingIfNeeded: years)), .int(months), .int(days), .int(hours), .int(minutes), .int(seconds),
      ])
    }
    /// `time.format(ns)`, `time.format([ns, tz])` or `time.format([ns, tz, layout])`: formats with
    /// a Go layout or a layout name ("RFC1123Z"); the default is RFC 3339 with nanoseconds.
    ///
    ///     time.format([1670006453141828752, "Asia/Kolkata", "RFC1123Z"])   # "Sat, 03 Dec 2022 00:10:53 +0530"
    add("time.format", arity: 1, category: "time") { arguments, _ throws(BuiltinError) in
      let (instant, location, layoutName) = try zonedTime(arguments[0])
      var layout = layoutName.isEmpty ? TimeLayout.rfc3339Nano : layoutName
      if let named = TimeLayout.named[layout] { layout = named }
      return .string(TimeLayout.format(instant, in: location, layout: layout))
    }
    /// `time.now_ns()`: the evaluation's fixed current time in Unix nanoseconds.
    add("time.now_ns", arity: 0, category: "time") { _, context throws(BuiltinError) in
      .int(Int(context.now))
    }
    /// `time.parse_duration_ns(duration)`: a Go duration ("1h30m", "-1.5us") in nanoseconds.
    add("time.parse_duration_ns", arity: 1, category: "time") { arguments, _ throws(BuiltinError) in
      let text = try arguments.string(0)
      do throws(TimeParseFailure) {
        return .int(Int(try TimeDuration.parse(text)))
      } catch {
        throw .failure(error.message)
      }
    }
    /// `time.parse_ns(layout, value)`: parses with a Go layout or layout name, in Unix nanoseconds.
    ///
    ///     time.parse_ns("2006-01-02", "2020-02-02")   # 1580601600000000000
    add("time.parse_ns", arity: 2, category: "time") { arguments, _ throws(BuiltinError) in
      var layout = try arguments.string(0)
      let value = try arguments.string(1)
      if let named = TimeLayout.named[layout] { layout = named }
      return try parsedValue(layout: layout, value: value)
    }
    /// `time.parse_rfc3339_ns(value)`: parses an RFC 3339 timestamp, in Unix nanoseconds.
    add("time.parse_rfc3339_ns", arity: 1, category: "time") { arguments, _ throws(BuiltinError) in
      let value = try arguments.string(0)
      return try parsedValue(layout: TimeLayout.rfc3339, value: value)
    }
    /// `time.weekday(ns)` or `time.weekday([ns, tz])`: the English day name ("Monday").
    add("time.weekday", arity: 1, category: "time") { arguments, _ throws(BuiltinError) in
      let (instant, location, _) = try zonedTime(arguments[0])
      return .string(TimeCalendar.weekdayNames[TimeCalendar.fields(of: instant, in: location).weekday])
    }
  }
}

/// Parses with Go's `time.Parse` and converts to nanoseconds, with OPA's range check.
private func parsedValue(layout: String, value: String) throws(BuiltinError) -> Value {
  let instant: TimeInstant
  do throws(TimeParseFailure) {
    instant = try TimeLayout.parse(layout: layout, value: value)
  } catch {
    throw .failure(error.message)
  }
  return try nanosecondValue(instant)
}

/// OPA's `toSafeUnixNano`: instants whose nanoseconds overflow `Int64` are an error.
private func nanosecondValue(_ instant: TimeInstant) throws(BuiltinError) -> Value {
  guard let nanoseconds = instant.unixNanoseconds else { throw .failure("time outside of valid range") }
  return .int(Int(nanoseconds))
}

/// OPA's `tzTime`: a timestamp operand, `ns` or `[ns, tz]` or `[ns, tz, layout]`.
///
/// Errors always name operand 1, as OPA's do (even for `time.diff`'s second operand).
private func zonedTime(_ operand: Value) throws(BuiltinError) -> (TimeInstant, TimeLocation, String) {
  let expected = "either number (ns) or [number (ns), string (tz)]"
  var location = TimeLocation.utc
  var layout = ""
  let number: Number
  switch operand {
  case .number(let value):
    number = value
  case .array(let elements):
    guard let first = elements.first else { throw .operand(0, mustBe: expected, got: operand) }
    guard case .number(let value) = first else { throw .operand(0, mustBe: "number", got: first) }
    number = value
    if elements.count > 1 {
      guard case .string(let zone) = elements[1] else { throw .operand(0, mustBe: "string", got: elements[1]) }
      do throws(TimeLocation.LoadError) {
        location = try TimeLocation.named(zone)
      } catch {
        throw .failure(error.message)
      }
    }
    if elements.count > 2 {
      guard case .string(let text) = elements[2] else { throw .operand(0, mustBe: "string", got: elements[2]) }
      layout = text
    }
  default:
    throw .operand(0, mustBe: expected, got: operand)
  }
  // OPA converts through big.Float and requires an exact int64: fractions are "too big" too.
  guard let nanoseconds = number.intValue else { throw .failure("timestamp too big") }
  return (TimeInstant(unixNanoseconds: Int64(nanoseconds)), location, layout)
}
