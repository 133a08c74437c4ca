// SQLKeywords: the word classes behind `@detectSQLi`'s fingerprints.
//
// Compiled here from the SQL dialects' own manuals (MySQL/MariaDB, SQL Server, PostgreSQL, Oracle,
// SQLite), not from any detector's tables. Words are matched case-insensitively. A word in `functions`
// only becomes a function token when a "(" follows it; otherwise it stays a bareword, so ordinary
// text ("user", "version", "left") does not look like code.

/// Word classes of the SQL fingerprint alphabet.
enum SQLKeywords {
  /// Lower-cased word to class letter; see `SQLTokenizer`'s header for the letters.
  static let classes: [String: UInt8] = {
    var table: [String: UInt8] = [:]
    func add(_ letter: Character, _ words: String) {
      guard let byte = letter.asciiValue else { return }
      for word in words.split(separator: " ") { table[String(word)] = byte }
    }
    // Set operations joining two queries.
    add("U", "union intersect except")
    // Statements that start a new query or change data.
    add("E", "select insert update delete drop create alter truncate grant revoke")
    // Procedural / server statements (T-SQL, PL/SQL, MySQL) that do not start a query.
    // `if` without a parenthesis is T-SQL's IF statement; `if(` is MySQL's function.
    add("T", "waitfor exec execute declare shutdown dbcc kill sp_executesql xp_cmdshell if")
    // Grouping clause heads; "by" follows them and folds in.
    add("B", "group order")
    // Logic connectives.
    add("&", "and or xor")
    // Words that behave as binary or unary operators.
    add("o", "not like rlike ilike regexp glob between is in div mod sounds escape collate")
    // Literals that stand where a value does.
    add("1", "null true false unknown current_date current_time current_timestamp localtime localtimestamp")
    // Clause and structure keywords.
    add(
      "k",
      """
      from where into table tables values set join inner outer cross natural left right full on using as \
      having limit offset fetch top distinct distinctrow all any some exists case when then else end \
      begin commit rollback procedure function trigger view index outfile dumpfile load_file by asc desc \
      with recursive returning delay column columns database databases schema schemata information_schema \
      sysobjects syscolumns sysdatabases master sys mysql pg_catalog dual rownum window over partition \
      for share nowait lock unlock character charset cast convert while loop return returns \
      identified password privileges show describe explain analyze handler prepare deallocate \
      straight_join high_priority low_priority sql_calc_found_rows binary unsigned signed varchar nvarchar \
      char int integer bigint decimal numeric float double text blob date datetime timestamp interval
      """)
    // Functions: only classified as such when a "(" follows.
    functions.split(separator: " ").forEach { table["\($0)(", default: UInt8(ascii: "f")] = UInt8(ascii: "f") }
    return table
  }()

  /// Names that are functions in at least one major dialect, including the ones injection payloads use
  /// for timing, error-based extraction, file and network access.
  static let functions = """
    abs acos ascii asin atan atan2 avg benchmark bin bit_and bit_length bit_or bit_xor ceil ceiling \
    char char_length character_length charindex chr coalesce collation compress concat concat_ws conv \
    convert cos cot count crc32 current_database current_schema current_user curdate curtime database \
    datalength date_add date_format date_sub datediff day db_name decode degrees des_decrypt des_encrypt \
    elt encode encrypt exists exp export_set extractvalue field file_name find_in_set floor format \
    found_rows from_base64 from_unixtime geometrycollection get_lock greatest group_concat hex host_name \
    if ifnull iif inet_aton inet_ntoa inet_server_addr insert instr is_srvrolemember isnull json_extract \
    json_keys last_insert_id lcase least left len length linestring ln load_extension load_file locate \
    log log10 log2 lower lpad ltrim make_set master_pos_wait max md5 mid min mod multilinestring \
    multipoint multipolygon name_const nchar now nullif object_id object_name oct ord pg_ls_dir \
    pg_read_file pg_sleep pi polygon position pow power quote radians rand randomblob release_lock repeat \
    replace reverse right round row row_count rpad rtrim schema sha sha1 sha2 sign sin sleep soundex \
    space sqlite_version sqrt std stddev str strcmp string_agg substr substring substring_index sum \
    suser_name sys_context system_user tan to_base64 to_char to_number trim ucase uncompress unhex \
    unix_timestamp updatexml upper user user_name utl_http.request utl_inaddr.get_host_address \
    utl_inaddr.get_host_name uuid values variance version xmltype dbms_pipe.receive_message \
    dbms_lock.sleep dbms_xmlgen.getxml ctxsys.drithsx.sn openrowset openquery opendatasource \
    lo_import lo_export array_agg current_setting has_database_privilege procedure_analyse \
    typeof unicode zeroblob sqlite_compileoption_used waitfor
    """

