import Glibc

/// Bytes that live in a transaction's ``ByteArena``: a pointer and a count. Copying one costs
/// no reference counting, which is the point: the rule loop hands values, keys and transformed
/// values around thousands of times per request.
///
/// Valid while the memory it points into is: a transaction's arena (the transaction's whole
/// life) or storage a compiled rule owns (the rule set's life). Unchecked Sendable because the
/// rule set's spans are immutable and shared like the rule set; a transaction's spans never leave
/// its thread.
struct ByteSpan: @unchecked Sendable {
  let base: UnsafePointer<UInt8>?
  let count: Int

  static let empty = ByteSpan(base: nil, count: 0)

  @inline(__always)
  var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  /// A copy as an array, for the places that need one (macro references resolved outside TX,
  /// FULL_REQUEST).
  var array: [UInt8] { count == 0 ? [] : Array(buffer) }

  /// The first `n` bytes (all of them when there are fewer).
  func prefix(_ n: Int) -> ByteSpan { ByteSpan(base: base, count: Swift.max(0, Swift.min(n, count))) }

  /// The bytes after the first `n` (none when there are fewer).
  func dropFirst(_ n: Int) -> ByteSpan {
    let skipped = Swift.max(0, Swift.min(n, count))
    return ByteSpan(base: base.map { $0 + skipped }, count: count - skipped)
  }
}

/// A transaction's memory for values the rule loop reads: chunks that never move, handed out by
/// bumping a cursor and all given up together when the transaction ends (``reset()`` keeps a few
/// chunks for the next transaction, see `TransactionBufferPool`). Holds bytes and plain
/// (trivially copyable) records such as candidate lists.
struct ByteArena {
  /// Standard-size chunks in use, and chunks of their own for large values.
  private var chunks: [UnsafeMutableRawPointer] = []
  private var largeChunks: [UnsafeMutableRawPointer] = []
  /// Standard-size chunks kept from an earlier transaction (see ``reset()``), used before
  /// allocating new ones.
  private var spare: [UnsafeMutableRawPointer] = []
  private var cursor: UnsafeMutableRawPointer?
  private var remaining = 0

  private static let chunkSize = 32 * 1024
  /// How many standard chunks ``reset()`` keeps for reuse (256 KB).
  private static let keptChunks = 8

