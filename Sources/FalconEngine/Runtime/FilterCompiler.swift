public import FalconEvents
internal import PolicyCore

/// A compiled condition: true when the event satisfies it.
public typealias EventPredicate = @Sendable (Event) -> Bool

/// A compiled condition over an evaluation context (the field cache) and the event, which is
/// passed borrowed down the tree so reading a field copies (retains) nothing of the event.
typealias ContextTest = @Sendable (EvaluationContext, Event) -> Bool

/// Reads a value for a comparison from an evaluation context and the event.
typealias ContextReader = @Sendable (EvaluationContext, Event) -> FieldValue

/// A test stored in an array: wrapping the closure in a struct keeps it at its natural
/// abstraction (an array of bare closures calls each through reabstraction thunks).
struct TestBox: @unchecked Sendable {
  let run: ContextTest
}

/// A reader stored in an array (see ``TestBox``).
struct ReaderBox: @unchecked Sendable {
  let read: ContextReader
}

/// Numbers the field references of compiled conditions, so each distinct field (with its
/// argument) has one cache slot per evaluation.
final class SlotRegistry: @unchecked Sendable {
  // Only mutated while compiling, which happens on one thread before any evaluation.
  private var numbers: [String: Int] = [:]
  private var memoNumbers: [String: Int] = [:]
  /// Canonical strings of the checks and sub-conditions that occur more than once in the
  /// rules being compiled: their results are cached per event.
  var sharedConditions: Set<String> = []

  var count: Int { numbers.count }
  var memoCount: Int { memoNumbers.count }

  func memoSlot(for key: String) -> Int {
    if let number = memoNumbers[key] { return number }
    let number = memoNumbers.count
    memoNumbers[key] = number
    return number
  }

  func slot(for key: String) -> Int {
    if let number = numbers[key] { return number }
    let number = numbers.count
    numbers[key] = number
    return number
  }
}

/// One event being evaluated, with the values of the fields already read: a field several
/// rules (or several checks of one rule) read is extracted once per event.
///
/// The cache lives in manually managed memory (no exclusivity checks or copy-on-write on the
/// hot path); the context is confined to the thread evaluating it.
final class EvaluationContext {
  private let values: UnsafeMutablePointer<FieldValue>
  private let stamps: UnsafeMutablePointer<UInt32>
  private let slotCount: Int
  private let results: UnsafeMutablePointer<Bool>
  private let resultStamps: UnsafeMutablePointer<UInt32>
  private let memoCount: Int
  @exclusivity(unchecked) private var generation: UInt32 = 1
  /// Per slot, where the text value's bytes are in ``arena`` (offset; -1 missing, -2 not
  /// text), valid when the slot's text stamp is the generation.
  private let textStamps: UnsafeMutablePointer<UInt32>
  private let textStarts: UnsafeMutablePointer<Int>
  private let textCounts: UnsafeMutablePointer<Int>
  /// The bytes of the text values read this event, copied once per slot so that every
  /// comparison after the first reads them in place.
  @exclusivity(unchecked) private var arena: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private var arenaCapacity = 4096
  @exclusivity(unchecked) private var arenaUsed = 0

  init(slotCount: Int, memoCount: Int = 0) {
    self.slotCount = max(slotCount, 1)
    values = .allocate(capacity: self.slotCount)
    values.initialize(repeating: .none, count: self.slotCount)
    stamps = .allocate(capacity: self.slotCount)
    stamps.initialize(repeating: 0, count: self.slotCount)
    self.memoCount = max(memoCount, 1)
    results = .allocate(capacity: self.memoCount)
    results.initialize(repeating: false, count: self.memoCount)
    resultStamps = .allocate(capacity: self.memoCount)
    resultStamps.initialize(repeating: 0, count: self.memoCount)
    textStamps = .allocate(capacity: self.slotCount)
    textStamps.initialize(repeating: 0, count: self.slotCount)
    textStarts = .allocate(capacity: self.slotCount)
    textStarts.initialize(repeating: -1, count: self.slotCount)
    textCounts = .allocate(capacity: self.slotCount)
    textCounts.initialize(repeating: 0, count: self.slotCount)
    arena = .allocate(capacity: arenaCapacity)
  }

