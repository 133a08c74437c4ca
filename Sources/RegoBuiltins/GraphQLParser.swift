// Recursive-descent parser for GraphQL executable documents and type system (SDL) documents,
// following gqlparser's grammar decisions and error messages, which OPA reports verbatim: the
// first error wins (gqlparser records it and stops making progress; this parser throws), a token
// is shown as `Name "x"`, `String "x"`, `{` or `<EOF>`, and lexer failures surface as
// `Unexpected <Invalid>` at the point the lexer stopped.

/// A parse or validation error with gqlparser's message and, when known, its location.
struct GraphQLError: Error, Sendable {
  var message: String
  var position: GraphQLPosition?
}

/// The directive locations SDL may name.
private let graphQLDirectiveLocations: Set<String> = [
  "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
  "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
  "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
  "INPUT_FIELD_DEFINITION",
]

/// Parses one GraphQL source text.
struct GraphQLParser {
  private var lexer: GraphQLLexer
  private var peeked: GraphQLToken?
  /// The last token consumed (comments included, as in gqlparser).
  private var previous = GraphQLToken(kind: .eof, value: "", position: GraphQLPosition(line: 1, column: 1))
  private var depth = 0
  private let maxDepth: Int

  /// - Parameter maxDepth: the deepest nesting of selection sets, list/object values and list
  ///   types accepted; deeper input is an error rather than unbounded recursion.
  init(_ text: String, maxDepth: Int) {
    lexer = GraphQLLexer(text)
    self.maxDepth = maxDepth
  }

  // MARK: Token handling

  private mutating func peek() -> GraphQLToken {
    if let peeked { return peeked }
    var token = lexer.next()
    while token.kind == .comment {
      previous = token
      token = lexer.next()
    }
    peeked = token
    return token
  }

  @discardableResult
  private mutating func next() throws(GraphQLError) -> GraphQLToken {
    let token = peek()
    peeked = nil
    previous = token
    if token.kind == .invalid, let message = token.lexerError {
      throw GraphQLError(message: message, position: token.position)
    }
    return token
  }

  private func unexpected(_ token: GraphQLToken) -> GraphQLError {
    GraphQLError(message: "Unexpected \(token.display)", position: token.position)
  }

  @discardableResult
  private mutating func expect(_ kind: GraphQLTokenKind) throws(GraphQLError) -> GraphQLToken {
    let token = peek()
    if token.kind == kind { return try next() }
    throw GraphQLError(message: "Expected \(kind.display), found \(token.kind.display)", position: token.position)
  }

  private mutating func expectKeyword(_ keyword: String) throws(GraphQLError) {
    let token = peek()
    if token.kind == .name && token.value == keyword {
      try next()
      return
    }
    throw GraphQLError(
      message: "Expected \(graphQLGoQuote(keyword)), found \(token.display)", position: token.position)
  }

  private mutating func skip(_ kind: GraphQLTokenKind) throws(GraphQLError) -> Bool {
    guard peek().kind == kind else { return false }
    try next()
    return true
  }

  private mutating func parseName() throws(GraphQLError) -> String {
    try expect(.name).value
  }

  /// `start item* end`, possibly empty; nothing when `start` is absent.
  private mutating func many(
    _ start: GraphQLTokenKind, _ end: GraphQLTokenKind, _ item: (inout GraphQLParser) throws(GraphQLError) -> Void
  ) throws(GraphQLError) {
    guard try skip(start) else { return }
    while peek().kind != end {
      try item(&self)
    }
    try next()
  }

  /// `start item+ end`; nothing when `start` is absent, an error when there is no item.
  private mutating func some(
    _ start: GraphQLTokenKind, _ end: GraphQLTokenKind, _ item: (inout GraphQLParser) throws(GraphQLError) -> Void
  ) throws(GraphQLError) {
    guard try skip(start) else { return }
    var called = false
    while peek().kind != end {
      called = true
      try item(&self)
    }
    if !called {
      let token = peek()
      throw GraphQLError(
        message: "expected at least one definition, found \(token.kind.display)", position: token.position)
    }
    try next()
  }

