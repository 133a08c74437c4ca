/// Where a condition node starts in its text, as libsinsp's `pos_info` counts it.
///
/// `offset` is the 0-based byte index; `line` and `column` are 1-based, and every `\r` or `\n`
/// starts a new line (so `\r\n` counts as two), exactly as libsinsp's parser advances them.
public struct ConditionPosition: Sendable, Hashable, CustomStringConvertible {
  /// 0-based byte offset into the condition text.
  public var offset: Int
  /// 1-based line.
  public var line: Int
  /// 1-based column (in bytes, as libsinsp counts).
  public var column: Int

  /// Creates a position.
  public init(offset: Int, line: Int, column: Int) {
    self.offset = offset
    self.line = line
    self.column = column
  }

  /// The start of a text.
  public static let start = ConditionPosition(offset: 0, line: 1, column: 1)

  /// `index 12, line 3, column 4`: libsinsp's `pos_info::as_string`.
  public var description: String { "index \(offset), line \(line), column \(column)" }
}

/// The list modifier of a comparison (`proc.name startswith oneof (a, b)`).
///
/// With a modifier the operator is applied to each value of the right-hand list: `oneof` holds when
/// exactly one value matches, `anyof` when at least one does, `allof` when every value does.
public enum ListModifier: String, Sendable, Hashable, CaseIterable {
  /// Exactly one value of the list matches.
  case oneof
  /// At least one value matches.
  case anyof
  /// Every value matches.
  case allof
}

/// A node of a parsed Falco condition: the libsinsp filter AST (`filter/ast.h`).
///
/// Two expressions are equal when their trees are equal; positions are not compared, as libsinsp's
/// `is_equal` ignores them, so a condition equals the result of parsing its canonical string.
///
///     let ast = try ConditionParser.parse("evt.type = open and proc.name in (ash, bash)")
///     ast.canonicalString   // "(evt.type = open and proc.name in (ash, bash))"
public struct ConditionExpression: Sendable, Hashable {
  /// What the node is.
  public indirect enum Kind: Sendable, Hashable {
    /// `a and b and c` (two or more children).
    case and([ConditionExpression])
    /// `a or b or c` (two or more children).
    case or([ConditionExpression])
    /// `not a`.
    case not(ConditionExpression)
    /// A bare identifier: a macro reference (`spawned_process`).
    case identifier(String)
    /// A constant: the right-hand side of a comparison, already unquoted and unescaped.
    case value(String)
    /// A constant list: `(a, "b c")`.
    case list([String])
    /// A list of field expressions and constants, the argument of a list transformer
    /// (`join("-", (fd.name, "x"))`).
    case expressionList([ConditionExpression])
    /// `left exists`.
    case unaryCheck(left: ConditionExpression, op: String)
    /// `left op [modifier] right`, where `right` is a value, a list, an identifier naming a
    /// list, or a field transformer (`val(proc.pname)`).
    case binaryCheck(left: ConditionExpression, op: String, modifier: ListModifier?, right: ConditionExpression)
    /// A field with its optional argument: `proc.aname[2]`, `evt.arg.name`.
    case field(name: String, argument: String?)
    /// A field transformer: `tolower(proc.name)`, `val(proc.pname)`, `join("-", (a.b, c.d))`,
    /// `getopt(proc.args, "nt:")[t]`. `index` is the bracketed argument after the call.
    case transformer(name: String, arguments: [ConditionExpression], index: String?)
  }

  /// The node.
  public var kind: Kind
  /// Where it starts in the condition text.
  public var position: ConditionPosition

  /// Creates a node.
  public init(_ kind: Kind, at position: ConditionPosition = .start) {
    self.kind = kind
    self.position = position
  }

  public static func == (lhs: ConditionExpression, rhs: ConditionExpression) -> Bool {
    lhs.kind == rhs.kind
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
  }
}

extension ConditionExpression {
  /// A field node.
  public static func field(_ name: String, _ argument: String? = nil, at position: ConditionPosition = .start) -> ConditionExpression {
    ConditionExpression(.field(name: name, argument: argument), at: position)
  }

  /// A constant value node.
  public static func value(_ value: String, at position: ConditionPosition = .start) -> ConditionExpression {
    ConditionExpression(.value(value), at: position)
  }

  /// An identifier (macro reference) node.
  public static func identifier(_ name: String, at position: ConditionPosition = .start) -> ConditionExpression {
    ConditionExpression(.identifier(name), at: position)
  }

  /// The direct children of this node, left to right.
  public var children: [ConditionExpression] {
    switch kind {
    case .and(let children), .or(let children), .expressionList(let children): return children
    case .not(let child): return [child]
    case .unaryCheck(let left, _): return [left]
    case .binaryCheck(let left, _, _, let right): return [left, right]
    case .transformer(_, let arguments, _): return arguments
    case .identifier, .value, .list, .field: return []
    }
  }

  /// Every node of the tree in depth-first pre-order, without recursion (trees built by macro
  /// expansion can be deeper than the parser's limit).
  public var allNodes: [ConditionExpression] {
    var result: [ConditionExpression] = []
    var stack: [ConditionExpression] = [self]
    while let node = stack.popLast() {
      result.append(node)
      stack.append(contentsOf: node.children.reversed())
    }
    return result
  }
}
