// Rego engine tests arrive with the parser.
