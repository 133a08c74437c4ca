internal import FalconEvents
internal import PolicyCore

/// Why a constant does not fit a comparison.
struct MatcherError: Error {
  var message: String
}

/// One comparison's right-hand side, prepared once: parsed numbers, sets, compiled globs and
/// regular expressions; `matches` applies it to an extracted value.
struct ValueMatcher: Sendable {
  let matches: @Sendable (FieldValue) -> Bool

  /// Prepares `op` (with an optional list modifier) against `constants` for a left side of
  /// `kind`.
  static func make(
    op: String, modifier: ListModifier?, kind: FieldValueKind, isListField: Bool, constants: [String], isListConstant: Bool
  ) throws(MatcherError) -> ValueMatcher {
    if let modifier {
      let each = try constants.map { (constant) throws(MatcherError) in try single(op: op, kind: kind, isListField: isListField, constant: constant) }
      return ValueMatcher { value in
        guard value.isPresent else { return false }
        var count = 0
        for matcher in each where matcher(value) { count += 1 }
        switch modifier {
        case .oneof: return count == 1
        case .anyof: return count >= 1
        case .allof: return !each.isEmpty && count == each.count
        }
      }
    }
    if op == "in" || op == "intersects" {
      return try membership(op: op, kind: kind, isListField: isListField, constants: constants)
    }
    guard let constant = constants.first, constants.count == 1 || !isListConstant else {
      // A list on the right of a scalar operator: libsinsp compares against each item.
      let each = try constants.map { (constant) throws(MatcherError) in try single(op: op, kind: kind, isListField: isListField, constant: constant) }
      return ValueMatcher { value in each.contains { $0(value) } }
    }
    return ValueMatcher(matches: try single(op: op, kind: kind, isListField: isListField, constant: constant))
  }

  // MARK: Membership

  private static func membership(op: String, kind: FieldValueKind, isListField: Bool, constants: [String]) throws(MatcherError) -> ValueMatcher {
    switch kind {
    case .signed, .unsigned:
      var numbers = Set<Int128>()
      for constant in constants {
        guard let number = parseNumber(constant) else { throw MatcherError(message: "'\(constant)' is not a number") }
        numbers.insert(number)
      }
      let set = numbers
      return ValueMatcher { value in
        anyOrAll(value, subset: isListField && op == "in") { item in number(of: item).map { set.contains($0) } ?? false }
      }
    case .ipAddress, .ipNetwork:
      var parsed: [IPNetworkValue] = []
      for constant in constants {
        guard let network = NetworkParsing.network(constant) else { throw MatcherError(message: "'\(constant)' is not an address or network") }
        parsed.append(network)
      }
      let networks = parsed
      return ValueMatcher { value in
        anyOrAll(value, subset: false) { item in
          guard let address = address(of: item) else { return false }
          return networks.contains { $0.contains(address) }
        }
      }
    case .bool:
      let set = Set(constants.map { $0.lowercased() })
      return ValueMatcher { value in
        guard case .bool(let flag) = value else { return false }
        return set.contains(flag ? "true" : "false")
      }
    default:
      let set = StringSet(constants)
      return ValueMatcher { value in
        switch value {
        case .none: return false
        case .string(let text): return set.contains(text)
        case .list(let items):
          if isListField && op == "in" { return !items.isEmpty && items.allSatisfy { set.contains($0) } }
          return items.contains { set.contains($0) }
        case .int, .uint:
          // PT_DYN arguments that turned out numeric: compare numerically too.
          guard let number = number(of: value) else { return false }
          return constants.contains { parseNumber($0) == number }
        default: return set.contains(value.text ?? "")
        }
      }
    }
  }

  /// Applies `test` to a scalar value, or to a list's items (any, or every with `subset`).
  private static func anyOrAll(_ value: FieldValue, subset: Bool, _ test: (FieldValue) -> Bool) -> Bool {
    switch value {
    case .none: return false
    case .list(let items):
      if subset { return !items.isEmpty && items.allSatisfy { test(.string($0)) } }
      return items.contains { test(.string($0)) }
    case .values(let items):
      if subset { return !items.isEmpty && items.allSatisfy(test) }
      return items.contains(where: test)
    default: return test(value)
    }
  }

