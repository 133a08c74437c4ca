internal import PolicyCore
internal import RegoBuiltins

extension Value {
  /// Scalars and short strings: cheap to hash as a cache key.
  var isScalarArgument: Bool {
    switch self {
    case .null, .bool, .number, .undefined: return true
    case .string(let text): return text.utf8.count <= 64
    default: return false
    }
  }

  /// Scalars, short strings, and composites (keyed by storage identity): cheap to use as a
  /// function cache key.
  var isCacheableArgument: Bool {
    switch self {
    case .null, .bool, .number, .undefined, .array, .object, .set: return true
    case .string(let text): return text.utf8.count <= 64
    }
  }
}

/// The local variables of one rule activation (or query), by slot; `.undefined` means unbound.
///
/// The slots are allocated in the frame object itself (one allocation per activation, where a
/// class holding an array took two); the header is the slot count.
final class Frame: ManagedBuffer<Int, Value> {
  static func make(size: Int) -> Frame {
    let count = max(size, 0)
    let frame = unsafeDowncast(Frame.create(minimumCapacity: count) { _ in count }, to: Frame.self)
    frame.withUnsafeMutablePointerToElements { $0.initialize(repeating: .undefined, count: count) }
    return frame
  }

  deinit {
    withUnsafeMutablePointers { count, elements in _ = elements.deinitialize(count: count.pointee) }
  }

  /// The slots, read and written by index (`frame.slots[i] = v`).
  @inline(__always)
  var slots: Slots { Slots(frame: self) }

  struct Slots {
    unowned(unsafe) let frame: Frame

    @inline(__always)
    subscript(index: Int) -> Value {
      get {
        frame.withUnsafeMutablePointers { count, elements in
          precondition(index >= 0 && index < count.pointee, "frame slot out of range")
          return elements[index]
        }
      }
      nonmutating set {
        frame.withUnsafeMutablePointers { count, elements in
          precondition(index >= 0 && index < count.pointee, "frame slot out of range")
          elements[index] = newValue
        }
      }
    }
  }
}

/// Continuations return true to stop the search (a solution is enough), false to go on.
typealias Continuation = () throws -> Bool
typealias ValueContinuation = (Value) throws -> Bool

/// Top-down evaluation with backtracking over a compiled rule tree, in continuation-passing
/// style: every construct that can produce several solutions (iteration over a reference,
/// unification, rule bodies) calls its continuation once per solution and undoes its bindings
/// when the continuation returns.
final class Interpreter {
  let root: RuleNode
  let dataNode: RuleNode?
  var baseData: Value
  var input: Value
  private(set) var context: BuiltinContext
  var steps: StepCounter
  private(set) var strict: Bool
  var printer: ((String) -> Void)?
  private let initialData: Value
  private let limits: Limits

  /// What an evaluation knows about one rule node, kept in one array indexed by node index (one
  /// allocation per evaluation): its value once computed (reset under `with`), whether it is
  /// being evaluated (met again while in progress means recursion), and how often a function
  /// node has been called.
  private struct NodeState {
    var value: Value?
    var inProgress = false
    var calls: Int32 = 0
  }

  private var nodeState: [NodeState]
  private var functionCache: [FunctionKey: Value] = [:]
  /// `with data.x as v` replacements, by full path (starting with "data").
  private var overrides: [[Value]: Value] = [:]
  /// `with f as g` replacements, by function name or data path.
  private var mocks: [String: Term] = [:]

  /// A function call's cache key. Composite arguments (arrays, objects, sets) are keyed by their
  /// storage, so a call with the same document as before (`input.review`, a container) hits the
  /// cache without hashing the document; an equal copy in other storage is a miss and is simply
  /// recomputed. Scalars and strings hash by value.
  private struct FunctionKey: Hashable {
    var node: ObjectIdentifier
    var arguments: [Value]

    func hash(into hasher: inout Hasher) {
      hasher.combine(node)
      for argument in arguments {
        if let token = argument.storageToken { hasher.combine(token) } else { hasher.combine(argument) }
      }
    }

    static func == (lhs: FunctionKey, rhs: FunctionKey) -> Bool {
      guard lhs.node == rhs.node, lhs.arguments.count == rhs.arguments.count else { return false }
      for (left, right) in zip(lhs.arguments, rhs.arguments) {
        if let a = left.storageToken, let b = right.storageToken {
          if a != b { return false }
        } else if left != right {
          return false
        }
      }
      return true
    }
  }

  init(root: RuleNode, data: Value, input: Value, context: BuiltinContext, limits: Limits, strict: Bool) {
    self.root = root
    self.dataNode = root.children[.string("data")]
    self.baseData = data
    self.input = input
    self.context = context
    self.steps = StepCounter(limits: limits)
    self.strict = strict
    self.nodeState = .filled(NodeState(), count: root.treeSize)
    self.initialData = data
    self.limits = limits
  }

  /// Readies an interpreter that `clear()` emptied for another evaluation.
  func prepare(input: Value, context: BuiltinContext, strict: Bool) {
    self.input = input
    self.context = context
    self.strict = strict
    steps = StepCounter(limits: limits)
  }

  /// Forgets everything an evaluation left (input, rule values, cached calls, `with` state), so
  /// an idle interpreter holds nothing of the last request; the storage is kept for the next.
  func clear() {
    input = .undefined
    baseData = initialData
    printer = nil
    for index in nodeState.indices { nodeState[index] = NodeState() }
    functionCache.removeAll(keepingCapacity: true)
    if !overrides.isEmpty { overrides = [:] }
    if !mocks.isEmpty { mocks = [:] }
  }

  private func clearNodeCache() {
    for index in nodeState.indices { nodeState[index].value = nil }
  }

  // MARK: - Bodies and expressions

