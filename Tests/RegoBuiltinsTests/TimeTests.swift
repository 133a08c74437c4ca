import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: [Value], now: Int64 = 0) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: now))
}

private func failure(_ name: String, _ arguments: [Value]) -> BuiltinError? {
  do {
    _ = try call(name, arguments)
    return nil
  } catch {
    return error
  }
}

@Suite("time builtins")
struct TimeTests {
  @Test("time.now_ns returns the context's instant")
  func now() throws {
    #expect(try call("time.now_ns", [], now: 1_234_567) == 1_234_567)
  }

  @Test("time.parse_ns with layouts and layout names (conformance time/parse_nanos)")
  func parseNanos() throws {
    let cases: [(String, String, Int)] = [
      ("2006-01-02T15:04:05Z07:00", "2017-06-02T19:00:00-07:00", 1_496_455_200_000_000_000),
      ("2006-01-02T15:04:05Z07:00", "1677-09-21T00:12:43.145224192-00:00", Int.min),
      ("2006-01-02T15:04:05Z07:00", "2262-04-11T23:47:16.854775807-00:00", Int.max),
      ("01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700", 1_496_455_200_000_000_000),
      ("02 Jan 06 15:04 -0700", "02 Jun 17 19:00 -0700", 1_496_455_200_000_000_000),
      ("RFC822Z", "02 Jun 17 19:00 -0700", 1_496_455_200_000_000_000),
      ("2006-01-02", "2020-02-02", 1_580_601_600_000_000_000),
      ("Mon Jan _2 15:04:05 2006", "Sat Dec  3 00:10:53 2022", 1_670_026_253_000_000_000),
      ("2006-01-02 15:04:05.000", "2022-12-03 00:10:53.141", 1_670_026_253_141_000_000),
      ("2006-002", "2020-060", 1_582_934_400_000_000_000),
    ]
    for (layout, value, expected) in cases {
      #expect(try call("time.parse_ns", [.string(layout), .string(value)]) == .int(expected), "\(layout)")
    }
  }

  @Test("time.parse_ns range errors")
  func parseRange() {
    for value in ["1677-09-21T00:12:43.145224191-00:00", "2262-04-11T23:47:16.854775808-00:00"] {
      let error = failure("time.parse_ns", ["2006-01-02T15:04:05Z07:00", .string(value)])
      #expect(error == .failure("time outside of valid range"))
      #expect(error?.code.rawValue == "eval_builtin_error")
      #expect(failure("time.parse_rfc3339_ns", [.string(value)]) == .failure("time outside of valid range"))
    }
  }

