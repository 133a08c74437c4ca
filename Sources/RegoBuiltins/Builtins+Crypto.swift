internal import Crypto
internal import PolicyCore

// The `crypto` family: message digests and HMACs as lowercase hex, a constant-time MAC
// comparison, X.509 certificates and requests as Go's JSON forms (CryptoX509.swift), and
// private keys as JWKs. OPA reference: topdown/crypto.go.
//
// Not provided: `crypto.parse_private_keys` and
// `crypto.x509.parse_and_verify_certificates_with_options`.

extension BuiltinRegistry {
  /// Adds the crypto family. Keep entries sorted.
  mutating func registerCrypto() {
    /// `crypto.hmac.equal(mac1, mac2)`: compares two MACs in constant time (Go's `hmac.Equal`).
    ///
    ///     crypto.hmac.equal("31b6db9e", "31b6db9e")   # true
    add("crypto.hmac.equal", arity: 2, category: "crypto") { arguments, _ throws(BuiltinError) in
      let first = try arguments.string(0)
      let second = try arguments.string(1)
      return .bool(constantTimeEqual(Array(first.utf8), Array(second.utf8)))
    }
    /// `crypto.hmac.md5(message, key)`: HMAC-MD5 of the message's UTF-8 bytes, as hex.
    add("crypto.hmac.md5", arity: 2, category: "crypto") { arguments, _ throws(BuiltinError) in
      let (message, key) = try hmacOperands(arguments)
      return .string(hexString(HMAC<Insecure.MD5>.authenticationCode(for: message, using: key)))
    }
    /// `crypto.hmac.sha1(message, key)`: HMAC-SHA1 of the message, as hex.
    add("crypto.hmac.sha1", arity: 2, category: "crypto") { arguments, _ throws(BuiltinError) in
      let (message, key) = try hmacOperands(arguments)
      return .string(hexString(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key)))
    }
    /// `crypto.hmac.sha256(message, key)`: HMAC-SHA256 of the message, as hex.
    ///
    ///     crypto.hmac.sha256("foo", "bar")   # "147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851"
    add("crypto.hmac.sha256", arity: 2, category: "crypto") { arguments, _ throws(BuiltinError) in
      let (message, key) = try hmacOperands(arguments)
      return .string(hexString(HMAC<SHA256>.authenticationCode(for: message, using: key)))
    }
    /// `crypto.hmac.sha512(message, key)`: HMAC-SHA512 of the message, as hex.
    add("crypto.hmac.sha512", arity: 2, category: "crypto") { arguments, _ throws(BuiltinError) in
      let (message, key) = try hmacOperands(arguments)
      return .string(hexString(HMAC<SHA512>.authenticationCode(for: message, using: key)))
    }
    /// `crypto.x509.parse_and_verify_certificates(certs)`: `[valid, chain]` for PEM (or base64)
    /// certificates listed root first, then intermediates, then the leaf. `chain` is the verified
    /// chain leaf first (each certificate as in `crypto.x509.parse_certificates`), or `[]` when
    /// parsing or verification fails. Certificates are checked at the evaluation time.
    add("crypto.x509.parse_and_verify_certificates", arity: 1, category: "crypto") {
      arguments, context throws(BuiltinError) in
      let text = try arguments.string(0)
      let invalid: Value = [false, []]
      guard let parsed = try? certificates(text), parsed.count >= 2, let root = parsed.first, let leaf = parsed.last
      else { return invalid }
      guard
        let chain = CryptoX509Verifier.verify(
          leaf: leaf, intermediates: Array(parsed.dropFirst().dropLast()), root: root,
          at: TimeInstant(unixNanoseconds: context.now))
      else { return invalid }
      return [true, .array(chain.map { $0.json(uriStrings: true) })]
    }
    /// `crypto.x509.parse_certificate_request(csr)`: a PEM (or base64 PEM or DER) certificate
    /// request as Go's `x509.CertificateRequest` JSON.
    add("crypto.x509.parse_certificate_request", arity: 1, category: "crypto") { arguments, _ throws(BuiltinError) in
      let text = try arguments.string(0)
      do throws(JWTFailure) {
        return try certificateRequest(text)
      } catch {
        throw .failure(error.message)
      }
    }
    /// `crypto.x509.parse_certificates(certs)`: PEM certificates, or base64 of PEM or of DER, as
    /// an array of Go's `x509.Certificate` JSON objects (plus `URIStrings`).
    ///
    ///     crypto.x509.parse_certificates(pem)[0].Subject.CommonName
    add("crypto.x509.parse_certificates", arity: 1, category: "crypto") { arguments, _ throws(BuiltinError) in
      let text = try arguments.string(0)
      do throws(JWTFailure) {
        return .array(try certificates(text).map { $0.json(uriStrings: true) })
      } catch {
        throw .failure(error.message)
      }
    }
    /// `crypto.x509.parse_keypair(cert, key)`: a PEM (or base64) certificate chain and its private
    /// key as Go's `tls.Certificate` JSON (`Certificate` holds the base64 DER certificates).
    add("crypto.x509.parse_keypair", arity: 2, category: "crypto") { arguments, _ throws(BuiltinError) in
      let certificate = try arguments.string(0)
      // OPA names the key operand "operand 1" too.
      guard case .string(let key) = arguments[1] else { throw .operand(0, mustBe: "string", got: arguments[1]) }
      do throws(JWTFailure) {
        return try keyPair(certificate, key)
      } catch {
        throw .failure(error.message)
      }
    }
    /// `crypto.x509.parse_rsa_private_key(pem)`: the first private key in PEM text (or base64 of
    /// PEM) as a JWK object: PKCS #1 "RSA PRIVATE KEY", PKCS #8 "PRIVATE KEY" (RSA, EC, Ed25519)
    /// or SEC 1 "EC PRIVATE KEY"; null when the text holds no private key.
    ///
    ///     crypto.x509.parse_rsa_private_key(pem)   # {"kty": "RSA", "n": "...", "e": "AQAB", "d": "...", ...}
    add("crypto.x509.parse_rsa_private_key", arity: 1, category: "crypto") { arguments, _ throws(BuiltinError) in
      let text = try arguments.string(0)
      do throws(JWTFailure) {
        return try privateKeyJWK(text)
      } catch {
        throw .failure(error.message)
      }
    }
    /// `crypto.md5(text)`: the MD5 digest of the string's UTF-8 bytes, as lowercase hex.
    ///
    ///     crypto.md5("lorem ipsum")   # "80a751fde577028640c419000e33eba6"
    add("crypto.md5", arity: 1, category: "crypto") { arguments, _ throws(BuiltinError) in
      let text = try arguments.string(0)
      return .string(hexString(Insecure.MD5.hash(data: Array(text.utf8))))
    }
    /// `crypto.sha1(text)`: the SHA-1 digest of the string, as lowercase hex.
    add("crypto.sha1", arity: 1, category: "crypto") { arguments, _ throws(BuiltinError) in
      let text = try arguments.string(0)
      return .string(hexString(Insecure.SHA1.hash(data: Array(text.utf8))))
    }
    /// `crypto.sha256(text)`: the SHA-256 digest of the string, as lowercase hex.
    add("crypto.sha256", arity: 1, category: "crypto") { arguments, _ throws(BuiltinError) in
      let text = try arguments.string(0)
      return .string(hexString(SHA256.hash(data: Array(text.utf8))))
    }
  }
}