  deinit {
    values.deinitialize(count: slotCount)
    values.deallocate()
    stamps.deallocate()
    results.deallocate()
    resultStamps.deallocate()
    textStamps.deallocate()
    textStarts.deallocate()
    textCounts.deallocate()
    arena.deallocate()
  }

  /// Applies `test` to the bytes of slot `slot`'s value when it is text (as a field of a
  /// string type extracts), read in place; false when the value is missing; `fallback` on
  /// the value itself otherwise (a number from a dynamic argument, a list).
  @inline(__always)
  func testText(
    _ slot: Int, _ extract: FieldExtractor, _ event: Event, _ test: ByteTest, _ fallback: @Sendable (FieldValue) -> Bool
  ) -> Bool {
    precondition(slot < slotCount, "field cache slot out of range")
    if textStamps[slot] != generation { prepareText(slot, extract, event) }
    let start = textStarts[slot]
    if start >= 0 { return test(arena + start, textCounts[slot]) }
    if start == -1 { return false }
    return fallback(value(slot, extract, event))
  }

  /// Reads slot `slot`'s value and, when it is text, copies its bytes into the arena.
  @inline(never)
  private func prepareText(_ slot: Int, _ extract: FieldExtractor, _ event: Event) {
    textStamps[slot] = generation
    switch value(slot, extract, event) {
    case .none:
      textStarts[slot] = -1
    case .string(var text):
      let start = arenaUsed
      text.withUTF8 { bytes in
        if arenaUsed + bytes.count > arenaCapacity {
          var capacity = arenaCapacity * 2
          while arenaUsed + bytes.count > capacity { capacity *= 2 }
          let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
          grown.update(from: arena, count: arenaUsed)
          arena.deallocate()
          arena = grown
          arenaCapacity = capacity
        }
        if let base = bytes.baseAddress { (arena + arenaUsed).update(from: base, count: bytes.count) }
        arenaUsed += bytes.count
      }
      textStarts[slot] = start
      textCounts[slot] = arenaUsed - start
    default:
      textStarts[slot] = -2
    }
  }

  /// The result of shared condition `slot`, evaluated on first use.
  @inline(__always)
  func result(_ slot: Int, _ test: ContextTest, _ event: Event) -> Bool {
    precondition(slot < memoCount, "condition cache slot out of range")
    if resultStamps[slot] == generation { return results[slot] }
    let value = test(self, event)
    results[slot] = value
    resultStamps[slot] = generation
    return value
  }

  /// Starts evaluating another event, forgetting the cached values.
  func reset() {
    generation &+= 1
    arenaUsed = 0
    if generation == 0 {
      stamps.update(repeating: 0, count: slotCount)
      resultStamps.update(repeating: 0, count: memoCount)
      textStamps.update(repeating: 0, count: slotCount)
      generation = 1
    }
  }

  /// The value of cache slot `slot`, extracted on first use.
  @inline(__always)
  func value(_ slot: Int, _ extract: FieldExtractor, _ event: Event) -> FieldValue {
    precondition(slot < slotCount, "field cache slot out of range")
    if stamps[slot] == generation { return values[slot] }
    let value = extract(event)
    values[slot] = value
    stamps[slot] = generation
    return value
  }
}

/// Why a condition could not be compiled into a predicate.
public struct FilterCompileError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// Where, in the condition text.
  public var position: ConditionPosition
  public var description: String { "at \(position): \(message)" }
}

/// Compiles a resolved ``ConditionExpression`` (macros and lists already expanded by the loader)
/// into a closure over ``Event``, with libsinsp's comparison semantics:
///
/// - a field the event does not carry makes every comparison false (`exists` tells), so
///   `not proc.pname = bash` holds for a process without a known parent;
/// - string operators work on bytes (`icontains`, `iglob` fold ASCII case), `glob` is fnmatch,
///   `pmatch` a component-wise path prefix, `regex` a whole-string match;
/// - numbers compare as numbers of the field's type, `PT_IPNET` fields match networks,
///   `in` on a list field asks that every value is in the set, `intersects` that one is;
/// - `oneof`/`anyof`/`allof` apply the operator to each listed value and count the matches;
/// - transformers `tolower`, `toupper`, `b64`, `basename`, `len`, `join`, `concat`, `getopt`,
///   and `val()` for field-to-field comparisons.
public struct FilterCompiler {
  /// Where fields are looked up.
  public let fields: FalconFieldTable
  /// The cache slot of every field reference compiled so far (shared by copies of the
  /// compiler, so every rule of an engine uses one numbering).
  let slots = SlotRegistry()

