import PolicyCore
import RegoBuiltins
import Testing

private func call(_ name: String, _ arguments: Value...) throws -> Value {
  try BuiltinRegistry.standard[name]!.implementation(BuiltinArguments(arguments), BuiltinContext(now: 0))
}

private func number(_ text: String) -> Value { .number(Number(literal: text)!) }

/// The printed text of a number result.
private func text(_ value: Value) -> String? { value.numberValue?.text }

@Suite("units builtins")
struct UnitsTests {
  @Test("units.parse: decimal and binary suffixes")
  func parse() throws {
    #expect(try call("units.parse", "\"100TI\"") == 109_951_162_777_600)
    #expect(try call("units.parse", "0") == 0)
    #expect(try call("units.parse", "0.0") == 0)
    #expect(try call("units.parse", ".0") == 0)
    #expect(try call("units.parse", "12345") == 12345)
    #expect(try call("units.parse", "10K") == 10000)
    #expect(try call("units.parse", "10KI") == 10240)
    #expect(try call("units.parse", "10k") == 10000)
    #expect(try call("units.parse", "10Ki") == 10240)
    #expect(try call("units.parse", "200M") == 200_000_000)
    #expect(try call("units.parse", "300Gi") == 322_122_547_200)
    #expect(try call("units.parse", "1.1K") == 1100)
    #expect(try call("units.parse", "1.1Ki") == number("1126.4"))
    #expect(try call("units.parse", ".5K") == 500)
    #expect(try call("units.parse", "100mi") == 104_857_600)
    #expect(try call("units.parse", "100g") == 100_000_000_000)
    #expect(try call("units.parse", "100t") == 100_000_000_000_000)
    #expect(try call("units.parse", "100Ti") == 109_951_162_777_600)
    #expect(try call("units.parse", "100p") == 100_000_000_000_000_000)
    #expect(try call("units.parse", "100Pi") == 112_589_990_684_262_400)
    #expect(try call("units.parse", "10e") == number("10000000000000000000"))
    #expect(try call("units.parse", "10Ei") == number("11529215046068469760"))
    #expect(try call("units.parse", "1e10") == 10_000_000_000)
    #expect(try call("units.parse", "3.2E4") == 32000)
    #expect(try call("units.parse", "2.5e3K") == 2_500_000)
    #expect(try call("units.parse", "1e3M") == 1_000_000_000)
    #expect(try call("units.parse", "4E2G") == 400_000_000_000)
    #expect(try call("units.parse", "5e1Gi") == 53_687_091_200)
    #expect(try call("units.parse", "1e-2") == number("0.01"))
    #expect(try call("units.parse", "7.8E-1") == number("0.78"))
    #expect(try call("units.parse", "6e3Mi") == 6_291_456_000)
    #expect(try call("units.parse", "5E") != 5)
    #expect(try call("units.parse", "42") == 42)
    #expect(try call("units.parse", "-3.5E2m") == number("-0.35"))
  }

  @Test("units.parse: milli is the float64 0.001, printed with ten decimals")
  func parseMilli() throws {
    #expect(try call("units.parse", "500m") == number("0.5"))
    #expect(try call("units.parse", "0.0005K") == number("0.5"))
    #expect(try call("units.parse", "0.0000005M") == number("0.5"))
    #expect(text(try call("units.parse", "1m")) == "0.0010000000")
    #expect(text(try call("units.parse", "1000m")) == "1.0000000000")
    #expect(text(try call("units.parse", "100m")) == "0.1000000000")
    #expect(text(try call("units.parse", "1.1Ki")) == "1126.4000000000")
    #expect(text(try call("units.parse", "1G")) == "1000000000")
    #expect(text(try call("units.parse", "0.00000000005")) == "0.0000000001")
    #expect(text(try call("units.parse", "-0.00000000001")) == "-0.0000000000")
    #expect(text(try call("units.parse", "9.99999999999")) == "10.0000000000")
  }

  @Test("units.parse: comparisons")
  func parseComparisons() throws {
    #expect(try call("units.parse", "8k") > call("units.parse", "7k"))
    #expect(try call("units.parse", "8g") > call("units.parse", "8m"))
    #expect(try call("units.parse", "1234k") < call("units.parse", "1g"))
    #expect(try call("units.parse", "1024") == call("units.parse", "1Ki"))
    #expect(try call("units.parse", "2Mi") == call("units.parse", "2097152"))
    #expect(try call("units.parse", "3Mi") > call("units.parse", "3M"))
    #expect(try call("units.parse", "4.1Mi") > call("units.parse", "4Mi"))
    #expect(try call("units.parse", "128Gi") == call("units.parse", "137438953472"))
  }