/// The message bytes and key of an HMAC builtin (operand 1 is the message, operand 2 the key).
private func hmacOperands(_ arguments: BuiltinArguments) throws(BuiltinError) -> ([UInt8], SymmetricKey) {
  let message = try arguments.string(0)
  let key = try arguments.string(1)
  return (Array(message.utf8), SymmetricKey(data: Array(key.utf8)))
}

/// Lowercase hex of any byte sequence (digests and MACs are byte sequences).
private func hexString<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
  let digits = Array("0123456789abcdef".utf8)
  var out: [UInt8] = []
  for byte in bytes {
    out.append(digits[Int(byte >> 4)])
    out.append(digits[Int(byte & 0x0f)])
  }
  return String(decoding: out, as: UTF8.self)
}

/// Lowercase hex of a MAC.
private func hexString<H: HashFunction>(_ code: HashedAuthenticationCode<H>) -> String {
  hexString(Array(code))
}

/// Compares two byte strings in time independent of where they differ; unequal lengths are
/// unequal, as in Go's `subtle.ConstantTimeCompare`.
private func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
  guard lhs.count == rhs.count else { return false }
  var difference: UInt8 = 0
  for index in 0..<lhs.count {
    difference |= lhs[index] ^ rhs[index]
  }
  return difference == 0
}

