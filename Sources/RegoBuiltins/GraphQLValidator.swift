// Query validation against a loaded schema, as gqlparser's validator does it: one walk over the
// document (operations, then fragments) annotates nodes with their schema definitions and fires
// events after each node's children are walked; each rule listens to some events and appends
// errors. Rules run in gqlparser's registration order (its rule files in name order), so when a
// document has several problems the errors come out in the same order as OPA's.

/// Validates executable documents against a schema and collects every error.
final class GraphQLValidator {
  private let schema: GraphQLSchema
  private let document: GraphQLQueryDocument
  private let maxDepth: Int
  private(set) var errors: [GraphQLError] = []

  private var currentOperation: GraphQLOperationDefinition?
  private var walkedFragments: Set<String> = []
  private var depth = 0
  private var depthExceeded = false

  // Rule state that lives for the whole document.
  private var misplacedDirectives: Set<DirectiveSite> = []
  private var fragmentsVisitedForCycles: Set<String> = []
  private var inFragmentDefinition = false
  private var usedFragmentNames: Set<String> = []
  private var fragmentNamesSeen: Set<String> = []
  private var operationNamesSeen: Set<String> = []
  private var overlap: GraphQLOverlapChecker

  private struct DirectiveSite: Hashable {
    var name: String
    var line: Int
    var column: Int
  }

  /// - Parameter maxDepth: how deep the walk may recurse (selection sets through fragment spreads,
  ///   nested values) before validation gives up with an error.
  init(schema: GraphQLSchema, document: GraphQLQueryDocument, maxDepth: Int) {
    self.schema = schema
    self.document = document
    self.maxDepth = maxDepth
    overlap = GraphQLOverlapChecker(schema: schema)
  }

  /// Walks the document; the errors are in `errors` afterwards.
  func validate() {
    if document.malformed {
      errors.append(GraphQLError(message: "invalid GraphQL query AST", position: nil))
      return
    }
    for operation in document.operations {
      walkedFragments = []
      walkOperation(operation)
    }
    for fragment in document.fragments {
      walkedFragments = []
      walkFragment(fragment)
    }
    if depthExceeded {
      errors.append(GraphQLError(message: "Document nesting is deeper than \(maxDepth) levels", position: nil))
    }
  }

  private func addError(_ message: String, _ position: GraphQLPosition?) {
    errors.append(GraphQLError(message: message, position: position))
  }

  private func enter() -> Bool {
    if depth >= maxDepth {
      depthExceeded = true
      return false
    }
    depth += 1
    return true
  }

  private func leave() { depth -= 1 }

  // MARK: Walk

  private func walkOperation(_ operation: GraphQLOperationDefinition) {
    currentOperation = operation
    for variable in operation.variableDefinitions {
      let typeName = variable.type?.name ?? ""
      variable.definition = schema.types[typeName]
      onVariable(variable)
      if let defaultValue = variable.defaultValue {
        defaultValue.expectedType = variable.type
        defaultValue.definition = schema.types[typeName]
      }
    }
    let root = schema.rootType(for: operation.operation)
    let location: String
    switch operation.operation {
    case "query", "": location = "QUERY"
    case "mutation": location = "MUTATION"
    case "subscription": location = "SUBSCRIPTION"
    default: location = ""
    }
    for variable in operation.variableDefinitions {
      if let defaultValue = variable.defaultValue { walkValue(defaultValue) }
      walkDirectives(variable.definition, variable.directives, location: "VARIABLE_DEFINITION")
    }
    walkDirectives(root, operation.directives, location: location)
    walkSelectionSet(root, operation.selectionSet)
    onOperation(operation)
    currentOperation = nil
  }

  private func walkFragment(_ fragment: GraphQLFragmentDefinition) {
    let definition = schema.types[fragment.typeCondition]
    fragment.definition = definition
    walkDirectives(definition, fragment.directives, location: "FRAGMENT_DEFINITION")
    walkSelectionSet(definition, fragment.selectionSet)
    onFragment(fragment)
  }

  private func walkDirectives(_ parent: GraphQLDefinition?, _ directives: [GraphQLDirective], location: String) {
    for directive in directives {
      let definition = schema.directives[directive.name]
      directive.definition = definition
      directive.parentDefinition = parent
      directive.location = location
      for argument in directive.arguments {
        walkArgument(definition?.argument(named: argument.name), argument)
      }
      onDirective(directive)
    }
    onDirectiveList(directives)
  }

