import PolicyCore
import RegoBuiltins
import Testing

// Cases from OPA's graphql conformance suite (shared/conformance/rego/opa-v1/graphql), whose Rego
// modules compare the builtins' results with literal ASTs, plus edge cases of our own.

private func call(_ name: String, _ arguments: Value...) throws(BuiltinError) -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func json(_ text: String) -> Value {
  try! JSON.parse(text)
}

/// A source with either its expected AST (JSON) or its expected error message.
struct GraphQLCase: Sendable, CustomTestStringConvertible {
  var note: String
  var source: String
  var expected: String
  init(_ note: String, _ source: String, _ expected: String) {
    self.note = note
    self.source = source
    self.expected = expected
  }
  var testDescription: String { note }
}

/// A schema and whether `graphql.schema_is_valid` accepts it (given as text or, with `asAST`, as
/// the object `graphql.parse_schema` returns for it).
struct GraphQLValidityCase: Sendable, CustomTestStringConvertible {
  var note: String
  var schema: String
  var asAST: Bool
  var valid: Bool
  init(_ note: String, _ schema: String, asAST: Bool, valid: Bool) {
    self.note = note
    self.schema = schema
    self.asAST = asAST
    self.valid = valid
  }
  var testDescription: String { note }
}

@Suite("GraphQL builtins")
struct GraphQLTests {
  @Test("parse_query returns OPA's AST objects", arguments: GraphQLTables.parseQuery)
  func parseQuery(_ testCase: GraphQLCase) throws {
    #expect(try call("graphql.parse_query", .string(testCase.source)) == json(testCase.expected))
  }