  func evalBody(_ body: Body, _ index: Int, _ frame: Frame, _ k: Continuation) throws -> Bool {
    if index == body.count { return try k() }
    return try evalExpr(body[index], frame) {
      try self.evalBody(body, index + 1, frame, k)
    }
  }

  /// Evaluates a top-level query, passing the value of each top-level expression to `k`
  /// (`true` for expressions that are not terms).
  func evalQuery(_ body: Body, _ index: Int, _ frame: Frame, _ values: [Value], _ k: ([Value]) throws -> Bool) throws -> Bool {
    if index == body.count { return try k(values) }
    let expr = body[index]
    if case .term(let term) = expr.kind, !expr.negated, !expr.hasModifiers {
      return try evalTerm(term, frame) { value in
        if case .bool(false) = value { return false }
        var next = values
        next[index] = value
        return try self.evalQuery(body, index + 1, frame, next, k)
      }
    }
    return try evalExpr(expr, frame) {
      try self.evalQuery(body, index + 1, frame, values, k)
    }
  }

  func evalExpr(_ expr: Expr, _ frame: Frame, _ k: Continuation) throws -> Bool {
    try steps.step()
    if expr.hasModifiers { return try evalWith(expr, frame, k) }
    if expr.negated {
      var found = false
      _ = try evalPositive(expr, frame) {
        found = true
        return true
      }
      return found ? false : try k()
    }
    return try evalPositive(expr, frame, k)
  }

  private func evalPositive(_ expr: Expr, _ frame: Frame, _ k: Continuation) throws -> Bool {
    switch expr.kind {
    case .term(let term):
      if case .call(let call) = term {
        return try evalCall(call, frame, asExpression: true) { value in
          if case .bool(false) = value { return false }
          return try k()
        }
      }
      return try evalTerm(term, frame) { value in
        if case .bool(false) = value { return false }
        return try k()
      }
    case .unify(let left, let right), .assign(let left, let right):
      return try unify(left, right, frame, k)
    case .some:
      return try k()
    case .someIn(let key, let value, let collection):
      return try evalTerm(collection, frame) { domain in
        try self.iterate(domain) { elementKey, element in
          try self.unifyValue(value, element, frame) {
            guard let key else { return try k() }
            return try self.unifyValue(key, elementKey, frame, k)
          }
        }
      }
    case .every(let key, let value, let domain, let body):
      var evaluatedDomain = false
      var allHold = true
      _ = try evalTerm(domain, frame) { domainValue in
        evaluatedDomain = true
        switch domainValue {
        case .array, .object, .set: break
        default:
          // `every` over a value that is not a collection is false, as in OPA.
          allHold = false
          return true
        }
        _ = try self.iterate(domainValue) { elementKey, element in
          var holds = false
          _ = try self.unifyValue(value, element, frame) {
            let check: Continuation = {
              holds = try self.evalBody(body, 0, frame) { true }
              return true
            }
            guard let key else { return try check() }
            return try self.unifyValue(key, elementKey, frame, check)
          }
          if !holds {
            allHold = false
            return true
          }
          return false
        }
        return true
      }
      if !evaluatedDomain { return false }
      return allHold ? try k() : false
    }
  }

  /// Calls `body` with each (key, element) of a collection: array index/element, object
  /// key/value, set element/element. Scalars have no elements.
  func iterate(_ collection: Value, _ body: (Value, Value) throws -> Bool) throws -> Bool {
    // Each element visited is a step, so a huge iteration cannot escape the step limit.
    switch collection {
    case .array(let elements):
      for (index, element) in elements.enumerated() {
        try steps.step()
        if try body(.int(index), element) { return true }
      }
    case .object(let object):
      for entry in object {
        try steps.step()
        if try body(entry.key, entry.value) { return true }
      }
    case .set(let set):
      for element in set {
        try steps.step()
        if try body(element, element) { return true }
      }
    default:
      break
    }
    return false
  }

  // MARK: - with

  private func evalWith(_ expr: Expr, _ frame: Frame, _ k: Continuation) throws -> Bool {
    var inner = expr
    inner.withModifiers = []
    // Evaluate the replacement values first (in the unmodified state).
    var values: [Value?] = []
    for modifier in expr.withModifiers {
      if case .functionReference = modifier.value {
        values.append(nil)
        continue
      }
      var found: Value? = nil
      _ = try evalTerm(modifier.value, frame) { value in
        found = value
        return true
      }
      guard let value = found else { return false }
      values.append(value)
    }
    let saved = (input, baseData, overrides, mocks, nodeState, functionCache)
    func restore() {
      (input, baseData, overrides, mocks, nodeState, functionCache) = saved
    }
    for (modifier, value) in zip(expr.withModifiers, values) {
      try apply(modifier, value)
    }
    clearNodeCache()
    functionCache = [:]
    let modified = (input, baseData, overrides, mocks)
    defer { restore() }
    return try evalExpr(inner, frame) {
      // The continuation runs in the unmodified state.
      let current = (self.nodeState, self.functionCache)
      restore()
      defer {
        (self.input, self.baseData, self.overrides, self.mocks) = modified
        (self.nodeState, self.functionCache) = current
      }
      return try k()
    }
  }

  private func apply(_ modifier: WithModifier, _ value: Value?) throws {
    switch modifier.target {
    case .input:
      input = value ?? .undefined
    case .ref(.input, let path):
      let keys = try groundPath(path, modifier.span)
      input = patch(input, keys, value ?? .undefined)
    case .data:
      if let value { baseData = value }
    case .ref(.data, let path):
      let keys = try groundPath(path, modifier.span)
      let full = [Value.string("data")] + keys
      if let node = root.descendant(full), node.isFunction {
        mocks[full.map { $0.stringValue ?? $0.json }.joined(separator: ".")] = replacement(modifier.value, value)
        return
      }
      guard let value else { return }
      overrides[full] = value
      baseData = patch(baseData, keys, value)
    case .scalar(.string(let name)):
      mocks[name] = replacement(modifier.value, value)
    default:
      throw Diagnostic(.regoTypeError, "with keyword target must reference existing input, data, or a function", span: modifier.span)
    }
  }