  private func walkArgument(_ definition: GraphQLArgumentDefinition?, _ argument: GraphQLArgument) {
    guard let value = argument.value else { return }
    if let definition, let type = definition.type {
      value.expectedType = type
      value.definition = schema.types[type.name]
    }
    walkValue(value)
  }

  private func walkValue(_ value: GraphQLValue) {
    guard enter() else { return }
    defer { leave() }
    if value.kind == .variable, let operation = currentOperation {
      value.variableDefinition = operation.variableDefinitions.first { $0.variable == value.raw }
      value.variableDefinition?.used = true
    }
    if value.kind == .object {
      for child in value.children {
        guard let childValue = child.value else { continue }
        if let definition = value.definition, let field = definition.field(named: child.name), let type = field.type {
          childValue.expectedType = type
          childValue.definition = schema.types[type.name]
        }
        walkValue(childValue)
      }
    }
    if value.kind == .list {
      for child in value.children {
        guard let childValue = child.value else { continue }
        if let elem = value.expectedType?.elem {
          childValue.expectedType = elem
          childValue.definition = value.definition
        }
        walkValue(childValue)
      }
    }
    onValue(value)
  }

  private func walkSelectionSet(_ parent: GraphQLDefinition?, _ selections: [GraphQLSelection]) {
    guard enter() else { return }
    defer { leave() }
    for selection in selections {
      walkSelection(parent, selection)
    }
  }

  private func walkSelection(_ parent: GraphQLDefinition?, _ selection: GraphQLSelection) {
    switch selection {
    case .field(let field):
      let definition: GraphQLFieldDefinition?
      if field.name == "__typename" {
        definition = GraphQLFieldDefinition(name: "__typename", type: GraphQLType(namedType: "String"), position: nil)
      } else {
        definition = parent?.field(named: field.name)
      }
      field.definition = definition
      field.objectDefinition = parent
      let next = definition.flatMap { schema.types[$0.type?.name ?? ""] }
      for argument in field.arguments {
        walkArgument(definition?.argument(named: argument.name), argument)
      }
      walkDirectives(next, field.directives, location: "FIELD")
      walkSelectionSet(next, field.selectionSet)
      onField(field)
    case .inlineFragment(let fragment):
      fragment.objectDefinition = parent
      let next = fragment.typeCondition.isEmpty ? parent : schema.types[fragment.typeCondition]
      walkDirectives(next, fragment.directives, location: "INLINE_FRAGMENT")
      walkSelectionSet(next, fragment.selectionSet)
      onInlineFragment(fragment)
    case .fragmentSpread(let spread):
      let definition = document.fragment(named: spread.name)
      spread.definition = definition
      spread.objectDefinition = parent
      let next = definition.flatMap { schema.types[$0.typeCondition] }
      walkDirectives(next, spread.directives, location: "FRAGMENT_SPREAD")
      if let definition, !walkedFragments.contains(definition.name) {
        walkedFragments.insert(definition.name)
        walkSelectionSet(next, definition.selectionSet)
      }
      onFragmentSpread(spread)
    }
  }

  // MARK: Events (rules in gqlparser's order)

  private func onOperation(_ operation: GraphQLOperationDefinition) {
    // KnownRootType
    switch operation.operation {
    case "query", "", "mutation", "subscription":
      if schema.rootType(for: operation.operation) == nil {
        addError("Schema does not support operation type \"\(operation.operation)\"", operation.position)
      }
    default:
      addError("got unknown operation type \"\(operation.operation)\"", operation.position)
    }
    // LoneAnonymousOperation
    if operation.name.isEmpty && document.operations.count > 1 {
      addError("This anonymous operation must be the only defined operation.", operation.position)
    }
    // NoUnusedVariables
    for variable in operation.variableDefinitions where !variable.used {
      if operation.name.isEmpty {
        addError("Variable \"$\(variable.variable)\" is never used.", variable.position)
      } else {
        addError("Variable \"$\(variable.variable)\" is never used in operation \"\(operation.name)\".", variable.position)
      }
    }
    // OverlappingFieldsCanBeMerged
    addConflicts(overlap.findConflictsWithinSelectionSet(operation.selectionSet))
    // SingleFieldSubscriptions
    if schema.subscription != nil && operation.operation == "subscription" {
      let fields = topLevelFields(operation.selectionSet)
      let name = operation.name.isEmpty ? "Anonymous Subscription" : "Subscription \(graphQLGoQuote(operation.name))"
      if fields.count > 1 {
        addError("\(name) must select only one top level field.", fields[1].position)
      }
      for field in fields where field.name.hasPrefix("__") {
        addError("\(name) must not select an introspection top level field.", field.position)
      }
    }
    // UniqueOperationNames
    if !operationNamesSeen.insert(operation.name).inserted {
      addError("There can be only one operation named \"\(operation.name)\".", operation.position)
    }
    // UniqueVariableNames
    var variableCounts: [String: Int] = [:]
    for variable in operation.variableDefinitions {
      if variableCounts[variable.variable] == 1 {
        addError("There can be only one variable named \"$\(variable.variable)\".", variable.position)
      }
      variableCounts[variable.variable, default: 0] += 1
    }
    // VariablesAreInputTypes
    for variable in operation.variableDefinitions {
      if let definition = variable.definition, !definition.isInputType {
        addError(
          "Variable \"$\(variable.variable)\" cannot be non-input type \"\(variable.type?.text ?? "")\".",
          variable.position)
      }
    }
  }