  /// Creates a compiler over `fields`.
  public init(fields: FalconFieldTable) {
    self.fields = fields
  }

  /// The predicate for `condition` (each call evaluates with a fresh field cache).
  public func compile(_ condition: ConditionExpression) throws(FilterCompileError) -> EventPredicate {
    let compiled = try compileTest(condition, knownType: nil)
    let slots = self.slots
    switch compiled {
    case .constant(let value): return { _ in value }
    case .test(let test):
      return { event in test(EvaluationContext(slotCount: slots.count, memoCount: slots.memoCount), event) }
    }
  }

  /// A compiled node: a constant when the result is known at compile time (an `evt.type` test
  /// for an event type the rule is specialised for), else a test.
  enum Compiled {
    case constant(Bool)
    case test(ContextTest)
  }

  /// Compiles `condition`; when `knownType` is given the result is only used for events of that
  /// type, so `evt.type` comparisons fold to constants. Likewise `knownName`: the result is only
  /// used for events whose `proc.name` is present and compares with every constant of the
  /// condition as `knownName` does, so `proc.name` equality and `in` checks fold.
  ///
  /// Memoised sub-conditions share one cache slot across specialisations: within one event
  /// only one specialisation runs, and folding never changes a result for that event.
  func compileTest(_ condition: ConditionExpression, knownType: String?, knownName: String? = nil) throws(FilterCompileError) -> Compiled {
    let compiled = try compileNode(condition, knownType: knownType, knownName: knownName)
    guard case .test(let test) = compiled, !slots.sharedConditions.isEmpty else { return compiled }
    switch condition.kind {
    case .and, .or, .not, .binaryCheck, .unaryCheck:
      let key = condition.canonicalString
      guard slots.sharedConditions.contains(key) else { return compiled }
      let slot = slots.memoSlot(for: key + "\u{0}" + (knownType ?? ""))
      return .test { context, event in context.result(slot, test, event) }
    default:
      return compiled
    }
  }

  /// Marks the checks and sub-conditions that occur more than once in `conditions` as shared,
  /// so ``compileTest(_:knownType:)`` caches their results per event.
  func shareRepeatedConditions(_ conditions: [ConditionExpression]) {
    var seen: [String: Int] = [:]
    for condition in conditions {
      for node in condition.allNodes {
        switch node.kind {
        case .and, .or, .not, .binaryCheck, .unaryCheck: seen[node.canonicalString, default: 0] += 1
        default: break
        }
      }
    }
    slots.sharedConditions = Set(seen.filter { $0.value > 1 }.keys)
  }

  private func compileNode(_ condition: ConditionExpression, knownType: String?, knownName: String?) throws(FilterCompileError) -> Compiled {
    switch condition.kind {
    case .and(let children), .or(let children):
      let isAnd: Bool
      if case .and = condition.kind { isAnd = true } else { isAnd = false }
      var tests: [TestBox] = []
      let flat = flatten(children, and: isAnd)
      for child in isAnd ? flat : mergeCommandLineContains(flat) {
        switch try compileTest(child, knownType: knownType, knownName: knownName) {
        case .constant(let value):
          if value != isAnd { return .constant(value) }  // false in and, true in or
        case .test(let test): tests.append(TestBox(run: test))
        }
      }
      if tests.isEmpty { return .constant(isAnd) }
      return .test(isAnd ? FilterCompiler.allOf(tests[...]) : FilterCompiler.anyOf(tests[...]))
    case .not(let child):
      switch try compileTest(child, knownType: knownType, knownName: knownName) {
      case .constant(let value): return .constant(!value)
      case .test(let inner): return .test { !inner($0, $1) }
      }
    case .unaryCheck(let left, let op):
      guard op == "exists" else { throw FilterCompileError(message: "unknown unary operator '\(op)'", position: condition.position) }
      let operand = try self.operand(left)
      let read = operand.read
      return .test { read($0, $1).isPresent }
    case .binaryCheck(let left, let op, let modifier, let right):
      if let knownType, modifier == nil, case .field("evt.type", nil) = left.kind, ["=", "==", "!=", "in"].contains(op) {
        switch right.kind {
        case .value(let name): return .constant((name == knownType) != (op == "!="))
        case .list(let names): return .constant(names.contains(knownType) != (op == "!="))
        default: break
        }
      }
      if let knownName, let folded = FilterCompiler.foldName(left: left, op: op, modifier: modifier, right: right, name: knownName) {
        return .constant(folded)
      }
      let general = try comparison(left: left, op: op, modifier: modifier, right: right, at: condition.position)
      if let knownType, ArgumentFormatting.isOpenCall(knownType), modifier == nil, op == "contains", case .value(let needle) = right.kind,
        case .field(let name, let argument) = left.kind, let (definition, key) = fields.resolve(name: name, argument: argument),
        definition.name == "evt.arg", key == "flags", let test = ArgumentFormatting.openFlagsContains(needle, otherwise: general)
      {
        return .test(test)
      }
      return .test(general)
    case .identifier(let name):
      throw FilterCompileError(message: "undefined macro '\(name)'", position: condition.position)
    case .value, .list, .expressionList, .field, .transformer:
      throw FilterCompileError(message: "a value is not a condition", position: condition.position)
    }
  }

