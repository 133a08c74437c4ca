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

  /// Class of a word. `followedByParenthesis` decides between function and bareword.
  static func classify(_ word: UnsafeBufferPointer<UInt8>.SubSequence, followedByParenthesis: Bool) -> UInt8 {
    let bareword = UInt8(ascii: "n")
    guard word.count <= 40 else { return bareword }
    var lowered = [UInt8]()
    lowered.reserveCapacity(word.count + 1)
    for byte in word { lowered.append(isASCIILetter(byte) ? byte | 0x20 : byte) }
    let plain = classes[String(decoding: lowered, as: UTF8.self)]
    // Operator words stay operators before a parenthesis too: `mod(10,5)`, `not(...)`, `in (1,2)`.
    if let plain, plain == UInt8(ascii: "o") || plain == UInt8(ascii: "&") { return plain }
    if followedByParenthesis {
      lowered.append(UInt8(ascii: "("))
      if let letter = classes[String(decoding: lowered, as: UTF8.self)] { return letter }
      lowered.removeLast()
    }
    return plain ?? bareword
  }

  /// Lower-cased text of a word, for the multi-word folds ("union all", "group by").
  static func lowered(_ word: UnsafeBufferPointer<UInt8>.SubSequence) -> String {
    var lowered = [UInt8]()
    lowered.reserveCapacity(min(word.count, 16))
    for byte in word.prefix(16) { lowered.append(isASCIILetter(byte) ? byte | 0x20 : byte) }
    return String(decoding: lowered, as: UTF8.self)
  }
}