  // MARK: Single comparisons

  /// A test of `op` against one constant.
  static func single(op: String, kind: FieldValueKind, isListField: Bool, constant: String) throws(MatcherError) -> @Sendable (FieldValue) -> Bool {
    switch kind {
    case .signed, .unsigned:
      guard let bound = parseNumber(constant) else { throw MatcherError(message: "'\(constant)' is not a number") }
      let compare = try numericComparison(op)
      return { value in
        anyOrAll(value, subset: false) { item in number(of: item).map { compare($0, bound) } ?? false }
      }
    case .bool:
      let lowered = constant.lowercased()
      guard lowered == "true" || lowered == "false" else { throw MatcherError(message: "'\(constant)' is not a boolean") }
      let expected = lowered == "true"
      guard op == "=" || op == "==" || op == "!=" else { throw MatcherError(message: "'\(op)' does not apply to booleans") }
      let equal = op != "!="
      return { value in
        guard case .bool(let flag) = value else { return false }
        return (flag == expected) == equal
      }
    case .ipAddress, .ipNetwork:
      guard let network = NetworkParsing.network(constant) else { throw MatcherError(message: "'\(constant)' is not an address or network") }
      let negate: Bool
      switch op {
      case "=", "==": negate = false
      case "!=": negate = true
      default: throw MatcherError(message: "'\(op)' does not apply to addresses")
      }
      return { value in
        guard value.isPresent else { return false }
        let hit = anyOrAll(value, subset: false) { item in address(of: item).map { network.contains($0) } ?? false }
        return hit != negate
      }
    case .buffer:
      let bytes: [UInt8]
      if op == "bcontains" || op == "bstartswith" {
        guard let hex = StringMatching.hexBytes(constant) else { throw MatcherError(message: "'\(constant)' is not hex") }
        bytes = hex
      } else {
        bytes = Array(constant.utf8)
      }
      return try bufferComparison(op, bytes)
    case .other:
      // PT_DYN (evt.rawarg.*): numeric when the argument is, text otherwise.
      let text = try stringComparison(op, constant)
      let bound = parseNumber(constant)
      let compare = try? numericComparison(op)
      return { value in
        switch value {
        case .int, .uint:
          guard let bound, let compare, let number = number(of: value) else { return false }
          return compare(number, bound)
        case .none: return false
        default: return text(value.text ?? "")
        }
      }
    case .string:
      let test = try stringComparison(op, constant)
      return { value in
        switch value {
        case .none: return false
        case .string(let text): return test(text)
        case .list(let items): return items.contains { test($0) }
        default: return test(value.text ?? "")
        }
      }
    }
  }

  private static func numericComparison(_ op: String) throws(MatcherError) -> @Sendable (Int128, Int128) -> Bool {
    switch op {
    case "=", "==": return { $0 == $1 }
    case "!=": return { $0 != $1 }
    case "<": return { $0 < $1 }
    case "<=": return { $0 <= $1 }
    case ">": return { $0 > $1 }
    case ">=": return { $0 >= $1 }
    default: throw MatcherError(message: "'\(op)' does not apply to numbers")
    }
  }

