internal import Crypto
internal import _CryptoExtras
internal import PolicyCore

// X.509 certificates and certificate requests for the `crypto.x509.*` builtins.
//
// OPA returns Go's `encoding/json` form of `x509.Certificate` (plus `URIStrings`) and
// `x509.CertificateRequest`, so the parser fills the same fields Go's crypto/x509 parser fills
// (Go 1.24 field set) and `json` writes them the way encoding/json would: `[]byte` as standard
// base64, nil slices as null, big integers as JSON numbers, OIDs as integer arrays, times in
// RFC 3339.

/// A distinguished name (Go's `pkix.Name`).
struct CryptoX509Name {
  var attributes: [(type: [Int], value: String)] = []

  private func values(_ oid: [Int]) -> Value {
    let found = attributes.filter { $0.type == oid }.map { Value.string($0.value) }
    return found.isEmpty ? .null : .array(found)
  }

  private func last(_ oid: [Int]) -> String {
    attributes.last(where: { $0.type == oid })?.value ?? ""
  }

  var commonName: String { last([2, 5, 4, 3]) }

  var json: Value {
    let names: Value =
      attributes.isEmpty
      ? .null
      : .array(attributes.map { .object(ValueObject([("Type", oidValue($0.type)), ("Value", .string($0.value))])) })
    return .object(
      ValueObject([
        ("Country", values([2, 5, 4, 6])), ("Organization", values([2, 5, 4, 10])),
        ("OrganizationalUnit", values([2, 5, 4, 11])), ("Locality", values([2, 5, 4, 7])),
        ("Province", values([2, 5, 4, 8])), ("StreetAddress", values([2, 5, 4, 9])),
        ("PostalCode", values([2, 5, 4, 17])), ("SerialNumber", .string(last([2, 5, 4, 5]))),
        ("CommonName", .string(commonName)), ("Names", names), ("ExtraNames", .null),
      ]))
  }
}

/// The subject alternative names Go extracts (other name forms are ignored).
struct CryptoX509AlternativeNames {
  var dnsNames: [String] = []
  var emailAddresses: [String] = []
  var ipAddresses: [[UInt8]] = []
  var uris: [String] = []

  var isEmpty: Bool { dnsNames.isEmpty && emailAddresses.isEmpty && ipAddresses.isEmpty && uris.isEmpty }
}

/// One extension as Go's `pkix.Extension`.
struct CryptoX509Extension {
  var id: [Int]
  var critical: Bool
  var value: [UInt8]

  var json: Value {
    .object(
      ValueObject([
        ("Id", oidValue(id)), ("Critical", .bool(critical)), ("Value", .string(JWTBase64.encodeStandard(value))),
      ]))
  }
}

/// A parsed certificate with the fields of Go's `x509.Certificate`.
struct CryptoX509Certificate {
  var raw: [UInt8] = []
  var rawTBS: [UInt8] = []
  var rawSubjectPublicKeyInfo: [UInt8] = []
  var rawSubject: [UInt8] = []
  var rawIssuer: [UInt8] = []
  var signature: [UInt8] = []
  var signatureAlgorithm = 0
  var publicKeyAlgorithm = 0
  var publicKeyJSON: Value = .null
  var publicKey: JWTKey?
  var version = 0
  var serialNumber: Value = 0
  var issuer = CryptoX509Name()
  var subject = CryptoX509Name()
  var notBefore = TimeInstant(seconds: 0, nanoseconds: 0)
  var notAfter = TimeInstant(seconds: 0, nanoseconds: 0)
  var keyUsage = 0
  var extensions: [CryptoX509Extension] = []
  var unhandledCriticalExtensions: [[Int]] = []
  var extKeyUsage: [Int] = []
  var unknownExtKeyUsage: [[Int]] = []
  var basicConstraintsValid = false
  var isCA = false
  var maxPathLen = 0
  var maxPathLenZero = false
  var subjectKeyId: [UInt8]?
  var authorityKeyId: [UInt8]?
  var ocspServer: [String] = []
  var issuingCertificateURL: [String] = []
  var names = CryptoX509AlternativeNames()
  var permittedDNSDomainsCritical = false
  var permittedDNSDomains: [String] = []
  var excludedDNSDomains: [String] = []
  var permittedIPRanges: [([UInt8], [UInt8])] = []
  var excludedIPRanges: [([UInt8], [UInt8])] = []
  var permittedEmailAddresses: [String] = []
  var excludedEmailAddresses: [String] = []
  var permittedURIDomains: [String] = []
  var excludedURIDomains: [String] = []
  var crlDistributionPoints: [String] = []
  var policyIdentifiers: [[Int]] = []
  var inhibitAnyPolicy = 0
  var inhibitAnyPolicyZero = false
  var inhibitPolicyMapping = 0
  var inhibitPolicyMappingZero = false
  var requireExplicitPolicy = 0
  var requireExplicitPolicyZero = false
  var policyMappings: [([Int], [Int])] = []

