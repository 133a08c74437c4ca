// The phrase matcher behind `@pm` and `@pmFromFile`: case-insensitive, matches anywhere.
//
// Built once per rule as a dense DFA: bytes are first mapped to a small alphabet (one class per
// distinct ASCII-case-folded byte that occurs in some phrase, plus one class for all other bytes),
// and `transitions[state * classCount + class]` is the next state with failure links already
// followed. Matching is then one table load per input byte, with no branches on the pattern set.

/// A multi-phrase, ASCII-case-insensitive matcher (Aho-Corasick), as ModSecurity's `acmp`.
///
///     SecRule REQUEST_HEADERS:User-Agent "@pm nikto sqlmap" "id:913100,capture,deny"
///     SecRule REQUEST_FILENAME "@pmFromFile restricted-files.data" "id:930130,deny"
public struct AhoCorasick: Sendable {
  /// The phrases as given (duplicates and empty phrases included, so indexes match the input).
  public let patterns: [[UInt8]]

  private let classOf: [UInt8]
  private let classCount: Int
  /// Row-major `states × classCount`.
  private let transitions: [Int32]
  /// Per state: index of the longest phrase ending there, or -1.
  private let output: [Int32]

  /// Builds the matcher.
  ///
  /// - Parameter patterns: The phrases. Empty phrases never match; for duplicates (ignoring ASCII
  ///   case) the first index is reported.
  public init(patterns: [[UInt8]]) {
    self.patterns = patterns

    // Alphabet: one class per folded byte used by a phrase; class 0 for everything else.
    var classOf = [UInt8](repeating: 0, count: 256)
    var foldedClass = [Int](repeating: 0, count: 256)
    var classCount = 1
    for pattern in patterns {
      for byte in pattern {
        let folded = Int(ByteClass.lower(byte))
        if foldedClass[folded] == 0 {
          foldedClass[folded] = classCount
          classCount += 1
        }
      }
    }
    // More than 255 distinct folded bytes cannot happen (at most 230 after folding), but stay safe.
    classCount = min(classCount, 256)
    for byte in 0..<256 {
      classOf[byte] = UInt8(truncatingIfNeeded: min(foldedClass[Int(ByteClass.lower(UInt8(byte)))], 255))
    }

    // Trie, as a sparse goto table first.
    var goto: [Int32] = [Int32](repeating: -1, count: classCount)
    var terminal: [Int32] = [-1]
    for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
      var state = 0
      for byte in pattern {
        let cls = Int(classOf[Int(byte)])
        let next = goto[state * classCount + cls]
        if next >= 0 {
          state = Int(next)
        } else {
          let created = terminal.count
          goto[state * classCount + cls] = Int32(created)
          goto.append(contentsOf: repeatElement(-1, count: classCount))
          terminal.append(-1)
          state = created
        }
      }
      if terminal[state] < 0 { terminal[state] = Int32(index) }
    }

    // Breadth-first: failure links, outputs, and the full DFA (goto with failures folded in).
    let stateCount = terminal.count
    var fail = [Int32](repeating: 0, count: stateCount)
    var output = terminal
    var transitions = goto
    var queue: [Int] = []
    queue.reserveCapacity(stateCount)
    for cls in 0..<classCount {
      let next = goto[cls]
      if next >= 0 {
        fail[Int(next)] = 0
        queue.append(Int(next))
      } else {
        transitions[cls] = 0
      }
    }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      if output[state] < 0 { output[state] = output[Int(fail[state])] }
      for cls in 0..<classCount {
        let next = goto[state * classCount + cls]
        let viaFailure = transitions[Int(fail[state]) * classCount + cls]
        if next >= 0 {
          fail[Int(next)] = viaFailure
          queue.append(Int(next))
        } else {
          transitions[state * classCount + cls] = viaFailure
        }
      }
    }
    // Class 0 (bytes in no phrase) always returns to the root.
    for state in 0..<stateCount { transitions[state * classCount] = 0 }

    self.classOf = classOf
    self.classCount = classCount
    self.transitions = transitions
    self.output = output
  }

  /// Number of DFA states (for diagnostics and memory estimates).
  public var stateCount: Int { output.count }

  /// Finds the phrase occurrence that ends first in `bytes`; among phrases ending at the same byte,
  /// the longest.
  ///
  /// - Parameter bytes: The (transformed) variable value.
  /// - Returns: The index into ``patterns`` and the byte range of the occurrence, or `nil`.
  public func firstMatch(in bytes: UnsafeBufferPointer<UInt8>) -> (patternIndex: Int, range: Range<Int>)? {
    classOf.withUnsafeBufferPointer { classOf in
      transitions.withUnsafeBufferPointer { transitions in
        output.withUnsafeBufferPointer { output in
          var state = 0
          for position in 0..<bytes.count {
            state = Int(transitions[state &* classCount &+ Int(classOf[Int(bytes[position])])])
            let found = output[state]
            if found >= 0 {
              let length = patterns[Int(found)].count
              return (Int(found), (position + 1 - length)..<(position + 1))
            }
          }
          return nil
        }
      }
    }
  }

  /// ``firstMatch(in:)-(UnsafeBufferPointer<UInt8>)`` over an array.
  public func firstMatch(in bytes: [UInt8]) -> (patternIndex: Int, range: Range<Int>)? {
    bytes.withUnsafeBufferPointer { firstMatch(in: $0) }
  }

  /// Whether any phrase occurs in `bytes`.
  public func matches(_ bytes: [UInt8]) -> Bool { firstMatch(in: bytes) != nil }
}

