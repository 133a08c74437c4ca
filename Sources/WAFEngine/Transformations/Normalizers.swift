// Transformations that normalise rather than decode: case, whitespace, NULs, comments, command
// lines, paths and 7-bit parity.

/// Namespace for the normalising transformations.
enum Normalizers {
  /// Copies `input` into `out` and lets `body` compact it in place, returning the new length.
  /// Returns true (the value changed), for the callers' `return`.
  @inline(__always) private static func compact(
    _ input: UnsafeBufferPointer<UInt8>, from start: Int, into out: inout [UInt8],
    _ body: (UnsafeMutableBufferPointer<UInt8>, Int) -> Int
  ) -> Bool {
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: input)
    let length = out.withUnsafeMutableBufferPointer { buffer in body(buffer, start) }
    out.removeSubrange(length...)
    return true
  }

  /// Copies `input` into `out` and maps every byte from `start` on through `transform`.
  /// Returns true (the value changed), for the callers' `return`.
  @inline(__always) private static func mapping(
    _ input: UnsafeBufferPointer<UInt8>, from start: Int, into out: inout [UInt8], _ transform: (UInt8) -> UInt8
  ) -> Bool {
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: input)
    out.withUnsafeMutableBufferPointer { buffer in
      for i in start..<buffer.count { buffer[i] = transform(buffer[i]) }
    }
    return true
  }

  /// `t:lowercase`: ASCII `A`-`Z` to `a`-`z`; other bytes unchanged.
  static func lowercase(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, where: .upper) else { return false }
    return mapping(input, from: first, into: &out, ByteClass.lower)
  }

  /// `t:uppercase`: ASCII `a`-`z` to `A`-`Z`.
  static func uppercase(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, where: .lower) else { return false }
    return mapping(input, from: first, into: &out, ByteClass.upper)
  }

  /// `t:removeNulls`: deletes every 0x00 byte.
  static func removeNulls(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, of: 0) else { return false }
    return compact(input, from: first, into: &out) { buffer, start in
      ByteClass.compactRemoving(.nul, in: buffer, from: start)
    }
  }

  /// `t:replaceNulls`: every 0x00 byte becomes a space.
  static func replaceNulls(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, of: 0) else { return false }
    return mapping(input, from: first, into: &out) { $0 == 0 ? 0x20 : $0 }
  }

  /// `t:removeWhitespace`: deletes space, `\t`, `\n`, `\v`, `\f`, `\r` and 0xA0 (NBSP).
  static func removeWhitespace(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = ByteClass.firstIndex(in: input, where: .spaceOrNBSP) else { return false }
    return compact(input, from: first, into: &out) { buffer, start in
      ByteClass.compactRemoving(.spaceOrNBSP, in: buffer, from: start)
    }
  }

  /// `t:compressWhitespace`: every run of C whitespace (space, `\t\n\v\f\r`) becomes one space.
  static func compressWhitespace(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    // Nothing to do unless some whitespace byte is not a plain space or follows another one. The
    // test is branch-free per byte; only the (rare) hit branches.
    let first: Int? = ByteClass.flagTable.withUnsafeBufferPointer { table in
      guard let base = input.baseAddress, let lookup = table.baseAddress else { return nil }
      var previous: UInt8 = 0
      for i in 0..<input.count {
        let c = base[i]
        let space = lookup[Int(c)] & ByteClass.Flags.space.rawValue
        if space & (previous | (c != 0x20 ? 1 : 0)) != 0 { return i - Int(previous) }
        previous = space
      }
      return nil
    }
    guard let first else { return false }
    return compact(input, from: first, into: &out) { buffer, start in
      var d = start
      var inSpace = false
      for i in start..<buffer.count {
        let c = buffer[i]
        if ByteClass.isSpace(c) {
          if !inSpace {
            buffer[d] = 0x20
            d += 1
            inSpace = true
          }
        } else {
          buffer[d] = c
          d += 1
          inSpace = false
        }
      }
      return d
    }
  }

  /// `t:trim`, `t:trimLeft`, `t:trimRight`: strips C whitespace (space, `\t\n\v\f\r`) from the ends.
  static func trim(_ input: UnsafeBufferPointer<UInt8>, left: Bool, right: Bool, into out: inout [UInt8]) -> Bool {
    var start = 0
    var end = input.count
    if left { while start < end && ByteClass.isSpace(input[start]) { start += 1 } }
    if right { while end > start && ByteClass.isSpace(input[end - 1]) { end -= 1 } }
    if start == 0 && end == input.count { return false }
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: input[start..<end])
    return true
  }

  /// `t:cmdLine`, for Windows and Unix command lines: deletes `\`, `"`, `'` and `^`; turns each run
  /// of space, `,`, `;`, `\t`, `\r`, `\n` into one space; drops a space right before `/` or `(`; and
  /// lower-cases ASCII letters.
  ///
  /// A run of separators is a run of output: deleted characters in between do not end it, so
  /// `a ' b` gives `a b`.
  static func cmdLine(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    // Deleted or replaced bytes and capitals always change the value; spaces alone do when doubled
    // or followed by `/` or `(`.
    if ByteClass.firstIndex(in: input, where: [.commandLine, .upper]) == nil {
      var changes = false
      var previousSpace: UInt8 = 0
      for c in input {
        let space: UInt8 = c == 0x20 ? 1 : 0
        let special: UInt8 = c == 0x20 || c == 0x2F || c == 0x28 ? 1 : 0
        if previousSpace & special != 0 {
          changes = true
          break
        }
        previousSpace = space
      }
      if !changes { return false }
    }
    return compact(input, from: 0, into: &out) { buffer, _ in
      var d = 0
      var space = false
      for i in 0..<buffer.count {
        let c = buffer[i]
        switch c {
        case 0x22, 0x27, 0x5C, 0x5E:
          break
        case 0x20, 0x2C, 0x3B, 0x09, 0x0D, 0x0A:
          if !space {
            buffer[d] = 0x20
            d += 1
            space = true
          }
        case 0x2F, 0x28:
          if space { d -= 1 }
          space = false
          buffer[d] = c
          d += 1
        default:
          buffer[d] = ByteClass.lower(c)
          d += 1
          space = false
        }
      }
      return d
    }
  }

  // MARK: - Comments

  /// `t:replaceComments`: each C comment `/* ... */` becomes one space; an unterminated comment runs
  /// to the end and also becomes one space. A lone `*/` is kept.
  static func replaceComments(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard let first = firstPair(input, 0x2F, 0x2A) else { return false }
    return compact(input, from: first, into: &out) { buffer, start in
      let count = buffer.count
      var i = start
      var j = start
      var inComment = false
      while i < count {
        if !inComment {
          if buffer[i] == 0x2F && i + 1 < count && buffer[i + 1] == 0x2A {
            inComment = true
            i += 2
          } else {
            buffer[j] = buffer[i]
            i += 1
            j += 1
          }
        } else if buffer[i] == 0x2A && i + 1 < count && buffer[i + 1] == 0x2F {
          inComment = false
          i += 2
          buffer[j] = 0x20
          j += 1
        } else {
          i += 1
        }
      }
      if inComment {
        // The output is never longer than the input here: the comment opener took two bytes.
        buffer[j] = 0x20
        j += 1
      }
      return j
    }
  }

  /// `t:removeCommentsChar`: deletes the comment markers `/*`, `*/`, `<!--`, `-->`, `--` and `#`
  /// (the text between them stays), scanning left to right.
  static func removeCommentsChar(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    let trigger = input.contains { $0 == 0x2F || $0 == 0x2A || $0 == 0x3C || $0 == 0x2D || $0 == 0x23 }
    if !trigger { return false }
    let source = input
    let count = source.count
    out.removeAll(keepingCapacity: true)
    out.reserveCapacity(count)
    var i = 0
    while i < count {
      let c = source[i]
      let next = i + 1 < count ? source[i + 1] : 0
      if c == 0x2F && next == 0x2A {
        i += 2
      } else if c == 0x2A && next == 0x2F {
        i += 2
      } else if c == 0x3C && next == 0x21 && i + 3 < count && source[i + 2] == 0x2D && source[i + 3] == 0x2D {
        i += 4
      } else if c == 0x2D && next == 0x2D && i + 2 < count && source[i + 2] == 0x3E {
        i += 3
      } else if c == 0x2D && next == 0x2D {
        i += 2
      } else if c == 0x23 {
        i += 1
      } else {
        out.append(c)
        i += 1
      }
    }
    return out.count != count
  }

  /// `t:removeComments`: deletes `/* ... */` and `<!-- ... -->` comments and cuts the value at `--`
  /// or `#` outside a comment. An unterminated comment becomes one space.
  ///
  /// Follows ModSecurity's regression vectors (secrules-language-tests `removeComments.json`:
  /// `SELECT/**//**/UNION` gives `SELECTUNION`, `/* x */` gives an empty value). The older C loop
  /// copied the byte after a closing marker unexamined (a NUL when the marker ended the value); the
  /// vectors reject that, so it is not reproduced.
  static func removeComments(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    let trigger = input.contains { $0 == 0x2F || $0 == 0x3C || $0 == 0x2D || $0 == 0x23 }
    if !trigger { return false }
    let source = input
    let count = source.count
    out.removeAll(keepingCapacity: true)
    out.reserveCapacity(count + 1)
    var i = 0
    var inComment = false
    scan: while i < count {
      if !inComment {
        let c = source[i]
        if c == 0x2F && i + 1 < count && source[i + 1] == 0x2A {
          inComment = true
          i += 2
        } else if c == 0x3C && i + 3 < count && source[i + 1] == 0x21 && source[i + 2] == 0x2D
          && source[i + 3] == 0x2D
        {
          inComment = true
          i += 4
        } else if c == 0x2D && i + 1 < count && source[i + 1] == 0x2D {
          break scan
        } else if c == 0x23 {
          break scan
        } else {
          out.append(c)
          i += 1
        }
      } else if source[i] == 0x2A && i + 1 < count && source[i + 1] == 0x2F {
        inComment = false
        i += 2
      } else if source[i] == 0x2D && i + 2 < count && source[i + 1] == 0x2D && source[i + 2] == 0x3E {
        inComment = false
        i += 3
      } else {
        i += 1
      }
    }
    if inComment { out.append(0x20) }
    return !out.elementsEqual(input)
  }

  /// Index of the first `a` immediately followed by `b`.
  private static func firstPair(_ input: UnsafeBufferPointer<UInt8>, _ a: UInt8, _ b: UInt8) -> Int? {
    guard input.count >= 2 else { return nil }
    for i in 0..<(input.count - 1) where input[i] == a && input[i + 1] == b { return i }
    return nil
  }

  // MARK: - Paths

  /// `t:normalizePath` / `t:normalizePathWin`: removes `./` self references, resolves `../` against
  /// the previous segment (never above the root; in a relative path unresolvable `..` stay), and
  /// collapses repeated slashes. The Windows form first turns backslashes into slashes. A trailing
  /// slash is kept only when the input had one.
  ///
  /// This follows ModSecurity's `normalize_path_inplace` step by step.
  static func normalizePath(_ input: UnsafeBufferPointer<UInt8>, windows: Bool, into out: inout [UInt8]) -> Bool {
    if input.isEmpty { return false }
    let interesting = input.contains { $0 == 0x2F || $0 == 0x2E || (windows && $0 == 0x5C) }
    if !interesting { return false }
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: input)
    let length = out.withUnsafeMutableBufferPointer { value in
      normalize(value, windows: windows)
    }
    out.removeSubrange(length...)
    return !out.elementsEqual(input)
  }

  private static func normalize(_ value: UnsafeMutableBufferPointer<UInt8>, windows: Bool) -> Int {
    let slash: UInt8 = 0x2F
    let dot: UInt8 = 0x2E
    let backslash: UInt8 = 0x5C
    let end = value.count - 1
    var src = 0
    var dst = 0
    var hitRoot = false
    var done = false
    let relative = !(value[0] == slash || (windows && value[0] == backslash))
    let trailing = value[end] == slash || (windows && value[end] == backslash)

    while !done && src <= end && dst <= end {
      if windows {
        if value[src] == backslash { value[src] = slash }
        if src < end && value[src + 1] == backslash { value[src + 1] = slash }
      }
      var skipNormalization = false
      if src == end {
        done = true
      } else if value[src + 1] != slash {
        skipNormalization = true
      }

      var skipCopy = false
      if !skipNormalization {
        if src != end && value[src] == slash {
          // Empty segment: the copy step collapses it.
        } else if value[src] == dot {
          if dst > 0 && value[dst - 1] == dot {
            // Back reference.
            if relative && (hitRoot || dst - 2 <= 0) {
              hitRoot = true
            } else {
              dst -= 3
              while dst > 0 && value[dst] != slash { dst -= 1 }
              if dst <= 0 {
                hitRoot = true
                dst = 0
                if !relative && src == end { dst += 1 }
              }
              if done {
                skipCopy = true
              } else {
                src += 1
              }
            }
          } else if dst == 0 {
            // Relative self reference.
            if done { skipCopy = true } else { src += 1 }
          } else if value[dst - 1] == slash {
            // Self reference.
            if done {
              skipCopy = true
            } else {
              dst -= 1
              src += 1
            }
          }
        } else if dst > 0 {
          hitRoot = false
        }
      }

      if !skipCopy {
        if value[src] == slash {
          while src < end && (value[src + 1] == slash || (windows && value[src + 1] == backslash)) {
            src += 1
          }
          if relative && dst == 0 {
            src += 1
            continue
          }
        }
        value[dst] = value[src]
        dst += 1
        src += 1
      }
    }
    if !trailing && dst > 0 && value[dst - 1] == slash { dst -= 1 }
    return dst
  }

  // MARK: - Parity

  /// `t:parityEven7bit`: sets bit 7 so that each byte has even parity over its 7 data bits.
  static func parityEven7bit(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: input.lazy.map { c in (0x6996 >> Int(parityNibble(c))) & 1 == 1 ? c | 0x80 : c & 0x7F })
    return true
  }

  /// `t:parityOdd7bit`: sets bit 7 so that each byte has odd parity over its 7 data bits.
  static func parityOdd7bit(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: input.lazy.map { c in (0x6996 >> Int(parityNibble(c))) & 1 == 1 ? c & 0x7F : c | 0x80 })
    return true
  }

  /// `t:parityZero7bit`: clears bit 7 of every byte.
  static func parityZero7bit(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    guard input.contains(where: { $0 >= 0x80 }) else { return false }
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: input.lazy.map { $0 & 0x7F })
    return true
  }

  /// The nibble whose parity equals the byte's (ModSecurity's `x ^ x >> 4` folded to 4 bits).
  @inline(__always) private static func parityNibble(_ c: UInt8) -> UInt8 {
    (c ^ (c >> 4)) & 0x0F
  }
}
