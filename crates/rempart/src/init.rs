//! `rempart init [DIR]`: write a commented starter plan that validates.

use std::io::Write;
use std::path::Path;

use crate::{Lang, exit};

const STARTER_EN: &str = include_str!("starter/rempart.en.toml");
const STARTER_FR: &str = include_str!("starter/rempart.fr.toml");

pub fn run(dir: &Path, language: Lang, force: bool) -> u8 {
    let starter = match language {
        Lang::En => STARTER_EN,
        Lang::Fr => STARTER_FR,
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create the directory {}: {e}", dir.display());
        return exit::USAGE;
    }
    let file = dir.join("rempart.toml");
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        // Never overwrite a plan someone has written: create_new fails if it exists.
        options.create_new(true);
    }
    let written = options
        .open(&file)
        .and_then(|mut f| f.write_all(starter.as_bytes()).and_then(|()| f.sync_all()));
    match written {
        Ok(()) => {
            println!("Wrote {}", file.display());
            println!(
                "Edit it to describe your organisation, then run: rempart plan check -c {}",
                file.display()
            );
            0
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists; it was left untouched (use --force to replace it)",
                file.display()
            );
            exit::USAGE
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", file.display());
            exit::USAGE
        }
    }
}
