/// Every builtin function, by name.
///
/// Each family lives in its own `Builtins+Family.swift` file and adds its entries in a
/// `register<Family>()` method; this file calls them all. docs/rego-builtins.md is generated from
/// the registry (name, arity, category).
public struct BuiltinRegistry: Sendable {
  public private(set) var builtins: [String: Builtin] = [:]

  /// The registry with every family.
  public static let standard: BuiltinRegistry = {
    var registry = BuiltinRegistry()
    registry.registerAggregates()
    registry.registerArithmetic()
    registry.registerBits()
    registry.registerComparison()
    registry.registerSets()
    registry.registerTypes()
    registry.registerGraph()
    registry.registerStrings()
    registry.registerSprintf()
    registry.registerRegex()
    registry.registerGlob()
    registry.registerUnits()
    registry.registerEncoding()
    registry.registerJSON()
    registry.registerObjects()
    registry.registerArrays()
    registry.registerTime()
    registry.registerNet()
    registry.registerSemver()
    registry.registerUUID()
    registry.registerCrypto()
    registry.registerJWT()
    registry.registerGraphQL()
    return registry
  }()

  public init() {}

  /// Looks a builtin up by its full name.
  public subscript(name: String) -> Builtin? { builtins[name] }

  /// Adds a builtin. A second entry with the same name is a programming error caught by tests.
  public mutating func add(
    _ name: String, arity: Int?, category: String, isRelation: Bool = false,
    _ implementation: @escaping BuiltinImplementation
  ) {
    precondition(builtins[name] == nil, "builtin \(name) registered twice")
    builtins[name] = Builtin(
      name: name, arity: arity, category: category, isRelation: isRelation, implementation: implementation)
  }
}