  private func replacement(_ term: Term, _ value: Value?) -> Term {
    if case .functionReference = term { return term }
    return .scalar(value ?? .undefined)
  }

  private func groundPath(_ path: [Term], _ span: SourceSpan) throws -> [Value] {
    var keys: [Value] = []
    for part in path {
      guard case .scalar(let key) = part else {
        throw Diagnostic(.regoTypeError, "with keyword target must be a ground reference", span: span)
      }
      keys.append(key)
    }
    return keys
  }

  /// Returns `document` with `value` at `path`, creating objects on the way.
  private func patch(_ document: Value, _ path: some Collection<Value>, _ value: Value) -> Value {
    guard let first = path.first else { return value }
    var object = document.objectValue ?? ValueObject()
    let child = object[first] ?? .undefined
    object.set(patch(child, path.dropFirst(), value), forKey: first)
    return .object(object)
  }

  // MARK: - Terms

  func evalTerm(_ term: Term, _ frame: Frame, _ k: ValueContinuation) throws -> Bool {
    switch term {
    case .scalar(let value):
      return try k(value)
    case .local(let slot, let name):
      let value = frame.slots[slot]
      guard value.isDefined else {
        throw Diagnostic(.regoUnsafeVarError, "var \(name) is unsafe")
      }
      return try k(value)
    case .input:
      return input.isDefined ? try k(input) : false
    case .data:
      let value = try nodeDocument(dataNode, baseData)
      return try k(value)
    case .ref(let head, let path):
      if case .data = head { return try evalDataRef(dataNode, baseData, path, 0, frame, k) }
      return try evalTerm(head, frame) { base in
        try self.evalPath(base, path, 0, frame, k)
      }
    case .array(let elements):
      return try evalTerms(elements, frame) { values in try k(.array(values)) }
    case .set(let elements):
      return try evalTerms(elements, frame) { values in try k(.set(ValueSet(values))) }
    case .object(let members):
      var terms: [Term] = .reserved(members.count * 2)
      for (key, value) in members {
        terms.append(key)
        terms.append(value)
      }
      return try evalTerms(terms, frame) { values in
        var entries: [ValueObject.Entry] = .reserved(members.count)
        var index = 0
        while index + 1 < values.count {
          entries.append(ValueObject.Entry(key: values[index], value: values[index + 1]))
          index += 2
        }
        return try k(.object(ValueObject(entries)))
      }
    case .call(let call):
      return try evalCall(call, frame, asExpression: false, k)
    case .arrayComprehension(let head, let body):
      var results: [Value] = []
      _ = try evalBody(body, 0, frame) {
        try self.evalTerm(head, frame) { value in
          results.append(value)
          return false
        }
      }
      return try k(.array(results))
    case .setComprehension(let head, let body):
      var results: [Value] = []
      _ = try evalBody(body, 0, frame) {
        try self.evalTerm(head, frame) { value in
          results.append(value)
          return false
        }
      }
      return try k(.set(ValueSet(results)))
    case .objectComprehension(let keyTerm, let valueTerm, let body):
      var object = ValueObject()
      var conflict = false
      _ = try evalBody(body, 0, frame) {
        try self.evalTerm(keyTerm, frame) { key in
          try self.evalTerm(valueTerm, frame) { value in
            if let existing = object[key], existing != value {
              conflict = true
              return true
            }
            object.set(value, forKey: key)
            return false
          }
        }
      }
      if conflict {
        throw Diagnostic(.evalConflictError, "object keys must be unique")
      }
      return try k(.object(object))
    case .template(let parts):
      var terms: [Term] = []
      for case .expression(let inner) in parts { terms.append(inner) }
      return try evalTermsAllowingUndefined(terms, frame) { values in
        var text = ""
        var index = 0
        for part in parts {
          switch part {
          case .text(let literal): text += literal
          case .expression:
            let value = values[index]
            index += 1
            text += Interpreter.templateText(value)
          }
        }
        return try k(.string(text))
      }
    case .variable(let name):
      throw Diagnostic(.regoUnsafeVarError, "var \(name) is unsafe")
    case .functionReference(let name, _):
      throw Diagnostic(.regoTypeError, "function \(name) used as a value")
    }
  }

  static func templateText(_ value: Value) -> String {
    switch value {
    case .undefined: return "<undefined>"
    case .string(let text): return text
    default: return RegoFormat.string(value)
    }
  }

  /// Evaluates terms left to right, calling `k` with each combination of their values.
  func evalTerms(_ terms: [Term], _ frame: Frame, _ k: ([Value]) throws -> Bool) throws -> Bool {
    // Fast path: terms that need no iteration.
    var direct: [Value] = .reserved(terms.count)
    for term in terms {
      guard let value = immediate(term, frame) else { break }
      direct.append(value)
    }
    if direct.count == terms.count { return try k(direct) }
    return try evalTermsFrom(terms, direct.count, &direct, frame, k)
  }

  /// Appends each value of `terms[index]` to `values` and goes on to the next term. The array is
  /// taken over (not copied) while the term is evaluated, so appending to its reserved capacity
  /// allocates nothing unless `k` kept the array.
  private func evalTermsFrom(_ terms: [Term], _ index: Int, _ values: inout [Value], _ frame: Frame, _ k: ([Value]) throws -> Bool) throws -> Bool {
    if index == terms.count { return try k(values) }
    var local: [Value] = []
    swap(&local, &values)
    defer { swap(&local, &values) }
    return try evalTerm(terms[index], frame) { value in
      local.append(value)
      defer { local.removeLast() }
      return try self.evalTermsFrom(terms, index + 1, &local, frame, k)
    }
  }