  /// The constants of a `proc.name` check that folds when the name is known (`=`, `==`, `!=`
  /// or `in` against values, no modifier), or nil.
  static func nameCheckConstants(_ condition: ConditionExpression) -> [String]? {
    guard case .binaryCheck(let left, let op, nil, let right) = condition.kind, case .field("proc.name", nil) = left.kind else { return nil }
    switch (op, right.kind) {
    case ("=", .value(let text)), ("==", .value(let text)), ("!=", .value(let text)): return [text]
    case ("in", .list(let items)): return items
    default: return nil
    }
  }

  /// The result of a `proc.name` check (see ``nameCheckConstants(_:)``) for a present name.
  static func foldName(left: ConditionExpression, op: String, modifier: ListModifier?, right: ConditionExpression, name: String) -> Bool? {
    guard modifier == nil, case .field("proc.name", nil) = left.kind else { return nil }
    switch (op, right.kind) {
    case ("=", .value(let text)), ("==", .value(let text)): return text.utf8.elementsEqual(name.utf8)
    case ("!=", .value(let text)): return !text.utf8.elementsEqual(name.utf8)
    case ("in", .list(let items)): return items.contains { $0.utf8.elementsEqual(name.utf8) }
    default: return nil
    }
  }

  /// The conjunction of `tests`, short-circuiting in order, as a chain of closures that each
  /// hold at most four tests: a closure's captures are borrowed when it runs, so no test is
  /// retained per call (as reading them from an array would).
  static func allOf(_ tests: ArraySlice<TestBox>) -> ContextTest {
    let base = tests.startIndex
    switch tests.count {
    case 0: return { _, _ in true }
    case 1: return tests[base].run
    case 2:
      let (a, b) = (tests[base].run, tests[base + 1].run)
      return { a($0, $1) && b($0, $1) }
    case 3:
      let (a, b, c) = (tests[base].run, tests[base + 1].run, tests[base + 2].run)
      return { a($0, $1) && b($0, $1) && c($0, $1) }
    case 4:
      let (a, b, c, d) = (tests[base].run, tests[base + 1].run, tests[base + 2].run, tests[base + 3].run)
      return { a($0, $1) && b($0, $1) && c($0, $1) && d($0, $1) }
    default:
      let (a, b, c) = (tests[base].run, tests[base + 1].run, tests[base + 2].run)
      let rest = allOf(tests[(base + 3)...])
      return { a($0, $1) && b($0, $1) && c($0, $1) && rest($0, $1) }
    }
  }

  /// The disjunction of `tests`, short-circuiting in order (see ``allOf(_:)``).
  static func anyOf(_ tests: ArraySlice<TestBox>) -> ContextTest {
    let base = tests.startIndex
    switch tests.count {
    case 0: return { _, _ in false }
    case 1: return tests[base].run
    case 2:
      let (a, b) = (tests[base].run, tests[base + 1].run)
      return { a($0, $1) || b($0, $1) }
    case 3:
      let (a, b, c) = (tests[base].run, tests[base + 1].run, tests[base + 2].run)
      return { a($0, $1) || b($0, $1) || c($0, $1) }
    case 4:
      let (a, b, c, d) = (tests[base].run, tests[base + 1].run, tests[base + 2].run, tests[base + 3].run)
      return { a($0, $1) || b($0, $1) || c($0, $1) || d($0, $1) }
    default:
      let (a, b, c) = (tests[base].run, tests[base + 1].run, tests[base + 2].run)
      let rest = anyOf(tests[(base + 3)...])
      return { a($0, $1) || b($0, $1) || c($0, $1) || rest($0, $1) }
    }
  }

