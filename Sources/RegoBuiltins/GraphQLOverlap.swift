// The OverlappingFieldsCanBeMerged rule, after gqlparser's port of graphql-js's algorithm: fields
// that share a response name within a selection set (including through inline fragments and
// fragment spreads) must be the same field with the same arguments, unless their parents are
// distinct object types, and must not return conflicting types; sub-selections are compared
// recursively. The comparison is quadratic and can be exponential on adversarial documents, so a
// work budget bounds it.

/// One conflict: the response name, and either a reason or the sub-field conflicts behind it.
struct GraphQLFieldConflict {
  var responseName: String
  var message: String
  var subConflicts: [GraphQLFieldConflict]
  var position: GraphQLPosition?

  /// The reason as gqlparser words it, nesting `subfields "x" conflict because ...`.
  var reason: String {
    if subConflicts.isEmpty { return message }
    return subConflicts.map { "subfields \"\($0.responseName)\" conflict because \($0.reason)" }
      .joined(separator: " and ")
  }
}

/// Fields grouped by response name, in first-seen order.
private struct GraphQLFieldsByResponseName {
  var names: [String] = []
  var fields: [String: [GraphQLField]] = [:]

  mutating func add(_ name: String, _ field: GraphQLField) {
    if fields[name] == nil { names.append(name) }
    fields[name, default: []].append(field)
  }

  /// Same names in the same order with the same field nodes.
  func isIdentical(to other: GraphQLFieldsByResponseName) -> Bool {
    guard names == other.names else { return false }
    for name in names {
      let mine = fields[name] ?? []
      let theirs = other.fields[name] ?? []
      guard mine.count == theirs.count, zip(mine, theirs).allSatisfy({ $0 === $1 }) else { return false }
    }
    return true
  }
}

/// Finds field conflicts; keeps the fragment pairs already compared across the whole document.
final class GraphQLOverlapChecker {
  private let schema: GraphQLSchema
  private var comparedFragmentPairs: [String: [String: Bool]] = [:]
  private var comparedFragments: Set<String> = []
  private var budget = 2_000_000
  private var depth = 0
  private static let maxDepth = 256

  /// True once the work budget ran out; later comparisons report nothing.
  var budgetExhausted: Bool { budget <= 0 }

  init(schema: GraphQLSchema) {
    self.schema = schema
  }

  private func spend() -> Bool {
    budget -= 1
    return budget > 0
  }

  /// Conflicts among the fields of one selection set (step A-C of the algorithm).
  func findConflictsWithinSelectionSet(_ selections: [GraphQLSelection]) -> [GraphQLFieldConflict] {
    if selections.isEmpty || budgetExhausted { return [] }
    let (fieldMap, spreads) = fieldsAndFragments(selections)
    var conflicts: [GraphQLFieldConflict] = []
    collectConflictsWithin(&conflicts, fieldMap)
    comparedFragments = []
    for (index, spreadA) in spreads.enumerated() {
      collectConflictsBetweenFieldsAndFragment(&conflicts, false, fieldMap, spreadA)
      for spreadB in spreads[(index + 1)...] {
        collectConflictsBetweenFragments(&conflicts, false, spreadA, spreadB)
      }
    }
    return conflicts
  }

  private func fieldsAndFragments(
    _ selections: [GraphQLSelection]
  ) -> (GraphQLFieldsByResponseName, [GraphQLFragmentSpread]) {
    var fieldMap = GraphQLFieldsByResponseName()
    var spreads: [GraphQLFragmentSpread] = []
    var pending: [(selections: [GraphQLSelection], index: Int)] = [(selections, 0)]
    // Depth-first in document order without recursion (inline fragments may nest deeply).
    while var top = pending.popLast() {
      guard top.index < top.selections.count else { continue }
      let selection = top.selections[top.index]
      top.index += 1
      pending.append(top)
      switch selection {
      case .field(let field):
        fieldMap.add(field.alias.isEmpty ? field.name : field.alias, field)
      case .inlineFragment(let fragment):
        pending.append((fragment.selectionSet, 0))
      case .fragmentSpread(let spread):
        spreads.append(spread)
      }
    }
    return (fieldMap, spreads)
  }

