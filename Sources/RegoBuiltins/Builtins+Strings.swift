internal import PolicyCore

// The strings family, after OPA's v1/topdown/strings.go. OPA implements these with Go's
// `strings` package, so the helpers below reproduce Go's byte-level semantics rather than
// Swift's `String` ones: comparisons and searches are on UTF-8 bytes (Swift compares by Unicode
// canonical equivalence, which would make "é" and "e\u{301}" equal), case mapping is Go's simple
// per-code-point mapping (Swift's is the full mapping, "ß".uppercased() == "SS"), and
// `trim_space` uses Go's `unicode.IsSpace`. Positions (`indexof`, `substring`) count code points,
// as OPA's `[]rune` conversions do.

extension BuiltinRegistry {
  /// Adds the strings family. Keep entries sorted by name.
  mutating func registerStrings() {
    /// `concat(delimiter, collection)`: joins an array or set of strings (a set in sorted order).
    ///
    ///     concat("/", ["a", "b"])  # "a/b"
    add("concat", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let separator = try args.string(0)
      let parts: [String]
      switch args[1] {
      case .array(let elements): parts = try stringElements(elements, operand: 1, kind: "array")
      case .set(let set): parts = try stringElements(set.sortedElements, operand: 1, kind: "set")
      default: throw oneOfError(1, ["set", "array"], got: args[1])
      }
      return .string(parts.joined(separator: separator))
    }

    /// `contains(haystack, needle)`: whether `needle` occurs in `haystack` (byte-wise).
    ///
    ///     contains("abcdefgh", "defg")  # true
    add("contains", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let haystack = Array(try args.string(0).utf8)
      let needle = Array(try args.string(1).utf8)
      return .bool(byteIndex(of: needle, in: haystack) != nil)
    }

    /// `endswith(search, base)`: whether `search` ends with `base`.
    ///
    ///     endswith("abcdefgh", "fgh")  # true
    add("endswith", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let suffix = try args.string(1)
      return .bool(
        text.utf8.count >= suffix.utf8.count && text.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8))
    }

    /// `format_int(number, base)`: the number, truncated toward zero, in base 2, 8, 10 or 16.
    ///
    ///     format_int(15.5, 16)  # "f"
    add("format_int", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let input = try args.number(0)
      let base = try args.number(1)
      // OPA compares the base's literal text, so `2.0` is not an accepted base.
      let radix: Int
      switch base.text {
      case "2": radix = 2
      case "8": radix = 8
      case "10":
        if let small = Int(input.text) { return .string(String(small)) }
        radix = 10
      case "16": radix = 16
      default: throw BuiltinError(.type, "operand 2 must be one of {2, 8, 10, 16}")
      }
      // OPA parses the number into a 64-bit-mantissa big.Float and truncates that to an integer,
      // so long literals are rounded first, exactly as here.
      guard let float = UnitsBigFloat(parsing: input.text, precision: 64) else {
        throw BuiltinError.failure("illegal value")
      }
      guard let integer = float.truncatedIntegerIfReasonable() else {
        throw BuiltinError.failure("number too large")
      }
      let (negative, magnitude) = integer
      let digits = magnitude.string(radix: radix)
      return .string((negative && !magnitude.isZero ? "-" : "") + digits)
    }

    /// `indexof(haystack, needle)`: the code-point index of the first `needle`, or -1.
    ///
    ///     indexof("skön var våren", "vår")  # 9
    add("indexof", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let haystack = Array(try args.string(0).utf8)
      let needle = Array(try args.string(1).utf8)
      if needle.isEmpty { throw BuiltinError.failure("empty search character") }
      guard let offset = byteIndex(of: needle, in: haystack) else { return .int(-1) }
      return .int(codePointCount(haystack, upTo: offset))
    }