  private mutating func enterNesting() throws(GraphQLError) {
    depth += 1
    if depth > maxDepth {
      throw GraphQLError(
        message: "Document nesting is deeper than \(maxDepth) levels", position: peek().position)
    }
  }

  private mutating func leaveNesting() {
    depth -= 1
  }

  // MARK: Executable documents

  /// Parses an executable document (operations and fragments).
  mutating func parseQueryDocument() throws(GraphQLError) -> GraphQLQueryDocument {
    let document = GraphQLQueryDocument()
    while peek().kind != .eof {
      let token = peek()
      switch token.kind {
      case .name:
        switch token.value {
        case "query", "mutation", "subscription":
          document.operations.append(try parseOperationDefinition())
        case "fragment":
          document.fragments.append(try parseFragmentDefinition())
        default:
          throw unexpected(token)
        }
      case .braceL:
        document.operations.append(try parseOperationDefinition())
      default:
        throw unexpected(token)
      }
    }
    return document
  }

  private mutating func parseOperationDefinition() throws(GraphQLError) -> GraphQLOperationDefinition {
    if peek().kind == .braceL {
      let operation = GraphQLOperationDefinition(operation: "query", position: peek().position)
      operation.selectionSet = try parseRequiredSelectionSet()
      return operation
    }
    let operation = GraphQLOperationDefinition(operation: "", position: peek().position)
    operation.operation = try parseOperationType()
    if peek().kind == .name {
      operation.name = try next().value
    }
    operation.variableDefinitions = try parseVariableDefinitions()
    operation.directives = try parseDirectives(isConst: false)
    operation.selectionSet = try parseRequiredSelectionSet()
    return operation
  }

  private mutating func parseOperationType() throws(GraphQLError) -> String {
    let token = try next()
    switch token.value {
    case "query", "mutation", "subscription": return token.value
    default: throw unexpected(token)
    }
  }

  private mutating func parseVariableDefinitions() throws(GraphQLError) -> [GraphQLVariableDefinition] {
    var definitions: [GraphQLVariableDefinition] = []
    try some(.parenL, .parenR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      definitions.append(try parser.parseVariableDefinition())
    }
    return definitions
  }

  private mutating func parseVariableDefinition() throws(GraphQLError) -> GraphQLVariableDefinition {
    let position = peek().position
    let name = try parseVariable()
    try expect(.colon)
    let definition = GraphQLVariableDefinition(variable: name, type: try parseTypeReference(), position: position)
    if try skip(.equals) {
      definition.defaultValue = try parseValueLiteral(isConst: true)
    }
    definition.directives = try parseDirectives(isConst: false)
    return definition
  }

  private mutating func parseVariable() throws(GraphQLError) -> String {
    try expect(.dollar)
    return try parseName()
  }

  private mutating func parseRequiredSelectionSet() throws(GraphQLError) -> [GraphQLSelection] {
    let token = peek()
    guard token.kind == .braceL else {
      throw GraphQLError(message: "Expected {, found \(token.kind.display)", position: token.position)
    }
    return try parseOptionalSelectionSet()
  }

  private mutating func parseOptionalSelectionSet() throws(GraphQLError) -> [GraphQLSelection] {
    try enterNesting()
    defer { leaveNesting() }
    var selections: [GraphQLSelection] = []
    try some(.braceL, .braceR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      selections.append(try parser.parseSelection())
    }
    return selections
  }

  private mutating func parseSelection() throws(GraphQLError) -> GraphQLSelection {
    if peek().kind == .spread { return try parseFragment() }
    return .field(try parseField())
  }