  /// Go's JSON encoding; `uriStrings` adds OPA's `URIStrings` member.
  func json(uriStrings: Bool) -> Value {
    var members: [(String, Value)] = [
      ("Raw", base64(raw)), ("RawTBSCertificate", base64(rawTBS)),
      ("RawSubjectPublicKeyInfo", base64(rawSubjectPublicKeyInfo)), ("RawSubject", base64(rawSubject)),
      ("RawIssuer", base64(rawIssuer)), ("Signature", base64(signature)),
      ("SignatureAlgorithm", .int(signatureAlgorithm)), ("PublicKeyAlgorithm", .int(publicKeyAlgorithm)),
      ("PublicKey", publicKeyJSON), ("Version", .int(version)), ("SerialNumber", serialNumber),
      ("Issuer", issuer.json), ("Subject", subject.json),
      ("NotBefore", .string(TimeLayout.format(notBefore, in: .utc, layout: TimeLayout.rfc3339Nano))),
      ("NotAfter", .string(TimeLayout.format(notAfter, in: .utc, layout: TimeLayout.rfc3339Nano))),
      ("KeyUsage", .int(keyUsage)), ("Extensions", list(extensions.map(\.json))), ("ExtraExtensions", .null),
      ("UnhandledCriticalExtensions", list(unhandledCriticalExtensions.map(oidValue))),
      ("ExtKeyUsage", list(extKeyUsage.map { .int($0) })),
      ("UnknownExtKeyUsage", list(unknownExtKeyUsage.map(oidValue))),
      ("BasicConstraintsValid", .bool(basicConstraintsValid)), ("IsCA", .bool(isCA)),
      ("MaxPathLen", .int(maxPathLen)), ("MaxPathLenZero", .bool(maxPathLenZero)),
      ("SubjectKeyId", subjectKeyId.map(base64) ?? .null), ("AuthorityKeyId", authorityKeyId.map(base64) ?? .null),
      ("OCSPServer", strings(ocspServer)), ("IssuingCertificateURL", strings(issuingCertificateURL)),
      ("DNSNames", strings(names.dnsNames)), ("EmailAddresses", strings(names.emailAddresses)),
      ("IPAddresses", list(names.ipAddresses.map { .string(NetAddress.string($0)) })),
      ("URIs", list(names.uris.map(urlJSON))),
      ("PermittedDNSDomainsCritical", .bool(permittedDNSDomainsCritical)),
      ("PermittedDNSDomains", strings(permittedDNSDomains)), ("ExcludedDNSDomains", strings(excludedDNSDomains)),
      ("PermittedIPRanges", list(permittedIPRanges.map(ipNetJSON))),
      ("ExcludedIPRanges", list(excludedIPRanges.map(ipNetJSON))),
      ("PermittedEmailAddresses", strings(permittedEmailAddresses)),
      ("ExcludedEmailAddresses", strings(excludedEmailAddresses)),
      ("PermittedURIDomains", strings(permittedURIDomains)), ("ExcludedURIDomains", strings(excludedURIDomains)),
      ("CRLDistributionPoints", strings(crlDistributionPoints)),
      ("PolicyIdentifiers", list(policyIdentifiers.map(oidValue))),
      ("Policies", list(policyIdentifiers.map { .string($0.map(String.init).joined(separator: ".")) })),
      ("InhibitAnyPolicy", .int(inhibitAnyPolicy)), ("InhibitAnyPolicyZero", .bool(inhibitAnyPolicyZero)),
      ("InhibitPolicyMapping", .int(inhibitPolicyMapping)),
      ("InhibitPolicyMappingZero", .bool(inhibitPolicyMappingZero)),
      ("RequireExplicitPolicy", .int(requireExplicitPolicy)),
      ("RequireExplicitPolicyZero", .bool(requireExplicitPolicyZero)),
      (
        "PolicyMappings",
        list(
          policyMappings.map {
            .object(ValueObject([("IssuerDomainPolicy", oidText($0.0)), ("SubjectDomainPolicy", oidText($0.1))]))
          })
      ),
    ]
    if uriStrings { members.append(("URIStrings", strings(names.uris))) }
    return .object(ValueObject(members))
  }
}

/// A parsed certificate signing request (Go's `x509.CertificateRequest`).
struct CryptoX509Request {
  var raw: [UInt8] = []
  var rawTBS: [UInt8] = []
  var rawSubjectPublicKeyInfo: [UInt8] = []
  var rawSubject: [UInt8] = []
  var version = 0
  var signature: [UInt8] = []
  var signatureAlgorithm = 0
  var publicKeyAlgorithm = 0
  var publicKeyJSON: Value = .null
  var subject = CryptoX509Name()
  var attributes: [Value] = []
  var extensions: [CryptoX509Extension] = []
  var names = CryptoX509AlternativeNames()

  var json: Value {
    .object(
      ValueObject([
        ("Raw", base64(raw)), ("RawTBSCertificateRequest", base64(rawTBS)),
        ("RawSubjectPublicKeyInfo", base64(rawSubjectPublicKeyInfo)), ("RawSubject", base64(rawSubject)),
        ("Version", .int(version)), ("Signature", base64(signature)),
        ("SignatureAlgorithm", .int(signatureAlgorithm)), ("PublicKeyAlgorithm", .int(publicKeyAlgorithm)),
        ("PublicKey", publicKeyJSON), ("Subject", subject.json), ("Attributes", list(attributes)),
        ("Extensions", list(extensions.map(\.json))), ("ExtraExtensions", .null),
        ("DNSNames", strings(names.dnsNames)), ("EmailAddresses", strings(names.emailAddresses)),
        ("IPAddresses", list(names.ipAddresses.map { .string(NetAddress.string($0)) })),
        ("URIs", list(names.uris.map(urlJSON))),
      ]))
  }
}

// MARK: - JSON helpers

