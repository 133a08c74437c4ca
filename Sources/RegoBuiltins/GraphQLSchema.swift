// Schema loading as gqlparser's `ValidateSchemaDocument` does it, over the user's document merged
// after the prelude of built-in scalars, directives and introspection types: types are collected,
// extensions merged into their base types (an extension of a missing type creates it, which
// Apollo Federation schemas rely on), root operation types resolved, and every type and directive
// definition checked in name order. The first problem is the error.

/// The implicit definitions every schema starts from (the spec's built-in scalars, directives and
/// introspection types).
private let graphQLPreludeSource = """
  scalar Int
  scalar Float
  scalar String
  scalar Boolean
  scalar ID

  directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
  directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
  directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
  directive @specifiedBy(url: String!) on SCALAR
  directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
  directive @oneOf on INPUT_OBJECT

  type __Schema {
    description: String
    types: [__Type!]!
    queryType: __Type!
    mutationType: __Type
    subscriptionType: __Type
    directives: [__Directive!]!
  }

  type __Type {
    kind: __TypeKind!
    name: String
    description: String
    fields(includeDeprecated: Boolean = false): [__Field!]
    interfaces: [__Type!]
    possibleTypes: [__Type!]
    enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
    inputFields: [__InputValue!]
    ofType: __Type
    specifiedByURL: String
  }

  type __Field {
    name: String!
    description: String
    args: [__InputValue!]!
    type: __Type!
    isDeprecated: Boolean!
    deprecationReason: String
  }

  type __InputValue {
    name: String!
    description: String
    type: __Type!
    defaultValue: String
  }

  type __EnumValue {
    name: String!
    description: String
    isDeprecated: Boolean!
    deprecationReason: String
  }

  enum __TypeKind {
    SCALAR
    OBJECT
    INTERFACE
    UNION
    ENUM
    INPUT_OBJECT
    LIST
    NON_NULL
  }

  type __Directive {
    name: String!
    description: String
    locations: [__DirectiveLocation!]!
    args: [__InputValue!]!
    isRepeatable: Boolean!
  }

  enum __DirectiveLocation {
    QUERY
    MUTATION
    SUBSCRIPTION
    FIELD
    FRAGMENT_DEFINITION
    FRAGMENT_SPREAD
    INLINE_FRAGMENT
    VARIABLE_DEFINITION
    SCHEMA
    SCALAR
    OBJECT
    FIELD_DEFINITION
    ARGUMENT_DEFINITION
    INTERFACE
    UNION
    ENUM
    ENUM_VALUE
    INPUT_OBJECT
    INPUT_FIELD_DEFINITION
  }
  """

/// A loaded, validated schema: types and directives by name, the root operation types, and for
/// each abstract type the object types that may stand for it.
final class GraphQLSchema {
  private(set) var types: [String: GraphQLDefinition] = [:]
  private(set) var directives: [String: GraphQLDirectiveDefinition] = [:]
  private(set) var possibleTypes: [String: [GraphQLDefinition]] = [:]
  private(set) var query: GraphQLDefinition?
  private(set) var mutation: GraphQLDefinition?
  private(set) var subscription: GraphQLDefinition?

  private init() {}

  /// The object types a composite type may be at runtime (an object type is its own).
  func possibleTypes(of definition: GraphQLDefinition) -> [GraphQLDefinition] {
    possibleTypes[definition.name] ?? []
  }

  /// The root type for an operation keyword, as gqlparser picks it (unknown keywords have none).
  func rootType(for operation: String) -> GraphQLDefinition? {
    switch operation {
    case "query", "": return query
    case "mutation": return mutation
    case "subscription": return subscription
    default: return nil
    }
  }

  /// The prelude parsed afresh (definitions are mutated while loading, so each load gets its own).
  static func prelude() throws(GraphQLError) -> GraphQLSchemaDocument {
    var parser = GraphQLParser(graphQLPreludeSource, maxDepth: 16)
    return try parser.parseSchemaDocument(builtIn: true)
  }

  /// Loads `document` over the prelude, as OPA's `convertSchema` does.
  static func load(_ document: GraphQLSchemaDocument) throws(GraphQLError) -> GraphQLSchema {
    if document.malformed {
      throw GraphQLError(message: "invalid GraphQL schema AST", position: nil)
    }
    let merged = GraphQLSchemaDocument()
    merged.merge(try prelude())
    merged.merge(document)
    return try validate(merged)
  }

