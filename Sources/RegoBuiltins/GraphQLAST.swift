internal import PolicyCore

// The GraphQL syntax tree, shaped like gqlparser's `ast` package because OPA returns that package's
// structs marshalled to JSON: every node becomes an object whose keys are the Go field names, with
// `Position` dropped and null, empty-array and empty-object members pruned (OPA's
// `pruneIrrelevantGraphQLASTNodes`). Strings, booleans and numbers are kept even when empty or
// zero, so an anonymous operation still has `"Name": ""`.
//
// Nodes are classes because validation annotates them in place (a field learns its definition, a
// variable learns it is used), as gqlparser's walker does. Annotations are never serialized: OPA
// converts documents to values before validating them.

/// The kind of a literal value, numbered as gqlparser's `ValueKind` (OPA exposes the number).
enum GraphQLValueKind: Int, Sendable {
  case variable = 0, int, float, string, block, boolean, null, enumValue, list, object
}

/// A type reference: a named type, or a list of an element type; either may be non-null.
final class GraphQLType {
  var namedType: String
  var elem: GraphQLType?
  var nonNull: Bool
  var position: GraphQLPosition?

  init(namedType: String, elem: GraphQLType? = nil, nonNull: Bool = false, position: GraphQLPosition? = nil) {
    self.namedType = namedType
    self.elem = elem
    self.nonNull = nonNull
    self.position = position
  }

  /// The innermost named type (`[Int!]!` names `Int`); empty for a malformed reference.
  var name: String {
    var current: GraphQLType? = self
    while let type = current {
      if !type.namedType.isEmpty { return type.namedType }
      current = type.elem
    }
    return ""
  }

  /// True when every level names a type or has an element (gqlparser would crash otherwise).
  var isWellFormed: Bool {
    var current: GraphQLType? = self
    while let type = current {
      if !type.namedType.isEmpty { return true }
      current = type.elem
    }
    return false
  }

  /// The type in GraphQL syntax: `[String!]!`.
  var text: String {
    var prefix = ""
    var suffix = ""
    var current: GraphQLType? = self
    while let type = current {
      if !type.namedType.isEmpty {
        return prefix + type.namedType + (type.nonNull ? "!" : "") + suffix
      }
      prefix += "["
      suffix = "]" + (type.nonNull ? "!" : "") + suffix
      current = type.elem
    }
    return prefix + suffix
  }

  /// gqlparser's `Type.IsCompatible`: whether a value of type `self` may be used where `other` is
  /// expected.
  func isCompatible(with other: GraphQLType) -> Bool {
    var mine: GraphQLType = self
    var theirs: GraphQLType = other
    while true {
      if mine.namedType != theirs.namedType { return false }
      if let mineElem = mine.elem {
        guard let theirsElem = theirs.elem else { return false }
        if theirs.nonNull && !mine.nonNull { return false }
        mine = mineElem
        theirs = theirsElem
        continue
      }
      return theirs.nonNull ? mine.nonNull : true
    }
  }

  /// The reference as OPA shows it.
  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("NamedType", .string(namedType))
    if let elem { object.add("Elem", elem.encoded()) }
    object.add("NonNull", .bool(nonNull))
    return object.value
  }
}

/// A literal value or variable reference.
final class GraphQLValue {
  var raw: String
  var children: [GraphQLChildValue]
  var kind: GraphQLValueKind
  var position: GraphQLPosition?
  var expectedTypeHasDefault = false
  // Validation annotations.
  var definition: GraphQLDefinition?
  var variableDefinition: GraphQLVariableDefinition?
  var expectedType: GraphQLType?

  init(raw: String, children: [GraphQLChildValue] = [], kind: GraphQLValueKind, position: GraphQLPosition?) {
    self.raw = raw
    self.children = children
    self.kind = kind
    self.position = position
  }

  /// The value in GraphQL syntax as gqlparser's `Value.String` prints it.
  var text: String {
    switch kind {
    case .variable: return "$" + raw
    case .int, .float, .enumValue, .boolean, .null: return raw
    case .string, .block: return graphQLGoQuote(raw)
    case .list:
      return "[" + children.map { $0.value?.text ?? "<nil>" }.joined(separator: ",") + "]"
    case .object:
      return "{" + children.map { $0.name + ":" + ($0.value?.text ?? "<nil>") }.joined(separator: ",") + "}"
    }
  }

  /// The value as OPA shows it.
  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Raw", .string(raw))
    object.add("Children", graphQLArray(children.map { $0.encoded() }))
    object.add("Kind", .int(kind.rawValue))
    object.add("ExpectedTypeHasDefault", .bool(expectedTypeHasDefault))
    return object.value
  }
}

/// A list element (empty name) or an object field of a literal value.
final class GraphQLChildValue {
  var name: String
  var value: GraphQLValue?
  var position: GraphQLPosition?