private func base64(_ bytes: [UInt8]) -> Value { .string(JWTBase64.encodeStandard(bytes)) }
private func list(_ items: [Value]) -> Value { items.isEmpty ? .null : .array(items) }
private func strings(_ items: [String]) -> Value { list(items.map { .string($0) }) }
private func oidValue(_ oid: [Int]) -> Value { .array(oid.map { .int($0) }) }
private func oidText(_ oid: [Int]) -> Value { .string(oid.map(String.init).joined(separator: ".")) }

private func ipNetJSON(_ network: ([UInt8], [UInt8])) -> Value {
  .object(ValueObject([("IP", .string(NetAddress.string(network.0))), ("Mask", base64(network.1))]))
}

/// Go's `url.URL` as encoding/json writes it, for the usual `scheme://host/path?query#fragment`.
private func urlJSON(_ text: String) -> Value {
  var rest = Substring(text)
  var scheme = ""
  if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isLetter,
    rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
  {
    scheme = rest[..<colon].lowercased()
    rest = rest[rest.index(after: colon)...]
  }
  var fragment = ""
  if let hash = rest.firstIndex(of: "#") {
    fragment = String(rest[rest.index(after: hash)...])
    rest = rest[..<hash]
  }
  var query = ""
  var forceQuery = false
  if let question = rest.firstIndex(of: "?") {
    query = String(rest[rest.index(after: question)...])
    forceQuery = query.isEmpty
    rest = rest[..<question]
  }
  var host = ""
  var user: Value = .null
  var opaque = ""
  var path = ""
  if rest.hasPrefix("//") {
    rest = rest.dropFirst(2)
    let end = rest.firstIndex(of: "/") ?? rest.endIndex
    var authority = rest[..<end]
    if let at = authority.lastIndex(of: "@") {
      user = .object(ValueObject())
      authority = authority[authority.index(after: at)...]
    }
    host = String(authority)
    path = String(rest[end...])
  } else if !scheme.isEmpty && !rest.hasPrefix("/") {
    opaque = String(rest)
  } else {
    path = String(rest)
  }
  return .object(
    ValueObject([
      ("Scheme", .string(scheme)), ("Opaque", .string(opaque)), ("User", user), ("Host", .string(host)),
      ("Path", .string(percentDecoded(path))), ("RawPath", ""), ("OmitHost", false),
      ("ForceQuery", .bool(forceQuery)), ("RawQuery", .string(query)), ("Fragment", .string(percentDecoded(fragment))),
      ("RawFragment", ""),
    ]))
}

private func percentDecoded(_ text: String) -> String {
  let bytes = Array(text.utf8)
  var out: [UInt8] = []
  var index = 0
  while index < bytes.count {
    if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
      let high = hexDigit(bytes[index + 1]), let low = hexDigit(bytes[index + 2])
    {
      out.append(high << 4 | low)
      index += 3
    } else {
      out.append(bytes[index])
      index += 1
    }
  }
  return String(decoding: out, as: UTF8.self)
}

private func hexDigit(_ byte: UInt8) -> UInt8? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
  default: return nil
  }
}

// MARK: - Parsing

enum CryptoX509Parser {
  private static func malformed(_ what: String) -> JWTFailure { JWTFailure("x509: malformed " + what) }

  /// Go's `x509.ParseCertificates`: concatenated DER certificates.
  static func certificates(_ der: [UInt8]) throws(JWTFailure) -> [CryptoX509Certificate] {
    var rest = der[...]
    var result: [CryptoX509Certificate] = []
    while !rest.isEmpty {
      let certificate = try certificate(&rest)
      result.append(certificate)
    }
    return result
  }

  /// Go's `parseCertificate`, consuming one certificate from `input`.
  static func certificate(_ input: inout ArraySlice<UInt8>) throws(JWTFailure) -> CryptoX509Certificate {
    var reader = JWTDERReader(input)
    guard let outer = reader.read(tag: 0x30) else { throw malformed("certificate") }
    input = input[outer.encoded.endIndex...]
    var certificate = CryptoX509Certificate()
    certificate.raw = Array(outer.encoded)
    var fields = JWTDERReader(outer.content)
    guard let tbs = fields.read(tag: 0x30) else { throw malformed("tbs certificate") }
    certificate.rawTBS = Array(tbs.encoded)
    var tbsFields = JWTDERReader(tbs.content)
    var version = 0
    if tbsFields.peekTag == 0xa0 {
      guard let wrapper = tbsFields.read() else { throw malformed("version") }
      var inner = JWTDERReader(wrapper.content)
      guard let number = inner.read(tag: 0x02), let value = smallInteger(number.content) else {
        throw malformed("version")
      }
      version = value
    }
    guard version >= 0, version <= 2 else { throw JWTFailure("x509: invalid version") }
    certificate.version = version + 1
    guard let serial = tbsFields.read(tag: 0x02) else { throw malformed("serial number") }
    certificate.serialNumber = integerValue(serial.content)
    guard let innerAlgorithm = tbsFields.read(tag: 0x30) else {
      throw malformed("signature algorithm identifier")
    }
    guard let issuer = tbsFields.read(tag: 0x30) else { throw malformed("issuer") }
    certificate.rawIssuer = Array(issuer.encoded)
    certificate.issuer = try name(issuer.content)
    guard let validity = tbsFields.read(tag: 0x30) else { throw malformed("validity") }
    var validityFields = JWTDERReader(validity.content)
    guard let notBefore = validityFields.read(), let notAfter = validityFields.read(),
      let start = time(notBefore), let end = time(notAfter)
    else { throw malformed("validity") }
    certificate.notBefore = start
    certificate.notAfter = end
    guard let subject = tbsFields.read(tag: 0x30) else { throw malformed("subject") }
    certificate.rawSubject = Array(subject.encoded)
    certificate.subject = try name(subject.content)
    guard let spki = tbsFields.read(tag: 0x30) else { throw malformed("spki") }
    certificate.rawSubjectPublicKeyInfo = Array(spki.encoded)
    (certificate.publicKeyAlgorithm, certificate.publicKeyJSON, certificate.publicKey) = try publicKey(spki)
    // Unique identifiers ([1], [2]) are skipped; extensions are [3] in version 3.
    while let tag = tbsFields.peekTag, tag == 0x81 || tag == 0xa1 || tag == 0x82 || tag == 0xa2 {
      _ = tbsFields.read()
    }
    if tbsFields.peekTag == 0xa3 {
      guard version == 2, let wrapper = tbsFields.read() else { throw malformed("extensions") }
      var inner = JWTDERReader(wrapper.content)
      guard let list = inner.read(tag: 0x30) else { throw malformed("extensions") }
      certificate.extensions = try extensions(list.content)
      try apply(certificate.extensions, to: &certificate)
    }
    guard let outerAlgorithm = fields.read(tag: 0x30) else { throw malformed("algorithm identifier") }
    guard outerAlgorithm.encoded.elementsEqual(innerAlgorithm.encoded) else {
      throw JWTFailure("x509: inner and outer signature algorithm identifiers don't match")
    }
    certificate.signatureAlgorithm = signatureAlgorithm(outerAlgorithm)
    guard let signature = fields.read(tag: 0x03), let unused = signature.content.first, unused == 0 else {
      throw malformed("signature")
    }
    certificate.signature = Array(signature.content.dropFirst())
    return certificate
  }

