//! Plan repositories as rustic repositories: backends, credentials,
//! initialisation and opening, with errors that name the repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rempart_core::plan::{self, Location};
use rustic_backend::BackendOptions;
use rustic_core::{
    ConfigOptions, Credentials, KeyOptions, OpenStatus, Repository, RepositoryBackends,
    RepositoryOptions, RusticError,
};

use crate::progress::TerminalBars;
use crate::secrets::{plan_path, resolve};
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
}

/// An opened repository.
pub type OpenRepo = Repository<OpenStatus>;

impl Target {
    /// Resolves repository `id` of `plan`: paths and secret files relative
    /// to `base` (the plan file's folder), rustic's cache under `cache_dir`.
    pub fn from_plan(plan: &plan::Plan, id: &str, base: &Path, cache_dir: &Path) -> Result<Target> {
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
        let backends = match &r.location {
            Location::Local(path) => {
                let dir = plan_path(base, path);
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
                    options.insert("endpoint".to_owned(), endpoint.clone());
                }
                if let (Some(key), Some(secret)) = (&r.access_key_id, &r.secret_access_key) {
                    let what = format!("repository \"{id}\" access key");
                    options.insert("access_key_id".to_owned(), resolve(key, base, &what)?);
                    let what = format!("repository \"{id}\" secret key");
                    options.insert(
                        "secret_access_key".to_owned(),
                        resolve(secret, base, &what)?,
                    );
                }
                BackendOptions::default()
                    .repository("opendal:s3")
                    .options(options)
                    .to_backends()
                    .map_err(failed)?
            }
        };
        let password = resolve(&r.password, base, &format!("repository \"{id}\" password"))?;
        Ok(Target {
            id: id.to_owned(),
            site: r.site.to_string(),
            location,
            backends,
            password,
            cache_dir: cache_dir.join(id),
            progress: None,
        })
    }

    fn error(&self, source: Box<RusticError>) -> BackupError {
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

    /// Whether the repository exists (has a config).
    pub fn exists(&self) -> Result<bool> {
        let repo = self.unopened()?;
        Ok(repo.config_id().map_err(|e| self.error(e))?.is_some())
    }

    /// Creates the repository; an existing one is opened instead (so its
    /// password is checked). Returns whether it was created.
    pub fn init(&self) -> Result<bool> {
        if self.exists()? {
            self.open()?;
            return Ok(false);
        }
        self.unopened()?
            .init(
                &Credentials::password(&self.password),
                &KeyOptions::default(),
                &ConfigOptions::default(),
            )
            .map_err(|e| self.error(e))?;
        Ok(true)
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