  init(name: String, value: GraphQLValue?, position: GraphQLPosition?) {
    self.name = name
    self.value = value
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Name", .string(name))
    object.add("Value", value?.encoded() ?? .null)
    return object.value
  }
}

/// An argument of a field or directive.
final class GraphQLArgument {
  var name: String
  var value: GraphQLValue?
  var position: GraphQLPosition?

  init(name: String, value: GraphQLValue?, position: GraphQLPosition?) {
    self.name = name
    self.value = value
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Name", .string(name))
    object.add("Value", value?.encoded() ?? .null)
    return object.value
  }
}

/// A directive applied to a node (`@include(if: $x)`).
final class GraphQLDirective {
  var name: String
  var arguments: [GraphQLArgument]
  var position: GraphQLPosition?
  /// The directive location (`FIELD`, `QUERY`, ...); set by validation, empty after parsing.
  var location: String = ""
  // Validation annotations.
  var definition: GraphQLDirectiveDefinition?
  var parentDefinition: GraphQLDefinition?

  init(name: String, arguments: [GraphQLArgument], position: GraphQLPosition?) {
    self.name = name
    self.arguments = arguments
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Name", .string(name))
    object.add("Arguments", graphQLArray(arguments.map { $0.encoded() }))
    object.add("Location", .string(location))
    return object.value
  }
}

// MARK: - Executable documents

/// One entry of a selection set.
enum GraphQLSelection {
  case field(GraphQLField)
  case fragmentSpread(GraphQLFragmentSpread)
  case inlineFragment(GraphQLInlineFragment)

  func encoded() -> Value {
    switch self {
    case .field(let field): return field.encoded()
    case .fragmentSpread(let spread): return spread.encoded()
    case .inlineFragment(let fragment): return fragment.encoded()
    }
  }
}

/// A field selection: `alias: name(arguments) @directives { selections }`.
final class GraphQLField {
  var alias: String
  var name: String
  var arguments: [GraphQLArgument] = []
  var directives: [GraphQLDirective] = []
  var selectionSet: [GraphQLSelection] = []
  var position: GraphQLPosition?
  // Validation annotations.
  var definition: GraphQLFieldDefinition?
  var objectDefinition: GraphQLDefinition?

  init(alias: String, name: String, position: GraphQLPosition?) {
    self.alias = alias
    self.name = name
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Alias", .string(alias))
    object.add("Name", .string(name))
    object.add("Arguments", graphQLArray(arguments.map { $0.encoded() }))
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    object.add("SelectionSet", graphQLArray(selectionSet.map { $0.encoded() }))
    return object.value
  }
}

/// A named fragment spread: `...Name @directives`.
final class GraphQLFragmentSpread {
  var name: String
  var directives: [GraphQLDirective] = []
  var position: GraphQLPosition?
  // Validation annotations (the definition is weak: a fragment may spread itself).
  weak var definition: GraphQLFragmentDefinition?
  var objectDefinition: GraphQLDefinition?

  init(name: String, position: GraphQLPosition?) {
    self.name = name
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Name", .string(name))
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    return object.value
  }
}

/// An inline fragment: `... on Type @directives { selections }` (the condition is optional).
final class GraphQLInlineFragment {
  var typeCondition: String
  var directives: [GraphQLDirective] = []
  var selectionSet: [GraphQLSelection] = []
  var position: GraphQLPosition?
  // Validation annotation.
  var objectDefinition: GraphQLDefinition?

  init(typeCondition: String, position: GraphQLPosition?) {
    self.typeCondition = typeCondition
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("TypeCondition", .string(typeCondition))
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    object.add("SelectionSet", graphQLArray(selectionSet.map { $0.encoded() }))
    return object.value
  }
}

/// A variable of an operation: `$name: Type = default @directives`.
final class GraphQLVariableDefinition {
  var variable: String
  var type: GraphQLType?
  var defaultValue: GraphQLValue?
  var directives: [GraphQLDirective] = []
  var position: GraphQLPosition?
  var used = false
  // Validation annotation.
  var definition: GraphQLDefinition?

  init(variable: String, type: GraphQLType?, position: GraphQLPosition?) {
    self.variable = variable
    self.type = type
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Variable", .string(variable))
    object.add("Type", type?.encoded() ?? .null)
    object.add("DefaultValue", defaultValue?.encoded() ?? .null)
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    object.add("Used", .bool(used))
    return object.value
  }
}

/// A query, mutation or subscription.
final class GraphQLOperationDefinition {
  var operation: String
  var name: String = ""
  var variableDefinitions: [GraphQLVariableDefinition] = []
  var directives: [GraphQLDirective] = []
  var selectionSet: [GraphQLSelection] = []
  var position: GraphQLPosition?

