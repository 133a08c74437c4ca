// XSSInjection: the detector behind `@detectXSS` (CRS rules 941100 and 941101).
//
// Approach (libinjection's published idea, implemented here): a small HTML5-style tokenizer reads the
// input as if the application pasted it into a page, and the input is XSS when the markup it forms
// could run script. Written from the HTML Living Standard's tokenizer states, simplified:
//
//   data          text up to "<"
//   tag open      "<" letter → start tag name;  "</" → end tag;  "<!" → comment / declaration;
//                 "<?" → processing instruction;  "<" followed by anything else is text
//   tag name      up to whitespace, "/" or ">"; a namespace prefix ("x:script") is ignored
//   attributes    name up to whitespace, "/", ">" or "="; then optional "=" and a value that is
//                 double-quoted, single-quoted, back-quoted (old IE) or unquoted (up to space or ">")
//   comment       "<!--" ... "-->";  other "<!..." and "<?..." run to ">"
//
// The input may land in five places, so it is scanned from five start states (libinjection's list):
// data; right after an unquoted attribute value (so the input starts in the attribute-name state,
// `style=...` or `onload=...`); and inside a single-, double- or back-quoted attribute value, where
// the tokenizer skips to the closing quote and continues in the attribute state, so that
// `" onmouseover="...` breaks out. Quoted contexts only run when their quote occurs in the input.
// A bare `javascript:alert(1)` is not flagged: libmodsecurity does not flag it either (CRS tests
// 941170-3/-4/-7), since nothing says the input lands in a URL attribute.
//
// What counts as script:
//   - a start tag whose name can load or run code or change how the page resolves URLs
//     (`dangerousTags`, plus any name starting with "svg" or "xsl");
//   - an attribute with a value whose name starts with "on" (event handlers, also ones browsers may
//     add later), `style` (CSS expressions, `url(javascript:)`, bindings), `srcdoc`, or SVG's
//     `attributename` (retargets animation onto `href`);
//   - a URL-valued attribute (`urlAttributes`) whose value's scheme is javascript:, vbscript:,
//     livescript: or data: (other than raster images); browsers drop spaces and control characters
//     inside the scheme, so the comparison does too;
//   - namespace declarations (`xmlns`, `xmlns:xi`, `xsi:schemaLocation`), which pull in XInclude,
//     XSLT or schema documents;
//   - declarations that pull in external entities or old-IE script (`<!DOCTYPE`, `<!ENTITY`,
//     `<![CDATA[`, conditional comments `<!--[if`), `<?xml` and `<?import` (old-IE behaviors).
//
// Work is bounded: each context is one forward pass, so five passes over the input at most.

/// `@detectXSS`: decides whether bytes could run script when placed in an HTML page.
///
///     SecRule ARGS "@detectXSS" "id:941100,phase:2,block"
public enum XSSInjection {
  /// Returns true when `input` is an XSS attempt in any of the five contexts.
  ///
  /// - Parameter input: The transformed variable value, as raw bytes.
  public static func detect(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !input.isEmpty else { return false }
    for context in HTMLContext.allCases {
      if let quote = context.quote, !input.contains(quote) { continue }
      var scanner = HTMLScanner(bytes: input)
      if scanner.isDangerous(startingIn: context) { return true }
    }
    return false
  }

  /// Convenience over `detect(_:)` for byte arrays.
  public static func detect(_ input: [UInt8]) -> Bool {
    input.withUnsafeBufferPointer { detect($0) }
  }

  /// Convenience over `detect(_:)` for text.
  public static func detect(_ input: String) -> Bool {
    detect(Array(input.utf8))
  }
}

/// Where in a page the input is assumed to land.
enum HTMLContext: CaseIterable {
  case data, unquotedValue, singleQuotedValue, doubleQuotedValue, backQuotedValue

  /// The quote that ends the value, for quoted contexts.
  var quote: UInt8? {
    switch self {
    case .data, .unquotedValue: nil
    case .singleQuotedValue: UInt8(ascii: "'")
    case .doubleQuotedValue: UInt8(ascii: "\"")
    case .backQuotedValue: UInt8(ascii: "`")
    }
  }
}

/// Element names that run code, embed documents or plugins, or change base URL, styles or
/// submission targets. Lower case, without namespace prefix.
let dangerousTags: Set<String> = [
  "applet", "base", "bgsound", "embed", "form", "frame", "frameset", "iframe", "ilayer", "import",
  "isindex", "layer", "link", "math", "meta", "object", "script", "style", "vmlframe", "xml", "xss",
]