  /// Like `evalTerms`, but an undefined term gives `.undefined` instead of no solution
  /// (template strings print `<undefined>`).
  private func evalTermsAllowingUndefined(_ terms: [Term], _ frame: Frame, _ k: ([Value]) throws -> Bool) throws -> Bool {
    var values: [Value] = []
    for term in terms {
      var found: Value = .undefined
      _ = try evalTerm(term, frame) { value in
        found = value
        return true
      }
      values.append(found)
    }
    return try k(values)
  }

  /// The value of a term that needs no evaluation machinery (scalars, bound locals, composites
  /// of those), or nil.
  @inline(__always)
  func immediate(_ term: Term, _ frame: Frame) -> Value? {
    switch term {
    case .scalar(let value): return value
    case .local(let slot, _):
      let value = frame.slots[slot]
      return value.isDefined ? value : nil
    case .array(let elements):
      var values: [Value] = .reserved(elements.count)
      for element in elements {
        guard let value = immediate(element, frame) else { return nil }
        values.append(value)
      }
      return .array(values)
    case .input:
      return input.isDefined ? input : nil
    case .ref(.input, let path):
      return immediatePath(input, path, frame)
    case .ref(.local(let slot, _), let path):
      return immediatePath(frame.slots[slot], path, frame)
    default:
      return nil
    }
  }

  /// Follows a path whose parts need no evaluation (scalars, bound locals) from `value`; nil
  /// when a part needs evaluation or iteration, or the path leads nowhere.
  @inline(__always)
  func immediatePath(_ value: Value, _ path: [Term], _ frame: Frame) -> Value? {
    var current = value
    for part in path {
      guard current.isDefined, let key = immediate(part, frame) else { return nil }
      current = lookup(current, key)
    }
    return current.isDefined ? current : nil
  }

  /// One step down a document: array index, object member, set membership.
  @inline(__always)
  func lookup(_ value: Value, _ key: Value) -> Value {
    switch value {
    case .object(let object):
      if case .string(let name) = key { return object[name] ?? .undefined }
      return object[key] ?? .undefined
    case .array(let elements):
      guard case .number(let number) = key, let index = number.intValue, index >= 0, index < elements.count else {
        return .undefined
      }
      return elements[index]
    case .set(let set):
      return set.contains(key) ? key : .undefined
    default:
      return .undefined
    }
  }

  /// Follows `path[index...]` from `value`, iterating where a path element is an unbound variable.
  func evalPath(_ value: Value, _ path: [Term], _ index: Int, _ frame: Frame, _ k: ValueContinuation) throws -> Bool {
    if index == path.count { return try k(value) }
    let part = path[index]
    if case .scalar(let key) = part {
      let child = lookup(value, key)
      guard child.isDefined else { return false }
      return try evalPath(child, path, index + 1, frame, k)
    }
    if case .local(let slot, _) = part {
      let bound = frame.slots[slot]
      if bound.isDefined {
        let child = lookup(value, bound)
        guard child.isDefined else { return false }
        return try evalPath(child, path, index + 1, frame, k)
      }
      return try iterate(value) { key, element in
        frame.slots[slot] = key
        defer { frame.slots[slot] = .undefined }
        return try self.evalPath(element, path, index + 1, frame, k)
      }
    }
    if isPattern(part, frame) {
      return try iterate(value) { key, element in
        try self.unifyValue(part, key, frame) {
          try self.evalPath(element, path, index + 1, frame, k)
        }
      }
    }
    return try evalTerm(part, frame) { key in
      let child = self.lookup(value, key)
      guard child.isDefined else { return false }
      return try self.evalPath(child, path, index + 1, frame, k)
    }
  }

  // MARK: - data

  /// Like `evalPath`, for base documents: their object keys are strings, so a number in the path
  /// looks up its decimal text (`data[2]` finds key "2"), as OPA's store does.
  private func evalBasePath(_ value: Value, _ path: [Term], _ index: Int, _ frame: Frame, _ k: ValueContinuation) throws -> Bool {
    if index == path.count { return try k(value) }
    if case .object(let object) = value, let key = immediate(path[index], frame), case .number(let number) = key,
      object[key] == nil
    {
      guard let child = object[number.text] else { return false }
      return try evalBasePath(child, path, index + 1, frame, k)
    }
    if case .local(let slot, _) = path[index], !frame.slots[slot].isDefined {
      return try evalPath(value, path, index, frame, k)
    }
    guard let key = immediate(path[index], frame) else { return try evalPath(value, path, index, frame, k) }
    let child = lookup(value, key)
    guard child.isDefined else { return false }
    return try evalBasePath(child, path, index + 1, frame, k)
  }

