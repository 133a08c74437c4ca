/// Rule exceptions: their validation and the condition text they add, exactly as Falco builds it
/// (`validate_exception_info` in the collector, `build_rule_exception_infos` in the compiler).
///
/// For a rule with condition `C` and exceptions `E1`, `E2`, the compiled text is
/// `(C) and not E1 and not E2`, where an exception with a list of fields is
/// `((f1 c1 v1 and f2 c2 v2) or (...))`, one parenthesised group per tuple of values, and one
/// with a single field is `(f c (v1, v2))`. Values containing a blank are double-quoted, values of
/// list comparisons (`in`, `pmatch`, `intersects`, or a comparison with `oneof`/`anyof`/`allof`)
/// parenthesised, both without escaping anything, as Falco does.
enum ExceptionConditions {
  /// Collapses the blanks of a comparison (`"  startswith  oneof "` is `startswith oneof`).
  static func normalizedComparison(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
  }

  /// Whether `comparison` is an operator (`contains`) or a string operator with a list
  /// modifier (`startswith oneof`).
  static func isSupportedComparison(_ comparison: String) -> Bool {
    if ConditionParser.supportedOperators.contains(comparison) { return true }
    let words = comparison.split(separator: " ")
    guard words.count == 2, ListModifier(rawValue: String(words[1])) != nil else { return false }
    return ConditionParser.modifiableOperators.contains(String(words[0]))
  }

  /// Whether the values of `comparison` are lists.
  static func takesList(_ comparison: String) -> Bool {
    ConditionParser.listOperators.contains(comparison) || comparison.contains(" ")
  }

  /// Fills in default comparisons and checks the exception's shape, its comparisons and (when a
  /// table is given) its fields.
  static func validate(_ exception: inout ExceptionInfo, fields: (any FieldTable)?) throws(LoadFailure) {
    func fail(_ message: String) -> LoadFailure { LoadFailure(.validate, message, exception.context) }
    if exception.fields.isList {
      if !exception.comps.isValid {
        exception.comps = ExceptionEntry(list: exception.fields.items.map { _ in ExceptionEntry("=") })
      }
      if exception.fields.items.count != exception.comps.items.count {
        throw fail("Fields and comps lists must have equal length")
      }
      for index in exception.comps.items.indices {
        let comparison = normalizedComparison(exception.comps.items[index].item)
        exception.comps.items[index].item = comparison
        if !isSupportedComparison(comparison) {
          throw fail("'\(comparison)' is not a supported comparison operator")
        }
      }
      if let fields {
        for field in exception.fields.items where !isDefined(field.item, in: fields) {
          throw fail("'\(field.item)' is not a supported filter field")
        }
      }
    } else {
      if !exception.comps.isValid { exception.comps = ExceptionEntry("in") }
      if exception.comps.isList { throw fail("Fields and comps must both be strings") }
      exception.comps.item = normalizedComparison(exception.comps.item)
      if !ConditionParser.listOperators.contains(exception.comps.item) {
        throw fail("When fields is a single value, comps must be one of (in, pmatch, intersects)")
      }
      if let fields, !isDefined(exception.fields.item, in: fields) {
        throw fail("'\(exception.fields.item)' is not a supported filter field")
      }
    }
  }

  /// Whether an exception field (`proc.name`, `proc.aname[2]`, `tolower(proc.name)`) names only
  /// fields the table knows (or cannot check).
  static func isDefined(_ field: String, in table: any FieldTable) -> Bool {
    var parser = ConditionParser(field + " exists")
    guard let check = try? parser.parse(), case .unaryCheck(let left, _) = check.kind else { return false }
    for node in left.allNodes {
      if case .field(let name, _) = node.kind, case .unknown = table.lookup(name) { return false }
    }
    return true
  }

  /// Falco's `quote_item`: double quotes around a value with a space that is not already quoted.
  static func quoted(_ value: String) -> String {
    guard value.contains(" "), let first = value.first, first != "\"", first != "'" else { return value }
    return "\"" + value + "\""
  }

  /// Falco's `paren_item`: parentheses around a value that does not start with one.
  static func parenthesized(_ value: String) -> String {
    value.first == "(" ? value : "(" + value + ")"
  }

  /// The rule condition with its exceptions appended; also returns the exception fields.
  static func condition(_ condition: String, exceptions: [ExceptionInfo]) throws(LoadFailure) -> (String, Set<String>) {
    var text = "(" + condition + ")"
    var exceptionFields: Set<String> = []
    for exception in exceptions {
      var clause = ""
      if !exception.fields.isList {
        for value in exception.values {
          if value.isList {
            throw LoadFailure(.validate, "Expected values array to contain a list of strings", exception.context)
          }
          clause += clause.isEmpty ? "(" + exception.fields.item + " " + exception.comps.item + " (" : ", "
          exceptionFields.insert(exception.fields.item)
          clause += quoted(value.item)
        }
        clause += clause.isEmpty ? "" : "))"
      } else {
        clause = "("
        for tuple in exception.values {
          if exception.fields.items.count != tuple.items.count {
            throw LoadFailure(.validate, "Fields and values lists must have equal length", exception.context)
          }
          clause += clause == "(" ? "" : " or "
          clause += "("
          for (index, field) in exception.fields.items.enumerated() {
            clause += index == 0 ? "" : " and "
            let comparison = exception.comps.items[index].item
            let value = tuple.items[index]
            let rendered: String
            if value.isList {
              rendered = "(" + value.items.map { quoted($0.item) }.joined(separator: ", ") + ")"
            } else if takesList(comparison) {
              rendered = parenthesized(value.item)
            } else {
              rendered = quoted(value.item)
            }
            clause += " " + field.item + " " + comparison + " " + rendered
            exceptionFields.insert(field.item)
          }
          clause += ")"
        }
        clause += ")"
        if clause == "()" { clause = "" }
      }
      if !clause.isEmpty { text += " and not " + clause }
    }
    return (text, exceptionFields)
  }
}
