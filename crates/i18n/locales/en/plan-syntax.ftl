## Reading a plan: its bytes, its TOML syntax, the types of its values,
## its keys and the small values a person writes (durations, schedules,
## ids, locations, secret references). Each message has its French twin in
## ../fr/plan-syntax.ftl, with the same variables.

plan-not-utf8 = {$line}:{$column}: the plan is not UTF-8 text (byte 0x{$byte} here); save the file as UTF-8 (in most editors: Save with encoding, UTF-8)
# $why: the TOML parser's own explanation (in English).
plan-toml-syntax = {$why}
plan-toml-syntax-hint = fix the TOML syntax first; see https://toml.io

## Types: what a value is, and what it should be

# $expected and $found: one of the phrases below.
plan-wrong-type = `{$field}` should be {$expected}, found {$found}
plan-type-string = a string
plan-type-integer = an integer
plan-type-float = a float
plan-type-boolean = a boolean
plan-type-datetime = a date-time
plan-type-array = an array
plan-type-table = a table
plan-expected-boolean = a boolean (true or false)
plan-expected-number = a number
plan-expected-percent = a percentage such as 99.5
plan-expected-id = an id (a string)
plan-expected-duration = a duration such as "15m" or "4h"
plan-expected-schedule = a schedule such as "every 1h" or "0 2 * * *"
plan-expected-location = a directory or s3://bucket/prefix
plan-expected-secret-ref = a secret reference: {"{"} secret = "name" {"}"}, {"{"} env = "NAME" {"}"} or {"{"} file = "path" {"}"}
plan-expected-array-of-tables = an array of tables: [[{$key}]]
# $what: plan-what-condition, plan-what-step or plan-what-source.
plan-expected-table-of = a table ({$what})
# $words: the words a plan may write, each one plan-quoted.
plan-one-of = one of {$words}
plan-quoted = "{$word}"
plan-hint-without-quotes = write {$value} without quotes
plan-hint-without-quotes-or-percent = write {$value} without quotes or %
plan-hint-brackets = put it in brackets: ["…"]
plan-hint-duration-unit = give a unit, e.g. "{$number}s", "{$number}m" or "{$number}h"
plan-out-of-range = `{$field}` = {$value} is out of range ({$min}..={$max})
# $why: one of the refusals of the values, below.
plan-bad-value = `{$field}`: {$why}

## Keys

plan-missing-key-top = the plan is missing the required key `{$key}`
plan-missing-key = `{$table}` is missing the required key `{$key}`
plan-unknown-key-top = unknown key `{$key}` at the top of the plan
plan-unknown-key = unknown key `{$key}` in `{$table}`
plan-did-you-mean-key = did you mean `{$key}`?
plan-keys-here = the keys here are: {$keys}
plan-unknown-word = `{$field}` = "{$value}" is not one of {$words}
plan-did-you-mean-word = did you mean "{$word}"?
plan-write-one-of = write one of {$words}

## Tables told apart by the one key they carry

plan-what-condition = condition
plan-what-step = step
plan-what-source = source
plan-kind-none = this {$what} has none of the keys that say what it does: {$keys}
plan-kind-add = add one of {$keys}
plan-kind-both = this {$what} has both `{$first}` and `{$second}`; it must do exactly one thing
plan-kind-split = split it in two, or keep one of {$keys}

## Secrets

plan-inline-secret = `{$field}` is a secret written inline in the plan; secrets are given by reference only
plan-inline-secret-hint = store it encrypted with `rempart secret set {$secret}` and write {$field} = {"{"} secret = "{$secret}" {"}"}; or (plans on the server only) an environment variable: {$field} = {"{"} env = "{$var}" {"}"}, or a file readable only by Rempart: {$field} = {"{"} file = "/etc/rempart/secrets/{$field}" {"}"}
plan-bad-env-name = "{$name}" is not an environment variable name
plan-bad-env-name-hint = use letters, digits and '_', not starting with a digit, e.g. {"{"} env = "ERP_DB_PASSWORD" {"}"}
plan-empty-secret-file = the secret file path is empty
plan-secret-name = "{$name}" is not a secret name: 1 to {$max} ASCII letters, digits, '-', '_' or '.', starting with a letter or digit
plan-bad-secret-name-hint = e.g. {"{"} secret = "nas-password" {"}"}, set with `rempart secret set nas-password`
plan-secret-ref-one = `{$field}` must name exactly one of env, file or secret
plan-secret-ref-one-hint = e.g. {"{"} secret = "name" {"}"} (stored encrypted: rempart secret set), {"{"} env = "NAME" {"}"} or {"{"} file = "/etc/rempart/secret" {"}"}

## Values: ids, durations, schedules, locations, JSON paths

plan-id-empty = an id cannot be empty
plan-id-too-long = an id has at most {$max} characters
plan-id-chars = an id uses ASCII letters, digits, '-', '_' and '.', and starts with a letter or digit
plan-duration-how = write a number followed by a unit: ms, s, m, h, d or w (e.g. "90s", "15m", "4h", "2d", "1h30m")
# $how: plan-duration-how.
plan-duration-empty = empty duration; {$how}
plan-duration-not = "{$text}" is not a duration; {$how}
plan-duration-no-unit = "{$text}" has a number without a unit; {$how}
plan-duration-too-large = duration "{$text}" is too large
plan-duration-over-100-years = duration "{$text}" is over 100 years, the longest a plan may write
plan-schedule-in = in "{$schedule}": {$why}
plan-schedule-every-zero = "every 0s" never ends; give a positive interval
plan-schedule-fields = "{$text}" is neither "every <duration>" nor a five-field cron pattern (minute hour day-of-month month day-of-week); it has {$fields} field(s)
# $why: the cron parser's own explanation (in English).
plan-schedule-cron = "{$text}" is not a valid cron pattern: {$why}
plan-location-empty = empty location; give a directory or s3://bucket/prefix
plan-location-scheme = unsupported location scheme "{$scheme}://"; Rempart stores backups in a local directory or in s3://bucket/prefix
plan-location-bucket = "{$bucket}" is not a valid S3 bucket name: 3 to 63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit
plan-json-path = "{$path}" is not a JSON path: {$why} (e.g. "$.status.db" or "items[0].id")
plan-json-path-empty-name = an empty name
plan-json-path-index-number = an index is a number in brackets
plan-json-path-unclosed = a `[` is not closed
plan-json-path-empty-index = an empty index
plan-json-path-unopened = a `]` without its `[`
plan-json-path-name-after-index = a name after an index needs a `.`
plan-json-path-nothing = it names nothing

## Files the plan names

# $why: the system's own explanation (in English).
plan-ca-unreadable = cannot read {$path}: {$why}
plan-ca-not-pem = {$path} holds no PEM certificate
plan-ca-unusable = monitor "{$monitor}"'s `ca`: {$problem}; it will be down until this is fixed
plan-ca-unusable-hint = give the CA's certificate as a PEM file, relative to the plan's folder