    /// `indexof_n(haystack, needle)`: the code-point indices of every (possibly overlapping)
    /// occurrence of `needle`.
    ///
    ///     indexof_n("dogcatdogcat", "cat")  # [3, 9]
    add("indexof_n", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let haystack = Array(try args.string(0).utf8)
      let needle = Array(try args.string(1).utf8)
      if needle.isEmpty { throw BuiltinError.failure("empty search character") }
      var result: [Value] = []
      var codePoint = 0
      var offset = 0
      while offset < haystack.count {
        if haystack[offset] == needle[0], startsWith(haystack, needle, at: offset) {
          result.append(.int(codePoint))
        }
        offset += utf8SequenceLength(haystack[offset])
        codePoint += 1
      }
      return .array(result)
    }

    /// `lower(string)`: the string with every code point mapped to lower case (Go's simple
    /// case mapping).
    ///
    ///     lower("AbC")  # "abc"
    add("lower", arity: 1, category: "strings") { args, _ throws(BuiltinError) in
      .string(goLowercased(try args.string(0)))
    }

    /// `replace(string, old, new)`: every non-overlapping `old` replaced by `new`, left to right.
    ///
    ///     replace("foo.bar", ".", ",")  # "foo,bar"
    add("replace", arity: 3, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let old = try args.string(1)
      let new = try args.string(2)
      return .string(goReplace(text, pairs: [(Array(old.utf8), Array(new.utf8))]))
    }

    /// `split(string, delimiter)`: the parts between occurrences of `delimiter`; an empty
    /// delimiter splits into code points.
    ///
    ///     split("foo.bar", ".")  # ["foo", "bar"]
    add("split", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let delimiter = try args.string(1)
      return .array(goSplit(text, delimiter).map(Value.string))
    }

    /// `startswith(search, base)`: whether `search` starts with `base`.
    ///
    ///     startswith("abcdefgh", "abc")  # true
    add("startswith", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let prefix = try args.string(1)
      return .bool(text.utf8.starts(with: prefix.utf8))
    }

    /// `strings.any_prefix_match(search, base)`: whether any string in `search` (a string, set
    /// or array) starts with any string in `base`.
    ///
    ///     strings.any_prefix_match(["a/b", "c/d"], "c/")  # true
    add("strings.any_prefix_match", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let texts = try stringCollection(args, 0)
      let prefixes = try stringCollection(args, 1)
      return .bool(texts.contains { text in prefixes.contains { text.utf8.starts(with: $0.utf8) } })
    }

    /// `strings.any_suffix_match(search, base)`: whether any string in `search` (a string, set
    /// or array) ends with any string in `base`.
    ///
    ///     strings.any_suffix_match(["a/b", "c/d"], "/d")  # true
    add("strings.any_suffix_match", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let texts = try stringCollection(args, 0)
      let suffixes = try stringCollection(args, 1)
      return .bool(
        texts.contains { text in
          suffixes.contains { suffix in
            text.utf8.count >= suffix.utf8.count && text.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
          }
        })
    }

    /// `strings.count(search, substring)`: the number of non-overlapping occurrences; an empty
    /// substring counts code points plus one.
    ///
    ///     strings.count("cheese", "e")  # 3
    add("strings.count", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let haystack = Array(try args.string(0).utf8)
      let needle = Array(try args.string(1).utf8)
      if needle.isEmpty { return .int(codePointCount(haystack, upTo: haystack.count) + 1) }
      var count = 0
      var offset = 0
      while let found = byteIndex(of: needle, in: haystack, from: offset) {
        count += 1
        offset = found + needle.count
      }
      return .int(count)
    }

    /// `strings.replace_n(patterns, string)`: replaces every key of `patterns` by its value in
    /// one left-to-right pass; where several keys match at one position the smallest key wins.
    ///
    ///     strings.replace_n({"<": "&lt;", ">": "&gt;"}, "<b>")  # "&lt;b&gt;"
    add("strings.replace_n", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let patterns = try args.object(0)
      let text = try args.string(1)
      var pairs: [([UInt8], [UInt8])] = []
      // The object's members are already in OPA's sort order, which is the priority order Go's
      // strings.NewReplacer gives them in OPA.
      for entry in patterns {
        guard case .string(let key) = entry.key else {
          throw BuiltinError(.type, "operand 1 non-string key found in pattern object")
        }
        guard case .string(let value) = entry.value else {
          throw BuiltinError(.type, "operand 1 non-string value found in pattern object")
        }
        pairs.append((Array(key.utf8), Array(value.utf8)))
      }
      return .string(goReplace(text, pairs: pairs))
    }