  private func addPossibleType(_ name: String, _ definition: GraphQLDefinition?) {
    guard let definition else { return }
    possibleTypes[name, default: []].append(definition)
  }

  /// gqlparser's `ValidateSchemaDocument`.
  private static func validate(_ document: GraphQLSchemaDocument) throws(GraphQLError) -> GraphQLSchema {
    let schema = GraphQLSchema()
    for definition in document.definitions {
      if schema.types[definition.name] != nil {
        throw GraphQLError(message: "Cannot redeclare type \(definition.name).", position: definition.position)
      }
      schema.types[definition.name] = definition
    }
    var definitions = document.definitions
    for extensionDefinition in document.extensions {
      let base: GraphQLDefinition
      if let existing = schema.types[extensionDefinition.name] {
        base = existing
      } else {
        base = GraphQLDefinition(
          kind: extensionDefinition.kind, name: extensionDefinition.name, position: extensionDefinition.position)
        schema.types[extensionDefinition.name] = base
        definitions.append(base)
      }
      if base.kind != extensionDefinition.kind {
        throw GraphQLError(
          message:
            "Cannot extend type \(extensionDefinition.name) because the base type is a \(base.kind), not \(extensionDefinition.kind).",
          position: extensionDefinition.position)
      }
      base.directives += extensionDefinition.directives
      base.interfaces += extensionDefinition.interfaces
      base.fields += extensionDefinition.fields
      base.types += extensionDefinition.types
      base.enumValues += extensionDefinition.enumValues
    }
    for definition in definitions {
      switch definition.kind {
      case GraphQLDefinition.union:
        for member in definition.types {
          schema.addPossibleType(definition.name, schema.types[member])
        }
      case GraphQLDefinition.inputObject, GraphQLDefinition.object:
        for interface in definition.interfaces {
          schema.addPossibleType(interface, definition)
        }
        schema.addPossibleType(definition.name, definition)
      case GraphQLDefinition.interface:
        for interface in definition.interfaces {
          schema.addPossibleType(interface, definition)
        }
      default:
        break
      }
    }
    for directive in document.directives {
      if schema.directives[directive.name] != nil {
        switch directive.name {
        case "include", "skip", "deprecated", "specifiedBy", "defer", "oneOf":
          // SDL may redefine the built-in directives; as in gqlparser, the later definition wins.
          break
        default:
          throw GraphQLError(message: "Cannot redeclare directive \(directive.name).", position: directive.position)
        }
      }
      schema.directives[directive.name] = directive
    }
    if document.schema.count > 1 {
      throw GraphQLError(
        message: "Cannot have multiple schema entry points, consider schema extensions instead.",
        position: document.schema[1].position)
    }
    for entryPoints in [document.schema.first?.operationTypes ?? []] + document.schemaExtension.map(\.operationTypes) {
      for entryPoint in entryPoints {
        guard let definition = schema.types[entryPoint.type] else {
          throw GraphQLError(
            message:
              "Schema root \(entryPoint.operation) refers to a type \(entryPoint.type) that does not exist.",
            position: entryPoint.position)
        }
        switch entryPoint.operation {
        case "query": schema.query = definition
        case "mutation": schema.mutation = definition
        case "subscription": schema.subscription = definition
        default: break
        }
      }
    }
    for name in schema.types.keys.sorted(by: { compareUTF8Bytes($0, $1) }) {
      if let definition = schema.types[name] {
        try schema.validateDefinition(definition)
      }
    }
    for name in schema.directives.keys.sorted(by: { compareUTF8Bytes($0, $1) }) {
      if let directive = schema.directives[name] {
        try validateName(directive.name, directive.position)
        try schema.validateArguments(directive.arguments, directive: directive)
      }
    }
    if document.schema.isEmpty {
      if schema.query == nil { schema.query = schema.types["Query"] }
      if schema.mutation == nil { schema.mutation = schema.types["Mutation"] }
      if schema.subscription == nil { schema.subscription = schema.types["Subscription"] }
    }
    if let query = schema.query {
      query.fields.append(
        GraphQLFieldDefinition(name: "__schema", type: GraphQLType(namedType: "__Schema", nonNull: true), position: nil))
      let typeField = GraphQLFieldDefinition(name: "__type", type: GraphQLType(namedType: "__Type"), position: nil)
      typeField.arguments = [
        GraphQLArgumentDefinition(name: "name", type: GraphQLType(namedType: "String", nonNull: true), position: nil)
      ]
      query.fields.append(typeField)
    }
    return schema
  }