  @Test("units.parse: errors keep OPA's own builtin-name prefix")
  func parseErrors() throws {
    let noAmount = BuiltinError.failure("units.parse: no amount provided")
    #expect(throws: noAmount) { try call("units.parse", "") }
    #expect(throws: noAmount) { try call("units.parse", "G") }
    #expect(throws: noAmount) { try call("units.parse", "foo") }
    let notANumber = BuiltinError.failure("units.parse: could not parse amount to a number")
    #expect(throws: notANumber) { try call("units.parse", "0.0.0") }
    #expect(throws: notANumber) { try call("units.parse", ".5.2") }
    let spaces = BuiltinError.failure("units.parse: spaces not allowed in resource strings")
    #expect(throws: spaces) { try call("units.parse", "100 k") }
    #expect(throws: spaces) { try call("units.parse", " 327Mi ") }
    #expect(throws: BuiltinError.failure("units.parse: exponent too large")) {
      try call("units.parse", "10e10000000Ei")
    }
    #expect(throws: BuiltinError.failure("units.parse: unit Kb not recognized")) { try call("units.parse", "1KB") }
    #expect(throws: BuiltinError(.type, "operand 1 must be string but got number")) { try call("units.parse", 1) }
  }

  @Test("units.parse_bytes: truncated 64-bit binary float arithmetic")
  func parseBytes() throws {
    #expect(try call("units.parse_bytes", "\"100TIB\"") == 109_951_162_777_600)
    #expect(try call("units.parse_bytes", "0") == 0)
    #expect(try call("units.parse_bytes", "0.0") == 0)
    #expect(try call("units.parse_bytes", ".0") == 0)
    #expect(try call("units.parse_bytes", "12345") == 12345)
    #expect(try call("units.parse_bytes", "10KB") == 10000)
    #expect(try call("units.parse_bytes", "10KIB") == 10240)
    #expect(try call("units.parse_bytes", "10Kib") == 10240)
    #expect(try call("units.parse_bytes", "200mb") == 200_000_000)
    #expect(try call("units.parse_bytes", "300GiB") == 322_122_547_200)
    #expect(try call("units.parse_bytes", "1.1KB") == 1100)
    #expect(try call("units.parse_bytes", "1.1KiB") == 1126)
    #expect(try call("units.parse_bytes", ".5KB") == 500)
    #expect(try call("units.parse_bytes", "100m") == 100_000_000)
    #expect(try call("units.parse_bytes", "100pib") == 112_589_990_684_262_400)
    #expect(try call("units.parse_bytes", "10e") == number("10000000000000000000"))
    #expect(try call("units.parse_bytes", "10eib") == number("11529215046068469760"))
    #expect(try call("units.parse_bytes", "1e3KB") == 1_000_000)
    #expect(try call("units.parse_bytes", "3.2E2MiB") == 335_544_320)
    #expect(try call("units.parse_bytes", "4.5e1GiB") == 48_318_382_080)
    #expect(try call("units.parse_bytes", "5e6") == 5_000_000)
    #expect(try call("units.parse_bytes", "1e-2KB") == 10)
    #expect(try call("units.parse_bytes", "6.4E1GB") == 64_000_000_000)
    #expect(try call("units.parse_bytes", "7.5e1TiB") == 82_463_372_083_200)
    #expect(try call("units.parse_bytes", "5e2MiB") == 524_288_000)
    #expect(try call("units.parse_bytes", "5E") != 5)
    #expect(try call("units.parse_bytes", "2e2GiB") == 214_748_364_800)
    #expect(try call("units.parse_bytes", "0.1kb") == 100)
    #expect(try call("units.parse_bytes", "-5kb") == -5000)
    #expect(try call("units.parse_bytes", "4.1Mi") == 4_299_161)
    // Large amounts keep big.Float's 64-bit mantissa rounding, as in OPA.
    #expect(try call("units.parse_bytes", "1e30kb") == number("1000000000000000000040638980554752"))
    #expect(try call("units.parse_bytes", "123456789012345678901234567890") == number("123456789012345678899921813504"))
  }

  @Test("units.parse_bytes: comparisons and errors")
  func parseBytesErrors() throws {
    #expect(try call("units.parse_bytes", "8kb") > call("units.parse_bytes", "7kb"))
    #expect(try call("units.parse_bytes", "3MiB") > call("units.parse_bytes", "3MB"))
    #expect(try call("units.parse_bytes", "2MiB") == call("units.parse_bytes", "2Mi"))
    #expect(try call("units.parse_bytes", "1024") == call("units.parse_bytes", "1KiB"))
    let noAmount = BuiltinError.failure("units.parse_bytes: no byte amount provided")
    #expect(throws: noAmount) { try call("units.parse_bytes", "") }
    #expect(throws: noAmount) { try call("units.parse_bytes", "GB") }
    #expect(throws: noAmount) { try call("units.parse_bytes", "foo") }
    let notANumber = BuiltinError.failure("units.parse_bytes: could not parse byte amount to a number")
    #expect(throws: notANumber) { try call("units.parse_bytes", "0.0.0") }
    #expect(throws: notANumber) { try call("units.parse_bytes", ".5.2") }
    let spaces = BuiltinError.failure("units.parse_bytes: spaces not allowed in resource strings")
    #expect(throws: spaces) { try call("units.parse_bytes", "100 kb") }
    #expect(throws: spaces) { try call("units.parse_bytes", " 327MiB ") }
    #expect(throws: BuiltinError.failure("units.parse_bytes: exponent too large")) {
      try call("units.parse_bytes", "10e10000000EiB")
    }
    #expect(throws: BuiltinError.failure("units.parse_bytes: byte unit xb not recognized")) {
      try call("units.parse_bytes", "1xb")
    }
  }

  /// Expected values from Go's math/big (big.Float.SetString, Mul and Int, as OPA calls them).
  @Test("units.parse_bytes: agrees with Go's big.Float on random amounts")
  func parseBytesAgainstGo() throws {
    let cases: [(String, String)] = [
      (".1e-35mib", "0"),
      ("8995369063.5e-6eib", "10370954435184304018432"),
      ("14583.02320e-13eib", "1681308104"),
      ("2171480088e", "2171480087999999999976931328"),
      ("72.08993245294e-10kib", "0"),
      ("4.409e-47mb", "0"),
      ("7372036.051eib", "8499378895934838488432640"),
      ("298.1418mib", "312624336"),
      ("6614968021002110472", "6614968021002110472"),
      ("5542597kib", "5675619328"),
      ("6e-26kb", "0"),
      ("63534853e34gb", "635348529999999999998747829047060557825310384455680"),
      ("703816560306.e-36mb", "0"),
      ("516690096343.1536615546e", "516690096343153661558919266304"),
      ("12e47gb", "1200000000000000000031915215336476694875040708695313874944"),
      ("108307248038.2e-47eib", "0"),
      ("4.mib", "4194304"),
      ("319361325792419900188mib", "334874621554112489263726592"),
      ("5916.kib", "6057984"),
      ("9445.71081800735e33", "9445710818007349999807293808577609728"),
      ("982811386214015555070e", "982811386214015555062072203188897841152"),
      ("-882081660822332361e43mib", "-9249296595784379777323793968572913404770583554802347734327778869248"),
      ("5412.64560728e", "5412645607280000000000"),
      (".25416920740044328920", "0"),
      ("381433201102891e10mib", "3999617002796650332208318382080"),
      ("-126568871306636305090.e13mib", "-1327170807992274702466189907664442490880"),
      ("283587.83e39kib", "290393937919999999991670743241130415063050485760"),
      ("-47068.3e24kb", "-47068299999999999999278244167680"),
      ("7276277693337852e45mb", "7276277693337852000150574226026386863931085537428810600431564619776"),
      ("7.3461gb", "7346100000"),
      ("6201.8324226e", "6201832422600000000000"),
      ("64.828857104863gb", "64828857104"),
      ("0140470719960769038844e-41gb", "0"),
      ("-8.621521kb", "-8621"),
      ("1.80145271kb", "1801"),
      ("9637226e-55e", "0"),
      ("083579775.78kib", "85585690398"),
      ("98680e-8kb", "0"),
      ("0934540e-8e", "9345400000000000"),
      ("51353633833129kb", "51353633833129000"),
      (".87e22kib", "8908800000000000000000000"),
      ("-2691224.3940937822e-46e", "0"),
      ("185798069548910890e-56kib", "0"),
      ("709706926071.9391e-14kb", "7"),
      ("4.7kib", "4812"),
      ("60005160626123431909.1e-52gb", "0"),
      (".00gb", "0"),
      ("283.6gb", "283600000000"),
      ("-94.32404kb", "-94324"),
      ("4.36e-40eib", "0"),
      ("604151787.56e-21eib", "696539"),
      ("0094026625536137991046e47mb", "9402662553613799104408314782019267073019817239891092786430190503627587584"),
      ("537581.kb", "537581000"),
      ("492449671198e1eib", "5677558158607452355907005972480"),
      ("12343kib", "12639232"),
      ("-733.61mib", "-769245839"),
      ("232624835146590601e-59mib", "0"),
      ("-5462901380051045108e-54kb", "0"),
      ("5508274103437553639e-20", "0"),
      ("7054.9059266e-46", "0"),
      (".8e-23mib", "0"),
      ("-.56697039mib", "-594511"),
      ("344644277.286221mb", "344644277286221"),
      ("-9306479035224e-30mb", "0"),
      ("359241134.7e43mib", "3766916320591872000077029154735982478969645823733415280640"),
      ("756504500844404339.623e-38eib", "0"),
      ("-522563843154642858e-19kib", "-53"),
      ("5775.2165e53e", "577521650000000000001348883271277936110127637412615726604963934565432295424"),
      ("-28931.05gb", "-28931050000000"),
      ("-3296.601e8eib", "-380072218500843634792857600000"),
      ("0025.073e-34e", "0"),
      ("742628.7671866040393gb", "742628767186604"),
      ("5771470342042e", "5771470342041999999895072669696"),
      ("495689.245885e1kib", "5075857877"),
      ("13304589380968e-43e", "0"),
      ("8.8e-34", "0"),
      ("899725e-35kib", "0"),
      ("2.9175e38", "291749999999999999998455680410631274496"),
      ("648955302469.91mib", "680478955242688348"),
      ("0e-21e", "0"),
    ]
    for (input, expected) in cases {
      #expect(text(try call("units.parse_bytes", .string(input))) == expected, "\(input)")
    }
  }

  /// Expected values from Go's math/big (big.Rat.SetString, Mul, then Num().String() or
  /// FloatString(10), as OPA calls them).
  @Test("units.parse: agrees with Go's big.Rat on random amounts")
  func parseAgainstGo() throws {
    let cases: [(String, String)] = [
      ("-23324.0k", "-23324000"),
      ("8257k", "8257000"),
      ("938374328.923910454e9Ei", "1081871943187395166050507209104687104"),
      ("50436697e6G", "50436697000000000000000"),
      ("315946.993e-24Ki", "0.0000000000"),
      ("-13.196m", "-0.0131960000"),
      ("891343959623261026e-24k", "0.0008913440"),
      ("446623760e-35G", "0.0000000000"),
      ("60011639.9915e54m", "60011639991500001249243208701483753841898760583717375993728.6376953125"),
      ("947970013e7Ei", "10929350137101322877277306880000000"),
      ("797766589143467800e5m", "79776658914346781660.6853166445"),
      ("75523746468e21G", "75523746468000000000000000000000000000000"),
      ("113992902e48Ei", "131424868088340855864164352000000000000000000000000000000000000000000000000"),
      ("-7k", "-7000"),
      ("-92623k", "-92623000"),
      ("9694774m", "9694.7740000000"),
      ("0722661262298.e59k", "72266126229800000000000000000000000000000000000000000000000000000000000000"),
      ("5978765336985895.8190k", "5978765336985895819"),
      ("881122946Ei", "1015865592645937579264311296"),
      ("69287660556518097398.23e1Ki", "709505644098745317357875.2000000000"),
      ("-908079941.Ei", "-1046944891881016830162108416"),
      ("784140.8999Ei", "904052906136474983462233.7024000000"),
      ("-.4309615962Ei", "-496864891918672426.2261030912"),
      ("3.78999808214526e-8G", "37.8999808215"),
      ("29979.186e58m", "299791860000000006240671729385027788339357357472181320190429.6875000000"),
      ("1753826.514", "1753826.5140000000"),
      ("52332846526k", "52332846526000"),
      ("-000305372228236531339e4", "-3053722282365313390000"),
      ("-97170324744.4e4Ei", "-1120297570074495813056771129344000"),
      ("9416703.352e-19G", "0.0009416703"),
      ("5026.9158757k", "5026915.8757000000"),
      ("356985035e47Ei", "41157572367432792896700416000000000000000000000000000000000000000000000000"),
      (".9e27Ki", "921600000000000000000000000000"),
      ("2002846683.81e58k", "20028466838100000000000000000000000000000000000000000000000000000000000"),
      ("439806.98553777388957Ki", "450362353.1906804629"),
      ("291996536253593G", "291996536253593000000000"),
      ("-2835475228002", "-2835475228002"),
      ("29565971052563e-16Ki", "3.0275554358"),
      ("35758875046424448e-52Ki", "0.0000000000"),
      ("1857985784630.9Ki", "1902577443462041.6000000000"),
      ("88318.3518975774047e13k", "883183518975774047000"),
      ("482049558942.4880e-22k", "0.0000000482"),
      ("86541064133G", "86541064133000000000"),
      ("31590201853535960.1385e23G", "3159020185353596013850000000000000000000000000000"),
      ("35559120e22G", "355591200000000000000000000000000000000"),
      ("-.73782e25Ei", "-8506485445290238358323200000000000000000000"),
      ("68562662013000721.41623", "68562662013000721.4162300000"),
      ("-30599k", "-30599000"),
      ("8.349763Ki", "8550.1573120000"),
      ("50G", "50000000000"),
      ("-831018236749444.321351e10k", "-8310182367494443213510000000"),
      ("690985171354e47m", "69098517135400001438401837959568663194431792362593114376.0681152344"),
      ("314328176.660Ki", "321872052899.8400000000"),
      ("0927347723927093.08819Ei", "1069159133163759111549658722798602.8134400000"),
      ("2.135005161460164Ei", "2461493363094036540.9431482679"),
      ("9582352039168788.23Ki", "9812328488108839147.5200000000"),
      ("124.691593G", "124691593000"),
      ("1717839569043983538.39e13Ki", "17590677187010391433113600000000000"),
      ("5645499993799e-34k", "0.0000000000"),
      ("36518528442778930453e40G", "365185284427789304530000000000000000000000000000000000000000000000000"),
      ("-4.1391491108077Ki", "-4238.4886894671"),
      ("2914e-49k", "0.0000000000"),
      ("231.7G", "231700000000"),
      ("54.68021e-29m", "0.0000000000"),
      (
        "255393864636149e55Ei",
        "2944490786836663122914963609354240000000000000000000000000000000000000000000000000000000"
      ),
      ("130834697846937e-27Ei", "150842.1366964728"),
      ("39.29265e-25", "0.0000000000"),
      ("07476372731245937.96268e47Ki", "765580567679584047378432000000000000000000000000000000000000000000"),
      ("-8.4e42G", "-8400000000000000000000000000000000000000000000000000"),
      ("2.40181k", "2401.8100000000"),
      ("-.31m", "-0.0003100000"),
      ("9042362.0598438208752e43Ki", "92593787492800725762048000000000000000000000000000000"),
      ("8584546111493201790k", "8584546111493201790000"),
      (".1407k", "140.7000000000"),
      (
        "690412308381.2826289902e58Ei",
        "7959911973780347955988162036648328036352000000000000000000000000000000000000000000000000"
      ),
      ("896.343842e25Ei", "10334140909637219179739217920000000000000000000"),
      ("37235758531G", "37235758531000000000"),
      ("848e1Ei", "9776774359066062356480"),
      ("-6.62057343054979143753e-20k", "-0.0000000000"),
      ("-181e35", "-18100000000000000000000000000000000000"),
    ]
    for (input, expected) in cases {
      #expect(text(try call("units.parse", .string(input))) == expected, "\(input)")
    }
  }
}

@Suite("units limits")
struct UnitsLimitTests {
  @Test("long amounts stay fast and exact")
  func longAmounts() throws {
    let digits = String(repeating: "9", count: 200_000)
    let parsed = try call("units.parse", .string(digits + "k"))
    #expect(text(parsed) == digits + "000")
    let bytes = try call("units.parse_bytes", .string("0." + digits + "kb"))
    #expect(bytes == 1000)
    // format_int rounds to a 64-bit mantissa first, as OPA's big.Float does.
    let formatted = try call("format_int", number(String(repeating: "9", count: 3000)), 10).stringValue ?? ""
    #expect(formatted.count == 3000)
    #expect(formatted.hasPrefix("999999999999999999986303652052") && formatted.hasSuffix("9851944960"))
    // Integers of more than 2^17 bits are refused rather than printed.
    #expect(throws: BuiltinError.failure("number too large")) { try call("format_int", number(digits), 10) }
  }
}