  private mutating func parseField() throws(GraphQLError) -> GraphQLField {
    let position = peek().position
    let alias = try parseName()
    let name = try skip(.colon) ? try parseName() : alias
    let field = GraphQLField(alias: alias, name: name, position: position)
    field.arguments = try parseArguments(isConst: false)
    field.directives = try parseDirectives(isConst: false)
    if peek().kind == .braceL {
      field.selectionSet = try parseOptionalSelectionSet()
    }
    return field
  }

  private mutating func parseArguments(isConst: Bool) throws(GraphQLError) -> [GraphQLArgument] {
    var arguments: [GraphQLArgument] = []
    try some(.parenL, .parenR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      let position = parser.peek().position
      let name = try parser.parseName()
      try parser.expect(.colon)
      arguments.append(
        GraphQLArgument(name: name, value: try parser.parseValueLiteral(isConst: isConst), position: position))
    }
    return arguments
  }

  private mutating func parseFragment() throws(GraphQLError) -> GraphQLSelection {
    try expect(.spread)
    let token = peek()
    if token.kind == .name && token.value != "on" {
      let spread = GraphQLFragmentSpread(name: try parseFragmentName(), position: token.position)
      spread.directives = try parseDirectives(isConst: false)
      return .fragmentSpread(spread)
    }
    let fragment = GraphQLInlineFragment(typeCondition: "", position: token.position)
    if token.value == "on" {
      try next()
      fragment.typeCondition = try parseName()
    }
    fragment.directives = try parseDirectives(isConst: false)
    fragment.selectionSet = try parseRequiredSelectionSet()
    return .inlineFragment(fragment)
  }

  private mutating func parseFragmentDefinition() throws(GraphQLError) -> GraphQLFragmentDefinition {
    let position = peek().position
    try expectKeyword("fragment")
    let fragment = GraphQLFragmentDefinition(name: try parseFragmentName(), position: position)
    fragment.variableDefinitions = try parseVariableDefinitions()
    try expectKeyword("on")
    fragment.typeCondition = try parseName()
    fragment.directives = try parseDirectives(isConst: false)
    fragment.selectionSet = try parseRequiredSelectionSet()
    return fragment
  }

  private mutating func parseFragmentName() throws(GraphQLError) -> String {
    let token = peek()
    if token.value == "on" { throw unexpected(token) }
    return try parseName()
  }

  private mutating func parseValueLiteral(isConst: Bool) throws(GraphQLError) -> GraphQLValue {
    let token = peek()
    let kind: GraphQLValueKind
    switch token.kind {
    case .bracketL:
      return try parseList(isConst: isConst)
    case .braceL:
      return try parseObject(isConst: isConst)
    case .dollar:
      if isConst { throw unexpected(token) }
      return GraphQLValue(raw: try parseVariable(), kind: .variable, position: token.position)
    case .int: kind = .int
    case .float: kind = .float
    case .string: kind = .string
    case .blockString: kind = .block
    case .name:
      switch token.value {
      case "true", "false": kind = .boolean
      case "null": kind = .null
      default: kind = .enumValue
      }
    default:
      throw unexpected(token)
    }
    try next()
    return GraphQLValue(raw: token.value, kind: kind, position: token.position)
  }

  private mutating func parseList(isConst: Bool) throws(GraphQLError) -> GraphQLValue {
    try enterNesting()
    defer { leaveNesting() }
    let position = peek().position
    var children: [GraphQLChildValue] = []
    try many(.bracketL, .bracketR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      children.append(
        GraphQLChildValue(name: "", value: try parser.parseValueLiteral(isConst: isConst), position: nil))
    }
    return GraphQLValue(raw: "", children: children, kind: .list, position: position)
  }

  private mutating func parseObject(isConst: Bool) throws(GraphQLError) -> GraphQLValue {
    try enterNesting()
    defer { leaveNesting() }
    let position = peek().position
    var children: [GraphQLChildValue] = []
    try many(.braceL, .braceR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      let fieldPosition = parser.peek().position
      let name = try parser.parseName()
      try parser.expect(.colon)
      children.append(
        GraphQLChildValue(name: name, value: try parser.parseValueLiteral(isConst: isConst), position: fieldPosition))
    }
    return GraphQLValue(raw: "", children: children, kind: .object, position: position)
  }

