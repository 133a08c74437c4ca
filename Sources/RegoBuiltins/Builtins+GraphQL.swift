internal import PolicyCore

// The `graphql.*` family, after OPA's topdown/graphql.go over its vendored copy of
// vektah/gqlparser. Parsing, schema loading and query validation live in the GraphQL*.swift files;
// this file adapts them to OPA's operand handling and error wording.
//
// Documents may be given as strings or, except for `parse_query` and `parse_schema`, as AST
// objects (the output of those two). Returned ASTs are the documents as parsed, before validation
// annotates them, with null and empty members pruned.

extension BuiltinRegistry {
  /// Adds the graphql family. Keep entries sorted by name.
  mutating func registerGraphQL() {
    /// `graphql.is_valid(query, schema)`: whether the query parses and validates against the
    /// schema. Never fails: anything wrong, including operand types, is `false`.
    ///
    ///     graphql.is_valid("{ hello }", "type Query { hello: String }")  # true
    add("graphql.is_valid", arity: 2, category: "graphql") { args, context throws(BuiltinError) in
      guard let query = try? graphQLQueryOperand(args, 0, context),
        let schemaDocument = try? graphQLSchemaOperand(args, 1, context),
        let schema = try? GraphQLSchema.load(schemaDocument)
      else { return false }
      return .bool(graphQLValidate(query, schema, context).isEmpty)
    }

    /// `graphql.parse(query, schema)`: `[query_ast, schema_ast]` after validating the query
    /// against the schema; parse and validation errors are builtin errors.
    ///
    ///     graphql.parse("{ hello }", "type Query { hello: String }")
    add("graphql.parse", arity: 2, category: "graphql") { args, context throws(BuiltinError) in
      let query = try graphQLQueryOperand(args, 0, context)
      let schemaDocument = try graphQLSchemaOperand(args, 1, context)
      let queryValue = query.encoded()
      let schemaValue = schemaDocument.encoded()
      let schema: GraphQLSchema
      do throws(GraphQLError) {
        schema = try GraphQLSchema.load(schemaDocument)
      } catch {
        throw .failure("Error in gqlparser SchemaDocument to Schema conversion: \(graphQLGoErrorText(error))")
      }
      let errors = graphQLValidate(query, schema, context)
      if !errors.isEmpty {
        throw .failure(graphQLValidationFailure(errors))
      }
      return .array([queryValue, schemaValue])
    }

    /// `graphql.parse_and_verify(query, schema)`: `[true, query_ast, schema_ast]` when the query
    /// parses and validates, `[false, {}, {}]` otherwise.
    add("graphql.parse_and_verify", arity: 2, category: "graphql") { args, context throws(BuiltinError) in
      let unverified: Value = [false, .object(ValueObject()), .object(ValueObject())]
      guard let query = try? graphQLQueryOperand(args, 0, context),
        let schemaDocument = try? graphQLSchemaOperand(args, 1, context)
      else { return unverified }
      let queryValue = query.encoded()
      let schemaValue = schemaDocument.encoded()
      guard let schema = try? GraphQLSchema.load(schemaDocument),
        graphQLValidate(query, schema, context).isEmpty
      else { return unverified }
      return .array([true, queryValue, schemaValue])
    }

    /// `graphql.parse_query(query)`: the AST object of a GraphQL executable document.
    ///
    ///     graphql.parse_query("{ hero { name } }")
    add("graphql.parse_query", arity: 1, category: "graphql") { args, context throws(BuiltinError) in
      let text = try args.string(0)
      return try graphQLParseQuery(text, context).encoded()
    }

    /// `graphql.parse_schema(schema)`: the AST object of a GraphQL type system document. The
    /// document is parsed only, not validated, and excludes the built-in types.
    ///
    ///     graphql.parse_schema("type Query { hello: String }")
    add("graphql.parse_schema", arity: 1, category: "graphql") { args, context throws(BuiltinError) in
      let text = try args.string(0)
      return try graphQLParseSchema(text, context).encoded()
    }

    /// `graphql.schema_is_valid(schema)`: whether the schema parses and loads (types defined,
    /// interfaces implemented, extensions consistent, ...). Never fails.
    ///
    ///     graphql.schema_is_valid("type Query { hello: String }")  # true
    add("graphql.schema_is_valid", arity: 1, category: "graphql") { args, context throws(BuiltinError) in
      guard let schemaDocument = try? graphQLSchemaOperand(args, 0, context) else { return false }
      return .bool((try? GraphQLSchema.load(schemaDocument)) != nil)
    }
  }
}