  @Test("time.parse_ns reports Go's parse errors")
  func parseErrors() {
    #expect(
      failure("time.parse_ns", ["2006-01-02", "2020-13-01"])
        == .failure(#"parsing time "2020-13-01": month out of range"#))
    #expect(
      failure("time.parse_ns", ["2006-01-02", "2020-02-30"])
        == .failure(#"parsing time "2020-02-30": day out of range"#))
    #expect(
      failure("time.parse_ns", ["2006-01-02", "20x0-02-03"])
        == .failure(#"parsing time "20x0-02-03" as "2006-01-02": cannot parse "20x0-02-03" as "2006""#))
    #expect(
      failure("time.parse_ns", ["2006-01-02", "2020-02-03 extra"])
        == .failure(#"parsing time "2020-02-03 extra": extra text: " extra""#))
    #expect(failure("time.parse_ns", [1, "x"]) == BuiltinError(.type, "operand 1 must be string but got number"))
    #expect(failure("time.parse_ns", ["x", 1]) == BuiltinError(.type, "operand 2 must be string but got number"))
  }

  @Test("time.parse_rfc3339_ns (conformance time/parse_rfc3339_nanos)")
  func parseRFC3339() throws {
    let cases: [(String, Int)] = [
      ("1677-09-21T00:12:43.145224192-00:00", Int.min),
      ("1970-01-01T00:00:00-00:00", 0),
      ("2017-06-02T19:00:00-07:00", 1_496_455_200_000_000_000),
      ("2262-04-11T23:47:16.854775807-00:00", Int.max),
      ("2017-06-02T19:00:00.5Z", 1_496_430_000_500_000_000),
    ]
    for (value, expected) in cases {
      #expect(try call("time.parse_rfc3339_ns", [.string(value)]) == .int(expected), "\(value)")
    }
  }

  @Test("time.parse_duration_ns follows Go's ParseDuration")
  func parseDuration() throws {
    let cases: [(String, Int)] = [
      ("100ms", 100_000_000), ("1h30m", 5_400_000_000_000), ("1.5h", 5_400_000_000_000), ("-1us", -1_000),
      ("2\u{00B5}s", 2_000), ("3\u{03BC}s", 3_000), ("0", 0), ("+5s", 5_000_000_000), (".5s", 500_000_000),
      ("1h2m3s4ms5us6ns", 3_723_004_005_006), ("-9223372036854775808ns", Int.min),
    ]
    for (text, expected) in cases {
      #expect(try call("time.parse_duration_ns", [.string(text)]) == .int(expected), "\(text)")
    }
    #expect(failure("time.parse_duration_ns", ["1d"]) == .failure(#"time: unknown unit "d" in duration "1d""#))
    #expect(failure("time.parse_duration_ns", ["12"]) == .failure(#"time: missing unit in duration "12""#))
    #expect(failure("time.parse_duration_ns", [""]) == .failure(#"time: invalid duration """#))
    #expect(failure("time.parse_duration_ns", [".s"]) == .failure(#"time: invalid duration ".s""#))
    #expect(
      failure("time.parse_duration_ns", ["9223372036854775808ns9223372036854775808ns"])
        == .failure(#"time: invalid duration "9223372036854775808ns9223372036854775808ns""#))
    #expect(
      failure("time.parse_duration_ns", ["9223372036854775808ns"])
        == .failure(#"time: invalid duration "9223372036854775808ns""#))
  }

  @Test("time.date, time.clock and time.weekday (conformance time/date, clock, weekday)")
  func components() throws {
    #expect(try call("time.date", [.int(1_517_814_000_000_000_000)]) == [2018, 2, 5])
    #expect(try call("time.date", [[.int(1_517_832_000_000_000_000), ""]]) == [2018, 2, 5])
    #expect(try call("time.clock", [.int(1_517_832_000_000_000_000)]) == [12, 0, 0])
    let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    for (offset, name) in days.enumerated() {
      let ns = 1_517_832_000_000_000_000 + offset * 86_400_000_000_000
      #expect(try call("time.weekday", [.int(ns)]) == .string(name))
    }
    #expect(try call("time.date", [.int(-1)]) == [1969, 12, 31])
    #expect(try call("time.clock", [[.int(0), "Asia/Kolkata"]]) == [5, 30, 0])
    #expect(try call("time.date", [[.int(0), "America/Los_Angeles"]]) == [1969, 12, 31])
  }

  @Test("timestamps that are not exact int64 are too big")
  func tooBig() {
    let big = Value.number(Number(literal: "1582977600000000000000")!)
    for name in ["time.date", "time.clock", "time.weekday", "time.format"] {
      #expect(failure(name, [big]) == .failure("timestamp too big"), "\(name)")
    }
    #expect(failure("time.date", [.number(Number(1.5))]) == .failure("timestamp too big"))
    #expect(
      failure("time.date", ["x"])
        == BuiltinError(.type, "operand 1 must be either number (ns) or [number (ns), string (tz)] but got string"))
    #expect(
      failure("time.date", [[]])
        == BuiltinError(.type, "operand 1 must be either number (ns) or [number (ns), string (tz)] but got array"))
    #expect(failure("time.date", [["x"]]) == BuiltinError(.type, "operand 1 must be number but got string"))
    #expect(failure("time.date", [[0, 1]]) == BuiltinError(.type, "operand 1 must be string but got number"))
  }

  @Test("unknown zones fail as Go's LoadLocation does")
  func unknownZone() {
    #expect(failure("time.date", [[0, "Mars/Base"]]) == .failure("unknown time zone Mars/Base"))
    #expect(failure("time.date", [[0, "../etc/passwd"]]) == .failure("time: invalid location name"))
  }

  @Test("time.add_date normalises like Go (conformance time/add_date)")
  func addDate() throws {
    #expect(
      try call("time.add_date", [.int(1_585_852_421_593_912_000), 3, 9, 12]) == .int(1_705_257_221_593_912_000))
    #expect(failure("time.add_date", [0, 2262, 1, 1]) == .failure("time outside of valid range"))
    // 2021-01-31 + 1 month = 2021-03-03.
    let january31 = 1_612_051_200_000_000_000
    #expect(try call("time.add_date", [.int(january31), 0, 1, 0]) == .int(1_614_729_600_000_000_000))
    #expect(
      failure("time.add_date", [0, .number(Number(1.5)), 0, 0])
        == BuiltinError(.type, "operand 2 must be integer number but got floating-point number"))
  }

  @Test("time.diff (conformance time/diff)")
  func diff() throws {
    let now = 1_700_000_000_000_000_000
    #expect(try call("time.diff", [.int(now + 61_000_000_000), .int(now)]) == [0, 0, 0, 0, 1, 1])
    #expect(
      try call("time.diff", [[.int(now + 60_000_000_000), "UTC"], [.int(now), "Asia/Shanghai"]]) == [0, 0, 0, 0, 1, 0])
    func day(_ text: String) throws -> Value { try call("time.parse_ns", ["2006-01-02", .string(text)]) }
    #expect(try call("time.diff", [day("2020-02-02"), day("2020-03-01")]) == [0, 0, 28, 0, 0, 0])
    #expect(try call("time.diff", [day("2021-02-02"), day("2021-03-01")]) == [0, 0, 27, 0, 0, 0])
    #expect(try call("time.diff", [day("2004-02-29"), day("2005-03-01")]) == [1, 0, 1, 0, 0, 0])
  }

  @Test("time.format with zones, layouts and layout names (conformance time/format)")
  func format() throws {
    let ns = Value.int(1_670_006_453_141_828_752)
    #expect(try call("time.format", [ns]) == "2022-12-02T18:40:53.141828752Z")
    #expect(try call("time.format", [[ns, "Asia/Kolkata"]]) == "2022-12-03T00:10:53.141828752+05:30")
    #expect(
      try call("time.format", [[ns, "Asia/Kolkata", "Mon Jan 02 15:04:05 -0700 2006"]])
        == "Sat Dec 03 00:10:53 +0530 2022")
    #expect(try call("time.format", [[ns, "Asia/Kolkata", "RFC1123Z"]]) == "Sat, 03 Dec 2022 00:10:53 +0530")
    #expect(try call("time.format", [[ns, "Asia/Kolkata", "RFC1123"]]) == "Sat, 03 Dec 2022 00:10:53 IST")
    #expect(try call("time.format", [[ns, "UTC", "UnixDate"]]) == "Fri Dec  2 18:40:53 UTC 2022")
    #expect(try call("time.format", [[ns, "", "3:04PM .000 __2 002"]]) == "6:40PM .141 336 336")
    #expect(try call("time.format", [[ns, "", "2006-01-02 15:04:05,999"]]) == "2022-12-02 18:40:53,141")
    // Daylight saving time, in the table and past it (the TZ footer rule).
    #expect(try call("time.format", [[.int(1_688_169_600_000_000_000), "America/New_York", "MST -07:00"]]) == "EDT -04:00")
    #expect(try call("time.format", [[.int(4_102_444_800_000_000_000), "America/New_York", "MST"]]) == "EST")
    #expect(try call("time.format", [[.int(4_118_083_200_000_000_000), "America/New_York", "MST"]]) == "EDT")
    #expect(try call("time.format", [[.int(0), "Australia/Sydney", "MST Z07:00"]]) == "AEST +10:00")
  }
}