  private mutating func parseDirectives(isConst: Bool) throws(GraphQLError) -> [GraphQLDirective] {
    var directives: [GraphQLDirective] = []
    while peek().kind == .at {
      try expect(.at)
      let position = peek().position
      let name = try parseName()
      directives.append(
        GraphQLDirective(name: name, arguments: try parseArguments(isConst: isConst), position: position))
    }
    return directives
  }

  private mutating func parseTypeReference() throws(GraphQLError) -> GraphQLType {
    let type: GraphQLType
    if try skip(.bracketL) {
      try enterNesting()
      defer { leaveNesting() }
      let position = peek().position
      let elem = try parseTypeReference()
      try expect(.bracketR)
      type = GraphQLType(namedType: "", elem: elem, position: position)
    } else {
      let position = peek().position
      type = GraphQLType(namedType: try parseName(), position: position)
    }
    if try skip(.bang) {
      type.nonNull = true
    }
    return type
  }

  // MARK: Type system documents

  /// Parses a type system document; `builtIn` marks its type definitions as gqlparser's prelude.
  mutating func parseSchemaDocument(builtIn: Bool = false) throws(GraphQLError) -> GraphQLSchemaDocument {
    let document = GraphQLSchemaDocument()
    while peek().kind != .eof {
      var description = ""
      if peek().kind == .blockString || peek().kind == .string {
        description = try parseDescription()
      }
      let token = peek()
      guard token.kind == .name else { throw unexpected(token) }
      switch token.value {
      case "scalar", "type", "interface", "union", "enum", "input":
        document.definitions.append(try parseTypeSystemDefinition(description))
      case "schema":
        document.schema.append(try parseSchemaDefinition(description))
      case "directive":
        document.directives.append(try parseDirectiveDefinition(description))
      case "extend":
        if !description.isEmpty { throw unexpected(previous) }
        try parseTypeSystemExtension(document)
      default:
        throw unexpected(token)
      }
    }
    for definition in document.definitions { definition.builtIn = builtIn }
    for definition in document.extensions { definition.builtIn = builtIn }
    return document
  }

  private mutating func parseDescription() throws(GraphQLError) -> String {
    let token = peek()
    guard token.kind == .blockString || token.kind == .string else { return "" }
    return try next().value
  }

  private mutating func parseTypeSystemDefinition(_ description: String) throws(GraphQLError) -> GraphQLDefinition {
    let token = peek()
    let keyword = token.value
    let kind: String
    switch keyword {
    case "scalar": kind = GraphQLDefinition.scalar
    case "type": kind = GraphQLDefinition.object
    case "interface": kind = GraphQLDefinition.interface
    case "union": kind = GraphQLDefinition.union
    case "enum": kind = GraphQLDefinition.enumeration
    case "input": kind = GraphQLDefinition.inputObject
    default: throw unexpected(token)
    }
    try expectKeyword(keyword)
    let definition = GraphQLDefinition(kind: kind, name: "", position: peek().position)
    definition.description = description
    definition.name = try parseName()
    switch kind {
    case GraphQLDefinition.object, GraphQLDefinition.interface:
      definition.interfaces = try parseImplementsInterfaces()
      definition.directives = try parseDirectives(isConst: true)
      definition.fields = try parseFieldsDefinition()
    case GraphQLDefinition.union:
      definition.directives = try parseDirectives(isConst: true)
      definition.types = try parseUnionMemberTypes()
    case GraphQLDefinition.enumeration:
      definition.directives = try parseDirectives(isConst: true)
      definition.enumValues = try parseEnumValuesDefinition()
    case GraphQLDefinition.inputObject:
      definition.directives = try parseDirectives(isConst: true)
      definition.fields = try parseInputFieldsDefinition()
    default:
      definition.directives = try parseDirectives(isConst: true)
    }
    return definition
  }