  private func onField(_ field: GraphQLField) {
    // FieldsOnCorrectType
    if let parent = field.objectDefinition, field.definition == nil {
      var message = "Cannot query field \"\(field.name)\" on type \"\(parent.name)\"."
      let typeNames = suggestedTypeNames(parent, field.name)
      if !typeNames.isEmpty {
        message += " Did you mean to use an inline fragment on \(graphQLQuotedOrList(typeNames))?"
      } else if parent.kind == GraphQLDefinition.object || parent.kind == GraphQLDefinition.interface {
        let fieldNames = graphQLSuggestionList(field.name, parent.fields.map(\.name))
        if !fieldNames.isEmpty {
          message += " Did you mean \(graphQLQuotedOrList(fieldNames))?"
        }
      }
      addError(message, field.position)
    }
    // KnownArgumentNames
    if let definition = field.definition, let parent = field.objectDefinition {
      for argument in field.arguments where definition.argument(named: argument.name) == nil {
        addError(
          "Unknown argument \"\(argument.name)\" on field \"\(parent.name).\(field.name)\"."
            + graphQLSuggestQuoted("Did you mean", argument.name, definition.arguments.map(\.name)),
          field.position)
      }
    }
    // MaxIntrospectionDepth
    if field.name == "__schema" || field.name == "__type" {
      var visited: Set<String> = []
      var budget = 100_000
      if introspectionTooDeep(field, &visited, 0, &budget) {
        addError("Maximum introspection depth exceeded", field.position)
      }
    }
    // OverlappingFieldsCanBeMerged
    if currentOperation != nil {
      addConflicts(overlap.findConflictsWithinSelectionSet(field.selectionSet))
    }
    if let definition = field.definition {
      // ProvidedRequiredArguments
      for argument in definition.arguments
      where (argument.type?.nonNull ?? false) && argument.defaultValue == nil
        && !field.arguments.contains(where: { $0.name == argument.name })
      {
        addError(
          "Field \"\(field.name)\" argument \"\(argument.name)\" of type \"\(argument.type?.text ?? "")\" is required, but it was not provided.",
          field.position)
      }
      // ScalarLeafs
      if let fieldType = schema.types[definition.type?.name ?? ""] {
        if fieldType.isLeafType && !field.selectionSet.isEmpty {
          addError(
            "Field \"\(field.name)\" must not have a selection since type \"\(fieldType.name)\" has no subfields.",
            field.position)
        }
        if !fieldType.isLeafType && field.selectionSet.isEmpty {
          addError(
            "Field \"\(field.name)\" of type \"\(definition.type?.text ?? "")\" must have a selection of subfields. Did you mean \"\(field.name) { ... }\"?",
            field.position)
        }
      }
    }
    // UniqueArgumentNames
    checkUniqueArguments(field.arguments)
  }

  private func onFragment(_ fragment: GraphQLFragmentDefinition) {
    // FragmentsOnCompositeTypes
    if let definition = fragment.definition, !fragment.typeCondition.isEmpty, !definition.isCompositeType {
      addError(
        "Fragment \"\(fragment.name)\" cannot condition on non composite type \"\(fragment.typeCondition)\".",
        fragment.position)
    }
    // KnownTypeNames
    if schema.types[fragment.typeCondition] == nil {
      let names = schema.types.keys.sorted(by: compareUTF8Bytes)
      addError(
        "Unknown type \"\(fragment.typeCondition)\"." + graphQLSuggestQuoted("Did you mean", fragment.typeCondition, names),
        fragment.position)
    }
    // NoFragmentCycles
    var spreadPath: [GraphQLFragmentSpread] = []
    var spreadPathIndex: [String: Int] = [:]
    detectCycles(fragment, &spreadPath, &spreadPathIndex, 0)
    // NoUnusedFragments
    inFragmentDefinition = true
    if !usedFragmentNames.contains(fragment.name) {
      addError("Fragment \"\(fragment.name)\" is never used.", fragment.position)
    }
    // OverlappingFieldsCanBeMerged
    addConflicts(overlap.findConflictsWithinSelectionSet(fragment.selectionSet))
    // UniqueFragmentNames
    if !fragmentNamesSeen.insert(fragment.name).inserted {
      addError("There can be only one fragment named \"\(fragment.name)\".", fragment.position)
    }
  }