    /// `strings.reverse(string)`: the string with its code points in reverse order.
    ///
    ///     strings.reverse("abc")  # "cba"
    add("strings.reverse", arity: 1, category: "strings") { args, _ throws(BuiltinError) in
      var scalars = String.UnicodeScalarView()
      scalars.append(contentsOf: try args.string(0).unicodeScalars.reversed())
      return .string(String(scalars))
    }

    /// `substring(value, offset, length)`: `length` code points from `offset`; a negative
    /// length means to the end, an offset past the end gives "".
    ///
    ///     substring("abcdefgh", 2, 3)  # "cde"
    add("substring", arity: 3, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let start = try intOperand(args, 1)
      let length = try intOperand(args, 2)
      if start < 0 { throw BuiltinError.failure("negative offset") }
      let scalars = Array(text.unicodeScalars)
      if start >= scalars.count { return .string("") }
      let end =
        length < 0
        ? scalars.count : min(scalars.count, start.addingReportingOverflow(length).overflow ? Int.max : start + length)
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars[start..<end])
      return .string(String(view))
    }

    /// `trim(value, cutset)`: `value` without leading and trailing code points in `cutset`.
    ///
    ///     trim("...foo.bar...", ".")  # "foo.bar"
    add("trim", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let cutset = Set(try args.string(1).unicodeScalars)
      return .string(trimScalars(text, left: true, right: true) { cutset.contains($0) })
    }

    /// `trim_left(value, cutset)`: `value` without leading code points in `cutset`.
    ///
    ///     trim_left("...foo", ".")  # "foo"
    add("trim_left", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let cutset = Set(try args.string(1).unicodeScalars)
      return .string(trimScalars(text, left: true, right: false) { cutset.contains($0) })
    }

    /// `trim_prefix(value, prefix)`: `value` without `prefix`, if it starts with it.
    ///
    ///     trim_prefix("foo.bar", "foo")  # ".bar"
    add("trim_prefix", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let prefix = try args.string(1)
      guard text.utf8.starts(with: prefix.utf8) else { return .string(text) }
      return .string(String(decoding: text.utf8.dropFirst(prefix.utf8.count), as: UTF8.self))
    }

    /// `trim_right(value, cutset)`: `value` without trailing code points in `cutset`.
    ///
    ///     trim_right("foo...", ".")  # "foo"
    add("trim_right", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let cutset = Set(try args.string(1).unicodeScalars)
      return .string(trimScalars(text, left: false, right: true) { cutset.contains($0) })
    }

    /// `trim_space(value)`: `value` without leading and trailing white space (Go's
    /// `unicode.IsSpace`).
    ///
    ///     trim_space(" \tfoo\n")  # "foo"
    add("trim_space", arity: 1, category: "strings") { args, _ throws(BuiltinError) in
      .string(trimScalars(try args.string(0), left: true, right: true) { $0.properties.isWhitespace })
    }

    /// `trim_suffix(value, suffix)`: `value` without `suffix`, if it ends with it.
    ///
    ///     trim_suffix("foo.bar", ".bar")  # "foo"
    add("trim_suffix", arity: 2, category: "strings") { args, _ throws(BuiltinError) in
      let text = try args.string(0)
      let suffix = try args.string(1)
      guard text.utf8.count >= suffix.utf8.count, text.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
      else { return .string(text) }
      return .string(String(decoding: text.utf8.dropLast(suffix.utf8.count), as: UTF8.self))
    }

    /// `upper(string)`: the string with every code point mapped to upper case (Go's simple
    /// case mapping).
    ///
    ///     upper("AbC")  # "ABC"
    add("upper", arity: 1, category: "strings") { args, _ throws(BuiltinError) in
      .string(goUppercased(try args.string(0)))
    }
  }
}