  // MARK: Definition checks

  private static func validateName(_ name: String, _ position: GraphQLPosition?) throws(GraphQLError) {
    if name.hasPrefix("__") {
      throw GraphQLError(
        message: "Name \"\(name)\" must not begin with \"__\", which is reserved by GraphQL introspection.",
        position: position)
    }
  }

  private func validateTypeReference(_ type: GraphQLType?) throws(GraphQLError) -> GraphQLDefinition {
    guard let type, type.isWellFormed else {
      throw GraphQLError(message: "invalid GraphQL type reference", position: nil)
    }
    guard let definition = types[type.name] else {
      throw GraphQLError(message: "Undefined type \(type.name).", position: type.position)
    }
    return definition
  }

  private func validateArguments(
    _ arguments: [GraphQLArgumentDefinition], directive: GraphQLDirectiveDefinition?
  ) throws(GraphQLError) {
    for argument in arguments {
      try GraphQLSchema.validateName(argument.name, argument.position)
      let definition = try validateTypeReference(argument.type)
      if !definition.isInputType {
        throw GraphQLError(
          message:
            "cannot use \(argument.type?.text ?? "") as argument \(argument.name) because \(definition.kind) is not a valid input type",
          position: argument.position)
      }
      try validateDirectives(argument.directives, location: "ARGUMENT_DEFINITION", current: directive)
    }
  }

  private func validateDirectives(
    _ directives: [GraphQLDirective], location: String, current: GraphQLDirectiveDefinition?
  ) throws(GraphQLError) {
    for directive in directives {
      try GraphQLSchema.validateName(directive.name, directive.position)
      if let current, directive.name == current.name {
        throw GraphQLError(message: "Directive \(current.name) cannot refer to itself.", position: directive.position)
      }
      guard let definition = self.directives[directive.name] else {
        throw GraphQLError(message: "Undefined directive \(directive.name).", position: directive.position)
      }
      if !definition.locations.contains(location) {
        throw GraphQLError(
          message: "Directive \(directive.name) is not applicable on \(location).", position: directive.position)
      }
      directive.definition = definition
    }
  }

  private func validateDefinition(_ definition: GraphQLDefinition) throws(GraphQLError) {
    for field in definition.fields {
      try GraphQLSchema.validateName(field.name, field.position)
      _ = try validateTypeReference(field.type)
      try validateArguments(field.arguments, directive: nil)
      let location = definition.kind == GraphQLDefinition.inputObject ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION"
      try validateDirectives(field.directives, location: location, current: nil)
    }
    for member in definition.types {
      guard let memberDefinition = types[member] else {
        throw GraphQLError(message: "Undefined type \(graphQLGoQuote(member)).", position: definition.position)
      }
      if memberDefinition.kind != GraphQLDefinition.object {
        throw GraphQLError(
          message: "\(definition.kind) type \(graphQLGoQuote(member)) must be OBJECT.", position: definition.position)
      }
    }
    for interface in definition.interfaces {
      try validateImplements(definition, interface)
    }
    switch definition.kind {
    case GraphQLDefinition.object, GraphQLDefinition.interface:
      if definition.fields.isEmpty {
        throw GraphQLError(
          message: "\(definition.kind) \(definition.name): must define one or more fields.",
          position: definition.position)
      }
      for field in definition.fields {
        if let fieldType = types[field.type?.name ?? ""],
          !(fieldType.isLeafType || fieldType.isCompositeType)
        {
          throw GraphQLError(
            message:
              "\(definition.kind) \(definition.name): field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.",
            position: field.position)
        }
      }
    case GraphQLDefinition.enumeration:
      if definition.enumValues.isEmpty {
        throw GraphQLError(
          message: "\(definition.kind) \(definition.name): must define one or more unique enum values.",
          position: definition.position)
      }
      for value in definition.enumValues where ["true", "false", "null"].contains(value.name) {
        throw GraphQLError(
          message: "\(definition.kind) \(definition.name): non-enum value \(value.name).",
          position: definition.position)
      }
    case GraphQLDefinition.inputObject:
      if definition.fields.isEmpty {
        throw GraphQLError(
          message: "\(definition.kind) \(definition.name): must define one or more input fields.",
          position: definition.position)
      }
      for field in definition.fields {
        if let fieldType = types[field.type?.name ?? ""], !fieldType.isInputType {
          throw GraphQLError(
            message: "\(fieldType.kind) \(field.name): field must be one of SCALAR, ENUM, INPUT_OBJECT.",
            position: field.position)
        }
      }
    default:
      break
    }
    var seen: Set<String> = []
    for field in definition.fields {
      if !seen.insert(field.name).inserted {
        throw GraphQLError(
          message: "Field \(definition.name).\(field.name) can only be defined once.", position: field.position)
      }
    }
    if !definition.builtIn {
      try GraphQLSchema.validateName(definition.name, definition.position)
    }
    try validateDirectives(definition.directives, location: definition.kind, current: nil)
  }