  private func pairsContain(_ a: String, _ b: String, _ mutuallyExclusive: Bool) -> Bool {
    guard let recorded = comparedFragmentPairs[a]?[b] else { return false }
    // A pair compared as not mutually exclusive covers both cases.
    return mutuallyExclusive ? true : !recorded
  }

  private func addPair(_ a: String, _ b: String, _ mutuallyExclusive: Bool) {
    comparedFragmentPairs[a, default: [:]][b] = mutuallyExclusive
    comparedFragmentPairs[b, default: [:]][a] = mutuallyExclusive
  }

  private func collectConflictsBetweenFieldsAndFragment(
    _ conflicts: inout [GraphQLFieldConflict], _ mutuallyExclusive: Bool,
    _ fieldMap: GraphQLFieldsByResponseName, _ spread: GraphQLFragmentSpread
  ) {
    guard spend(), depth < Self.maxDepth else { return }
    depth += 1
    defer { depth -= 1 }
    if comparedFragments.contains(spread.name) { return }
    comparedFragments.insert(spread.name)
    guard let definition = spread.definition else { return }
    let (fragmentFields, fragmentSpreads) = fieldsAndFragments(definition.selectionSet)
    if fieldMap.isIdentical(to: fragmentFields) { return }
    collectConflictsBetween(&conflicts, mutuallyExclusive, fieldMap, fragmentFields)
    for nested in fragmentSpreads where nested.name != spread.name {
      collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap, nested)
    }
  }

  private func collectConflictsBetweenFragments(
    _ conflicts: inout [GraphQLFieldConflict], _ mutuallyExclusive: Bool,
    _ spreadA: GraphQLFragmentSpread, _ spreadB: GraphQLFragmentSpread
  ) {
    guard spend(), depth < Self.maxDepth else { return }
    depth += 1
    defer { depth -= 1 }
    if spreadA.name == spreadB.name { return }
    if pairsContain(spreadA.name, spreadB.name, mutuallyExclusive) { return }
    addPair(spreadA.name, spreadB.name, mutuallyExclusive)
    guard let definitionA = spreadA.definition, let definitionB = spreadB.definition else { return }
    let (fieldsA, spreadsA) = fieldsAndFragments(definitionA.selectionSet)
    let (fieldsB, spreadsB) = fieldsAndFragments(definitionB.selectionSet)
    collectConflictsBetween(&conflicts, mutuallyExclusive, fieldsA, fieldsB)
    for nested in spreadsB {
      collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, spreadA, nested)
    }
    for nested in spreadsA {
      collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, nested, spreadB)
    }
  }

  private func conflictsBetweenSubSelections(
    _ mutuallyExclusive: Bool, _ selectionsA: [GraphQLSelection], _ selectionsB: [GraphQLSelection]
  ) -> [GraphQLFieldConflict] {
    var conflicts: [GraphQLFieldConflict] = []
    let (fieldsA, spreadsA) = fieldsAndFragments(selectionsA)
    let (fieldsB, spreadsB) = fieldsAndFragments(selectionsB)
    collectConflictsBetween(&conflicts, mutuallyExclusive, fieldsA, fieldsB)
    for spread in spreadsB {
      comparedFragments = []
      collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldsA, spread)
    }
    for spread in spreadsA {
      comparedFragments = []
      collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldsB, spread)
    }
    for spreadA in spreadsA {
      for spreadB in spreadsB {
        collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, spreadA, spreadB)
      }
    }
    return conflicts
  }

  private func collectConflictsWithin(_ conflicts: inout [GraphQLFieldConflict], _ fieldMap: GraphQLFieldsByResponseName) {
    for name in fieldMap.names {
      let fields = fieldMap.fields[name] ?? []
      for (index, fieldA) in fields.enumerated() {
        for fieldB in fields[(index + 1)...] {
          if let conflict = findConflict(false, fieldA, fieldB) {
            conflicts.append(conflict)
          }
        }
      }
    }
  }

  private func collectConflictsBetween(
    _ conflicts: inout [GraphQLFieldConflict], _ mutuallyExclusive: Bool,
    _ fieldsA: GraphQLFieldsByResponseName, _ fieldsB: GraphQLFieldsByResponseName
  ) {
    for name in fieldsA.names {
      guard let others = fieldsB.fields[name] else { continue }
      for fieldA in fieldsA.fields[name] ?? [] {
        for fieldB in others {
          if let conflict = findConflict(mutuallyExclusive, fieldA, fieldB) {
            conflicts.append(conflict)
          }
        }
      }
    }
  }

  private func findConflict(
    _ parentsMutuallyExclusive: Bool, _ fieldA: GraphQLField, _ fieldB: GraphQLField
  ) -> GraphQLFieldConflict? {
    guard spend(), depth < Self.maxDepth else { return nil }
    depth += 1
    defer { depth -= 1 }
    guard let parentA = fieldA.objectDefinition, let parentB = fieldB.objectDefinition else { return nil }
    let mutuallyExclusive =
      parentsMutuallyExclusive
      || (parentA.name != parentB.name && parentA.kind == GraphQLDefinition.object
        && parentB.kind == GraphQLDefinition.object && fieldA.definition != nil && fieldB.definition != nil)
    let responseName = fieldA.alias.isEmpty ? fieldA.name : fieldA.alias
    if !mutuallyExclusive {
      if fieldA.name != fieldB.name {
        return GraphQLFieldConflict(
          responseName: responseName, message: "\"\(fieldA.name)\" and \"\(fieldB.name)\" are different fields",
          subConflicts: [], position: fieldB.position)
      }
      if !sameArguments(fieldA.arguments, fieldB.arguments) {
        return GraphQLFieldConflict(
          responseName: responseName, message: "they have differing arguments", subConflicts: [],
          position: fieldB.position)
      }
    }
    if let typeA = fieldA.definition?.type, let typeB = fieldB.definition?.type, typesConflict(typeA, typeB) {
      return GraphQLFieldConflict(
        responseName: responseName,
        message: "they return conflicting types \"\(typeA.text)\" and \"\(typeB.text)\"", subConflicts: [],
        position: fieldB.position)
    }
    let subConflicts = conflictsBetweenSubSelections(mutuallyExclusive, fieldA.selectionSet, fieldB.selectionSet)
    if subConflicts.isEmpty { return nil }
    return GraphQLFieldConflict(responseName: responseName, message: "", subConflicts: subConflicts, position: fieldB.position)
  }

  private func sameArguments(_ argumentsA: [GraphQLArgument], _ argumentsB: [GraphQLArgument]) -> Bool {
    guard argumentsA.count == argumentsB.count else { return false }
    return argumentsA.allSatisfy { argumentA in
      argumentsB.contains { argumentB in
        guard argumentA.name == argumentB.name, let valueA = argumentA.value, let valueB = argumentB.value else {
          return false
        }
        return valueA.kind == valueB.kind && valueA.raw == valueB.raw
      }
    }
  }

  private func typesConflict(_ typeA: GraphQLType, _ typeB: GraphQLType) -> Bool {
    var typeA = typeA
    var typeB = typeB
    while true {
      if let elemA = typeA.elem {
        guard let elemB = typeB.elem else { return true }
        typeA = elemA
        typeB = elemB
        continue
      }
      if typeB.elem != nil { return true }
      if typeA.nonNull != typeB.nonNull { return true }
      guard let definitionA = schema.types[typeA.namedType], let definitionB = schema.types[typeB.namedType] else {
        return false
      }
      if definitionA.isLeafType && definitionB.isLeafType {
        return definitionA.name != definitionB.name
      }
      return false
    }
  }
}
