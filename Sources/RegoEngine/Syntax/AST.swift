internal import PolicyCore
internal import RegoBuiltins

/// A Rego term: a value, a variable, a reference, a composite, a call or a comprehension.
///
/// Only the cases that contain terms are boxed: scalars, locals and calls (one reference) sit
/// inline, so reading a path element or an argument copies a value instead of retaining a box.
enum Term: Sendable {
  /// null, boolean, number or string.
  case scalar(Value)
  /// A variable before resolution (a local, a rule of the package, an import, `input`, `data`).
  case variable(String)
  /// A reference: a head followed by a path (`input.request.kind`, `xs[i]`, `f(x)[0]`).
  indirect case ref(Term, [Term])
  case array([Term])
  case object([(Term, Term)])
  case set([Term])
  /// A function or builtin call; `name` is the dotted name (`strings.replace_n`, `data.lib.f`).
  case call(Call)
  indirect case arrayComprehension(Term, Body)
  indirect case setComprehension(Term, Body)
  indirect case objectComprehension(Term, Term, Body)
  /// A template string `$"...{expr}..."`: literal parts and expressions, alternating.
  case template([TemplatePart])

  // Resolved forms (produced by the compiler, never by the parser).

  /// A local variable in the enclosing rule's frame.
  case local(Int, String)
  /// The root `input` document.
  case input
  /// The root `data` document.
  case data
  /// A function named as a `with` replacement (`with count as my_count`).
  indirect case functionReference(String, CallTarget)

  var isWildcard: Bool {
    if case .variable(let name) = self { return name == "_" || name.hasPrefix("$") }
    return false
  }
}

/// One part of a template string.
enum TemplatePart: Sendable {
  case text(String)
  case expression(Term)
}

/// A call term: `name(args...)`.
///
/// A value type over one copy-on-write box: the interpreter copies calls out of terms on every
/// evaluation, and copying one reference costs one retain where the five fields cost six.
struct Call: Sendable {
  private final class Storage: @unchecked Sendable {
    // @unchecked: mutated only through `Call`'s setters, after `isKnownUniquelyReferenced`.
    var name: String
    var target: Term
    var arguments: [Term]
    var span: SourceSpan
    var resolved: CallTarget

    init(name: String, target: Term, arguments: [Term], span: SourceSpan, resolved: CallTarget) {
      self.name = name
      self.target = target
      self.arguments = arguments
      self.span = span
      self.resolved = resolved
    }
  }

  private var storage: Storage

  init(name: String, target: Term, arguments: [Term], span: SourceSpan, resolved: CallTarget = .unresolved) {
    storage = Storage(name: name, target: target, arguments: arguments, span: span, resolved: resolved)
  }

  private mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) {
      storage = Storage(
        name: storage.name, target: storage.target, arguments: storage.arguments, span: storage.span,
        resolved: storage.resolved)
    }
  }

  /// Dotted name as written (`count`, `strings.replace_n`, `data.lib.f`, `f`).
  var name: String {
    get { storage.name }
    set { makeUnique(); storage.name = newValue }
  }
  /// The name's reference form, for user functions (`data.lib.f` → a ref into data).
  var target: Term {
    get { storage.target }
    set { makeUnique(); storage.target = newValue }
  }
  var arguments: [Term] {
    get { storage.arguments }
    set { makeUnique(); storage.arguments = newValue }
  }
  var span: SourceSpan {
    get { storage.span }
    set { makeUnique(); storage.span = newValue }
  }
  /// What the call invokes, set by the compiler.
  var resolved: CallTarget {
    get { storage.resolved }
    set { makeUnique(); storage.resolved = newValue }
  }
}

/// The function a call invokes.
enum CallTarget: Sendable {
  case unresolved
  /// A builtin from the registry.
  case builtin(Builtin)
  /// A user-defined function at this data path.
  case function(FunctionTarget)
  /// A builtin the interpreter implements itself (needs evaluation state): `print`, `walk`, ...
  case special(String)
}

/// A user function a call resolved to: its data path, and its node in the compiled tree so a
/// call does not walk the tree. The node is not retained: the tree owns the rules whose calls
/// point back into it (a strong reference would be a cycle), and every evaluation holds the
/// policy, which holds the tree.
struct FunctionTarget: @unchecked Sendable {
  // @unchecked: the node is immutable once the compiler has finished.
  let path: [Value]
  unowned(unsafe) let node: RuleNode
}

/// A `with` modifier: `with input.x as value`.
struct WithModifier: Sendable {
  var target: Term
  var value: Term
  var span: SourceSpan
}

