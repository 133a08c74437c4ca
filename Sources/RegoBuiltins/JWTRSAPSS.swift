internal import Crypto
internal import _CryptoExtras

// RSASSA-PSS verification with the salt length recovered from the signature (RFC 8017 section
// 9.1.2, Go's `rsa.PSSSaltLengthAuto`). OPA's `io.jwt.verify_ps*` call Go's `rsa.VerifyPSS` with
// nil options, which accepts any salt length; swift-crypto only checks a salt as long as the
// hash. The RSA public operation needs only a small modular exponentiation, done here on 32-bit
// limbs (Knuth's algorithm D for the reductions).

enum JWTRSAPSS {
  /// Verifies an RSASSA-PSS (MGF1) signature over `message` whatever its salt length.
  static func verify(_ key: _RSA.Signing.PublicKey, _ message: [UInt8], _ signature: [UInt8], hash: JWTHash) -> Bool {
    guard let (modulus, exponent) = numbers(key) else { return false }
    let modulusBytes = modulus.drop { $0 == 0 }
    let size = modulusBytes.count
    guard size > 0, signature.count == size else { return false }
    let n = limbs(Array(modulusBytes))
    let s = limbs(signature)
    guard compare(s, n) < 0 else { return false }
    let m = power(s, limbs(exponent), n)
    let modulusBits = bitLength(n)
    let emBits = modulusBits - 1
    let emLength = (emBits + 7) / 8
    let encoded = bytes(m, count: size)
    // With emBits a multiple of 8 the encoded message is one byte shorter than the modulus.
    guard encoded[..<(size - emLength)].allSatisfy({ $0 == 0 }) else { return false }
    return matches(Array(encoded[(size - emLength)...]), emBits: emBits, digest: digest(message, hash), hash: hash)
  }

  /// EMSA-PSS-VERIFY with automatic salt length.
  private static func matches(_ encoded: [UInt8], emBits: Int, digest messageHash: [UInt8], hash: JWTHash) -> Bool {
    let hashLength = messageHash.count
    let emLength = encoded.count
    guard emLength >= hashLength + 2, encoded.last == 0xbc else { return false }
    let dbLength = emLength - hashLength - 1
    var db = Array(encoded[..<dbLength])
    let h = Array(encoded[dbLength..<(emLength - 1)])
    let unusedBits = 8 * emLength - emBits
    let topMask: UInt8 = unusedBits >= 8 ? 0 : 0xff >> UInt8(unusedBits)
    guard db[0] & ~topMask == 0 else { return false }
    let mask = mgf1(h, length: dbLength, hash: hash)
    for index in 0..<dbLength { db[index] ^= mask[index] }
    db[0] &= topMask
    guard let separator = db.firstIndex(where: { $0 != 0 }), db[separator] == 0x01 else { return false }
    let salt = db[(separator + 1)...]
    let rebuilt = digest([UInt8](repeating: 0, count: 8) + messageHash + salt, hash)
    return rebuilt == h
  }

  private static func digest(_ data: [UInt8], _ hash: JWTHash) -> [UInt8] {
    switch hash {
    case .sha256: return Array(SHA256.hash(data: data))
    case .sha384: return Array(SHA384.hash(data: data))
    case .sha512: return Array(SHA512.hash(data: data))
    }
  }

  private static func mgf1(_ seed: [UInt8], length: Int, hash: JWTHash) -> [UInt8] {
    var out: [UInt8] = []
    var counter: UInt32 = 0
    while out.count < length {
      let counterBytes = (0..<4).map { UInt8(truncatingIfNeeded: counter >> (24 - 8 * UInt32($0))) }
      out += digest(seed + counterBytes, hash)
      counter += 1
    }
    return Array(out[..<length])
  }

  /// The modulus and public exponent, from the key's PKCS #1 encoding.
  private static func numbers(_ key: _RSA.Signing.PublicKey) -> ([UInt8], [UInt8])? {
    var reader = JWTDERReader(Array(key.pkcs1DERRepresentation)[...])
    guard let sequence = reader.read(tag: 0x30) else { return nil }
    var fields = JWTDERReader(sequence.content)
    guard let modulus = fields.read(tag: 0x02), let exponent = fields.read(tag: 0x02) else { return nil }
    return (Array(modulus.content), Array(exponent.content))
  }

  // MARK: Multi-precision arithmetic on little-endian 32-bit limbs

  private static func limbs(_ bytes: [UInt8]) -> [UInt32] {
    var result: [UInt32] = []
    var index = bytes.count
    while index > 0 {
      let start = max(0, index - 4)
      var limb: UInt32 = 0
      for byte in bytes[start..<index] { limb = limb << 8 | UInt32(byte) }
      result.append(limb)
      index = start
    }
    return trimmed(result)
  }

  private static func bytes(_ value: [UInt32], count: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    for (index, limb) in value.enumerated() {
      for shift in 0..<4 {
        let position = count - 1 - (index * 4 + shift)
        if position >= 0 { out[position] = UInt8(truncatingIfNeeded: limb >> (8 * UInt32(shift))) }
      }
    }
    return out
  }