  /// How many of `tests` hold, as a tree of closures (see ``allOf(_:)``).
  static func countOf(_ tests: ArraySlice<TestBox>) -> @Sendable (EvaluationContext, Event) -> Int {
    let base = tests.startIndex
    switch tests.count {
    case 0: return { _, _ in 0 }
    case 1:
      let a = tests[base].run
      return { a($0, $1) ? 1 : 0 }
    case 2:
      let (a, b) = (tests[base].run, tests[base + 1].run)
      return { (a($0, $1) ? 1 : 0) + (b($0, $1) ? 1 : 0) }
    case 3:
      let (a, b, c) = (tests[base].run, tests[base + 1].run, tests[base + 2].run)
      return { (a($0, $1) ? 1 : 0) + (b($0, $1) ? 1 : 0) + (c($0, $1) ? 1 : 0) }
    default:
      let middle = base + tests.count / 2
      let first = countOf(tests[base..<middle])
      let second = countOf(tests[middle...])
      return { first($0, $1) + second($0, $1) }
    }
  }

  /// The children of an `or` with its `proc.cmdline contains "X"` checks (single constants,
  /// no spaces) merged into one `proc.cmdline contains (X, Y, ...)` check at the place of the
  /// first: one pass over the command line tries every needle (libsinsp's any-item semantics
  /// make the two forms equivalent, and the checks have no side effects, so order is free).
  private func mergeCommandLineContains(_ children: [ConditionExpression]) -> [ConditionExpression] {
    var needles: [String] = []
    var first: Int?
    var result: [ConditionExpression] = []
    for child in children {
      if case .binaryCheck(let left, "contains", nil, let right) = child.kind, case .field("proc.cmdline", nil) = left.kind,
        case .value(let text) = right.kind, !text.isEmpty, !text.utf8.contains(0x20)
      {
        if first == nil {
          first = result.count
          result.append(child)
        }
        needles.append(text)
        continue
      }
      result.append(child)
    }
    guard let first, needles.count > 1 else { return children }
    let original = result[first]
    guard case .binaryCheck(let left, let op, _, let right) = original.kind else { return children }
    result[first] = ConditionExpression(
      .binaryCheck(left: left, op: op, modifier: nil, right: ConditionExpression(.list(needles), at: right.position)), at: original.position)
    return result
  }

  /// Children of nested same-kind nodes, in order.
  private func flatten(_ children: [ConditionExpression], and: Bool) -> [ConditionExpression] {
    var result: [ConditionExpression] = []
    for child in children {
      switch child.kind {
      case .and(let inner) where and: result += flatten(inner, and: true)
      case .or(let inner) where !and: result += flatten(inner, and: false)
      default: result.append(child)
      }
    }
    return result
  }

  // MARK: Operands

  /// What a check reads: the value producer, the type it compares as, and whether the field
  /// is a list field (`in` then asks for every value).
  struct Operand {
    var read: ContextReader
    var kind: FieldValueKind
    var isListField: Bool
    /// For a field, its cache slot and extractor (text comparisons read its bytes in place).
    var field: (slot: Int, extract: FieldExtractor)? = nil
  }

  func operand(_ node: ConditionExpression) throws(FilterCompileError) -> Operand {
    switch node.kind {
    case .field(let name, let argument):
      guard let (definition, resolvedArgument) = fields.resolve(name: name, argument: argument) else {
        throw FilterCompileError(message: "unknown field '\(name)'", position: node.position)
      }
      guard let extract = definition.extractor(argument: resolvedArgument) else {
        throw FilterCompileError(message: "invalid argument for field '\(name)'", position: node.position)
      }
      let slot = slots.slot(for: definition.name + "\u{0}" + (resolvedArgument ?? ""))
      let read: ContextReader = { $0.value(slot, extract, $1) }
      return Operand(
        read: read, kind: FieldValueKind(typeName: definition.type), isListField: definition.extraFlags.contains(.isList), field: (slot, extract))
    case .value(let text):
      return Operand(read: { _, _ in .string(text) }, kind: .string, isListField: false)
    case .list(let items):
      return Operand(read: { _, _ in .list(items) }, kind: .string, isListField: true)
    case .expressionList(let items):
      let reads = try items.map { (item) throws(FilterCompileError) in ReaderBox(read: try operand(item).read) }
      return Operand(
        read: { context, event in
          var values: [String] = []
          for read in reads {
            switch read.read(context, event) {
            case .none: continue
            case .list(let inner): values += inner
            case let value: values.append(value.text ?? "")
            }
          }
          return .list(values)
        }, kind: .string, isListField: true)
    case .transformer(let name, let arguments, let index):
      return try transformer(name, arguments, index: index, at: node.position)
    case .identifier(let name):
      return Operand(read: { _, _ in .string(name) }, kind: .string, isListField: false)
    default:
      throw FilterCompileError(message: "not a field or value", position: node.position)
    }
  }

