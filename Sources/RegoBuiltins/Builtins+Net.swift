internal import PolicyCore

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

// The `net` family. OPA reference: topdown/cidr.go and topdown/net.go, which call Go's `net`
// package; NetAddress.swift reproduces the parts of it they rely on.

extension BuiltinRegistry {
  /// Adds the net family. Keep entries sorted.
  mutating func registerNet() {
    /// `net.cidr_contains(cidr, cidr_or_ip)`: whether the first network contains the address or
    /// the whole second network.
    ///
    ///     net.cidr_contains("10.0.0.0/8", "10.1.2.3")         # true
    ///     net.cidr_contains("172.17.0.0/24", "172.17.0.0/16")  # false
    add("net.cidr_contains", arity: 2, category: "net") { arguments, _ throws(BuiltinError) in
      .bool(try cidrContains(arguments[0], arguments[1]))
    }
    /// `net.cidr_contains_matches(cidrs, cidrs_or_ips)`: the set of `[key1, key2]` pairs where the
    /// first operand's network at key1 contains the second operand's address or network at key2.
    ///
    /// Each operand is a string (its own key), an array (index keys), a set (element keys) or an
    /// object (member keys); collection elements are strings or arrays whose first element is the
    /// CIDR or address.
    add("net.cidr_contains_matches", arity: 2, category: "net") { arguments, _ throws(BuiltinError) in
      var result = ValueSet()
      let outer = try matchOperands(arguments[0], operand: 1)
      let inner = try matchOperands(arguments[1], operand: 2)
      for (cidr, key) in outer {
        for (candidate, candidateKey) in inner where try cidrContains(cidr, candidate) {
          _ = result.insert(.array([key, candidateKey]))
        }
      }
      return .set(result)
    }
    /// `net.cidr_expand(cidr)`: the set of every address in the network, as strings.
    ///
    /// OPA enumerates until cancelled; here networks of more than 2^20 addresses are refused.
    add("net.cidr_expand", arity: 1, category: "net") { arguments, _ throws(BuiltinError) in
      let text = try arguments.string(0)
      guard let (address, network) = NetAddress.parseCIDR(text) else { throw invalidCIDR(text) }
      guard var current = NetAddress.applyMask(address, network.mask),
        let ones = NetAddress.prefixLength(network.mask)
      else { return .set(ValueSet()) }
      let hostBits = network.mask.count * 8 - ones
      let limitBits = 20
      guard hostBits <= limitBits else {
        throw .failure("CIDR \(text) has 2^\(hostBits) addresses; expanding more than 2^\(limitBits) is refused")
      }
      var addresses: [Value] = []
      while NetAddress.contains(network, current) {
        addresses.append(.string(NetAddress.string(current)))
        // Go's incIP: increment with carry, wrapping to all zeros.
        var index = current.count - 1
        while index >= 0 {
          current[index] &+= 1
          if current[index] != 0 { break }
          index -= 1
        }
        if current.allSatisfy({ $0 == 0 }) { break }
      }
      return .set(ValueSet(addresses))
    }
    /// `net.cidr_intersects(cidr1, cidr2)`: whether the two networks overlap.
    add("net.cidr_intersects", arity: 2, category: "net") { arguments, _ throws(BuiltinError) in
      let first = try network(arguments[0])
      let second = try network(arguments[1])
      return .bool(NetAddress.contains(first, second.ip) || NetAddress.contains(second, first.ip))
    }
    /// `net.cidr_is_valid(cidr)`: whether the operand is a string in CIDR notation; never an error.
    add("net.cidr_is_valid", arity: 1, category: "net") { arguments, _ throws(BuiltinError) in
      guard case .string(let text) = arguments[0] else { return .bool(false) }
      return .bool(NetAddress.parseCIDR(text) != nil)
    }
    /// `net.cidr_merge(addrs)`: merges an array or set of addresses and networks into the smallest
    /// set of networks covering them.
    ///
    /// IPv4 addresses without a prefix get their classful mask (Go's `IP.DefaultMask`); IPv6
    /// addresses need a prefix length.
    ///
    ///     net.cidr_merge(["192.0.128.0/24", "192.0.129.0/24"])   # {"192.0.128.0/23"}
    add("net.cidr_merge", arity: 1, category: "net") { arguments, _ throws(BuiltinError) in
      let elements: [Value]
      switch arguments[0] {
      case .array(let array): elements = array
      case .set(let set): elements = Array(set)
      default: throw .failure("operand must be an array")
      }
      var networks: [NetIPNetwork] = []
      for element in elements {
        guard case .string(let text) = element else { throw .failure("element must be string") }
        networks.append(try mergeNetwork(text))
      }
      return .set(ValueSet(mergeNetworks(networks).map { .string($0) }))
    }
    /// `net.cidr_overlap(cidr, cidr_or_ip)`: deprecated alias of `net.cidr_contains`.
    add("net.cidr_overlap", arity: 2, category: "net") { arguments, _ throws(BuiltinError) in
      .bool(try cidrContains(arguments[0], arguments[1]))
    }
    /// `net.lookup_ip_addr(name)`: the set of addresses a host name resolves to, via the system
    /// resolver (`getaddrinfo`: /etc/hosts, then DNS). An address literal resolves to itself.
    ///
    /// Without network access only literals and /etc/hosts names resolve; other names fail
    /// with the resolver's error (the call is undefined unless errors are strict).
    add("net.lookup_ip_addr", arity: 1, category: "net") { arguments, _ throws(BuiltinError) in
      let name = try arguments.string(0)
      return .set(ValueSet(try lookupAddresses(name).map { .string($0) }))
    }
  }
}