  init(operation: String, position: GraphQLPosition?) {
    self.operation = operation
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Operation", .string(operation))
    object.add("Name", .string(name))
    object.add("VariableDefinitions", graphQLArray(variableDefinitions.map { $0.encoded() }))
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    object.add("SelectionSet", graphQLArray(selectionSet.map { $0.encoded() }))
    return object.value
  }
}

/// A named fragment: `fragment Name($vars) on Type @directives { selections }`.
final class GraphQLFragmentDefinition {
  var name: String
  var variableDefinitions: [GraphQLVariableDefinition] = []
  var typeCondition: String = ""
  var directives: [GraphQLDirective] = []
  var selectionSet: [GraphQLSelection] = []
  var position: GraphQLPosition?
  // Validation annotation.
  var definition: GraphQLDefinition?

  init(name: String, position: GraphQLPosition?) {
    self.name = name
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Name", .string(name))
    // gqlparser names this list in the singular.
    object.add("VariableDefinition", graphQLArray(variableDefinitions.map { $0.encoded() }))
    object.add("TypeCondition", .string(typeCondition))
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    object.add("SelectionSet", graphQLArray(selectionSet.map { $0.encoded() }))
    return object.value
  }
}

/// An executable document: operations and fragments.
final class GraphQLQueryDocument {
  var operations: [GraphQLOperationDefinition] = []
  var fragments: [GraphQLFragmentDefinition] = []
  /// Set when a document decoded from an object lacks parts gqlparser dereferences unchecked.
  var malformed = false

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Operations", graphQLArray(operations.map { $0.encoded() }))
    object.add("Fragments", graphQLArray(fragments.map { $0.encoded() }))
    return object.value
  }

  /// The first fragment with this name.
  func fragment(named name: String) -> GraphQLFragmentDefinition? {
    fragments.first { $0.name == name }
  }
}

// MARK: - Type system documents

/// A type definition or extension: scalar, object, interface, union, enum or input object.
final class GraphQLDefinition {
  /// `SCALAR`, `OBJECT`, `INTERFACE`, `UNION`, `ENUM` or `INPUT_OBJECT`.
  var kind: String
  var description: String = ""
  var name: String
  var directives: [GraphQLDirective] = []
  var interfaces: [String] = []
  var fields: [GraphQLFieldDefinition] = []
  var types: [String] = []
  var enumValues: [GraphQLEnumValueDefinition] = []
  var position: GraphQLPosition?
  var builtIn = false

  init(kind: String, name: String, position: GraphQLPosition?) {
    self.kind = kind
    self.name = name
    self.position = position
  }

  static let scalar = "SCALAR"
  static let object = "OBJECT"
  static let interface = "INTERFACE"
  static let union = "UNION"
  static let enumeration = "ENUM"
  static let inputObject = "INPUT_OBJECT"

  var isLeafType: Bool { kind == Self.enumeration || kind == Self.scalar }
  var isAbstractType: Bool { kind == Self.interface || kind == Self.union }
  var isCompositeType: Bool { kind == Self.object || kind == Self.interface || kind == Self.union }
  var isInputType: Bool { kind == Self.scalar || kind == Self.enumeration || kind == Self.inputObject }

  /// The first field with this name.
  func field(named name: String) -> GraphQLFieldDefinition? {
    fields.first { $0.name == name }
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Kind", .string(kind))
    object.add("Description", .string(description))
    object.add("Name", .string(name))
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    object.add("Interfaces", graphQLArray(interfaces.map { .string($0) }))
    object.add("Fields", graphQLArray(fields.map { $0.encoded() }))
    object.add("Types", graphQLArray(types.map { .string($0) }))
    object.add("EnumValues", graphQLArray(enumValues.map { $0.encoded() }))
    object.add("BuiltIn", .bool(builtIn))
    return object.value
  }
}

/// A field of an object or interface, or an input field of an input object.
final class GraphQLFieldDefinition {
  var description: String = ""
  var name: String
  var arguments: [GraphQLArgumentDefinition] = []
  var defaultValue: GraphQLValue?
  var type: GraphQLType?
  var directives: [GraphQLDirective] = []
  var position: GraphQLPosition?

  init(name: String, type: GraphQLType?, position: GraphQLPosition?) {
    self.name = name
    self.type = type
    self.position = position
  }

  /// The first argument with this name.
  func argument(named name: String) -> GraphQLArgumentDefinition? {
    arguments.first { $0.name == name }
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Description", .string(description))
    object.add("Name", .string(name))
    object.add("Arguments", graphQLArray(arguments.map { $0.encoded() }))
    object.add("DefaultValue", defaultValue?.encoded() ?? .null)
    object.add("Type", type?.encoded() ?? .null)
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    return object.value
  }
}