  /// `classes` keyed by bytes, so a lookup hashes the word where it lies (no `String`).
  static let table = WordTable(classes)

  /// Class of a word. `followedByParenthesis` decides between function and bareword.
  static func classify(_ word: UnsafeBufferPointer<UInt8>.SubSequence, followedByParenthesis: Bool) -> UInt8 {
    let bareword = UInt8(ascii: "n")
    guard word.count <= 40 else { return bareword }
    // The lowercased word, and room for the "(" of a function name, on the stack.
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 41) { buffer in
      var count = 0
      for byte in word {
        buffer[count] = isASCIILetter(byte) ? byte | 0x20 : byte
        count += 1
      }
      let plain = table.value(for: UnsafeBufferPointer(rebasing: buffer[0..<count]))
      // Operator words stay operators before a parenthesis too: `mod(10,5)`, `not(...)`, `in (1,2)`.
      if let plain, plain == UInt8(ascii: "o") || plain == UInt8(ascii: "&") { return plain }
      if followedByParenthesis {
        buffer[count] = UInt8(ascii: "(")
        if let letter = table.value(for: UnsafeBufferPointer(rebasing: buffer[0...count])) { return letter }
      }
      return plain ?? bareword
    }
  }

  /// Lower-cased text of a word, for the multi-word folds ("union all", "group by").
  static func lowered(_ word: UnsafeBufferPointer<UInt8>.SubSequence) -> String {
    var lowered = [UInt8]()
    lowered.reserveCapacity(min(word.count, 16))
    for byte in word.prefix(16) { lowered.append(isASCIILetter(byte) ? byte | 0x20 : byte) }
    return String(decoding: lowered, as: UTF8.self)
  }
}

/// A fixed set of byte strings and a value for each, found by hashing the bytes in place
/// (open addressing, FNV-1a). Built once; read from any thread.
struct WordTable: Sendable {
  private let slots: [Int32]
  private let words: [[UInt8]]
  private let values: [UInt8]

  init(_ entries: [String: UInt8]) {
    var words: [[UInt8]] = []
    var values: [UInt8] = []
    for (word, value) in entries.sorted(by: { $0.key < $1.key }) {
      words.append(Array(word.utf8))
      values.append(value)
    }
    var size = 8
    while size < words.count * 2 { size *= 2 }
    var slots = [Int32](repeating: 0, count: size)
    for (index, word) in words.enumerated() {
      var slot = word.withUnsafeBufferPointer { Self.hash($0) } & (size - 1)
      while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
      slots[slot] = Int32(index + 1)
    }
    self.slots = slots
    self.words = words
    self.values = values
  }

  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    return Int(truncatingIfNeeded: hash >> 1)
  }

  /// The value stored for exactly these bytes, or nil.
  func value(for bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
    let mask = slots.count - 1
    var slot = Self.hash(bytes) & mask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { return nil }
      let matched = words[entry - 1].withUnsafeBufferPointer { bytesEqual($0, bytes) }
      if matched { return values[entry - 1] }
      slot = (slot + 1) & mask
    }
  }
}
