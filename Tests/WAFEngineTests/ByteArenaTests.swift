import Testing

@testable import WAFEngine

/// The transaction arena hands out memory that never moves: values stored early must read back
/// unchanged after many more (and larger) allocations, whatever their alignment needs.
@Suite("transaction byte arena")
struct ByteArenaTests {
  @Test("stored bytes stay put across chunk changes and large values")
  func storedBytesStayPut() {
    var arena = ByteArena()
    defer { arena.releaseAll() }
    var stored: [(ByteSpan, [UInt8])] = []
    for i in 0..<2_000 {
      // Small values mostly, a few larger than a chunk, some empty.
      let length = i % 97 == 0 ? 40_000 + i : (i % 13 == 0 ? 0 : i % 300)
      let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
      stored.append((arena.store(bytes), bytes))
    }
    for (span, bytes) in stored {
      #expect(span.count == bytes.count)
      #expect(span.array == bytes)
    }
  }

  @Test("records are aligned and lists read back")
  func recordsAligned() {
    var arena = ByteArena()
    defer { arena.releaseAll() }
    _ = arena.store([1, 2, 3])
    let numbers = arena.store([UInt64](repeating: 7, count: 5) + [9])
    #expect(Int(bitPattern: numbers.baseAddress) % MemoryLayout<UInt64>.alignment == 0)
    #expect(Array(numbers) == [7, 7, 7, 7, 7, 9])
    _ = arena.store([UInt8](repeating: 1, count: 1))
    let entries = arena.allocate(WAFTransaction.EntrySpans.self, count: 3)
    #expect(Int(bitPattern: entries) % MemoryLayout<WAFTransaction.EntrySpans>.alignment == 0)
  }

  @Test("lowercasing copies fold ASCII letters only")
  func lowercased() {
    var arena = ByteArena()
    defer { arena.releaseAll() }
    let source: [UInt8] = Array("Content-TYPE_\u{C9}z@[".utf8)
    let lowered = source.withUnsafeBufferPointer { arena.storeLowercased($0) }
    #expect(lowered.array == asciiLowercased(source))
    #expect(ByteSpan.empty.array == [])
  }
}

/// Tables per variable are indexed by `VariableName.cacheIndex`, read from the enum's stored
/// byte: it must be each case's declaration position.
@Suite("variable table index")
struct VariableIndexTests {
  @Test("cacheIndex is the position in allCases")
  func positions() {
    #expect(MemoryLayout<VariableName>.size == 1)
    for (position, variable) in VariableName.allCases.enumerated() {
      #expect(Int(variable.cacheIndex) == position, "\(variable)")
    }
  }
}

/// Sets of transformations are `UInt64` masks of `Transformation.bit`, read from the enum's
/// stored byte: each case needs its own bit, its position in `allCases`.
@Suite("transformation bits")
struct TransformationBitTests {
  @Test("every transformation has its own bit, its position in allCases")
  func bits() {
    #expect(MemoryLayout<Transformation>.size == 1)
    #expect(Transformation.allCases.count <= 64)
    for (position, transformation) in Transformation.allCases.enumerated() {
      #expect(transformation.bit == 1 << UInt64(position), "\(transformation)")
    }
  }
}
