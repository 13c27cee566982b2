//! Plan repositories as rustic repositories: backends, credentials,
//! initialisation and opening, with errors that name the repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rempart_core::plan::{self, Location};
use rustic_backend::BackendOptions;
use rustic_core::{
    ConfigOptions, Credentials, KeyOptions, OpenStatus, Repository, RepositoryBackends,
    RepositoryOptions, RusticError,
};

use crate::immutable::S3Access;
use crate::progress::TerminalBars;
use crate::secrets::Resolver;
use crate::stop::{Stop, Stoppable};
use crate::{BackupError, Result};

/// A plan repository, ready to be opened: where it is and how to unlock it.
pub struct Target {
    pub id: String,
    /// The site it is on.
    pub site: String,
    /// For messages: a path or `s3://bucket/prefix` (never credentials).
    pub location: String,
    backends: RepositoryBackends,
    password: String,
    cache_dir: PathBuf,
    progress: Option<TerminalBars>,
    /// The plan says the storage refuses deletion and overwriting.
    pub immutable: bool,
    /// For S3 repositories: the bucket, to read its object lock.
    pub s3: Option<S3Access>,
    /// The plan's compression.
    compression: plan::Compression,
    /// When to stop (every read and write fails after it).
    stop: Stop,
}

/// For a client's plan: its S3 endpoint must be a public address, not one
/// of the MSP's own networks (checked each time the repository is opened).
fn public_endpoint(id: &str, endpoint: &str) -> Result<()> {
    use std::net::ToSocketAddrs as _;
    let refused = |why: String| {
        BackupError::Usage(format!(
            "repository \"{id}\": the S3 endpoint {why}, which a client's plan may not reach"
        ))
    };
    let url = reqwest::Url::parse(endpoint)
        .map_err(|e| BackupError::Usage(format!("repository \"{id}\": endpoint: {e}")))?;
    let host = url.host_str().unwrap_or_default();
    if rempart_core::network::refused_literal(host).is_some() {
        return Err(refused(format!(
            "{host} is the MSP's own network or server"
        )));
    }
    let port = url.port_or_known_default().unwrap_or(443);
    if let Ok(addrs) = (host, port).to_socket_addrs()
        && addrs
            .into_iter()
            .any(|a| rempart_core::network::internal(a.ip()))
    {
        return Err(refused(format!(
            "{host} resolves to an address of the MSP's own networks"
        )));
    }
    Ok(())
}

/// An opened repository.
pub type OpenRepo = Repository<OpenStatus>;

