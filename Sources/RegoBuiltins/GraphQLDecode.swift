internal import PolicyCore

// Rebuilding GraphQL documents from AST objects, as OPA does when `graphql.parse` and friends get an
// object instead of a string: OPA marshals the object to JSON and unmarshals it into gqlparser's
// structs. Go's decoder matches keys case-insensitively (exact match first), leaves members that are
// null or absent at their zero value, ignores unknown keys and fails on a type mismatch. The
// structs with hand-written decoders (operations, fields, fragments) match keys exactly, and a
// selection is decoded as a field whenever that succeeds, so fragment spreads and inline
// fragments in an object come back as fields, as they do in OPA.

/// A type mismatch while decoding, worded like Go's `json: cannot unmarshal ...`.
struct GraphQLDecodeError: Error {
  var message: String
}

/// Decodes documents from values, with a nesting limit.
struct GraphQLDecoder {
  private let maxDepth: Int
  private var depth = 0
  /// Set when a list holds null where gqlparser expects a node, or a required node is missing.
  private(set) var malformed = false

  init(maxDepth: Int) {
    self.maxDepth = maxDepth
  }

  // MARK: Primitives

  private static func jsonTypeName(_ value: Value) -> String {
    switch value {
    case .bool: return "bool"
    case .number: return "number"
    case .string: return "string"
    case .array, .set: return "array"
    case .object: return "object"
    case .null, .undefined: return "null"
    }
  }

  private static func mismatch(_ value: Value, _ goType: String) -> GraphQLDecodeError {
    GraphQLDecodeError(message: "json: cannot unmarshal \(jsonTypeName(value)) into Go value of type \(goType)")
  }

  /// The members of an object; keys must be strings (JSON objects).
  private func members(_ value: Value, _ goType: String) throws(GraphQLDecodeError) -> ValueObject {
    guard case .object(let object) = value else { throw GraphQLDecoder.mismatch(value, goType) }
    for entry in object {
      guard case .string = entry.key else {
        throw GraphQLDecodeError(message: "json: unsupported object key of type \(entry.key.typeName)")
      }
    }
    return object
  }

  /// The member for `key`: the exact key, else (for Go's default decoder) a key equal ignoring
  /// case. Null counts as absent.
  private func member(_ object: ValueObject, _ key: String, exact: Bool = false) -> Value? {
    if let value = object[key] {
      if case .null = value { return nil }
      return value
    }
    if exact { return nil }
    let folded = key.lowercased()
    for entry in object {
      if case .string(let candidate) = entry.key, candidate.lowercased() == folded {
        if case .null = entry.value { return nil }
        return entry.value
      }
    }
    return nil
  }

  private func string(_ object: ValueObject, _ key: String, exact: Bool = false) throws(GraphQLDecodeError) -> String {
    guard let value = member(object, key, exact: exact) else { return "" }
    guard case .string(let text) = value else { throw GraphQLDecoder.mismatch(value, "string") }
    return text
  }

  private func bool(_ object: ValueObject, _ key: String) throws(GraphQLDecodeError) -> Bool {
    guard let value = member(object, key) else { return false }
    guard case .bool(let flag) = value else { throw GraphQLDecoder.mismatch(value, "bool") }
    return flag
  }

  private func elements(_ value: Value, _ goType: String) throws(GraphQLDecodeError) -> [Value] {
    switch value {
    case .array(let elements): return elements
    case .set(let set): return set.sortedElements
    default: throw GraphQLDecoder.mismatch(value, goType)
    }
  }

  /// A list of nodes; a null element is a nil pointer in Go, which gqlparser would dereference.
  private mutating func list<T>(
    _ object: ValueObject, _ key: String, exact: Bool = false,
    _ decode: (inout GraphQLDecoder, Value) throws(GraphQLDecodeError) -> T
  ) throws(GraphQLDecodeError) -> [T] {
    guard let value = member(object, key, exact: exact) else { return [] }
    var result: [T] = []
    for element in try elements(value, "[]" + key) {
      if case .null = element {
        malformed = true
        continue
      }
      result.append(try decode(&self, element))
    }
    return result
  }

