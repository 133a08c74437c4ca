internal import Crypto
internal import _CryptoExtras

// JWS signature algorithms (RFC 7518 section 3) over swift-crypto, for the `io.jwt` builtins.

enum JWTHash {
  case sha256, sha384, sha512

  /// The hash an algorithm name ends in: "RS256" → SHA-256.
  init?(algorithm: String) {
    if algorithm.hasSuffix("256") {
      self = .sha256
    } else if algorithm.hasSuffix("384") {
      self = .sha384
    } else if algorithm.hasSuffix("512") {
      self = .sha512
    } else {
      return nil
    }
  }
}

enum JWTSignatures {
  // MARK: Verification, one family at a time (OPA's io.jwt.verify_* builtins)

  /// RSASSA-PKCS1-v1_5 or RSASSA-PSS (salt as long as the hash).
  static func verifyRSA(_ key: JWTKey, _ message: [UInt8], _ signature: [UInt8], hash: JWTHash, pss: Bool) -> Bool {
    guard case .rsaPublic(let publicKey) = key.publicKey else { return false }
    let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
    let padding: _RSA.Signing.Padding = pss ? .PSS : .insecurePKCS1v1_5
    let valid: Bool
    switch hash {
    case .sha256: valid = publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: message), padding: padding)
    case .sha384: valid = publicKey.isValidSignature(rsaSignature, for: SHA384.hash(data: message), padding: padding)
    case .sha512: valid = publicKey.isValidSignature(rsaSignature, for: SHA512.hash(data: message), padding: padding)
    }
    // swift-crypto only accepts a PSS salt as long as the hash; Go accepts any length.
    if !valid && pss { return JWTRSAPSS.verify(publicKey, message, signature, hash: hash) }
    return valid
  }

  /// ECDSA with a raw `r || s` signature. OPA's `verify_es*` splits the signature in half
  /// whatever its length; `exactLength` requires twice the curve size, as jwx does.
  static func verifyECDSA(
    _ key: JWTKey, _ message: [UInt8], _ signature: [UInt8], hash: JWTHash, exactLength: Bool
  ) -> Bool {
    let size: Int
    switch key.publicKey {
    case .p256Public: size = 32
    case .p384Public: size = 48
    case .p521Public: size = 66
    default: return false
    }
    if exactLength && signature.count != 2 * size { return false }
    let half = signature.count / 2
    guard let r = fixed(signature[..<half], size), let s = fixed(signature[half...], size) else { return false }
    let raw = r + s
    switch key.publicKey {
    case .p256Public(let publicKey):
      guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
      return isValid { digest in publicKey.isValidSignature(parsed, for: digest) } (message, hash)
    case .p384Public(let publicKey):
      guard let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
      return isValid { digest in publicKey.isValidSignature(parsed, for: digest) } (message, hash)
    case .p521Public(let publicKey):
      guard let parsed = try? P521.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
      return isValid { digest in publicKey.isValidSignature(parsed, for: digest) } (message, hash)
    default:
      return false
    }
  }

  /// Applies a digest-generic check with the chosen hash of `message`.
  private static func isValid(
    _ check: @escaping (any Digest) -> Bool
  ) -> ([UInt8], JWTHash) -> Bool {
    { message, hash in
      switch hash {
      case .sha256: return check(SHA256.hash(data: message))
      case .sha384: return check(SHA384.hash(data: message))
      case .sha512: return check(SHA512.hash(data: message))
      }
    }
  }

  /// A big-endian integer as exactly `size` bytes, or nil when it does not fit.
  private static func fixed(_ bytes: ArraySlice<UInt8>, _ size: Int) -> [UInt8]? {
    let trimmed = bytes.drop { $0 == 0 }
    guard trimmed.count <= size else { return nil }
    return [UInt8](repeating: 0, count: size - trimmed.count) + trimmed
  }

  /// Ed25519 over the message itself.
  static func verifyEdDSA(_ key: JWTKey, _ message: [UInt8], _ signature: [UInt8]) -> Bool {
    guard case .ed25519Public(let publicKey) = key.publicKey else { return false }
    return publicKey.isValidSignature(signature, for: message)
  }

  /// HMAC with a constant-time comparison.
  static func verifyHMAC(_ secret: [UInt8], _ message: [UInt8], _ signature: [UInt8], hash: JWTHash) -> Bool {
    let expected = hmac(secret, message, hash: hash)
    guard expected.count == signature.count else { return false }
    var difference: UInt8 = 0
    for index in 0..<expected.count { difference |= expected[index] ^ signature[index] }
    return difference == 0
  }

  static func hmac(_ secret: [UInt8], _ message: [UInt8], hash: JWTHash) -> [UInt8] {
    let key = SymmetricKey(data: secret)
    switch hash {
    case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
    case .sha384: return Array(HMAC<SHA384>.authenticationCode(for: message, using: key))
    case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
    }
  }

  // MARK: By algorithm name (jwx's jwsbb.Verify and jwsbb.Sign)

  /// Verifies with the algorithm the token names; any mismatch of key and algorithm fails.
  static func verify(_ key: JWTKey, algorithm: String, _ message: [UInt8], _ signature: [UInt8]) -> Bool {
    guard JWTKeys.algorithms.contains(algorithm) else { return false }
    if algorithm == "EdDSA" { return verifyEdDSA(key, message, signature) }
    guard let hash = JWTHash(algorithm: algorithm) else { return false }
    switch algorithm.prefix(2) {
    case "HS":
      guard case .secret(let secret) = key else { return false }
      return verifyHMAC(secret, message, signature, hash: hash)
    case "RS": return verifyRSA(key, message, signature, hash: hash, pss: false)
    case "PS": return verifyRSA(key, message, signature, hash: hash, pss: true)
    case "ES": return verifyECDSA(key, message, signature, hash: hash, exactLength: true)
    default: return false
    }
  }

  /// Signs `message` with `algorithm` (one of `JWTKeys.algorithms`).
  static func sign(_ key: JWTKey, algorithm: String, _ message: [UInt8]) throws(JWTFailure) -> [UInt8] {
    func mismatch(_ required: String) -> JWTFailure {
      JWTFailure("jwsbb.Sign: invalid key type for \(algorithm). \(required) is required")
    }
    if algorithm == "EdDSA" {
      guard case .ed25519Private(let privateKey) = key else { throw mismatch("ed25519.PrivateKey") }
      do {
        return Array(try privateKey.signature(for: message))
      } catch {
        throw JWTFailure("jwsbb.Sign: failed to sign payload using ed25519")
      }
    }
    guard let hash = JWTHash(algorithm: algorithm) else {
      throw JWTFailure("jwsbb.Sign: unsupported signature algorithm \"\(algorithm)\"")
    }
    do {
      switch algorithm.prefix(2) {
      case "HS":
        guard case .secret(let secret) = key else { throw mismatch("[]byte") }
        return hmac(secret, message, hash: hash)
      case "RS", "PS":
        guard case .rsaPrivate(let privateKey) = key else { throw mismatch("*rsa.PrivateKey") }
        let padding: _RSA.Signing.Padding = algorithm.hasPrefix("PS") ? .PSS : .insecurePKCS1v1_5
        let signature: _RSA.Signing.RSASignature
        switch hash {
        case .sha256: signature = try privateKey.signature(for: SHA256.hash(data: message), padding: padding)
        case .sha384: signature = try privateKey.signature(for: SHA384.hash(data: message), padding: padding)
        case .sha512: signature = try privateKey.signature(for: SHA512.hash(data: message), padding: padding)
        }
        return Array(signature.rawRepresentation)
      case "ES":
        switch key {
        case .p256Private(let privateKey):
          return try ecdsaSign(hash, message) { try privateKey.signature(for: $0).rawRepresentation }
        case .p384Private(let privateKey):
          return try ecdsaSign(hash, message) { try privateKey.signature(for: $0).rawRepresentation }
        case .p521Private(let privateKey):
          return try ecdsaSign(hash, message) { try privateKey.signature(for: $0).rawRepresentation }
        default: throw mismatch("*ecdsa.PrivateKey")
        }
      default:
        throw JWTFailure("jwsbb.Sign: unsupported signature algorithm \"\(algorithm)\"")
      }
    } catch let failure as JWTFailure {
      throw failure
    } catch {
      throw JWTFailure("jwsbb.Sign: failed to sign payload: \(error)")
    }
  }

  private static func ecdsaSign<Raw: Sequence>(
    _ hash: JWTHash, _ message: [UInt8], _ sign: (any Digest) throws -> Raw
  ) throws -> [UInt8] where Raw.Element == UInt8 {
    switch hash {
    case .sha256: return Array(try sign(SHA256.hash(data: message)))
    case .sha384: return Array(try sign(SHA384.hash(data: message)))
    case .sha512: return Array(try sign(SHA512.hash(data: message)))
    }
  }
}
