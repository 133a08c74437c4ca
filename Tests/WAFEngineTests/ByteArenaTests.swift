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

/// `Transformation.changingBytes` lets the rule loop skip a transformation for a value holding
/// none of those bytes: that must never skip one that would have changed the value.
@Suite("WAF transformation changing bytes")
struct ChangingBytesTests {
  @Test("values without a transformation's changing bytes come back unchanged")
  func unchangedWithoutTriggers() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }
    let context = TransformationContext()
    var checked = 0
    for t in Transformation.allCases {
      guard let changing = t.changingBytes else { continue }
      let allowed = (0...255).map(UInt8.init).filter { !changing.contains($0) }
      // Biased toward the bytes the decoders and normalizers care about, next to the rest.
      let interesting = allowed.filter { Array("%+&\\/*.-#<>;,'\"^ \t\r\n\u{0}AZaz09()".utf8).contains($0) || $0 >= 0x80 }
      for _ in 0..<3000 {
        let length = Int(next() % 24)
        var value: [UInt8] = []
        for _ in 0..<length {
          let pool = next() % 2 == 0 || interesting.isEmpty ? allowed : interesting
          value.append(pool[Int(next() % UInt64(pool.count))])
        }
        #expect(t.apply(value, context: context) == value, "\(t) changed \(value)")
        checked += 1
      }
    }
    #expect(checked > 40_000)
  }

  @Test("presumed identities follow the bytes present")
  func presumed() {
    let plain = Array("hello world".utf8)
    let identities = plain.withUnsafeBufferPointer { TransformationIdentities(presumingFrom: $0) }
    #expect(identities.leavesUnchanged(.lowercase))
    #expect(identities.leavesUnchanged(.urlDecodeUni))
    #expect(!identities.leavesUnchanged(.compressWhitespace))
    #expect(!identities.leavesUnchanged(.base64Decode))
    let escaped = Array("A%41".utf8)
    let other = escaped.withUnsafeBufferPointer { TransformationIdentities(presumingFrom: $0) }
    #expect(!other.leavesUnchanged(.lowercase))
    #expect(!other.leavesUnchanged(.urlDecodeUni))
    #expect(other.leavesUnchanged(.htmlEntityDecode))
  }
}