  /// Uninitialised memory for `count` values of the trivially copyable type `T`.
  mutating func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
    assert(_isPOD(T.self), "the arena holds trivially copyable values only")
    let alignment = max(MemoryLayout<T>.alignment, 8)
    let size = max(1, MemoryLayout<T>.stride * count)
    if let cursor {
      let address = Int(bitPattern: cursor)
      let padding = (alignment - address % alignment) % alignment
      if padding + size <= remaining {
        let start = cursor + padding
        self.cursor = start + size
        remaining -= padding + size
        return start.bindMemory(to: T.self, capacity: count)
      }
    }
    if size > Self.chunkSize / 4 {
      // Large values get a chunk of their own; the current chunk keeps serving small ones.
      let chunk = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: alignment)
      largeChunks.append(chunk)
      return chunk.bindMemory(to: T.self, capacity: count)
    }
    let chunk = spare.popLast() ?? UnsafeMutableRawPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
    chunks.append(chunk)
    cursor = chunk + size
    remaining = Self.chunkSize - size
    return chunk.bindMemory(to: T.self, capacity: count)
  }

  /// A copy of `bytes` in the arena.
  mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) -> ByteSpan {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return .empty }
    let target = allocate(UInt8.self, count: bytes.count)
    target.initialize(from: source, count: bytes.count)
    return ByteSpan(base: UnsafePointer(target), count: bytes.count)
  }

  mutating func store(_ bytes: [UInt8]) -> ByteSpan {
    bytes.withUnsafeBufferPointer { store($0) }
  }

  /// A copy of `bytes` with ASCII letters lowercased.
  mutating func storeLowercased(_ bytes: UnsafeBufferPointer<UInt8>) -> ByteSpan {
    guard bytes.count > 0 else { return .empty }
    let target = allocate(UInt8.self, count: bytes.count)
    for i in 0..<bytes.count {
      let byte = bytes[i]
      target[i] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
    return ByteSpan(base: UnsafePointer(target), count: bytes.count)
  }

  /// The decimal text of `value` (counts, severities) in the arena, built without a `String`.
  mutating func storeDecimal(_ value: Int) -> ByteSpan {
    let count = decimalLength(value)
    let target = allocate(UInt8.self, count: count)
    writeDecimal(value, to: target, count: count)
    return ByteSpan(base: UnsafePointer(target), count: count)
  }

  /// `values` copied into the arena, as a list that stays put.
  mutating func store<T>(_ values: [T]) -> UnsafeBufferPointer<T> {
    assert(_isPOD(T.self), "the arena holds trivially copyable values only")
    guard !values.isEmpty else { return UnsafeBufferPointer(start: nil, count: 0) }
    let target = allocate(T.self, count: values.count)
    values.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { target.initialize(from: base, count: values.count) }
    }
    return UnsafeBufferPointer(start: UnsafePointer(target), count: values.count)
  }

  /// Frees every chunk; everything the arena handed out is invalid afterwards.
  mutating func releaseAll() {
    reset()
    for chunk in spare { chunk.deallocate() }
    spare.removeAll()
  }

  /// Chunks kept for reuse (for tests).
  var spareChunkCount: Int { spare.count }

  /// Empties the arena for another transaction: everything it handed out is invalid afterwards.
  /// Up to ``keptChunks`` standard chunks are kept for reuse; the rest, and every large chunk,
  /// are freed.
  mutating func reset() {
    for chunk in largeChunks { chunk.deallocate() }
    largeChunks.removeAll(keepingCapacity: true)
    for chunk in chunks {
      if spare.count < Self.keptChunks { spare.append(chunk) } else { chunk.deallocate() }
    }
    chunks.removeAll(keepingCapacity: true)
    cursor = nil
    remaining = 0
  }
}

/// Bytes in the decimal text of `value` (sign included).
func decimalLength(_ value: Int) -> Int {
  var count = value < 0 ? 2 : 1
  var rest = value.magnitude / 10
  while rest > 0 {
    count += 1
    rest /= 10
  }
  return count
}

/// Writes the decimal text of `value` into the `count` (``decimalLength(_:)``) bytes at `target`,
/// without building a `String` (setvar arithmetic and counts run per rule).
func writeDecimal(_ value: Int, to target: UnsafeMutablePointer<UInt8>, count: Int) {
  var magnitude = value.magnitude
  var position = count
  repeat {
    position -= 1
    target[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
    magnitude /= 10
  } while magnitude > 0
  if value < 0 { target[0] = UInt8(ascii: "-") }
}

extension ByteSpan {
  /// A span over bytes owned by a rule (kept for the rule set's life): see ``OwnedBytes``.
  @inline(__always)
  func elementsEqual(_ other: ByteSpan) -> Bool {
    guard count == other.count else { return false }
    guard count > 0, let a = base, let b = other.base else { return true }
    return memcmp(a, b, count) == 0
  }

  @inline(__always)
  func hasPrefix(_ prefix: ByteSpan) -> Bool {
    guard count >= prefix.count else { return false }
    guard prefix.count > 0, let a = base, let b = prefix.base else { return true }
    return memcmp(a, b, prefix.count) == 0
  }
}

/// Bytes a compiled rule keeps for the rule set's life, readable as a ``ByteSpan`` without
/// reference counting (the rule loop compares keys against them).
final class OwnedBytes: Sendable {
  let span: ByteSpan

  init(_ bytes: [UInt8]) {
    let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
    bytes.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { memory.initialize(from: base, count: bytes.count) }
    }
    span = ByteSpan(base: UnsafePointer(memory), count: bytes.count)
  }

  deinit {
    UnsafeMutablePointer(mutating: span.base)?.deallocate()
  }
}
