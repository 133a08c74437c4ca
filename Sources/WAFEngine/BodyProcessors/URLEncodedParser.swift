/// The query string and `application/x-www-form-urlencoded` body parser (`ARGS_GET`, `ARGS_POST`).
///
/// Follows libmodsecurity 3.0.9's `Transaction::extractArguments` and `addArgument`:
/// - the input is split on the separator byte (`SecArgumentSeparator`, default `&`) the way
///   `std::getline` splits: empty pieces in the middle and at the start are kept (and become an
///   argument with an empty name and value), a trailing separator adds nothing, empty input adds
///   nothing;
/// - each piece splits at its first `=`; a piece without `=` is a name with an empty value;
/// - names and values are decoded with `urldecode_nonstrict`: `+` becomes a space, `%XX` with two
///   hex digits becomes the byte, any other `%` stays as it is and counts as an invalid encoding
///   (`URLENCODED_ERROR`);
/// - once `ARGS` holds `SecArgumentsLimit` entries, further arguments are skipped without an
///   error (the CRS base config has `SecRule &ARGS "@ge 1000"` for that).
///
///     let result = URLEncodedParser().parse(Array("a=1&b=%41+c&d".utf8))
///     // arguments: a=1, b="A c", d=""
public struct URLEncodedParser: Sendable {
  /// `SecArgumentSeparator`: the byte between pairs.
  public var separator: UInt8
  /// `SecArgumentsLimit`: the most entries `ARGS` may hold; `nil` means no limit.
  public var argumentsLimit: Int?

  /// Defaults are libmodsecurity's: `&`, no argument limit.
  public init(separator: UInt8 = UInt8(ascii: "&"), argumentsLimit: Int? = nil) {
    self.separator = separator
    self.argumentsLimit = argumentsLimit
  }

  /// Parses a query string or form body.
  ///
  /// - Parameters:
  ///   - input: the raw bytes (no `?`).
  ///   - existingArguments: how many entries `ARGS` already has (the query string's, when this
  ///     is the body), since libmodsecurity's limit counts the whole collection.
  /// - Returns: the pairs in input order, the skipped count and the invalid-encoding count;
  ///   `error` is always `nil` (this parser cannot fail).
  public func parse(_ input: some Collection<UInt8>, existingArguments: Int = 0) -> BodyParseResult {
    var result = BodyParseResult()
    let bytes = Array(input)
    var count = existingArguments
    var start = 0
    let end = bytes.count
    while start < end {
      var stop = start
      while stop < end && bytes[stop] != separator { stop += 1 }
      let piece = bytes[start..<stop]
      // The first `=` splits name from value (`ssplit_pair`).
      let name: ArraySlice<UInt8>
      let value: ArraySlice<UInt8>
      if let eq = piece.firstIndex(of: UInt8(ascii: "=")) {
        name = piece[piece.startIndex..<eq]
        value = piece[(eq + 1)...]
      } else {
        name = piece
        value = piece[piece.endIndex...]
      }
      let decodedName = Self.decode(name, invalid: &result.invalidEncodings)
      let decodedValue = Self.decode(value, invalid: &result.invalidEncodings)
      if let limit = argumentsLimit, count >= limit {
        result.droppedArguments += 1
      } else {
        result.arguments.append(BodyArgument(name: decodedName, value: decodedValue))
        count += 1
      }
      start = stop + 1  // past the separator; a trailing separator ends the loop
    }
    return result
  }

  /// libmodsecurity's `urldecode_nonstrict_inplace`: `+` to space, `%XX` decoded, invalid `%`
  /// sequences copied as they are and counted in `invalid`.
  public static func decode(_ input: some Collection<UInt8>, invalid: inout Int) -> [UInt8] {
    let bytes = Array(input)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
      let c = bytes[i]
      if c == UInt8(ascii: "%") {
        if let high = hexValue(at: i + 1, in: bytes), let low = hexValue(at: i + 2, in: bytes) {
          out.append(high << 4 | low)
          i += 3
        } else {
          out.append(c)
          invalid += 1
          i += 1
        }
      } else {
        out.append(c == UInt8(ascii: "+") ? UInt8(ascii: " ") : c)
        i += 1
      }
    }
    return out
  }

  private static func hexValue(at index: Int, in bytes: [UInt8]) -> UInt8? {
    guard index < bytes.count else { return nil }
    switch bytes[index] {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return bytes[index] - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return bytes[index] - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return bytes[index] - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