// MARK: - Private keys

/// A private key from PEM/DER, in the forms OPA can return.
private enum PrivateKey {
  case rsa(n: [UInt8], e: [UInt8], d: [UInt8], p: [UInt8], q: [UInt8], dp: [UInt8], dq: [UInt8], qi: [UInt8])
  case ec(curve: String, size: Int, d: [UInt8], x: [UInt8], y: [UInt8])
  case ed25519(seed: [UInt8], publicKey: [UInt8])

  /// The JWK jwx produces (`jwk.New`).
  var jwk: Value {
    func encode(_ bytes: [UInt8]) -> Value { .string(JWTBase64.encodeURL(bytes)) }
    switch self {
    case .rsa(let n, let e, let d, let p, let q, let dp, let dq, let qi):
      return .object(
        ValueObject([
          ("kty", "RSA"), ("n", encode(n)), ("e", encode(e)), ("d", encode(d)), ("p", encode(p)), ("q", encode(q)),
          ("dp", encode(dp)), ("dq", encode(dq)), ("qi", encode(qi)),
        ]))
    case .ec(let curve, _, let d, let x, let y):
      return .object(
        ValueObject([("kty", "EC"), ("crv", .string(curve)), ("d", encode(d)), ("x", encode(x)), ("y", encode(y))]))
    case .ed25519(let seed, let publicKey):
      return .object(
        ValueObject([("kty", "OKP"), ("crv", "Ed25519"), ("d", encode(seed)), ("x", encode(publicKey))]))
    }
  }

  /// Go's encoding/json form of the `*rsa.PrivateKey`, `*ecdsa.PrivateKey` or `ed25519.PrivateKey`.
  var goJSON: Value {
    func number(_ bytes: [UInt8]) -> Value { CryptoX509Parser.integerValue(([0] + bytes)[...]) }
    switch self {
    case .rsa(let n, let e, let d, let p, let q, let dp, let dq, let qi):
      let precomputed = ValueObject([
        ("Dp", number(dp)), ("Dq", number(dq)), ("Qinv", number(qi)), ("CRTValues", .array([])),
      ])
      return .object(
        ValueObject([
          ("N", number(n)), ("E", number(e)), ("D", number(d)), ("Primes", .array([number(p), number(q)])),
          ("Precomputed", .object(precomputed)),
        ]))
    case .ec(_, _, let d, let x, let y):
      return .object(
        ValueObject([("Curve", .object(ValueObject())), ("X", number(x)), ("Y", number(y)), ("D", number(d))]))
    case .ed25519(let seed, let publicKey):
      return .string(JWTBase64.encodeStandard(seed + publicKey))
    }
  }
}

/// OPA's `builtinCryptoJWKFromPrivateKey`: PEM (or base64 of PEM) to the JWK of its first key.
private func privateKeyJWK(_ input: String) throws(JWTFailure) -> Value {
  if input.isEmpty { throw JWTFailure("input PEM data was empty") }
  var data = Array(input.utf8)
  if !input.hasPrefix("-----BEGIN") {
    data = try JWTBase64.decodePadded(data, url: false)
  }
  // OPA decodes base64 once more when the data happens to be base64.
  if let decoded = try? JWTBase64.decodePadded(data, url: false) { data = decoded }
  var rest = data
  while !rest.isEmpty {
    guard let (block, after) = JWTPEM.decode(rest), after.count != rest.count else { break }
    rest = after
    switch block.type {
    case "RSA PRIVATE KEY": return try rsaPrivateKey(block.bytes[...]).jwk
    case "PRIVATE KEY": return try pkcs8PrivateKey(block.bytes).jwk
    case "EC PRIVATE KEY": return try ecPrivateKey(block.bytes[...], curve: nil).jwk
    default: continue
    }
  }
  return .null
}