  private func onInlineFragment(_ fragment: GraphQLInlineFragment) {
    // FragmentsOnCompositeTypes
    if let type = schema.types[fragment.typeCondition], !type.isCompositeType {
      addError("Fragment cannot condition on non composite type \"\(fragment.typeCondition)\".", fragment.position)
    }
    // KnownTypeNames
    if !fragment.typeCondition.isEmpty && schema.types[fragment.typeCondition] == nil {
      addError("Unknown type \"\(fragment.typeCondition)\".", fragment.position)
    }
    // OverlappingFieldsCanBeMerged
    addConflicts(overlap.findConflictsWithinSelectionSet(fragment.selectionSet))
    // PossibleFragmentSpreads
    if let parent = fragment.objectDefinition, !canSpread(parent, fragment.typeCondition) {
      addError(
        "Fragment cannot be spread here as objects of type \"\(parent.name)\" can never be of type \"\(fragment.typeCondition)\".",
        fragment.position)
    }
  }

  private func onFragmentSpread(_ spread: GraphQLFragmentSpread) {
    // KnownFragmentNames
    if spread.definition == nil {
      addError("Unknown fragment \"\(spread.name)\".", spread.position)
    }
    // NoUnusedFragments
    if !inFragmentDefinition {
      usedFragmentNames.insert(spread.name)
    }
    // PossibleFragmentSpreads
    if let definition = spread.definition, let parent = spread.objectDefinition,
      !canSpread(parent, definition.typeCondition)
    {
      addError(
        "Fragment \"\(spread.name)\" cannot be spread here as objects of type \"\(parent.name)\" can never be of type \"\(definition.typeCondition)\".",
        spread.position)
    }
  }

  private func onDirective(_ directive: GraphQLDirective) {
    // KnownArgumentNames
    if let definition = directive.definition {
      for argument in directive.arguments where definition.argument(named: argument.name) == nil {
        addError(
          "Unknown argument \"\(argument.name)\" on directive \"@\(directive.name)\"."
            + graphQLSuggestQuoted("Did you mean", argument.name, definition.arguments.map(\.name)),
          directive.position)
      }
    }
    // KnownDirectives
    if let definition = directive.definition {
      if !definition.locations.contains(directive.location) {
        let site = DirectiveSite(
          name: directive.name, line: directive.position?.line ?? 0, column: directive.position?.column ?? 0)
        if misplacedDirectives.insert(site).inserted {
          addError("Directive \"@\(directive.name)\" may not be used on \(directive.location).", directive.position)
        }
      }
    } else {
      addError("Unknown directive \"@\(directive.name)\".", directive.position)
    }
    // ProvidedRequiredArguments
    if let definition = directive.definition {
      for argument in definition.arguments
      where (argument.type?.nonNull ?? false) && argument.defaultValue == nil
        && !directive.arguments.contains(where: { $0.name == argument.name })
      {
        addError(
          "Directive \"@\(definition.name)\" argument \"\(argument.name)\" of type \"\(argument.type?.text ?? "")\" is required, but it was not provided.",
          directive.position)
      }
    }
    // UniqueArgumentNames
    checkUniqueArguments(directive.arguments)
  }

  private func onDirectiveList(_ directives: [GraphQLDirective]) {
    // UniqueDirectivesPerLocation (gqlparser exempts a directive named "repeatable", not
    // directives declared repeatable).
    var seen: Set<String> = []
    for directive in directives {
      if directive.name != "repeatable" && seen.contains(directive.name) {
        addError("The directive \"@\(directive.name)\" can only be used once at this location.", directive.position)
      }
      seen.insert(directive.name)
    }
  }