  @Test("parse_query fails with gqlparser's messages and locations", arguments: GraphQLTables.parseQueryErrors)
  func parseQueryErrors(_ testCase: GraphQLCase) {
    #expect(throws: BuiltinError(.builtin, testCase.expected)) {
      try call("graphql.parse_query", .string(testCase.source))
    }
  }

  @Test("parse_schema returns OPA's AST objects", arguments: GraphQLTables.parseSchema)
  func parseSchema(_ testCase: GraphQLCase) throws {
    #expect(try call("graphql.parse_schema", .string(testCase.source)) == json(testCase.expected))
  }

  @Test("parse_schema fails with gqlparser's messages and locations", arguments: GraphQLTables.parseSchemaErrors)
  func parseSchemaErrors(_ testCase: GraphQLCase) {
    #expect(throws: BuiltinError(.builtin, testCase.expected)) {
      try call("graphql.parse_schema", .string(testCase.source))
    }
  }

  @Test("schema_is_valid loads schemas as gqlparser does", arguments: GraphQLTables.schemaValidity)
  func schemaIsValid(_ testCase: GraphQLValidityCase) throws {
    let schema: Value =
      testCase.asAST ? try call("graphql.parse_schema", .string(testCase.schema)) : .string(testCase.schema)
    #expect(try call("graphql.schema_is_valid", schema) == .bool(testCase.valid))
  }

  // MARK: parse, parse_and_verify, is_valid

  static let federationSchema = """
    extend type User {
        id: ID!
    }
    extend type Product {
        upc: String!
    }
    union _Entity = Product | User
    extend type Query {
      entity: _Entity
    }
    """

  static let localeSchema = """
    type Query {
        x: Int
    }
    extend type Query {
        myAction(myEnum: Locale!): SomeResult!
    }
    type SomeResult {
        id: String
    }
    enum Locale {
        EN
        LT
        DE
    }
    """

  @Test("parse validates against schemas that extend undeclared types")
  func parseExtendingMissingTypes() throws {
    let query = "{ entity { ... on User { id } } }"
    let expected = json(
      #"{"Operations": [{"Name": "", "Operation": "query", "SelectionSet": [{"Alias": "entity", "Name": "entity", "SelectionSet": [{"SelectionSet": [{"Alias": "id", "Name": "id"}], "TypeCondition": "User"}]}]}]}"#
    )
    let result = try call("graphql.parse", .string(query), .string(Self.federationSchema))
    #expect(result[0] == expected)
    let verified = try call("graphql.parse_and_verify", .string(query), .string(Self.federationSchema))
    #expect(verified[0] == true)
    #expect(verified[1] == expected)
    #expect(verified[2] == result[1])
    #expect(try call("graphql.is_valid", .string(query), .string(Self.federationSchema)) == true)
  }

  @Test("parse reports a missing required argument at the field")
  func parseMissingArgument() throws {
    let schema = """
      extend type Query {
          myAction(myEnum: Locale!): SomeResult!
      }
      type SomeResult {
          id: String
      }
      enum Locale {
          EN
          LT
          DE
      }
      """
    let query = """
      query SomeOperation {
        # Note: Not providing mandatory parameter: (myEnum: Locale!)
        myAction {
          id
        }
      }
      """
    #expect(
      throws: BuiltinError(
        .builtin,
        "Field \"myAction\" argument \"myEnum\" of type \"Locale!\" is required, but it was not provided in GraphQL string at location 3:3"
      )
    ) {
      try call("graphql.parse", .string(query), .string(schema))
    }
    #expect(try call("graphql.parse_and_verify", .string(query), .string(schema)) == [false, [:], [:]])
    #expect(try call("graphql.is_valid", .string(query), .string(schema)) == false)
  }

  @Test("a variable with a default may fill a non-null argument")
  func variableDefaults() throws {
    let query = "query SomeOperation ($locale: Locale! = DE) { myAction(myEnum: $locale) { id } }"
    let expected = json(
      #"{"Operations": [{"Name": "SomeOperation", "Operation": "query", "SelectionSet": [{"Alias": "myAction", "Arguments": [{"Name": "myEnum", "Value": {"ExpectedTypeHasDefault": false, "Kind": 0, "Raw": "locale"}}], "Name": "myAction", "SelectionSet": [{"Alias": "id", "Name": "id"}]}], "VariableDefinitions": [{"DefaultValue": {"ExpectedTypeHasDefault": false, "Kind": 7, "Raw": "DE"}, "Type": {"NamedType": "Locale", "NonNull": true}, "Used": false, "Variable": "locale"}]}]}"#
    )
    #expect(try call("graphql.parse", .string(query), .string(Self.localeSchema))[0] == expected)
    #expect(try call("graphql.parse_and_verify", .string(query), .string(Self.localeSchema))[0] == true)
  }

  @Test("an empty query is valid and parses to an empty object")
  func emptyQuery() throws {
    let schema = """
      type DeprecatedType {
        deprecatedField: String @deprecated
        newField(deprecatedArg: Int): Boolean
      }
      enum DeprecatedEnum {
        ALPHA @deprecated
      }
      """
    #expect(try call("graphql.parse", "", .string(schema))[0] == [:])
    let verified = try call("graphql.parse_and_verify", "", .string(schema))
    #expect(verified[0] == true)
    #expect(verified[1] == [:])
  }

  @Test("variables used only inside fragments count as used; ASTs are returned unannotated")
  func variablesUsedInFragments() throws {
    let schema = "type Query { bar: String! }"
    let query = """
      query Foo($flag: Boolean!) {
        ...Bar
      }
      fragment Bar on Query {
        bar @include(if: $flag)
      }
      """
    let expected = json(
      #"{"Fragments": [{"Name": "Bar", "SelectionSet": [{"Alias": "bar", "Directives": [{"Arguments": [{"Name": "if", "Value": {"ExpectedTypeHasDefault": false, "Kind": 0, "Raw": "flag"}}], "Location": "", "Name": "include"}], "Name": "bar"}], "TypeCondition": "Query"}], "Operations": [{"Name": "Foo", "Operation": "query", "SelectionSet": [{"Name": "Bar"}], "VariableDefinitions": [{"Type": {"NamedType": "Boolean", "NonNull": true}, "Used": false, "Variable": "flag"}]}]}"#
    )
    #expect(try call("graphql.parse", .string(query), .string(schema))[0] == expected)
  }

  @Test("AST objects are accepted in place of source text and come back unchanged")
  func astObjects() throws {
    let schema = try call(
      "graphql.parse_schema",
      """
      type Employee {
        id: String!
        salary: Int!
      }
      schema {
        query: Query
      }
      type Query {
        employeeByID(id: String): Employee
      }
      """)
    let query = try call("graphql.parse_query", #"query { employeeByID(id: "alice") { salary }}"#)
    #expect(try call("graphql.parse", query, schema) == [query, schema])
    #expect(try call("graphql.parse_and_verify", query, schema) == [true, query, schema])
    #expect(try call("graphql.is_valid", query, schema) == true)
    #expect(try call("graphql.schema_is_valid", schema) == true)
  }

  @Test("selections in AST objects decode as fields, as OPA's JSON decoding makes them")
  func astObjectSelectionsBecomeFields() throws {
    let schema = "type Query { bar: String }"
    let text = "query { ...F } fragment F on Query { bar }"
    #expect(try call("graphql.is_valid", .string(text), .string(schema)) == true)
    // The spread `...F` comes back from its object form as a field named F, which Query lacks.
    let query = try call("graphql.parse_query", .string(text))
    #expect(try call("graphql.is_valid", query, .string(schema)) == false)
    do {
      _ = try call("graphql.parse", query, .string(schema))
      Issue.record("expected a validation error")
    } catch {
      #expect(error.message.contains(#"Cannot query field "F" on type "Query"."#))
    }
  }

  // MARK: Operands

  @Test("operand types: parse_query and parse_schema take strings, the rest strings or objects")
  func operandTypes() throws {
    #expect(throws: BuiltinError(.type, "operand 1 must be string but got number")) {
      try call("graphql.parse_query", 5)
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be string but got object")) {
      try call("graphql.parse_schema", [:])
    }
    #expect(throws: BuiltinError(.type, "operand 0 must be one of {string, object} but got number")) {
      try call("graphql.parse", 5, "type Query { a: Int }")
    }
    #expect(throws: BuiltinError(.type, "operand 1 must be one of {string, object} but got array")) {
      try call("graphql.parse", "{ a }", [])
    }
    #expect(try call("graphql.is_valid", 5, "type Query { a: Int }") == false)
    #expect(try call("graphql.parse_and_verify", "{ a }", .null) == [false, [:], [:]])
    #expect(try call("graphql.schema_is_valid", 5) == false)
  }

  // MARK: Lexing and parsing details

  @Test("string escapes, block strings and numbers")
  func literals() throws {
    let source = """
      { f(s: "\\u0041\\n\\"", b: \"""
          one
            two
          \""", i: -12, x: 1.5e3) }
      """
    let ast = try call("graphql.parse_query", .string(source))
    let arguments = ast["Operations"][0]["SelectionSet"][0]["Arguments"]
    #expect(arguments[0]["Value"]["Raw"] == "A\n\"")
    #expect(arguments[0]["Value"]["Kind"] == 3)
    #expect(arguments[1]["Value"]["Raw"] == "one\n  two")
    #expect(arguments[1]["Value"]["Kind"] == 4)
    #expect(arguments[2]["Value"]["Raw"] == "-12")
    #expect(arguments[2]["Value"]["Kind"] == 1)
    #expect(arguments[3]["Value"]["Raw"] == "1.5e3")
    #expect(arguments[3]["Value"]["Kind"] == 2)
  }

  @Test("characters the lexer rejects are reported where it stopped")
  func lexerErrors() {
    #expect(throws: BuiltinError(.builtin, "Unexpected <Invalid> in GraphQL string at location 1:24")) {
      try call("graphql.parse_query", #"{ a(b: "unterminated) }"#)
    }
    #expect(throws: BuiltinError(.builtin, "Expected Name, found <Invalid> in GraphQL string at location 1:3")) {
      try call("graphql.parse_query", "{ ? }")
    }
    // Consumed outright (an operation type slot takes any token), the lexer's own message shows.
    #expect(
      throws: BuiltinError(.builtin, #"Cannot parse the unexpected character "?". in GraphQL string at location 1:10"#)
    ) {
      try call("graphql.parse_schema", "schema { ? }")
    }
  }

  @Test("nesting deeper than the limit is an error, not a crash")
  func nestingLimit() {
    let deepSelections = String(repeating: "{ a ", count: 600) + String(repeating: "}", count: 600)
    #expect(throws: BuiltinError.self) {
      try call("graphql.parse_query", .string(deepSelections))
    }
    let deepList = "{ a(b: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + ") }"
    #expect(throws: BuiltinError.self) {
      try call("graphql.parse_query", .string(deepList))
    }
    let deepType = "type Query { a: " + String(repeating: "[", count: 5000) + "Int" + String(repeating: "]", count: 5000) + " }"
    #expect(throws: BuiltinError.self) {
      try call("graphql.parse_schema", .string(deepType))
    }
    #expect((try? call("graphql.is_valid", .string(deepSelections), "type Query { a: Int }")) == false)
  }

  @Test("documents nested just under the limit parse, validate and encode")
  func deepButAllowed() throws {
    let schema = "type Query { a: T } type T { a: T, b: Int }"
    let depth = 500
    let query = String(repeating: "{ a ", count: depth) + "{ b }" + String(repeating: "}", count: depth)
    #expect(try call("graphql.is_valid", .string(query), .string(schema)) == true)
    let parsed = try call("graphql.parse", .string(query), .string(schema))
    #expect(parsed[0]["Operations"][0]["SelectionSet"][0]["Name"] == "a")
    // A chain of fragments, each spreading the next, validates without unbounded recursion.
    var chained = "{ a { ...F0 } }"
    for index in 0..<200 {
      chained += " fragment F\(index) on T { a { ...F\(index + 1) } }"
    }
    chained += " fragment F200 on T { b }"
    #expect(try call("graphql.is_valid", .string(chained), .string(schema)) == true)
  }

  // MARK: Validation messages

  @Test("validation errors read as OPA reports them")
  func validationMessages() {
    let schema = "type Query { hello: String, count(limit: Int!): Int }"
    // The suggestion ends in "?", so OPA's trimming of a final ".\n" leaves the newline.
    #expect(
      throws: BuiltinError(
        .builtin, "Cannot query field \"helo\" on type \"Query\". Did you mean \"hello\"?\n in GraphQL string at location 1:3")
    ) {
      try call("graphql.parse", "{ helo }", .string(schema))
    }
    // Several errors: the first one's location, the others inline.
    #expect(
      throws: BuiltinError(
        .builtin,
        "Cannot query field \"a\" on type \"Query\".\ninput:1:5: Cannot query field \"b\" on type \"Query\" in GraphQL string at location 1:3"
      )
    ) {
      try call("graphql.parse", "{ a b }", .string(schema))
    }
    #expect(
      throws: BuiltinError(
        .builtin, "Variable \"$x\" is never used in operation \"Q\" in GraphQL string at location 1:9")
    ) {
      try call("graphql.parse", "query Q($x: Int) { hello }", .string(schema))
    }
    #expect(
      throws: BuiltinError(
        .builtin, "Cannot query field \"x\" on type \"String\".\ninput:1:3: Field \"hello\" must not have a selection since type \"String\" has no subfields in GraphQL string at location 1:11")
    ) {
      try call("graphql.parse", "{ hello { x } }", .string(schema))
    }
    #expect(
      throws: BuiltinError(
        .builtin, "Int cannot represent non-integer value: \"x\"\n in GraphQL string at location 1:17")
    ) {
      try call("graphql.parse", #"{ count(limit: "x") }"#, .string(schema))
    }
  }

  @Test("schema errors in graphql.parse carry gqlparser's wording")
  func schemaErrors() throws {
    #expect(
      throws: BuiltinError(
        .builtin, #"Error in gqlparser SchemaDocument to Schema conversion: input:1:7: Undefined type "World"."#)
    ) {
      try call("graphql.parse", "{ a }", "union Hello = World")
    }
    #expect(try call("graphql.schema_is_valid", "type Query { a: Int } type Query { b: Int }") == false)
    #expect(try call("graphql.schema_is_valid", "type __Bad { a: Int }") == false)
    #expect(try call("graphql.schema_is_valid", "interface I { a: Int } type T implements I { a: Int }") == true)
    #expect(try call("graphql.schema_is_valid", "interface I { a: Int } type T implements I { b: Int }") == false)
  }

  @Test("fragments: unknown, unused, cyclic, and spread on impossible types")
  func fragmentRules() throws {
    let schema = "type Query { a: A, b: B } type A { x: Int } type B { y: Int }"
    #expect(try call("graphql.is_valid", "{ a { ...F } } fragment F on A { x }", .string(schema)) == true)
    #expect(try call("graphql.is_valid", "{ a { ...G } }", .string(schema)) == false)
    #expect(try call("graphql.is_valid", "{ a { x } } fragment F on A { x }", .string(schema)) == false)
    #expect(try call("graphql.is_valid", "{ a { ...F } } fragment F on A { ...F }", .string(schema)) == false)
    #expect(try call("graphql.is_valid", "{ a { ...F } } fragment F on B { y }", .string(schema)) == false)
    #expect(try call("graphql.is_valid", "{ a { x } a: b { y } }", .string(schema)) == false)
  }
}

