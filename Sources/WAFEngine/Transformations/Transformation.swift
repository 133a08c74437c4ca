// The `t:` functions of SecLang, with libmodsecurity 3.0.9's byte-level behaviour.
//
// Every transformation takes bytes and returns bytes; none of them assumes UTF-8. Where ModSecurity
// has a quirk (it reads a NUL past the end, truncates at an embedded NUL, or treats a lone `9` as
// padding) the quirk is reproduced and the doc comment of the implementing function says so, because
// the CRS regression corpus was recorded against ModSecurity and a "fixed" decoder changes which
// rules fire.
//
// Speed: each function reads the value where it lies, scans for the first byte it would change and
// answers "unchanged" when there is none; otherwise it writes the result into a buffer the caller
// reuses (the rule loop keeps two per transaction), so a transformation allocates nothing once the
// buffers have grown.

/// A SecLang transformation (`t:name` in a rule's actions).
///
/// The raw value is the canonical spelling from the ModSecurity reference manual; ``init(name:)``
/// also accepts every alias libmodsecurity does, in any case.
///
///     SecRule ARGS "@rx select" "id:1,t:none,t:urlDecodeUni,t:lowercase,deny"
public enum Transformation: String, Sendable, CaseIterable {
  case base64Decode
  case base64DecodeExt
  case base64Encode
  case cmdLine
  case compressWhitespace
  case cssDecode
  case escapeSeqDecode
  case hexDecode
  case hexEncode
  case htmlEntityDecode
  case jsDecode
  case length
  case lowercase
  case md5
  case none
  case normalizePath
  case normalizePathWin
  case parityEven7bit
  case parityOdd7bit
  case parityZero7bit
  case removeComments
  case removeCommentsChar
  case removeNulls
  case removeWhitespace
  case replaceComments
  case replaceNulls
  case sha1
  case sqlHexDecode
  case trim
  case trimLeft
  case trimRight
  case uppercase
  case urlDecode
  case urlDecodeUni
  case urlEncode
  case utf8toUnicode

  /// Lower-cased spelling → transformation, including the British spellings ModSecurity accepts.
  private static let byLowercasedName: [String: Transformation] = {
    var table: [String: Transformation] = [:]
    for transformation in Transformation.allCases {
      table[transformation.rawValue.lowercased()] = transformation
    }
    table["normalisepath"] = .normalizePath
    table["normalisepathwin"] = .normalizePathWin
    return table
  }()

  /// A bit of its own per transformation (its position in `allCases`, read from the enum's
  /// stored byte; the test suite checks every case), for sets of transformations in a `UInt64`.
  var bit: UInt64 { 1 << UInt64(unsafeBitCast(self, to: UInt8.self)) }

  /// The bytes whose presence can make this transformation change a value, or nil when it may
  /// change any value (decoders of whole values, digests, `length`). A value holding none of
  /// them comes back unchanged: each set is the test the implementation itself makes before
  /// doing anything (`lowercase` looks for `A`-`Z`, `jsDecode` for `\`, ...), widened where that
  /// test looks at byte pairs (`replaceComments` needs `/*`: here any `/`).
  var changingBytes: ByteRangeSet? {
    switch self {
    case .none: return ByteRangeSet()
    case .lowercase: return ByteRangeSet(range: 0x41...0x5A)
    case .uppercase: return ByteRangeSet(range: 0x61...0x7A)
    case .urlDecode, .urlDecodeUni: return ByteRangeSet([0x25, 0x2B])
    case .htmlEntityDecode: return ByteRangeSet([0x26])
    case .jsDecode, .cssDecode, .escapeSeqDecode: return ByteRangeSet([0x5C])
    case .utf8toUnicode: return ByteRangeSet(range: 0x80...0xFF).union(ByteRangeSet([0]))
    case .removeNulls, .replaceNulls: return ByteRangeSet([0])
    case .removeWhitespace: return ByteRangeSet.cSpace.union(ByteRangeSet([0xA0]))
    case .compressWhitespace, .trim, .trimLeft, .trimRight: return ByteRangeSet.cSpace
    case .replaceComments: return ByteRangeSet([0x2F])
    case .removeCommentsChar: return ByteRangeSet([0x2F, 0x2A, 0x3C, 0x2D, 0x23])
    case .cmdLine:
      // Deleted or replaced bytes, capitals, and spaces (which matter when doubled or before
      // `/` or `(`).
      return ByteRangeSet([0x22, 0x27, 0x5C, 0x5E, 0x2C, 0x3B]).union(ByteRangeSet.cSpace).union(ByteRangeSet(range: 0x41...0x5A))
    case .normalizePath: return ByteRangeSet([0x2F, 0x2E])
    case .normalizePathWin: return ByteRangeSet([0x2F, 0x2E, 0x5C])
    default: return nil
    }
  }

  /// Per transformation that has ``changingBytes``: its bit and the set, for
  /// ``unchangedTransformations(presence:)``.
  static let changingByteRangeSets: [(bit: UInt64, bytes: ByteRangeSet)] = allCases.compactMap { t in
    t.changingBytes.map { (t.bit, $0) }
  }

