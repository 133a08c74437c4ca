public import PolicyCore

extension Diagnostic.Code {
  /// An IP address or CIDR prefix in a list (an `@ipMatch` argument, a reputation list, an IP set)
  /// does not parse.
  public static let wafIPList = Self("waf_ip_list_error")
}

/// The matcher behind SecLang's `@ipMatch`: a comma-separated list of IPv4/IPv6 addresses and
/// CIDR prefixes, matched against one address.
///
/// Semantics follow ModSecurity's `@ipMatch` (reference manual, "ipMatch"): each entry is a single
/// address (a host) or a CIDR block, IPv4 or IPv6, and the operator is true when the input address
/// falls inside any of them. Spaces around entries are ignored and empty entries (a trailing
/// comma) are skipped. Host bits in a CIDR entry are masked (`192.168.1.5/24` covers
/// `192.168.1.0/24`). An entry that is not an address or prefix is a load error, not an entry
/// that silently never matches. An input that is not an address does not match.
///
///     SecRule REMOTE_ADDR "@ipMatch 192.168.1.100,192.168.1.50,10.10.50.0/24,2001:db8::/32" "id:1,deny"
public struct IPMatchSet: Sendable {
  /// The entries in the order given, after masking.
  public let prefixes: [IPPrefix]
  private let trie: IPPrefixTrie

  /// Parses an `@ipMatch` argument.
  /// - Throws: `waf_ip_list_error` naming the bad entry.
  public init(list: String) throws(Diagnostic) {
    var prefixes: [IPPrefix] = []
    for piece in list.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
      let entry = trimmedASCII(piece)
      if entry.isEmpty { continue }
      do {
        prefixes.append(try IPPrefix(parsing: String(decoding: entry, as: UTF8.self)))
      } catch {
        throw Diagnostic(.wafIPList, "@ipMatch: \(error.message)")
      }
    }
    self.prefixes = prefixes
    self.trie = IPPrefixTrie(prefixes.enumerated().map { ($0.element, Int32($0.offset)) })
  }

  /// Whether the address text is inside any entry; `false` for text that is not an address.
  public func contains(_ address: String) -> Bool {
    guard let parsed = IPAddress.parse(address) else { return false }
    return trie.contains(parsed)
  }

  /// Whether the address is inside any entry.
  public func contains(_ address: IPAddress) -> Bool {
    trie.contains(address)
  }
}

/// The bytes without leading and trailing ASCII spaces, tabs and carriage returns.
func trimmedASCII<C: BidirectionalCollection>(_ bytes: C) -> C.SubSequence where C.Element == UInt8 {
  let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
  guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
  else { return bytes[bytes.endIndex...] }
  return bytes[first...last]
}