/// The big-endian magnitude of a DER INTEGER (leading zero bytes removed).
private func integerBytes(_ element: JWTDERElement) -> [UInt8] {
  let trimmed = element.content.drop { $0 == 0 }
  return trimmed.isEmpty ? [0] : Array(trimmed)
}

/// PKCS #1 RSAPrivateKey.
private func rsaPrivateKey(_ der: ArraySlice<UInt8>) throws(JWTFailure) -> PrivateKey {
  var input = JWTDERReader(der)
  guard let sequence = input.read(tag: 0x30) else {
    throw JWTFailure("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)")
  }
  var fields = JWTDERReader(sequence.content)
  var integers: [[UInt8]] = []
  while let element = fields.read(tag: 0x02) { integers.append(integerBytes(element)) }
  guard integers.count >= 9, integers[0] == [0] else {
    throw JWTFailure("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)")
  }
  return .rsa(
    n: integers[1], e: integers[2], d: integers[3], p: integers[4], q: integers[5], dp: integers[6],
    dq: integers[7], qi: integers[8])
}

private let pkcs8RSA: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]
private let pkcs8EC: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]
private let pkcs8Ed25519: [UInt8] = [0x2b, 0x65, 0x70]

/// PKCS #8 PrivateKeyInfo holding an RSA, EC or Ed25519 key.
private func pkcs8PrivateKey(_ der: [UInt8]) throws(JWTFailure) -> PrivateKey {
  var input = JWTDERReader(der[...])
  guard let sequence = input.read(tag: 0x30) else { throw JWTFailure("x509: malformed PKCS#8 private key") }
  var fields = JWTDERReader(sequence.content)
  guard fields.read(tag: 0x02) != nil, let algorithm = fields.read(tag: 0x30), let key = fields.read(tag: 0x04) else {
    throw JWTFailure("x509: malformed PKCS#8 private key")
  }
  var algorithmFields = JWTDERReader(algorithm.content)
  guard let oid = algorithmFields.read(tag: 0x06) else { throw JWTFailure("x509: malformed PKCS#8 private key") }
  switch Array(oid.content) {
  case pkcs8RSA:
    return try rsaPrivateKey(key.content)
  case pkcs8EC:
    return try ecPrivateKey(key.content, curve: algorithmFields.read(tag: 0x06).map { Array($0.content) })
  case pkcs8Ed25519:
    var inner = JWTDERReader(key.content)
    guard let seed = inner.read(tag: 0x04), seed.content.count == 32,
      let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: Array(seed.content))
    else { throw JWTFailure("x509: invalid Ed25519 private key") }
    return .ed25519(seed: Array(seed.content), publicKey: Array(privateKey.publicKey.rawRepresentation))
  default:
    throw JWTFailure("x509: PKCS#8 wrapping contained private key with unknown algorithm")
  }
}