private func invalidCIDR(_ text: String) -> BuiltinError {
  .failure("invalid CIDR address: " + text)
}

/// OPA's `getNetFromOperand`: a CIDR string operand (type errors always say operand 1).
private func network(_ operand: Value) throws(BuiltinError) -> NetIPNetwork {
  guard case .string(let text) = operand else { throw .operand(0, mustBe: "string", got: operand) }
  guard let (_, network) = NetAddress.parseCIDR(text) else { throw invalidCIDR(text) }
  return network
}

/// OPA's `builtinNetCIDRContains`.
private func cidrContains(_ outer: Value, _ inner: Value) throws(BuiltinError) -> Bool {
  let container = try network(outer)
  // OPA reads the second operand with position 1 too.
  guard case .string(let text) = inner else { throw .operand(0, mustBe: "string", got: inner) }
  if let address = NetAddress.parseIP(text) {
    return NetAddress.contains(container, address)
  }
  guard let (_, contained) = NetAddress.parseCIDR(text) else {
    throw .failure("not a valid textual representation of an IP address or CIDR: " + text)
  }
  guard NetAddress.contains(container, contained.ip) else { return false }
  // The last address of the inner network: its address with all host bits set.
  guard let ones = NetAddress.prefixLength(contained.mask) else {
    throw .failure("CIDR mask is in non-standard format")
  }
  let bits = contained.mask.count * 8
  if ones == bits { return NetAddress.contains(container, contained.ip) }
  let hostMask = bits - ones == 128 ? UInt128.max : (UInt128(1) << UInt128(bits - ones)) - 1
  let last = NetAddress.integer(contained.ip) | hostMask
  return NetAddress.contains(container, NetAddress.bytes(last, count: bits / 8))
}

/// The (CIDR, key) pairs of one `net.cidr_contains_matches` operand.
private func matchOperands(_ operand: Value, operand position: Int) throws(BuiltinError) -> [(Value, Value)] {
  func cidr(_ element: Value) throws(BuiltinError) -> Value {
    switch element {
    case .string: return element
    case .array(let items) where !items.isEmpty: return items[0]
    default: throw .failure("operand \(position): element must be string or non-empty array")
    }
  }
  switch operand {
  case .string:
    return [(operand, operand)]
  case .array(let items):
    var pairs: [(Value, Value)] = []
    for (index, item) in items.enumerated() { pairs.append((try cidr(item), .int(index))) }
    return pairs
  case .set(let items):
    var pairs: [(Value, Value)] = []
    for item in items { pairs.append((try cidr(item), item)) }
    return pairs
  case .object(let object):
    var pairs: [(Value, Value)] = []
    for entry in object { pairs.append((try cidr(entry.value), entry.key)) }
    return pairs
  default:
    return []
  }
}

/// OPA's `generateIPNet`: a network from a CIDR, or an IPv4 address with its classful mask.
private func mergeNetwork(_ text: String) throws(BuiltinError) -> NetIPNetwork {
  guard let address = NetAddress.parseIP(text) else {
    guard let (_, network) = NetAddress.parseCIDR(text) else { throw invalidCIDR(text) }
    return network
  }
  guard let four = NetAddress.to4(address) else { throw .failure("IPv6 invalid: needs prefix length") }
  let ones = four[0] < 0x80 ? 8 : four[0] < 0xC0 ? 16 : 24
  return NetIPNetwork(ip: address, mask: NetAddress.cidrMask(ones: ones, bits: 32))
}

private let ipv4MappedBase = UInt128(0xffff) << 32