  /// Follows a path into `data`, evaluating rules where the tree has them and reading base
  /// data elsewhere.
  private func evalDataRef(_ node: RuleNode?, _ base: Value, _ path: [Term], _ index: Int, _ frame: Frame, _ k: ValueContinuation) throws -> Bool {
    guard let node, node.containsRules else {
      guard base.isDefined else { return false }
      return try evalBasePath(base, path, index, frame, k)
    }
    if !overrides.isEmpty, let override = overrides[node.path] {
      return try evalPath(override, path, index, frame, k)
    }
    if node.isRuleNode || !node.objectRules.isEmpty {
      if node.isFunction {
        // A function without parameters named without parentheses is called, as OPA does.
        guard node.parameterCount == 0 else { return false }
        let value = try callFunction(node, [])
        guard value.isDefined else { return false }
        return try evalPath(value, path, index, frame, k)
      }
      let value = try nodeValue(node)
      guard value.isDefined else { return false }
      return try evalPath(value, path, index, frame, k)
    }
    if index == path.count {
      return try k(try nodeDocument(node, base))
    }
    let part = path[index]
    if case .local(let slot, _) = part, !frame.slots[slot].isDefined {
      // Iterate over rule children and base data keys.
      var keys = Set(node.children.keys)
      if case .object(let object) = base { keys.formUnion(object.keys) }
      for key in keys.sorted() {
        frame.slots[slot] = key
        defer { frame.slots[slot] = .undefined }
        if try evalDataRef(node.children[key], lookup(base, key), path, index + 1, frame, k) { return true }
      }
      return false
    }
    return try evalTerm(part, frame) { key in
      var child = self.lookup(base, key)
      if !child.isDefined, case .number(let number) = key { child = self.lookup(base, .string(number.text)) }
      return try self.evalDataRef(node.evaluationChild(key), child, path, index + 1, frame, k)
    }
  }

  /// The whole document at a package or intermediate node: base data merged with every rule
  /// below (undefined rules are left out).
  private func nodeDocument(_ node: RuleNode?, _ base: Value) throws -> Value {
    guard let node, node.containsRules else { return base }
    if !overrides.isEmpty, let override = overrides[node.path] { return override }
    if node.isRuleNode || !node.objectRules.isEmpty { return try nodeValue(node) }
    var object = base.objectValue ?? ValueObject()
    for (key, child) in node.children {
      if child.isFunction { continue }
      let value = try nodeDocument(child, lookup(base, key))
      if value.isDefined { object.set(value, forKey: key) }
    }
    return .object(object)
  }

  // MARK: - Rules

  /// The value of a rule node (cached per evaluation): complete value, partial set or object.
  func nodeValue(_ node: RuleNode) throws -> Value {
    if let cached = nodeState[node.index].value { return cached }
    if !overrides.isEmpty, let override = overrides[node.path] { return override }
    guard !nodeState[node.index].inProgress else {
      throw Diagnostic(.regoRecursionError, "rule \(node.dottedPath) is recursive", span: node.rules.first?.span)
    }
    nodeState[node.index].inProgress = true
    defer { nodeState[node.index].inProgress = false }
    var result: Value = .undefined
    if let first = node.rules.first, first.kind == .partialSet {
      var members: [Value] = []
      for rule in candidateRules(node) {
        try solutions(rule, rule.body) { frame in
          guard let key = rule.key else { return }
          _ = try self.evalTerm(key, frame) { value in
            members.append(value)
            return false
          }
        }
      }
      result = .set(ValueSet(members))
    } else if !node.rules.isEmpty {
      result = try completeValue(node)
    } else if node.defaultRule != nil {
      result = try completeValue(node)
    }
    if !node.objectRules.isEmpty || (!node.children.isEmpty && !node.isRuleNode) {
      var object = result.objectValue ?? ValueObject()
      // Key paths (relative to this node) where object rules placed values: rules below this
      // node must not write into or over them.
      var valuePaths = Set<[Value]>()
      for rule in node.objectRules {
        let suffixStart = node.objectRuleSuffixStart[ObjectIdentifier(rule)] ?? rule.path.count
        let suffix = Array(rule.path[suffixStart...])
        let member = rule.kind == .partialSet ? rule.key : nil
        try solutions(rule, rule.body) { frame in
          _ = try self.evalTerms(suffix, frame) { keys in
            try self.evalTerm(member ?? rule.value, frame) { value in
              if member != nil {
                object = try self.insertMember(object, keys[...], value, rule)
              } else {
                object = try self.insert(object, keys[...], value, rule)
              }
              valuePaths.insert(keys)
              return false
            }
          }
        }
      }
      for (key, child) in node.children where !child.isFunction {
        object = try mergeChild(object, [key], child, valuePaths)
      }
      result = .object(object)
    }
    nodeState[node.index].value = result
    return result
  }

  /// Adds the document of a child node at `path` (relative to the node being built), failing
  /// when it overlaps a value an object rule produced.
  private func mergeChild(_ object: ValueObject, _ path: [Value], _ child: RuleNode, _ valuePaths: Set<[Value]>) throws -> ValueObject {
    let overlaps = valuePaths.contains { valuePath in
      valuePath.starts(with: path) && (child.isRuleNode || valuePath.count == path.count)
        || path.starts(with: valuePath)
    }
    if child.isRuleNode || !child.objectRules.isEmpty {
      let value = try nodeValue(child)
      guard value.isDefined else { return object }
      if overlaps {
        // Allowed only when the other rule already put the same value there.
        var existing: Value = .object(object)
        for key in path { existing = lookup(existing, key) }
        if case .set(let left) = existing, case .set(let right) = value {
          return patch(object, path, .set(left.union(right)))
        }
        if existing != value {
          throw Diagnostic(.evalConflictError, "object keys must be unique", span: child.rules.first?.span)
        }
      }
      return patch(object, path, value)
    }
    var result = object
    for (key, grandchild) in child.children where !grandchild.isFunction {
      result = try mergeChild(result, path + [key], grandchild, valuePaths)
    }
    return result
  }

  /// Sets `value` at `path` inside `object`, creating objects on the way.
  private func patch(_ object: ValueObject, _ path: [Value], _ value: Value) -> ValueObject {
    guard let first = path.first else { return object }
    var result = object
    if path.count == 1 {
      result.set(value, forKey: first)
      return result
    }
    let inner = result[first]?.objectValue ?? ValueObject()
    result.set(.object(patch(inner, Array(path.dropFirst()), value)), forKey: first)
    return result
  }