  /// Go's `x509.ParseCertificateRequest`.
  static func request(_ der: [UInt8]) throws(JWTFailure) -> CryptoX509Request {
    let structureError = JWTFailure("asn1: structure error: tags don't match (certificateRequest)")
    var reader = JWTDERReader(der[...])
    guard let outer = reader.read(tag: 0x30) else { throw structureError }
    if !reader.isEmpty { throw JWTFailure("x509: trailing data") }
    var request = CryptoX509Request()
    request.raw = Array(outer.encoded)
    var fields = JWTDERReader(outer.content)
    guard let info = fields.read(tag: 0x30), let algorithm = fields.read(tag: 0x30),
      let signature = fields.read(tag: 0x03), let unused = signature.content.first, unused == 0
    else { throw structureError }
    request.rawTBS = Array(info.encoded)
    request.signatureAlgorithm = signatureAlgorithm(algorithm)
    request.signature = Array(signature.content.dropFirst())
    var infoFields = JWTDERReader(info.content)
    guard let version = infoFields.read(tag: 0x02), let versionValue = smallInteger(version.content),
      let subject = infoFields.read(tag: 0x30), let spki = infoFields.read(tag: 0x30)
    else { throw structureError }
    request.version = versionValue
    request.rawSubject = Array(subject.encoded)
    request.subject = try name(subject.content)
    request.rawSubjectPublicKeyInfo = Array(spki.encoded)
    (request.publicKeyAlgorithm, request.publicKeyJSON, _) = try publicKey(spki)
    if let attributes = infoFields.read(tag: 0xa0) {
      var attributeReader = JWTDERReader(attributes.content)
      while let attribute = attributeReader.read(tag: 0x30) {
        var parts = JWTDERReader(attribute.content)
        guard let type = parts.read(tag: 0x06), let values = parts.read(tag: 0x31) else { continue }
        let oid = objectIdentifier(type.content)
        if oid == [1, 2, 840, 113549, 1, 9, 14] {
          // extensionRequest: SET { SEQUENCE OF Extension }
          var valueReader = JWTDERReader(values.content)
          guard let list = valueReader.read(tag: 0x30) else { throw JWTFailure("x509: malformed extension request") }
          request.extensions += try extensions(list.content)
        }
        // Go's deprecated Attributes field keeps attributes whose values are
        // SEQUENCEs of (OID, value) pairs, as extension requests are.
        // Attributes of any other shape (a challenge password...) are left out, as in Go.
        if let sets = attributeSets(values.content) {
          request.attributes.append(.object(ValueObject([("Type", oidValue(oid)), ("Value", .array(sets))])))
        }
      }
    }
    for extensionEntry in request.extensions where extensionEntry.id == [2, 5, 29, 17] {
      request.names = try alternativeNames(extensionEntry.value[...])
    }
    return request
  }

  /// The values of an attribute as `[][]AttributeTypeAndValue`, or nil when they are not.
  private static func attributeSets(_ content: ArraySlice<UInt8>) -> [Value]? {
    var sets: [Value] = []
    var valueReader = JWTDERReader(content)
    while !valueReader.isEmpty {
      guard let sequence = valueReader.read(tag: 0x30) else { return nil }
      var pairs: [Value] = []
      var pairReader = JWTDERReader(sequence.content)
      while !pairReader.isEmpty {
        guard let pair = pairReader.read(tag: 0x30) else { return nil }
        var pairFields = JWTDERReader(pair.content)
        guard let pairType = pairFields.read(tag: 0x06), let element = pairFields.read(), pairFields.isEmpty else {
          return nil
        }
        // encoding/asn1 decoding into `any`, then encoding/json.
        let value: Value
        switch element.tag {
        case 0x01: value = .bool(element.content.first.map { $0 != 0 } ?? false)
        case 0x02: value = integerValue(element.content)
        case 0x04: value = base64(Array(element.content))
        case 0x06: value = oidValue(objectIdentifier(element.content))
        default:
          guard let text = asn1String(element) else { return nil }
          value = .string(text)
        }
        pairs.append(.object(ValueObject([("Type", oidValue(objectIdentifier(pairType.content))), ("Value", value)])))
      }
      sets.append(.array(pairs))
    }
    return sets
  }