impl Target {
    /// Resolves repository `id` of `plan`: paths and secret files relative
    /// to `env.base` (the plan file's folder), rustic's cache under `cache_dir`.
    pub fn from_plan(
        plan: &plan::Plan,
        id: &str,
        env: &Resolver,
        cache_dir: &Path,
    ) -> Result<Target> {
        let r = plan
            .repositories
            .iter()
            .find(|r| r.id.as_str() == id)
            .ok_or_else(|| BackupError::NotInPlan {
                what: "repository",
                id: id.to_owned(),
            })?;
        // For messages: the S3 endpoint is part of where the data is.
        let location = match (&r.location, &r.endpoint) {
            (Location::S3 { .. }, Some(endpoint)) => format!("{} at {endpoint}", r.location),
            _ => r.location.to_string(),
        };
        let failed = |source: Box<RusticError>| BackupError::Repository {
            repo: id.to_owned(),
            location: location.clone(),
            source,
        };
        let mut s3 = None;
        let backends = match &r.location {
            Location::Local(path) => {
                let dir = env.path(path);
                BackendOptions::default()
                    .repository(format!("local:{}", dir.display()))
                    .to_backends()
                    .map_err(failed)?
            }
            Location::S3 { bucket, prefix } => {
                let mut options = BTreeMap::new();
                options.insert("bucket".to_owned(), bucket.clone());
                options.insert("root".to_owned(), format!("/{prefix}"));
                options.insert(
                    "region".to_owned(),
                    r.region.clone().unwrap_or_else(|| "us-east-1".into()),
                );
                if let Some(endpoint) = &r.endpoint {
                    if !env.server_secrets {
                        public_endpoint(id, endpoint)?;
                    }
                    options.insert("endpoint".to_owned(), endpoint.clone());
                }
                if r.immutable {
                    // Buckets with object lock refuse uploads without a
                    // Content-MD5 (AWS and the S3-compatible stores alike).
                    options.insert("checksum_algorithm".to_owned(), "md5".to_owned());
                }
                let region = r.region.clone().unwrap_or_else(|| "us-east-1".into());
                let mut access = S3Access {
                    endpoint: r
                        .endpoint
                        .clone()
                        .unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com")),
                    region,
                    bucket: bucket.clone(),
                    key: None,
                };
                if let (Some(key), Some(secret)) = (&r.access_key_id, &r.secret_access_key) {
                    let what = format!("repository \"{id}\" access key");
                    let key = env.resolve(key, &what)?;
                    let what = format!("repository \"{id}\" secret key");
                    let secret = env.resolve(secret, &what)?;
                    options.insert("access_key_id".to_owned(), key.clone());
                    options.insert("secret_access_key".to_owned(), secret.clone());
                    access.key = Some((key, secret));
                } else if let (Ok(key), Ok(secret)) = (
                    std::env::var("AWS_ACCESS_KEY_ID"),
                    std::env::var("AWS_SECRET_ACCESS_KEY"),
                ) {
                    // What OpenDAL falls back to, for the object lock check too.
                    access.key = Some((key, secret));
                }
                s3 = Some(access);
                BackendOptions::default()
                    .repository("opendal:s3")
                    .options(options)
                    .to_backends()
                    .map_err(failed)?
            }
        };
        let password = env.resolve(&r.password, &format!("repository \"{id}\" password"))?;
        let backends = RepositoryBackends::new(
            Arc::new(Stoppable {
                inner: backends.repository(),
                stop: env.stop.clone(),
            }),
            backends.repo_hot(),
        );
        Ok(Target {
            id: id.to_owned(),
            site: r.site.to_string(),
            location,
            backends,
            password,
            cache_dir: cache_dir.join(id),
            progress: None,
            immutable: r.immutable,
            s3,
            compression: r.compression.unwrap_or(plan::Compression::Auto),
            stop: env.stop.clone(),
        })
    }

    /// Why its work must stop, when it must.
    pub fn stopped(&self) -> Option<String> {
        self.stop.reason()
    }

    /// Its stop, for work done beside it (a command source's watcher).
    pub fn stop_handle(&self) -> Stop {
        self.stop.clone()
    }

    fn error(&self, source: Box<RusticError>) -> BackupError {
        if let Some(why) = self.stop.reason() {
            return BackupError::Stopped { why };
        }
        BackupError::Repository {
            repo: self.id.clone(),
            location: self.location.clone(),
            source,
        }
    }

    /// Shows rustic's progress as bars labelled with this repository.
    pub fn with_progress(mut self, bars: Option<&TerminalBars>) -> Self {
        self.progress = bars.map(|b| b.labelled(&self.id));
        self
    }

    fn unopened(&self) -> Result<Repository<()>> {
        let options = RepositoryOptions::default().cache_dir(self.cache_dir.clone());
        match &self.progress {
            Some(bars) => Repository::new_with_progress(&options, &self.backends, bars.clone()),
            None => Repository::new(&options, &self.backends),
        }
        .map_err(|e| self.error(e))
    }

    /// Opens the repository again with a master key already derived (no
    /// key derivation) and without rustic's own progress bars, for work
    /// that draws its own (restore in batches).
    pub(crate) fn open_quiet(&self, key: rustic_core::repofile::MasterKey) -> Result<OpenRepo> {
        let options = RepositoryOptions::default().cache_dir(self.cache_dir.clone());
        Repository::new(&options, &self.backends)
            .and_then(|r| r.open(&Credentials::Masterkey(key)))
            .map_err(|e| self.error(e))
    }

    /// The progress bars of this repository, on a terminal.
    pub(crate) fn bars(&self) -> Option<&TerminalBars> {
        self.progress.as_ref()
    }

    /// Whether the repository exists (has a config).
    pub fn exists(&self) -> Result<bool> {
        let repo = self.unopened()?;
        Ok(repo.config_id().map_err(|e| self.error(e))?.is_some())
    }