  private func transformer(_ name: String, _ arguments: [ConditionExpression], index: String?, at position: ConditionPosition) throws(FilterCompileError) -> Operand {
    func single() throws(FilterCompileError) -> Operand {
      guard arguments.count == 1, let argument = arguments.first else {
        throw FilterCompileError(message: "transformer '\(name)' takes one argument", position: position)
      }
      return try operand(argument)
    }
    func mapText(_ input: Operand, _ transform: @escaping @Sendable (String) -> FieldValue) -> Operand {
      let read = input.read
      return Operand(
        read: { context, event in
          switch read(context, event) {
          case .none: return .none
          case .list(let values):
            var mapped: [String] = []
            for value in values {
              if case .string(let text) = transform(value) { mapped.append(text) } else { return .none }
            }
            return .list(mapped)
          case let value: return transform(value.text ?? "")
          }
        }, kind: .string, isListField: input.isListField)
    }
    switch name {
    case "val":
      return try single()
    case "tolower": return mapText(try single()) { .string(StringMatching.lowercased($0)) }
    case "toupper": return mapText(try single()) { .string(StringMatching.uppercased($0)) }
    case "b64":
      return mapText(try single()) { text in
        StringMatching.base64Decode(text).map { .string(String(decoding: $0, as: UTF8.self)) } ?? .none
      }
    case "basename":
      return mapText(try single()) { text in
        guard let slash = text.utf8.lastIndex(of: 0x2f) else { return .string(text) }
        return .string(String(text[text.utf8.index(after: slash)...]))
      }
    case "len":
      let input = try single()
      let read = input.read
      return Operand(
        read: { context, event in
          switch read(context, event) {
          case .none: return .none
          case .list(let values): return .uint(UInt64(values.count))
          case .bytes(let bytes): return .uint(UInt64(bytes.count))
          case let value: return .uint(UInt64((value.text ?? "").utf8.count))
          }
        }, kind: .unsigned(bits: 64), isListField: false)
    case "concat":
      let reads = try arguments.map { (argument) throws(FilterCompileError) in ReaderBox(read: try operand(argument).read) }
      return Operand(
        read: { context, event in
          var text = ""
          for read in reads {
            guard let part = read.read(context, event).text else { return .none }
            text += part
          }
          return .string(text)
        }, kind: .string, isListField: false)
    case "join":
      guard arguments.count == 2 else { throw FilterCompileError(message: "join takes a separator and a list", position: position) }
      let separator = try operand(arguments[0]).read
      let list = try operand(arguments[1]).read
      return Operand(
        read: { context, event in
          guard let glue = separator(context, event).text else { return .none }
          switch list(context, event) {
          case .none: return .none
          case .list(let values): return .string(values.joined(separator: glue))
          case let value: return .string(value.text ?? "")
          }
        }, kind: .string, isListField: false)
    case "getopt":
      guard arguments.count == 2 else { throw FilterCompileError(message: "getopt takes arguments and an option string", position: position) }
      let list = try operand(arguments[0]).read
      let options = try operand(arguments[1]).read
      return Operand(
        read: { context, event in
          guard let optionString = options(context, event).text else { return .none }
          let values: [String]
          switch list(context, event) {
          case .none: return .none
          case .list(let items): values = items
          case let value: values = (value.text ?? "").split(separator: " ").map(String.init)
          }
          let parsed = GetOpt.parse(values, optionString)
          if let index { return .string(parsed.last { $0.option == index }?.value ?? "") }
          return .list(parsed.map(\.value))
        }, kind: .string, isListField: index == nil)
    default:
      throw FilterCompileError(message: "unknown transformer '\(name)'", position: position)
    }
  }