extension AhoCorasick {
  /// Splits an `@pm` argument into phrases the way libmodsecurity's `Pm::init` does.
  ///
  /// The argument first goes through `parse_pm_content`: leading spaces and tabs are skipped; if it
  /// then starts and ends with `"` those quotes are removed; `|41 42|` spans are hex bytes (spaces
  /// inside ignored); `\:`, `\;`, `\\` and `\"` are escapes. Any other escape makes upstream fall back
  /// to the raw argument. The result is split on C whitespace, so a phrase never contains a space
  /// (not even one written as `|20|`).
  ///
  /// - Parameter argument: The text after `@pm `.
  /// - Returns: The phrases in order.
  public static func phrases(fromArgument argument: String) -> [[UInt8]] {
    let raw = Array(argument.utf8)
    let content = parsePmContent(raw) ?? raw
    var phrases: [[UInt8]] = []
    var current: [UInt8] = []
    for byte in content {
      if ByteClass.isSpace(byte) {
        if !current.isEmpty {
          phrases.append(current)
          current.removeAll(keepingCapacity: true)
        }
      } else {
        current.append(byte)
      }
    }
    if !current.isEmpty { phrases.append(current) }
    return phrases
  }

  /// The phrases of an `@pmFromFile` data file, as libmodsecurity 3.0.9's `PmFromFile::init` reads it:
  /// one phrase per line (split on `\n`), skipping empty lines and lines whose first non-whitespace
  /// byte is `#`. Lines are otherwise kept byte for byte, leading spaces and a trailing `\r`
  /// included, because ModSecurity does not trim them.
  ///
  /// - Parameter contents: The whole file.
  /// - Returns: The phrases in file order.
  public static func phrases(fromFile contents: [UInt8]) -> [[UInt8]] {
    var phrases: [[UInt8]] = []
    var start = 0
    while start < contents.count {
      let end = contents[start...].firstIndex(of: 0x0A) ?? contents.count
      let line = contents[start..<end]
      start = end + 1
      if line.isEmpty { continue }
      if let firstNonSpace = line.firstIndex(where: { !ByteClass.isSpace($0) }), line[firstNonSpace] == 0x23 {
        continue
      }
      phrases.append(Array(line))
    }
    return phrases
  }

  /// libmodsecurity's `parse_pm_content`; `nil` where upstream reports an error.
  static func parsePmContent(_ input: [UInt8]) -> [UInt8]? {
    var offset = 0
    while offset < input.count && (input[offset] == 0x20 || input[offset] == 0x09) { offset += 1 }
    var parm: [UInt8]
    if offset < input.count, input[offset] == 0x22, input.count - offset >= 2, input[input.count - 1] == 0x22 {
      parm = Array(input[(offset + 1)..<(input.count - 1)])
    } else {
      parm = Array(input[offset...])
    }
    if parm.isEmpty { return nil }
    var inBinary = false
    var escaped = false
    var converted = false
    var pendingHex: [UInt8] = []
    var x = 0
    for i in 0..<parm.count {
      let c = parm[i]
      if c == 0x7C {
        inBinary.toggle()
      } else if !escaped && c == 0x5C {
        escaped = true
      } else if inBinary {
        if ByteClass.isHex(c) {
          pendingHex.append(c)
          if pendingHex.count == 2 {
            parm[x] = UInt8(ByteClass.hexValue(pendingHex[0]) << 4 | ByteClass.hexValue(pendingHex[1]))
            x += 1
            pendingHex.removeAll(keepingCapacity: true)
            converted = true
          }
        }
      } else if escaped {
        guard c == 0x3A || c == 0x3B || c == 0x5C || c == 0x22 else { return nil }
        parm[x] = c
        x += 1
        escaped = false
        converted = true
      } else {
        parm[x] = c
        x += 1
      }
    }
    // Upstream only shortens the buffer when something was converted; otherwise the compacted bytes
    // are followed by the stale tail of the original.
    return converted ? Array(parm[0..<x]) : parm
  }
}