/// OPA's `evalNetCIDRMerge`: sorts address ranges, merges overlapping and adjacent ones, keeps
/// untouched networks as given, and splits merged ranges into the fewest networks.
private func mergeNetworks(_ networks: [NetIPNetwork]) -> [String] {
  struct Block {
    var first: UInt128
    var last: UInt128
    var network: NetIPNetwork?
  }
  var blocks: [Block] = []
  for network in networks {
    let masked = NetAddress.applyMask(network.ip, network.mask) ?? network.ip
    if let four = NetAddress.to4(masked), network.mask.count == 4 {
      let first = ipv4MappedBase | NetAddress.integer(four)
      let host = UInt128(~UInt32(truncatingIfNeeded: NetAddress.integer(network.mask)))
      blocks.append(Block(first: first, last: first | host, network: network))
    } else {
      let sixteen = masked.count == 16 ? masked : NetAddress.v4InV6Prefix + masked
      let mask = network.mask.count == 16 ? network.mask : [UInt8](repeating: 0xff, count: 12) + network.mask
      let first = NetAddress.integer(sixteen)
      blocks.append(Block(first: first, last: first | ~NetAddress.integer(mask), network: network))
    }
  }
  blocks.sort { ($0.last, $0.first) < ($1.last, $1.first) }
  var index = blocks.count - 1
  while index > 0 {
    let first = blocks[index].first
    let previous = first == 0 || first == ipv4MappedBase ? first : first - 1
    if previous <= blocks[index - 1].last {
      blocks[index - 1] = Block(
        first: min(blocks[index - 1].first, first), last: blocks[index].last, network: nil)
      blocks.remove(at: index)
    }
    index -= 1
  }
  var result: [String] = []
  for block in blocks {
    if let network = block.network {
      result.append(NetAddress.string(network))
      continue
    }
    let isIPv4 = block.first >> 32 == 0xffff && block.last >> 32 == 0xffff
    let bits = isIPv4 ? 32 : 128
    var first = block.first
    while true {
      // The largest aligned block starting at `first` that stays within the range.
      var size = bits
      while size > 0 {
        let span = size == 128 ? UInt128.max : (UInt128(1) << UInt128(size)) - 1
        if first & span == 0, first | span <= block.last { break }
        size -= 1
      }
      let address = NetAddress.bytes(first, count: 16)
      let mask = NetAddress.cidrMask(ones: bits - size, bits: bits)
      result.append(NetAddress.string(NetIPNetwork(ip: address, mask: mask)))
      let span = size == 128 ? UInt128.max : (UInt128(1) << UInt128(size)) - 1
      let end = first | span
      if end >= block.last { break }
      first = end + 1
    }
  }
  return result
}

/// Resolves a host name with `getaddrinfo`, formatting addresses as Go's `IPAddr.String`.
private func lookupAddresses(_ name: String) throws(BuiltinError) -> [String] {
  if let parsed = NetAddress.parseAddress(name) {
    // Literals resolve to themselves, as in Go's resolver (a zone is kept).
    let text = NetAddress.string(parsed.isIPv4 ? Array(parsed.bytes[12...]) : parsed.bytes)
    if parsed.hasZone, let percent = name.firstIndex(of: "%") {
      return [text + String(name[percent...])]
    }
    return [text]
  }
  var hints = addrinfo()
  hints.ai_family = AF_UNSPEC
  #if canImport(Glibc)
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
  #else
    hints.ai_socktype = SOCK_STREAM
  #endif
  var list: UnsafeMutablePointer<addrinfo>?
  let status = getaddrinfo(name, nil, &hints, &list)
  guard status == 0 else {
    let reason = status == EAI_NONAME ? "no such host" : String(cString: gai_strerror(status))
    throw .failure("lookup \(name): \(reason)")
  }
  defer { freeaddrinfo(list) }
  var addresses: [String] = []
  var cursor = list
  while let entry = cursor {
    if let socketAddress = entry.pointee.ai_addr {
      if entry.pointee.ai_family == AF_INET {
        let bytes = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
          withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
        }
        addresses.append(NetAddress.string(bytes))
      } else if entry.pointee.ai_family == AF_INET6 {
        let (bytes, scope) = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
          (withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }, pointer.pointee.sin6_scope_id)
        }
        var text = NetAddress.string(bytes)
        if scope != 0 {
          var buffer = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
          if if_indextoname(scope, &buffer) != nil {
            let name = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
            text += "%" + String(decoding: name, as: UTF8.self)
          } else {
            text += "%" + String(scope)
          }
        }
        addresses.append(text)
      }
    }
    cursor = entry.pointee.ai_next
  }
  return addresses
}