  // MARK: Primitive values

  static func objectIdentifier(_ content: ArraySlice<UInt8>) -> [Int] {
    var values: [Int] = []
    var current = 0
    for byte in content {
      current = current << 7 | Int(byte & 0x7f)
      if byte & 0x80 == 0 {
        values.append(current)
        current = 0
      }
    }
    guard let first = values.first else { return [] }
    let head = first < 80 ? [first / 40, first % 40] : [2, first - 80]
    return head + values.dropFirst()
  }

  private static func smallInteger(_ content: ArraySlice<UInt8>) -> Int? {
    guard !content.isEmpty, content.count <= 8 else { return nil }
    var value: Int64 = content.first.map { $0 & 0x80 != 0 ? -1 : 0 } ?? 0
    for byte in content { value = value << 8 | Int64(byte) }
    return Int(value)
  }

  /// A DER INTEGER of any size as a JSON number (Go's `*big.Int`).
  static func integerValue(_ content: ArraySlice<UInt8>) -> Value {
    var bytes = Array(content)
    let negative = bytes.first.map { $0 & 0x80 != 0 } ?? false
    if negative {
      // Two's complement magnitude.
      for index in bytes.indices { bytes[index] = ~bytes[index] }
      var index = bytes.count - 1
      while index >= 0 {
        bytes[index] &+= 1
        if bytes[index] != 0 { break }
        index -= 1
      }
    }
    let digits = decimal(bytes)
    let text = negative && digits != "0" ? "-" + digits : digits
    return .number(Number(literal: text) ?? Number(0))
  }

  /// The decimal digits of an unsigned big-endian integer.
  static func decimal(_ bytes: [UInt8]) -> String {
    var limbs = bytes.drop { $0 == 0 }.map { UInt32($0) }
    if limbs.isEmpty { return "0" }
    var chunks: [UInt32] = []
    // Repeated division by 10^4 over base-256 digits.
    while !limbs.isEmpty {
      var remainder: UInt32 = 0
      var quotient: [UInt32] = []
      for limb in limbs {
        let value = remainder << 8 | limb
        let digit = value / 10_000
        remainder = value % 10_000
        if !quotient.isEmpty || digit != 0 { quotient.append(digit) }
      }
      chunks.append(remainder)
      limbs = quotient
    }
    var text = String(chunks.removeLast())
    for chunk in chunks.reversed() {
      let part = String(chunk)
      text += String(repeating: "0", count: 4 - part.count) + part
    }
    return text
  }

  /// Go's `parseASN1String` for the string types X.509 names use.
  static func asn1String(_ element: JWTDERElement) -> String? {
    let bytes = Array(element.content)
    switch element.tag {
    case 0x0c, 0x13, 0x16, 0x12:
      return String(validating: bytes, as: UTF8.self)
    case 0x14:  // T61String, read as ISO 8859-1
      return String(bytes.map { Character(Unicode.Scalar($0)) })
    case 0x1e:  // BMPString, UTF-16BE
      guard bytes.count % 2 == 0 else { return nil }
      let units = stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
      return String(decoding: units, as: UTF16.self)
    default:
      return nil
    }
  }

  /// UTCTime or GeneralizedTime, as Go's cryptobyte reads them.
  private static func time(_ element: JWTDERElement) -> TimeInstant? {
    let text = String(decoding: element.content, as: UTF8.self)
    switch element.tag {
    case 0x17:
      for layout in ["060102150405Z0700", "0601021504Z0700"] {
        guard let instant = try? TimeLayout.parse(layout: layout, value: text) else { continue }
        let fields = TimeCalendar.fields(of: instant, in: .utc)
        // Two-digit years run from 1950 to 2049 (RFC 5280 section 4.1.2.5.1).
        if fields.year < 2050 { return instant }
        return TimeCalendar.date(
          year: fields.year - 100, month: Int64(fields.month), day: Int64(fields.day), hour: Int64(fields.hour),
          minute: Int64(fields.minute), second: Int64(fields.second), nanosecond: 0, in: .utc)
      }
      return nil
    case 0x18:
      return try? TimeLayout.parse(layout: "20060102150405.999999999Z0700", value: text)
    default:
      return nil
    }
  }

  /// A Name: SEQUENCE OF SET OF AttributeTypeAndValue.
  static func name(_ content: ArraySlice<UInt8>) throws(JWTFailure) -> CryptoX509Name {
    var result = CryptoX509Name()
    var rdns = JWTDERReader(content)
    while !rdns.isEmpty {
      guard let set = rdns.read(tag: 0x31) else { throw JWTFailure("x509: invalid RDNSequence") }
      var attributes = JWTDERReader(set.content)
      while !attributes.isEmpty {
        guard let attribute = attributes.read(tag: 0x30) else { throw JWTFailure("x509: invalid RDNSequence") }
        var parts = JWTDERReader(attribute.content)
        guard let type = parts.read(tag: 0x06), let value = parts.read() else {
          throw JWTFailure("x509: invalid RDNSequence: invalid attribute")
        }
        guard let text = asn1String(value) else {
          throw JWTFailure("x509: invalid RDNSequence: invalid attribute value: unsupported string type: \(value.tag)")
        }
        result.attributes.append((objectIdentifier(type.content), text))
      }
    }
    return result
  }