  private func strings(_ object: ValueObject, _ key: String) throws(GraphQLDecodeError) -> [String] {
    guard let value = member(object, key) else { return [] }
    var result: [String] = []
    for element in try elements(value, "[]string") {
      switch element {
      case .string(let text): result.append(text)
      case .null: result.append("")
      default: throw GraphQLDecoder.mismatch(element, "string")
      }
    }
    return result
  }

  /// Checks that a member gqlparser decodes but this implementation does not keep (positions,
  /// validation annotations) has a decodable shape.
  private func ignoredObject(_ object: ValueObject, _ key: String, exact: Bool = false) throws(GraphQLDecodeError) {
    guard let value = member(object, key, exact: exact) else { return }
    guard case .object = value else { throw GraphQLDecoder.mismatch(value, key) }
  }

  private mutating func nested<T>(
    _ body: (inout GraphQLDecoder) throws(GraphQLDecodeError) -> T
  ) throws(GraphQLDecodeError) -> T {
    depth += 1
    defer { depth -= 1 }
    if depth > maxDepth {
      throw GraphQLDecodeError(message: "GraphQL AST nesting is deeper than \(maxDepth) levels")
    }
    return try body(&self)
  }

  // MARK: Shared nodes

  mutating func type(_ value: Value) throws(GraphQLDecodeError) -> GraphQLType {
    try nested { (decoder: inout GraphQLDecoder) throws(GraphQLDecodeError) in
      let object = try decoder.members(value, "ast.Type")
      try decoder.ignoredObject(object, "Position")
      let type = GraphQLType(namedType: try decoder.string(object, "NamedType"))
      if let elem = decoder.member(object, "Elem") {
        type.elem = try decoder.type(elem)
      }
      type.nonNull = try decoder.bool(object, "NonNull")
      if !type.isWellFormed { decoder.malformed = true }
      return type
    }
  }

  private mutating func optionalType(_ object: ValueObject, _ key: String) throws(GraphQLDecodeError) -> GraphQLType? {
    guard let value = member(object, key) else { return nil }
    return try type(value)
  }