  private func onValue(_ value: GraphQLValue) {
    // NoUndefinedVariables
    if let operation = currentOperation, value.kind == .variable, value.variableDefinition == nil {
      if operation.name.isEmpty {
        addError("Variable \"\(value.text)\" is not defined.", value.position)
      } else {
        addError("Variable \"\(value.text)\" is not defined by operation \"\(operation.name)\".", value.position)
      }
    }
    // UniqueInputFieldNames
    if value.kind == .object {
      var seen: Set<String> = []
      for child in value.children {
        if !seen.insert(child.name).inserted {
          addError("There can be only one input field named \"\(child.name)\".", child.position)
        }
      }
    }
    // ValuesOfCorrectType
    checkValueType(value)
    // VariablesInAllowedPosition
    if value.kind == .variable, let expected = value.expectedType, let variable = value.variableDefinition,
      currentOperation != nil, let variableType = variable.type
    {
      let allowed = GraphQLType(
        namedType: expected.namedType, elem: expected.elem, nonNull: expected.nonNull, position: expected.position)
      if let defaultValue = variable.defaultValue, defaultValue.kind != .null, expected.nonNull {
        allowed.nonNull = false
      }
      if !variableType.isCompatible(with: allowed) {
        addError(
          "Variable \"\(value.text)\" of type \"\(variableType.text)\" used in position expecting type \"\(expected.text)\".",
          value.position)
      }
    }
  }

  private func onVariable(_ variable: GraphQLVariableDefinition) {
    // KnownTypeNames
    let typeName = variable.type?.name ?? ""
    if schema.types[typeName] == nil {
      addError("Unknown type \"\(typeName)\".", variable.position)
    }
  }

  // MARK: Rule helpers

  private func addConflicts(_ conflicts: [GraphQLFieldConflict]) {
    for conflict in conflicts {
      addError(
        "Fields \"\(conflict.responseName)\" conflict because \(conflict.reason). Use different aliases on the fields to fetch both if this was intentional.",
        conflict.position)
    }
    if overlap.budgetExhausted && !overlapBudgetReported {
      overlapBudgetReported = true
      addError("Document is too complex to check for conflicting fields", nil)
    }
  }

  private var overlapBudgetReported = false

  private func checkUniqueArguments(_ arguments: [GraphQLArgument]) {
    var counts: [String: Int] = [:]
    for argument in arguments {
      if counts[argument.name] == 1 {
        addError("There can be only one argument named \"\(argument.name)\".", argument.position)
      }
      counts[argument.name, default: 0] += 1
    }
  }

  /// Types that define `fieldName` among the possible types of an abstract `parent`, interfaces
  /// first by how many of those types implement them, as gqlparser suggests them.
  private func suggestedTypeNames(_ parent: GraphQLDefinition, _ fieldName: String) -> [String] {
    guard parent.isAbstractType else { return [] }
    var objectTypes: [String] = []
    var interfaceTypes: [String] = []
    var interfaceUsage: [String: Int] = [:]
    for possible in schema.possibleTypes(of: parent) where possible.field(named: fieldName) != nil {
      objectTypes.append(possible.name)
      for interface in possible.interfaces {
        guard let interfaceDefinition = schema.types[interface],
          interfaceDefinition.field(named: fieldName) != nil
        else { continue }
        if interfaceUsage[interface, default: 0] == 0 {
          interfaceTypes.append(interface)
        }
        interfaceUsage[interface, default: 0] += 1
      }
    }
    let combined = interfaceTypes + objectTypes
    return combined.enumerated().sorted { lhs, rhs in
      let leftUsage = interfaceUsage[lhs.element, default: 0]
      let rightUsage = interfaceUsage[rhs.element, default: 0]
      if leftUsage != rightUsage { return leftUsage > rightUsage }
      if lhs.element != rhs.element { return compareUTF8Bytes(lhs.element, rhs.element) }
      return lhs.offset < rhs.offset
    }.map(\.element)
  }

  /// PossibleFragmentSpreads: whether a fragment on `typeCondition` can apply inside `parent`.
  private func canSpread(_ parent: GraphQLDefinition, _ typeCondition: String) -> Bool {
    let parentTypes: [GraphQLDefinition]
    switch parent.kind {
    case GraphQLDefinition.object: parentTypes = [parent]
    case GraphQLDefinition.interface, GraphQLDefinition.union: parentTypes = schema.possibleTypes(of: parent)
    default: return true
    }
    guard let fragmentType = schema.types[typeCondition], fragmentType.isCompositeType else { return true }
    let parentNames = Set(parentTypes.map(\.name))
    return schema.possibleTypes(of: fragmentType).contains { parentNames.contains($0.name) }
  }

