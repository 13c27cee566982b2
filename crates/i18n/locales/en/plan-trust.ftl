# What a client's plan may not hold (crates/core/src/plan/trust.rs), and
# what `plan check --resolve` finds on this server (secrets, paths,
# repositories: crates/rempart/src/plan_cmd.rs, crates/backup/src/secrets.rs).
# Each message has its French twin in ../fr/plan-trust.ftl, with the same
# variables (crates/i18n/tests/catalogue.rs checks it).

## What a field of the plan is, for people ({ $what } below)

plan-trust-repository-location = repository "{ $id }"'s location
plan-trust-repository-no-keys = repository "{ $id }" (no access keys)
plan-trust-repository-endpoint = repository "{ $id }"'s endpoint
plan-trust-repository-password = repository "{ $id }"'s password
plan-trust-repository-access-key-id = repository "{ $id }"'s access_key_id
plan-trust-repository-secret-access-key = repository "{ $id }"'s secret_access_key
plan-trust-backup-command = backup "{ $id }"'s source command
plan-trust-backup-path = backup "{ $id }"'s source path
plan-trust-monitor-command = monitor "{ $id }"'s command
plan-trust-monitor-server = monitor "{ $id }"'s server
plan-trust-monitor-target = monitor "{ $id }"'s target
plan-trust-monitor-ca = monitor "{ $id }"'s ca file
plan-trust-step-command = scenario "{ $scenario }" step "{ $step }"'s command
plan-trust-step-sql = scenario "{ $scenario }" step "{ $step }"'s SQL
plan-trust-step-url = scenario "{ $scenario }" step "{ $step }"'s URL
plan-trust-step-address = scenario "{ $scenario }" step "{ $step }"'s address
plan-trust-step-folder = scenario "{ $scenario }" step "{ $step }"'s folder
plan-trust-step-database = scenario "{ $scenario }" step "{ $step }"'s database URL
plan-trust-channel-url = channel "{ $id }"'s URL
plan-trust-channel-url-secret = channel "{ $id }"'s url
plan-trust-channel-secret = channel "{ $id }"'s secret
plan-trust-channel-token = channel "{ $id }"'s token
plan-trust-server-env = the server's environment variable { $env }
plan-trust-server-file = the server's file { $file }

## What a client's plan may not hold

plan-trust-runs = { $what } would run on the MSP's server: only the MSP may set it
plan-trust-runs-hint = ask your MSP to add it to the plan they manage; with an agent at your site (coming), it will run there
plan-trust-reads = { $what } reads { $source }: only the MSP may set it
plan-trust-reads-hint = store the secret for your organisation (rempart secret set NAME, or PUT /api/v1/tenants/{"{"}tenant{"}"}/secrets/NAME) and write {"{"} secret = "NAME" {"}"}
plan-trust-server-credentials = { $what } would reach S3 with the server's own credentials: only the MSP may set it
plan-trust-server-credentials-hint = give access_key_id = {"{"} secret = "…" {"}"} and secret_access_key = {"{"} secret = "…" {"}"}
plan-trust-writes-into = { $what } "{ $path }" would receive restored data on the MSP's server: only the MSP may set it
plan-trust-writes-into-hint = leave `to` out: the drill restores into its own sandbox, removed after it
plan-trust-reaches = { $what } "{ $target }": { $why }
plan-trust-reaches-hint = name a public address; what is inside the MSP's network is for the MSP's own plan (or, later, your agent)
plan-trust-path = { $what } "{ $path }" { $why }
plan-trust-path-hint = use a folder under those the MSP allows for your organisation (rempart tenant roots), or ask the MSP to allow one

## Why a path or an address is refused ({ $why } above)

plan-trust-no-roots = is a path on the MSP's server, and no folder there is allowed for this organisation
plan-trust-no-roots-missing = is a path on the MSP's server, and no folder there is allowed for this organisation ({ $missing } is not there)
plan-trust-goes-up = goes up with `..`: write the path without it
plan-trust-leads-outside = leads outside the folders allowed for this organisation ({ $folders })
plan-trust-broken-link = goes through a symbolic link that leads nowhere
plan-trust-unresolvable = cannot be resolved
plan-trust-internal-network = { $host } is an address of the MSP's own networks, which a client's plan may not reach
plan-trust-server-itself = { $host } is the MSP's server itself, which a client's plan may not reach

## What `plan check --resolve` finds on this server

plan-resolve-secret = cannot get the { $what }: { $why }
plan-resolve-no-stored-secret = no stored secret "{ $secret }" for this tenant (set it with `rempart secret set { $secret }` or PUT /api/v1/tenants/{"{"}tenant{"}"}/secrets/{ $secret })
plan-resolve-client-server-secret = a client's plan may not read the server's environment or files; use {"{"} secret = "name" {"}"}
plan-resolve-env-unset = the environment variable { $env } is not set
plan-resolve-file-unreadable = cannot read { $path }: { $error }
plan-resolve-secret-empty = it is empty
plan-resolve-secret-set-hint = set it with `rempart secret set { $secret }`
plan-resolve-env-hint = set { $env } in the environment of `rempart serve` and of the commands
plan-resolve-file-hint = write the file, readable by the user Rempart runs as
plan-resolve-repository-no-folder = repository "{ $id }" does not exist yet: there is no folder { $path }
plan-resolve-repo-init-hint = create it with `rempart repo init { $id }`
plan-resolve-path-missing = { $what } { $path } does not exist on this server
plan-resolve-path-missing-hint = create it, mount it, or fix the path; what needs it fails until then
plan-resolve-repository-v1 = repository "{ $id }" is a restic version-1 repository: it cannot compress, its backups are stored uncompressed
plan-resolve-repository-v1-level = repository "{ $id }" is a restic version-1 repository: it cannot compress, its backups are stored uncompressed, so compression = "{ $level }" cannot be honoured
plan-resolve-repository-v1-hint = `restic migrate upgrade_repo_v2` upgrades it (restic 0.14 or later reads it then); or write compression = "off"
plan-resolve-not-initialised = repository "{ $id }" ({ $location }) is not initialised: run `rempart repo init { $id }`
plan-resolve-wrong-password = wrong password for repository "{ $id }" ({ $location }): nothing was written
plan-resolve-password-hint = store the password with `rempart secret set`, or fix the reference
plan-resolve-repository-error = repository "{ $id }" ({ $location }): { $error }
plan-resolve-stopped = stopped before finishing: { $why }; nothing of it was kept as a good snapshot
plan-resolve-no-answer = no answer within { $seconds } s
plan-resolve-other-error = { $error }
plan-resolve-unreachable-hint = check the address, the credentials and the network; backups to it fail until then

## Reading the plan file

plan-read-failed = cannot read the plan { $file }: { $error }
plan-read-not-found = cannot read the plan { $file }: { $error } — create one with `rempart init`, or point to it with -c FILE or $REMPART_PLAN
