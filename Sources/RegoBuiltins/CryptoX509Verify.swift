internal import Crypto
internal import _CryptoExtras

// Certificate chain verification for `crypto.x509.parse_and_verify_certificates`, following Go's
// `Certificate.Verify` with one root, intermediates and a leaf: parents are found by subject
// name, each signature is checked (SHA-1 and MD5 signatures are refused, as in Go), every
// certificate must be within its validity period, CA certificates must say so in their basic
// constraints (and key usage, when present), path length limits apply, and the chain must allow
// server authentication. Name constraints are not checked.

enum CryptoX509Verifier {
  /// The first verified chain, leaf first, or nil.
  static func verify(
    leaf: CryptoX509Certificate, intermediates: [CryptoX509Certificate], root: CryptoX509Certificate,
    at now: TimeInstant
  ) -> [CryptoX509Certificate]? {
    guard isValid(leaf, chain: [], intermediate: false, now: now) else { return nil }
    var chains: [[CryptoX509Certificate]] = []
    if leaf.raw == root.raw {
      chains = [[leaf]]
    } else {
      var signatureChecks = 0
      chains = build([leaf], root: root, intermediates: intermediates, now: now, checks: &signatureChecks)
    }
    return chains.first(where: allowsServerAuthentication)
  }

  private static func build(
    _ chain: [CryptoX509Certificate], root: CryptoX509Certificate, intermediates: [CryptoX509Certificate],
    now: TimeInstant, checks: inout Int
  ) -> [[CryptoX509Certificate]] {
    guard let certificate = chain.last else { return [] }
    var chains: [[CryptoX509Certificate]] = []
    func consider(_ candidate: CryptoX509Certificate, isRoot: Bool) {
      guard candidate.publicKey != nil else { return }
      if chain.contains(where: {
        $0.rawSubject == candidate.rawSubject && $0.rawSubjectPublicKeyInfo == candidate.rawSubjectPublicKeyInfo
      }) {
        return
      }
      checks += 1
      guard checks <= 100 else { return }
      guard signatureFrom(candidate, covers: certificate) else { return }
      guard isValid(candidate, chain: chain, intermediate: !isRoot, now: now) else { return }
      if isRoot {
        chains.append(chain + [candidate])
      } else {
        chains += build(chain + [candidate], root: root, intermediates: intermediates, now: now, checks: &checks)
      }
    }
    for candidate in parents(of: certificate, in: [root]) { consider(candidate, isRoot: true) }
    for candidate in parents(of: certificate, in: intermediates) { consider(candidate, isRoot: false) }
    return chains
  }

  /// Go's `findPotentialParents`: same subject as the issuer, key-identifier matches first.
  private static func parents(of certificate: CryptoX509Certificate, in pool: [CryptoX509Certificate])
    -> [CryptoX509Certificate]
  {
    var matching: [CryptoX509Certificate] = []
    var oneKeyID: [CryptoX509Certificate] = []
    var mismatched: [CryptoX509Certificate] = []
    for candidate in pool where candidate.rawSubject == certificate.rawIssuer {
      let subjectKey = candidate.subjectKeyId ?? []
      let authorityKey = certificate.authorityKeyId ?? []
      if subjectKey == authorityKey {
        matching.append(candidate)
      } else if subjectKey.isEmpty != authorityKey.isEmpty {
        oneKeyID.append(candidate)
      } else {
        mismatched.append(candidate)
      }
    }
    return matching + oneKeyID + mismatched
  }

  /// Go's `isValid` (without name constraints).
  private static func isValid(
    _ certificate: CryptoX509Certificate, chain: [CryptoX509Certificate], intermediate: Bool, now: TimeInstant
  ) -> Bool {
    if !certificate.unhandledCriticalExtensions.isEmpty { return false }
    if now < certificate.notBefore || now > certificate.notAfter { return false }
    if intermediate && !(certificate.basicConstraintsValid && certificate.isCA) { return false }
    if certificate.basicConstraintsValid && certificate.maxPathLen >= 0 && chain.count - 1 > certificate.maxPathLen {
      return false
    }
    return true
  }