  private static func trimmed(_ value: [UInt32]) -> [UInt32] {
    var value = value
    while let last = value.last, last == 0 { value.removeLast() }
    return value
  }

  private static func bitLength(_ value: [UInt32]) -> Int {
    guard let last = value.last else { return 0 }
    return (value.count - 1) * 32 + (32 - last.leadingZeroBitCount)
  }

  private static func compare(_ lhs: [UInt32], _ rhs: [UInt32]) -> Int {
    if lhs.count != rhs.count { return lhs.count < rhs.count ? -1 : 1 }
    for index in stride(from: lhs.count - 1, through: 0, by: -1) where lhs[index] != rhs[index] {
      return lhs[index] < rhs[index] ? -1 : 1
    }
    return 0
  }

  private static func multiply(_ lhs: [UInt32], _ rhs: [UInt32]) -> [UInt32] {
    if lhs.isEmpty || rhs.isEmpty { return [] }
    var result = [UInt32](repeating: 0, count: lhs.count + rhs.count)
    for i in 0..<lhs.count {
      var carry: UInt64 = 0
      let a = UInt64(lhs[i])
      for j in 0..<rhs.count {
        let t = a * UInt64(rhs[j]) + UInt64(result[i + j]) + carry
        result[i + j] = UInt32(truncatingIfNeeded: t)
        carry = t >> 32
      }
      result[i + rhs.count] = UInt32(carry)
    }
    return trimmed(result)
  }

  /// `u mod v` (Knuth, TAOCP 4.3.1 algorithm D); `v` has no leading zero limbs.
  private static func remainder(_ u: [UInt32], _ v: [UInt32]) -> [UInt32] {
    if compare(u, v) < 0 { return u }
    if v.count == 1 {
      var rest: UInt64 = 0
      for limb in u.reversed() { rest = (rest << 32 | UInt64(limb)) % UInt64(v[0]) }
      return trimmed([UInt32(rest)])
    }
    let n = v.count
    let m = u.count - n
    let shift = UInt32(v[n - 1].leadingZeroBitCount)
    func shifted(_ value: [UInt32], extra: Bool) -> [UInt32] {
      var out = [UInt32](repeating: 0, count: value.count + (extra ? 1 : 0))
      for index in 0..<value.count {
        out[index] |= shift == 0 ? value[index] : value[index] << shift
        if shift != 0, index + 1 < out.count { out[index + 1] = value[index] >> (32 - shift) }
      }
      return out
    }
    let vn = shifted(v, extra: false)
    var un = shifted(u, extra: true)
    let base: UInt64 = 1 << 32
    for j in stride(from: m, through: 0, by: -1) {
      let numerator = UInt64(un[j + n]) << 32 | UInt64(un[j + n - 1])
      var qhat = numerator / UInt64(vn[n - 1])
      var rhat = numerator % UInt64(vn[n - 1])
      while qhat >= base || qhat * UInt64(vn[n - 2]) > (rhat << 32 | UInt64(un[j + n - 2])) {
        qhat -= 1
        rhat += UInt64(vn[n - 1])
        if rhat >= base { break }
      }
      // un[j...j+n] -= qhat * vn
      var borrow: Int64 = 0
      var carry: UInt64 = 0
      for i in 0..<n {
        let product = qhat * UInt64(vn[i]) + carry
        carry = product >> 32
        let t = Int64(un[i + j]) - Int64(product & 0xffff_ffff) + borrow
        un[i + j] = UInt32(truncatingIfNeeded: t)
        borrow = t >> 32
      }
      let t = Int64(un[j + n]) - Int64(carry) + borrow
      un[j + n] = UInt32(truncatingIfNeeded: t)
      if t < 0 {
        // Subtracted one time too many: add back.
        var addCarry: UInt64 = 0
        for i in 0..<n {
          let sum = UInt64(un[i + j]) + UInt64(vn[i]) + addCarry
          un[i + j] = UInt32(truncatingIfNeeded: sum)
          addCarry = sum >> 32
        }
        un[j + n] = UInt32(truncatingIfNeeded: UInt64(un[j + n]) + addCarry)
      }
    }
    // Unnormalise the low n limbs.
    var result = [UInt32](repeating: 0, count: n)
    for index in 0..<n {
      result[index] = shift == 0 ? un[index] : un[index] >> shift | un[index + 1] << (32 - shift)
    }
    return trimmed(result)
  }

  private static func power(_ base: [UInt32], _ exponent: [UInt32], _ modulus: [UInt32]) -> [UInt32] {
    var result: [UInt32] = [1]
    let bits = bitLength(exponent)
    guard bits > 0 else { return remainder(result, modulus) }
    let reduced = remainder(base, modulus)
    for bit in stride(from: bits - 1, through: 0, by: -1) {
      result = remainder(multiply(result, result), modulus)
      if exponent[bit / 32] >> UInt32(bit % 32) & 1 == 1 {
        result = remainder(multiply(result, reduced), modulus)
      }
    }
    return result
  }
}