  private mutating func parseImplementsInterfaces() throws(GraphQLError) -> [String] {
    var types: [String] = []
    if peek().value == "implements" {
      try next()
      _ = try skip(.amp)
      types.append(try parseName())
      while try skip(.amp) {
        types.append(try parseName())
      }
    }
    return types
  }

  private mutating func parseFieldsDefinition() throws(GraphQLError) -> [GraphQLFieldDefinition] {
    var fields: [GraphQLFieldDefinition] = []
    try some(.braceL, .braceR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      let position = parser.peek().position
      let description = try parser.parseDescription()
      let name = try parser.parseName()
      let arguments = try parser.parseArgumentDefinitions()
      try parser.expect(.colon)
      let field = GraphQLFieldDefinition(name: name, type: try parser.parseTypeReference(), position: position)
      field.description = description
      field.arguments = arguments
      field.directives = try parser.parseDirectives(isConst: true)
      fields.append(field)
    }
    return fields
  }

  private mutating func parseArgumentDefinitions() throws(GraphQLError) -> [GraphQLArgumentDefinition] {
    var arguments: [GraphQLArgumentDefinition] = []
    try some(.parenL, .parenR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      let position = parser.peek().position
      let description = try parser.parseDescription()
      let name = try parser.parseName()
      try parser.expect(.colon)
      let argument = GraphQLArgumentDefinition(name: name, type: try parser.parseTypeReference(), position: position)
      argument.description = description
      if try parser.skip(.equals) {
        argument.defaultValue = try parser.parseValueLiteral(isConst: true)
      }
      argument.directives = try parser.parseDirectives(isConst: true)
      arguments.append(argument)
    }
    return arguments
  }

  private mutating func parseInputFieldsDefinition() throws(GraphQLError) -> [GraphQLFieldDefinition] {
    var fields: [GraphQLFieldDefinition] = []
    try some(.braceL, .braceR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      let position = parser.peek().position
      let description = try parser.parseDescription()
      let name = try parser.parseName()
      try parser.expect(.colon)
      let field = GraphQLFieldDefinition(name: name, type: try parser.parseTypeReference(), position: position)
      field.description = description
      if try parser.skip(.equals) {
        field.defaultValue = try parser.parseValueLiteral(isConst: true)
      }
      field.directives = try parser.parseDirectives(isConst: true)
      fields.append(field)
    }
    return fields
  }

  private mutating func parseUnionMemberTypes() throws(GraphQLError) -> [String] {
    var types: [String] = []
    if try skip(.equals) {
      _ = try skip(.pipe)
      types.append(try parseName())
      while try skip(.pipe) {
        types.append(try parseName())
      }
    }
    return types
  }

  private mutating func parseEnumValuesDefinition() throws(GraphQLError) -> [GraphQLEnumValueDefinition] {
    var values: [GraphQLEnumValueDefinition] = []
    try some(.braceL, .braceR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      let position = parser.peek().position
      let description = try parser.parseDescription()
      let value = GraphQLEnumValueDefinition(name: try parser.parseName(), position: position)
      value.description = description
      value.directives = try parser.parseDirectives(isConst: true)
      values.append(value)
    }
    return values
  }

  private mutating func parseSchemaDefinition(_ description: String) throws(GraphQLError) -> GraphQLSchemaDefinition {
    try expectKeyword("schema")
    let definition = GraphQLSchemaDefinition(position: peek().position)
    definition.description = description
    definition.directives = try parseDirectives(isConst: true)
    definition.operationTypes = try parseOperationTypeDefinitions()
    return definition
  }

