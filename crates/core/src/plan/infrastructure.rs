//! The technical side of a plan: sites, assets, backup repositories and
//! the backups that copy data between them.

use std::borrow::Cow;

use rempart_i18n::say;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::decode::{Cx, Decode, Item, decode_table, plan_enum, plan_table, which_key};
use super::values::{Duration, Id, Location, Schedule, SecretRef};

plan_enum! {
    /// What role a site plays.
    pub enum SiteKind {
        /// Where the business runs.
        Primary = "primary",
        /// Another premises (branch, second building, the MSP's rack).
        Secondary = "secondary",
        /// A cloud provider.
        Cloud = "cloud",
    }
}

plan_table! {
    /// `[[site]]`: a place where things run or where copies go.
    pub struct Site {
        pub id: Id,
        pub kind: SiteKind,
        @default pub name: Option<String>,
        @default pub address: Option<String>,
    }
}

plan_enum! {
    /// What an asset is.
    pub enum AssetKind {
        Server = "server",
        VirtualMachine = "virtual-machine",
        Database = "database",
        Storage = "storage",
        Network = "network",
        Saas = "saas",
        Application = "application",
        Workstation = "workstation",
    }
}

plan_table! {
    /// `[[asset]]`: a server, database, SaaS, gateway… that processes need.
    pub struct Asset {
        pub id: Id,
        pub name: String,
        pub kind: AssetKind,
        /// Site id; none for a SaaS.
        @default pub site: Option<Id>,
        /// Ids of the assets this one needs to work.
        @default pub depends_on: Vec<Id>,
        @default pub description: Option<String>,
    }
}

plan_enum! {
    /// How a repository compresses the data it stores (zstd; restic reads
    /// every level, and uncompressed data too).
    pub enum Compression {
        /// zstd level 3, the default of rustic and restic.
        Auto = "auto",
        /// zstd level 1: backups of a 1.7 GB tree 10–17 % faster, about
        /// 8 % more storage (BENCHMARKS.md).
        Fast = "fast",
        /// zstd level 19: very slow; for data written once and kept long.
        Max = "max",
        /// No compression.
        Off = "off",
    }
}

impl Compression {
    /// The zstd level, 0 for none.
    pub fn zstd_level(self) -> i32 {
        match self {
            Compression::Auto => 3,
            Compression::Fast => 1,
            Compression::Max => 19,
            Compression::Off => 0,
        }
    }
}

plan_table! {
    /// `[[repository]]`: where backups are stored, in the restic format.
    pub struct Repository {
        pub id: Id,
        /// Site id: where the data physically is.
        pub site: Id,
        /// A directory, or `s3://bucket/prefix`.
        pub location: Location,
        /// The repository's encryption password, by reference.
        pub password: SecretRef,
        /// S3 endpoint URL (S3 only), e.g. "https://s3.fr-par.scw.cloud".
        @default pub endpoint: Option<String>,
        /// S3 region (S3 only), e.g. "fr-par".
        @default pub region: Option<String>,
        @default pub access_key_id: Option<SecretRef>,
        @default pub secret_access_key: Option<SecretRef>,
        /// The storage refuses deletion and overwriting (object lock, WORM).
        @default pub immutable: bool,
        /// Every byte of the repository is read back within this period
        /// (default 7 days): a scheduled verify reads one slice a day.
        @default pub verify_within: Option<Duration>,
        /// Longest a verification (or repair) of it may run (24h when not
        /// given); past it, it stops and reports nothing as checked.
        @default pub verify_timeout: Option<Duration>,
        /// How new data is compressed (default "auto"); set at `repo init`
        /// and applied again before each backup. A copy to another site of
        /// the same backup moves packs as the first target wrote them.
        @default pub compression: Option<Compression>,
        @default pub name: Option<String>,
    }
}

plan_table! {
    /// Back up files: `{ paths = [...], exclude = [...] }`.
    pub struct PathsSource {
        pub paths: Vec<String>,
        /// Glob patterns left out of the backup.
        @default pub exclude: Vec<String>,
    }
}