// MARK: - Operands

/// OPA's `IntOperand`: the number's text must parse as a 64-bit integer, so `2.0` and `1e3` are
/// rejected as OPA rejects them.
private func intOperand(_ args: BuiltinArguments, _ index: Int) throws(BuiltinError) -> Int {
  let number = try args.number(index)
  guard let value = Int(number.text) else {
    throw BuiltinError(.type, "operand \(index + 1) must be integer number but got floating-point number")
  }
  return value
}

/// `operand N must be one of {a, b} but got T`.
private func oneOfError(_ index: Int, _ expected: [String], got value: Value) -> BuiltinError {
  BuiltinError(
    .type, "operand \(index + 1) must be one of {\(expected.joined(separator: ", "))} but got \(value.typeName)")
}

/// The strings of an array or set operand, with OPA's element error.
private func stringElements(_ elements: [Value], operand index: Int, kind: String) throws(BuiltinError) -> [String] {
  var strings: [String] = []
  strings.reserveCapacity(elements.count)
  for element in elements {
    guard case .string(let text) = element else {
      throw BuiltinError(
        .type, "operand \(index + 1) must be \(kind) of strings but got \(kind) containing \(element.typeName)")
    }
    strings.append(text)
  }
  return strings
}

/// A string, or an array or set of strings (`strings.any_prefix_match`).
private func stringCollection(_ args: BuiltinArguments, _ index: Int) throws(BuiltinError) -> [String] {
  switch args[index] {
  case .string(let text): return [text]
  case .array(let elements): return try stringElements(elements, operand: index, kind: "array")
  case .set(let set): return try stringElements(set.sortedElements, operand: index, kind: "set")
  default: throw oneOfError(index, ["string", "set", "array"], got: args[index])
  }
}

// MARK: - Go strings semantics

/// The byte offset of the first `needle` in `haystack` at or after `start`.
private func byteIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
  if needle.isEmpty { return start <= haystack.count ? start : nil }
  guard haystack.count >= needle.count else { return nil }
  let first = needle[0]
  var offset = start
  let last = haystack.count - needle.count
  while offset <= last {
    if haystack[offset] == first, startsWith(haystack, needle, at: offset) { return offset }
    offset += 1
  }
  return nil
}

/// Whether `needle` occurs in `haystack` at byte `offset`.
private func startsWith(_ haystack: [UInt8], _ needle: [UInt8], at offset: Int) -> Bool {
  guard offset + needle.count <= haystack.count else { return false }
  var index = 0
  while index < needle.count {
    if haystack[offset + index] != needle[index] { return false }
    index += 1
  }
  return true
}

/// The length of the UTF-8 sequence a lead byte starts (1 for stray bytes).
private func utf8SequenceLength(_ lead: UInt8) -> Int {
  switch lead {
  case 0xF0...0xF7: return 4
  case 0xE0...0xEF: return 3
  case 0xC0...0xDF: return 2
  default: return 1
  }
}

/// The number of code points in `bytes[0..<end]`.
private func codePointCount(_ bytes: [UInt8], upTo end: Int) -> Int {
  var count = 0
  var index = 0
  while index < end {
    if bytes[index] & 0xC0 != 0x80 { count += 1 }
    index += 1
  }
  return count
}

/// Go's `strings.Split`: an empty separator splits into code points (nothing for "").
private func goSplit(_ text: String, _ separator: String) -> [String] {
  if separator.isEmpty {
    return text.unicodeScalars.map { String($0) }
  }
  let bytes = Array(text.utf8)
  let needle = Array(separator.utf8)
  var parts: [String] = []
  var start = 0
  while let found = byteIndex(of: needle, in: bytes, from: start) {
    parts.append(String(decoding: bytes[start..<found], as: UTF8.self))
    start = found + needle.count
  }
  parts.append(String(decoding: bytes[start...], as: UTF8.self))
  return parts
}