/// Cases extracted from the conformance files.
enum GraphQLTables {
  static let parseQuery: [GraphQLCase] = [
    GraphQLCase("success-basic-ast simple query", "{hero {name}}",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"hero\",\"Name\":\"hero\",\"SelectionSet\":[{\"Alias\":\"name\",\"Name\":\"name\"}]}]}]}"),
    GraphQLCase("success-basic-ast with arguments", "query hero ($episode: Episode!) {\n    hero (episode: $episode) {\n        id\n        name\n        friends {\n            id\n            name\n            friends {\n                id\n                name\n                appearsIn\n            }\n            appearsIn\n        }\n        appearsIn\n    }\n}",
      "{\"Operations\":[{\"Name\":\"hero\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"hero\",\"Arguments\":[{\"Name\":\"episode\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"episode\"}}],\"Name\":\"hero\",\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"},{\"Alias\":\"name\",\"Name\":\"name\"},{\"Alias\":\"friends\",\"Name\":\"friends\",\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"},{\"Alias\":\"name\",\"Name\":\"name\"},{\"Alias\":\"friends\",\"Name\":\"friends\",\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"},{\"Alias\":\"name\",\"Name\":\"name\"},{\"Alias\":\"appearsIn\",\"Name\":\"appearsIn\"}]},{\"Alias\":\"appearsIn\",\"Name\":\"appearsIn\"}]},{\"Alias\":\"appearsIn\",\"Name\":\"appearsIn\"}]}],\"VariableDefinitions\":[{\"Type\":{\"NamedType\":\"Episode\",\"NonNull\":true},\"Used\":false,\"Variable\":\"episode\"}]}]}"),
    GraphQLCase("success-basic-ast inline fragments and type conditions", "query HeroForEpisode($ep: Episode!) {\n  hero(episode: $ep) {\n    name\n    ... on Droid {\n      primaryFunction\n    }\n    ... on Human {\n      height\n    }\n  }\n}",
      "{\"Operations\":[{\"Name\":\"HeroForEpisode\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"hero\",\"Arguments\":[{\"Name\":\"episode\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"ep\"}}],\"Name\":\"hero\",\"SelectionSet\":[{\"Alias\":\"name\",\"Name\":\"name\"},{\"SelectionSet\":[{\"Alias\":\"primaryFunction\",\"Name\":\"primaryFunction\"}],\"TypeCondition\":\"Droid\"},{\"SelectionSet\":[{\"Alias\":\"height\",\"Name\":\"height\"}],\"TypeCondition\":\"Human\"}]}],\"VariableDefinitions\":[{\"Type\":{\"NamedType\":\"Episode\",\"NonNull\":true},\"Used\":false,\"Variable\":\"ep\"}]}]}"),
    GraphQLCase("success-basic-ast meta fields and introspection", "{\n  search(text: \"an\") {\n    __typename\n    ... on Human {\n      name\n    }\n    ... on Droid {\n      name\n    }\n    ... on Starship {\n      name\n    }\n  }\n}",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"search\",\"Arguments\":[{\"Name\":\"text\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":3,\"Raw\":\"an\"}}],\"Name\":\"search\",\"SelectionSet\":[{\"Alias\":\"__typename\",\"Name\":\"__typename\"},{\"SelectionSet\":[{\"Alias\":\"name\",\"Name\":\"name\"}],\"TypeCondition\":\"Human\"},{\"SelectionSet\":[{\"Alias\":\"name\",\"Name\":\"name\"}],\"TypeCondition\":\"Droid\"},{\"SelectionSet\":[{\"Alias\":\"name\",\"Name\":\"name\"}],\"TypeCondition\":\"Starship\"}]}]}]}"),
    GraphQLCase("success-variables are allowed in args", "{ field(complex: { a: { b: [ $var ] } }) }",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"field\",\"Arguments\":[{\"Name\":\"complex\",\"Value\":{\"Children\":[{\"Name\":\"a\",\"Value\":{\"Children\":[{\"Name\":\"b\",\"Value\":{\"Children\":[{\"Name\":\"\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"var\"}}],\"ExpectedTypeHasDefault\":false,\"Kind\":8,\"Raw\":\"\"}}],\"ExpectedTypeHasDefault\":false,\"Kind\":9,\"Raw\":\"\"}}],\"ExpectedTypeHasDefault\":false,\"Kind\":9,\"Raw\":\"\"}}],\"Name\":\"field\"}]}]}"),
    GraphQLCase("success-variables can have directives", "query ($withDirective: String @first @second, $withoutDirective: String) { f }",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"f\",\"Name\":\"f\"}],\"VariableDefinitions\":[{\"Directives\":[{\"Location\":\"\",\"Name\":\"first\"},{\"Location\":\"\",\"Name\":\"second\"}],\"Type\":{\"NamedType\":\"String\",\"NonNull\":false},\"Used\":false,\"Variable\":\"withDirective\"},{\"Type\":{\"NamedType\":\"String\",\"NonNull\":false},\"Used\":false,\"Variable\":\"withoutDirective\"}]}]}"),
    GraphQLCase("success-encoding multibyte characters are supported", "\n  # This comment has a \u{a0a} multi-byte character.\n  { field(arg: \"Has a \u{a0a} multi-byte character.\") }\n",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"field\",\"Arguments\":[{\"Name\":\"arg\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":3,\"Raw\":\"Has a \u{a0a} multi-byte character.\"}}],\"Name\":\"field\"}]}]}"),
    GraphQLCase("success-keywords-allowed-where-names-are on", "\n  query on {\n    ... a\n    ... on on { field }\n  }\n  fragment a on Type {\n    on(on: $on)\n      @on(on: on)\n  }\n",
      "{\"Fragments\":[{\"Name\":\"a\",\"SelectionSet\":[{\"Alias\":\"on\",\"Arguments\":[{\"Name\":\"on\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"on\"}}],\"Directives\":[{\"Arguments\":[{\"Name\":\"on\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":7,\"Raw\":\"on\"}}],\"Location\":\"\",\"Name\":\"on\"}],\"Name\":\"on\"}],\"TypeCondition\":\"Type\"}],\"Operations\":[{\"Name\":\"on\",\"Operation\":\"query\",\"SelectionSet\":[{\"Name\":\"a\"},{\"SelectionSet\":[{\"Alias\":\"field\",\"Name\":\"field\"}],\"TypeCondition\":\"on\"}]}]}"),
    GraphQLCase("success-keywords-allowed-where-names-are subscription", "\n  query subscription {\n    ... subscription\n    ... on subscription { field }\n  }\n  fragment subscription on Type {\n    subscription(subscription: $subscription)\n      @subscription(subscription: subscription)\n  }\n",
      "{\"Fragments\":[{\"Name\":\"subscription\",\"SelectionSet\":[{\"Alias\":\"subscription\",\"Arguments\":[{\"Name\":\"subscription\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"subscription\"}}],\"Directives\":[{\"Arguments\":[{\"Name\":\"subscription\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":7,\"Raw\":\"subscription\"}}],\"Location\":\"\",\"Name\":\"subscription\"}],\"Name\":\"subscription\"}],\"TypeCondition\":\"Type\"}],\"Operations\":[{\"Name\":\"subscription\",\"Operation\":\"query\",\"SelectionSet\":[{\"Name\":\"subscription\"},{\"SelectionSet\":[{\"Alias\":\"field\",\"Name\":\"field\"}],\"TypeCondition\":\"subscription\"}]}]}"),
    GraphQLCase("success-keywords-allowed-where-names-are true", "\n  query true {\n    ... true\n    ... on true { field }\n  }\n  fragment true on Type {\n    true(true: $true)\n      @true(true: true)\n  }\n",
      "{\"Fragments\":[{\"Name\":\"true\",\"SelectionSet\":[{\"Alias\":\"true\",\"Arguments\":[{\"Name\":\"true\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"true\"}}],\"Directives\":[{\"Arguments\":[{\"Name\":\"true\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":5,\"Raw\":\"true\"}}],\"Location\":\"\",\"Name\":\"true\"}],\"Name\":\"true\"}],\"TypeCondition\":\"Type\"}],\"Operations\":[{\"Name\":\"true\",\"Operation\":\"query\",\"SelectionSet\":[{\"Name\":\"true\"},{\"SelectionSet\":[{\"Alias\":\"field\",\"Name\":\"field\"}],\"TypeCondition\":\"true\"}]}]}"),
    GraphQLCase("success-operations anonymous mutation", "mutation { mutationField }",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"mutation\",\"SelectionSet\":[{\"Alias\":\"mutationField\",\"Name\":\"mutationField\"}]}]}"),
    GraphQLCase("success-operations named mutation", "mutation Foo { mutationField }",
      "{\"Operations\":[{\"Name\":\"Foo\",\"Operation\":\"mutation\",\"SelectionSet\":[{\"Alias\":\"mutationField\",\"Name\":\"mutationField\"}]}]}"),
    GraphQLCase("success-operations anonymous subscription", "subscription { subscriptionField }",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"subscription\",\"SelectionSet\":[{\"Alias\":\"subscriptionField\",\"Name\":\"subscriptionField\"}]}]}"),
    GraphQLCase("success-operations named subscription", "subscription Foo { subscriptionField }",
      "{\"Operations\":[{\"Name\":\"Foo\",\"Operation\":\"subscription\",\"SelectionSet\":[{\"Alias\":\"subscriptionField\",\"Name\":\"subscriptionField\"}]}]}"),
    GraphQLCase("success-ast simple query", "\n  {\n    node(id: 4) {\n      id,\n      name\n    }\n  }\n",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"node\",\"Arguments\":[{\"Name\":\"id\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":1,\"Raw\":\"4\"}}],\"Name\":\"node\",\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"},{\"Alias\":\"name\",\"Name\":\"name\"}]}]}]}"),
    GraphQLCase("success-ast nameless query with no variables", "\n  query {\n    node {\n      id\n    }\n  }\n",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"node\",\"Name\":\"node\",\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"}]}]}]}"),
    GraphQLCase("success-ast fragment defined variables", "fragment a($v: Boolean = false) on t { f(v: $v) }",
      "{\"Fragments\":[{\"Name\":\"a\",\"SelectionSet\":[{\"Alias\":\"f\",\"Arguments\":[{\"Name\":\"v\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"v\"}}],\"Name\":\"f\"}],\"TypeCondition\":\"t\",\"VariableDefinition\":[{\"DefaultValue\":{\"ExpectedTypeHasDefault\":false,\"Kind\":5,\"Raw\":\"false\"},\"Type\":{\"NamedType\":\"Boolean\",\"NonNull\":false},\"Used\":false,\"Variable\":\"v\"}]}]}"),
    GraphQLCase("success-values null", "{ f(id: null) }",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"f\",\"Arguments\":[{\"Name\":\"id\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":6,\"Raw\":\"null\"}}],\"Name\":\"f\"}]}]}"),
    GraphQLCase("success-values strings", "{ f(long: \"\"\"long\"\"\", short: \"short\") }",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"f\",\"Arguments\":[{\"Name\":\"long\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":4,\"Raw\":\"long\"}},{\"Name\":\"short\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":3,\"Raw\":\"short\"}}],\"Name\":\"f\"}]}]}"),
    GraphQLCase("success-values list", "{ f(id: [1,2]) }",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"f\",\"Arguments\":[{\"Name\":\"id\",\"Value\":{\"Children\":[{\"Name\":\"\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":1,\"Raw\":\"1\"}},{\"Name\":\"\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":1,\"Raw\":\"2\"}}],\"ExpectedTypeHasDefault\":false,\"Kind\":8,\"Raw\":\"\"}}],\"Name\":\"f\"}]}]}"),
    GraphQLCase("success-types common types", "query ($string: String, $int: Int, $arr: [Arr], $notnull: [Arr!]!) { f }",
      "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"f\",\"Name\":\"f\"}],\"VariableDefinitions\":[{\"Type\":{\"NamedType\":\"String\",\"NonNull\":false},\"Used\":false,\"Variable\":\"string\"},{\"Type\":{\"NamedType\":\"Int\",\"NonNull\":false},\"Used\":false,\"Variable\":\"int\"},{\"Type\":{\"Elem\":{\"NamedType\":\"Arr\",\"NonNull\":false},\"NamedType\":\"\",\"NonNull\":false},\"Used\":false,\"Variable\":\"arr\"},{\"Type\":{\"Elem\":{\"NamedType\":\"Arr\",\"NonNull\":true},\"NamedType\":\"\",\"NonNull\":true},\"Used\":false,\"Variable\":\"notnull\"}]}]}"),
    GraphQLCase("success-large-queries kitchen sink", "\n  query queryName($foo: ComplexType, $site: Site = MOBILE) {\n    whoever123is: node(id: [123, 456]) {\n      id ,\n      ... on User @defer {\n        field2 {\n          id ,\n          alias: field1(first:10, after:$foo,) @include(if: $foo) {\n            id,\n            ...frag\n          }\n        }\n      }\n      ... @skip(unless: $foo) {\n        id\n      }\n      ... {\n        id\n      }\n    }\n  }\n  mutation likeStory {\n    like(story: 123) @defer {\n      story {\n        id\n      }\n    }\n  }\n  subscription StoryLikeSubscription($input: StoryLikeSubscribeInput) {\n    storyLikeSubscribe(input: $input) {\n      story {\n        likers {\n          count\n        }\n        likeSentence {\n          text\n        }\n      }\n    }\n  }\n  fragment frag on Friend {\n    foo(size: $size, bar: $b, obj: {key: \"value\", block: \"\"\"\n        block string uses \\\"\"\"\n    \"\"\"})\n  }\n  {\n    unnamed(truthy: true, falsey: false, nullish: null),\n    query\n  }\n",
      "{\"Fragments\":[{\"Name\":\"frag\",\"SelectionSet\":[{\"Alias\":\"foo\",\"Arguments\":[{\"Name\":\"size\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"size\"}},{\"Name\":\"bar\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"b\"}},{\"Name\":\"obj\",\"Value\":{\"Children\":[{\"Name\":\"key\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":3,\"Raw\":\"value\"}},{\"Name\":\"block\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":4,\"Raw\":\"block string uses \\\"\\\"\\\"\"}}],\"ExpectedTypeHasDefault\":false,\"Kind\":9,\"Raw\":\"\"}}],\"Name\":\"foo\"}],\"TypeCondition\":\"Friend\"}],\"Operations\":[{\"Name\":\"queryName\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"whoever123is\",\"Arguments\":[{\"Name\":\"id\",\"Value\":{\"Children\":[{\"Name\":\"\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":1,\"Raw\":\"123\"}},{\"Name\":\"\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":1,\"Raw\":\"456\"}}],\"ExpectedTypeHasDefault\":false,\"Kind\":8,\"Raw\":\"\"}}],\"Name\":\"node\",\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"},{\"Directives\":[{\"Location\":\"\",\"Name\":\"defer\"}],\"SelectionSet\":[{\"Alias\":\"field2\",\"Name\":\"field2\",\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"},{\"Alias\":\"alias\",\"Arguments\":[{\"Name\":\"first\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":1,\"Raw\":\"10\"}},{\"Name\":\"after\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"foo\"}}],\"Directives\":[{\"Arguments\":[{\"Name\":\"if\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"foo\"}}],\"Location\":\"\",\"Name\":\"include\"}],\"Name\":\"field1\",\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"},{\"Name\":\"frag\"}]}]}],\"TypeCondition\":\"User\"},{\"Directives\":[{\"Arguments\":[{\"Name\":\"unless\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"foo\"}}],\"Location\":\"\",\"Name\":\"skip\"}],\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"}],\"TypeCondition\":\"\"},{\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"}],\"TypeCondition\":\"\"}]}],\"VariableDefinitions\":[{\"Type\":{\"NamedType\":\"ComplexType\",\"NonNull\":false},\"Used\":false,\"Variable\":\"foo\"},{\"DefaultValue\":{\"ExpectedTypeHasDefault\":false,\"Kind\":7,\"Raw\":\"MOBILE\"},\"Type\":{\"NamedType\":\"Site\",\"NonNull\":false},\"Used\":false,\"Variable\":\"site\"}]},{\"Name\":\"likeStory\",\"Operation\":\"mutation\",\"SelectionSet\":[{\"Alias\":\"like\",\"Arguments\":[{\"Name\":\"story\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":1,\"Raw\":\"123\"}}],\"Directives\":[{\"Location\":\"\",\"Name\":\"defer\"}],\"Name\":\"like\",\"SelectionSet\":[{\"Alias\":\"story\",\"Name\":\"story\",\"SelectionSet\":[{\"Alias\":\"id\",\"Name\":\"id\"}]}]}]},{\"Name\":\"StoryLikeSubscription\",\"Operation\":\"subscription\",\"SelectionSet\":[{\"Alias\":\"storyLikeSubscribe\",\"Arguments\":[{\"Name\":\"input\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":0,\"Raw\":\"input\"}}],\"Name\":\"storyLikeSubscribe\",\"SelectionSet\":[{\"Alias\":\"story\",\"Name\":\"story\",\"SelectionSet\":[{\"Alias\":\"likers\",\"Name\":\"likers\",\"SelectionSet\":[{\"Alias\":\"count\",\"Name\":\"count\"}]},{\"Alias\":\"likeSentence\",\"Name\":\"likeSentence\",\"SelectionSet\":[{\"Alias\":\"text\",\"Name\":\"text\"}]}]}]}],\"VariableDefinitions\":[{\"Type\":{\"NamedType\":\"StoryLikeSubscribeInput\",\"NonNull\":false},\"Used\":false,\"Variable\":\"input\"}]},{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"unnamed\",\"Arguments\":[{\"Name\":\"truthy\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":5,\"Raw\":\"true\"}},{\"Name\":\"falsey\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":5,\"Raw\":\"false\"}},{\"Name\":\"nullish\",\"Value\":{\"ExpectedTypeHasDefault\":false,\"Kind\":6,\"Raw\":\"null\"}}],\"Name\":\"unnamed\"},{\"Alias\":\"query\",\"Name\":\"query\"}]}]}"),
  ]

  static let parseQueryErrors: [GraphQLCase] = [
    GraphQLCase("failure-unclosed paren", "{",
      "Expected Name, found <EOF> in GraphQL string at location 1:2"),
    GraphQLCase("failure-missing on in fragment", "\n  { ...MissingOn }\n  fragment MissingOn Type\n",
      "Expected \"on\", found Name \"Type\" in GraphQL string at location 3:22"),
    GraphQLCase("failure-missing name after alias", "{ field: {} }",
      "Expected Name, found { in GraphQL string at location 1:10"),
    GraphQLCase("failure-not an operation", "notanoperation Foo { field }",
      "Unexpected Name \"notanoperation\" in GraphQL string at location 1:1"),
    GraphQLCase("failure-a wild splat appears", "...",
      "Unexpected ... in GraphQL string at location 1:1"),
    GraphQLCase("failure-variables are not allowed in default args", "query Foo($x: Complex = { a: { b: [ $var ] } }) { field }",
      "Unexpected $ in GraphQL string at location 1:37"),
    GraphQLCase("failure-fragment can not be named 'on'", "fragment on on on { on }",
      "Unexpected Name \"on\" in GraphQL string at location 1:10"),
    GraphQLCase("failure-fragment can not spread fragments called 'on'", "{ ...on }",
      "Expected Name, found } in GraphQL string at location 1:9"),
    GraphQLCase("failure-fuzzer 01", "{__typename{...}}",
      "Expected {, found } in GraphQL string at location 1:16"),
    GraphQLCase("failure-fuzzer 02", "{...{__typename{...{}}}}",
      "expected at least one definition, found } in GraphQL string at location 1:21"),
  ]

  static let parseSchema: [GraphQLCase] = [
    GraphQLCase("success-object-types simple", "\n  type Hello {\n    world: String\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-object-types with description", "\n  \"Description\"\n  type Hello {\n    world: String\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"Description\",\"Fields\":[{\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-object-types with block description", "\n  \"\"\"\n  Description\n  \"\"\"\n  type Hello {\n    world: String\n  }\n  type Query {\n    hello: Hello\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"Description\",\"Fields\":[{\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"},{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"hello\",\"Type\":{\"NamedType\":\"Hello\",\"NonNull\":false}}],\"Kind\":\"OBJECT\",\"Name\":\"Query\"}]}"),
    GraphQLCase("success-object-types with field arg", "\n  type Hello {\n    world(flag: Boolean): String\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Arguments\":[{\"Description\":\"\",\"Name\":\"flag\",\"Type\":{\"NamedType\":\"Boolean\",\"NonNull\":false}}],\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-object-types with field arg and default value", "\n  type Hello {\n    world(flag: Boolean = true): String\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Arguments\":[{\"DefaultValue\":{\"ExpectedTypeHasDefault\":false,\"Kind\":5,\"Raw\":\"true\"},\"Description\":\"\",\"Name\":\"flag\",\"Type\":{\"NamedType\":\"Boolean\",\"NonNull\":false}}],\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-object-types with field list arg", "\n  type Hello {\n    world(things: [String]): String\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Arguments\":[{\"Description\":\"\",\"Name\":\"things\",\"Type\":{\"Elem\":{\"NamedType\":\"String\",\"NonNull\":false},\"NamedType\":\"\",\"NonNull\":false}}],\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-object-types with two args", "\n  type Hello {\n    world(argOne: Boolean, argTwo: Int): String\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Arguments\":[{\"Description\":\"\",\"Name\":\"argOne\",\"Type\":{\"NamedType\":\"Boolean\",\"NonNull\":false}},{\"Description\":\"\",\"Name\":\"argTwo\",\"Type\":{\"NamedType\":\"Int\",\"NonNull\":false}}],\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-type-extensions Object extension", "\n  extend type Hello {\n    world: String\n  }\n",
      "{\"Extensions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-type-extensions without any fields", "extend type Hello implements Greeting",
      "{\"Extensions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Interfaces\":[\"Greeting\"],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-type-extensions without fields twice", "\n  extend type Hello implements Greeting\n  extend type Hello implements SecondGreeting\n",
      "{\"Extensions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Interfaces\":[\"Greeting\"],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"},{\"BuiltIn\":false,\"Description\":\"\",\"Interfaces\":[\"SecondGreeting\"],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-type-extensions all can have directives", "\n  extend scalar Foo @deprecated\n  extend type Foo @deprecated\n  extend interface Foo @deprecated\n  extend union Foo @deprecated\n  extend enum Foo @deprecated\n  extend input Foo @deprecated\n",
      "{\"Extensions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Directives\":[{\"Location\":\"\",\"Name\":\"deprecated\"}],\"Kind\":\"SCALAR\",\"Name\":\"Foo\"},{\"BuiltIn\":false,\"Description\":\"\",\"Directives\":[{\"Location\":\"\",\"Name\":\"deprecated\"}],\"Kind\":\"OBJECT\",\"Name\":\"Foo\"},{\"BuiltIn\":false,\"Description\":\"\",\"Directives\":[{\"Location\":\"\",\"Name\":\"deprecated\"}],\"Kind\":\"INTERFACE\",\"Name\":\"Foo\"},{\"BuiltIn\":false,\"Description\":\"\",\"Directives\":[{\"Location\":\"\",\"Name\":\"deprecated\"}],\"Kind\":\"UNION\",\"Name\":\"Foo\"},{\"BuiltIn\":false,\"Description\":\"\",\"Directives\":[{\"Location\":\"\",\"Name\":\"deprecated\"}],\"Kind\":\"ENUM\",\"Name\":\"Foo\"},{\"BuiltIn\":false,\"Description\":\"\",\"Directives\":[{\"Location\":\"\",\"Name\":\"deprecated\"}],\"Kind\":\"INPUT_OBJECT\",\"Name\":\"Foo\"}]}"),
    GraphQLCase("success-schema-definition simple", "\n  schema {\n    query: Query\n  }\n",
      "{\"Schema\":[{\"Description\":\"\",\"OperationTypes\":[{\"Operation\":\"query\",\"Type\":\"Query\"}]}]}"),
    GraphQLCase("success-schema-extensions simple", "\n  extend schema {\n    mutation: Mutation\n  }\n",
      "{\"SchemaExtension\":[{\"Description\":\"\",\"OperationTypes\":[{\"Operation\":\"mutation\",\"Type\":\"Mutation\"}]}]}"),
    GraphQLCase("success-schema-extensions directive only", "extend schema @directive",
      "{\"SchemaExtension\":[{\"Description\":\"\",\"Directives\":[{\"Location\":\"\",\"Name\":\"directive\"}]}]}"),
    GraphQLCase("success-inheritance single", "type Hello implements World { field: String }",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"field\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Interfaces\":[\"World\"],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-inheritance multi", "type Hello implements Wo & rld { field: String }",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"field\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Interfaces\":[\"Wo\",\"rld\"],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-inheritance multi with leading amp", "type Hello implements & Wo & rld { field: String }",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"field\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Interfaces\":[\"Wo\",\"rld\"],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-enums single value", "enum Hello { WORLD }",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"EnumValues\":[{\"Description\":\"\",\"Name\":\"WORLD\"}],\"Kind\":\"ENUM\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-enums double value", "enum Hello { WO, RLD }",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"EnumValues\":[{\"Description\":\"\",\"Name\":\"WO\"},{\"Description\":\"\",\"Name\":\"RLD\"}],\"Kind\":\"ENUM\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-interface simple", "\n  interface Hello {\n    world: String\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"INTERFACE\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-interface may define intermediate interfaces", "\n  interface IA {\n      id: ID!\n  }\n  interface IIA implements IA {\n      id: ID!\n  }\n  type A implements IIA {\n      id: ID!\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"id\",\"Type\":{\"NamedType\":\"ID\",\"NonNull\":true}}],\"Kind\":\"INTERFACE\",\"Name\":\"IA\"},{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"id\",\"Type\":{\"NamedType\":\"ID\",\"NonNull\":true}}],\"Interfaces\":[\"IA\"],\"Kind\":\"INTERFACE\",\"Name\":\"IIA\"},{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"id\",\"Type\":{\"NamedType\":\"ID\",\"NonNull\":true}}],\"Interfaces\":[\"IIA\"],\"Kind\":\"OBJECT\",\"Name\":\"A\"}]}"),
    GraphQLCase("success-unions simple", "union Hello = World",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Kind\":\"UNION\",\"Name\":\"Hello\",\"Types\":[\"World\"]}]}"),
    GraphQLCase("success-unions with two types", "union Hello = Wo | Rld",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Kind\":\"UNION\",\"Name\":\"Hello\",\"Types\":[\"Wo\",\"Rld\"]}]}"),
    GraphQLCase("success-unions with leading pipe", "union Hello = | Wo | Rld",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Kind\":\"UNION\",\"Name\":\"Hello\",\"Types\":[\"Wo\",\"Rld\"]}]}"),
    GraphQLCase("success-scalar simple", "scalar Hello",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Kind\":\"SCALAR\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-input-object simple", "\n  input Hello {\n    world: String\n  }\n",
      "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"\",\"Fields\":[{\"Description\":\"\",\"Name\":\"world\",\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Kind\":\"INPUT_OBJECT\",\"Name\":\"Hello\"}]}"),
    GraphQLCase("success-directives simple", "directive @foo on FIELD",
      "{\"Directives\":[{\"Description\":\"\",\"IsRepeatable\":false,\"Locations\":[\"FIELD\"],\"Name\":\"foo\"}]}"),
    GraphQLCase("success-directives executable", "\n  directive @onQuery on QUERY\n  directive @onMutation on MUTATION\n  directive @onSubscription on SUBSCRIPTION\n  directive @onField on FIELD\n  directive @onFragmentDefinition on FRAGMENT_DEFINITION\n  directive @onFragmentSpread on FRAGMENT_SPREAD\n  directive @onInlineFragment on INLINE_FRAGMENT\n  directive @onVariableDefinition on VARIABLE_DEFINITION\n",
      "{\"Directives\":[{\"Description\":\"\",\"IsRepeatable\":false,\"Locations\":[\"QUERY\"],\"Name\":\"onQuery\"},{\"Description\":\"\",\"IsRepeatable\":false,\"Locations\":[\"MUTATION\"],\"Name\":\"onMutation\"},{\"Description\":\"\",\"IsRepeatable\":false,\"Locations\":[\"SUBSCRIPTION\"],\"Name\":\"onSubscription\"},{\"Description\":\"\",\"IsRepeatable\":false,\"Locations\":[\"FIELD\"],\"Name\":\"onField\"},{\"Description\":\"\",\"IsRepeatable\":false,\"Locations\":[\"FRAGMENT_DEFINITION\"],\"Name\":\"onFragmentDefinition\"},{\"Description\":\"\",\"IsRepeatable\":false,\"Locations\":[\"FRAGMENT_SPREAD\"],\"Name\":\"onFragmentSpread\"},{\"Description\":\"\",\"IsRepeatable\":false,\"Locations\":[\"INLINE_FRAGMENT\"],\"Name\":\"onInlineFragment\"},{\"Description\":\"\",\"IsRepeatable\":false,\"Locations\":[\"VARIABLE_DEFINITION\"],\"Name\":\"onVariableDefinition\"}]}"),
    GraphQLCase("success-directives repeatable", "directive @foo repeatable on FIELD",
      "{\"Directives\":[{\"Description\":\"\",\"IsRepeatable\":true,\"Locations\":[\"FIELD\"],\"Name\":\"foo\"}]}"),
  ]

  static let parseSchemaErrors: [GraphQLCase] = [
    GraphQLCase("failure-object-types must define one or more fields", "type Hello {}",
      "expected at least one definition, found } in GraphQL string at location 1:13"),
    GraphQLCase("failure-type-extensions without anything errors", "extend type Hello",
      "Unexpected <EOF> in GraphQL string at location 1:18"),
    GraphQLCase("failure-type-extensions can have descriptions", "\n  \"Description\"\n  extend type Hello {\n    world: String\n  }\n",
      "Unexpected String \"Description\" in GraphQL string at location 2:4"),
    GraphQLCase("failure-type-extensions can not have descriptions on types", "\n  extend \"Description\" type Hello {\n    world: String\n  }\n",
      "Unexpected String \"Description\" in GraphQL string at location 2:11"),
    GraphQLCase("failure-schema-extensions without anything errors", "extend schema",
      "Unexpected <EOF> in GraphQL string at location 1:14"),
    GraphQLCase("failure-enums must define one or more unique enum values", "enum Hello {}",
      "expected at least one definition, found } in GraphQL string at location 1:13"),
    GraphQLCase("failure-interface must define one or more fields", "interface Hello {}",
      "expected at least one definition, found } in GraphQL string at location 1:18"),
    GraphQLCase("failure-unions cant be empty", "union Hello = || Wo | Rld",
      "Expected Name, found | in GraphQL string at location 1:16"),
    GraphQLCase("failure-unions cant double pipe", "union Hello = Wo || Rld",
      "Expected Name, found | in GraphQL string at location 1:19"),
    GraphQLCase("failure-unions cant have trailing pipe", "union Hello = | Wo | Rld |",
      "Expected Name, found <EOF> in GraphQL string at location 1:27"),
    GraphQLCase("failure-input-object can not have args", "\n  input Hello {\n    world(foo: Int): String\n  }\n",
      "Expected :, found ( in GraphQL string at location 3:10"),
    GraphQLCase("failure-input-object must define one or more input fields", "input Hello {}",
      "expected at least one definition, found } in GraphQL string at location 1:14"),
    GraphQLCase("failure-directives invalid location", "directive @foo on FIELD | INCORRECT_LOCATION",
      "Unexpected Name \"INCORRECT_LOCATION\" in GraphQL string at location 1:27"),
    GraphQLCase("failure-fuzzer 1", "type o{d(g:[",
      "Expected Name, found <EOF> in GraphQL string at location 1:13"),
    GraphQLCase("failure-fuzzer 2", "\"\"\"\r",
      "Unexpected <Invalid> in GraphQL string at location 2:1"),
  ]

  static let schemaValidity: [GraphQLValidityCase] = [
    GraphQLValidityCase("success extending non-existent types", "\n  extend type User {\n      id: ID!\n  }\n  extend type Product {\n      upc: String!\n  }\n  union _Entity = Product | User\n  extend type Query {\n    entity: _Entity\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success validation rules are independent case 1 and 2", "\n  extend type Query {\n      myAction(myEnum: Locale!): SomeResult!\n  }\n  type SomeResult {\n      id: String\n  }\n  enum Locale {\n      EN\n      LT\n      DE\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success deprecating types", "\n  type DeprecatedType {\n    deprecatedField: String @deprecated\n    newField(deprecatedArg: Int): Boolean\n  }\n  enum DeprecatedEnum {\n    ALPHA @deprecated\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success no unused variables", "\n  type Query {\n    bar: String!\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success - AST objects - Employee example", "\n  type Employee {\n    id: String!\n    salary: Int!\n  }\n\n  schema {\n    query: Query\n  }\n\n  type Query {\n    employeeByID(id: String): Employee\n  }\n", asAST: true, valid: true),
    GraphQLValidityCase("success-object-extensions simple", "\n  type Hello {\n    world: String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success-object-extensions with description", "\n  \"Description\"\n  type Hello {\n    world: String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success-object-extensions with block description", "\n  \"\"\"\n  Description\n  \"\"\"\n  # Even with comments between them\n  type Hello {\n    world: String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success-object-extensions with field arg", "\n  type Hello {\n    world(flag: Boolean): String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success-object-extensions with field arg and default value", "\n  type Hello {\n    world(flag: Boolean = true): String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success-object-extensions with field list arg", "\n  type Hello {\n    world(things: [String]): String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success-object-extensions with two args", "\n  type Hello {\n    world(argOne: Boolean, argTwo: Int): String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("failure-object-extensions must define one or more fields", "\n  type Hello {}\n", asAST: false, valid: false),
    GraphQLValidityCase("success-type-extensions object extension", "\n  extend type Hello {\n    world: String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("success-type-extensions without any fields", "\n  extend type Hello implements Greeting\n", asAST: false, valid: false),
    GraphQLValidityCase("success-type-extensions without fields twice", "\n  extend type Hello implements Greeting\n  extend type Hello implements SecondGreeting\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-type-extensions without anything errors", "\n  extend type Hello\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-type-extensions can have descriptions", "\n  \"Description\"\n  extend type Hello {\n    world: String\n  }\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-type-extensions can not have descriptions on types", "\n  extend \"Description\" type Hello {\n    world: String\n  }\n", asAST: false, valid: false),
    GraphQLValidityCase("success-type-extensions all can have directives", "\n  extend scalar Foo @deprecated\n  extend type Foo @deprecated\n  extend interface Foo @deprecated\n  extend union Foo @deprecated\n  extend enum Foo @deprecated\n  extend input Foo @deprecated\n", asAST: false, valid: false),
    GraphQLValidityCase("success-schema-definition simple", "\n  schema {\n    query: Query\n  }\n", asAST: false, valid: false),
    GraphQLValidityCase("success-schema-extensions simple", "\n  extend schema {\n    mutation: Mutation\n  }\n", asAST: false, valid: false),
    GraphQLValidityCase("success-schema-extensions directive only", "\n  type Query {\n      x: Int\n  }\n  directive @directive(a: String = \"b\") on SCHEMA\n  extend schema @directive\n", asAST: false, valid: true),
    GraphQLValidityCase("failure-schema-extensions without anything errors", "\n  extend schema\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-inheritance single", "\n  type Hello implements World { field: String }\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-inheritance multi", "\n  type Hello implements Wo & rld { field: String }\n", asAST: false, valid: false),
    GraphQLValidityCase("success-inheritance multi with leading amp", "\n  type Hello implements & Wo & rld { field: String }\n", asAST: false, valid: false),
    GraphQLValidityCase("success-enums single value", "\n  enum Hello { WORLD }\n", asAST: false, valid: true),
    GraphQLValidityCase("success-enums double value", "\n  enum Hello { WO, RLD }\n", asAST: false, valid: true),
    GraphQLValidityCase("failure-enums must define one or more unique enum values", "\n  enum Hello {}\n", asAST: false, valid: false),
    GraphQLValidityCase("success-interface simple", "\n  interface Hello {\n    world: String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("failure-interface must define one or more fields", "\n  interface Hello {}\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-interface may define intermediate interfaces", "\n  interface IA {\n    id: ID!\n  }\n  interface IIA implements IA {\n    id: ID!\n  }\n  type A implements IIA {\n    id: ID!\n  }\n", asAST: false, valid: false),
    GraphQLValidityCase("success-unions simple", "\n  union Hello = World\n", asAST: false, valid: false),
    GraphQLValidityCase("success-unions with two types", "\n  union Hello = Wo | Rld\n", asAST: false, valid: false),
    GraphQLValidityCase("success-unions with leading pipe", "\n  union Hello = | Wo | Rld\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-unions cant be empty", "\n  union Hello = || Wo | Rld\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-unions cant double pipe", "\n  union Hello = Wo || Rld\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-unions cant have trailing pipe", "\n  union Hello = | Wo | Rld |\n", asAST: false, valid: false),
    GraphQLValidityCase("success-scalar simple", "\n  scalar Hello\n", asAST: false, valid: true),
    GraphQLValidityCase("success-input-objects simple", "\n  input Hello {\n    world: String\n  }\n", asAST: false, valid: true),
    GraphQLValidityCase("failure-input-objects can not have args", "\n  input Hello {\n    world(foo: Int): String\n  }\n", asAST: false, valid: false),
    GraphQLValidityCase("failure-input-objects must define one or more input fields", "\n  input Hello {}\n", asAST: false, valid: false),
    GraphQLValidityCase("success-directives simple", "\n  directive @foo on FIELD\n", asAST: false, valid: true),
    GraphQLValidityCase("success-directives executable", "\n  directive @onQuery on QUERY\n  directive @onMutation on MUTATION\n  directive @onSubscription on SUBSCRIPTION\n  directive @onField on FIELD\n  directive @onFragmentDefinition on FRAGMENT_DEFINITION\n  directive @onFragmentSpread on FRAGMENT_SPREAD\n  directive @onInlineFragment on INLINE_FRAGMENT\n  directive @onVariableDefinition on VARIABLE_DEFINITION\n", asAST: false, valid: true),
    GraphQLValidityCase("success-directives repeatable", "\n  directive @foo repeatable on FIELD\n", asAST: false, valid: true),
    GraphQLValidityCase("failure-directives invalid location", "\n  directive @foo on FIELD | INCORRECT_LOCATION\n", asAST: false, valid: false),
    GraphQLValidityCase("schema failure with object in input object", "\n  type Mutation {\n    createPupil(pupil: PupilInput!): Pupil\n  }\n  type Query {\n    pupil(firstname: String): Pupil\n  }\n  type Pupil {\n    friends: [Pupil!]!\n  }\n  input PupilInput {\n    friends: [Pupil]\n  }\n  schema {\n    query: Query\n    mutation: Mutation\n  }", asAST: true, valid: false),
  ]
}