  // MARK: Comparisons

  private func comparison(
    left: ConditionExpression, op: String, modifier: ListModifier?, right: ConditionExpression, at position: ConditionPosition
  ) throws(FilterCompileError) -> ContextTest {
    let lhs = try operand(left)
    let read = lhs.read
    // Field-to-field: the right side is read per event.
    if case .transformer(let name, _, _) = right.kind {
      let rhs = try operand(right)
      let readRight = rhs.read
      let kind = lhs.kind
      let isList = lhs.isListField
      _ = name
      return { context, event in
        let value = read(context, event)
        guard value.isPresent else { return false }
        let other = readRight(context, event)
        guard other.isPresent else { return false }
        let constants: [String]
        if case .list(let items) = other { constants = items } else { constants = [other.text ?? ""] }
        guard let matcher = try? ValueMatcher.make(op: op, modifier: modifier, kind: kind, isListField: isList, constants: constants, isListConstant: modifier != nil || op == "in" || op == "intersects") else {
          return false
        }
        return matcher.matches(value)
      }
    }
    let constants: [String]
    let isListConstant: Bool
    switch right.kind {
    case .value(let text):
      constants = [text]
      isListConstant = false
    case .list(let items):
      constants = items
      isListConstant = true
    case .identifier(let name):
      constants = [name]
      isListConstant = false
    default:
      throw FilterCompileError(message: "unsupported right-hand side of '\(op)'", position: right.position)
    }
    if modifier == nil, case .field("proc.cmdline", nil) = left.kind, let test = CommandLineMatching.test(op: op, constants: constants) {
      return test
    }
    let matcher: ValueMatcher
    do {
      matcher = try ValueMatcher.make(op: op, modifier: modifier, kind: lhs.kind, isListField: lhs.isListField, constants: constants, isListConstant: isListConstant)
    } catch {
      throw FilterCompileError(message: error.message, position: position)
    }
    let matches = matcher.matches
    if modifier == nil, lhs.kind == .string, !lhs.isListField, let (slot, extract) = lhs.field, let bytes = ByteMatching.test(op: op, constants: constants) {
      return { context, event in context.testText(slot, extract, event, bytes, matches) }
    }
    return { matches(read($0, $1)) }
  }
}

/// The option parser of the `getopt` transformer, with libsinsp's results as its test cases
/// show them: parsing stops at the first operand (including `""` and `-`) or after `--`; a
/// flag's value is its own letter, an option missing its argument gets `""`, unknown and long
/// options are skipped; the transformer yields the values, and `[x]` the last value of `x`
/// (`""` when absent).
enum GetOpt {
  struct Entry {
    var option: String
    var value: String
  }

  static func parse(_ arguments: [String], _ optionString: String) -> [Entry] {
    var takesValue: [Character: Bool] = [:]
    var characters = Array(optionString)
    if characters.first == ":" { characters.removeFirst() }
    var index = 0
    while index < characters.count {
      let option = characters[index]
      let hasValue = index + 1 < characters.count && characters[index + 1] == ":"
      takesValue[option] = hasValue
      index += hasValue ? 2 : 1
    }
    var result: [Entry] = []
    var position = 0
    while position < arguments.count {
      let argument = arguments[position]
      if argument == "--" { break }
      guard argument.hasPrefix("-"), argument.count > 1 else { break }
      if argument.hasPrefix("--") {
        position += 1
        continue
      }
      let letters = Array(argument.dropFirst())
      var letterIndex = 0
      while letterIndex < letters.count {
        let letter = letters[letterIndex]
        guard let hasValue = takesValue[letter] else {
          letterIndex += 1
          continue
        }
        if hasValue {
          let rest = String(letters[(letterIndex + 1)...])
          if !rest.isEmpty {
            result.append(Entry(option: String(letter), value: rest))
          } else if position + 1 < arguments.count {
            position += 1
            result.append(Entry(option: String(letter), value: arguments[position]))
          } else {
            result.append(Entry(option: String(letter), value: ""))
          }
          break
        }
        result.append(Entry(option: String(letter), value: String(letter)))
        letterIndex += 1
      }
      position += 1
    }
    return result
  }
}