/// Attributes whose value is fetched or navigated to as a URL (HTML, SVG, MathML, old IE).
let urlAttributes: Set<String> = [
  "action", "background", "by", "cite", "classid", "codebase", "data", "dynsrc", "formaction", "from",
  "href", "icon", "longdesc", "lowsrc", "manifest", "ping", "poster", "profile", "src", "srcset", "to",
  "usemap", "values", "xlink:href", "xml:base", "folder", "datasrc", "content",
]

/// One forward pass of the HTML tokenizer in a given start state.
struct HTMLScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0

  init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  mutating func isDangerous(startingIn context: HTMLContext) -> Bool {
    switch context {
    case .data:
      break
    case .unquotedValue:
      // The value ended at a space the input supplied: what follows is read as attributes.
      if attributesAreDangerous() { return true }
    case .singleQuotedValue, .doubleQuotedValue, .backQuotedValue:
      if let quote = context.quote {
        while index < bytes.count && bytes[index] != quote { index += 1 }
      }
      guard index < bytes.count else { return false }
      index += 1
      if attributesAreDangerous() { return true }
    }
    return dataIsDangerous()
  }

  // MARK: - States

  private mutating func dataIsDangerous() -> Bool {
    while index < bytes.count {
      guard bytes[index] == UInt8(ascii: "<") else {
        index += 1
        continue
      }
      index += 1
      guard index < bytes.count else { return false }
      let byte = bytes[index]
      if byte == UInt8(ascii: "!") {
        if markupDeclarationIsDangerous() { return true }
      } else if byte == UInt8(ascii: "?") {
        // `<?xml` (XML islands, stylesheets) and `<?import implementation=...>` (old-IE behaviors);
        // other processing instructions (`<?php`, `<?xpacket`) are inert in HTML.
        index += 1
        if hasPrefix("xml") || hasPrefix("import") { return true }
        skipPast(UInt8(ascii: ">"))
      } else if byte == UInt8(ascii: "/") {
        index += 1
        _ = readName()
        skipPast(UInt8(ascii: ">"))
      } else if isASCIILetter(byte) {
        let name = readName()
        if isDangerousTag(name) { return true }
        if attributesAreDangerous() { return true }
      }
    }
    return false
  }

  /// After "<!": comments, conditional comments, DOCTYPE / ENTITY declarations, CDATA.
  private mutating func markupDeclarationIsDangerous() -> Bool {
    index += 1
    if hasPrefix("--") {
      index += 2
      let start = index
      var end = bytes.count
      var cursor = index
      while cursor + 2 < bytes.count {
        if bytes[cursor] == UInt8(ascii: "-") && bytes[cursor + 1] == UInt8(ascii: "-") && bytes[cursor + 2] == UInt8(ascii: ">") {
          end = cursor
          break
        }
        cursor += 1
      }
      // Old IE runs markup inside `<!--[if ...]>` conditional comments.
      let body = bytes[start..<end]
      if body.first == UInt8(ascii: "[") || containsCaseInsensitive(body, "[if") || containsCaseInsensitive(body, "<![") {
        return true
      }
      index = min(end + 3, bytes.count)
      return false
    }
    if hasPrefix("doctype") || hasPrefix("entity") || hasPrefix("element") || hasPrefix("attlist") || hasPrefix("[cdata[") {
      return true
    }
    skipPast(UInt8(ascii: ">"))
    return false
  }

  /// The attribute list of a tag, up to ">" or the end of input.
  private mutating func attributesAreDangerous() -> Bool {
    while index < bytes.count {
      let byte = bytes[index]
      if isHTMLSpace(byte) || byte == UInt8(ascii: "/") {
        index += 1
        continue
      }
      if byte == UInt8(ascii: ">") {
        index += 1
        return false
      }
      // Attribute name.
      let nameStart = index
      index += 1  // HTML5 lets a name start with "=" or a quote; take it as part of the name
      while index < bytes.count {
        let b = bytes[index]
        if isHTMLSpace(b) || b == UInt8(ascii: "/") || b == UInt8(ascii: ">") || b == UInt8(ascii: "=") { break }
        index += 1
      }
      let name = bytes[nameStart..<index]
      while index < bytes.count && isHTMLSpace(bytes[index]) { index += 1 }
      guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
      index += 1
      while index < bytes.count && isHTMLSpace(bytes[index]) { index += 1 }
      let value: UnsafeBufferPointer<UInt8>.SubSequence
      if index < bytes.count,
        bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "`")
      {
        let quote = bytes[index]
        index += 1
        let start = index
        while index < bytes.count && bytes[index] != quote { index += 1 }
        value = bytes[start..<index]
        if index < bytes.count { index += 1 }
      } else {
        let start = index
        while index < bytes.count && !isHTMLSpace(bytes[index]) && bytes[index] != UInt8(ascii: ">") { index += 1 }
        // `onclick=` with nothing after it never becomes an attribute value.
        if index == start { continue }
        value = bytes[start..<index]
      }
      if attributeIsDangerous(name: name, value: value) { return true }
    }
    return false
  }

  // MARK: - Verdicts

  private func isDangerousTag(_ name: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
    var local = name
    if let colon = name.lastIndex(of: UInt8(ascii: ":")) { local = name[(colon + 1)...] }
    let lowered = lowerASCII(local, limit: 24)
    if lowered.hasPrefix("svg") || lowered.hasPrefix("xsl") { return true }
    return dangerousTags.contains(lowered)
  }

  private func attributeIsDangerous(name: UnsafeBufferPointer<UInt8>.SubSequence, value: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
    let lowered = lowerASCII(name, limit: 32)
    if lowered.count >= 5 && lowered.hasPrefix("on") { return true }
    // Namespace declarations pull in XInclude, XSLT or schema documents from elsewhere.
    if lowered.hasPrefix("xmlns") || lowered.hasSuffix(":schemalocation") { return true }
    switch lowered {
    case "style", "srcdoc", "attributename", "formaction": return true
    default: break
    }
    if urlAttributes.contains(lowered) || lowered.hasSuffix(":href") {
      return isDangerousURL(value)
    }
    return false
  }

  /// Whether a URL's scheme can run script. Leading and embedded spaces and control characters
  /// are dropped first, as browsers do when they read a scheme.
  private func isDangerousURL(_ value: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
    var scheme: [UInt8] = []
    var rest = value.startIndex
    for position in value.indices {
      let byte = value[position]
      rest = position + 1
      if byte <= 0x20 || byte == 0x7F { continue }
      if byte == UInt8(ascii: ":") {
        scheme.append(byte)
        break
      }
      guard isASCIILetter(byte) || isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
      else { return false }
      scheme.append(byte | 0x20)
      if scheme.count > 12 { return false }
    }
    switch String(decoding: scheme, as: UTF8.self) {
    case "javascript:", "vbscript:", "livescript:", "mocha:", "jscript:":
      return true
    case "data:":
      let media = lowerASCII(value[rest...], limit: 10)
      let rasterImages = ["image/png", "image/gif", "image/jpe", "image/jpg", "image/webp", "image/bmp", "image/avi", "image/ico", "image/x-ic"]
      return !rasterImages.contains { media.hasPrefix($0) }
    default:
      return false
    }
  }

  // MARK: - Helpers

  private mutating func readName() -> UnsafeBufferPointer<UInt8>.SubSequence {
    let start = index
    while index < bytes.count {
      let byte = bytes[index]
      if isHTMLSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") { break }
      index += 1
    }
    return bytes[start..<index]
  }

  private mutating func skipPast(_ terminator: UInt8) {
    while index < bytes.count && bytes[index] != terminator { index += 1 }
    if index < bytes.count { index += 1 }
  }

  private func hasPrefix(_ text: StaticString) -> Bool {
    let count = text.utf8CodeUnitCount
    guard index + count <= bytes.count else { return false }
    let pointer = text.utf8Start
    for offset in 0..<count where bytes[index + offset] | 0x20 != pointer[offset] | 0x20 { return false }
    return true
  }
}

@inline(__always) func isHTMLSpace(_ byte: UInt8) -> Bool {
  byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D || byte == 0x0B || byte == 0x00
}

/// ASCII-lower-cased text of at most `limit` bytes.
func lowerASCII(_ bytes: UnsafeBufferPointer<UInt8>.SubSequence, limit: Int) -> String {
  String(decoding: bytes.prefix(limit).map { isASCIILetter($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
}

/// Whether `needle` (lower case ASCII) occurs in `haystack`, ignoring ASCII case.
func containsCaseInsensitive(_ haystack: UnsafeBufferPointer<UInt8>.SubSequence, _ needle: String) -> Bool {
  let pattern = Array(needle.utf8)
  guard !pattern.isEmpty, haystack.count >= pattern.count else { return false }
  var start = haystack.startIndex
  while start + pattern.count <= haystack.endIndex {
    var matched = true
    for offset in 0..<pattern.count where haystack[start + offset] | 0x20 != pattern[offset] | 0x20 {
      matched = false
      break
    }
    if matched { return true }
    start += 1
  }
  return false
}