  private func merge(_ left: ValueObject, _ right: ValueObject) -> ValueObject {
    var result = left
    for entry in right {
      if case .object(let a) = result[entry.key] ?? .undefined, case .object(let b) = entry.value {
        result.set(.object(merge(a, b)), forKey: entry.key)
      } else {
        result.set(entry.value, forKey: entry.key)
      }
    }
    return result
  }

  /// Puts `value` at `keys` inside `object`, failing on a conflicting value.
  private func insert(_ object: ValueObject, _ keys: ArraySlice<Value>, _ value: Value, _ rule: Rule) throws -> ValueObject {
    guard let first = keys.first else { return object }
    var result = object
    if keys.count == 1 {
      if let existing = result[first], existing != value {
        throw Diagnostic(.evalConflictError, "object keys must be unique", span: rule.span)
      }
      result.set(value, forKey: first)
      return result
    }
    let existing = result[first] ?? .object(ValueObject())
    guard case .object(let inner) = existing else {
      throw Diagnostic(.evalConflictError, "object keys must be unique", span: rule.span)
    }
    result.set(.object(try insert(inner, keys.dropFirst(), value, rule)), forKey: first)
    return result
  }

  /// Adds `member` to the set at `keys` inside `object` (nested partial sets).
  private func insertMember(_ object: ValueObject, _ keys: ArraySlice<Value>, _ member: Value, _ rule: Rule) throws -> ValueObject {
    guard let first = keys.first else { return object }
    var result = object
    if keys.count == 1 {
      var set = ValueSet()
      if let existing = result[first] {
        guard case .set(let current) = existing else {
          throw Diagnostic(.evalConflictError, "object keys must be unique", span: rule.span)
        }
        set = current
      }
      set.insert(member)
      result.set(.set(set), forKey: first)
      return result
    }
    let existing = result[first] ?? .object(ValueObject())
    guard case .object(let inner) = existing else {
      throw Diagnostic(.evalConflictError, "object keys must be unique", span: rule.span)
    }
    result.set(.object(try insertMember(inner, keys.dropFirst(), member, rule)), forKey: first)
    return result
  }

  /// The rules of a node worth evaluating: all of them, or those the node's index keeps for
  /// the current input.
  private func candidateRules(_ node: RuleNode) -> [Rule] {
    guard let index = node.ruleIndex else { return node.rules }
    var value = input
    for key in index.path {
      guard case .object(let object) = value, let child = object[key] else {
        value = .undefined
        break
      }
      value = child
    }
    return index.candidates(for: value).map { node.rules[$0] }
  }

  /// The single value of complete rules at a node, trying `else` branches and the default.
  private func completeValue(_ node: RuleNode) throws -> Value {
    var result: Value = .undefined
    var conflictSpan: SourceSpan? = nil
    for rule in candidateRules(node) {
      let value = try ruleValue(rule)
      guard value.isDefined else { continue }
      if result.isDefined, result != value {
        conflictSpan = rule.span
        break
      }
      result = value
    }
    if let conflictSpan {
      throw Diagnostic(.evalConflictError, "complete rules must not produce multiple outputs", span: conflictSpan)
    }
    if !result.isDefined, let fallback = node.defaultRule {
      let frame = Frame.make(size: fallback.frameSize)
      _ = try evalTerm(fallback.value, frame) { value in
        result = value
        return true
      }
    }
    return result
  }

  /// The value one complete rule produces (with its else chain), or undefined.
  private func ruleValue(_ rule: Rule) throws -> Value {
    var result: Value = .undefined
    var conflict = false
    try solutions(rule, rule.body) { frame in
      _ = try self.evalTerm(rule.value, frame) { value in
        if result.isDefined, result != value { conflict = true }
        result = value
        return false
      }
    }
    if conflict {
      throw Diagnostic(.evalConflictError, "complete rules must not produce multiple outputs", span: rule.span)
    }
    if result.isDefined { return result }
    for branch in rule.elseBranches {
      try solutions(rule, branch.body) { frame in
        _ = try self.evalTerm(branch.value, frame) { value in
          if result.isDefined, result != value { conflict = true }
          result = value
          return false
        }
      }
      if conflict {
        throw Diagnostic(.evalConflictError, "complete rules must not produce multiple outputs", span: branch.span)
      }
      if result.isDefined { return result }
    }
    return result
  }

  /// Runs `body` of `rule` in a fresh frame, calling `each` for every solution.
  private func solutions(_ rule: Rule, _ body: Body, frame: Frame? = nil, _ each: (Frame) throws -> Void) throws {
    let frame = frame ?? Frame.make(size: rule.frameSize)
    _ = try evalBody(body, 0, frame) {
      try each(frame)
      return false
    }
  }

  // MARK: - Calls

  func evalCall(_ call: Call, _ frame: Frame, asExpression: Bool, _ k: ValueContinuation) throws -> Bool {
    var target = call.resolved
    var mockValue: Value? = nil
    var usesMock = false
    if !mocks.isEmpty {
      let key: String
      if case .function(let function) = target {
        key = function.path.map { $0.stringValue ?? $0.json }.joined(separator: ".")
      } else {
        key = call.name
      }
      if let mock = mocks[key] ?? mocks[call.name] {
        switch mock {
        case .functionReference(_, let replacement): target = replacement
        case .scalar(let value): mockValue = value
        default: break
        }
        usesMock = true
      }
    }
    let arity = self.arity(of: target, call)
    let hasOutput = arity.map { call.arguments.count == $0 + 1 } ?? false
    let inputs = hasOutput ? Array(call.arguments.dropLast()) : call.arguments
    return try evalArguments(inputs, frame) { arguments in
      if case .special(let name) = target, name == "walk" {
        return try self.walk(arguments.first ?? .undefined) { pair in
          if hasOutput, let last = call.arguments.last {
            return try self.unifyValue(last, pair, frame) { try k(.bool(true)) }
          }
          return try k(pair)
        }
      }
      let result: Value
      if let mockValue {
        result = mockValue
      } else if usesMock {
        // A replacement runs without mocks: inside it, the mocked names mean the originals.
        let savedMocks = self.mocks
        let savedCache = self.functionCache
        self.mocks = [:]
        self.functionCache = [:]
        defer {
          self.mocks = savedMocks
          self.functionCache = savedCache
        }
        result = try self.invoke(target, call, arguments)
      } else {
        result = try self.invoke(target, call, arguments)
      }
      guard result.isDefined else { return false }
      if hasOutput, let last = call.arguments.last {
        return try self.unifyValue(last, result, frame) { try k(.bool(true)) }
      }
      return try k(result)
    }
  }