  /// The top-level fields of a selection set, through fragments, first occurrence of each name.
  private func topLevelFields(_ selections: [GraphQLSelection]) -> [GraphQLField] {
    var fields: [GraphQLField] = []
    var visitedFragments: Set<String> = []
    func collect(_ selections: [GraphQLSelection], _ depth: Int) {
      guard depth < maxDepth else { return }
      for selection in selections {
        switch selection {
        case .field(let field):
          fields.append(field)
        case .inlineFragment(let fragment):
          collect(fragment.selectionSet, depth + 1)
        case .fragmentSpread(let spread):
          // gqlparser stops collecting this selection set at an unknown fragment.
          guard let definition = spread.definition else { return }
          if visitedFragments.insert(definition.name).inserted {
            collect(definition.selectionSet, depth + 1)
          }
        }
      }
    }
    collect(selections, 0)
    var seen: Set<String> = []
    return fields.filter { seen.insert($0.name).inserted }
  }

  /// MaxIntrospectionDepth: whether list fields of `__Type` nest three deep below `field`.
  private func introspectionTooDeep(
    _ field: GraphQLField, _ visited: inout Set<String>, _ depth: Int, _ budget: inout Int
  ) -> Bool {
    var depth = depth
    if ["fields", "interfaces", "possibleTypes", "inputFields"].contains(field.name) {
      depth += 1
      if depth >= 3 { return true }
    }
    return introspectionTooDeep(field.selectionSet, &visited, depth, &budget)
  }

  private func introspectionTooDeep(
    _ selections: [GraphQLSelection], _ visited: inout Set<String>, _ depth: Int, _ budget: inout Int
  ) -> Bool {
    budget -= 1
    if budget <= 0 || visited.count > maxDepth { return false }
    for selection in selections {
      switch selection {
      case .field(let field):
        if introspectionTooDeep(field, &visited, depth, &budget) { return true }
      case .fragmentSpread(let spread):
        guard !visited.contains(spread.name), let fragment = spread.definition else { continue }
        visited.insert(spread.name)
        let deep = introspectionTooDeep(fragment.selectionSet, &visited, depth, &budget)
        visited.remove(spread.name)
        if deep { return true }
      case .inlineFragment(let fragment):
        if introspectionTooDeep(fragment.selectionSet, &visited, depth, &budget) { return true }
      }
    }
    return false
  }

  /// NoFragmentCycles: reports each spread that leads back to a fragment on the current path.
  private func detectCycles(
    _ fragment: GraphQLFragmentDefinition, _ spreadPath: inout [GraphQLFragmentSpread],
    _ spreadPathIndex: inout [String: Int], _ depth: Int
  ) {
    if fragmentsVisitedForCycles.contains(fragment.name) { return }
    fragmentsVisitedForCycles.insert(fragment.name)
    guard depth < maxDepth else {
      depthExceeded = true
      return
    }
    let spreads = graphQLFragmentSpreads(in: fragment.selectionSet)
    if spreads.isEmpty { return }
    spreadPathIndex[fragment.name] = spreadPath.count
    for spread in spreads {
      let cycleIndex = spreadPathIndex[spread.name]
      spreadPath.append(spread)
      if let cycleIndex {
        let cycle = spreadPath[cycleIndex..<(spreadPath.count - 1)].map { "\"\($0.name)\"" }
        let via = cycle.isEmpty ? "" : " via " + cycle.joined(separator: ", ")
        addError("Cannot spread fragment \"\(spread.name)\" within itself\(via).", spread.position)
      } else if let target = document.fragment(named: spread.name) {
        detectCycles(target, &spreadPath, &spreadPathIndex, depth + 1)
      }
      spreadPath.removeLast()
    }
    spreadPathIndex[fragment.name] = nil
  }

  // MARK: ValuesOfCorrectType