  private func validateImplements(_ definition: GraphQLDefinition, _ interfaceName: String) throws(GraphQLError) {
    guard let interface = types[interfaceName] else {
      throw GraphQLError(message: "Undefined type \(graphQLGoQuote(interfaceName)).", position: definition.position)
    }
    if interface.kind != GraphQLDefinition.interface {
      throw GraphQLError(
        message: "\(graphQLGoQuote(interfaceName)) is a non interface type \(interface.kind).",
        position: definition.position)
    }
    for required in interface.fields {
      guard let found = definition.field(named: required.name) else {
        throw GraphQLError(
          message: "For \(definition.name) to implement \(interface.name) it must have a field called \(required.name).",
          position: definition.position)
      }
      guard let requiredType = required.type, let foundType = found.type,
        isCovariant(requiredType, foundType)
      else {
        throw GraphQLError(
          message:
            "For \(definition.name) to implement \(interface.name) the field \(required.name) must have type \(required.type?.text ?? "").",
          position: found.position)
      }
      for requiredArgument in required.arguments {
        guard let foundArgument = found.argument(named: requiredArgument.name) else {
          throw GraphQLError(
            message:
              "For \(definition.name) to implement \(interface.name) the field \(required.name) must have the same arguments but it is missing \(requiredArgument.name).",
            position: found.position)
        }
        guard let requiredArgumentType = requiredArgument.type, let foundArgumentType = foundArgument.type,
          requiredArgumentType.isCompatible(with: foundArgumentType)
        else {
          throw GraphQLError(
            message:
              "For \(definition.name) to implement \(interface.name) the field \(required.name) must have the same arguments but \(requiredArgument.name) has the wrong type.",
            position: foundArgument.position)
        }
      }
      for foundArgument in found.arguments
      where required.argument(named: foundArgument.name) == nil && (foundArgument.type?.nonNull ?? false)
        && foundArgument.defaultValue == nil
      {
        throw GraphQLError(
          message:
            "For \(definition.name) to implement \(interface.name) any additional arguments on \(found.name) must be optional or have a default value but \(foundArgument.name) is required.",
          position: foundArgument.position)
      }
    }
    for transitive in interface.interfaces where !definition.interfaces.contains(transitive) {
      if transitive == definition.name {
        throw GraphQLError(
          message:
            "Type \(definition.name) cannot implement \(interfaceName) because it would create a circular reference.",
          position: definition.position)
      }
      throw GraphQLError(
        message: "Type \(definition.name) must implement \(transitive) because it is implemented by \(interfaceName).",
        position: definition.position)
    }
  }

  /// Whether a field of type `actual` satisfies an interface field of type `required`.
  private func isCovariant(_ required: GraphQLType, _ actual: GraphQLType) -> Bool {
    var required = required
    var actual = actual
    while true {
      if required.nonNull && !actual.nonNull { return false }
      if !required.namedType.isEmpty {
        if required.namedType == actual.namedType { return true }
        return possibleTypes[required.namedType]?.contains { $0.name == actual.namedType } ?? false
      }
      guard let requiredElem = required.elem, let actualElem = actual.elem else { return false }
      required = requiredElem
      actual = actualElem
    }
  }
}

/// Orders strings by their UTF-8 bytes, as Go's `sort.Strings` does.
func compareUTF8Bytes(_ lhs: String, _ rhs: String) -> Bool {
  lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