/// SEC 1 ECPrivateKey; the curve comes from the key or, in PKCS #8, from the wrapper.
private func ecPrivateKey(_ der: ArraySlice<UInt8>, curve wrapperCurve: [UInt8]?) throws(JWTFailure) -> PrivateKey {
  var input = JWTDERReader(der)
  guard let sequence = input.read(tag: 0x30) else { throw JWTFailure("x509: failed to parse EC private key") }
  var fields = JWTDERReader(sequence.content)
  guard fields.read(tag: 0x02) != nil, let secret = fields.read(tag: 0x04) else {
    throw JWTFailure("x509: failed to parse EC private key")
  }
  var curve = wrapperCurve
  if fields.peekTag == 0xa0, let parameters = fields.read() {
    var inner = JWTDERReader(parameters.content)
    if let oid = inner.read(tag: 0x06) { curve = Array(oid.content) }
  }
  let d = Array(secret.content)
  let point: [UInt8]
  let name: String
  let size: Int
  do {
    switch curve ?? [] {
    case [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]:
      (name, size) = ("P-256", 32)
      point = Array(try P256.Signing.PrivateKey(rawRepresentation: pad(d, size)).publicKey.x963Representation)
    case [0x2b, 0x81, 0x04, 0x00, 0x22]:
      (name, size) = ("P-384", 48)
      point = Array(try P384.Signing.PrivateKey(rawRepresentation: pad(d, size)).publicKey.x963Representation)
    case [0x2b, 0x81, 0x04, 0x00, 0x23]:
      (name, size) = ("P-521", 66)
      point = Array(try P521.Signing.PrivateKey(rawRepresentation: pad(d, size)).publicKey.x963Representation)
    default:
      throw JWTFailure("x509: unknown elliptic curve")
    }
  } catch let failure as JWTFailure {
    throw failure
  } catch {
    throw JWTFailure("x509: invalid elliptic curve private key value")
  }
  return .ec(
    curve: name, size: size, d: pad(d, size), x: Array(point[1...size]), y: Array(point[(size + 1)...]))
}

private func pad(_ bytes: [UInt8], _ size: Int) -> [UInt8] {
  let trimmed = Array(bytes.drop { $0 == 0 })
  return trimmed.count >= size ? trimmed : [UInt8](repeating: 0, count: size - trimmed.count) + trimmed
}

// MARK: - Certificates

/// OPA's `getX509CertsFromString`: PEM, base64 of PEM, or base64 of DER certificates.
private func certificates(_ input: String) throws(JWTFailure) -> [CryptoX509Certificate] {
  var data = Array(input.utf8)
  if !input.hasPrefix("-----BEGIN") {
    data = try JWTBase64.decodePadded(data, url: false)
    if !data.starts(with: Array("-----BEGIN".utf8)) { return try CryptoX509Parser.certificates(data) }
  }
  var der: [UInt8] = []
  var rest = data
  while !rest.isEmpty {
    guard let (block, after) = JWTPEM.decode(rest) else { break }
    if block.type != "CERTIFICATE" {
      throw JWTFailure("PEM block type is '\(block.type)', expected CERTIFICATE")
    }
    der += block.bytes
    rest = after
  }
  return try CryptoX509Parser.certificates(der)
}

/// OPA's `builtinCryptoX509ParseCertificateRequest`.
private func certificateRequest(_ input: String) throws(JWTFailure) -> Value {
  var data = Array(input.utf8)
  if !input.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----") {
    data = try JWTBase64.decodePadded(data, url: false)
  }
  if let (block, _) = JWTPEM.decode(data) {
    if block.type != "CERTIFICATE REQUEST" { throw JWTFailure("invalid PEM-encoded certificate signing request") }
    data = block.bytes
  }
  return try CryptoX509Parser.request(data).json
}