// MARK: - Operands

/// A query operand: a string to parse or an AST object to decode.
private func graphQLQueryOperand(
  _ args: BuiltinArguments, _ index: Int, _ context: BuiltinContext
) throws(BuiltinError) -> GraphQLQueryDocument {
  switch args[index] {
  case .string(let text):
    return try graphQLParseQuery(text, context)
  case .object:
    var decoder = GraphQLDecoder(maxDepth: context.limits.maxNestingDepth)
    do {
      return try decoder.queryDocument(args[index])
    } catch {
      throw .failure(error.message)
    }
  default:
    throw graphQLOperandTypeError(index, args[index])
  }
}

/// A schema operand: a string to parse or an AST object to decode.
private func graphQLSchemaOperand(
  _ args: BuiltinArguments, _ index: Int, _ context: BuiltinContext
) throws(BuiltinError) -> GraphQLSchemaDocument {
  switch args[index] {
  case .string(let text):
    return try graphQLParseSchema(text, context)
  case .object:
    var decoder = GraphQLDecoder(maxDepth: context.limits.maxNestingDepth)
    do {
      return try decoder.schemaDocument(args[index])
    } catch {
      throw .failure(error.message)
    }
  default:
    throw graphQLOperandTypeError(index, args[index])
  }
}

/// OPA's `NewOperandTypeErr(index, value, "string", "object")`; graphql.go passes the 0-based
/// position, so the message numbers operands from 0.
private func graphQLOperandTypeError(_ index: Int, _ value: Value) -> BuiltinError {
  BuiltinError(.type, "operand \(index) must be one of {string, object} but got \(value.typeName)")
}

// MARK: - Parsing and validation

/// gqlparser's error text: `input:LINE:COLUMN: message`, or `input: message` without a location.
private func graphQLGoErrorText(_ error: GraphQLError) -> String {
  guard let position = error.position else { return "input: \(error.message)" }
  return "input:\(position.line):\(position.column): \(error.message)"
}

/// The builtin error OPA reports for a parse failure: `message in GraphQL string at location L:C`.
private func graphQLParseFailure(_ error: GraphQLError) -> BuiltinError {
  guard let position = error.position else { return .failure(error.message) }
  return .failure("\(error.message) in GraphQL string at location \(position.line):\(position.column)")
}

/// OPA's message for a failed validation: gqlparser's error list text (one `input:L:C: msg` line
/// per error) split at its first three colons, the first location moved to the end and the
/// final period dropped.
private func graphQLValidationFailure(_ errors: [GraphQLError]) -> String {
  let text = errors.map { graphQLGoErrorText($0) + "\n" }.joined()
  let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
  guard parts.count == 4 else { return text }
  var message = Substring(parts[3].drop { $0 == " " })
  if message.hasSuffix(".\n") { message = message.dropLast(2) }
  return "\(message) in GraphQL string at location \(parts[1]):\(parts[2])"
}

/// Parses an executable document, failing as OPA does.
private func graphQLParseQuery(_ text: String, _ context: BuiltinContext) throws(BuiltinError) -> GraphQLQueryDocument {
  var parser = GraphQLParser(text, maxDepth: context.limits.maxNestingDepth)
  do {
    return try parser.parseQueryDocument()
  } catch {
    throw graphQLParseFailure(error)
  }
}

/// Parses a type system document, failing as OPA does.
private func graphQLParseSchema(_ text: String, _ context: BuiltinContext) throws(BuiltinError) -> GraphQLSchemaDocument {
  var parser = GraphQLParser(text, maxDepth: context.limits.maxNestingDepth)
  do {
    return try parser.parseSchemaDocument()
  } catch {
    throw graphQLParseFailure(error)
  }
}

/// Validates a query against a loaded schema; the errors in gqlparser's order.
private func graphQLValidate(
  _ query: GraphQLQueryDocument, _ schema: GraphQLSchema, _ context: BuiltinContext
) -> [GraphQLError] {
  let validator = GraphQLValidator(schema: schema, document: query, maxDepth: context.limits.maxNestingDepth * 2)
  validator.validate()
  return validator.errors
}