  private static func stringComparison(_ op: String, _ constant: String) throws(MatcherError) -> @Sendable (String) -> Bool {
    switch op {
    case "=", "==": return { $0 == constant }
    case "!=": return { $0 != constant }
    case "<": return { $0.utf8.lexicographicallyPrecedes(constant.utf8) }
    case "<=": return { !constant.utf8.lexicographicallyPrecedes($0.utf8) }
    case ">": return { constant.utf8.lexicographicallyPrecedes($0.utf8) }
    case ">=": return { !$0.utf8.lexicographicallyPrecedes(constant.utf8) }
    case "contains": return { StringMatching.contains($0, constant) }
    case "icontains":
      let lowered = StringMatching.lowercased(constant)
      return { StringMatching.contains(StringMatching.lowercased($0), lowered) }
    case "startswith", "bstartswith": return { StringMatching.hasPrefix($0, constant) }
    case "endswith": return { StringMatching.hasSuffix($0, constant) }
    case "bcontains": return { StringMatching.contains($0, constant) }
    case "glob": return { StringMatching.glob(constant, $0, caseInsensitive: false) }
    case "iglob": return { StringMatching.glob(constant, $0, caseInsensitive: true) }
    case "pmatch":
      let components = StringMatching.pathComponents(constant)
      return { StringMatching.pathPrefix(components, $0) }
    case "regex":
      let regex: PCRE2Regex
      do {
        regex = try StringMatching.fullMatchRegex(constant)
      } catch {
        throw MatcherError(message: "invalid regular expression '\(constant)'")
      }
      return { text in (try? regex.matches(text)) ?? false }
    default: throw MatcherError(message: "'\(op)' does not apply to strings")
    }
  }

  private static func bufferComparison(_ op: String, _ constant: [UInt8]) throws(MatcherError) -> @Sendable (FieldValue) -> Bool {
    let test: @Sendable ([UInt8]) -> Bool
    switch op {
    case "=", "==": test = { $0 == constant }
    case "!=": test = { $0 != constant }
    case "contains", "bcontains": test = { StringMatching.bytesContain($0, constant) }
    case "startswith", "bstartswith": test = { $0.starts(with: constant) }
    case "endswith": test = { $0.count >= constant.count && $0.suffix(constant.count).elementsEqual(constant) }
    default: throw MatcherError(message: "'\(op)' does not apply to buffers")
    }
    return { value in
      switch value {
      case .bytes(let bytes): return test(bytes)
      case .string(let text): return test(Array(text.utf8))
      default: return false
      }
    }
  }

  // MARK: Value conversion

  /// A decimal (or `0x` hex) integer constant.
  static func parseNumber(_ text: String) -> Int128? {
    if let value = Int128(text) { return value }
    if text.hasPrefix("0x") || text.hasPrefix("0X") { return Int128(text.dropFirst(2), radix: 16) }
    return nil
  }

  static func number(of value: FieldValue) -> Int128? {
    switch value {
    case .int(let number): return Int128(number)
    case .uint(let number): return Int128(number)
    case .bool(let flag): return flag ? 1 : 0
    case .string(let text): return parseNumber(text)
    default: return nil
    }
  }

  static func address(of value: FieldValue) -> IPAddressValue? {
    switch value {
    case .ip(let address): return IPAddressValue(isV6: address.family == .ipv6, high: address.high, low: address.low)
    case .string(let text): return NetworkParsing.address(text)
    default: return nil
    }
  }
}

/// A set of strings for `in`: a few are compared one by one (cheaper than hashing the value),
/// more are hashed.
struct StringSet: Sendable {
  private let few: [String]?
  private let many: Set<String>
  /// One bit per (length, first and last byte) signature of the items: most texts that are
  /// not in the set are rejected without hashing or comparing them.
  private let signatures: [UInt64]

  init(_ items: [String]) {
    let unique = Array(Set(items))
    few = unique.count <= 6 ? unique : nil
    many = unique.count <= 6 ? [] : Set(unique)
    var signatures = [UInt64](repeating: 0, count: 64)
    for item in unique {
      let signature = StringSet.signature(item)
      signatures[signature >> 6] |= 1 << UInt64(signature & 63)
    }
    self.signatures = signatures
  }

  /// A number below 4096 from the byte length and the first and last bytes.
  @inline(__always)
  static func signature(_ text: String) -> Int {
    let utf8 = text.utf8
    guard let first = utf8.first, let last = utf8.last else { return 0 }
    return ((utf8.count & 63) << 6) | Int((first &+ last &* 7) & 63)
  }

  func contains(_ text: String) -> Bool {
    let signature = StringSet.signature(text)
    guard signatures[signature >> 6] & (1 << UInt64(signature & 63)) != 0 else { return false }
    if let few { return few.contains(text) }
    return many.contains(text)
  }
}