  private mutating func parseOperationTypeDefinitions() throws(GraphQLError) -> [GraphQLOperationTypeDefinition] {
    var operations: [GraphQLOperationTypeDefinition] = []
    try some(.braceL, .braceR) { (parser: inout GraphQLParser) throws(GraphQLError) in
      let position = parser.peek().position
      let operation = try parser.parseOperationType()
      try parser.expect(.colon)
      operations.append(
        GraphQLOperationTypeDefinition(operation: operation, type: try parser.parseName(), position: position))
    }
    return operations
  }

  private mutating func parseTypeSystemExtension(_ document: GraphQLSchemaDocument) throws(GraphQLError) {
    try expectKeyword("extend")
    let token = peek()
    let kind: String
    switch token.value {
    case "schema":
      try expectKeyword("schema")
      let definition = GraphQLSchemaDefinition(position: peek().position)
      definition.directives = try parseDirectives(isConst: true)
      definition.operationTypes = try parseOperationTypeDefinitions()
      if definition.directives.isEmpty && definition.operationTypes.isEmpty { throw unexpected(peek()) }
      document.schemaExtension.append(definition)
      return
    case "scalar": kind = GraphQLDefinition.scalar
    case "type": kind = GraphQLDefinition.object
    case "interface": kind = GraphQLDefinition.interface
    case "union": kind = GraphQLDefinition.union
    case "enum": kind = GraphQLDefinition.enumeration
    case "input": kind = GraphQLDefinition.inputObject
    default: throw unexpected(token)
    }
    try expectKeyword(token.value)
    let definition = GraphQLDefinition(kind: kind, name: "", position: peek().position)
    definition.name = try parseName()
    let isEmpty: Bool
    switch kind {
    case GraphQLDefinition.object:
      definition.interfaces = try parseImplementsInterfaces()
      definition.directives = try parseDirectives(isConst: true)
      definition.fields = try parseFieldsDefinition()
      isEmpty = definition.interfaces.isEmpty && definition.directives.isEmpty && definition.fields.isEmpty
    case GraphQLDefinition.interface:
      definition.directives = try parseDirectives(isConst: true)
      definition.fields = try parseFieldsDefinition()
      isEmpty = definition.directives.isEmpty && definition.fields.isEmpty
    case GraphQLDefinition.union:
      definition.directives = try parseDirectives(isConst: true)
      definition.types = try parseUnionMemberTypes()
      isEmpty = definition.directives.isEmpty && definition.types.isEmpty
    case GraphQLDefinition.enumeration:
      definition.directives = try parseDirectives(isConst: true)
      definition.enumValues = try parseEnumValuesDefinition()
      isEmpty = definition.directives.isEmpty && definition.enumValues.isEmpty
    case GraphQLDefinition.inputObject:
      definition.directives = try parseDirectives(isConst: false)
      definition.fields = try parseInputFieldsDefinition()
      isEmpty = definition.directives.isEmpty && definition.fields.isEmpty
    default:
      definition.directives = try parseDirectives(isConst: true)
      isEmpty = definition.directives.isEmpty
    }
    if isEmpty { throw unexpected(peek()) }
    document.extensions.append(definition)
  }

  private mutating func parseDirectiveDefinition(_ description: String) throws(GraphQLError) -> GraphQLDirectiveDefinition {
    try expectKeyword("directive")
    try expect(.at)
    let definition = GraphQLDirectiveDefinition(name: "", position: peek().position)
    definition.description = description
    definition.name = try parseName()
    definition.arguments = try parseArgumentDefinitions()
    let token = peek()
    if token.kind == .name && token.value == "repeatable" {
      definition.isRepeatable = true
      try next()
    }
    try expectKeyword("on")
    _ = try skip(.pipe)
    definition.locations.append(try parseDirectiveLocation())
    while try skip(.pipe) {
      definition.locations.append(try parseDirectiveLocation())
    }
    return definition
  }

  private mutating func parseDirectiveLocation() throws(GraphQLError) -> String {
    let token = try expect(.name)
    guard graphQLDirectiveLocations.contains(token.value) else { throw unexpected(token) }
    return token.value
  }
}