  // MARK: Algorithms and keys

  private static let sha256: [Int] = [2, 16, 840, 1, 101, 3, 4, 2, 1]
  private static let sha384: [Int] = [2, 16, 840, 1, 101, 3, 4, 2, 2]
  private static let sha512: [Int] = [2, 16, 840, 1, 101, 3, 4, 2, 3]

  /// Go's `SignatureAlgorithm` number for an AlgorithmIdentifier.
  static func signatureAlgorithm(_ identifier: JWTDERElement) -> Int {
    var fields = JWTDERReader(identifier.content)
    guard let oid = fields.read(tag: 0x06) else { return 0 }
    switch objectIdentifier(oid.content) {
    case [1, 2, 840, 113549, 1, 1, 2]: return 1
    case [1, 2, 840, 113549, 1, 1, 4]: return 2
    case [1, 2, 840, 113549, 1, 1, 5], [1, 3, 14, 3, 2, 29]: return 3
    case [1, 2, 840, 113549, 1, 1, 11]: return 4
    case [1, 2, 840, 113549, 1, 1, 12]: return 5
    case [1, 2, 840, 113549, 1, 1, 13]: return 6
    case [1, 2, 840, 10040, 4, 3]: return 7
    case [2, 16, 840, 1, 101, 3, 4, 3, 2]: return 8
    case [1, 2, 840, 10045, 4, 1]: return 9
    case [1, 2, 840, 10045, 4, 3, 2]: return 10
    case [1, 2, 840, 10045, 4, 3, 3]: return 11
    case [1, 2, 840, 10045, 4, 3, 4]: return 12
    case [1, 3, 101, 112]: return 16
    case [1, 2, 840, 113549, 1, 1, 10]:
      // RSASSA-PSS: the hash is in the parameters ([0] hashAlgorithm).
      guard let parameters = fields.read(tag: 0x30) else { return 0 }
      var parameterFields = JWTDERReader(parameters.content)
      guard let hashWrapper = parameterFields.read(tag: 0xa0) else { return 0 }
      var hashReader = JWTDERReader(hashWrapper.content)
      guard let hashIdentifier = hashReader.read(tag: 0x30) else { return 0 }
      var hashFields = JWTDERReader(hashIdentifier.content)
      guard let hashOID = hashFields.read(tag: 0x06) else { return 0 }
      switch objectIdentifier(hashOID.content) {
      case sha256: return 13
      case sha384: return 14
      case sha512: return 15
      default: return 0
      }
    default:
      return 0
    }
  }

  /// The key algorithm number, Go's JSON for the key, and the key for signature checks.
  static func publicKey(_ spki: JWTDERElement) throws(JWTFailure) -> (Int, Value, JWTKey?) {
    var fields = JWTDERReader(spki.content)
    guard let algorithm = fields.read(tag: 0x30), let bits = fields.read(tag: 0x03) else {
      throw JWTFailure("x509: malformed spki")
    }
    var algorithmFields = JWTDERReader(algorithm.content)
    guard let oid = algorithmFields.read(tag: 0x06) else { throw JWTFailure("x509: malformed spki") }
    let keyBytes = Array(bits.content.dropFirst())
    switch objectIdentifier(oid.content) {
    case [1, 2, 840, 113549, 1, 1, 1]:
      var reader = JWTDERReader(keyBytes[...])
      guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid RSA public key") }
      var numbers = JWTDERReader(sequence.content)
      guard let modulus = numbers.read(tag: 0x02), let exponent = numbers.read(tag: 0x02),
        let exponentValue = smallInteger(exponent.content)
      else { throw JWTFailure("x509: invalid RSA public key") }
      let key = try JWTKeys.subjectPublicKey(spki.encoded)
      return (1, .object(ValueObject([("N", integerValue(modulus.content)), ("E", .int(exponentValue))])), key)
    case [1, 2, 840, 10045, 2, 1]:
      let key = try JWTKeys.subjectPublicKey(spki.encoded)
      let size: Int
      switch key {
      case .p256Public: size = 32
      case .p384Public: size = 48
      default: size = 66
      }
      guard keyBytes.count == 1 + 2 * size else { throw JWTFailure("x509: failed to unmarshal elliptic curve point") }
      let x = integerValue(([0] + keyBytes[1...size])[...])
      let y = integerValue(([0] + keyBytes[(size + 1)...])[...])
      return (3, .object(ValueObject([("Curve", .object(ValueObject())), ("X", x), ("Y", y)])), key)
    case [1, 3, 101, 112]:
      let key = try JWTKeys.subjectPublicKey(spki.encoded)
      return (4, base64(keyBytes), key)
    case [1, 2, 840, 10040, 4, 1]:
      return (2, .null, nil)
    default:
      return (0, .null, nil)
    }
  }

  // MARK: Extensions