  private func checkValueType(_ value: GraphQLValue) {
    guard let definition = value.definition, let expected = value.expectedType else { return }
    if value.kind == .null && expected.nonNull {
      addError("Expected value of type \"\(expected.text)\", found \(value.text).", value.position)
    }
    if definition.kind == GraphQLDefinition.scalar
      && !["Int", "Float", "String", "Boolean", "ID"].contains(definition.name)
    {
      return
    }
    let possibleEnums = definition.kind == GraphQLDefinition.enumeration ? definition.enumValues.map(\.name) : []
    if graphQLValueConversionFails(value, depth: 0, maxDepth: maxDepth) {
      addError(unexpectedTypeMessage(value, expected, definition), value.position)
    }
    switch value.kind {
    case .null, .variable:
      return
    case .list:
      if expected.elem == nil {
        addError(unexpectedTypeMessage(value, expected, definition), value.position)
      }
    case .int:
      if !["Int", "Float", "ID"].contains(definition.name) {
        addError(unexpectedTypeMessage(value, expected, definition), value.position)
      }
    case .float:
      if definition.name != "Float" {
        addError(unexpectedTypeMessage(value, expected, definition), value.position)
      }
    case .string, .block:
      if definition.kind == GraphQLDefinition.enumeration {
        addError(
          "Enum \"\(expected.text)\" cannot represent non-enum value: \(value.text)."
            + graphQLSuggestQuoted("Did you mean the enum value", value.raw, possibleEnums),
          value.position)
      } else if !["String", "ID"].contains(definition.name) {
        addError(unexpectedTypeMessage(value, expected, definition), value.position)
      }
    case .enumValue:
      if definition.kind != GraphQLDefinition.enumeration {
        let suggestions = graphQLSuggestionList(value.raw, possibleEnums)
        let suffix = suggestions.isEmpty ? "" : " Did you mean the enum value \(graphQLOrList(suggestions))?"
        addError(unexpectedTypeMessage(value, expected, definition) + suffix, value.position)
      } else if !definition.enumValues.contains(where: { $0.name == value.raw }) {
        addError(
          "Value \"\(value.text)\" does not exist in \"\(expected.text)\" enum."
            + graphQLSuggestQuoted("Did you mean the enum value", value.raw, possibleEnums),
          value.position)
      }
    case .boolean:
      if definition.name != "Boolean" {
        addError(unexpectedTypeMessage(value, expected, definition), value.position)
      }
    case .object:
      for field in definition.fields where field.type?.nonNull ?? false {
        if !value.children.contains(where: { $0.name == field.name }) && field.defaultValue == nil {
          addError(
            "Field \"\(definition.name).\(field.name)\" of required type \"\(field.type?.text ?? "")\" was not provided.",
            value.position)
        }
      }
      for directive in definition.directives where directive.name == "oneOf" {
        guard value.children.count == 1 else {
          addError("OneOf Input Object \"\(definition.name)\" must specify exactly one key.", value.position)
          continue
        }
        let fieldValue = value.children[0].value
        if fieldValue == nil || fieldValue?.kind == .null {
          addError(
            "Field \"\(definition.name).\(definition.fields.first?.name ?? "")\" must be non-null.",
            fieldValue?.position)
          continue
        }
        if let fieldValue, fieldValue.kind == .variable, let variable = fieldValue.variableDefinition,
          !(variable.type?.nonNull ?? false)
        {
          addError(
            "Variable \"\(variable.variable)\" must be non-nullable to be used for OneOf Input Object \"\(definition.name)\".",
            fieldValue.position)
        }
      }
      for child in value.children where definition.field(named: child.name) == nil {
        addError(
          "Field \"\(child.name)\" is not defined by type \"\(definition.name)\"."
            + graphQLSuggestQuoted("Did you mean", child.name, definition.fields.map(\.name)),
          child.position)
      }
    }
  }

  private func unexpectedTypeMessage(
    _ value: GraphQLValue, _ expected: GraphQLType, _ definition: GraphQLDefinition
  ) -> String {
    switch expected.text {
    case "Int", "Int!":
      if graphQLIntOutOfRange(value.raw) {
        return "Int cannot represent non 32-bit signed integer value: \(value.text)"
      }
      return "Int cannot represent non-integer value: \(value.text)"
    case "String", "String!", "[String]":
      return "String cannot represent a non string value: \(value.text)"
    case "Boolean", "Boolean!":
      return "Boolean cannot represent a non boolean value: \(value.text)"
    case "Float", "Float!":
      return "Float cannot represent non numeric value: \(value.text)"
    case "ID", "ID!":
      return "ID cannot represent a non-string and non-integer value: \(value.text)"
    default:
      if definition.kind == GraphQLDefinition.enumeration {
        return "Enum \"\(expected.text)\" cannot represent non-enum value: \(value.text)."
      }
      return "Expected value of type \"\(expected.text)\", found \(value.text)."
    }
  }
}

// MARK: - Value conversion checks

/// Whether gqlparser's `Value.Value(nil)` fails for this value: an integer beyond 64 bits, a float
/// beyond double range, a boolean Go's `ParseBool` rejects, anywhere inside it.
private func graphQLValueConversionFails(_ value: GraphQLValue, depth: Int, maxDepth: Int) -> Bool {
  guard depth < maxDepth else { return false }
  switch value.kind {
  case .variable:
    if let defaultValue = value.variableDefinition?.defaultValue {
      return graphQLValueConversionFails(defaultValue, depth: depth + 1, maxDepth: maxDepth)
    }
    return false
  case .int:
    return graphQLParseGoInt(value.raw, bits: 64) != .ok
  case .float:
    guard let number = Double(value.raw) else { return true }
    return number.isInfinite
  case .boolean:
    return !["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"].contains(value.raw)
  case .string, .block, .enumValue, .null:
    return false
  case .list, .object:
    return value.children.contains { child in
      child.value.map { graphQLValueConversionFails($0, depth: depth + 1, maxDepth: maxDepth) } ?? false
    }
  }
}