  /// Evaluates call arguments; a bare variable that another argument binds (`x == xs[x]`) is
  /// read after the others.
  private func evalArguments(_ terms: [Term], _ frame: Frame, _ k: ([Value]) throws -> Bool) throws -> Bool {
    let needsReordering = terms.contains { term in
      if case .local(let slot, _) = term { return !frame.slots[slot].isDefined }
      return false
    }
    if !needsReordering { return try evalTerms(terms, frame, k) }
    let deferred = terms.indices.filter { index in
      if case .local(let slot, _) = terms[index], !frame.slots[slot].isDefined { return true }
      return false
    }
    if deferred.isEmpty { return try evalTerms(terms, frame, k) }
    let order = terms.indices.filter { !deferred.contains($0) } + deferred
    let reordered = order.map { terms[$0] }
    return try evalTerms(reordered, frame) { values in
      var arguments: [Value] = .filled(.undefined, count: terms.count)
      for (position, index) in order.enumerated() { arguments[index] = values[position] }
      return try k(arguments)
    }
  }

  private func arity(of target: CallTarget, _ call: Call) -> Int? {
    switch target {
    case .builtin(let builtin): return builtin.arity
    case .function(let function):
      return function.node.parameterCount
    case .special(let name): return specialBuiltins[name] ?? nil
    case .unresolved: return nil
    }
  }

  private func invoke(_ target: CallTarget, _ call: Call, _ arguments: [Value]) throws -> Value {
    switch target {
    case .builtin(let builtin):
      let implementation = builtin.implementation
      let context = self.context
      let outcome = Result { () throws(BuiltinError) -> Value in
        try implementation(BuiltinArguments(arguments), context)
      }
      switch outcome {
      case .success(let value):
        return value
      case .failure(let error):
        if strict {
          throw Diagnostic(error.code, "\(builtin.name): \(error.message)", span: call.span)
        }
        return .undefined
      }
    case .function(let function):
      return try callFunction(function.node, arguments)
    case .special(let name):
      return try special(name, arguments, call)
    case .unresolved:
      throw Diagnostic(.regoTypeError, "undefined function \(call.name)", span: call.span)
    }
  }


  private func callFunction(_ node: RuleNode, _ arguments: [Value]) throws -> Value {
    // Results are cached only for small arguments: hashing a whole admission request on every
    // call cost more than re-evaluating the function (measured on the Gatekeeper corpus).
    // Scalars are always cached; composite arguments only once the function has been called
    // before in this evaluation (a one-off call would pay for the insert and never hit).
    nodeState[node.index].calls &+= 1
    let cacheable =
      nodeState[node.index].calls > 1 ? arguments.allSatisfy(\.isCacheableArgument) : arguments.allSatisfy(\.isScalarArgument)
    let key = FunctionKey(node: ObjectIdentifier(node), arguments: cacheable ? arguments : [])
    if cacheable, let cached = functionCache[key] { return cached }
    guard !nodeState[node.index].inProgress else {
      throw Diagnostic(.regoRecursionError, "function \(node.dottedPath) is recursive", span: node.rules.first?.span)
    }
    nodeState[node.index].inProgress = true
    defer { nodeState[node.index].inProgress = false }
    var result: Value = .undefined
    var conflictSpan: SourceSpan? = nil
    for rule in node.rules {
      var ruleResult: Value = .undefined
      let frame = Frame.make(size: rule.frameSize)
      _ = try bindParameters(rule.parameters, arguments, 0, frame) {
        _ = try self.evalBody(rule.body, 0, frame) {
          try self.evalTerm(rule.value, frame) { value in
            if ruleResult.isDefined, ruleResult != value { conflictSpan = rule.span }
            ruleResult = value
            return false
          }
        }
        if !ruleResult.isDefined {
          for branch in rule.elseBranches {
            _ = try self.evalBody(branch.body, 0, frame) {
              try self.evalTerm(branch.value, frame) { value in
                if ruleResult.isDefined, ruleResult != value { conflictSpan = rule.span }
                ruleResult = value
                return false
              }
            }
            if ruleResult.isDefined { break }
          }
        }
        return false
      }
      if ruleResult.isDefined {
        if result.isDefined, result != ruleResult { conflictSpan = rule.span }
        result = ruleResult
      }
      if conflictSpan != nil { break }
    }
    if let conflictSpan {
      throw Diagnostic(.evalConflictError, "functions must not produce multiple outputs for same inputs", span: conflictSpan)
    }
    if !result.isDefined, let fallback = node.defaultRule {
      let frame = Frame.make(size: fallback.frameSize)
      _ = try evalTerm(fallback.value, frame) { value in
        result = value
        return true
      }
    }
    if cacheable { functionCache[key] = result }
    return result
  }

  private func bindParameters(_ parameters: [Term], _ arguments: [Value], _ index: Int, _ frame: Frame, _ k: Continuation) throws -> Bool {
    if index == parameters.count || index == arguments.count { return try k() }
    return try unifyValue(parameters[index], arguments[index], frame) {
      try self.bindParameters(parameters, arguments, index + 1, frame, k)
    }
  }

