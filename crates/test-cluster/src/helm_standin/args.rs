//! Command-line parsing in the style of helm's (cobra's) flags: `--flag value`, `--flag=value`, `-f value`,
//! flags anywhere between the positional arguments, `--` ends the flags.

/// One known flag.
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    pub takes_value: bool,
    /// Commands accepting it (`"*"`: all).
    pub commands: &'static [&'static str],
}

const fn flag(
    long: &'static str,
    short: Option<char>,
    takes_value: bool,
    commands: &'static [&'static str],
) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value,
        commands,
    }
}

const INSTALLS: &[&str] = &["upgrade", "install"];

/// Every flag the stand-in understands.
pub const FLAGS: &[FlagSpec] = &[
    flag("kubeconfig", None, true, &["*"]),
    flag("kube-context", None, true, &["*"]),
    flag("namespace", Some('n'), true, &["*"]),
    flag("debug", None, false, &["*"]),
    flag("help", Some('h'), false, &["*"]),
    flag("install", Some('i'), false, &["upgrade"]),
    flag("values", Some('f'), true, INSTALLS),
    flag("version", None, true, INSTALLS),
    flag("create-namespace", None, false, INSTALLS),
    flag("wait", None, false, INSTALLS),
    flag("atomic", None, false, INSTALLS),
    flag("timeout", None, true, &["upgrade", "install", "uninstall"]),
    flag("force-update", None, false, &["repo add"]),
    flag("short", None, false, &["version"]),
    flag("output", Some('o'), true, &["list", "status"]),
    flag("all-namespaces", Some('A'), false, &["list"]),
];

/// The parsed command line.
#[derive(Debug, Default)]
pub struct Parsed {
    pub positionals: Vec<String>,
    /// `(long name, value)` in order; switches have an empty value.
    pub flags: Vec<(String, String)>,
}

impl Parsed {
    pub fn has(&self, long: &str) -> bool {
        self.flags.iter().any(|(k, _)| k == long)
    }

    /// Last value of a flag.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(k, _)| k == long)
            .map(|(_, v)| v.as_str())
    }

    /// All values of a repeatable flag.
    pub fn values(&self, long: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(k, _)| k == long)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Fails like helm for a flag the given command does not take.
    pub fn check_allowed(&self, command: &str) -> Result<(), String> {
        for (name, _) in &self.flags {
            let spec = FLAGS.iter().find(|f| f.long == name);
            let ok = spec.is_some_and(|f| f.commands.iter().any(|c| *c == "*" || *c == command));
            if !ok {
                return Err(format!("unknown flag: --{name}"));
            }
        }
        Ok(())
    }
}

/// Splits `args` into positionals and known flags; unknown flags are errors.
pub fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            parsed.positionals.extend(iter.by_ref().cloned());
            break;
        }
        let (spec, inline, shown) = if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let spec = FLAGS
                .iter()
                .find(|f| f.long == name)
                .ok_or_else(|| format!("unknown flag: --{name}"))?;
            (spec, inline, format!("--{name}"))
        } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let mut chars = short.chars();
            let c = chars.next().unwrap_or('-');
            let rest: String = chars.collect();
            let spec = FLAGS
                .iter()
                .find(|f| f.short == Some(c))
                .ok_or_else(|| format!("unknown shorthand flag: '{c}' in {arg}"))?;
            let inline = if rest.is_empty() {
                None
            } else {
                Some(rest.strip_prefix('=').unwrap_or(&rest).to_string())
            };
            (spec, inline, format!("'{c}' in {arg}"))
        } else {
            parsed.positionals.push(arg.clone());
            continue;
        };
        let value = if spec.takes_value {
            match inline {
                Some(v) => v,
                None => iter
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("flag needs an argument: {shown}"))?,
            }
        } else {
            match inline.as_deref() {
                None | Some("true") => String::new(),
                Some(other) => {
                    return Err(format!(
                        "invalid argument \"{other}\" for \"{shown}\" flag: only true is supported by the stand-in"
                    ))
                }
            }
        };
        parsed.flags.push((spec.long.to_string(), value));
    }
    Ok(parsed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_the_guide_command_line() {
        let p = parse(&strings(&[
            "upgrade",
            "--install",
            "osmo-operator",
            "osmo/backend-operator",
            "-f",
            "values.yaml",
            "--version",
            "1.4.0",
            "--namespace=osmo-operator",
        ]))
        .unwrap();
        assert_eq!(
            p.positionals,
            ["upgrade", "osmo-operator", "osmo/backend-operator"]
        );
        assert!(p.has("install"));
        assert_eq!(p.values("values"), ["values.yaml"]);
        assert_eq!(p.value("version"), Some("1.4.0"));
        assert_eq!(p.value("namespace"), Some("osmo-operator"));
        p.check_allowed("upgrade").unwrap();
        assert!(p.check_allowed("version").is_err());
    }

    #[test]
    fn rejects_unknown_and_incomplete_flags() {
        assert_eq!(
            parse(&strings(&["upgrade", "--set", "a=b"])).unwrap_err(),
            "unknown flag: --set"
        );
        assert_eq!(
            parse(&strings(&["upgrade", "x", "y", "-f"])).unwrap_err(),
            "flag needs an argument: 'f' in -f"
        );
    }
}