/// An argument of a field or directive definition.
final class GraphQLArgumentDefinition {
  var description: String = ""
  var name: String
  var defaultValue: GraphQLValue?
  var type: GraphQLType?
  var directives: [GraphQLDirective] = []
  var position: GraphQLPosition?

  init(name: String, type: GraphQLType?, position: GraphQLPosition?) {
    self.name = name
    self.type = type
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Description", .string(description))
    object.add("Name", .string(name))
    object.add("DefaultValue", defaultValue?.encoded() ?? .null)
    object.add("Type", type?.encoded() ?? .null)
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    return object.value
  }
}

/// One value of an enum type.
final class GraphQLEnumValueDefinition {
  var description: String = ""
  var name: String
  var directives: [GraphQLDirective] = []
  var position: GraphQLPosition?

  init(name: String, position: GraphQLPosition?) {
    self.name = name
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Description", .string(description))
    object.add("Name", .string(name))
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    return object.value
  }
}

/// A directive definition: `directive @name(args) repeatable on LOCATIONS`.
final class GraphQLDirectiveDefinition {
  var description: String = ""
  var name: String
  var arguments: [GraphQLArgumentDefinition] = []
  var locations: [String] = []
  var isRepeatable = false
  var position: GraphQLPosition?

  init(name: String, position: GraphQLPosition?) {
    self.name = name
    self.position = position
  }

  /// The first argument with this name.
  func argument(named name: String) -> GraphQLArgumentDefinition? {
    arguments.first { $0.name == name }
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Description", .string(description))
    object.add("Name", .string(name))
    object.add("Arguments", graphQLArray(arguments.map { $0.encoded() }))
    object.add("Locations", graphQLArray(locations.map { .string($0) }))
    object.add("IsRepeatable", .bool(isRepeatable))
    return object.value
  }
}

/// `query: Query` inside a schema definition.
final class GraphQLOperationTypeDefinition {
  var operation: String
  var type: String
  var position: GraphQLPosition?

  init(operation: String, type: String, position: GraphQLPosition?) {
    self.operation = operation
    self.type = type
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Operation", .string(operation))
    object.add("Type", .string(type))
    return object.value
  }
}

/// A schema definition or extension.
final class GraphQLSchemaDefinition {
  var description: String = ""
  var directives: [GraphQLDirective] = []
  var operationTypes: [GraphQLOperationTypeDefinition] = []
  var position: GraphQLPosition?

  init(position: GraphQLPosition?) {
    self.position = position
  }

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Description", .string(description))
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    object.add("OperationTypes", graphQLArray(operationTypes.map { $0.encoded() }))
    return object.value
  }
}

/// A type system document.
final class GraphQLSchemaDocument {
  var schema: [GraphQLSchemaDefinition] = []
  var schemaExtension: [GraphQLSchemaDefinition] = []
  var directives: [GraphQLDirectiveDefinition] = []
  var definitions: [GraphQLDefinition] = []
  var extensions: [GraphQLDefinition] = []
  /// Set when a document decoded from an object lacks parts gqlparser dereferences unchecked.
  var malformed = false

  func encoded() -> Value {
    var object = GraphQLObjectBuilder()
    object.add("Schema", graphQLArray(schema.map { $0.encoded() }))
    object.add("SchemaExtension", graphQLArray(schemaExtension.map { $0.encoded() }))
    object.add("Directives", graphQLArray(directives.map { $0.encoded() }))
    object.add("Definitions", graphQLArray(definitions.map { $0.encoded() }))
    object.add("Extensions", graphQLArray(extensions.map { $0.encoded() }))
    return object.value
  }

  /// Appends another document's parts after this one's (gqlparser's `SchemaDocument.Merge`).
  func merge(_ other: GraphQLSchemaDocument) {
    schema += other.schema
    schemaExtension += other.schemaExtension
    directives += other.directives
    definitions += other.definitions
    extensions += other.extensions
    malformed = malformed || other.malformed
  }
}

// MARK: - Pruned JSON objects

/// True for the values OPA prunes from GraphQL ASTs: null and empty arrays or objects.
private func graphQLIsPruned(_ value: Value) -> Bool {
  switch value {
  case .null, .undefined: return true
  case .array(let elements): return elements.isEmpty
  case .object(let object): return object.isEmpty
  default: return false
  }
}

/// An array with pruned elements dropped.
func graphQLArray(_ elements: [Value]) -> Value {
  .array(elements.filter { !graphQLIsPruned($0) })
}

/// Builds an object, dropping pruned members.
struct GraphQLObjectBuilder {
  private var entries: [(String, Value)] = []

  mutating func add(_ key: String, _ value: Value) {
    if !graphQLIsPruned(value) { entries.append((key, value)) }
  }

  var value: Value { .object(ValueObject(entries)) }
}
