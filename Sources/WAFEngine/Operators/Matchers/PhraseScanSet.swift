// Several phrase automata over the same bytes in one pass.
//
// A single automaton's scan is bound by latency, not by the table's size: each step's table load
// needs the state the previous load returned, so a byte costs a load's latency (about 2.7 ns per
// byte on these machines, for CRS's 9 KB `web-shells-asp.data` table as for its 12 MB
// `php-errors.data` one). CRS checks RESPONSE_BODY against seven `@pmFromFile` lists one rule
// after another. Walking four automata side by side gives the processor four independent chains
// of loads to overlap, so four scans cost little more than one.

/// Automata that scan the same input together (see the file comment). Immutable after `init`;
/// the tables belong to the automata it keeps.
final class PhraseScanSet: @unchecked Sendable {
  /// Up to four automata walked in one loop.
  private struct Chunk {
    /// Byte to the four automata's classes, one per byte of the word (lane 0 lowest).
    let classes: UnsafeMutablePointer<UInt32>
    let tables: (UnsafePointer<Int32>, UnsafePointer<Int32>, UnsafePointer<Int32>, UnsafePointer<Int32>)
    /// Index of lane 0's automaton in `automata`.
    let first: Int
    let laneCount: Int
  }

  let automata: [AhoCorasick]
  private let chunks: [Chunk]
  /// 256 zero entries: the table of an unused or finished lane (every class leads to the root and
  /// no phrase ends there).
  private let idle: UnsafeMutablePointer<Int32>

  init(_ automata: [AhoCorasick]) {
    self.automata = automata
    idle = UnsafeMutablePointer<Int32>.allocate(capacity: 256)
    idle.initialize(repeating: 0, count: 256)
    var chunks: [Chunk] = []
    var first = 0
    while first < automata.count {
      let laneCount = min(4, automata.count - first)
      let classes = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
      classes.initialize(repeating: 0, count: 256)
      var tables: [UnsafePointer<Int32>] = []
      for lane in 0..<4 {
        guard lane < laneCount else {
          tables.append(UnsafePointer(idle))
          continue
        }
        let automaton = automata[first + lane].tables
        tables.append(UnsafePointer(automaton.transitions))
        for byte in 0..<256 { classes[byte] |= UInt32(automaton.classOf[byte]) << (8 * UInt32(lane)) }
      }
      chunks.append(Chunk(classes: classes, tables: (tables[0], tables[1], tables[2], tables[3]), first: first, laneCount: laneCount))
      first += laneCount
    }
    self.chunks = chunks
  }

  deinit {
    for chunk in chunks { chunk.classes.deallocate() }
    idle.deallocate()
  }

  /// For each automaton, in order, the index of the phrase its ``AhoCorasick/firstMatch(in:)-(UnsafeBufferPointer<UInt8>)``
  /// reports in `bytes`, or -1 when none occurs.
  ///
  /// - Parameters:
  ///   - bytes: The input.
  ///   - results: At least `automata.count` entries; all of them are written.
  func firstPhraseIndexes(in bytes: UnsafeBufferPointer<UInt8>, into results: UnsafeMutableBufferPointer<Int32>) {
    guard let output = results.baseAddress, results.count >= automata.count else { return }
    for index in automata.indices { output[index] = -1 }
    guard let input = bytes.baseAddress else { return }
    for chunk in chunks { scan(chunk, input, bytes.count, output) }
  }

  private func scan(_ chunk: Chunk, _ input: UnsafePointer<UInt8>, _ count: Int, _ results: UnsafeMutablePointer<Int32>) {
    let classes = UnsafePointer(chunk.classes)
    var (t0, t1, t2, t3) = chunk.tables
    var r0 = 0
    var r1 = 0
    var r2 = 0
    var r3 = 0
    var live = chunk.laneCount
    var position = 0
    while position < count {
      let packed = classes[Int(input[position])]
      let e0 = t0[r0 &+ Int(packed & 0xFF)]
      let e1 = t1[r1 &+ Int((packed &>> 8) & 0xFF)]
      let e2 = t2[r2 &+ Int((packed &>> 16) & 0xFF)]
      let e3 = t3[r3 &+ Int(packed &>> 24)]
      position &+= 1
      r0 = Int(e0)
      r1 = Int(e1)
      r2 = Int(e2)
      r3 = Int(e3)
      guard (e0 | e1 | e2 | e3) < 0 else { continue }
      // A phrase ended in some lane: record it and retire the lane.
      if e0 < 0 { retire(lane: 0, entry: e0, &t0, &r0, &live, chunk, results) }
      if e1 < 0 { retire(lane: 1, entry: e1, &t1, &r1, &live, chunk, results) }
      if e2 < 0 { retire(lane: 2, entry: e2, &t2, &r2, &live, chunk, results) }
      if e3 < 0 { retire(lane: 3, entry: e3, &t3, &r3, &live, chunk, results) }
      if live <= 0 { return }
    }
  }

  /// Records the phrase that ended in `lane` and points the lane at the idle table.
  @inline(__always)
  private func retire(
    lane: Int, entry: Int32, _ table: inout UnsafePointer<Int32>, _ row: inout Int, _ live: inout Int, _ chunk: Chunk,
    _ results: UnsafeMutablePointer<Int32>
  ) {
    let index = chunk.first + lane
    let automaton = automata[index]
    let state = Int(~entry) / automaton.tables.classCount
    results[index] = Int32(automaton.phraseIndex(endingIn: state))
    table = UnsafePointer(idle)
    row = 0
    live -= 1
  }
}
