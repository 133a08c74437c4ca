public import PolicyCore

/// Prints values the way OPA prints Rego terms (`print`, `sprintf("%v")`, error messages):
/// strings quoted, sets in braces (`set()` when empty), object members `"k": v`, comma and space
/// separated.
public enum RegoFormat {
  /// The Rego text of a value.
  public static func string(_ value: Value) -> String {
    var out = ""
    write(value, into: &out)
    return out
  }

  private static func write(_ value: Value, into out: inout String) {
    switch value {
    case .undefined: out += "undefined"
    case .null: out += "null"
    case .bool(let flag): out += flag ? "true" : "false"
    case .number(let number): out += number.text
    case .string: out += value.json
    case .array(let elements):
      out += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { out += ", " }
        write(element, into: &out)
      }
      out += "]"
    case .set(let set):
      if set.isEmpty {
        out += "set()"
        return
      }
      out += "{"
      for (index, element) in set.enumerated() {
        if index > 0 { out += ", " }
        write(element, into: &out)
      }
      out += "}"
    case .object(let object):
      out += "{"
      for (index, entry) in object.enumerated() {
        if index > 0 { out += ", " }
        write(entry.key, into: &out)
        out += ": "
        write(entry.value, into: &out)
      }
      out += "}"
    }
  }
}