  // MARK: - Builtins the interpreter implements

  private func special(_ name: String, _ arguments: [Value], _ call: Call) throws -> Value {
    switch name {
    case "print", "internal.print":
      let text = arguments.map { value -> String in
        if case .string(let string) = value { return string }
        if case .array(let values) = value, name == "internal.print" {
          return values.map { RegoFormat.string($0) }.joined(separator: " ")
        }
        return RegoFormat.string(value)
      }.joined(separator: " ")
      printer?(text)
      return .bool(true)
    case "trace":
      return .bool(true)
    case "opa.runtime":
      // No runtime configuration is exposed to policies.
      return .object(ValueObject())
    case "time.now_ns":
      return .int(Int(context.now))
    default:
      throw Diagnostic(.regoTypeError, "unsupported builtin \(name)", span: call.span)
    }
  }

  /// `walk(x)`: every [path, value] pair of a document, parents before children.
  private func walk(_ value: Value, _ k: ValueContinuation) throws -> Bool {
    var path: [Value] = []
    func visit(_ value: Value) throws -> Bool {
      if try k(.array([.array(path), value])) { return true }
      return try iterate(value) { key, element in
        path.append(key)
        defer { path.removeLast() }
        return try visit(element)
      }
    }
    return try visit(value)
  }

  // MARK: - Unification

  /// True when the term has unbound variables outside reference positions (it can only be
  /// matched, not evaluated).
  func isPattern(_ term: Term, _ frame: Frame) -> Bool {
    switch term {
    case .local(let slot, _): return !frame.slots[slot].isDefined
    case .array(let elements): return elements.contains { isPattern($0, frame) }
    case .object(let members): return members.contains { isPattern($0.1, frame) }
    default: return false
    }
  }

  func unify(_ left: Term, _ right: Term, _ frame: Frame, _ k: Continuation) throws -> Bool {
    // The common `x := expr` / `x = expr` with `x` unbound: bind each value of the right side.
    if case .local(let slot, _) = left, !frame.slots[slot].isDefined, !isPattern(right, frame) {
      return try evalTerm(right, frame) { value in
        frame.slots[slot] = value
        defer { frame.slots[slot] = .undefined }
        return try k()
      }
    }
    let leftPattern = isPattern(left, frame)
    let rightPattern = isPattern(right, frame)
    switch (leftPattern, rightPattern) {
    case (false, false):
      return try evalTerm(left, frame) { a in
        try self.evalTerm(right, frame) { b in
          a == b ? try k() : false
        }
      }
    case (true, false):
      return try evalTerm(right, frame) { b in try self.unifyValue(left, b, frame, k) }
    case (false, true):
      return try evalTerm(left, frame) { a in try self.unifyValue(right, a, frame, k) }
    case (true, true):
      if case .array(let a) = left, case .array(let b) = right {
        guard a.count == b.count else { return false }
        return try unifyPairs(Array(zip(a, b)), 0, frame, k)
      }
      if case .object(let a) = left, case .object(let b) = right {
        guard a.count == b.count else { return false }
        var pairs: [(Term, Term)] = []
        for (keyA, valueA) in a {
          guard let keyValue = immediate(keyA, frame),
            let match = b.first(where: { immediate($0.0, frame) == keyValue })
          else { return false }
          pairs.append((valueA, match.1))
        }
        return try unifyPairs(pairs, 0, frame, k)
      }
      throw Diagnostic(.regoUnsafeVarError, "var \(variableName(left) ?? variableName(right) ?? "_") is unsafe")
    }
  }

  private func variableName(_ term: Term) -> String? {
    if case .local(_, let name) = term { return name }
    return nil
  }

  private func unifyPairs(_ pairs: [(Term, Term)], _ index: Int, _ frame: Frame, _ k: Continuation) throws -> Bool {
    if index == pairs.count { return try k() }
    return try unify(pairs[index].0, pairs[index].1, frame) {
      try self.unifyPairs(pairs, index + 1, frame, k)
    }
  }

  /// Matches a term against a value, binding its unbound variables.
  func unifyValue(_ pattern: Term, _ value: Value, _ frame: Frame, _ k: Continuation) throws -> Bool {
    switch pattern {
    case .local(let slot, _):
      let current = frame.slots[slot]
      if current.isDefined { return current == value ? try k() : false }
      frame.slots[slot] = value
      defer { frame.slots[slot] = .undefined }
      return try k()
    case .array(let elements) where isPattern(pattern, frame):
      guard case .array(let values) = value, values.count == elements.count else { return false }
      return try unifyElements(elements, values, 0, frame, k)
    case .object(let members) where isPattern(pattern, frame):
      guard case .object(let object) = value, object.count == members.count else { return false }
      var keys: [Value] = []
      for (keyTerm, _) in members {
        var key: Value = .undefined
        _ = try evalTerm(keyTerm, frame) { evaluated in
          key = evaluated
          return true
        }
        guard key.isDefined, object[key] != nil else { return false }
        keys.append(key)
      }
      let terms = members.map(\.1)
      let values = keys.map { object[$0] ?? .undefined }
      return try unifyElements(terms, values, 0, frame, k)
    default:
      return try evalTerm(pattern, frame) { evaluated in
        evaluated == value ? try k() : false
      }
    }
  }

  private func unifyElements(_ terms: [Term], _ values: [Value], _ index: Int, _ frame: Frame, _ k: Continuation) throws -> Bool {
    if index == terms.count { return try k() }
    return try unifyValue(terms[index], values[index], frame) {
      try self.unifyElements(terms, values, index + 1, frame, k)
    }
  }
}