/// The forms a body literal takes.
enum ExprKind: Sendable {
  /// A term evaluated for truth: defined and not `false` (calls and comparisons are terms).
  case term(Term)
  /// `a = b`.
  case unify(Term, Term)
  /// `a := b`: declares the variables on the left.
  case assign(Term, Term)
  /// `some x, y`: declares variables.
  case some([String])
  /// `some x in xs`, `some k, v in xs`.
  case someIn(key: Term?, value: Term, collection: Term)
  /// `every x in xs { ... }`, `every k, v in xs { ... }`.
  case every(key: Term?, value: Term, domain: Term, body: Body)
}

/// A literal of a body: an expression, possibly negated, with modifiers.
///
/// Like `Call`, a value type over one copy-on-write box, so reading `body[i]` costs one retain.
struct Expr: Sendable {
  private final class Storage: @unchecked Sendable {
    // @unchecked: mutated only through `Expr`'s setters, after `isKnownUniquelyReferenced`.
    var kind: ExprKind
    var negated: Bool
    var withModifiers: [WithModifier]
    var span: SourceSpan

    init(kind: ExprKind, negated: Bool, withModifiers: [WithModifier], span: SourceSpan) {
      self.kind = kind
      self.negated = negated
      self.withModifiers = withModifiers
      self.span = span
    }
  }

  private var storage: Storage

  init(kind: ExprKind, negated: Bool = false, withModifiers: [WithModifier] = [], span: SourceSpan) {
    storage = Storage(kind: kind, negated: negated, withModifiers: withModifiers, span: span)
  }

  private mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) {
      storage = Storage(kind: storage.kind, negated: storage.negated, withModifiers: storage.withModifiers, span: storage.span)
    }
  }

  var kind: ExprKind {
    get { storage.kind }
    set { makeUnique(); storage.kind = newValue }
  }
  var negated: Bool {
    get { storage.negated }
    set { makeUnique(); storage.negated = newValue }
  }
  var withModifiers: [WithModifier] {
    get { storage.withModifiers }
    set { makeUnique(); storage.withModifiers = newValue }
  }
  /// True when the expression has `with` modifiers (read without copying the array).
  var hasModifiers: Bool { !storage.withModifiers.isEmpty }
  var span: SourceSpan {
    get { storage.span }
    set { makeUnique(); storage.span = newValue }
  }
}

/// A query or rule body: literals evaluated in order (after the compiler's safety reordering).
typealias Body = [Expr]

/// A rule or function definition, or one `else` branch of it.
final class Rule: @unchecked Sendable {
  // @unchecked: rules are built by the parser and compiler and immutable once compiled.

  enum Kind: Sendable {
    /// One value at a ground path: `p := 1`, `a.b.c if ...`.
    case complete
    /// `p contains x`, v0 `p[x] { ... }`: the rule contributes members to a set.
    case partialSet
    /// `p[k] := v`, `a.b[x].c := v`: the rule contributes keys to an object.
    case partialObject
    /// `f(x) := y`.
    case function
  }

  var kind: Kind
  /// The head reference relative to the package: the rule name then any further path terms.
  var path: [Term]
  /// Function parameters.
  var parameters: [Term]
  /// The contributed member (partial sets).
  var key: Term?
  /// The value (true when the head has none).
  var value: Term
  var body: Body
  /// `else` branches in order: each has its own value and body.
  var elseBranches: [(value: Term, body: Body, span: SourceSpan)]
  var isDefault: Bool
  var span: SourceSpan
  /// Number of local variable slots the rule's frame needs (set by the compiler).
  var frameSize = 0

  init(
    kind: Kind, path: [Term], parameters: [Term], key: Term?, value: Term, body: Body,
    elseBranches: [(value: Term, body: Body, span: SourceSpan)], isDefault: Bool, span: SourceSpan
  ) {
    self.kind = kind
    self.path = path
    self.parameters = parameters
    self.key = key
    self.value = value
    self.body = body
    self.elseBranches = elseBranches
    self.isDefault = isDefault
    self.span = span
  }

  /// The rule's name: the first element of its head.
  var name: String {
    if case .scalar(.string(let name)) = path.first { return name }
    return ""
  }
}

/// An `import` declaration.
struct Import: Sendable {
  /// The imported path, starting with `data` or `input`: `["data", "lib", "k8s"]`.
  var path: [String]
  /// The name it is known by in the module (alias, or the last path segment).
  var name: String
  var span: SourceSpan
}

/// A parsed module.
struct Module: Sendable {
  var file: SourceFile
  /// The package path without `data`: `["kubernetes", "admission"]`.
  var package: [String]
  var imports: [Import]
  var rules: [Rule]
  /// True for Rego v1 syntax (the default), false for v0.
  var isV1: Bool
}
