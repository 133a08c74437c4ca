extension ConditionExpression: CustomStringConvertible {
  /// The canonical string of the condition, as libsinsp's `string_visitor` writes it and Falco's
  /// tests compare it (`condition_compiled` in `falco --describe-rule`):
  ///
  /// - `and`/`or` are wrapped in parentheses with single spaces: `(a and b and c)`;
  /// - `not x` is written without parentheses of its own: `not proc.name = cat`;
  /// - checks are `field op value`, lists `(a, b, "c d")`, modifiers `op oneof (a, b)`;
  /// - constants are bare unless they contain a blank, a quote or a backslash, in which case they
  ///   are double-quoted with escapes (`"curl 127.0.0.1"`);
  /// - transformers are `name(arg)`; arguments that must be quoted strings are always quoted.
  ///
  /// Built without recursion, so trees of any depth print.
  public var canonicalString: String {
    var out = ""
    // Work items: a node to print, or literal text to append.
    enum Item { case node(ConditionExpression, quoted: Bool), text(String) }
    var stack: [Item] = [.node(self, quoted: false)]
    while let item = stack.popLast() {
      switch item {
      case .text(let text):
        out += text
      case .node(let node, let quoted):
        switch node.kind {
        case .and(let children), .or(let children):
          let op: String
          if case .and = node.kind { op = " and " } else { op = " or " }
          out += "("
          var pending: [Item] = []
          for (index, child) in children.enumerated() {
            if index > 0 { pending.append(.text(op)) }
            pending.append(.node(child, quoted: false))
          }
          pending.append(.text(")"))
          stack.append(contentsOf: pending.reversed())
        case .not(let child):
          out += "not "
          stack.append(.node(child, quoted: false))
        case .identifier(let name):
          out += name
        case .value(let value):
          out += quoted ? ConditionEscaping.quote(value) : ConditionEscaping.escape(value)
        case .list(let values):
          let items = values.map { quoted ? ConditionEscaping.quote($0) : ConditionEscaping.escape($0) }
          out += "(" + items.joined(separator: ", ") + ")"
        case .expressionList(let items):
          out += "("
          var pending: [Item] = []
          for (index, child) in items.enumerated() {
            if index > 0 { pending.append(.text(", ")) }
            pending.append(.node(child, quoted: true))
          }
          pending.append(.text(")"))
          stack.append(contentsOf: pending.reversed())
        case .unaryCheck(let left, let op):
          stack.append(.text(" " + op))
          stack.append(.node(left, quoted: false))
        case .binaryCheck(let left, let op, let modifier, let right):
          stack.append(.node(right, quoted: false))
          stack.append(.text(" " + op + (modifier.map { " " + $0.rawValue } ?? "") + " "))
          stack.append(.node(left, quoted: false))
        case .field(let name, let argument):
          out += name
          if let argument {
            out += "[" + (argument.isEmpty ? "\"\"" : ConditionEscaping.escape(argument)) + "]"
          }
        case .transformer(let name, let arguments, let index):
          out += name + "("
          // Single-argument transformers take a field or a transformer; multi-argument ones take
          // quoted strings too, which must stay quoted to parse back.
          let quoteArguments = arguments.count > 1 || name == "concat"
          var pending: [Item] = []
          for (position, argument) in arguments.enumerated() {
            if position > 0 { pending.append(.text(", ")) }
            pending.append(.node(argument, quoted: quoteArguments))
          }
          var closing = ")"
          if let index { closing += "[" + (index.isEmpty ? "\"\"" : ConditionEscaping.escape(index)) + "]" }
          pending.append(.text(closing))
          stack.append(contentsOf: pending.reversed())
        }
      }
    }
    return out
  }

  /// The canonical string (see `canonicalString`).
  public var description: String { canonicalString }
}
