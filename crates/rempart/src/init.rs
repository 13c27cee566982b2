//! `rempart init [DIR]`: write a commented starter plan that validates.

use std::io::Write;
use std::path::Path;

use crate::exit;
use crate::out::{Lang, t};

const STARTER_EN: &str = include_str!("starter/rempart.en.toml");
const STARTER_FR: &str = include_str!("starter/rempart.fr.toml");

pub fn run(dir: &Path, language: Lang, lang: Lang, force: bool) -> u8 {
    let starter = match language {
        Lang::En => STARTER_EN,
        Lang::Fr => STARTER_FR,
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        let dir = dir.display().to_string();
        fail!(
            "{}",
            t!(
                crate::out::spoken(),
                "cli-cannot-create-dir",
                dir = dir,
                why = e.to_string()
            )
        );
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
            let file = file.display().to_string();
            println!("{}", t!(lang, "init-wrote", file = file.as_str()));
            println!("{}", t!(lang, "init-next", file = file.as_str()));
            0
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            fail!(
                "{}",
                t!(lang, "init-exists", file = file.display().to_string())
            );
            exit::USAGE
        }
        Err(e) => {
            let file = file.display().to_string();
            fail!(
                "{}",
                t!(
                    crate::out::spoken(),
                    "cli-cannot-write",
                    file = file,
                    why = e.to_string()
                )
            );
            exit::USAGE
        }
    }
}