  private static func extensions(_ content: ArraySlice<UInt8>) throws(JWTFailure) -> [CryptoX509Extension] {
    var result: [CryptoX509Extension] = []
    var reader = JWTDERReader(content)
    while !reader.isEmpty {
      guard let entry = reader.read(tag: 0x30) else { throw malformed("extension") }
      var fields = JWTDERReader(entry.content)
      guard let oid = fields.read(tag: 0x06) else { throw malformed("extension OID field") }
      var critical = false
      if fields.peekTag == 0x01 {
        guard let flag = fields.read(), flag.content.count == 1 else { throw malformed("extension critical field") }
        critical = flag.content.first == 0xff
      }
      guard let value = fields.read(tag: 0x04) else { throw malformed("extension value field") }
      result.append(CryptoX509Extension(id: objectIdentifier(oid.content), critical: critical, value: Array(value.content)))
    }
    return result
  }

  /// Go's `processExtensions`: fills the typed fields from the known extensions.
  private static func apply(
    _ extensions: [CryptoX509Extension], to certificate: inout CryptoX509Certificate
  ) throws(JWTFailure) {
    for entry in extensions {
      var unhandled = false
      let value = entry.value[...]
      if entry.id.count == 4, Array(entry.id[0..<3]) == [2, 5, 29] {
        switch entry.id[3] {
        case 15:
          var reader = JWTDERReader(value)
          guard let bits = reader.read(tag: 0x03), let unused = bits.content.first, unused < 8 else {
            throw JWTFailure("x509: invalid key usage")
          }
          var usage = 0
          let bytes = Array(bits.content.dropFirst())
          for bit in 0..<9 where bit / 8 < bytes.count && bytes[bit / 8] >> (7 - UInt8(bit % 8)) & 1 == 1 {
            usage |= 1 << bit
          }
          certificate.keyUsage = usage
        case 19:
          var reader = JWTDERReader(value)
          guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid basic constraints") }
          var fields = JWTDERReader(sequence.content)
          var isCA = false
          if fields.peekTag == 0x01, let flag = fields.read() { isCA = flag.content.first == 0xff }
          var maxPathLen = -1
          if fields.peekTag == 0x02 {
            guard let number = fields.read(), let length = smallInteger(number.content) else {
              throw JWTFailure("x509: invalid basic constraints")
            }
            maxPathLen = length
          }
          certificate.basicConstraintsValid = true
          certificate.isCA = isCA
          certificate.maxPathLen = maxPathLen
          certificate.maxPathLenZero = maxPathLen == 0
        case 17:
          certificate.names = try alternativeNames(value)
          if certificate.names.isEmpty { unhandled = true }
        case 30:
          unhandled = try nameConstraints(value, critical: entry.critical, into: &certificate)
        case 31:
          var reader = JWTDERReader(value)
          guard let points = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid CRL distribution points") }
          var pointReader = JWTDERReader(points.content)
          while let point = pointReader.read(tag: 0x30) {
            var pointFields = JWTDERReader(point.content)
            guard let name = pointFields.read(tag: 0xa0) else { continue }
            var nameReader = JWTDERReader(name.content)
            guard let fullName = nameReader.read(tag: 0xa0) else { continue }
            var generalNames = JWTDERReader(fullName.content)
            while let general = generalNames.read() {
              guard general.tag == 0x86 else { continue }
              certificate.crlDistributionPoints.append(String(decoding: general.content, as: UTF8.self))
            }
          }
        case 35:
          var reader = JWTDERReader(value)
          guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid authority key identifier") }
          var fields = JWTDERReader(sequence.content)
          if fields.peekTag == 0x80, let identifier = fields.read() { certificate.authorityKeyId = Array(identifier.content) }
        case 37:
          var reader = JWTDERReader(value)
          guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid extended key usages") }
          var fields = JWTDERReader(sequence.content)
          while let oid = fields.read(tag: 0x06) {
            let identifier = objectIdentifier(oid.content)
            if let known = extendedKeyUsages.firstIndex(of: identifier) {
              certificate.extKeyUsage.append(known)
            } else {
              certificate.unknownExtKeyUsage.append(identifier)
            }
          }
        case 14:
          var reader = JWTDERReader(value)
          guard let identifier = reader.read(tag: 0x04) else { throw JWTFailure("x509: invalid subject key identifier") }
          certificate.subjectKeyId = Array(identifier.content)
        case 32:
          var reader = JWTDERReader(value)
          guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid certificate policies") }
          var policies = JWTDERReader(sequence.content)
          while let policy = policies.read(tag: 0x30) {
            var fields = JWTDERReader(policy.content)
            guard let oid = fields.read(tag: 0x06) else { throw JWTFailure("x509: invalid certificate policies") }
            certificate.policyIdentifiers.append(objectIdentifier(oid.content))
          }
        case 33:
          var reader = JWTDERReader(value)
          guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid policy mappings") }
          var mappings = JWTDERReader(sequence.content)
          while let mapping = mappings.read(tag: 0x30) {
            var fields = JWTDERReader(mapping.content)
            guard let issuer = fields.read(tag: 0x06), let subject = fields.read(tag: 0x06) else {
              throw JWTFailure("x509: invalid policy mappings")
            }
            certificate.policyMappings.append((objectIdentifier(issuer.content), objectIdentifier(subject.content)))
          }
        case 36:
          var reader = JWTDERReader(value)
          guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid policy constraints") }
          var fields = JWTDERReader(sequence.content)
          if fields.peekTag == 0x80, let element = fields.read(), let number = smallInteger(element.content) {
            certificate.requireExplicitPolicy = number
            certificate.requireExplicitPolicyZero = number == 0
          }
          if fields.peekTag == 0x81, let element = fields.read(), let number = smallInteger(element.content) {
            certificate.inhibitPolicyMapping = number
            certificate.inhibitPolicyMappingZero = number == 0
          }
        case 54:
          var reader = JWTDERReader(value)
          guard let element = reader.read(tag: 0x02), let number = smallInteger(element.content) else {
            throw JWTFailure("x509: invalid inhibit any policy")
          }
          certificate.inhibitAnyPolicy = number
          certificate.inhibitAnyPolicyZero = number == 0
        default:
          unhandled = true
        }
      } else if entry.id == [1, 3, 6, 1, 5, 5, 7, 1, 1] {
        // Authority information access: OCSP responders and issuer certificates.
        var reader = JWTDERReader(value)
        guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid authority info access") }
        var descriptions = JWTDERReader(sequence.content)
        while let description = descriptions.read(tag: 0x30) {
          var fields = JWTDERReader(description.content)
          guard let method = fields.read(tag: 0x06), let location = fields.read() else { continue }
          guard location.tag == 0x86 else { continue }
          let url = String(decoding: location.content, as: UTF8.self)
          switch objectIdentifier(method.content) {
          case [1, 3, 6, 1, 5, 5, 7, 48, 1]: certificate.ocspServer.append(url)
          case [1, 3, 6, 1, 5, 5, 7, 48, 2]: certificate.issuingCertificateURL.append(url)
          default: break
          }
        }
      } else {
        unhandled = true
      }
      if entry.critical && unhandled { certificate.unhandledCriticalExtensions.append(entry.id) }
    }
  }