private enum GraphQLIntParse { case ok, syntax, range }

/// Go's `strconv.ParseInt(text, 10, bits)` outcome.
private func graphQLParseGoInt(_ text: String, bits: Int) -> GraphQLIntParse {
  var digits = Substring(text)
  var negative = false
  if let first = digits.first, first == "+" || first == "-" {
    negative = first == "-"
    digits = digits.dropFirst()
  }
  guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .syntax }
  let limit: UInt64 = bits >= 64 ? UInt64(Int64.max) : UInt64(Int32.max)
  var magnitude: UInt64 = 0
  for character in digits {
    guard let digit = character.wholeNumberValue else { return .syntax }
    let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
    let (sum, overflow2) = product.addingReportingOverflow(UInt64(digit))
    if overflow || overflow2 || sum > limit + 1 { return .range }
    magnitude = sum
  }
  if magnitude > limit + (negative ? 1 : 0) { return .range }
  return .ok
}

/// Whether an integer literal fails Go's 32-bit parse with a range error.
private func graphQLIntOutOfRange(_ text: String) -> Bool {
  graphQLParseGoInt(text, bits: 32) == .range
}

/// The fragment spreads in a selection set and its nested fields and inline fragments (not
/// through other fragments), in gqlparser's visiting order.
func graphQLFragmentSpreads(in selections: [GraphQLSelection]) -> [GraphQLFragmentSpread] {
  var spreads: [GraphQLFragmentSpread] = []
  var pending: [[GraphQLSelection]] = [selections]
  while let set = pending.popLast() {
    for selection in set {
      switch selection {
      case .fragmentSpread(let spread): spreads.append(spread)
      case .field(let field): pending.append(field.selectionSet)
      case .inlineFragment(let fragment): pending.append(fragment.selectionSet)
      }
    }
  }
  return spreads
}

// MARK: - Suggestions

/// The options close enough to `input` to suggest, closest first (graphql-js's thresholds).
func graphQLSuggestionList(_ input: String, _ options: [String]) -> [String] {
  let threshold = max(input.utf8.count * 4 / 10 + 1, 1)
  var results: [(option: String, distance: Int, index: Int)] = []
  for (index, option) in options.enumerated() {
    let distance = graphQLLexicalDistance(input, option)
    if distance <= threshold {
      results.append((option, distance, index))
    }
  }
  return results.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }.map(\.option)
}

/// Edit distance where a change of case alone counts as one edit.
private func graphQLLexicalDistance(_ lhs: String, _ rhs: String) -> Int {
  if lhs == rhs { return 0 }
  let left = Array(lhs.lowercased().unicodeScalars)
  let right = Array(rhs.lowercased().unicodeScalars)
  if left == right { return 1 }
  if left.isEmpty { return right.count }
  if right.isEmpty { return left.count }
  var previous = Array(0...right.count)
  var current = [Int](repeating: 0, count: right.count + 1)
  for (i, leftScalar) in left.enumerated() {
    current[0] = i + 1
    for (j, rightScalar) in right.enumerated() {
      let cost = leftScalar == rightScalar ? 0 : 1
      current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + cost)
    }
    swap(&previous, &current)
  }
  return previous[right.count]
}

/// `A, B, or C` (at most five items).
func graphQLOrList(_ items: [String]) -> String {
  let items = Array(items.prefix(5))
  if items.count == 2 { return items[0] + " or " + items[1] }
  var result = ""
  for (index, item) in items.enumerated() {
    if index != 0 {
      result += index == items.count - 1 ? ", or " : ", "
    }
    result += item
  }
  return result
}

/// `"A", "B", or "C"` (at most five items).
func graphQLQuotedOrList(_ items: [String]) -> String {
  graphQLOrList(items.map { "\"" + $0 + "\"" })
}

/// ` PREFIX "A" or "B"?` for the close options, or nothing.
private func graphQLSuggestQuoted(_ prefix: String, _ typed: String, _ options: [String]) -> String {
  let suggestions = graphQLSuggestionList(typed, options)
  return suggestions.isEmpty ? "" : " \(prefix) \(graphQLQuotedOrList(suggestions))?"
}
