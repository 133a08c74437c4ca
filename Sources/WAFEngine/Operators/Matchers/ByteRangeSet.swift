// The byte set behind `@validateByteRange`.

/// Why a `@validateByteRange` argument was rejected.
public enum ByteRangeSetError: Error, Sendable, Hashable {
  /// An element that is not a number (`abc`, `1-`, an empty element between commas).
  case notANumber(element: String)
  /// A value outside 0...255.
  case outOfRange(element: String)
  /// A range whose start is above its end (`200-100`).
  case reversedRange(element: String)
}

/// A set of byte values, parsed from `@validateByteRange`'s argument.
///
///     SecRule ARGS "@validateByteRange 32-126,9,10,13" "id:920270,deny"
///
/// libmodsecurity accepts (and silently skips) malformed elements; here they are errors so a typo in
/// a rule is reported at load time instead of widening what the rule allows.
public struct ByteRangeSet: Sendable, Hashable {
  fileprivate var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

  /// An empty set.
  public init() {}

  /// Parses a comma-separated list of values and `start-end` ranges (inclusive). Spaces around
  /// numbers are allowed.
  ///
  /// - Parameter argument: e.g. `"1-255"` or `"32-36,38-126"`.
  /// - Throws: ``ByteRangeSetError`` naming the offending element.
  public init(parsing argument: String) throws(ByteRangeSetError) {
    for element in argument.split(separator: ",", omittingEmptySubsequences: false) {
      let text = String(element)
      if let dash = element.firstIndex(of: "-") {
        guard let start = ByteRangeSet.number(element[element.startIndex..<dash]),
          let end = ByteRangeSet.number(element[element.index(after: dash)...])
        else { throw .notANumber(element: text) }
        guard (0...255).contains(start), (0...255).contains(end) else { throw .outOfRange(element: text) }
        guard start <= end else { throw .reversedRange(element: text) }
        for value in start...end { insert(UInt8(value)) }
      } else {
        guard let value = ByteRangeSet.number(element) else { throw .notANumber(element: text) }
        guard (0...255).contains(value) else { throw .outOfRange(element: text) }
        insert(UInt8(value))
      }
    }
  }

  private static func number(_ text: Substring) -> Int? {
    let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
    let digits = trimmed.prefix(while: { $0 != " " && $0 != "\t" })
    guard trimmed.dropFirst(digits.count).allSatisfy({ $0 == " " || $0 == "\t" }),
      !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber })
    else { return nil }
    return Int(digits)
  }

  /// Adds one byte value.
  public mutating func insert(_ byte: UInt8) {
    let bit = UInt64(1) << UInt64(byte & 63)
    switch byte >> 6 {
    case 0: bits.0 |= bit
    case 1: bits.1 |= bit
    case 2: bits.2 |= bit
    default: bits.3 |= bit
    }
  }

  /// Whether `byte` is in the set.
  @inline(__always) public func contains(_ byte: UInt8) -> Bool {
    let word: UInt64
    switch byte >> 6 {
    case 0: word = bits.0
    case 1: word = bits.1
    case 2: word = bits.2
    default: word = bits.3
    }
    return word >> UInt64(byte & 63) & 1 == 1
  }

  /// The index of the first byte of `bytes` outside the set, or `nil` when all are allowed.
  /// `@validateByteRange` matches when this is non-`nil`.
  public func firstInvalid(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    for index in 0..<bytes.count where !contains(bytes[index]) { return index }
    return nil
  }

  /// ``firstInvalid(in:)-(UnsafeBufferPointer<UInt8>)`` over an array.
  public func firstInvalid(in bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { firstInvalid(in: $0) }
  }

  public static func == (lhs: ByteRangeSet, rhs: ByteRangeSet) -> Bool {
    lhs.bits == rhs.bits
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(bits.0)
    hasher.combine(bits.1)
    hasher.combine(bits.2)
    hasher.combine(bits.3)
  }
}

extension ByteRangeSet {
  /// The set of `bytes`.
  init(_ bytes: [UInt8]) {
    self.init()
    for byte in bytes { insert(byte) }
  }

  /// The bytes in `range`.
  init(range: ClosedRange<UInt8>) {
    self.init()
    for byte in range { insert(byte) }
  }

  /// The bytes present in `bytes` (which transformations a value can need, see
  /// `Transformation.changingBytes`).
  init(of bytes: UnsafeBufferPointer<UInt8>) {
    self.init()
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    withUnsafeMutableBytes(of: &words) { raw in
      let base = raw.bindMemory(to: UInt64.self)
      for byte in bytes { base[Int(byte >> 6)] |= UInt64(1) << UInt64(byte & 63) }
    }
    bits = words
  }

  /// C `isspace`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
  static let cSpace = ByteRangeSet([0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D])

  func union(_ other: ByteRangeSet) -> ByteRangeSet {
    var result = self
    result.bits = (bits.0 | other.bits.0, bits.1 | other.bits.1, bits.2 | other.bits.2, bits.3 | other.bits.3)
    return result
  }

  func intersects(_ other: ByteRangeSet) -> Bool {
    (bits.0 & other.bits.0) | (bits.1 & other.bits.1) | (bits.2 & other.bits.2) | (bits.3 & other.bits.3) != 0
  }
}