  /// The bits of every transformation that leaves a value holding the bytes `presence` (and no
  /// others) unchanged.
  static func unchangedTransformations(presence: ByteRangeSet) -> UInt64 {
    var bits: UInt64 = 0
    for entry in changingByteRangeSets where !entry.bytes.intersects(presence) { bits |= entry.bit }
    return bits
  }

  /// Looks a transformation up by the name written after `t:`.
  ///
  /// Matching ignores case (`t:urlDecodeUNI`, `t:base64decode`, `t:lowerCase` all resolve) and accepts
  /// the aliases `normalisePath` and `normalisePathWin`.
  ///
  /// - Parameter name: The name without the `t:` prefix.
  public init?(name: String) {
    guard let found = Transformation.byLowercasedName[name.lowercased()] else { return nil }
    self = found
  }

  /// Runs the transformation over `input`.
  ///
  /// `none` is the identity here; the rule engine treats it as "drop the transformations inherited so
  /// far" before calling anything. When nothing changes, the returned array is `input` itself.
  ///
  /// - Parameters:
  ///   - input: The variable's value, as bytes.
  ///   - context: Configuration some transformations need (the unicode map for `urlDecodeUni`).
  /// - Returns: The transformed bytes.
  public func apply(_ input: [UInt8], context: TransformationContext) -> [UInt8] {
    var output: [UInt8] = []
    return input.withUnsafeBufferPointer { transform($0, into: &output, context: context) } ? output : input
  }

  /// The transformation over bytes where they lie: writes the new value into `out` (replacing
  /// what it held, reusing its capacity) and returns true, or returns false when the
  /// transformation leaves `input` as it is (the rule engine learns such identities; see
  /// ``TransformationIdentities``), leaving `out` in an unspecified state. A transformation that
  /// builds a value (the digests, `length`, `hexEncode`, `base64Encode` on a non-empty value)
  /// answers true even when what it builds equals the input. `input` must not point into `out`.
  func transform(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], context: TransformationContext) -> Bool {
    switch self {
    case .base64Decode: return Decoders.base64Decode(input, into: &out)
    case .base64DecodeExt: return Decoders.base64DecodeExt(input, into: &out)
    case .base64Encode: return Encoders.base64Encode(input, into: &out)
    case .cmdLine: return Normalizers.cmdLine(input, into: &out)
    case .compressWhitespace: return Normalizers.compressWhitespace(input, into: &out)
    case .cssDecode: return Decoders.cssDecode(input, into: &out)
    case .escapeSeqDecode: return Decoders.escapeSeqDecode(input, into: &out)
    case .hexDecode: return Decoders.hexDecode(input, into: &out)
    case .hexEncode: return Encoders.hexEncode(input, into: &out)
    case .htmlEntityDecode: return Decoders.htmlEntityDecode(input, into: &out)
    case .jsDecode: return Decoders.jsDecode(input, into: &out)
    case .length: return Encoders.length(input, into: &out)
    case .lowercase: return Normalizers.lowercase(input, into: &out)
    case .md5:
      out = MD5.digest(input)
      return true
    case .none: return false
    case .normalizePath: return Normalizers.normalizePath(input, windows: false, into: &out)
    case .normalizePathWin: return Normalizers.normalizePath(input, windows: true, into: &out)
    case .parityEven7bit: return Normalizers.parityEven7bit(input, into: &out)
    case .parityOdd7bit: return Normalizers.parityOdd7bit(input, into: &out)
    case .parityZero7bit: return Normalizers.parityZero7bit(input, into: &out)
    case .removeComments: return Normalizers.removeComments(input, into: &out)
    case .removeCommentsChar: return Normalizers.removeCommentsChar(input, into: &out)
    case .removeNulls: return Normalizers.removeNulls(input, into: &out)
    case .removeWhitespace: return Normalizers.removeWhitespace(input, into: &out)
    case .replaceComments: return Normalizers.replaceComments(input, into: &out)
    case .replaceNulls: return Normalizers.replaceNulls(input, into: &out)
    case .sha1:
      out = SHA1.digest(input)
      return true
    case .sqlHexDecode: return Decoders.sqlHexDecode(input, into: &out)
    case .trim: return Normalizers.trim(input, left: true, right: true, into: &out)
    case .trimLeft: return Normalizers.trim(input, left: true, right: false, into: &out)
    case .trimRight: return Normalizers.trim(input, left: false, right: true, into: &out)
    case .uppercase: return Normalizers.uppercase(input, into: &out)
    case .urlDecode: return Decoders.urlDecode(input, into: &out)
    case .urlDecodeUni: return Decoders.urlDecodeUni(input, map: context.unicodeMap, into: &out)
    case .urlEncode: return Encoders.urlEncode(input, into: &out)
    case .utf8toUnicode: return Decoders.utf8toUnicode(input, into: &out)
    }
  }
}


/// Empties `out` and returns true: a transformation whose result is the empty value.
@inline(__always) func cleared(_ out: inout [UInt8]) -> Bool {
  out.removeAll(keepingCapacity: true)
  return true
}