  /// Go's `ExtKeyUsage` values, by position.
  static let extendedKeyUsages: [[Int]] = [
    [2, 5, 29, 37, 0], [1, 3, 6, 1, 5, 5, 7, 3, 1], [1, 3, 6, 1, 5, 5, 7, 3, 2], [1, 3, 6, 1, 5, 5, 7, 3, 3],
    [1, 3, 6, 1, 5, 5, 7, 3, 4], [1, 3, 6, 1, 5, 5, 7, 3, 5], [1, 3, 6, 1, 5, 5, 7, 3, 6],
    [1, 3, 6, 1, 5, 5, 7, 3, 7], [1, 3, 6, 1, 5, 5, 7, 3, 8], [1, 3, 6, 1, 5, 5, 7, 3, 9],
    [1, 3, 6, 1, 4, 1, 311, 10, 3, 3], [2, 16, 840, 1, 113730, 4, 1], [1, 3, 6, 1, 4, 1, 311, 2, 1, 22],
    [1, 3, 6, 1, 4, 1, 311, 61, 1, 1],
  ]

  /// Subject alternative names: rfc822Name [1], dNSName [2], URI [6], iPAddress [7].
  static func alternativeNames(_ value: ArraySlice<UInt8>) throws(JWTFailure) -> CryptoX509AlternativeNames {
    var names = CryptoX509AlternativeNames()
    var reader = JWTDERReader(value)
    guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid subject alternative names") }
    var generalNames = JWTDERReader(sequence.content)
    while !generalNames.isEmpty {
      guard let name = generalNames.read() else { throw JWTFailure("x509: invalid subject alternative name") }
      let text = String(decoding: name.content, as: UTF8.self)
      switch name.tag {
      case 0x81: names.emailAddresses.append(text)
      case 0x82: names.dnsNames.append(text)
      case 0x86: names.uris.append(text)
      case 0x87:
        guard name.content.count == 4 || name.content.count == 16 else {
          throw JWTFailure("x509: cannot parse IP address of length \(name.content.count)")
        }
        names.ipAddresses.append(Array(name.content))
      default: break
      }
    }
    return names
  }

  /// Name constraints; returns whether the extension is unhandled (Go rejects some forms).
  private static func nameConstraints(
    _ value: ArraySlice<UInt8>, critical: Bool, into certificate: inout CryptoX509Certificate
  ) throws(JWTFailure) -> Bool {
    var reader = JWTDERReader(value)
    guard let sequence = reader.read(tag: 0x30) else { throw JWTFailure("x509: invalid NameConstraints extension") }
    var fields = JWTDERReader(sequence.content)
    var unhandled = false
    func subtrees(_ element: JWTDERElement, permitted: Bool) {
      var trees = JWTDERReader(element.content)
      while let tree = trees.read(tag: 0x30) {
        var treeFields = JWTDERReader(tree.content)
        guard let base = treeFields.read() else { continue }
        let text = String(decoding: base.content, as: UTF8.self)
        switch base.tag {
        case 0x82:
          if permitted { certificate.permittedDNSDomains.append(text) } else { certificate.excludedDNSDomains.append(text) }
        case 0x87:
          let half = base.content.count / 2
          let network = (Array(base.content.prefix(half)), Array(base.content.suffix(half)))
          if permitted { certificate.permittedIPRanges.append(network) } else { certificate.excludedIPRanges.append(network) }
        case 0x81:
          if permitted {
            certificate.permittedEmailAddresses.append(text)
          } else {
            certificate.excludedEmailAddresses.append(text)
          }
        case 0x86:
          if permitted { certificate.permittedURIDomains.append(text) } else { certificate.excludedURIDomains.append(text) }
        default:
          unhandled = true
        }
      }
    }
    if let permitted = fields.read(tag: 0xa0) { subtrees(permitted, permitted: true) }
    if let excluded = fields.read(tag: 0xa1) { subtrees(excluded, permitted: false) }
    certificate.permittedDNSDomainsCritical = critical
    return unhandled
  }
}