/// Go's `strings.NewReplacer(pairs...).Replace(text)`: at each byte position the first pair (in
/// argument order) whose key matches there is replaced; an empty key matches between bytes,
/// but not twice in a row at the same place.
private func goReplace(_ text: String, pairs: [([UInt8], [UInt8])]) -> String {
  if pairs.isEmpty { return text }
  let bytes = Array(text.utf8)
  var out: [UInt8] = []
  out.reserveCapacity(bytes.count)
  var last = 0
  var index = 0
  var previousMatchEmpty = false
  while index <= bytes.count {
    var matched: (length: Int, value: [UInt8])?
    for (key, value) in pairs {
      if key.isEmpty {
        if previousMatchEmpty { continue }
        matched = (0, value)
        break
      }
      if index < bytes.count, bytes[index] == key[0], startsWith(bytes, key, at: index) {
        matched = (key.count, value)
        break
      }
    }
    previousMatchEmpty = matched?.length == 0
    if let matched {
      out.append(contentsOf: bytes[last..<index])
      out.append(contentsOf: matched.value)
      index += matched.length
      last = index
      continue
    }
    index += 1
  }
  out.append(contentsOf: bytes[last...])
  return String(decoding: out, as: UTF8.self)
}

/// Removes leading and/or trailing code points for which `cut` is true.
private func trimScalars(_ text: String, left: Bool, right: Bool, _ cut: (Unicode.Scalar) -> Bool) -> String {
  let scalars = text.unicodeScalars
  var start = scalars.startIndex
  var end = scalars.endIndex
  if left {
    while start < end, cut(scalars[start]) { start = scalars.index(after: start) }
  }
  if right {
    while end > start {
      let previous = scalars.index(before: end)
      if !cut(scalars[previous]) { break }
      end = previous
    }
  }
  return String(scalars[start..<end])
}

/// Go's `strings.ToLower`: each code point through `unicode.ToLower` (simple mapping).
private func goLowercased(_ text: String) -> String {
  if text.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) { return text }
  var view = String.UnicodeScalarView()
  for scalar in text.unicodeScalars { view.append(goSimpleLower(scalar)) }
  return String(view)
}

/// Go's `strings.ToUpper`: each code point through `unicode.ToUpper` (simple mapping).
private func goUppercased(_ text: String) -> String {
  if text.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x61 && $0 <= 0x7A) }) { return text }
  var view = String.UnicodeScalarView()
  for scalar in text.unicodeScalars { view.append(goSimpleUpper(scalar)) }
  return String(view)
}

/// The simple lower-case mapping of one code point. Swift exposes only the full mapping; where
/// that is several code points the simple mapping is the code point itself, except U+0130.
private func goSimpleLower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
  if scalar.value < 0x80 {
    if scalar.value >= 0x41 && scalar.value <= 0x5A { return Unicode.Scalar(UInt8(scalar.value + 0x20)) }
    return scalar
  }
  if scalar.value == 0x130 { return "i" }
  let mapping = scalar.properties.lowercaseMapping.unicodeScalars
  if mapping.count == 1, let first = mapping.first { return first }
  return scalar
}

/// The simple upper-case mapping of one code point (see `goSimpleLower`); the Greek letters
/// with ypogegrammeni map to their title-case forms, as UnicodeData.txt says.
private func goSimpleUpper(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
  let value = scalar.value
  if value < 0x80 {
    if value >= 0x61 && value <= 0x7A { return Unicode.Scalar(UInt8(value - 0x20)) }
    return scalar
  }
  switch value {
  case 0x1F80...0x1F87, 0x1F90...0x1F97, 0x1FA0...0x1FA7:
    return Unicode.Scalar(value + 8) ?? scalar
  case 0x1FB3: return Unicode.Scalar(0x1FBC as UInt32) ?? scalar
  case 0x1FC3: return Unicode.Scalar(0x1FCC as UInt32) ?? scalar
  case 0x1FF3: return Unicode.Scalar(0x1FFC as UInt32) ?? scalar
  default: break
  }
  let mapping = scalar.properties.uppercaseMapping.unicodeScalars
  if mapping.count == 1, let first = mapping.first { return first }
  return scalar
}
