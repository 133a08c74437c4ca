internal import PolicyCore
internal import RegoBuiltins

/// A Rego term: a value, a variable, a reference, a composite, a call or a comprehension.
indirect enum Term: Sendable {
  /// null, boolean, number or string.
  case scalar(Value)
  /// A variable before resolution (a local, a rule of the package, an import, `input`, `data`).
  case variable(String)
  /// A reference: a head followed by a path (`input.request.kind`, `xs[i]`, `f(x)[0]`).
  case ref(Term, [Term])
  case array([Term])
  case object([(Term, Term)])
  case set([Term])
  /// A function or builtin call; `name` is the dotted name (`strings.replace_n`, `data.lib.f`).
  case call(Call)
  case arrayComprehension(Term, Body)
  case setComprehension(Term, Body)
  case objectComprehension(Term, Term, Body)
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
  case functionReference(String, CallTarget)

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
struct Call: Sendable {
  /// Dotted name as written (`count`, `strings.replace_n`, `data.lib.f`, `f`).
  var name: String
  /// The name's reference form, for user functions (`data.lib.f` → a ref into data).
  var target: Term
  var arguments: [Term]
  var span: SourceSpan
  /// What the call invokes, set by the compiler.
  var resolved: CallTarget = .unresolved
}

/// The function a call invokes.
enum CallTarget: Sendable {
  case unresolved
  /// A builtin from the registry.
  case builtin(Builtin)
  /// A user-defined function at this data path.
  case function([Value])
  /// A builtin the interpreter implements itself (needs evaluation state): `print`, `walk`, ...
  case special(String)
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
struct Expr: Sendable {
  var kind: ExprKind
  var negated: Bool = false
  var withModifiers: [WithModifier] = []
  var span: SourceSpan
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
