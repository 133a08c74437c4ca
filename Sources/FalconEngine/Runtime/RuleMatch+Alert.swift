public import PolicyCore

extension RuleMatch {
  /// Falco's text alert: `HH:MM:SS.nnnnnnnnn: Priority output` (time in UTC).
  public func textLine() -> String {
    TimeFormatting.time(event.timestamp) + ": " + priority.name + " " + output
  }

  /// Falco's JSON alert (the schema Falcosidekick reads): `hostname`, `output` (the text
  /// line), `output_fields` (typed values, null when missing), `priority`, `rule`, `source`,
  /// `tags` (sorted), `time` (RFC 3339 with nanoseconds, UTC). `evt.time` in `output_fields`
  /// is a number of nanoseconds, as Falco writes it.
  public func jsonValue(hostname: String) -> Value {
    var fields: [(String, Value)] = []
    for (name, value) in compiled.output.fieldValues(event) {
      // Falco's JSON gives `evt.time` as nanoseconds since the epoch, not as text.
      if name == "evt.time", event.timestamp <= UInt64(Int.max) {
        fields.append((name, .number(Number(Int(event.timestamp)))))
        continue
      }
      fields.append((name, RuleMatch.json(value)))
    }
    fields.sort { $0.0 < $1.0 }
    return .object(
      ValueObject([
        ("hostname", .string(hostname)),
        ("output", .string(textLine())),
        ("output_fields", .object(ValueObject(fields))),
        ("priority", .string(priority.name)),
        ("rule", .string(rule)),
        ("source", .string(source)),
        ("tags", .array(tags.sorted().map { .string($0) })),
        ("time", .string(TimeFormatting.rfc3339(event.timestamp))),
      ]))
  }

  /// The JSON alert as one line of text.
  public func jsonLine(hostname: String) -> String {
    String(decoding: JSONPrinter().bytes(jsonValue(hostname: hostname)), as: UTF8.self)
  }

  static func json(_ value: FieldValue) -> Value {
    switch value {
    case .none: return .null
    case .int(let number): return .number(Number(Int(number)))
    case .uint(let number): return number <= UInt64(Int.max) ? .number(Number(Int(number))) : .string(String(number))
    case .bool(let flag): return .bool(flag)
    default: return .string(value.rendered)
    }
  }
}