/// OPA's `getTLSx509KeyPairFromString` and Go's `tls.X509KeyPair`: `tls.Certificate` as JSON.
private func keyPair(_ certificateText: String, _ keyText: String) throws(JWTFailure) -> Value {
  let begin = Array("-----BEGIN ".utf8)
  var certificatePEM = Array(certificateText.utf8)
  var keyPEM = Array(keyText.utf8)
  var certificateIsDER = false
  var keyIsDER = false
  if !certificatePEM.starts(with: begin) {
    certificatePEM = try JWTBase64.decodePadded(certificatePEM, url: false)
    certificateIsDER = !certificatePEM.starts(with: begin)
  }
  if !keyPEM.starts(with: begin) {
    keyPEM = try JWTBase64.decodePadded(keyPEM, url: false)
    keyIsDER = !keyPEM.starts(with: Array("-----BEGIN".utf8))
  }
  var certificateBlocks: [[UInt8]] = []
  var skipped: [String] = []
  if certificateIsDER {
    certificateBlocks = [certificatePEM]
  } else {
    var rest = certificatePEM
    while let (block, after) = JWTPEM.decode(rest) {
      if block.type == "CERTIFICATE" { certificateBlocks.append(block.bytes) } else { skipped.append(block.type) }
      rest = after
    }
  }
  if certificateBlocks.isEmpty {
    if skipped.isEmpty { throw JWTFailure("tls: failed to find any PEM data in certificate input") }
    if skipped.count == 1 && skipped[0].hasSuffix("PRIVATE KEY") {
      throw JWTFailure(
        "tls: failed to find certificate PEM data in certificate input, but did find a private key; "
          + "PEM inputs may have been switched")
    }
    throw JWTFailure(
      "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the "
        + "following types: [\(skipped.joined(separator: " "))]")
  }
  var keyDER: [UInt8]
  if keyIsDER {
    keyDER = keyPEM
  } else {
    skipped = []
    var rest = keyPEM
    while true {
      guard let (block, after) = JWTPEM.decode(rest) else {
        if skipped.isEmpty { throw JWTFailure("tls: failed to find any PEM data in key input") }
        if skipped == ["CERTIFICATE"] {
          throw JWTFailure("tls: found a certificate rather than a key in the PEM for the private key")
        }
        throw JWTFailure(
          "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM "
            + "blocks of the following types: [\(skipped.joined(separator: " "))]")
      }
      rest = after
      if block.type == "PRIVATE KEY" || block.type.hasSuffix(" PRIVATE KEY") {
        keyDER = block.bytes
        break
      }
      skipped.append(block.type)
    }
  }
  var leafBytes = certificateBlocks[0][...]
  let leaf = try CryptoX509Parser.certificate(&leafBytes)
  if !leafBytes.isEmpty { throw JWTFailure("x509: trailing data") }
  // Go tries PKCS #1, then PKCS #8, then SEC 1, whatever the block type says.
  let privateKey: PrivateKey
  if let key = try? rsaPrivateKey(keyDER[...]) {
    privateKey = key
  } else if let key = try? pkcs8PrivateKey(keyDER) {
    privateKey = key
  } else if let key = try? ecPrivateKey(keyDER[...], curve: nil) {
    privateKey = key
  } else {
    throw JWTFailure("tls: failed to parse private key")
  }
  try checkKeyMatches(privateKey, leaf)
  return .object(
    ValueObject([
      ("Certificate", .array(certificateBlocks.map { .string(JWTBase64.encodeStandard($0)) })),
      ("PrivateKey", privateKey.goJSON), ("SupportedSignatureAlgorithms", .null), ("OCSPStaple", .null),
      ("SignedCertificateTimestamps", .null), ("Leaf", leaf.json(uriStrings: false)),
    ]))
}

/// `tls.X509KeyPair`'s check that the private key belongs to the certificate.
private func checkKeyMatches(_ privateKey: PrivateKey, _ certificate: CryptoX509Certificate) throws(JWTFailure) {
  let mismatch = JWTFailure("tls: private key does not match public key")
  let wrongType = JWTFailure("tls: private key type does not match public key type")
  switch (certificate.publicKeyAlgorithm, privateKey) {
  case (1, .rsa(let n, _, _, _, _, _, _, _)):
    guard case .object(let key) = certificate.publicKeyJSON, key["N"] == CryptoX509Parser.integerValue(([0] + n)[...])
    else { throw mismatch }
  case (3, .ec(_, _, _, let x, let y)):
    guard case .object(let key) = certificate.publicKeyJSON,
      key["X"] == CryptoX509Parser.integerValue(([0] + x)[...]),
      key["Y"] == CryptoX509Parser.integerValue(([0] + y)[...])
    else { throw mismatch }
  case (4, .ed25519(_, let publicKey)):
    guard certificate.publicKeyJSON == .string(JWTBase64.encodeStandard(publicKey)) else { throw mismatch }
  case (1, _), (3, _), (4, _):
    throw wrongType
  default:
    throw JWTFailure("tls: unknown public key algorithm")
  }
}
