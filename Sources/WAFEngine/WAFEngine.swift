// WAFEngine: ModSecurity's rule language (SecLang) running the OWASP Core Rule Set, and the web ACL
// layer around it (IP reputation lists, rate-based rules, ordered rules with actions).
//
// Layout, by SecLang concept as coraza splits it:
//   SecLang/          directive and rule parsing (file:line errors), Include resolution
//   Transformations/  the `t:` functions over bytes
//   Operators/        the `@` operators and their matchers (Aho-Corasick, byte ranges, ...)
//   Injection/        the SQL and HTML/JS tokenizers behind @detectSQLi and @detectXSS
//   BodyProcessors/   URLENCODED, MULTIPART, JSON and XML request bodies
//   Runtime/          the compiled rule set (immutable, Sendable) and the per-request Transaction
//   Net/, Reputation/, RateLimit/, ACL/   the web ACL layer