  mutating func value(_ value: Value) throws(GraphQLDecodeError) -> GraphQLValue {
    try nested { (decoder: inout GraphQLDecoder) throws(GraphQLDecodeError) in
      let object = try decoder.members(value, "ast.Value")
      try decoder.ignoredObject(object, "Position")
      var kind = GraphQLValueKind.variable
      if let kindValue = decoder.member(object, "Kind") {
        guard case .number(let number) = kindValue, let code = number.intValue else {
          throw GraphQLDecoder.mismatch(kindValue, "ast.ValueKind")
        }
        guard let known = GraphQLValueKind(rawValue: code) else {
          throw GraphQLDecodeError(message: "unknown value kind \(code)")
        }
        kind = known
      }
      let result = GraphQLValue(raw: try decoder.string(object, "Raw"), kind: kind, position: nil)
      result.children = try decoder.list(object, "Children") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
        let child = try decoder.members(element, "ast.ChildValue")
        try decoder.ignoredObject(child, "Position")
        let childValue = try decoder.optionalValue(child, "Value")
        if childValue == nil { decoder.malformed = true }
        return GraphQLChildValue(name: try decoder.string(child, "Name"), value: childValue, position: nil)
      }
      result.expectedTypeHasDefault = try decoder.bool(object, "ExpectedTypeHasDefault")
      return result
    }
  }

  private mutating func optionalValue(_ object: ValueObject, _ key: String) throws(GraphQLDecodeError) -> GraphQLValue? {
    guard let element = member(object, key) else { return nil }
    return try value(element)
  }

  private mutating func arguments(_ object: ValueObject, _ key: String, exact: Bool = false) throws(GraphQLDecodeError) -> [GraphQLArgument] {
    try list(object, key, exact: exact) { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      let argument = try decoder.members(element, "ast.Argument")
      try decoder.ignoredObject(argument, "Position")
      let argumentValue = try decoder.optionalValue(argument, "Value")
      if argumentValue == nil { decoder.malformed = true }
      return GraphQLArgument(name: try decoder.string(argument, "Name"), value: argumentValue, position: nil)
    }
  }

  private mutating func directives(_ object: ValueObject, _ key: String, exact: Bool = false) throws(GraphQLDecodeError) -> [GraphQLDirective] {
    try list(object, key, exact: exact) { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      let directive = try decoder.members(element, "ast.Directive")
      try decoder.ignoredObject(directive, "Position")
      try decoder.ignoredObject(directive, "ParentDefinition")
      try decoder.ignoredObject(directive, "Definition")
      let result = GraphQLDirective(
        name: try decoder.string(directive, "Name"), arguments: try decoder.arguments(directive, "Arguments"),
        position: nil)
      result.location = try decoder.string(directive, "Location")
      return result
    }
  }

  // MARK: Executable documents

  /// Decodes an executable document object.
  mutating func queryDocument(_ value: Value) throws(GraphQLDecodeError) -> GraphQLQueryDocument {
    let object = try members(value, "ast.QueryDocument")
    try ignoredObject(object, "Position")
    let document = GraphQLQueryDocument()
    document.operations = try list(object, "Operations") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      try decoder.operation(element)
    }
    document.fragments = try list(object, "Fragments") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      try decoder.fragmentDefinition(element)
    }
    document.malformed = malformed
    return document
  }

  private mutating func operation(_ value: Value) throws(GraphQLDecodeError) -> GraphQLOperationDefinition {
    let object = try members(value, "ast.OperationDefinition")
    try ignoredObject(object, "Position", exact: true)
    let operation = GraphQLOperationDefinition(operation: try string(object, "Operation", exact: true), position: nil)
    operation.name = try string(object, "Name", exact: true)
    operation.variableDefinitions = try variableDefinitions(object, "VariableDefinitions", exact: true)
    operation.directives = try directives(object, "Directives", exact: true)
    operation.selectionSet = try selectionSet(object, exact: true)
    return operation
  }

  private mutating func variableDefinitions(
    _ object: ValueObject, _ key: String, exact: Bool
  ) throws(GraphQLDecodeError) -> [GraphQLVariableDefinition] {
    try list(object, key, exact: exact) { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      let variable = try decoder.members(element, "ast.VariableDefinition")
      try decoder.ignoredObject(variable, "Position")
      try decoder.ignoredObject(variable, "Definition")
      let type = try decoder.optionalType(variable, "Type")
      if type == nil { decoder.malformed = true }
      let result = GraphQLVariableDefinition(variable: try decoder.string(variable, "Variable"), type: type, position: nil)
      result.defaultValue = try decoder.optionalValue(variable, "DefaultValue")
      result.directives = try decoder.directives(variable, "Directives")
      result.used = try decoder.bool(variable, "Used")
      return result
    }
  }

  private mutating func fragmentDefinition(_ value: Value) throws(GraphQLDecodeError) -> GraphQLFragmentDefinition {
    let object = try members(value, "ast.FragmentDefinition")
    try ignoredObject(object, "Position", exact: true)
    try ignoredObject(object, "Definition", exact: true)
    let fragment = GraphQLFragmentDefinition(name: try string(object, "Name", exact: true), position: nil)
    fragment.variableDefinitions = try variableDefinitions(object, "VariableDefinition", exact: true)
    fragment.typeCondition = try string(object, "TypeCondition", exact: true)
    fragment.directives = try directives(object, "Directives", exact: true)
    fragment.selectionSet = try selectionSet(object, exact: true)
    return fragment
  }

  /// gqlparser's `UnmarshalSelectionSet`: each element becomes a field if it decodes as one, else
  /// a fragment spread, else an inline fragment, else it is dropped.
  private mutating func selectionSet(_ object: ValueObject, exact: Bool) throws(GraphQLDecodeError) -> [GraphQLSelection] {
    guard let value = member(object, "SelectionSet", exact: exact) else { return [] }
    let items = try elements(value, "[]json.RawMessage")
    return try nested { (decoder: inout GraphQLDecoder) throws(GraphQLDecodeError) in
      var selections: [GraphQLSelection] = []
      for item in items {
        if let field = try decoder.attempt({ (decoder: inout GraphQLDecoder) throws(GraphQLDecodeError) in try decoder.field(item) }) {
          selections.append(.field(field))
        } else if let spread = try decoder.attempt({ (decoder: inout GraphQLDecoder) throws(GraphQLDecodeError) in try decoder.fragmentSpread(item) }) {
          selections.append(.fragmentSpread(spread))
        } else if let fragment = try decoder.attempt({ (decoder: inout GraphQLDecoder) throws(GraphQLDecodeError) in try decoder.inlineFragment(item) }) {
          selections.append(.inlineFragment(fragment))
        }
      }
      return selections
    }
  }

  /// Runs a decode; a type mismatch yields nil, a nesting-limit failure is rethrown.
  private mutating func attempt<T>(
    _ body: (inout GraphQLDecoder) throws(GraphQLDecodeError) -> T
  ) throws(GraphQLDecodeError) -> T? {
    let saved = malformed
    do {
      return try body(&self)
    } catch {
      malformed = saved
      if error.message.hasPrefix("GraphQL AST nesting") { throw error }
      return nil
    }
  }

  private mutating func field(_ value: Value) throws(GraphQLDecodeError) -> GraphQLField {
    let object = try members(value, "ast.Field")
    try ignoredObject(object, "Position", exact: true)
    try ignoredObject(object, "Definition", exact: true)
    try ignoredObject(object, "ObjectDefinition", exact: true)
    let field = GraphQLField(
      alias: try string(object, "Alias", exact: true), name: try string(object, "Name", exact: true), position: nil)
    field.arguments = try arguments(object, "Arguments", exact: true)
    field.directives = try directives(object, "Directives", exact: true)
    field.selectionSet = try selectionSet(object, exact: true)
    return field
  }

  private mutating func fragmentSpread(_ value: Value) throws(GraphQLDecodeError) -> GraphQLFragmentSpread {
    let object = try members(value, "ast.FragmentSpread")
    try ignoredObject(object, "Position")
    try ignoredObject(object, "ObjectDefinition")
    try ignoredObject(object, "Definition")
    let spread = GraphQLFragmentSpread(name: try string(object, "Name"), position: nil)
    spread.directives = try directives(object, "Directives")
    return spread
  }

  private mutating func inlineFragment(_ value: Value) throws(GraphQLDecodeError) -> GraphQLInlineFragment {
    let object = try members(value, "ast.InlineFragment")
    try ignoredObject(object, "Position", exact: true)
    try ignoredObject(object, "ObjectDefinition", exact: true)
    let fragment = GraphQLInlineFragment(typeCondition: try string(object, "TypeCondition", exact: true), position: nil)
    fragment.directives = try directives(object, "Directives", exact: true)
    fragment.selectionSet = try selectionSet(object, exact: true)
    return fragment
  }

  // MARK: Type system documents

  /// Decodes a type system document object.
  mutating func schemaDocument(_ value: Value) throws(GraphQLDecodeError) -> GraphQLSchemaDocument {
    let object = try members(value, "ast.SchemaDocument")
    try ignoredObject(object, "Position")
    let document = GraphQLSchemaDocument()
    document.schema = try list(object, "Schema") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      try decoder.schemaDefinition(element)
    }
    document.schemaExtension = try list(object, "SchemaExtension") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      try decoder.schemaDefinition(element)
    }
    document.directives = try list(object, "Directives") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      try decoder.directiveDefinition(element)
    }
    document.definitions = try list(object, "Definitions") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      try decoder.definition(element)
    }
    document.extensions = try list(object, "Extensions") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      try decoder.definition(element)
    }
    document.malformed = malformed
    return document
  }

  private mutating func schemaDefinition(_ value: Value) throws(GraphQLDecodeError) -> GraphQLSchemaDefinition {
    let object = try members(value, "ast.SchemaDefinition")
    try ignoredObject(object, "Position")
    let definition = GraphQLSchemaDefinition(position: nil)
    definition.description = try string(object, "Description")
    definition.directives = try directives(object, "Directives")
    definition.operationTypes = try list(object, "OperationTypes") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      let operation = try decoder.members(element, "ast.OperationTypeDefinition")
      try decoder.ignoredObject(operation, "Position")
      return GraphQLOperationTypeDefinition(
        operation: try decoder.string(operation, "Operation"), type: try decoder.string(operation, "Type"),
        position: nil)
    }
    return definition
  }

  private mutating func argumentDefinitions(_ object: ValueObject) throws(GraphQLDecodeError) -> [GraphQLArgumentDefinition] {
    try list(object, "Arguments") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      let argument = try decoder.members(element, "ast.ArgumentDefinition")
      try decoder.ignoredObject(argument, "Position")
      let type = try decoder.optionalType(argument, "Type")
      if type == nil { decoder.malformed = true }
      let result = GraphQLArgumentDefinition(name: try decoder.string(argument, "Name"), type: type, position: nil)
      result.description = try decoder.string(argument, "Description")
      result.defaultValue = try decoder.optionalValue(argument, "DefaultValue")
      result.directives = try decoder.directives(argument, "Directives")
      return result
    }
  }

  private mutating func directiveDefinition(_ value: Value) throws(GraphQLDecodeError) -> GraphQLDirectiveDefinition {
    let object = try members(value, "ast.DirectiveDefinition")
    try ignoredObject(object, "Position")
    let definition = GraphQLDirectiveDefinition(name: try string(object, "Name"), position: nil)
    definition.description = try string(object, "Description")
    definition.arguments = try argumentDefinitions(object)
    definition.locations = try strings(object, "Locations")
    definition.isRepeatable = try bool(object, "IsRepeatable")
    return definition
  }

  private mutating func definition(_ value: Value) throws(GraphQLDecodeError) -> GraphQLDefinition {
    let object = try members(value, "ast.Definition")
    try ignoredObject(object, "Position")
    let definition = GraphQLDefinition(
      kind: try string(object, "Kind"), name: try string(object, "Name"), position: nil)
    definition.description = try string(object, "Description")
    definition.directives = try directives(object, "Directives")
    definition.interfaces = try strings(object, "Interfaces")
    definition.fields = try list(object, "Fields") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      let field = try decoder.members(element, "ast.FieldDefinition")
      try decoder.ignoredObject(field, "Position")
      let type = try decoder.optionalType(field, "Type")
      if type == nil { decoder.malformed = true }
      let result = GraphQLFieldDefinition(name: try decoder.string(field, "Name"), type: type, position: nil)
      result.description = try decoder.string(field, "Description")
      result.arguments = try decoder.argumentDefinitions(field)
      result.defaultValue = try decoder.optionalValue(field, "DefaultValue")
      result.directives = try decoder.directives(field, "Directives")
      return result
    }
    definition.types = try strings(object, "Types")
    definition.enumValues = try list(object, "EnumValues") { (decoder: inout GraphQLDecoder, element: Value) throws(GraphQLDecodeError) in
      let enumValue = try decoder.members(element, "ast.EnumValueDefinition")
      try decoder.ignoredObject(enumValue, "Position")
      let result = GraphQLEnumValueDefinition(name: try decoder.string(enumValue, "Name"), position: nil)
      result.description = try decoder.string(enumValue, "Description")
      result.directives = try decoder.directives(enumValue, "Directives")
      return result
    }
    definition.builtIn = try bool(object, "BuiltIn")
    return definition
  }
}
