/// Replaces macro references (identifiers under `and`, `or` and `not`) with the macros' trees,
/// as Falco's `filter_macro_resolver` does; checks are never entered, so an identifier inside a
/// comparison is always a value.
///
/// Macros are compiled in definition order, each seeing the macros defined before its latest
/// definition or append; rules see every macro. A macro reached again while being expanded is a
/// reference loop.
struct MacroResolver {
  /// A macro's parsed tree, before or after its own references were resolved.
  struct Entry {
    var tree: ConditionExpression
    var resolved: Bool
  }

  /// Why resolution failed: Falco's message and where the reference is.
  struct Failure: Error {
    var message: String
    var position: ConditionPosition
  }

  var entries: [String: Entry]
  /// Every macro substituted so far, directly or through another macro.
  private(set) var used: Set<String> = []

  init(entries: [String: Entry]) {
    self.entries = entries
  }

  /// Resolves the references in `tree` to macros for which `visible` is true.
  mutating func resolve(_ tree: ConditionExpression, visible: (String) -> Bool) throws(Failure) -> ConditionExpression {
    var unknown: (String, ConditionPosition)?
    var path: [String] = []
    let result = try substitute(tree, visible: visible, path: &path, unknown: &unknown)
    if let (name, position) = unknown {
      throw Failure(message: "Undefined macro '\(name)' used in filter.", position: position)
    }
    return result
  }

  private mutating func substitute(
    _ node: ConditionExpression, visible: (String) -> Bool, path: inout [String], unknown: inout (String, ConditionPosition)?
  ) throws(Failure) -> ConditionExpression {
    switch node.kind {
    case .and(let children):
      var resolved: [ConditionExpression] = []
      for child in children { resolved.append(try substitute(child, visible: visible, path: &path, unknown: &unknown)) }
      return ConditionExpression(.and(resolved), at: node.position)
    case .or(let children):
      var resolved: [ConditionExpression] = []
      for child in children { resolved.append(try substitute(child, visible: visible, path: &path, unknown: &unknown)) }
      return ConditionExpression(.or(resolved), at: node.position)
    case .not(let child):
      return ConditionExpression(.not(try substitute(child, visible: visible, path: &path, unknown: &unknown)), at: node.position)
    case .identifier(let name):
      guard visible(name), let entry = entries[name] else {
        if unknown == nil { unknown = (name, node.position) }
        return node
      }
      if path.contains(name) {
        throw Failure(message: "reference loop in macro '\(name)'", position: node.position)
      }
      used.insert(name)
      // A resolved tree no longer names its macros; they were marked used when it was resolved.
      if entry.resolved { return entry.tree }
      path.append(name)
      defer { path.removeLast() }
      return try substitute(entry.tree, visible: visible, path: &path, unknown: &unknown)
    default:
      return node
    }
  }
}