plan_table! {
    /// Back up a command's standard output, stored under `filename`:
    /// `{ command = "pg_dump -Fc erp", filename = "erp.dump" }`.
    pub struct CommandSource {
        /// Run by `sh -c`; it must exit 0 or the backup fails.
        pub command: String,
        /// The name the output gets inside the snapshot.
        pub filename: String,
    }
}

/// What a backup reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(proptest_derive::Arbitrary))]
#[serde(untagged)]
pub enum Source {
    Paths(PathsSource),
    Command(CommandSource),
}

impl Decode for Source {
    fn decode(item: &Item<'_>, cx: &mut Cx) -> Option<Self> {
        match which_key(item, cx, &["paths", "command"], say!("plan-what-source"))? {
            0 => decode_table(item, cx).map(Source::Paths),
            _ => decode_table(item, cx).map(Source::Command),
        }
    }
}

impl JsonSchema for Source {
    fn schema_name() -> Cow<'static, str> {
        "Source".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Files ({ paths, exclude }) or a command's output ({ command, filename }).",
            "oneOf": [
                generator.subschema_for::<PathsSource>(),
                generator.subschema_for::<CommandSource>(),
            ]
        })
    }
}

plan_table! {
    /// Which snapshots to keep (restic's forget policy); others are pruned.
    pub struct Retention {
        @default pub last: Option<u32>,
        @default pub hourly: Option<u32>,
        @default pub daily: Option<u32>,
        @default pub weekly: Option<u32>,
        @default pub monthly: Option<u32>,
        @default pub yearly: Option<u32>,
        /// Keep every snapshot younger than this.
        @default pub within: Option<super::values::Duration>,
    }
}

plan_table! {
    /// `[[backup]]`: what is copied, when, and to which repositories.
    pub struct Backup {
        pub id: Id,
        @default pub name: Option<String>,
        /// Asset ids whose data this backup holds: the RPO of a process is
        /// measured from the backups protecting the assets it depends on.
        @default pub protects: Vec<Id>,
        pub source: Source,
        pub schedule: Schedule,
        /// Repository ids; the first is the primary, the others get copies.
        pub targets: Vec<Id>,
        @default pub retention: Option<Retention>,
        /// Longest a run may take, copies included (24h when not given);
        /// past it, it stops (a command source is killed with everything
        /// it started) and nothing is kept as a good snapshot.
        @default pub timeout: Option<Duration>,
        /// Snapshots that restic (or another tool) made in the target
        /// repositories and that count as this backup's restore points:
        /// listed, restorable, and in its RPO from the first minute.
        @default pub adopt: Option<Adopt>,
    }
}

plan_table! {
    /// Which snapshots Rempart did not make are a backup's, as restic's
    /// `--host`, `--path` and `--tag` filters select them:
    /// `adopt = { host = "files01", paths = ["/srv/files"], tags = ["daily"] }`.
    /// Each key given must match; `adopt = {}` takes them all.
    pub struct Adopt {
        /// The snapshot's host name (`restic backup --host`).
        @default pub host: Option<String>,
        /// Paths the snapshot holds, each of them (as `restic snapshots
        /// --path` compares them).
        @default pub paths: Vec<String>,
        /// Tags the snapshot carries, each of them.
        @default pub tags: Vec<String>,
    }
}

impl Adopt {
    /// Whether a snapshot of `host`, holding `paths` and tagged `tags`, is
    /// one this rule takes.
    pub fn matches(&self, host: &str, paths: &[String], tags: &[String]) -> bool {
        let clean = |p: &str| {
            let t = p.trim_end_matches('/');
            if t.is_empty() {
                "/".to_owned()
            } else {
                t.to_owned()
            }
        };
        self.host.as_deref().is_none_or(|h| h == host)
            && self
                .paths
                .iter()
                .all(|want| paths.iter().any(|p| clean(p) == clean(want)))
            && self.tags.iter().all(|want| tags.contains(want))
    }
}

/// How long a backup run or a verification may take when the plan does not say.
pub const DEFAULT_JOB_TIMEOUT: Duration = Duration::from_secs(24 * 3_600);