    /// Creates the repository; an existing one is opened instead (so its
    /// password is checked). Returns whether it was created.
    pub fn init(&self) -> Result<bool> {
        if self.exists()? {
            self.apply_compression(self.open()?)?;
            return Ok(false);
        }
        // rustic's defaults, measured against the alternatives
        // (BENCHMARKS.md): zstd level 3 unless the plan says otherwise, and
        // the extra check that decrypts every blob again before it is
        // written, kept because sites that share a key receive the very
        // same pack bytes.
        let mut config = ConfigOptions::default();
        if let Some(level) = self.configured_level() {
            config = config.set_compression(level);
        }
        self.unopened()?
            .init(
                &Credentials::password(&self.password),
                &KeyOptions::default(),
                &config,
            )
            .map_err(|e| self.error(e))?;
        Ok(true)
    }

    /// The zstd level to write into the repository's config; `None`
    /// leaves rustic's default (level 3, "auto").
    fn configured_level(&self) -> Option<i32> {
        (self.compression != plan::Compression::Auto).then(|| self.compression.zstd_level())
    }

    /// Makes the repository compress new data as the plan says: when its
    /// config says otherwise (a plan edited since `repo init`), the config
    /// is written again and the repository reopened with it (rustic reads
    /// the level when opening).
    pub(crate) fn apply_compression(&self, mut repo: OpenRepo) -> Result<OpenRepo> {
        // A version-1 repository (restic before 0.14, or `restic init
        // --repository-version 1`) stores data uncompressed: "auto" means
        // none there, and only an explicit level is a mistake.
        if repo.config().version == 1 {
            return match self.compression {
                plan::Compression::Auto | plan::Compression::Off => Ok(repo),
                level @ (plan::Compression::Fast | plan::Compression::Max) => {
                    Err(BackupError::Usage(format!(
                        "repository \"{}\" ({}) is a restic version-1 repository, which cannot compress: remove compression = \"{}\" from the plan (or write \"off\"), or upgrade the repository with `restic migrate upgrade_repo_v2`",
                        self.id,
                        self.location,
                        level.as_str()
                    )))
                }
            };
        }
        // What rustic uses: None for none, Some(0) for its default.
        let now = repo.config().zstd().map_err(|e| self.error(e))?;
        let now = now.map_or(0, |level| if level == 0 { 3 } else { level });
        let wanted = self.compression.zstd_level();
        if now == wanted {
            return Ok(repo);
        }
        repo.apply_config(&ConfigOptions::default().set_compression(wanted))
            .map_err(|e| self.error(e))?;
        self.unopened()?
            .open(&Credentials::Masterkey(repo.key()))
            .map_err(|e| self.error(e))
    }

    /// Creates the repository with the master key and chunker of `peer`
    /// (another site of the same backups), under this repository's own
    /// password and a fresh repository id. Sites sharing a master key hold
    /// byte-identical pack files, so a copy between them moves files
    /// instead of decrypting and re-encrypting every blob, and a damaged
    /// pack can be healed from the other site (`repair`).
    fn init_sharing(&self, peer: &OpenRepo) -> Result<()> {
        let mut config = peer.config().clone();
        config.id = rustic_core::Id::random().into();
        config.compression = self.configured_level();
        let repo = self
            .unopened()?
            .init_with_config(
                &Credentials::Masterkey(peer.key()),
                &KeyOptions::default(),
                config,
            )
            .map_err(|e| self.error(e))?;
        if let Err(e) = repo.add_key(&self.password, &KeyOptions::default()) {
            // Without a key file nobody could open it: take the config
            // back so the next `repo init` starts over.
            let be = self.backends.repository();
            for config in be.list(rustic_core::FileType::Config).unwrap_or_default() {
                let _ = be.remove(rustic_core::FileType::Config, &config, false);
            }
            return Err(self.error(e));
        }
        Ok(())
    }

