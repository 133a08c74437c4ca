/// A set of event type names that may be "every type except ...", as the event-type index
/// needs for conditions with `not` and `!=`.
public enum EventTypeSet: Sendable, Hashable {
  /// Exactly these types.
  case only(Set<String>)
  /// Every type except these.
  case allExcept(Set<String>)

  /// Every type.
  public static let all = EventTypeSet.allExcept([])

  /// Whether `type` is in the set.
  public func contains(_ type: String) -> Bool {
    switch self {
    case .only(let types): return types.contains(type)
    case .allExcept(let types): return !types.contains(type)
    }
  }

  func intersection(_ other: EventTypeSet) -> EventTypeSet {
    switch (self, other) {
    case (.only(let a), .only(let b)): return .only(a.intersection(b))
    case (.only(let a), .allExcept(let b)), (.allExcept(let b), .only(let a)): return .only(a.subtracting(b))
    case (.allExcept(let a), .allExcept(let b)): return .allExcept(a.union(b))
    }
  }

  func union(_ other: EventTypeSet) -> EventTypeSet {
    switch (self, other) {
    case (.only(let a), .only(let b)): return .only(a.union(b))
    case (.only(let a), .allExcept(let b)), (.allExcept(let b), .only(let a)): return .allExcept(b.subtracting(a))
    case (.allExcept(let a), .allExcept(let b)): return .allExcept(a.intersection(b))
    }
  }

  /// The event types a condition can match, as Falco's event-type index works them out:
  /// `evt.type` comparisons (`=`, `in`, `!=`) through `and`, `or` and `not`; any other check
  /// can hold for every type.
  public static func of(_ condition: ConditionExpression) -> EventTypeSet { analyse(condition).whenTrue }

  /// Where a node can be true and where it can be false.
  private static func analyse(_ node: ConditionExpression) -> (whenTrue: EventTypeSet, whenFalse: EventTypeSet) {
    switch node.kind {
    case .and(let children):
      var whenTrue = EventTypeSet.all
      var whenFalse = EventTypeSet.only([])
      for child in children {
        let result = analyse(child)
        whenTrue = whenTrue.intersection(result.whenTrue)
        whenFalse = whenFalse.union(result.whenFalse)
      }
      return (whenTrue, whenFalse)
    case .or(let children):
      var whenTrue = EventTypeSet.only([])
      var whenFalse = EventTypeSet.all
      for child in children {
        let result = analyse(child)
        whenTrue = whenTrue.union(result.whenTrue)
        whenFalse = whenFalse.intersection(result.whenFalse)
      }
      return (whenTrue, whenFalse)
    case .not(let child):
      let result = analyse(child)
      return (result.whenFalse, result.whenTrue)
    case .binaryCheck(let left, let op, nil, let right):
      guard case .field("evt.type", nil) = left.kind else { return (.all, .all) }
      let names: Set<String>
      switch right.kind {
      case .value(let name): names = [name]
      case .list(let items): names = Set(items)
      default: return (.all, .all)
      }
      switch op {
      case "=", "==", "in": return (.only(names), .allExcept(names))
      case "!=": return (.allExcept(names), names.count == 1 ? .only(names) : .all)
      default: return (.all, .all)
      }
    default:
      return (.all, .all)
    }
  }
}