  /// Go's `CheckSignatureFrom`: the parent may sign certificates and its key verifies the child.
  private static func signatureFrom(_ parent: CryptoX509Certificate, covers child: CryptoX509Certificate) -> Bool {
    if (parent.version == 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA) {
      return false
    }
    let certificateSign = 1 << 5
    if parent.keyUsage != 0 && parent.keyUsage & certificateSign == 0 { return false }
    guard let key = parent.publicKey else { return false }
    let message = child.rawTBS
    let signature = child.signature
    switch child.signatureAlgorithm {
    case 4: return JWTSignatures.verifyRSA(key, message, signature, hash: .sha256, pss: false)
    case 5: return JWTSignatures.verifyRSA(key, message, signature, hash: .sha384, pss: false)
    case 6: return JWTSignatures.verifyRSA(key, message, signature, hash: .sha512, pss: false)
    case 13: return rsaPSS(key, message, signature, .sha256)
    case 14: return rsaPSS(key, message, signature, .sha384)
    case 15: return rsaPSS(key, message, signature, .sha512)
    case 10: return ecdsa(key, message, signature, .sha256)
    case 11: return ecdsa(key, message, signature, .sha384)
    case 12: return ecdsa(key, message, signature, .sha512)
    case 16: return JWTSignatures.verifyEdDSA(key, message, signature)
    default: return false  // SHA-1, MD5, MD2, DSA: insecure or unsupported, as in Go
    }
  }

  /// RSASSA-PSS with a salt as long as the hash (Go's choice for certificates).
  private static func rsaPSS(_ key: JWTKey, _ message: [UInt8], _ signature: [UInt8], _ hash: JWTHash) -> Bool {
    guard case .rsaPublic(let publicKey) = key else { return false }
    let parsed = _RSA.Signing.RSASignature(rawRepresentation: signature)
    switch hash {
    case .sha256: return publicKey.isValidSignature(parsed, for: SHA256.hash(data: message), padding: .PSS)
    case .sha384: return publicKey.isValidSignature(parsed, for: SHA384.hash(data: message), padding: .PSS)
    case .sha512: return publicKey.isValidSignature(parsed, for: SHA512.hash(data: message), padding: .PSS)
    }
  }

  /// ECDSA with an ASN.1 DER signature.
  private static func ecdsa(_ key: JWTKey, _ message: [UInt8], _ signature: [UInt8], _ hash: JWTHash) -> Bool {
    func check(_ verify: (any Digest) -> Bool) -> Bool {
      switch hash {
      case .sha256: return verify(SHA256.hash(data: message))
      case .sha384: return verify(SHA384.hash(data: message))
      case .sha512: return verify(SHA512.hash(data: message))
      }
    }
    switch key {
    case .p256Public(let publicKey):
      guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
      return check { publicKey.isValidSignature(parsed, for: $0) }
    case .p384Public(let publicKey):
      guard let parsed = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
      return check { publicKey.isValidSignature(parsed, for: $0) }
    case .p521Public(let publicKey):
      guard let parsed = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
      return check { publicKey.isValidSignature(parsed, for: $0) }
    default:
      return false
    }
  }

  /// Go's `checkChainForKeyUsage` for server authentication.
  private static func allowsServerAuthentication(_ chain: [CryptoX509Certificate]) -> Bool {
    let any = 0
    let serverAuthentication = 1
    for certificate in chain.reversed() {
      if certificate.extKeyUsage.isEmpty && certificate.unknownExtKeyUsage.isEmpty { continue }
      if certificate.extKeyUsage.contains(any) { continue }
      if !certificate.extKeyUsage.contains(serverAuthentication) { return false }
    }
    return true
  }
}