    /// Takes this repository's lock, waiting for it: shared for work that
    /// adds data (backup, copy), exclusive for work that removes some
    /// (prune, repair). A prune running beside a backup could delete a
    /// pack the backup has just deduplicated against. The lock is a file
    /// next to rustic's cache, so every Rempart process using the same
    /// data directory (`serve`, the command line) honours it; it goes with
    /// the returned guard.
    pub fn lock(&self, exclusive: bool) -> Result<RepositoryLock> {
        let failed = |why: String| BackupError::Source {
            backup: String::new(),
            why: format!("cannot lock repository \"{}\": {why}", self.id),
        };
        let root = self.cache_dir.parent().unwrap_or(&self.cache_dir);
        std::fs::create_dir_all(root).map_err(|e| failed(format!("{}: {e}", root.display())))?;
        let path = root.join(format!("{}.lock", self.id));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| failed(format!("{}: {e}", path.display())))?;
        if exclusive {
            file.lock()
        } else {
            file.lock_shared()
        }
        .map_err(|e| failed(format!("{}: {e}", path.display())))?;
        Ok(RepositoryLock { _file: file })
    }

    /// Empties rustic's local cache of this repository (it is rebuilt
    /// from the repository on the next use); after a repair it may hold
    /// the damaged copy of a file.
    pub fn clear_cache(&self) {
        let _ = std::fs::remove_dir_all(&self.cache_dir);
    }

    /// Whether `self` and `other` (both opened) share one master key.
    pub fn shares_key<A: rustic_core::Open, B: rustic_core::Open>(
        a: &Repository<A>,
        b: &Repository<B>,
    ) -> bool {
        let (ka, kb) = (a.key(), b.key());
        ka.encrypt == kb.encrypt && ka.mac.k == kb.mac.k && ka.mac.r == kb.mac.r
    }

    /// The raw storage of the repository (encrypted files as stored).
    pub(crate) fn storage(&self) -> std::sync::Arc<dyn rustic_core::WriteBackend> {
        self.backends.repository()
    }

    /// Opens the repository, telling a wrong password and a missing
    /// repository apart from other failures.
    pub fn open(&self) -> Result<OpenRepo> {
        let repo = self.unopened()?;
        if repo.config_id().map_err(|e| self.error(e))?.is_none() {
            return Err(BackupError::NotInitialised {
                repo: self.id.clone(),
                location: self.location.clone(),
            });
        }
        repo.open(&Credentials::password(&self.password))
            .map_err(|e| {
                if e.is_incorrect_password() {
                    BackupError::WrongPassword {
                        repo: self.id.clone(),
                        location: self.location.clone(),
                    }
                } else {
                    self.error(e)
                }
            })
    }

    pub(crate) fn fail(&self, source: Box<RusticError>) -> BackupError {
        self.error(source)
    }
}

/// A held repository lock (see [`Target::lock`]); released when dropped.
#[derive(Debug)]
pub struct RepositoryLock {
    _file: std::fs::File,
}

/// How `repo init` left a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Initialised {
    /// It was there already; its password was checked and the plan's
    /// compression applied. `version` is its restic repository version
    /// (1: no compression possible).
    Existing { version: u32 },
    /// Created with a key of its own.
    Created,
    /// Created sharing the master key of this repository (a site of the
    /// same backups).
    SharingKeyWith(String),
}

/// The repositories that should share a master key with `id`: those
/// reachable from it through the target lists of the plan's backups, in
/// plan order, `id` excluded.
pub fn key_group(plan: &plan::Plan, id: &str) -> Vec<String> {
    let mut group: Vec<&str> = vec![id];
    loop {
        let before = group.len();
        for b in &plan.backups {
            if b.targets.iter().any(|t| group.contains(&t.as_str())) {
                for t in &b.targets {
                    if !group.contains(&t.as_str()) {
                        group.push(t.as_str());
                    }
                }
            }
        }
        if group.len() == before {
            break;
        }
    }
    plan.repositories
        .iter()
        .map(|r| r.id.as_str())
        .filter(|r| *r != id && group.contains(r))
        .map(str::to_owned)
        .collect()
}

/// Creates repository `id` of `plan` if it is missing. When another
/// repository of its key group (see [`key_group`]) exists and opens, the
/// new one shares its master key; otherwise it gets its own.
pub fn init_in_plan(
    plan: &plan::Plan,
    id: &str,
    env: &Resolver,
    cache_dir: &Path,
) -> Result<(Target, Initialised)> {
    let target = Target::from_plan(plan, id, env, cache_dir)?;
    if target.exists()? {
        let repo = target.apply_compression(target.open()?)?;
        let version = repo.config().version;
        return Ok((target, Initialised::Existing { version }));
    }
    for peer_id in key_group(plan, id) {
        let peer = Target::from_plan(plan, &peer_id, env, cache_dir)?;
        // A peer that is missing or cannot be opened just is not used.
        let Ok(opened) = peer.open() else { continue };
        target.init_sharing(&opened)?;
        return Ok((target, Initialised::SharingKeyWith(peer_id)));
    }
    target.init()?;
    Ok((target, Initialised::Created))
}
