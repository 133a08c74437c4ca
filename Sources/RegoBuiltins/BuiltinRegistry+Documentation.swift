extension BuiltinRegistry {
  /// The Markdown reference of every builtin, sorted by family then name. docs/rego-builtins.md
  /// is this text; a test fails when the file is out of date (`policy builtins > docs/rego-builtins.md`).
  public func markdownReference() -> String {
    var lines = [
      "# Rego builtins",
      "",
      "Generated from the builtin registry (`policy builtins > docs/rego-builtins.md`); do not edit.",
      "Arity counts input operands; every builtin also accepts one more argument, its output.",
      "",
      "| family | builtin | arity |",
      "| --- | --- | --- |",
    ]
    let sorted = builtins.values.sorted { ($0.category, $0.name) < ($1.category, $1.name) }
    for builtin in sorted {
      let arity = builtin.arity.map(String.init) ?? "any"
      lines.append("| \(builtin.category) | `\(builtin.name)` | \(arity)\(builtin.isRelation ? " (relation)" : "") |")
    }
    lines.append("")
    lines.append("\(builtins.count) builtins.")
    return lines.joined(separator: "\n") + "\n"
  }
}
