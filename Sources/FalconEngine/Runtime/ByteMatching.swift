#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A string comparison applied to a text value's UTF-8 bytes where they lie (see
/// ``EvaluationContext/testText(_:_:_:_:_:)``): no `String` is copied, retained or hashed.
typealias ByteTest = @Sendable (UnsafePointer<UInt8>, Int) -> Bool

/// The string operators that have a byte form, with the semantics of ``ValueMatcher``'s
/// string comparisons (libsinsp's: bytes compared as bytes, ASCII case folding for
/// `icontains`). Only for a scalar text value; lists, numbers and missing values are the
/// caller's business.
enum ByteMatching {
  /// The byte test of `op` against `constants` (any constant matching when a scalar operator
  /// has a list on its right), or nil when the operator has no byte form here.
  static func test(op: String, constants: [String]) -> ByteTest? {
    switch op {
    case "in", "intersects":
      let set = ByteSet(constants)
      return { set.contains($0, $1) }
    default:
      guard !constants.isEmpty else { return nil }
      let tests = constants.compactMap { single(op: op, constant: Array($0.utf8)) }
      guard tests.count == constants.count else { return nil }
      if tests.count == 1 { return tests[0] }
      if op == "=" || op == "==" {
        let set = ByteSet(constants)
        return { set.contains($0, $1) }
      }
      return { bytes, count in tests.contains { $0(bytes, count) } }
    }
  }

  /// Whether `count` bytes at `a` and `b` are equal: word compares (overlapping at the end)
  /// instead of a call to memcmp, as most constants are a few bytes long.
  @inline(__always)
  static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let left = UnsafeRawPointer(a)
    let right = UnsafeRawPointer(b)
    if count >= 8 {
      var offset = 0
      while offset + 8 <= count {
        if left.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != right.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
        offset += 8
      }
      if offset == count { return true }
      return left.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == right.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }
    if count >= 4 {
      return left.loadUnaligned(as: UInt32.self) == right.loadUnaligned(as: UInt32.self)
        && left.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self) == right.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
    }
    var index = 0
    while index < count {
      if a[index] != b[index] { return false }
      index += 1
    }
    return true
  }

  /// The byte test of `op` against one constant, or nil.
  private static func single(op: String, constant: [UInt8]) -> ByteTest? {
    let length = constant.count
    let storage = PinnedBytes(op == "icontains" ? constant.map { $0 >= 0x41 && $0 <= 0x5a ? $0 + 0x20 : $0 } : constant)
    switch op {
    case "=", "==":
      return { bytes, count in count == length && ByteMatching.equal(bytes, storage.base, length) }
    case "!=":
      return { bytes, count in !(count == length && ByteMatching.equal(bytes, storage.base, length)) }
    case "startswith", "bstartswith":
      return { bytes, count in count >= length && ByteMatching.equal(bytes, storage.base, length) }
    case "endswith":
      return { bytes, count in count >= length && ByteMatching.equal(bytes + (count - length), storage.base, length) }
    case "contains":
      if length == 0 { return { _, _ in true } }
      return { bytes, count in count >= length && StringMatching.search(bytes, count, storage.base, length) }
    case "icontains":
      if length == 0 { return { _, _ in true } }
      return { bytes, count in StringMatching.searchFolded(bytes, count, storage.base, length) }
    default:
      return nil
    }
  }
}

/// A constant's bytes at a fixed address, for the closures that compare with them.
final class PinnedBytes: @unchecked Sendable {
  // Written once in init, read-only afterwards.
  let base: UnsafeMutablePointer<UInt8>

  init(_ bytes: [UInt8]) {
    base = .allocate(capacity: max(bytes.count, 1))
    base.initialize(from: bytes, count: bytes.count)
  }

  deinit { base.deallocate() }
}

/// A set of byte strings: a signature bitmap (length and first and last bytes) turns most
/// non-members away before the hash table is probed.
struct ByteSet: Sendable {
  private let table: NameTable
  private let signatures: [UInt64]

  init(_ items: [String]) {
    table = NameTable(items.map { ($0, 0) })
    var signatures = [UInt64](repeating: 0, count: 64)
    for item in items {
      let bytes = Array(item.utf8)
      let signature = ByteSet.signature(bytes.first ?? 0, bytes.last ?? 0, bytes.count)
      signatures[signature >> 6] |= 1 << UInt64(signature & 63)
    }
    self.signatures = signatures
  }

  /// A number below 4096 from the byte length and the first and last bytes.
  @inline(__always)
  static func signature(_ first: UInt8, _ last: UInt8, _ count: Int) -> Int {
    ((count & 63) << 6) | Int((first &+ last &* 7) & 63)
  }

  @inline(__always)
  func contains(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let signature = count == 0 ? 0 : ByteSet.signature(bytes[0], bytes[count - 1], count)
    let word = signatures.withUnsafeBufferPointer { $0[signature >> 6] }
    guard word & (1 << UInt64(signature & 63)) != 0 else { return false }
    return table.value(of: UnsafeBufferPointer(start: bytes, count: count)) != nil
  }
}
